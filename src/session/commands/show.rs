//! Looking at a cohort's images: `show patient` (a slice with outlines, the study's Fig. 3),
//! `show kinetics` (mean intensity over the DCE phases) and `show cohort` (counts).

use super::cohort::image_error;
use crate::error::{Error, ErrorKind};
use crate::imaging::cohort::{CohortOrigin, CohortPatient, ImageCohort, PatientImages};
use crate::imaging::{Mask, Volume};
use crate::lang::suggest::nearest;
use crate::output::{Anchor, Axis, Cell, Label, Layer, Legend, Output, Plot, Series, Table, Text};
use crate::session::args::Arguments;
use crate::session::context::Context;
use crate::session::spec::{ArgKind, ArgSpec, CommandSpec, Group};
use ndarray::ArrayView2;

pub const SHOW_PATIENT: CommandSpec = CommandSpec {
    name: "show patient",
    summary: "draw a patient's slice with the ROI and tumour outlines",
    help: "Draws one slice of one DCE phase — by default the slice where the ROI (or mask) is \
largest, as the study analysed — with the radiologist's ROI, the given or segmented mask, and for \
the synthetic cohort the true tumour, as outlines (the study's Fig. 3). Grey levels are windowed \
from the slice's minimum to its 99.9th percentile. A mask with several lesions has each lesion \
numbered at its centre, as `extract lesions=each` numbers them (largest first).",
    examples: &["show patient P0007", "show patient P0007 phase=1 slice=10"],
    arguments: &[
        ArgSpec::positional("patient", ArgKind::Patient, "the patient id").required(),
        ArgSpec::keyword(
            "phase",
            ArgKind::WholeNumber { min: 1, max: 100 },
            "the DCE phase (1 = pre-contrast)",
        )
        .default("2"),
        ArgSpec::keyword(
            "slice",
            ArgKind::WholeNumber {
                min: 1,
                max: 10_000,
            },
            "the slice, from 1 (default: the largest ROI)",
        ),
        ArgSpec::keyword(
            "image",
            ArgKind::Choice(&["corrected", "raw", "field"]),
            "after `correct bias`: the corrected image, the raw one, or the estimated bias field",
        )
        .default("corrected"),
    ],
    group: Group::Images,
    replayable: false,
    run: show_patient,
};

pub const SHOW_KINETICS: CommandSpec = CommandSpec {
    name: "show kinetics",
    summary: "plot a patient's mean ROI intensity over the DCE phases",
    help: "The mean intensity inside the ROI (and inside the tumour mask, when there is one) at each \
DCE phase: the enhancement curve — wash-in, plateau or wash-out — that makes phase 2 the one to \
analyse.",
    examples: &["show kinetics P0007"],
    arguments: &[ArgSpec::positional("patient", ArgKind::Patient, "the patient id").required()],
    group: Group::Images,
    replayable: false,
    run: show_kinetics,
};

pub const SHOW_COHORT: CommandSpec = CommandSpec {
    name: "show cohort",
    summary: "summarise the loaded cohort: patients, images, ROIs and masks",
    help: "Counts of patients by cohort and outcome, where the images come from, and how many \
patients have an ROI and a finished mask.",
    examples: &["show cohort"],
    arguments: &[],
    group: Group::Images,
    replayable: false,
    run: show_cohort,
};

/// The patient named by the `patient` argument, or an error suggesting the nearest id.
pub(super) fn patient<'a>(
    cohort: &'a ImageCohort,
    arguments: &Arguments,
    context: &Context<'_>,
) -> Result<&'a CohortPatient, Error> {
    let id = arguments.text("patient").unwrap_or_default();
    cohort.patients.iter().find(|p| p.id == id).ok_or_else(|| {
        let ids: Vec<&str> = cohort.patients.iter().map(|p| p.id.as_str()).collect();
        let suggestion = nearest(id, ids.iter().copied())
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_default();
        Error::at(
            ErrorKind::Invalid {
                message: format!("no patient `{id}` in this cohort{suggestion}"),
            },
            arguments.span("patient").unwrap_or(context.span),
        )
    })
}

/// The outline of a 2-D mask along pixel edges, in physical (x, y) mm.
fn outline(mask: ArrayView2<'_, u8>, volume: &Volume) -> Vec<[(f64, f64); 2]> {
    let g = &volume.geometry;
    let (dx, dy) = (g.spacing[0], g.spacing[1]);
    let (rows, columns) = mask.dim();
    let on = |r: isize, c: isize| {
        r >= 0
            && c >= 0
            && (r as usize) < rows
            && (c as usize) < columns
            && mask[[r as usize, c as usize]] != 0
    };
    let mut segments = Vec::new();
    for r in 0..rows as isize {
        for c in 0..columns as isize {
            if !on(r, c) {
                continue;
            }
            let (x0, y0) = (
                g.origin[0] + (c as f64 - 0.5) * dx,
                g.origin[1] + (r as f64 - 0.5) * dy,
            );
            let (x1, y1) = (x0 + dx, y0 + dy);
            if !on(r - 1, c) {
                segments.push([(x0, y0), (x1, y0)]);
            }
            if !on(r + 1, c) {
                segments.push([(x0, y1), (x1, y1)]);
            }
            if !on(r, c - 1) {
                segments.push([(x0, y0), (x0, y1)]);
            }
            if !on(r, c + 1) {
                segments.push([(x1, y0), (x1, y1)]);
            }
        }
    }
    segments
}

/// Grey levels 0-255 windowed from the minimum to the 99.9th percentile.
fn window(slice: ArrayView2<'_, f32>) -> Vec<u8> {
    let mut sorted: Vec<f32> = slice.iter().copied().collect();
    sorted.sort_by(f32::total_cmp);
    let low = sorted.first().copied().unwrap_or(0.0);
    let high = sorted[((sorted.len() as f64 - 1.0) * 0.999) as usize].max(low + 1e-6);
    slice
        .iter()
        .map(|&v| (((v - low) / (high - low)).clamp(0.0, 1.0) * 255.0).round() as u8)
        .collect()
}

fn show_patient(context: &mut Context<'_>, arguments: &Arguments) -> Result<Output, Error> {
    let cohort = context.images()?;
    let patient = patient(&cohort, arguments, context)?;
    let volume = patient.volume().map_err(image_error)?;
    let phase = arguments.integer("phase").unwrap_or(2) as usize;
    let phase = if volume.phases() == 1 && !arguments.given("phase") {
        1
    } else {
        phase
    };
    if phase > volume.phases() {
        return Err(Error::at(
            ErrorKind::Invalid {
                message: format!(
                    "{} has {} phase(s); there is no phase {phase}",
                    patient.id,
                    volume.phases()
                ),
            },
            arguments.span("phase").unwrap_or(context.span),
        ));
    }
    let roi = patient.roi().map_err(image_error)?;
    let mask = patient.given_mask().map_err(image_error)?;
    let truth = patient.truth();
    let reference: Option<&Mask> = roi.as_ref().or(mask.as_ref()).or(truth.as_ref());
    let slices = volume.shape()[0];
    let k = match arguments.integer("slice") {
        Some(s) if (s as usize) <= slices => s as usize - 1,
        Some(s) => {
            return Err(Error::at(
                ErrorKind::Invalid {
                    message: format!("{} has {slices} slices; there is no slice {s}", patient.id),
                },
                arguments.span("slice").unwrap_or(context.span),
            ));
        }
        None => reference
            .and_then(Mask::largest_slice)
            .unwrap_or(slices / 2),
    };
    let raw = volume.slice(phase - 1, k);
    let shown = arguments.text("image").unwrap_or("corrected");
    let field = context
        .state
        .bias
        .as_ref()
        .and_then(|bias| bias.field_of(&patient.id, phase, k, raw));
    let (image, what) = match (shown, &field) {
        ("raw", Some(_)) => (raw.to_owned(), " (raw)".to_string()),
        ("field", Some(field)) => {
            let values = field.field(raw.dim());
            let (low, high) = values
                .iter()
                .fold((f64::MAX, f64::MIN), |(l, h), &v| (l.min(v), h.max(v)));
            (
                values.mapv(|v| v as f32),
                format!(", bias field ×{low:.3}–×{high:.3}"),
            )
        }
        (_, Some(field)) => (field.correct(raw), " (bias-corrected)".to_string()),
        ("corrected", None) => (raw.to_owned(), String::new()),
        (_, None) => {
            return Err(Error::at(
                ErrorKind::Invalid {
                    message: format!(
                        "no bias correction of phase {phase}: run `correct bias` first (the image shown is the raw one)"
                    ),
                },
                arguments.span("image").unwrap_or(context.span),
            ));
        }
    };
    let image = image.view();
    let (rows, columns) = image.dim();
    let g = volume.geometry;
    let mut layers = vec![Layer::Image {
        series: Series {
            label: String::new(),
            colour: 0,
        },
        origin: (g.origin[0], g.origin[1]),
        pixel: (g.spacing[0], g.spacing[1]),
        columns,
        rows,
        grey: window(image),
    }];
    let mut areas = Vec::new();
    let segmented = context
        .state
        .segmentation
        .as_ref()
        .and_then(|s| s.mask(&patient.id));
    // The segmentation is drawn last, in yellow, so it shows over the true tumour it matches.
    for (label, colour, shown) in [
        ("ROI", 5, &roi),
        ("mask", 1, &mask),
        ("true tumour", 2, &truth),
        ("segmented", 6, &segmented),
    ] {
        if let Some(m) = shown {
            let plane = m.slice(k);
            let area = plane.iter().filter(|&&v| v != 0).count() as f64 * g.pixel_area();
            areas.push(format!("{label} {area:.1} mm²"));
            layers.push(Layer::Segments {
                series: Series {
                    label: label.into(),
                    colour,
                },
                segments: outline(plane, &volume),
            });
        }
    }
    let lesions = mask.as_ref().and_then(|m| lesion_numbers(m, k, &volume));
    if let Some((layer, _)) = &lesions {
        layers.push(layer.clone());
    }
    let x_range = (
        g.origin[0] - g.spacing[0] / 2.0,
        g.origin[0] + (columns as f64 - 0.5) * g.spacing[0],
    );
    let y_range = (
        g.origin[1] + (rows as f64 - 0.5) * g.spacing[1],
        g.origin[1] - g.spacing[1] / 2.0,
    );
    let plot = Plot {
        name: format!(
            "patient-{}-phase{phase}-slice{}{}",
            patient.id,
            k + 1,
            if field.is_some() {
                format!("-{shown}")
            } else {
                String::new()
            }
        ),
        title: format!(
            "{}, phase {phase}, slice {} of {slices}{what}",
            patient.id,
            k + 1
        ),
        x: Axis {
            range: Some(x_range),
            ..Axis::new("x (mm)")
        },
        y: Axis {
            range: Some(y_range),
            ..Axis::new("y (mm)")
        },
        layers,
        size: (620, 640),
        legend: Legend::UpperRight,
    };
    let mut output = Output::item(plot);
    if !areas.is_empty() {
        output.push(Text::info(format!("slice {}: {}", k + 1, areas.join(", "))));
    }
    if let Some((_, note)) = lesions {
        output.push(Text::info(note));
    }
    Ok(output)
}

/// For a mask with several lesions: each lesion on slice `k` numbered at its centre, as
/// `extract lesions=each` numbers them (largest first), and a note saying so.
fn lesion_numbers(mask: &Mask, k: usize, volume: &Volume) -> Option<(Layer, String)> {
    let lesions = crate::imaging::lesions::each(mask);
    if lesions.len() < 2 {
        return None;
    }
    let g = &volume.geometry;
    let mut labels = Vec::new();
    let mut here = Vec::new();
    for (n, lesion) in lesions.iter().enumerate() {
        let (mut sum_c, mut sum_r, mut count) = (0.0, 0.0, 0.0);
        for ((r, c), &v) in lesion.slice(k).indexed_iter() {
            if v != 0 {
                (sum_c, sum_r, count) = (sum_c + c as f64, sum_r + r as f64, count + 1.0);
            }
        }
        if count > 0.0 {
            here.push((n + 1).to_string());
            labels.push(Label {
                text: (n + 1).to_string(),
                at: (
                    g.origin[0] + sum_c / count * g.spacing[0],
                    g.origin[1] + sum_r / count * g.spacing[1],
                ),
                alternative: None,
                anchor: Anchor::Middle,
                size: 16,
                optional: false,
            });
        }
    }
    let layer = Layer::Labels {
        series: Series {
            label: "lesion".into(),
            colour: 1,
        },
        labels,
    };
    let note = format!(
        "the mask holds {} lesions, numbered as `extract lesions=each` numbers them (largest first); on this slice: {}",
        lesions.len(),
        if here.is_empty() {
            "none".to_string()
        } else {
            here.join(", ")
        }
    );
    Some((layer, note))
}

fn show_kinetics(context: &mut Context<'_>, arguments: &Arguments) -> Result<Output, Error> {
    let cohort = context.images()?;
    let patient = patient(&cohort, arguments, context)?;
    let volume = patient.volume().map_err(image_error)?;
    let mut regions: Vec<(&str, Mask)> = Vec::new();
    if let Some(roi) = patient.roi().map_err(image_error)? {
        regions.push(("ROI", roi));
    }
    if let Some(mask) = patient.given_mask().map_err(image_error)? {
        regions.push(("mask", mask));
    }
    if let Some(truth) = patient.truth() {
        regions.push(("true tumour", truth));
    }
    if regions.is_empty() {
        return Err(Error::invalid(format!(
            "{} has no ROI or mask to average over",
            patient.id
        )));
    }
    let mut table = Table::new(
        "kinetics",
        format!("Mean intensity of {} by DCE phase", patient.id),
    )
    .with_columns(
        std::iter::once("phase".to_string()).chain(regions.iter().map(|(l, _)| l.to_string())),
    );
    let mut curves: Vec<Vec<(f64, f64)>> = vec![Vec::new(); regions.len()];
    for p in 0..volume.phases() {
        let phase = volume.phase(p);
        let mut row = vec![Cell::Integer {
            value: p as i64 + 1,
        }];
        for (r, (_, mask)) in regions.iter().enumerate() {
            let (sum, n) = phase
                .iter()
                .zip(mask.labels.iter())
                .filter(|&(_, &m)| m != 0)
                .fold((0.0, 0usize), |(s, n), (&v, _)| (s + f64::from(v), n + 1));
            let mean = sum / n.max(1) as f64;
            curves[r].push(((p + 1) as f64, mean));
            row.push(Cell::number(mean));
        }
        table.add_row(row);
    }
    let layers = regions
        .iter()
        .zip(curves)
        .enumerate()
        .map(|(i, ((label, _), points))| Layer::Line {
            series: Series {
                label: label.to_string(),
                colour: [4, 1, 2][i % 3],
            },
            points,
            dashed: false,
        })
        .collect();
    let plot = Plot {
        name: format!("kinetics-{}", patient.id),
        title: format!("{}: enhancement over the DCE phases", patient.id),
        x: Axis::new("phase (1 = pre-contrast)"),
        y: Axis::new("mean intensity"),
        layers,
        size: (640, 420),
        legend: Legend::LowerRight,
    };
    let mut output = Output::item(plot);
    output.push(table);
    Ok(output)
}

fn show_cohort(context: &mut Context<'_>, _: &Arguments) -> Result<Output, Error> {
    let cohort = context.images()?;
    let data = context.data()?;
    let mut table = Table::new("cohort", "The loaded cohort").with_columns(["", "value"]);
    let mut row =
        |label: &str, value: String| table.add_row(vec![Cell::text(label), Cell::text(value)]);
    let origin = match &cohort.origin {
        CohortOrigin::Synthetic(s) => format!(
            "built-in synthetic cohort, seed {}, {} phases",
            s.seed, s.knobs.phases
        ),
        CohortOrigin::Folder(path) => format!("folder {}", path.display()),
        CohortOrigin::Case { image, mask } => {
            format!("case {} with {}", image.display(), mask.display())
        }
    };
    row("source", origin);
    row("patients", cohort.patients.len().to_string());
    for (label, rows) in [
        ("training", crate::data::Cohort::Training),
        ("validation", crate::data::Cohort::Validation),
    ] {
        if data.cohorts.is_some() {
            row(label, data.rows_of(Some(rows)).len().to_string());
        }
    }
    if let Some(outcome) = data.outcome.as_deref().and_then(|o| data.numbers(o)) {
        let positive = outcome.iter().filter(|v| **v == Some(1.0)).count();
        row(
            "outcome positive",
            format!("{positive} of {}", outcome.len()),
        );
    }
    let (mut rois, mut masks, mut truths) = (0, 0, 0);
    for patient in &cohort.patients {
        match &patient.images {
            PatientImages::Synthetic { .. } => {
                rois += 1;
                truths += 1;
            }
            PatientImages::Files(files) => {
                rois += usize::from(files.roi.is_some());
                masks += usize::from(files.mask.is_some());
            }
            PatientImages::InMemory { .. } => masks += 1,
        }
    }
    row("with an ROI", rois.to_string());
    row("with a finished mask", masks.to_string());
    row("with a true tumour mask", truths.to_string());
    if let CohortOrigin::Synthetic(_) = &cohort.origin {
        let slices: Vec<usize> = cohort
            .patients
            .iter()
            .filter_map(|p| match &p.images {
                PatientImages::Synthetic { .. } => p.synthetic().map(|s| s.shape()[0]),
                _ => None,
            })
            .collect();
        if let (Some(low), Some(high)) = (slices.iter().min(), slices.iter().max()) {
            row("slices per patient", format!("{low} – {high}"));
        }
    }
    Ok(Output::item(table))
}
