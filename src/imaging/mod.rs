//! Images in: multi-phase volumes and masks with their geometry (`volume.rs`), the file formats
//! (`nifti.rs`, `nrrd.rs`, `dicom.rs` and `dicom_export.rs`, dispatched by `io.rs`), the built-in synthetic DCE-MRI
//! cohort (`synthetic/`) and cohorts read from disk (`cohort.rs`).
//!
//! Knows nothing of the language, the session or rendering; never prints.

pub mod bias;
pub mod cohort;
mod cohort_folder;
pub mod dicom;
pub mod dicom_export;
mod dicom_guard;
mod dicom_object;
pub mod dicom_seg;
mod dicom_slices;
mod dicom_values;
pub mod io;
pub mod lesions;
pub mod nifti;
mod nifti_write;
pub mod nrrd;
pub mod rtstruct;
pub mod samples;
pub mod segment;
pub mod synthetic;
pub mod volume;

pub use samples::ImageError;
pub use volume::{Geometry, GeometryMismatch, Mask, Volume, check_same_grid};
