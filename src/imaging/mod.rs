//! Images in: multi-phase volumes and masks with their geometry (`volume.rs`), the file formats
//! (`nifti.rs`, `nrrd.rs`, `dicom.rs` and `dicom_export.rs`, dispatched by `io.rs`), outlines from and
//! to DICOM (`rtstruct.rs`, `dicom_seg.rs`, `rtstruct_write.rs`, `dicom_seg_write.rs`), the built-in synthetic DCE-MRI
//! cohort (`synthetic/`) and cohorts read from disk (`cohort.rs`).
//!
//! Knows nothing of the language, the session or rendering; never prints.

pub mod bias;
pub mod cohort;
mod cohort_folder;
pub mod contours;
pub mod dicom;
mod dicom_build;
pub mod dicom_export;
mod dicom_guard;
mod dicom_object;
pub mod dicom_seg;
pub mod dicom_seg_write;
mod dicom_slices;
mod dicom_values;
pub mod io;
pub mod lesions;
pub mod nifti;
mod nifti_write;
pub mod nrrd;
pub mod perturbation;
pub mod rtstruct;
pub mod rtstruct_write;
pub mod samples;
pub mod segment;
pub mod synthetic;
pub mod volume;

pub use samples::ImageError;
pub use volume::{Geometry, GeometryMismatch, Mask, Volume, check_same_grid};
