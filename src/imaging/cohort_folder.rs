//! Reading a cohort folder in the on-disk layout (`cohort.rs` documents it): finding each
//! patient's series, ROI and mask files, checking every file once (values, grids, labels, the
//! series a DICOM outline was drawn on), and listing what belongs to no patient. Patients are
//! checked in parallel; one with a problem is left out with the reason.

use super::cohort::{
    CohortPatient, OutlineChoice, PatientFiles, PatientImages, PatientProblem, read_series_noting,
};
use super::io::{Format, OutlineKind, outline_kind, read_mask, read_outline};
use super::volume::{Geometry, check_same_grid};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// The file endings an ROI or mask in `rois/` or `masks/` may have: `<id>.nii.gz` and so on;
/// `<id>.dcm` is an RT structure set (as is the one in a folder `<id>/`).
const MASK_EXTENSIONS: [&str; 4] = [".nii.gz", ".nii", ".nrrd", ".dcm"];

/// The ROI or mask file of patient `id` in `folder` (`rois/` or `masks/`): `<id>.nii.gz`, …,
/// `<id>.dcm`, or the one RT structure set in a folder `<id>/`.
fn outline_file(folder: &Path, id: &str) -> Result<Option<PathBuf>, String> {
    if let Some(file) = MASK_EXTENSIONS
        .iter()
        .map(|ext| folder.join(format!("{id}{ext}")))
        .find(|p| p.is_file())
    {
        return Ok(Some(file));
    }
    let inside = folder.join(id);
    if !inside.is_dir() {
        return Ok(None);
    }
    let mut sets: Vec<PathBuf> = std::fs::read_dir(&inside)
        .map_err(|e| format!("{}: {e}", inside.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| outline_kind(p) != OutlineKind::LabelMask)
        .collect();
    sets.sort();
    match sets.len() {
        0 => Err(format!(
            "{} holds no RT structure set or DICOM segmentation",
            inside.display()
        )),
        1 => Ok(sets.pop()),
        n => Err(format!(
            "{} holds {n} RT structure sets or segmentations; radnomo will not choose between them — keep one",
            inside.display()
        )),
    }
}

/// Finds the image, ROI and mask files of patient `id` under `folder`.
pub fn locate(folder: &Path, id: &str, choice: &OutlineChoice) -> Result<PatientFiles, String> {
    let images = folder.join("images").join(id);
    if !images.is_dir() {
        return Err(format!("no images folder {}", images.display()));
    }
    let mut per_phase: Vec<(usize, PathBuf)> = Vec::new();
    let mut others: Vec<PathBuf> = Vec::new();
    for entry in std::fs::read_dir(&images).map_err(|e| format!("{}: {e}", images.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_ascii_lowercase();
        if Format::of(&path).is_some_and(|f| f != Format::Dicom) {
            let stem = name
                .trim_end_matches(".gz")
                .trim_end_matches(".nii")
                .trim_end_matches(".nrrd")
                .trim_end_matches(".nhdr");
            match stem
                .strip_prefix("phase_")
                .or_else(|| stem.strip_prefix("phase"))
                .and_then(|n| n.parse().ok())
            {
                Some(n) => per_phase.push((n, path)),
                None => others.push(path),
            }
        }
    }
    if !per_phase.is_empty() && !others.is_empty() {
        let name = |p: &PathBuf| {
            p.file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .to_string()
        };
        return Err(format!(
            "{} holds both phase files ({} …) and {}; radnomo will not choose between them — \
             remove the ones that are not this patient's images",
            images.display(),
            name(&per_phase[0].1),
            others.iter().map(name).collect::<Vec<_>>().join(", ")
        ));
    }
    let series = if !per_phase.is_empty() {
        per_phase.sort();
        let numbers: Vec<usize> = per_phase.iter().map(|(n, _)| *n).collect();
        let expected: Vec<usize> = (1..=numbers.len()).collect();
        if numbers != expected {
            let missing: Vec<String> = (1..=*numbers.last().unwrap_or(&1))
                .filter(|n| !numbers.contains(n))
                .map(|n| format!("phase_{n}"))
                .collect();
            return Err(format!(
                "{} missing or numbered twice in {}",
                if missing.is_empty() {
                    "a phase is".to_string()
                } else {
                    missing.join(", ")
                },
                images.display()
            ));
        }
        per_phase.into_iter().map(|(_, p)| p).collect()
    } else if others.len() == 1 {
        others
    } else if others.len() > 1 {
        return Err(format!(
            "{} image files in {} and none named phase_N; expected phase_1 … phase_9 or one 4-D file",
            others.len(),
            images.display()
        ));
    } else {
        // A DICOM series in the folder itself.
        vec![images.clone()]
    };
    Ok(PatientFiles {
        series,
        roi: outline_file(&folder.join("rois"), id)?,
        mask: outline_file(&folder.join("masks"), id)?,
        choice: choice.clone(),
        grid: None,
    })
}

/// Reads every file of one patient once, checking values and that ROI and mask lie on the image's
/// grid (an RT structure set: that it was drawn on the image, and that its structure covers
/// voxels); the number of phases, what reading passed over and the image grid, or the reason when
/// something is wrong.
pub fn validate(files: &PatientFiles) -> Result<Validated, String> {
    let read = read_series_noting(&files.series).map_err(|e| e.to_string())?;
    let (volume, mut notes) = (read.volume, read.notes);
    for (what, path) in [("ROI", &files.roi), ("mask", &files.mask)] {
        let Some(path) = path else { continue };
        if outline_kind(path) != OutlineKind::LabelMask {
            let choice = (files.choice.structure.as_deref(), files.choice.threshold);
            let grid = (&volume.geometry, volume.shape());
            let (_, said) = read_outline(path, choice, grid, read.identity.as_ref())
                .map_err(|e| e.to_string())?;
            notes.extend(said);
            continue;
        }
        let mask = read_mask(path).map_err(|e| e.to_string())?;
        let labels = mask.labels_present();
        let listed = || {
            labels
                .iter()
                .map(u8::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        };
        match files.choice.label {
            Some(label) if !labels.contains(&label) => {
                return Err(format!(
                    "the {what} {} has no label {label}; it has {}",
                    path.display(),
                    if labels.is_empty() {
                        "none".to_string()
                    } else {
                        listed()
                    }
                ));
            }
            None if labels.len() > 1 => {
                return Err(format!(
                    "the {what} {} holds the labels {}; choose one with `label=` (radnomo does not merge them)",
                    path.display(),
                    listed()
                ));
            }
            _ => {}
        }
        if let Err(m) = check_same_grid(&volume, &mask) {
            if !files.choice.onto_image {
                return Err(format!(
                    "the {what} {} does not lie on the image {}: {m}; `resample mask=image` before `load cohort` brings masks onto their images' grids by nearest neighbour (as PyRadiomics's correctMask)",
                    path.display(),
                    files.series[0].display()
                ));
            }
            // Checked here; brought onto the grid when the mask is read for use.
            crate::preprocess::align::check_within(&mask, (&volume.geometry, volume.shape()))
                .map_err(|why| format!("the {what} {}: {why}", path.display()))?;
            notes.push(format!(
                "the {what} {} was brought onto the image's grid by nearest neighbour ({m})",
                path.display()
            ));
        }
    }
    Ok(Validated {
        phases: volume.phases(),
        notes,
        grid: (volume.geometry, volume.shape()),
    })
}

/// What checking one patient's files found.
pub struct Validated {
    pub phases: usize,
    pub notes: Vec<String>,
    pub grid: (Geometry, [usize; 3]),
}

/// What reading a cohort folder found: the patients read, those left out with the reason, and
/// files passed over while reading (e.g. a structured report in a DICOM folder), by patient.
#[derive(Debug, Default)]
pub struct FolderScan {
    pub patients: Vec<CohortPatient>,
    pub left_out: Vec<PatientProblem>,
    pub passed_over: Vec<PatientProblem>,
}

/// Finds and checks every patient of `ids` under `folder`, in parallel; `progress` is called
/// once per patient done. Patients with problems are returned apart, each with its reason.
/// `outline` says which part of the ROI and mask files to take.
pub fn scan_folder(
    folder: &Path,
    ids: &[String],
    outline: &OutlineChoice,
    progress: &(dyn Fn() + Sync),
) -> FolderScan {
    type Read = (CohortPatient, usize, Vec<String>);
    let results: Vec<Result<Read, PatientProblem>> = ids
        .par_iter()
        .map(|id| {
            let outcome = locate(folder, id, outline)
                .and_then(|files| validate(&files).map(|checked| (files, checked)))
                .map(|(mut files, checked)| {
                    files.grid = Some(checked.grid);
                    let patient = CohortPatient {
                        id: id.clone(),
                        images: PatientImages::Files(files),
                    };
                    (patient, checked.phases, checked.notes)
                })
                .map_err(|reason| PatientProblem {
                    id: id.clone(),
                    reason,
                });
            progress();
            outcome
        })
        .collect();
    // Patients of one cohort share the number of phases: the one most of them have (the larger
    // on a tie); a patient with another number is left out, never analysed on other phases.
    let mut counts: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
    for (_, phases, _) in results.iter().flatten() {
        *counts.entry(*phases).or_default() += 1;
    }
    let usual = counts
        .iter()
        .max_by_key(|&(phases, n)| (*n, *phases))
        .map(|(phases, n)| (*phases, *n));
    let mut scan = FolderScan::default();
    for result in results {
        if let Ok((patient, _, notes)) = &result {
            scan.passed_over
                .extend(notes.iter().map(|reason| PatientProblem {
                    id: patient.id.clone(),
                    reason: reason.clone(),
                }));
        }
        match (result, usual) {
            (Ok((patient, phases, _)), Some((usual, others))) if phases != usual => {
                scan.left_out.push(PatientProblem {
                    reason: format!(
                        "{phases} phase(s), where the cohort's other {others} patients have {usual}{}",
                        if phases < usual {
                            format!(" (phase_{usual} or another is missing?)")
                        } else {
                            String::new()
                        }
                    ),
                    id: patient.id,
                })
            }
            (Ok((patient, _, _)), _) => scan.patients.push(patient),
            (Err(problem), _) => scan.left_out.push(problem),
        }
    }
    scan
}

/// Files in `folder/rois` and `folder/masks` that belong to no patient of `ids` (radnomo's own
/// record of what it wrote left out).
pub fn unlisted_masks(folder: &Path, ids: &[String]) -> Vec<String> {
    let mut extra = Vec::new();
    for sub in ["rois", "masks"] {
        for entry in std::fs::read_dir(folder.join(sub))
            .into_iter()
            .flatten()
            .flatten()
        {
            let name = entry.file_name().to_string_lossy().to_string();
            let patient = MASK_EXTENSIONS
                .iter()
                .find_map(|ext| name.strip_suffix(ext))
                .or_else(|| entry.path().is_dir().then_some(name.as_str()))
                .filter(|stem| ids.iter().any(|id| id == stem));
            if !name.starts_with('.') && patient.is_none() {
                extra.push(format!("{sub}/{name}"));
            }
        }
    }
    extra.sort();
    extra
}

/// Image folders under `folder/images` with no row in the clinical table.
pub fn unlisted_image_folders(folder: &Path, ids: &[String]) -> Vec<String> {
    let mut extra: Vec<String> = std::fs::read_dir(folder.join("images"))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|name| !ids.contains(name))
        .collect();
    extra.sort();
    extra
}
