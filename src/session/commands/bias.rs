//! `correct bias`: N4 intensity non-uniformity correction of every patient's analysis slice,
//! with what it found (and, on the synthetic cohort, how well it recovered the true field).

use super::patient_report::{add_summary_row, patients_warning};
use crate::error::{Error, ErrorKind};
use crate::imaging::bias::{
    BiasCorrection, N4Options, N4Outcome, Phases, Sharpening, estimate, tissue_mask,
};
use crate::imaging::cohort::CohortPatient;
use crate::output::{Cell, Output, Table, Text};
use crate::session::args::Arguments;
use crate::session::context::Context;
use crate::session::spec::{ArgKind, ArgSpec, CommandSpec, Group};
use crate::stats::summary::{correlation, mean, standard_deviation};
use std::sync::Arc;

pub const CORRECT_BIAS: CommandSpec = CommandSpec {
    name: "correct bias",
    summary: "N4 bias-field (intensity non-uniformity) correction",
    help: "Estimates each patient's smooth multiplicative bias field with N4 (Tustison et al., IEEE \
TMI 2010): inside a tissue mask (pixels brighter than 10 % of the slice's 98th percentile), the \
histogram of log intensities is sharpened and the residual fitted by a cubic B-spline, refined over \
`levels` resolutions. The estimate is made on each patient's analysis slice (where the ROI is \
largest) of the chosen phase(s), on a copy shrunk `shrink` times per axis, and the field is applied \
at full resolution. From then on every image read — by `segment`, `extract`, `show patient` — is \
corrected; other slices (a slice chosen by hand, a 3-D extraction) are estimated when read, with \
the same settings. The raw images are kept: `show patient ID image=raw` (or `image=field`) \
compares. Running `correct bias` again replaces the correction, always starting from the raw \
images.\n\n\
Defaults: one fitting level (ITK's own default; SimpleITK runs four) with 4 control points — one \
cubic span over the slice —, 30 iterations run in full (`convergence=0`, as ANTs' N4 command \
line; N4's usual 0.001 often stops a faint field after its first iteration), 200 bins, FWHM 0.15, \
Wiener noise 0.01, `shrink=4`. More levels follow finer variations, but over a breast slice's \
small field of view they start to take glandular tissue for bias. These were chosen on the \
synthetic cohort, where they leave the least of the true field (figures in `BENCHMARKS.md`). On the synthetic cohort the report also gives the correlation of \
the estimated with the true field, the non-uniformity the true field has and what correction \
leaves of it, and the coefficient of variation inside fat and chest-wall muscle before and after \
(there mostly noise).",
    examples: &[
        "correct bias",
        "correct bias phase=all",
        "correct bias shrink=1 levels=2 iterations=100",
    ],
    arguments: &[
        ArgSpec::keyword(
            "phase",
            ArgKind::Words,
            "the DCE phase to correct (1 = pre-contrast), or `all`",
        )
        .default("2"),
        ArgSpec::keyword("method", ArgKind::Choice(&["n4"]), "the method").default("n4"),
        ArgSpec::keyword(
            "shrink",
            ArgKind::WholeNumber { min: 1, max: 8 },
            "estimate on a copy shrunk this many times per axis",
        )
        .default("4"),
        ArgSpec::keyword(
            "levels",
            ArgKind::WholeNumber { min: 1, max: 8 },
            "B-spline fitting levels (each doubles the control-point spans)",
        )
        .default("1"),
        ArgSpec::keyword(
            "iterations",
            ArgKind::WholeNumber { min: 1, max: 1000 },
            "largest number of iterations per level",
        )
        .default("30"),
        ArgSpec::keyword(
            "control",
            ArgKind::WholeNumber { min: 4, max: 64 },
            "control points per axis at the first level",
        )
        .default("4"),
        ArgSpec::keyword(
            "convergence",
            ArgKind::Number { min: 0.0, max: 1.0 },
            "stop a level early when the field's change varies less than this (0: never)",
        )
        .default("0"),
        ArgSpec::keyword(
            "bins",
            ArgKind::WholeNumber {
                min: 10,
                max: 10_000,
            },
            "histogram bins of the sharpening",
        )
        .default("200"),
        ArgSpec::keyword(
            "fwhm",
            ArgKind::Number {
                min: 0.001,
                max: 5.0,
            },
            "width of the bias field's blur of the log histogram",
        )
        .default("0.15"),
        ArgSpec::keyword(
            "noise",
            ArgKind::Number { min: 0.0, max: 1.0 },
            "Wiener filter noise of the deconvolution",
        )
        .default("0.01"),
    ],
    group: Group::Images,
    replayable: true,
    run: correct_bias,
};

/// One patient's estimate on its analysis slice, with checks against the truth when known.
struct Estimated {
    slice: usize,
    fields: Vec<(usize, N4Outcome)>,
    /// Correlation of the estimated with the true field inside the tissue mask (first phase).
    recovery: Option<f64>,
    /// Non-uniformity inside the tissue mask before (CV of the true field) and after (CV of the
    /// true field divided by the estimate): what correction leaves of the bias.
    remaining: Option<(f64, f64)>,
    /// Coefficient of variation in fat and in chest wall: (before, after).
    fat: Option<(f64, f64)>,
    muscle: Option<(f64, f64)>,
}

/// Coefficient of variation (sd with n − 1 over the mean), given 50 pixels or more.
fn variation(values: &[f64]) -> Option<f64> {
    (values.len() >= 50).then(|| standard_deviation(values) / mean(values))
}

fn estimate_patient(
    patient: &CohortPatient,
    phases: &[usize],
    options: &N4Options,
) -> Result<Estimated, String> {
    let reference = match patient.roi().map_err(|e| e.to_string())? {
        Some(roi) => roi,
        None => patient
            .given_mask()
            .map_err(|e| e.to_string())?
            .ok_or("no ROI or mask, so no analysis slice; its slices are corrected when read")?,
    };
    let k = reference.largest_slice().ok_or("the ROI is empty")?;
    let mut fields = Vec::new();
    let mut checks = (None, None, None, None);
    for &phase in phases {
        let raw = patient.phase_slice(Some(phase), k, &reference, None)?;
        let outcome = estimate(raw.view(), options).map_err(|e| e.to_string())?;
        if let (Some(synthetic), true) = (patient.synthetic(), fields.is_empty()) {
            let size = raw.dim();
            let estimated = outcome.field.field(size);
            let truth = synthetic.bias_slice(k);
            let tissue = tissue_mask(raw.view());
            let inside: Vec<usize> = tissue
                .iter()
                .enumerate()
                .filter(|(_, m)| **m != 0)
                .map(|(i, _)| i)
                .collect();
            let pick = |values: &[f64]| -> Vec<f64> { inside.iter().map(|&i| values[i]).collect() };
            let estimated_flat: Vec<f64> = estimated.iter().copied().collect();
            let truth_flat: Vec<f64> = truth.iter().map(|&v| f64::from(v)).collect();
            let recovery = correlation(&pick(&estimated_flat), &pick(&truth_flat));
            let left: Vec<f64> = truth_flat
                .iter()
                .zip(&estimated_flat)
                .map(|(t, e)| t / e)
                .collect();
            let remaining = variation(&pick(&truth_flat)).zip(variation(&pick(&left)));
            let homogeneous = synthetic.homogeneous_slice(k);
            let corrected = outcome.field.correct(raw.view());
            let class = |label: u8| -> Option<(f64, f64)> {
                let select = |image: &ndarray::Array2<f32>| -> Vec<f64> {
                    image
                        .iter()
                        .zip(homogeneous.iter())
                        .filter(|(_, h)| **h == label)
                        .map(|(v, _)| f64::from(*v))
                        .collect()
                };
                Some((variation(&select(&raw))?, variation(&select(&corrected))?))
            };
            checks = (Some(recovery), remaining, class(1), class(2));
        }
        fields.push((phase, outcome));
    }
    Ok(Estimated {
        slice: k,
        fields,
        recovery: checks.0,
        remaining: checks.1,
        fat: checks.2,
        muscle: checks.3,
    })
}

fn phases(arguments: &Arguments, context: &Context<'_>, available: usize) -> Result<Phases, Error> {
    let word = arguments.words("phase").join("");
    if word.is_empty() {
        return Ok(Phases::One(2.min(available)));
    }
    if word == "all" {
        return Ok(Phases::All);
    }
    match word.parse::<usize>() {
        Ok(p) if (1..=available).contains(&p) => Ok(Phases::One(p)),
        _ => Err(Error::at(
            ErrorKind::InvalidValue {
                argument: "phase".into(),
                expected: format!("`all` or a phase from 1 to {available}"),
                found: word,
                suggestion: None,
            },
            arguments.span("phase").unwrap_or(context.span),
        )),
    }
}

/// The N4 settings: every argument has its default in the table above.
fn options(arguments: &Arguments) -> N4Options {
    let whole = |name: &str| arguments.integer(name).unwrap_or_default() as usize;
    let number = |name: &str| arguments.number(name).unwrap_or_default();
    N4Options {
        shrink: whole("shrink"),
        levels: whole("levels"),
        iterations: whole("iterations"),
        control_points: whole("control"),
        convergence: number("convergence"),
        sharpening: Sharpening {
            bins: whole("bins"),
            fwhm: number("fwhm"),
            noise: number("noise"),
        },
    }
}

fn correct_bias(context: &mut Context<'_>, arguments: &Arguments) -> Result<Output, Error> {
    let images = context.images()?;
    let first = images
        .patients
        .first()
        .ok_or_else(|| Error::invalid("the cohort has no patients"))?;
    let available = match first.synthetic() {
        Some(s) => s.phantom.knobs.phases,
        None => first
            .volume()
            .map_err(|e| Error::invalid(e.to_string()))?
            .phases(),
    };
    let phases = phases(arguments, context, available)?;
    let options = options(arguments);
    let listed: Vec<usize> = match phases {
        Phases::All => (1..=available).collect(),
        Phases::One(p) => vec![p],
    };
    let outcomes =
        context.each_in_parallel("estimating bias fields", &images.patients, |patient| {
            estimate_patient(patient, &listed, &options)
        })?;

    let mut correction = BiasCorrection::new(options, phases);
    let mut problems = Vec::new();
    let (mut iterations, mut spans, mut recovered, mut remaining, mut fat, mut muscle) = (
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
    );
    for (patient, outcome) in images.patients.iter().zip(outcomes) {
        match outcome {
            Ok(estimated) => {
                if let Some(r) = estimated.recovery {
                    recovered.push((patient.id.clone(), r));
                }
                remaining.extend(estimated.remaining);
                fat.extend(estimated.fat);
                muscle.extend(estimated.muscle);
                for (phase, outcome) in estimated.fields {
                    iterations.push(outcome.iterations.iter().sum::<usize>() as f64);
                    let log = outcome.field.log.evaluate((33, 33));
                    let (low, high) = log
                        .iter()
                        .fold((f64::MAX, f64::MIN), |(l, h), &v| (l.min(v), h.max(v)));
                    spans.push((high - low).exp());
                    correction.insert(&patient.id, phase, estimated.slice, outcome.field);
                }
            }
            Err(reason) => problems.push(format!("{}: {reason}", patient.id)),
        }
    }
    let mut output = Output::default();
    let previous = context.state.bias.is_some();
    output.push(Text::info(format!(
        "N4 bias correction of {} on {} of {} patients' analysis slices{}",
        match phases {
            Phases::All => "every phase".to_string(),
            Phases::One(p) => format!("phase {p}"),
        },
        images.patients.len() - problems.len(),
        images.patients.len(),
        if previous {
            " (replaces the earlier correction)"
        } else {
            ""
        }
    )));
    let mut table =
        Table::new("bias", "Bias correction").with_columns(["", "median (IQR)", "slices"]);
    let mut summary_row = |label: &str, values: &[f64]| add_summary_row(&mut table, label, values);
    summary_row("iterations (all levels)", &iterations);
    summary_row("field's largest / smallest value", &spans);
    let values: Vec<f64> = recovered.iter().map(|r| r.1).collect();
    summary_row("correlation with the true field", &values);
    for (label, pairs) in [
        ("non-uniformity (CV of the true field)", &remaining),
        ("fat", &fat),
        ("chest wall", &muscle),
    ] {
        let before: Vec<f64> = pairs.iter().map(|p| p.0).collect();
        let after: Vec<f64> = pairs.iter().map(|p| p.1).collect();
        let label = label
            .strip_prefix("non-uniformity")
            .map_or(format!("CV in {label}"), |rest| {
                format!("bias non-uniformity{rest}")
            });
        summary_row(&format!("{label}, raw"), &before);
        summary_row(&format!("{label}, corrected"), &after);
    }
    table.note(format!(
        "shrink {}, {} levels of at most {} iterations, {} control points, convergence {}, {} bins, FWHM {}, Wiener noise {}",
        options.shrink,
        options.levels,
        options.iterations,
        options.control_points,
        options.convergence,
        options.sharpening.bins,
        options.sharpening.fwhm,
        options.sharpening.noise
    ));
    if !recovered.is_empty() {
        table.note("true field and homogeneous tissue known for the synthetic cohort only; CV = sd / mean of the pixels");
    }
    output.push(table);
    if !recovered.is_empty() {
        let mut worst = recovered.clone();
        worst.sort_by(|a, b| a.1.total_cmp(&b.1));
        let mut table = Table::new("bias-worst", "Least recovered fields")
            .with_columns(["patient", "correlation"]);
        for (id, r) in worst.iter().take(5) {
            table.add_row(vec![Cell::text(id), Cell::number(*r)]);
        }
        output.push(table);
    }
    if let Some(warning) = patients_warning(&problems, ("was not estimated", "were not estimated"))
    {
        output.push(warning);
    }
    if context.state.segmentation.is_some() {
        output.push(Text::warning(
            "the segmentation was drawn on other images: run `segment` again (and `extract`)",
        ));
    }
    output.method(super::methods::bias_correction(
        &match phases {
            Phases::All => "every phase".to_string(),
            Phases::One(p) => format!("phase {p}"),
        },
        images.patients.len() - problems.len(),
        images.patients.len(),
        &format!(
            "the image shrunk {} times, {} fitting level{} of at most {} iterations, {} control points",
            options.shrink,
            options.levels,
            if options.levels == 1 { "" } else { "s" },
            options.iterations,
            options.control_points
        ),
    ));
    context.state.bias = Some(Arc::new(correction));
    Ok(output)
}
