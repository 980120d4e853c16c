//! One door for image files: the format is chosen by the path (a folder is a DICOM series;
//! `.nii`, `.nii.gz`, `.nrrd`), and what comes in is checked the same way whatever the format —
//! finite voxels for images, whole labels for masks.

use super::samples::ImageError;
use super::volume::{Geometry, Mask, Volume};
use super::{dicom, dicom_export, nifti, nrrd};
use ndarray::{ArrayView4, Axis};
use std::path::Path;

/// The file formats radnomo reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Nifti,
    Nrrd,
    Dicom,
}

impl Format {
    /// The format a path names, by its extension, or a folder for DICOM.
    pub fn of(path: &Path) -> Option<Format> {
        let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
        if name.ends_with(".nii") || name.ends_with(".nii.gz") {
            Some(Format::Nifti)
        } else if name.ends_with(".nrrd") || name.ends_with(".nhdr") {
            Some(Format::Nrrd)
        } else if path.is_dir() {
            Some(Format::Dicom)
        } else {
            None
        }
    }

    /// The file extension written for this format (DICOM is a folder).
    pub fn extension(self) -> &'static str {
        match self {
            Format::Nifti => ".nii.gz",
            Format::Nrrd => ".nrrd",
            Format::Dicom => "",
        }
    }
}

/// Reads an image of any supported format; refuses NaN or infinite voxels, naming the first.
pub fn read_image(path: &Path) -> Result<Volume, ImageError> {
    read_image_noting(path).map(|read| read.volume)
}

/// An image as read, with what reading passed over — for a DICOM folder, the files that are not
/// slices of its series (reports, presentation states, stray files), one sentence naming the
/// folder — and, for a DICOM series, what DICOM outlines drawn on it refer to.
pub struct ImageRead {
    pub volume: Volume,
    pub notes: Vec<String>,
    pub identity: Option<dicom::SeriesIdentity>,
}

/// Reads an image as [`read_image`] does, keeping what [`ImageRead`] holds besides.
pub fn read_image_noting(path: &Path) -> Result<ImageRead, ImageError> {
    let mut notes = Vec::new();
    let mut identity = None;
    let (voxels, geometry, samples, exact) = match Format::of(path) {
        Some(Format::Nifti) => {
            nifti::read(path).map(|i| (i.voxels, i.geometry, i.samples, i.exact))?
        }
        Some(Format::Nrrd) => {
            nrrd::read(path).map(|i| (i.voxels, i.geometry, i.samples, i.exact))?
        }
        Some(Format::Dicom) => {
            let series = dicom::read_series(path)?;
            if !series.skipped.is_empty() {
                notes.push(format!(
                    "{}: {}",
                    path.display(),
                    dicom::describe_skipped(&series.skipped)
                ));
            }
            identity = Some(series.identity);
            (series.voxels, series.geometry, series.samples, series.exact)
        }
        None if !path.exists() => return Err(ImageError::new(path, "no such file")),
        None => {
            return Err(ImageError::new(
                path,
                "not an image radnomo reads (.nii, .nii.gz, .nrrd, or a folder of DICOM slices)",
            ));
        }
    };
    check_geometry(path, &geometry)?;
    let volume = Volume::new(voxels, geometry)
        .stored_as(samples)
        .with_exact(exact);
    if let Some([p, k, j, i]) = volume.first_non_finite() {
        let value = volume.voxels[[p, k, j, i]];
        let phase = if volume.phases() > 1 {
            format!(", phase {}", p + 1)
        } else {
            String::new()
        };
        return Err(ImageError::new(
            path,
            format!(
                "voxel (column {i}, row {j}, slice {k}{phase}) is {value}; images must be finite"
            ),
        ));
    }
    Ok(ImageRead {
        volume,
        notes,
        identity,
    })
}

fn check_geometry(path: &Path, geometry: &Geometry) -> Result<(), ImageError> {
    if geometry.spacing.iter().any(|s| !s.is_finite() || *s <= 0.0) {
        return Err(ImageError::new(
            path,
            format!("voxel spacing {:?} is not positive", geometry.spacing),
        ));
    }
    Ok(())
}

/// Reads a label mask: one phase, whole labels from 0 to 255.
pub fn read_mask(path: &Path) -> Result<Mask, ImageError> {
    let volume = read_image(path)?;
    if volume.phases() != 1 {
        return Err(ImageError::new(
            path,
            format!(
                "a mask must be one 3-D volume; this file has {} volumes",
                volume.phases()
            ),
        ));
    }
    if let Some(((k, j, i), v)) = volume
        .phase(0)
        .indexed_iter()
        .find(|(_, v)| v.fract() != 0.0 || **v < 0.0 || **v > 255.0)
    {
        return Err(ImageError::new(
            path,
            format!(
                "mask value {v} at (column {i}, row {j}, slice {k}) is not a label from 0 to 255"
            ),
        ));
    }
    let labels = volume.voxels.index_axis(Axis(0), 0).mapv(|v| v as u8);
    Ok(Mask::new(labels, volume.geometry))
}

/// What an outline file is: a label mask (NIfTI, NRRD), or a DICOM RT structure set or
/// segmentation, told by the storage class its meta group names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutlineKind {
    LabelMask,
    StructureSet,
    Segmentation,
}

/// The kind of the outline file at `path`.
pub fn outline_kind(path: &Path) -> OutlineKind {
    if !path.is_file() {
        return OutlineKind::LabelMask;
    }
    match super::dicom_guard::storage_class(path).as_deref() {
        Some(super::rtstruct::RT_STRUCTURE_SET) => OutlineKind::StructureSet,
        Some(super::dicom_seg::SEGMENTATION) => OutlineKind::Segmentation,
        _ => OutlineKind::LabelMask,
    }
}

/// The outline at `path` on an image grid (`geometry`, `shape` = slices × rows × columns): a
/// label mask file (checked as [`read_mask`] checks it); a DICOM RT structure set, whose
/// structure `structure` is rasterised on the grid; or a DICOM segmentation, whose segment
/// `structure` (number or label) is read on it (a fractional one from `threshold` up). The DICOM
/// objects are checked against the image's series when it is one (`identity`). Returns the mask
/// and what was said of it.
pub fn read_outline(
    path: &Path,
    (structure, threshold): (Option<&str>, Option<f64>),
    (geometry, shape): (&Geometry, [usize; 3]),
    identity: Option<&dicom::SeriesIdentity>,
) -> Result<(Mask, Vec<String>), ImageError> {
    let kind = outline_kind(path);
    if path.is_dir() && (structure.is_some() || threshold.is_some()) {
        return Err(ImageError::new(
            path,
            "a folder; give the RT structure set or DICOM segmentation file itself",
        ));
    }
    if kind == OutlineKind::LabelMask {
        if let Some(name) = structure {
            return Err(ImageError::new(
                path,
                format!(
                    "`roi={name}` names a structure of an RT structure set or a segment of a DICOM segmentation, and this is a label mask (use `label=`)"
                ),
            ));
        }
        if threshold.is_some() {
            return Err(ImageError::new(
                path,
                "`threshold=` is for fractional DICOM segmentations; this is a label mask",
            ));
        }
        return read_mask(path).map(|mask| (mask, Vec::new()));
    }
    if kind == OutlineKind::Segmentation {
        return super::dicom_seg::read_mask(path, structure, threshold, geometry, shape, identity)
            .map(|mask| (mask, Vec::new()));
    }
    if threshold.is_some() {
        return Err(ImageError::new(
            path,
            "`threshold=` is for fractional DICOM segmentations; this is an RT structure set",
        ));
    }
    super::rtstruct::read_mask(path, structure, geometry, shape, identity)
}

/// Writes `voxels` in `format` at `path` (a folder for DICOM).
pub fn write_image(
    path: &Path,
    format: Format,
    voxels: ArrayView4<'_, f32>,
    geometry: &Geometry,
    patient_id: &str,
    seed: u64,
) -> Result<(), ImageError> {
    match format {
        Format::Nifti => nifti::write(path, voxels, geometry, false),
        Format::Nrrd => nrrd::write(path, voxels, geometry, false),
        Format::Dicom => dicom_export::write_series(path, voxels, geometry, patient_id, seed),
    }
}

/// Writes a mask as NIfTI (`.nii.gz`) or NRRD, by the path's extension.
pub fn write_mask(path: &Path, mask: &Mask) -> Result<(), ImageError> {
    let voxels = mask.labels.mapv(f32::from).insert_axis(Axis(0));
    match Format::of(path) {
        Some(Format::Nrrd) => nrrd::write(path, voxels.view(), &mask.geometry, true),
        _ => nifti::write(path, voxels.view(), &mask.geometry, true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array4;

    #[test]
    fn nan_voxels_and_fractional_labels_are_named() {
        let dir = std::env::temp_dir().join(format!("radnomo-io-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let geometry = Geometry::new([1.0, 1.0, 2.0], [0.0; 3]);
        let mut voxels = Array4::<f32>::zeros((1, 2, 3, 4));
        voxels[[0, 1, 2, 3]] = f32::NAN;
        let path = dir.join("nan.nii.gz");
        nifti::write(&path, voxels.view(), &geometry, false).unwrap();
        let error = read_image(&path).unwrap_err();
        assert_eq!(
            error.message,
            "voxel (column 3, row 2, slice 1) is NaN; images must be finite"
        );
        voxels[[0, 1, 2, 3]] = 0.5;
        let path = dir.join("half.nrrd");
        nrrd::write(&path, voxels.view(), &geometry, false).unwrap();
        let error = read_mask(&path).unwrap_err();
        assert!(
            error
                .message
                .starts_with("mask value 0.5 at (column 3, row 2, slice 1)"),
            "{}",
            error.message
        );
        assert_eq!(
            read_image(&dir.join("absent.nii")).unwrap_err().message,
            "no such file"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
