//! A cohort's images: for each patient, where its DCE series, ROI and mask come from — the
//! synthetic recipe, files on disk, or arrays held in memory (`load case`). Images are read or
//! rendered when asked for, so memory stays flat however many patients there are.
//!
//! The on-disk layout (documented in the README; also what `export cohort` writes):
//!
//! ```text
//! my_cohort/
//!   clinical.csv          id,aln[,cohort],age,...
//!   images/<id>/          phase_1.nii.gz ... phase_9.nii.gz, or one 4-D file (dce.nii.gz),
//!                         or DICOM slices, or the same names in .nrrd
//!   rois/<id>.nii.gz      the radiologist's ROI (optional)
//!   masks/<id>.nii.gz     finished tumour masks (optional)
//! ```

use super::bias::BiasCorrection;
pub use super::cohort_folder::{
    FolderScan, Validated, locate, scan_folder, unlisted_image_folders, unlisted_masks, validate,
};
use super::dicom_build::{ExportedStudy, regions_of};
use super::io::{
    Format, ImageRead, OutlineKind, outline_kind, read_image_noting, read_mask, read_outline,
    write_image, write_mask,
};
use super::samples::ImageError;
use super::samples::SampleType;
use super::synthetic::{SyntheticCohort, SyntheticPatient};
use super::volume::{Geometry, Mask, Volume, check_same_grid, same_grid};
use super::{dicom_seg_write, rtstruct_write};
use ndarray::{Array2, Array3, Axis};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where a cohort came from.
#[derive(Debug, Clone, PartialEq)]
pub enum CohortOrigin {
    Synthetic(SyntheticCohort),
    Folder(PathBuf),
    Case { image: PathBuf, mask: PathBuf },
}

/// One patient's images.
#[derive(Debug, Clone)]
pub enum PatientImages {
    /// Patient `index` of a synthetic cohort: only the recipe is kept, the patient is drawn again
    /// (microseconds) when its images are needed, so memory does not grow with the cohort.
    Synthetic {
        cohort: SyntheticCohort,
        index: usize,
    },
    Files(PatientFiles),
    InMemory {
        volume: Arc<Volume>,
        mask: Arc<Mask>,
    },
}

/// The files of one patient in the on-disk layout.
#[derive(Debug, Clone, PartialEq)]
pub struct PatientFiles {
    /// One file or folder per phase, in phase order; or one 4-D file / DICOM folder.
    pub series: Vec<PathBuf>,
    /// A label mask, or a DICOM RT structure set.
    pub roi: Option<PathBuf>,
    pub mask: Option<PathBuf>,
    /// Which part of the ROI and mask files to take.
    pub choice: OutlineChoice,
    /// The image grid (geometry; slices, rows, columns), known once the files were checked: an
    /// RT structure set is rasterised on it.
    pub grid: Option<(Geometry, [usize; 3])>,
}

/// Which part of an outline file to take: a label of a label mask (`label=`), a structure of an
/// RT structure set or a segment of a DICOM segmentation (`roi=`), and where a fractional
/// segment's mask begins (`threshold=`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OutlineChoice {
    pub label: Option<u8>,
    pub structure: Option<String>,
    pub threshold: Option<f64>,
    /// A label mask off the image's grid is brought onto it by nearest neighbour
    /// (`resample mask=image`), instead of being refused.
    pub onto_image: bool,
}

impl PatientFiles {
    /// The outline at `path` (the ROI or the mask): a label mask file, or the chosen structure of
    /// an RT structure set rasterised on the image grid.
    fn outline(&self, path: &Path) -> Result<Mask, ImageError> {
        // The image grid, read from the series only when it was not kept.
        let grid = || -> Result<(Geometry, [usize; 3]), ImageError> {
            match &self.grid {
                Some(grid) => Ok(*grid),
                None => {
                    let volume = read_series(&self.series)?;
                    Ok((volume.geometry, volume.shape()))
                }
            }
        };
        if outline_kind(path) == OutlineKind::LabelMask {
            let mask = read_mask(path)?;
            let mask = match self.choice.label {
                Some(label) => mask.select(label),
                None => mask,
            };
            if self.choice.onto_image {
                let (geometry, shape) = grid()?;
                if same_grid((shape, &geometry), (mask.shape(), &mask.geometry)).is_err() {
                    return crate::preprocess::align::onto_grid(&mask, (&geometry, shape))
                        .map_err(|m| ImageError::new(path, m));
                }
            }
            return Ok(mask);
        }
        let (geometry, shape) = grid()?;
        let choice = (self.choice.structure.as_deref(), self.choice.threshold);
        read_outline(path, choice, (&geometry, shape), None).map(|(mask, _)| mask)
    }
}

#[derive(Debug, Clone)]
pub struct CohortPatient {
    pub id: String,
    pub images: PatientImages,
}

/// What is said of one patient: why it was left out, or what reading its files passed over.
#[derive(Debug, Clone, PartialEq)]
pub struct PatientProblem {
    pub id: String,
    pub reason: String,
}

/// The images of a cohort, patient by patient, in the clinical table's row order.
#[derive(Debug, Clone)]
pub struct ImageCohort {
    pub origin: CohortOrigin,
    pub patients: Vec<CohortPatient>,
}

impl CohortPatient {
    /// The DCE series (all phases).
    pub fn volume(&self) -> Result<Volume, ImageError> {
        match &self.images {
            PatientImages::Synthetic { cohort, index } => Ok(cohort.patient(*index).volume()),
            PatientImages::InMemory { volume, .. } => Ok(Volume::clone(volume)),
            PatientImages::Files(files) => read_series(&files.series),
        }
    }

    /// The radiologist's ROI, when there is one.
    pub fn roi(&self) -> Result<Option<Mask>, ImageError> {
        match &self.images {
            PatientImages::Synthetic { cohort, index } => Ok(Some(cohort.patient(*index).roi())),
            PatientImages::InMemory { .. } => Ok(None),
            PatientImages::Files(files) => files
                .roi
                .as_deref()
                .map(|path| files.outline(path))
                .transpose(),
        }
    }

    /// A finished tumour mask given with the data (`masks/`, `load case`).
    pub fn given_mask(&self) -> Result<Option<Mask>, ImageError> {
        match &self.images {
            PatientImages::Synthetic { .. } => Ok(None),
            PatientImages::InMemory { mask, .. } => Ok(Some(Mask::clone(mask))),
            PatientImages::Files(files) => files
                .mask
                .as_deref()
                .map(|path| files.outline(path))
                .transpose(),
        }
    }

    /// One DCE phase (1-based; `None`: phase 2, or 1 for single-phase images) of the whole
    /// series, checked to lie on the grid of `on_grid_of` (the mask it will be used with), and
    /// bias-corrected when a correction applies to that phase.
    pub fn phase_image(
        &self,
        phase: Option<usize>,
        on_grid_of: &Mask,
        bias: Option<&BiasCorrection>,
    ) -> Result<Array3<f32>, String> {
        let (phase, raw) = self.raw_phase(phase, on_grid_of)?;
        Ok(match bias {
            Some(bias) => bias.correct_volume(&self.id, phase, raw),
            None => raw,
        })
    }

    /// The resolved phase number and that phase as read.
    fn raw_phase(
        &self,
        phase: Option<usize>,
        on_grid_of: &Mask,
    ) -> Result<(usize, Array3<f32>), String> {
        let (phase, volume) = self.checked_volume(phase, on_grid_of)?;
        Ok((phase, volume.voxels.index_axis_move(Axis(0), phase - 1)))
    }

    /// The whole series, checked to lie on `on_grid_of`'s grid, with the resolved phase number
    /// (`None`: phase 2, or 1 for single-phase images).
    pub fn checked_volume(
        &self,
        phase: Option<usize>,
        on_grid_of: &Mask,
    ) -> Result<(usize, Volume), String> {
        let volume = self.volume().map_err(|e| e.to_string())?;
        check_same_grid(&volume, on_grid_of)
            .map_err(|m| format!("the mask does not lie on the image: {m}"))?;
        let phase = phase.unwrap_or(if volume.phases() == 1 { 1 } else { 2 });
        if phase == 0 || phase > volume.phases() {
            return Err(format!(
                "the images have {} phase(s); there is no phase {phase}",
                volume.phases()
            ));
        }
        Ok((phase, volume))
    }

    /// One slice (0-based) of one phase, as [`phase_image`](Self::phase_image): a synthetic
    /// patient renders only that slice (its grid is the mask's by construction).
    pub fn phase_slice(
        &self,
        phase: Option<usize>,
        slice: usize,
        on_grid_of: &Mask,
        bias: Option<&BiasCorrection>,
    ) -> Result<Array2<f32>, String> {
        if let Some(synthetic) = self.synthetic() {
            let phases = synthetic.phantom.knobs.phases;
            let phase = phase.unwrap_or(2);
            if phase == 0 || phase > phases {
                return Err(format!(
                    "the images have {phases} phase(s); there is no phase {phase}"
                ));
            }
            let raw = synthetic.phase_slice(slice, phase);
            return Ok(match bias {
                Some(bias) => bias.correct_slice(&self.id, phase, slice, raw),
                None => raw,
            });
        }
        let (phase, volume) = self.raw_phase(phase, on_grid_of)?;
        let raw = volume.index_axis_move(Axis(0), slice);
        Ok(match bias {
            Some(bias) => bias.correct_slice(&self.id, phase, slice, raw),
            None => raw,
        })
    }

    /// The synthetic patient behind these images, if they are synthetic.
    pub fn synthetic(&self) -> Option<SyntheticPatient> {
        match &self.images {
            PatientImages::Synthetic { cohort, index } => Some(cohort.patient(*index)),
            _ => None,
        }
    }

    /// The true tumour, known only for synthetic patients (for quality checks).
    pub fn truth(&self) -> Option<Mask> {
        match &self.images {
            PatientImages::Synthetic { cohort, index } => Some(cohort.patient(*index).truth()),
            _ => None,
        }
    }
}

/// Reads a series given as one path (4-D file or DICOM folder) or one path per phase, checking
/// the phases share one grid.
pub fn read_series(paths: &[PathBuf]) -> Result<Volume, ImageError> {
    read_series_noting(paths).map(|read| read.volume)
}

/// Reads a series as [`read_series`] does, keeping what reading passed over and, for one DICOM
/// series, its identity (see [`read_image_noting`]).
pub fn read_series_noting(paths: &[PathBuf]) -> Result<ImageRead, ImageError> {
    let read = read_image_noting(&paths[0])?;
    if paths.len() == 1 {
        return Ok(read);
    }
    let (first, mut notes) = (read.volume, read.notes);
    let shape = first.shape();
    let mut voxels = ndarray::Array4::zeros((paths.len(), shape[0], shape[1], shape[2]));
    voxels
        .index_axis_mut(ndarray::Axis(0), 0)
        .assign(&first.phase(0));
    // Each phase's doubles, when its file holds them, and its stored type.
    let doubles_of = |v: &Volume| v.exact.as_ref().map(|_| v.phase_f64(0));
    let mut doubles = vec![doubles_of(&first)];
    let mut stored = vec![first.samples];
    for (p, path) in paths.iter().enumerate().skip(1) {
        let ImageRead {
            volume: phase,
            notes: mut said,
            ..
        } = read_image_noting(path)?;
        notes.append(&mut said);
        if phase.phases() != 1 {
            return Err(ImageError::new(
                path,
                format!("{} volumes in a per-phase file", phase.phases()),
            ));
        }
        same_grid(
            (first.shape(), &first.geometry),
            (phase.shape(), &phase.geometry),
        )
        .map_err(|m| {
            ImageError::new(path, format!("does not match {} ({m})", paths[0].display()))
        })?;
        voxels
            .index_axis_mut(ndarray::Axis(0), p)
            .assign(&phase.phase(0));
        doubles.push(doubles_of(&phase));
        stored.push(phase.samples);
    }
    // Doubles for every phase when any phase's file holds them.
    let exact = doubles.iter().any(Option::is_some).then(|| {
        let mut exact = voxels.mapv(f64::from);
        for (p, phase) in doubles.into_iter().enumerate() {
            if let Some(phase) = phase {
                exact.index_axis_mut(ndarray::Axis(0), p).assign(&phase);
            }
        }
        exact
    });
    let samples = if stored.iter().all(|s| *s == first.samples) {
        first.samples
    } else {
        SampleType::F64
    };
    Ok(ImageRead {
        volume: Volume::new(voxels, first.geometry)
            .stored_as(samples)
            .with_exact(exact),
        notes,
        identity: None,
    })
}

/// What `export cohort` writes beside the images.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportOptions {
    pub format: Format,
    /// One 4-D file instead of one file per phase (NIfTI and NRRD).
    pub four_d: bool,
    /// Also write the true tumour masks into `masks/` (synthetic cohorts).
    pub truth: bool,
    /// How the ROIs and masks are written.
    pub outlines: OutlineFormat,
}

/// How `export cohort` writes ROIs and masks.
#[derive(Debug, Clone, PartialEq)]
pub enum OutlineFormat {
    /// Label masks in the images' file format (NIfTI for DICOM images).
    LabelMask,
    /// DICOM RT structure sets drawn on the exported series (`format=dicom`).
    StructureSet,
    /// Binary DICOM segmentations of the exported series (`format=dicom`), with their content
    /// date and time (DICOM DA, TM).
    Segmentation { created: (String, String) },
}

/// Writes one patient's images, ROI and mask into the on-disk layout under `folder`; says which
/// outlines it wrote.
pub fn export_patient(
    folder: &Path,
    patient: &CohortPatient,
    options: &ExportOptions,
    seed: u64,
) -> Result<Written, ImageError> {
    let images = folder.join("images").join(&patient.id);
    let volume = patient.volume()?;
    if volume.geometry.planar {
        return Err(ImageError::new(
            &images,
            format!(
                "{} is a 2-D image (one slice, no slice thickness); `export cohort` writes 3-D volumes and would have to invent one",
                patient.id
            ),
        ));
    }
    std::fs::create_dir_all(&images).map_err(|e| ImageError::new(&images, e.to_string()))?;
    let extension = options.format.extension();
    match options.format {
        Format::Dicom => write_image(
            &images,
            Format::Dicom,
            volume.voxels.view(),
            &volume.geometry,
            &patient.id,
            seed,
        )?,
        _ if options.four_d => {
            let path = images.join(format!("dce{extension}"));
            write_image(
                &path,
                options.format,
                volume.voxels.view(),
                &volume.geometry,
                &patient.id,
                seed,
            )?
        }
        _ => {
            for p in 0..volume.phases() {
                let path = images.join(format!("phase_{}{extension}", p + 1));
                let one = volume.voxels.slice(ndarray::s![p..p + 1, .., .., ..]);
                write_image(
                    &path,
                    options.format,
                    one,
                    &volume.geometry,
                    &patient.id,
                    seed,
                )?;
            }
        }
    }
    let mask_extension = match (&options.outlines, options.format) {
        (OutlineFormat::LabelMask, Format::Nrrd) => ".nrrd",
        (OutlineFormat::LabelMask, _) => ".nii.gz",
        _ => ".dcm",
    };
    // The DICOM outlines name the slices of the phase the study outlines on (phase 2, or the
    // only one).
    let study = ExportedStudy::new(&patient.id, seed, volume.shape()[0]);
    let phase = 1.min(volume.phases() - 1);
    let write = |sub: &str, mask: Option<Mask>| -> Result<(), ImageError> {
        let Some(mask) = mask else {
            return Ok(());
        };
        let dir = folder.join(sub);
        std::fs::create_dir_all(&dir).map_err(|e| ImageError::new(&dir, e.to_string()))?;
        let path = dir.join(format!("{}{mask_extension}", patient.id));
        if options.outlines != OutlineFormat::LabelMask
            && let Err(mismatch) = check_same_grid(&volume, &mask)
        {
            return Err(ImageError::new(
                &path,
                format!(
                    "{}'s {} is not on its image's grid ({mismatch}); a DICOM outline is written on the exported series — bring it onto the image first with `resample mask=image` before loading",
                    patient.id,
                    if sub == "rois" { "ROI" } else { "mask" }
                ),
            ));
        }
        let role = if sub == "rois" { "ROI" } else { "Tumour" };
        let regions = regions_of(&mask, role);
        match &options.outlines {
            OutlineFormat::LabelMask => write_mask(&path, &mask),
            OutlineFormat::StructureSet => {
                rtstruct_write::write(&path, &mask, &regions, &study, phase)
            }
            OutlineFormat::Segmentation { created } => dicom_seg_write::write(
                &path,
                &mask,
                &regions,
                (&study, phase),
                (&created.0, &created.1),
            ),
        }
    };
    let roi = patient.roi()?;
    let mask = if options.truth {
        patient.truth()
    } else {
        patient.given_mask()?
    };
    let written = Written {
        roi: roi.is_some(),
        mask: mask.is_some(),
    };
    write("rois", roi)?;
    write("masks", mask)?;
    Ok(written)
}

/// Which outlines `export_patient` wrote beside a patient's images.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    /// An ROI in `rois/`.
    pub roi: bool,
    /// A mask in `masks/`.
    pub mask: bool,
}
