//! `segment`: the study's semi-automatic 2-D tumour segmentation for every patient, with a
//! quality report.

use super::patient_report::{add_summary_row, patients_warning};
use crate::data::Column;
use crate::error::{Error, ErrorKind};
use crate::imaging::bias::BiasCorrection;
use crate::imaging::cohort::CohortPatient;
use crate::imaging::segment::{SegmentOptions, Threshold, dice, segment_slice};
use crate::output::{Cell, Output, Table, Text};
use crate::session::args::Arguments;
use crate::session::context::Context;
use crate::session::spec::{ArgKind, ArgSpec, CommandSpec, Group};
use crate::session::state::{Segmentation, SegmentedSlice};
use ndarray::Axis;
use std::collections::HashMap;
use std::sync::Arc;

pub const SEGMENT: CommandSpec = CommandSpec {
    name: "segment",
    summary: "segment each tumour inside its ROI: threshold, region growing, hole filling",
    help: "For every patient, on the slice where the radiologist's ROI is largest: pixels inside the \
ROI at or above a threshold (Otsu's by default; or a percentile of the ROI's intensities such as \
`threshold=60%`; or a value) are grown into one connected region from the brightest spot, and holes \
are filled so the necrotic core is part of the tumour (the study's whole-tumour segmentation). The \
result never leaves the ROI. Adds the columns `tumour_area_mm2` and, when the cohort has true masks \
(the synthetic cohort), `dice`; reports the cohort's median and IQR and the worst five. Patients whose \
ROI is empty or whose result is degenerate (one pixel or less, or the whole ROI) are named. `extract` \
then uses these masks.\n\n\
Manual adjustment: `segment patient=ID` with other settings (a threshold, a slice) segments that \
patient again (optionally growing from a pixel you choose, `seed=ROW,COLUMN`) and keeps everyone \
else's result, showing the area and Dice before and after; a later \
`segment` of the whole cohort replaces such adjustments, and says so.",
    examples: &[
        "segment",
        "segment threshold=60% connectivity=4",
        "segment patient=P0007 threshold=70% slice=9",
        "segment patient=P0007 seed=40,52",
    ],
    arguments: &[
        ArgSpec::keyword(
            "phase",
            ArgKind::WholeNumber { min: 1, max: 100 },
            "the DCE phase (1 = pre-contrast)",
        )
        .default("2"),
        ArgSpec::keyword(
            "threshold",
            ArgKind::Words,
            "`otsu`, a percentile such as `60%`, or a value",
        )
        .default("otsu"),
        ArgSpec::keyword(
            "connectivity",
            ArgKind::Choice(&["4", "8"]),
            "pixel connectivity of the region",
        )
        .default("8"),
        ArgSpec::keyword(
            "fill",
            ArgKind::Boolean,
            "fill holes (keep the necrotic core)",
        )
        .default("yes"),
        ArgSpec::keyword(
            "patient",
            ArgKind::Patient,
            "segment only this patient again, keeping the others",
        ),
        ArgSpec::keyword(
            "slice",
            ArgKind::WholeNumber {
                min: 1,
                max: 100_000,
            },
            "with patient=: the slice (1-based; default: the ROI's largest)",
        ),
        ArgSpec::keyword(
            "seed",
            ArgKind::Words,
            "with patient=: where region growing starts, `ROW,COLUMN` (1-based; default: the brightest spot)",
        ),
    ],
    group: Group::Images,
    replayable: true,
    run: segment,
};

fn threshold(arguments: &Arguments, context: &Context<'_>) -> Result<Threshold, Error> {
    let word = arguments.words("threshold").join(" ");
    let invalid = || {
        Error::at(
            ErrorKind::InvalidValue {
                argument: "threshold".into(),
                expected: "`otsu`, a percentile such as `60%`, or a value".into(),
                found: word.clone(),
                suggestion: None,
            },
            arguments.span("threshold").unwrap_or(context.span),
        )
    };
    if word.is_empty() || word == "otsu" {
        Ok(Threshold::Otsu)
    } else if let Some(percent) = word.strip_suffix('%') {
        percent
            .parse::<f64>()
            .ok()
            .filter(|p| (0.0..=100.0).contains(p))
            .map(Threshold::Percentile)
            .ok_or_else(invalid)
    } else {
        word.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .map(Threshold::Value)
            .ok_or_else(invalid)
    }
}

/// The `seed=ROW,COLUMN` argument as a 0-based (row, column).
fn seed(arguments: &Arguments, context: &Context<'_>) -> Result<Option<(usize, usize)>, Error> {
    if !arguments.given("seed") {
        return Ok(None);
    }
    let words = arguments.words("seed");
    let parsed: Vec<usize> = words
        .iter()
        .filter_map(|w| w.parse::<usize>().ok().filter(|&v| v >= 1))
        .collect();
    match parsed.as_slice() {
        [row, column] if words.len() == 2 => Ok(Some((row - 1, column - 1))),
        _ => Err(Error::at(
            ErrorKind::InvalidValue {
                argument: "seed".into(),
                expected: "`ROW,COLUMN`, two whole numbers from 1".into(),
                found: words.join(","),
                suggestion: None,
            },
            arguments.span("seed").unwrap_or(context.span),
        )),
    }
}

/// One patient: the slice, its segmentation, and the true mask on that slice if known.
struct Outcome {
    segmented: SegmentedSlice,
    area_mm2: f64,
    dice: Option<f64>,
    problem: Option<String>,
}

/// Segments one patient on `slice` (0-based), or on the ROI's largest slice.
fn segment_patient(
    patient: &CohortPatient,
    phase: usize,
    options: &SegmentOptions,
    slice: Option<usize>,
    bias: Option<&BiasCorrection>,
) -> Result<Outcome, String> {
    let roi = patient
        .roi()
        .map_err(|e| e.to_string())?
        .ok_or("no ROI to segment in")?;
    let k = match slice {
        Some(k) if k >= roi.shape()[0] => {
            return Err(format!(
                "slice {} is beyond the image's {} slices",
                k + 1,
                roi.shape()[0]
            ));
        }
        Some(k) => k,
        None => roi.largest_slice().ok_or("the ROI is empty")?,
    };
    let roi_plane = roi.slice(k);
    let image = patient.phase_slice(Some(phase), k, &roi, bias)?;
    let result = segment_slice(image.view(), roi_plane, options);
    let truth = patient
        .truth()
        .map(|t| dice(result.mask.view(), t.labels.index_axis(Axis(0), k)));
    Ok(Outcome {
        area_mm2: result.pixels as f64 * roi.geometry.pixel_area(),
        segmented: SegmentedSlice {
            slice: k,
            plane: result.mask,
            shape: roi.shape(),
            geometry: roi.geometry,
        },
        dice: truth,
        problem: result.problem,
    })
}

fn segment(context: &mut Context<'_>, arguments: &Arguments) -> Result<Output, Error> {
    let images = context.images()?;
    let options = SegmentOptions {
        threshold: threshold(arguments, context)?,
        connectivity: if arguments.text("connectivity") == Some("4") {
            4
        } else {
            8
        },
        fill_holes: arguments.boolean("fill").unwrap_or(true),
        seed: seed(arguments, context)?,
    };
    let phase = arguments.integer("phase").unwrap_or(2) as usize;
    if arguments.given("patient") {
        return segment_one(context, arguments, &options, phase);
    }
    for (name, what) in [
        ("slice", "`slice` chooses one patient's slice"),
        ("seed", "`seed` is a pixel of one patient's slice"),
    ] {
        if arguments.given(name) {
            return Err(Error::invalid(format!(
                "{what}: give `patient=ID` too (the cohort uses each ROI's largest slice and its brightest spot)"
            ))
            .or_at(arguments.span(name).unwrap_or(context.span)));
        }
    }
    let replaced: Vec<String> = context
        .state
        .segmentation
        .as_ref()
        .map(|s| s.adjusted.clone())
        .unwrap_or_default();
    let bias = context.state.bias.clone();
    let outcomes = context.each_in_parallel("segmenting", &images.patients, |patient| {
        segment_patient(patient, phase, &options, None, bias.as_deref())
    })?;
    let mut output = Output::empty();
    if !replaced.is_empty() {
        output.push(Text::warning(format!(
            "the manual adjustments of {} are replaced by this segmentation",
            replaced.join(", ")
        )));
    }
    let mut problems: Vec<String> = Vec::new();
    let mut slices = HashMap::new();
    let by_id: HashMap<&str, &Result<Outcome, String>> = images
        .patients
        .iter()
        .map(|p| p.id.as_str())
        .zip(&outcomes)
        .collect();
    for (patient, outcome) in images.patients.iter().zip(&outcomes) {
        match outcome {
            Ok(o) => {
                if let Some(problem) = &o.problem {
                    problems.push(format!("{}: {problem}", patient.id));
                }
                slices.insert(patient.id.clone(), o.segmented.clone());
            }
            Err(reason) => problems.push(format!("{}: {reason}", patient.id)),
        }
    }
    let done: Vec<&Outcome> = outcomes.iter().flatten().collect();
    let empty = done.iter().filter(|o| o.area_mm2 == 0.0).count();
    if empty == done.len() {
        // Nothing to extract features from: refused, and the earlier segmentation is kept.
        return Err(Error::at(
            ErrorKind::Invalid {
                message: format!(
                    "these settings leave every patient's tumour mask empty, so nothing was changed{} — first: {}",
                    if context.state.segmentation.is_some() {
                        " (the earlier segmentation stays)"
                    } else {
                        ""
                    },
                    problems.first().map_or("", String::as_str)
                ),
            },
            arguments.span("threshold").unwrap_or(context.span),
        ));
    }
    let areas: Vec<f64> = done.iter().map(|o| o.area_mm2).collect();
    let dices: Vec<(String, f64)> = images
        .patients
        .iter()
        .zip(&outcomes)
        .filter_map(|(p, o)| {
            o.as_ref()
                .ok()
                .and_then(|o| o.dice)
                .map(|d| (p.id.clone(), d))
        })
        .collect();
    let mut table = Table::new("segmentation", "Segmentation quality").with_columns([
        "",
        "median (IQR)",
        "patients",
    ]);
    let mut summary_row = |label: &str, values: &[f64]| add_summary_row(&mut table, label, values);
    summary_row("tumour area, mm²", &areas);
    if !dices.is_empty() {
        let values: Vec<f64> = dices.iter().map(|d| d.1).collect();
        summary_row("Dice against the true tumour", &values);
    }
    table.note(format!(
        "phase {phase}, the slice with the largest ROI; threshold {}, {}-connected, holes {}",
        arguments.words("threshold").join(" "),
        options.connectivity,
        if options.fill_holes { "filled" } else { "kept" }
    ));
    output.push(Text::info(format!(
        "segmented {} of {} patients{}",
        done.len() - empty,
        images.patients.len(),
        match empty {
            0 => String::new(),
            1 => "; 1 mask is empty (see below)".to_string(),
            n => format!("; {n} masks are empty (see below)"),
        }
    )));
    output.method(super::methods::segmentation(
        phase,
        &arguments.words("threshold").join(" "),
        options.connectivity,
        options.fill_holes,
        done.len() - empty,
        (!dices.is_empty()).then(|| {
            let values: Vec<f64> = dices.iter().map(|d| d.1).collect();
            crate::stats::summary::median_and_quartiles(&values).0
        }),
    ));
    output.push(table);
    if !dices.is_empty() {
        let mut worst = dices.clone();
        worst.sort_by(|a, b| a.1.total_cmp(&b.1));
        let mut table = Table::new("segmentation-worst", "Lowest Dice").with_columns([
            "patient",
            "Dice",
            "area, mm²",
        ]);
        for (id, d) in worst.iter().take(5) {
            let area = by_id
                .get(id.as_str())
                .and_then(|o| o.as_ref().ok())
                .map_or(f64::NAN, |o| o.area_mm2);
            table.add_row(vec![Cell::text(id), Cell::number(*d), Cell::number(area)]);
        }
        output.push(table);
    }
    if let Some(warning) = patients_warning(&problems, ("needs a look", "need a look")) {
        output.push(warning);
    }
    let data = context.data_mut()?;
    let ids: Vec<String> = (0..data.row_count())
        .map(|row| data.patient_label(row))
        .collect();
    let column = |f: &dyn Fn(&Outcome) -> Option<f64>| -> Vec<Option<f64>> {
        ids.iter()
            .map(|id| {
                by_id
                    .get(id.as_str())
                    .and_then(|o| o.as_ref().ok())
                    .and_then(f)
            })
            .collect()
    };
    data.set_column(Column::numeric(
        "tumour_area_mm2",
        column(&|o| Some(o.area_mm2)),
    ));
    if !dices.is_empty() {
        data.set_column(Column::numeric("dice", column(&|o| o.dice)));
    }
    context.state.segmentation = Some(Arc::new(Segmentation {
        phase,
        slices,
        adjusted: Vec::new(),
    }));
    Ok(output)
}

/// `segment patient=ID …`: one patient segmented again; everyone else's result kept.
fn segment_one(
    context: &mut Context<'_>,
    arguments: &Arguments,
    options: &SegmentOptions,
    phase: usize,
) -> Result<Output, Error> {
    let Some(previous) = context.state.segmentation.clone() else {
        return Err(Error::new(ErrorKind::NeedsStep {
            missing: "no segmentation to adjust yet".to_string(),
            run: "segment".to_string(),
        }));
    };
    if previous.phase != phase {
        return Err(Error::invalid(format!(
            "the cohort was segmented on phase {}; adjust a patient on the same phase (or segment the cohort again with phase={phase})",
            previous.phase
        ))
        .or_at(arguments.span("phase").unwrap_or(context.span)));
    }
    let images = context.images()?;
    let patient = super::show::patient(&images, arguments, context)?;
    let slice = arguments.integer("slice").map(|s| s as usize - 1);
    let outcome = segment_patient(
        patient,
        phase,
        options,
        slice,
        context.state.bias.as_deref(),
    )
    .map_err(|reason| {
        Error::invalid(format!("{}: {reason}", patient.id))
            .or_at(arguments.span("slice").unwrap_or(context.span))
    })?;
    if let (Some(_), Some(problem)) = (options.seed, &outcome.problem)
        && outcome.area_mm2 == 0.0
    {
        // A seed that cannot grow leaves the patient's segmentation as it was.
        return Err(Error::invalid(format!("{}: {problem}", patient.id))
            .or_at(arguments.span("seed").unwrap_or(context.span)));
    }
    let id = patient.id.clone();
    let data = context.data_mut()?;
    let row = (0..data.row_count()).find(|&r| data.patient_label(r) == id);
    let before = |name: &str| row.and_then(|r| data.numbers(name).and_then(|v| v[r]));
    let (area_before, dice_before) = (before("tumour_area_mm2"), before("dice"));
    let mut table = Table::new(
        "segmentation-adjusted",
        format!("Segmentation of {id}, adjusted"),
    )
    .with_columns(["", "before", "after"]);
    table.add_row(vec![
        Cell::text("slice"),
        previous
            .slices
            .get(&id)
            .map_or(Cell::Empty, |s| Cell::Integer {
                value: s.slice as i64 + 1,
            }),
        Cell::Integer {
            value: outcome.segmented.slice as i64 + 1,
        },
    ]);
    table.add_row(vec![
        Cell::text("tumour area, mm²"),
        Cell::optional_number(area_before),
        Cell::number(outcome.area_mm2),
    ]);
    if outcome.dice.is_some() {
        table.add_row(vec![
            Cell::text("Dice against the true tumour"),
            Cell::optional_number(dice_before),
            Cell::optional_number(outcome.dice),
        ]);
    }
    table.note(format!(
        "phase {phase}; threshold {}, {}-connected, holes {}; grown from {}",
        arguments.words("threshold").join(" "),
        options.connectivity,
        if options.fill_holes { "filled" } else { "kept" },
        match options.seed {
            Some((r, c)) => format!("row {}, column {}", r + 1, c + 1),
            None => "the brightest spot".to_string(),
        }
    ));
    if let Some(row) = row {
        for (name, value) in [
            ("tumour_area_mm2", Some(outcome.area_mm2)),
            ("dice", outcome.dice),
        ] {
            if let Some(values) = data.numbers(name) {
                let mut values = values.to_vec();
                values[row] = value;
                data.set_column(Column::numeric(name, values));
            }
        }
    }
    let had_features = !data.features.is_empty();
    let mut output = Output::item(table);
    if let Some(problem) = &outcome.problem {
        output.push(Text::warning(format!("{id}: {problem}")));
    }
    if had_features {
        output.push(Text::warning(
            "the features were extracted from the previous masks: run `extract` again",
        ));
    }
    let mut segmentation = (*previous).clone();
    segmentation.slices.insert(id.clone(), outcome.segmented);
    if !segmentation.adjusted.contains(&id) {
        segmentation.adjusted.push(id);
    }
    context.state.segmentation = Some(Arc::new(segmentation));
    Ok(output)
}
