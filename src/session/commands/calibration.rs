//! Calibration of a model's risks: `calibrate` (bootstrap-corrected calibration curve as rms's
//! `calibrate`, the validation cohort's smoothed curve with its intercept and slope, and the
//! Hosmer–Lemeshow test), `validate` (optimism-corrected indices as rms's `validate`) and `hosmer`
//! (the Hosmer–Lemeshow test alone).

use super::models::{fitting_cohort, input_error, stored_model};
use super::validation::{COHORTS, Predictor, Scored, cohorts, one_model, scored};
use crate::data::{Cohort, Dataset};
use crate::error::{Error, ErrorKind};

use crate::output::{Axis, Cell, Layer, Legend, Model, Output, Plot, Series, Table, Text};
use crate::session::args::Arguments;
use crate::session::context::Context;
use crate::session::spec::{ArgKind, ArgSpec, CommandSpec, Group};
use crate::stats::calibration::{ExternalCalibration, external_calibration};
use crate::stats::design::{Design, TermRequest, build};
use crate::stats::logistic::{LogisticFit, fit};
use crate::stats::optimism::{
    CalibrationCurve, Refits, VALIDATION_INDICES, bootstrap_calibration, bootstrap_validation,
};

pub const HOSMER: CommandSpec = CommandSpec {
    name: "hosmer",
    summary: "Hosmer–Lemeshow goodness-of-fit test of a model's predicted risks",
    help: "Groups the patients by quantiles of predicted risk (`groups`, default deciles) and \
compares observed with expected events: X² on groups − 2 degrees of freedom, as \
ResourceSelection's hoslem.test. When predictions take few distinct values the cut points \
collapse and fewer groups form while the df stay groups − 2; the groups actually used and their \
expected counts are shown, with a warning for expected counts below 5.",
    examples: &["hosmer combined", "hosmer clinical groups=8 cohort=valid"],
    arguments: &[
        ArgSpec::positional(
            "predictors",
            ArgKind::Words,
            "a stored model (or a column of probabilities)",
        )
        .required(),
        ArgSpec::keyword(
            "groups",
            ArgKind::WholeNumber { min: 3, max: 100 },
            "number of risk groups",
        )
        .default("10"),
        COHORTS,
    ],
    group: Group::Validation,
    replayable: true,
    run: run_hosmer,
};

fn run_hosmer(context: &mut Context<'_>, arguments: &Arguments) -> Result<Output, Error> {
    let predictor = one_model(context, arguments)?;
    let groups = arguments.integer("groups").unwrap_or(10) as usize;
    Ok(
        hosmer_lemeshow_output(context, &predictor, groups, arguments.text("cohort"))?
            .with_method(super::methods::hosmer(&predictor.name, groups)),
    )
}

/// The Hosmer–Lemeshow test of one predictor in each cohort, with its groups.
fn hosmer_lemeshow_output(
    context: &Context<'_>,
    predictor: &Predictor,
    groups: usize,
    cohort_choice: Option<&str>,
) -> Result<Output, Error> {
    let outcome = context.outcome()?;
    let data = context.data()?;
    let mut summary = Table::new(
        "hosmer",
        format!("Hosmer–Lemeshow test: {}", predictor.name),
    )
    .with_columns(["Cohort", "n", "Groups formed", "X²", "df", "p"]);
    summary.note(context.event_note());
    let mut detail = Table::new(
        "hosmer_groups",
        format!("Hosmer–Lemeshow groups: {}", predictor.name),
    )
    .with_columns(["Cohort", "Group", "Risk up to", "n", "Observed", "Expected"]);
    let mut output = Output::empty();
    for (cohort_label, cohort) in cohorts(data, cohort_choice) {
        let rows = data.rows_of(cohort);
        let Scored { y, scores } = scored(data, &outcome, &rows, &[predictor])?;
        let test = crate::stats::calibration::hosmer_lemeshow(&y, &scores[0], groups);
        summary.add_row(vec![
            Cell::text(&cohort_label),
            Cell::Integer {
                value: y.len() as i64,
            },
            Cell::Integer {
                value: test.groups.len() as i64,
            },
            Cell::number(test.statistic),
            Cell::number(test.df),
            Cell::p_value(test.p_value),
        ]);
        for (index, (upper, n, observed, expected)) in test.groups.iter().enumerate() {
            detail.add_row(vec![
                Cell::text(&cohort_label),
                Cell::Integer {
                    value: index as i64 + 1,
                },
                Cell::number(*upper),
                Cell::Integer { value: *n as i64 },
                Cell::number(*observed),
                Cell::number(*expected),
            ]);
        }
        let small = test
            .groups
            .iter()
            .filter(|g| g.3 < 5.0 || (g.1 as f64 - g.3) < 5.0)
            .count();
        if small > 0 {
            output.push(Text::warning(format!(
                "{cohort_label}: {small} of {} groups have an expected count below 5; the chi-squared approximation is doubtful",
                test.groups.len()
            )));
        }
        if test.groups.len() < groups {
            summary.note(format!(
                "{cohort_label}: {} groups formed (tied predicted risks collapse cut points); df stay {} − 2",
                test.groups.len(),
                groups
            ));
        }
    }
    output.items.insert(0, summary.into());
    output.push(detail);
    Ok(output)
}

/// The arguments of `calibrate` and `validate`: the model, replicates and seed.
const BOOTSTRAP_ARGUMENTS: &[ArgSpec] = &[
    ArgSpec::positional("model", ArgKind::Model, "the stored model").required(),
    ArgSpec::keyword(
        "boot",
        ArgKind::WholeNumber {
            min: 10,
            max: 1_000_000,
        },
        "bootstrap replicates",
    )
    .default("1000"),
    ArgSpec::keyword(
        "seed",
        ArgKind::WholeNumber {
            min: 0,
            max: i64::MAX,
        },
        "bootstrap seed (default: `set seed`)",
    ),
];

const PIPELINE_BOOTSTRAP_ARGUMENTS: &[ArgSpec] = &[
    BOOTSTRAP_ARGUMENTS[0],
    BOOTSTRAP_ARGUMENTS[1],
    BOOTSTRAP_ARGUMENTS[2],
    ArgSpec::keyword(
        "pipeline",
        ArgKind::Boolean,
        "repeat every step that made the model's LASSO signature in each replicate",
    )
    .default("no"),
];

pub const CALIBRATE: CommandSpec = CommandSpec {
    name: "calibrate",
    summary: "calibration curves: bootstrap bias-corrected, and on the validation cohort",
    help: "The apparent and the optimism-corrected (bias-corrected) calibration curves of a stored \
model, as R's rms `calibrate(method = \"boot\")`: observed risk smoothed by lowess against \
predicted risk on a grid of 50 predicted risks from the 5th smallest to the 5th largest \
prediction of the fitting patients; each of `boot` bootstrap refits measures how much better the \
curve looks on its own sample than on the original patients, and the mean of that optimism is \
taken off the apparent curve. Reports the mean absolute error, mean squared error and 0.9 \
quantile of the absolute error over the patients' own predictions (those outside the grid have \
none and are counted). On the validation cohort: the lowess curve of observed against \
predicted risk with the calibration intercept and slope (logistic regression of the outcome on \
the logit of the risk; ideal 0 and 1). Drawn with the ideal line (the study's Figs 6C/D), and \
followed by the Hosmer–Lemeshow test in each cohort. With `pipeline=yes` the curve is also \
corrected by replaying every step that made the model's LASSO signature on each bootstrap sample \
(as `validate … pipeline=yes`; 200 replicates unless `boot` says), drawn beside the other.",
    examples: &[
        "calibrate combined",
        "calibrate combined boot=200 seed=7",
        "calibrate combined pipeline=yes",
    ],
    arguments: PIPELINE_BOOTSTRAP_ARGUMENTS,
    group: Group::Validation,
    replayable: true,
    run: run_calibrate,
};

pub const VALIDATE: CommandSpec = CommandSpec {
    name: "validate",
    summary: "optimism-corrected C-index, R², calibration slope and Brier score by bootstrap",
    help: "Internal validation of a stored model by the bootstrap, as R's rms `validate(method = \
\"boot\")`: for Somers' Dxy (and the C-index = Dxy/2 + ½, the AUC), Nagelkerke's R², the \
calibration intercept and slope, Emax, the discrimination index D, unreliability U, quality Q, \
the Brier score B and the g-indices: the apparent value, the mean on the bootstrap samples \
(training) and on the original patients (test), the optimism (their difference) and the \
corrected value (apparent − optimism). With `pipeline=yes` every step that made a model's LASSO \
signature is repeated on each bootstrap sample as well — z-scoring, the LASSO's cross-validated \
choice of λ and features with fresh folds, the rad-score, the final fit — and the pipeline is \
tested on the original patients (Harrell's optimism with the selection repeated); its optimism \
and corrected values are shown beside the final fit's alone, with how often each feature entered \
the replicates' signatures. The steps are those the session's `lasso` ran; each replicate \
cross-validates a LASSO, so `boot` defaults to 200 there. For a model `select forward` chose, \
`pipeline=yes` repeats the forward selection over the same candidates on each sample (after \
making the signature again when one is a candidate) and shows how often each candidate was \
chosen; `calibrate` draws its curve.",
    examples: &[
        "validate combined",
        "validate clinical boot=200 seed=7",
        "validate combined pipeline=yes boot=200",
    ],
    arguments: PIPELINE_BOOTSTRAP_ARGUMENTS,
    group: Group::Validation,
    replayable: true,
    run: run_validate,
};

/// The stored model refitted on the patients it was fitted on: its design and fit.
pub(super) fn refitted(
    context: &Context<'_>,
    model: &Model,
) -> Result<(Design, LogisticFit), Error> {
    let requests: Vec<TermRequest> = model
        .terms
        .iter()
        .map(|term| TermRequest {
            column: term.column.clone(),
            // Indicators for every categorical term, text columns and `factor()` of numbers
            // alike: the same x as the stored fit (only x and y are used here).
            factor: term.categorical,
        })
        .collect();
    let data = context.data()?;
    let rows = data.rows_of(fitting_cohort(model));
    let design = build(data, &model.outcome, &requests, &rows).map_err(input_error)?;
    let fitted = fit(&design.x, &design.y, None);
    Ok((design, fitted))
}

fn replicates_and_seed(context: &Context<'_>, arguments: &Arguments) -> (usize, u64) {
    (
        arguments.integer("boot").unwrap_or(1000) as usize,
        arguments
            .integer("seed")
            .map_or(context.state.settings.seed, |s| s as u64),
    )
}

/// Replicates of a pipeline bootstrap: each cross-validates a LASSO, so 200 unless asked.
fn pipeline_replicates(arguments: &Arguments, replicates: usize) -> usize {
    if arguments.integer("boot").is_some() {
        replicates
    } else {
        200
    }
}

fn run_calibrate(context: &mut Context<'_>, arguments: &Arguments) -> Result<Output, Error> {
    let name = arguments.text("model").unwrap_or_default().to_string();
    let model = stored_model(context, arguments)?;
    let (design, original) = refitted(context, &model)?;
    let (replicates, seed) = replicates_and_seed(context, arguments);
    let mut output = Output::empty();
    // The pipeline first: a model without a LASSO signature is refused before any bootstrap.
    let selected = model.selected_by.clone();
    let whole = if arguments.boolean("pipeline") == Some(true)
        && let Some(key) = selected
    {
        let (whole, said) = super::selection_validation::calibrate_selection(
            context,
            (&name, &model, &key),
            (pipeline_replicates(arguments, replicates), seed),
        )?;
        output.push(said);
        Some(whole)
    } else if arguments.boolean("pipeline") == Some(true) {
        let (whole, said) = super::pipeline_validation::calibrate_pipeline(
            context,
            (&name, &model),
            (&design, &original),
            (pipeline_replicates(arguments, replicates), seed),
        )?;
        output.push(said);
        Some(whole)
    } else {
        None
    };
    let stop = context.replicate_callback("bootstrap calibration", replicates);
    let curve = bootstrap_calibration(&design.x, &design.y, &original, replicates, seed, &stop);
    drop(stop);
    context.progress.finish();
    let curve = curve.map_err(|_| Error::new(ErrorKind::Cancelled))?;
    if let Some(warning) = separated_refits(curve.refits) {
        output.push(warning);
    }
    if model.firth {
        output.push(Text::warning(
            "the model was fitted by Firth's penalised likelihood; the bootstrap refits use maximum likelihood",
        ));
    }

    let mut summary = Table::new("calibration", format!("Calibration: {name}")).with_columns([
        "Cohort",
        "Curve",
        "n",
        "Mean absolute error",
        "Mean squared error",
        "0.9 quantile of absolute error",
        "Intercept",
        "Slope",
    ]);
    let bootstrap_row = |label: String, corrected: &CalibrationCurve| {
        vec![
            Cell::text(&model.cohort),
            Cell::text(label),
            Cell::Integer {
                value: design.y.len() as i64,
            },
            Cell::number(corrected.mean_absolute_error),
            Cell::number(corrected.mean_squared_error),
            Cell::number(corrected.quantile_90_absolute_error),
        ]
    };
    summary.add_row(bootstrap_row(
        format!("bias-corrected ({} bootstrap refits)", curve.refits.fitted),
        &curve,
    ));
    let mut layers = vec![Layer::Line {
        series: Series {
            label: "ideal".into(),
            colour: 7,
        },
        points: vec![(0.0, 0.0), (1.0, 1.0)],
        dashed: true,
    }];
    let line = |label: String, colour: usize, values: Vec<Option<f64>>| Layer::Line {
        series: Series { label, colour },
        points: curve
            .grid
            .iter()
            .zip(values)
            .filter_map(|(g, v)| v.map(|v| (*g, v)))
            .collect(),
        dashed: false,
    };
    layers.push(line(
        format!("apparent ({})", model.cohort),
        0,
        curve.points.iter().map(|p| p.apparent).collect(),
    ));
    layers.push(line(
        format!("bias-corrected (B = {})", curve.refits.fitted),
        1,
        curve.points.iter().map(|p| p.corrected).collect(),
    ));
    if let Some(whole) = &whole {
        summary.add_row(bootstrap_row(
            format!(
                "bias-corrected, whole pipeline ({} bootstrap replays)",
                whole.refits.fitted
            ),
            whole,
        ));
        layers.push(line(
            format!("pipeline-corrected (B = {})", whole.refits.fitted),
            3,
            whole.points.iter().map(|p| p.corrected).collect(),
        ));
    }
    let predictor = Predictor::of_model(&name, &model, context.data()?);
    if let Some(validation) = validation_curve(context.data()?, &model, &predictor)? {
        summary.add_row(vec![
            Cell::text("validation"),
            Cell::text("lowess of observed on predicted"),
            Cell::Integer {
                value: validation.n as i64,
            },
            Cell::number(validation.mean_absolute_error),
            Cell::number(validation.mean_squared_error),
            Cell::number(validation.quantile_90_absolute_error),
            Cell::optional_number(validation.intercept),
            Cell::optional_number(validation.slope),
        ]);
        layers.push(Layer::Line {
            series: Series {
                label: "validation (lowess)".into(),
                colour: 2,
            },
            points: validation.curve,
            dashed: false,
        });
    }
    summary.note(format!(
        "{}; bootstrap as rms's calibrate(method = \"boot\"): {} replicates asked, seed {seed}; lowess (f = 2/3, no robustness steps) on a grid of 50 predicted risks from {:.4} to {:.4} (the 5th smallest to the 5th largest prediction); {} patients' predictions fall outside it and have no error; validation intercept and slope: logistic regression of the outcome on logit(predicted risk)",
        context.event_note(),
        curve.replicates_asked,
        curve.grid.first().copied().unwrap_or(f64::NAN),
        curve.grid.last().copied().unwrap_or(f64::NAN),
        curve.outside_grid
    ));
    output.push(summary);

    let mut points = Table::new(
        "calibration-curve",
        format!("Calibration curve: {name} (every 5th grid point)"),
    )
    .with_columns([
        "Predicted",
        "Apparent",
        "Optimism",
        "Bias-corrected",
        "Replicates",
    ]);
    if whole.is_some() {
        points.add_column("Pipeline-corrected", None);
    }
    let count = curve.grid.len();
    for k in (0..count).filter(|k| k % 5 == 0 || *k + 1 == count) {
        let point = &curve.points[k];
        let mut row = vec![
            Cell::number(curve.grid[k]),
            Cell::optional_number(point.apparent),
            Cell::optional_number(point.optimism),
            Cell::optional_number(point.corrected),
            Cell::Integer {
                value: point.replicates as i64,
            },
        ];
        if let Some(whole) = &whole {
            row.push(Cell::optional_number(whole.points[k].corrected));
        }
        points.add_row(row);
    }
    output.push(Plot {
        name: format!("calibration-{name}"),
        title: format!("Calibration: {name}"),
        x: Axis {
            range: Some((0.0, 1.0)),
            ..Axis::new("predicted risk")
        },
        y: Axis {
            range: Some((0.0, 1.0)),
            ..Axis::new("observed risk")
        },
        layers,
        size: (620, 560),
        legend: Legend::LowerRight,
    });
    output.push(points);
    output.extend(hosmer_lemeshow_output(
        context,
        &predictor,
        10,
        Some("both"),
    )?);
    output.method(super::methods::calibration(
        &name,
        (replicates, seed),
        whole.as_ref().map(|w| w.refits.fitted),
        context.data()?.cohorts.is_some() && model.cohort == "training",
    ));
    Ok(output)
}

/// The validation cohort's calibration of a model fitted on the training cohort.
/// `predictor` holds the model's predicted probabilities for every data row.
fn validation_curve(
    data: &Dataset,
    model: &Model,
    predictor: &Predictor,
) -> Result<Option<ExternalCalibration>, Error> {
    if data.cohorts.is_none() || model.cohort != "training" {
        return Ok(None);
    }
    let rows = data.rows_of(Some(Cohort::Validation));
    let Scored { y, scores } = scored(data, &model.outcome, &rows, &[predictor])?;
    if y.len() < 3 {
        return Ok(None);
    }
    Ok(Some(external_calibration(&scores[0], &y)))
}

/// A warning when bootstrap refits were separated: their coefficients are where the iterations
/// stopped, and the corrected measures include them (as rms's do).
fn separated_refits(refits: Refits) -> Option<Text> {
    (refits.separated > 0).then(|| {
        Text::warning(format!(
            "{} of {} bootstrap refits were separated (in those resamples a predictor, or a combination, orders the outcome perfectly): their coefficients are where the iterations stopped, and the corrected measures include them as rms's do; the model may have too few events per predictor — `fit … firth=yes` gives finite estimates",
            refits.separated, refits.fitted
        ))
    })
}

fn run_validate(context: &mut Context<'_>, arguments: &Arguments) -> Result<Output, Error> {
    let (replicates, seed) = replicates_and_seed(context, arguments);
    let pipeline = arguments.boolean("pipeline") == Some(true);
    let replicates = if pipeline {
        pipeline_replicates(arguments, replicates)
    } else {
        replicates
    };
    Ok(
        validated(context, arguments)?.with_method(super::methods::validation(
            arguments.text("model").unwrap_or_default(),
            (replicates, seed),
            pipeline,
        )),
    )
}

fn validated(context: &mut Context<'_>, arguments: &Arguments) -> Result<Output, Error> {
    let name = arguments.text("model").unwrap_or_default().to_string();
    let model = stored_model(context, arguments)?;
    let (design, original) = refitted(context, &model)?;
    let (replicates, seed) = replicates_and_seed(context, arguments);
    if arguments.boolean("pipeline") == Some(true)
        && let Some(key) = model.selected_by.clone()
    {
        return super::selection_validation::validate_selection(
            context,
            (&name, &model, &key),
            (pipeline_replicates(arguments, replicates), seed),
        );
    }
    if arguments.boolean("pipeline") == Some(true) {
        return super::pipeline_validation::validate_pipeline(
            context,
            (&name, &model),
            (&design, &original),
            (pipeline_replicates(arguments, replicates), seed),
        );
    }
    let stop = context.replicate_callback("bootstrap validation", replicates);
    let validation = bootstrap_validation(&design.x, &design.y, &original, replicates, seed, &stop);
    context.progress.finish();
    let (indices, refits) = validation.map_err(|_| Error::new(ErrorKind::Cancelled))?;
    let fitted = refits.fitted;
    let mut table = Table::new(
        "validation",
        format!("Bootstrap validation: {name} ({} cohort)", model.cohort),
    )
    .with_columns([
        "Index",
        "Apparent",
        "Training",
        "Test",
        "Optimism",
        "Corrected",
        "n",
    ]);
    let row = |label: &str, values: [Option<f64>; 5], n: usize| {
        let mut cells = vec![Cell::text(label)];
        cells.extend(values.into_iter().map(Cell::optional_number));
        cells.push(Cell::Integer { value: n as i64 });
        cells
    };
    for (name, index) in VALIDATION_INDICES.iter().zip(&indices) {
        table.add_row(row(
            name,
            [
                index.apparent,
                index.training,
                index.test,
                index.optimism,
                index.corrected,
            ],
            index.replicates,
        ));
        if *name == "Dxy" {
            let c = |v: Option<f64>| v.map(|d| d / 2.0 + 0.5);
            table.add_row(row(
                "C (AUC)",
                [
                    c(index.apparent),
                    c(index.training),
                    c(index.test),
                    index.optimism.map(|o| o / 2.0),
                    c(index.corrected),
                ],
                index.replicates,
            ));
        }
    }
    table.note(format!(
        "{}; as rms's validate(method = \"boot\"): {fitted} of {replicates} bootstrap refits converged (seed {seed}); optimism = training − test, corrected = apparent − optimism; Dxy = 2(C − ½); Intercept and Slope recalibrate the refit's linear predictor on the original patients; Emax: largest |predicted − recalibrated| risk; D discrimination, U unreliability, Q = D − U, B Brier score, g and gp Gini mean differences of the linear predictor and of the risk",
        context.event_note()
    ));
    let mut output = Output::empty();
    if let Some(warning) = separated_refits(refits) {
        output.push(warning);
    }
    output.push(table);
    Ok(output)
}
