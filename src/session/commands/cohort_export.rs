//! `export cohort`: the loaded cohort written to a folder in the on-disk layout `load cohort`
//! reads (`cohort.rs`), images as NIfTI, NRRD or DICOM and outlines as label masks, RT structure
//! sets or DICOM segmentations.

use super::cohort::image_error;
use crate::error::{Error, ErrorKind};
use crate::imaging::cohort::{ExportOptions, OutlineFormat, Written, export_patient};
use crate::imaging::io::Format;
use crate::output::{Output, Text};
use crate::session::args::Arguments;
use crate::session::context::Context;
use crate::session::files;
use crate::session::spec::{ArgKind, ArgSpec, CommandSpec, Group};
use rayon::prelude::*;
use std::path::PathBuf;

pub const EXPORT_COHORT: CommandSpec = CommandSpec {
    name: "export cohort",
    summary: "write the loaded cohort to a folder in the on-disk layout",
    help: "Writes `clinical.csv`, `images/<id>/` and `rois/<id>` (and `masks/<id>` when the cohort has \
masks, or with `truth=yes` the synthetic cohort's true tumour masks) — the layout `load cohort PATH` \
reads, so an exported cohort loads back as real data would. `format` is `nifti` (default, .nii.gz), \
`nrrd` or `dicom` (a folder of slices per patient); `layout=4d` writes one 4-D file instead of one \
per phase. With `format=dicom`, `outlines=rtstruct` writes the ROIs and masks as DICOM RT structure \
sets and `outlines=seg` as binary DICOM segmentations (`rois/<id>.dcm`), drawn on the exported \
series (its phase 2) and read back voxel for voxel; the default `outlines=mask` writes label masks \
(.nii.gz). A mask with several labels becomes one structure or segment per label (`roi=` picks one \
when loading). `n` exports only the first n patients.",
    examples: &[
        "export cohort my_study",
        "export cohort small n=10 format=dicom",
        "export cohort small n=10 format=dicom outlines=rtstruct",
    ],
    arguments: &[
        ArgSpec::positional("path", ArgKind::Path, "the folder to write").required(),
        ArgSpec::keyword(
            "format",
            ArgKind::Choice(&["nifti", "nrrd", "dicom"]),
            "image file format",
        )
        .default("nifti"),
        ArgSpec::keyword(
            "outlines",
            ArgKind::Choice(&["mask", "rtstruct", "seg"]),
            "how ROIs and masks are written (rtstruct and seg need format=dicom)",
        )
        .default("mask"),
        ArgSpec::keyword(
            "layout",
            ArgKind::Choice(&["phases", "4d"]),
            "one file per phase or one 4-D file",
        )
        .default("phases"),
        ArgSpec::keyword(
            "truth",
            ArgKind::Boolean,
            "write the true tumour masks to masks/",
        )
        .default("no"),
        ArgSpec::keyword(
            "n",
            ArgKind::WholeNumber {
                min: 1,
                max: i64::MAX,
            },
            "only the first n patients",
        ),
    ],
    group: Group::Data,
    replayable: true,
    run: export_cohort,
};

fn export_cohort(context: &mut Context<'_>, arguments: &Arguments) -> Result<Output, Error> {
    let folder = PathBuf::from(arguments.text("path").unwrap_or_default());
    let images = context.images()?;
    let data = context.data()?.clone();
    let format = match arguments.text("format") {
        Some("nrrd") => Format::Nrrd,
        Some("dicom") => Format::Dicom,
        _ => Format::Nifti,
    };
    let outlines = match arguments.text("outlines") {
        Some(kind @ ("rtstruct" | "seg")) if format != Format::Dicom => {
            let span = arguments.span("outlines").unwrap_or(context.span);
            return Err(Error::invalid(format!(
                "`outlines={kind}` writes DICOM objects that refer to the DICOM series they were drawn on; add `format=dicom`"
            ))
            .or_at(span));
        }
        Some("rtstruct") => OutlineFormat::StructureSet,
        Some("seg") => OutlineFormat::Segmentation {
            created: crate::calendar::Civil::now().0.dicom(),
        },
        _ => OutlineFormat::LabelMask,
    };
    let options = ExportOptions {
        format,
        four_d: arguments.text("layout") == Some("4d"),
        truth: arguments.boolean("truth").unwrap_or(false),
        outlines,
    };
    let count = arguments.integer("n").map_or(images.patients.len(), |n| {
        (n as usize).min(images.patients.len())
    });
    let patients = &images.patients[..count];
    let path_span = arguments.span("path").unwrap_or(context.span);
    let replaced = files::clear_for_export(&folder).map_err(|e| e.or_at(path_span))?;
    std::fs::create_dir_all(&folder).map_err(|e| Error::io(folder.display(), e))?;
    let seed = context.state.settings.seed;
    context.progress.start("writing images", count as u64);
    let progress = context.progress;
    let cancel = context.cancel;
    let written: Result<Vec<Written>, Error> = patients
        .par_iter()
        .enumerate()
        .map(|(i, patient)| {
            if cancel.is_cancelled() {
                return Err(Error::new(ErrorKind::Cancelled));
            }
            let result = export_patient(&folder, patient, &options, seed.wrapping_add(i as u64))
                .map_err(image_error);
            progress.advance();
            result
        })
        .collect();
    context.progress.finish();
    let written = written?;
    let rows: Vec<usize> = (0..count).collect();
    let clinical = folder.join("clinical.csv");
    std::fs::write(&clinical, data.keep_rows(&rows).to_csv())
        .map_err(|e| Error::io(clinical.display(), e))?;
    files::record_tree(&folder)?;
    let layout = match (format, options.four_d) {
        (Format::Dicom, _) => "a DICOM series per patient",
        (_, true) => "one 4-D file per patient",
        _ => "one file per phase",
    };
    let replaced = match replaced {
        0 => String::new(),
        n => format!(" — replacing radnomo's earlier export ({n} files)"),
    };
    let outlines = match options.outlines {
        OutlineFormat::LabelMask => "",
        OutlineFormat::StructureSet => ", as DICOM RT structure sets",
        OutlineFormat::Segmentation { .. } => ", as DICOM segmentations",
    };
    let rois = written.iter().filter(|w| w.roi).count();
    let masks = written.iter().filter(|w| w.mask).count();
    let mut parts = vec!["clinical.csv".to_string(), "images/".to_string()];
    if rois > 0 {
        parts.push(format!("rois/ ({rois} ROIs)"));
    }
    if masks > 0 {
        let what = if options.truth {
            "true tumour masks"
        } else {
            "masks"
        };
        parts.push(format!("masks/ ({masks} {what})"));
    }
    Ok(Output::item(Text::info(format!(
        "wrote {count} patients to {}{replaced} ({layout}{outlines}): {}; read it back with `load cohort {}`",
        folder.display(),
        parts.join(", "),
        folder.display()
    ))))
}
