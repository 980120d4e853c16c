//! `load case`: one image and its mask (a label mask, or a structure of an RT structure set) as a
//! one-patient cohort, for checking features against other tools.

use super::cohort::image_error;
use crate::data::{Column, Dataset};
use crate::error::{Error, ErrorKind};
use crate::imaging::cohort::{CohortOrigin, CohortPatient, ImageCohort, PatientImages};
use crate::imaging::io::{read_image_noting, read_outline};
use crate::imaging::{Mask, check_same_grid};
use crate::output::{Output, Text};
use crate::preprocess::align::onto_grid;
use crate::session::args::Arguments;
use crate::session::context::Context;
use crate::session::spec::{ArgKind, ArgSpec, CommandSpec, Group};
use std::path::PathBuf;
use std::sync::Arc;

pub const LOAD_CASE: CommandSpec = CommandSpec {
    name: "load case",
    summary: "load one image and its mask as a one-patient cohort",
    help: "Reads an image (.nii, .nii.gz, .nrrd or a DICOM folder) and a mask on the same grid — \
shape, spacing, origin and direction must agree (no resampling is ever done) — for checking \
features against other tools. A mask with several labels needs `label=`.\n\nThe mask may also be a \
DICOM RT structure set (a radiologist's contours): its structure `roi=NAME` (needed when it has \
several; names are listed) is rasterised on the image's grid — a voxel whose centre lies on a \
contour belongs to it, others by the even-odd rule, so inner contours are holes — after checking, \
when the image is a DICOM series, that the contours were drawn on it (Frame of Reference and \
referenced slices). It may be a DICOM segmentation (DICOM-SEG) too: its segment `roi=NUMBER` or \
`roi=LABEL` is read on the image's grid (never resampled); a fractional one needs `threshold=`.",
    examples: &[
        "load case breast1_image.nrrd breast1_label.nrrd",
        "load case t1.nii.gz seg.nii.gz label=2",
        "load case series/ rtss.dcm roi=GTV",
        "load case series/ seg.dcm roi=2",
    ],
    arguments: &[
        ArgSpec::positional("image", ArgKind::Path, "the image file").required(),
        ArgSpec::positional("mask", ArgKind::Path, "the mask file").required(),
        ArgSpec::keyword(
            "label",
            ArgKind::WholeNumber { min: 1, max: 255 },
            "the mask label to use",
        ),
        ArgSpec::keyword(
            "roi",
            ArgKind::Name,
            "the structure of an RT structure set, or the segment (number or label) of a DICOM segmentation",
        ),
        ArgSpec::keyword(
            "threshold",
            ArgKind::Number { min: 0.0, max: 1.0 },
            "where a fractional segmentation's mask begins (its fraction at least this)",
        ),
    ],
    group: Group::Data,
    replayable: true,
    run: load_case,
};

fn load_case(context: &mut Context<'_>, arguments: &Arguments) -> Result<Output, Error> {
    let image_path = PathBuf::from(arguments.text("image").unwrap_or_default());
    let mask_path = PathBuf::from(arguments.text("mask").unwrap_or_default());
    let read = read_image_noting(&image_path).map_err(image_error)?;
    let (volume, mut passed_over) = (read.volume, read.notes);
    if arguments.given("label") && arguments.given("roi") {
        return Err(Error::invalid(
            "give `label=` for a label mask or `roi=` for a structure of an RT structure set, not both",
        )
        .or_at(arguments.span("roi").unwrap_or(context.span)));
    }
    let (mask, said) = read_outline(
        &mask_path,
        (arguments.text("roi"), arguments.number("threshold")),
        (&volume.geometry, volume.shape()),
        read.identity.as_ref(),
    )
    .map_err(image_error)?;
    passed_over.extend(said);
    let location = || format!("{} and {}", image_path.display(), mask_path.display());
    let mut mask = mask;
    if let Err(mismatch) = check_same_grid(&volume, &mask) {
        if !context.state.preprocessing.masks_onto_images {
            return Err(Error::new(ErrorKind::Input {
                location: location(),
                message: format!(
                    "the mask does not lie on the image's grid: {mismatch}; radnomo never resamples unless asked: `resample mask=image`, then `load case` again, brings the mask onto the image's grid by nearest neighbour (as PyRadiomics's correctMask)"
                ),
            }));
        }
        mask = onto_grid(&mask, (&volume.geometry, volume.shape())).map_err(|message| {
            Error::new(ErrorKind::Input {
                location: location(),
                message,
            })
        })?;
        passed_over.push(format!(
            "the mask was brought onto the image's grid by nearest neighbour (`resample mask=image`): {mismatch}"
        ));
    }
    let labels = mask.labels_present();
    let label = match (arguments.integer("label"), labels.as_slice()) {
        (Some(label), _) if labels.contains(&(label as u8)) => label as u8,
        (Some(label), _) => {
            return Err(Error::at(
                ErrorKind::Invalid {
                    message: format!("label {label} is not in the mask; it has {}", list(&labels)),
                },
                arguments.span("label").unwrap_or(context.span),
            ));
        }
        (None, [only]) => *only,
        (None, []) => {
            return Err(Error::new(ErrorKind::Input {
                location: mask_path.display().to_string(),
                message: "the mask is empty".into(),
            }));
        }
        (None, many) => {
            return Err(Error::invalid(format!(
                "the mask has labels {}; choose one with `label=`",
                list(many)
            )));
        }
    };
    let mask: Mask = mask.select(label);
    let id = image_path
        .file_name()
        .map(|n| {
            n.to_string_lossy()
                .trim_end_matches(".gz")
                .trim_end_matches(".nii")
                .trim_end_matches(".nrrd")
                .to_string()
        })
        .unwrap_or_else(|| "case".into());
    let [slices, rows, columns] = volume.shape();
    let mut output = Output::empty();
    for note in passed_over {
        output.push(Text::warning(note));
    }
    let spacing = volume.geometry.spacing.map(|s| format!("{s:.4}"));
    let grid = if volume.geometry.planar {
        format!(
            "a 2-D image of {columns} × {rows} pixels of {} × {} mm (no slice thickness: 2-D features only)",
            spacing[0], spacing[1]
        )
    } else {
        format!(
            "{columns} × {rows} × {slices} voxels of {} mm",
            spacing.join(" × ")
        )
    };
    output.push(Text::info(format!(
        "loaded case `{id}`: {grid}, {} phase(s); mask label {label}: {} voxels on {} slices",
        volume.phases(),
        mask.count(),
        mask.area_by_slice().iter().filter(|&&a| a > 0).count()
    )));
    let data = Dataset {
        id: Some("id".into()),
        ..Dataset::new(
            image_path.display().to_string(),
            vec![Column::categorical("id", &[Some(id.clone())])],
        )
    };
    context.state.data = Some(data);
    context.state.extraction = None;
    context.state.segmentation = None;
    context.state.images = Some(Arc::new(ImageCohort {
        origin: CohortOrigin::Case {
            image: image_path,
            mask: mask_path,
        },
        patients: vec![CohortPatient {
            id,
            images: PatientImages::InMemory {
                volume: Arc::new(volume),
                mask: Arc::new(mask),
            },
        }],
    }));
    Ok(output)
}

fn list(labels: &[u8]) -> String {
    labels
        .iter()
        .map(u8::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}
