//! Cohorts with images: `load cohort` (the built-in synthetic cohort, or a folder in the on-disk
//! layout); `cohort_export.rs` writes that layout, `case.rs` loads one image and its mask.

use super::data::{DECIMAL, EVENT, NA, SEP, csv_options, loaded_summary, set_roles};
use crate::data::{Column, Dataset, read_csv_with};
use crate::error::{Error, ErrorKind};
use crate::imaging::ImageError;
use crate::imaging::cohort::{
    CohortOrigin, CohortPatient, ImageCohort, OutlineChoice, PatientImages, PatientProblem,
    scan_folder, unlisted_image_folders, unlisted_masks,
};
use crate::imaging::synthetic::{BINARY_FACTORS, ClinicalRecord, Knobs, SyntheticCohort};
use crate::output::{Cell, Output, Table, Text};
use crate::session::args::Arguments;
use crate::session::context::Context;
use crate::session::spec::{ArgKind, ArgSpec, CommandSpec, Group};
use rayon::prelude::*;
use std::path::Path;
use std::sync::Arc;

pub const LOAD_COHORT: CommandSpec = CommandSpec {
    name: "load cohort",
    summary: "load the built-in synthetic DCE-MRI cohort, or a cohort folder from disk",
    help: "With no path: the built-in synthetic cohort — 432 breast-cancer patients (296 training \
with 106 ALN-positive, 136 validation with 54), seed 2021, each with a 9-phase DCE-MRI, a \
radiologist's loose ROI around the tumour and the clinical factors of the study's Table 1. Patients \
are drawn from the seed and their index alone, so the cohort is the same on every machine and \
patient P0017 is the same for n=50 and n=10000; images are rendered only when a step needs them. \
Knobs: `n`, `seed`, `full=yes` (the whole 512 × 512 field of view instead of a 160 × 160 crop \
around the tumour), `noise` (sd of the Rician noise, scanner units), `bias` (largest log \
amplitude of the bias field: 0.2 is about ±20 %).\n\nWith a path: a folder holding `clinical.csv` \
(with `id` and the outcome; a `cohort` column gives the split), `images/<id>/` (phase_1 … phase_9 \
as .nii.gz/.nii/.nrrd, one 4-D file, or a DICOM series), and optionally `rois/<id>.nii.gz` and \
`masks/<id>.nii.gz` — or DICOM RT structure sets or segmentations, `rois/<id>.dcm` or one in a \
folder `rois/<id>/`, whose structure or segment `roi=NAME` (needed when there are several) is put \
on the image's grid as `load case` does (a fractional segmentation from `threshold=` up). A label \
mask holding several labels needs `label=N` (as PyRadiomics's `label`): radnomo does not merge \
them, and a patient whose mask lacks the label is left out and named. `clinical.csv` is read as `load table` reads a table (`sep`, `decimal`, `na`), \
and an outcome coded other than 0/1 or TRUE/FALSE needs `event=`. Every patient's files are read and checked once; patients whose files are \
missing or damaged are listed with the reason and left out, the rest load.",
    examples: &[
        "load cohort",
        "load cohort n=100 seed=7",
        "load cohort my_study/ outcome=aln split=cohort",
    ],
    arguments: &[
        ArgSpec::positional(
            "path",
            ArgKind::Path,
            "a cohort folder (none: the built-in cohort)",
        ),
        ArgSpec::keyword(
            "n",
            ArgKind::WholeNumber {
                min: 1,
                max: 1_000_000,
            },
            "patients in the built-in cohort",
        )
        .default("432"),
        ArgSpec::keyword(
            "seed",
            ArgKind::WholeNumber {
                min: 0,
                max: i64::MAX,
            },
            "the built-in cohort's seed",
        )
        .default("2021"),
        ArgSpec::keyword("full", ArgKind::Boolean, "whole 512 × 512 field of view").default("no"),
        ArgSpec::keyword(
            "noise",
            ArgKind::Number {
                min: 0.0,
                max: 200.0,
            },
            "Rician noise sd (built-in cohort)",
        )
        .default("8"),
        ArgSpec::keyword(
            "bias",
            ArgKind::Number { min: 0.0, max: 1.0 },
            "bias-field log amplitude (built-in cohort)",
        )
        .default("0.2"),
        ArgSpec::keyword(
            "outcome",
            ArgKind::Column,
            "the outcome column of clinical.csv",
        )
        .default("aln"),
        EVENT,
        ArgSpec::keyword(
            "split",
            ArgKind::Column,
            "the column of clinical.csv giving the cohort",
        ),
        ArgSpec::keyword(
            "label",
            ArgKind::WholeNumber { min: 1, max: 255 },
            "the label to take from label masks in rois/ and masks/",
        ),
        ArgSpec::keyword(
            "roi",
            ArgKind::Name,
            "the structure (RT structure sets) or segment (DICOM segmentations) in rois/ or masks/",
        ),
        ArgSpec::keyword(
            "threshold",
            ArgKind::Number { min: 0.0, max: 1.0 },
            "where fractional segmentations' masks begin",
        ),
        SEP,
        DECIMAL,
        NA,
    ],
    group: Group::Data,
    replayable: true,
    run: load_cohort,
};

/// An image-file problem as the session's error: the file and what is wrong.
pub fn image_error(error: ImageError) -> Error {
    Error::new(ErrorKind::Input {
        location: error.path.display().to_string(),
        message: error.message,
    })
}

fn load_cohort(context: &mut Context<'_>, arguments: &Arguments) -> Result<Output, Error> {
    match arguments.text("path") {
        Some(path) => {
            refuse_given(
                context,
                arguments,
                &["n", "seed", "full", "noise", "bias"],
                |knob| format!("`{knob}` applies to the built-in cohort, not to a folder"),
            )?;
            load_folder(context, arguments, Path::new(path))
        }
        None => {
            let folder_only = [
                "outcome",
                "event",
                "split",
                "sep",
                "decimal",
                "na",
                "roi",
                "threshold",
                "label",
            ];
            refuse_given(context, arguments, &folder_only, |knob| {
                format!(
                    "`{knob}` applies to a cohort folder, not to the built-in cohort (whose outcome is `aln`, event 1)"
                )
            })?;
            load_synthetic(context, arguments)
        }
    }
}

/// Refuses the first of `knobs` that was given, with `message(knob)` under it.
fn refuse_given(
    context: &Context<'_>,
    arguments: &Arguments,
    knobs: &[&str],
    message: impl Fn(&str) -> String,
) -> Result<(), Error> {
    match knobs.iter().find(|knob| arguments.given(knob)) {
        Some(knob) => Err(Error::at(
            ErrorKind::Invalid {
                message: message(knob),
            },
            arguments.span(knob).unwrap_or(context.span),
        )),
        None => Ok(()),
    }
}

fn load_synthetic(context: &mut Context<'_>, arguments: &Arguments) -> Result<Output, Error> {
    let cohort = SyntheticCohort {
        size: arguments.integer("n").unwrap_or(432) as usize,
        seed: arguments.integer("seed").unwrap_or(2021) as u64,
        knobs: Knobs {
            full: arguments.boolean("full").unwrap_or(false),
            noise_sd: arguments.number("noise").unwrap_or(8.0),
            bias: arguments.number("bias").unwrap_or(0.2),
            ..Knobs::default()
        },
    };
    // Keep only what the table needs; images are drawn again from (seed, index) when needed.
    let records: Vec<(ClinicalRecord, usize)> = (0..cohort.size)
        .into_par_iter()
        .map(|i| {
            let patient = cohort.patient(i);
            let slices = patient.shape()[0];
            (patient.clinical, slices)
        })
        .collect();
    let mut data = synthetic_table(&cohort, &records);
    set_roles(
        &mut data,
        ("aln", context.span),
        None,
        Some(("id", None)),
        Some(("cohort", context.span)),
        context.span,
    )?;
    let slices: Vec<usize> = records.iter().map(|(_, slices)| *slices).collect();
    let [_, rows, columns] = cohort.patient(0).shape();
    let mut output = loaded_summary(
        &data,
        &format!(
            "loaded the built-in synthetic cohort: {} patients, seed {}",
            cohort.size, cohort.seed
        ),
    )?;
    output.push(Text::info(format!(
        "images: {} phases of {columns} × {rows} pixels ({:.3} mm) by {}–{} slices ({} mm); rendered when a step needs them",
        cohort.knobs.phases,
        cohort.knobs.pixel_mm,
        slices.iter().min().unwrap_or(&0),
        slices.iter().max().unwrap_or(&0),
        cohort.knobs.slice_mm
    )));
    output.method(super::methods::synthetic_cohort(&data, cohort.seed));
    let images = ImageCohort {
        origin: CohortOrigin::Synthetic(cohort),
        patients: (0..cohort.size)
            .map(|index| CohortPatient {
                id: SyntheticCohort::id(index),
                images: PatientImages::Synthetic { cohort, index },
            })
            .collect(),
    };
    context.state.data = Some(data);
    context.state.extraction = None;
    context.state.segmentation = None;
    context.state.images = Some(Arc::new(images));
    Ok(output)
}

/// The clinical table of synthetic patients, in the column order of `clinical.csv`.
fn synthetic_table(cohort: &SyntheticCohort, records: &[(ClinicalRecord, usize)]) -> Dataset {
    let text = |f: &dyn Fn(&ClinicalRecord) -> &str| -> Vec<Option<String>> {
        records
            .iter()
            .map(|(r, _)| Some(f(r).to_string()))
            .collect()
    };
    let number = |f: &dyn Fn(&ClinicalRecord) -> f64| -> Vec<Option<f64>> {
        records.iter().map(|(r, _)| Some(f(r))).collect()
    };
    let ids: Vec<Option<String>> = (0..records.len())
        .map(|i| Some(SyntheticCohort::id(i)))
        .collect();
    let mut columns = vec![
        Column::categorical("id", &ids),
        Column::categorical(
            "cohort",
            &text(&|r| if r.training { "train" } else { "valid" }),
        ),
        Column::numeric("aln", number(&|r| f64::from(u8::from(r.aln)))),
        Column::numeric("age", number(&|r| r.age)),
        Column::numeric("size_mm", number(&|r| r.size_mm)),
        Column::numeric("grade", number(&|r| f64::from(r.grade))),
    ];
    for (i, (name, yes, no)) in BINARY_FACTORS.iter().enumerate() {
        columns.push(Column::categorical(
            *name,
            &text(&|r| if r.binary[i] { yes } else { no }),
        ));
    }
    Dataset::new(
        format!("the synthetic cohort (seed {})", cohort.seed),
        columns,
    )
}

fn load_folder(
    context: &mut Context<'_>,
    arguments: &Arguments,
    folder: &Path,
) -> Result<Output, Error> {
    let path_span = arguments.span("path").unwrap_or(context.span);
    if !folder.is_dir() {
        return Err(Error::at(
            ErrorKind::Io {
                path: folder.display().to_string(),
                message: "no such folder".into(),
            },
            path_span,
        ));
    }
    let clinical = folder.join("clinical.csv");
    let table = read_csv_with(&clinical, &csv_options(arguments)).map_err(|e| {
        Error::new(ErrorKind::Input {
            location: e.location,
            message: e.message,
        })
        .or_at(path_span)
    })?;
    // A damaged cell leaves its patient out, named with the file, line, column and value.
    let damaged_rows: Vec<(usize, String)> = table
        .bad_cells
        .iter()
        .map(|bad| {
            (
                bad.row,
                format!("{}, {}", clinical.display(), bad.describe()),
            )
        })
        .collect();
    let mut data = table.data;
    let outcome = arguments.text("outcome").unwrap_or("aln");
    let split = match arguments.text("split") {
        Some(split) => Some((split, arguments.span("split").unwrap_or(context.span))),
        None => data.column("cohort").map(|_| ("cohort", context.span)),
    };
    let event = arguments
        .text("event")
        .map(|event| (event, arguments.span("event").unwrap_or(context.span)));
    set_roles(
        &mut data,
        (outcome, arguments.span("outcome").unwrap_or(path_span)),
        event,
        None,
        split,
        context.span,
    )?;
    let Some(id_column) = data.id.clone() else {
        return Err(Error::new(ErrorKind::Input {
            location: clinical.display().to_string(),
            message: "there is no `id` column naming each patient's images/<id>/ folder".into(),
        }));
    };
    let ids: Vec<String> = (0..data.row_count())
        .map(|row| {
            data.column(&id_column)
                .and_then(|c| c.text(row))
                .unwrap_or_default()
        })
        .collect();
    let mut damaged: Vec<PatientProblem> = Vec::new();
    for (row, reason) in &damaged_rows {
        if !damaged.iter().any(|p| p.id == ids[*row]) {
            damaged.push(PatientProblem {
                id: ids[*row].clone(),
                reason: reason.clone(),
            });
        }
    }
    let readable: Vec<String> = ids
        .iter()
        .filter(|id| !damaged.iter().any(|p| p.id == **id))
        .cloned()
        .collect();
    context
        .progress
        .start("reading images", readable.len() as u64);
    let progress = context.progress;
    let outline = OutlineChoice {
        label: arguments.integer("label").map(|l| l as u8),
        structure: arguments.text("roi").map(str::to_string),
        threshold: arguments.number("threshold"),
        onto_image: context.state.preprocessing.masks_onto_images,
    };
    let scan = scan_folder(folder, &readable, &outline, &|| progress.advance());
    let (patients, mut problems) = (scan.patients, scan.left_out);
    damaged.append(&mut problems);
    let problems = damaged;
    context.progress.finish();
    context.check_cancelled()?;
    if patients.is_empty() {
        let first = problems
            .first()
            .map(|p| format!("{}: {}", p.id, p.reason))
            .unwrap_or_default();
        return Err(Error::new(ErrorKind::Input {
            location: folder.display().to_string(),
            message: format!("no patient's images could be read (first: {first})"),
        }));
    }
    let kept: Vec<usize> = (0..ids.len())
        .filter(|&row| patients.iter().any(|p| p.id == ids[row]))
        .collect();
    let data = data.keep_rows(&kept);
    let mut output = loaded_summary(
        &data,
        &format!(
            "loaded {} of {} patients from {}",
            patients.len(),
            ids.len(),
            folder.display()
        ),
    )?;
    output.method(super::methods::cohort_folder(
        &data,
        &folder.display().to_string(),
    ));
    if !problems.is_empty() {
        let mut table = Table::new("left-out", format!("{} patients left out", problems.len()))
            .with_columns(["patient", "reason"]);
        for problem in &problems {
            table.add_row(vec![Cell::text(&problem.id), Cell::text(&problem.reason)]);
        }
        output.push(Text::warning(format!(
            "{} patients were left out because their images could not be used; see the table",
            problems.len()
        )));
        output.push(table);
    }
    if !scan.passed_over.is_empty() {
        let mut table = Table::new(
            "passed-over",
            "files in image folders that are not image slices, left out",
        )
        .with_columns(["patient", "left out"]);
        for note in &scan.passed_over {
            table.add_row(vec![Cell::text(&note.id), Cell::text(&note.reason)]);
        }
        output.push(Text::warning(format!(
            "the image folders of {} patients hold files that are not image slices; they were left out and the images read (see the table)",
            scan.passed_over.len()
        )));
        output.push(table);
    }
    let unlisted = unlisted_image_folders(folder, &ids);
    if !unlisted.is_empty() {
        output.push(Text::warning(format!(
            "{} image folders have no row in clinical.csv and were not loaded: {}",
            unlisted.len(),
            unlisted.join(", ")
        )));
    }
    let orphans = unlisted_masks(folder, &ids);
    if !orphans.is_empty() {
        output.push(Text::warning(format!(
            "{} files in rois/ or masks/ belong to no patient in clinical.csv and were not loaded: {}",
            orphans.len(),
            orphans.join(", ")
        )));
    }
    let with_roi = patients
        .iter()
        .filter(|p| matches!(&p.images, PatientImages::Files(f) if f.roi.is_some()))
        .count();
    let with_mask = patients
        .iter()
        .filter(|p| matches!(&p.images, PatientImages::Files(f) if f.mask.is_some()))
        .count();
    output.push(Text::info(format!(
        "{with_roi} patients have an ROI in rois/, {with_mask} a finished mask in masks/"
    )));
    context.state.data = Some(data);
    context.state.extraction = None;
    context.state.segmentation = None;
    context.state.images = Some(Arc::new(ImageCohort {
        origin: CohortOrigin::Folder(folder.to_path_buf()),
        patients,
    }));
    Ok(output)
}
