//! `cv MODEL`: repeated K-fold cross-validation of a stored model — of its final fit alone and,
//! when its predictor is a LASSO signature made in this session, of the whole pipeline (nested).

use super::calibration::refitted;
use super::models::stored_model;
use super::pipeline_validation::optional_pipeline;
use crate::error::{Error, ErrorKind};
use crate::output::{Cell, Output, Table, Text};
use crate::session::args::Arguments;
use crate::session::context::Context;
use crate::session::spec::{ArgKind, ArgSpec, CommandSpec, Group};
use crate::stats::optimism::brier_score;
use crate::stats::pipeline::Pipeline;
use crate::stats::repeated_cv::{RepeatMeasures, repeated_cross_validation};
use crate::stats::roc::auc;

pub const CV: CommandSpec = CommandSpec {
    name: "cv",
    summary: "repeated K-fold cross-validation of a model, and of the pipeline that made it",
    help: "Splits the model's patients into `folds` stratified folds, `repeats` times over; each \
fold is predicted by the model fitted on the others, and each repeat's out-of-fold predictions \
are measured together: C (AUC), calibration intercept and slope, Brier score. When the model's \
predictor is a LASSO signature made in this session, the whole pipeline is cross-validated too \
(nested: each training part z-scores the candidates, cross-validates its own LASSO with inner \
folds and scores the patients before the final fit), beside the final fit alone with the \
signature taken as given. Reported: the mean over repeats and its range (the spread that comes \
from the split alone). Seeded; the same on any thread count.",
    examples: &["cv combined", "cv combined folds=5 repeats=20 seed=7"],
    arguments: &[
        ArgSpec::positional("model", ArgKind::Model, "the stored model").required(),
        ArgSpec::keyword(
            "folds",
            ArgKind::WholeNumber { min: 2, max: 50 },
            "folds per repeat",
        )
        .default("10"),
        ArgSpec::keyword(
            "repeats",
            ArgKind::WholeNumber { min: 1, max: 200 },
            "repeats with fresh folds",
        )
        .default("10"),
        ArgSpec::keyword(
            "seed",
            ArgKind::WholeNumber {
                min: 0,
                max: i64::MAX,
            },
            "seed of the folds (default: `set seed`)",
        ),
    ],
    group: Group::Validation,
    replayable: true,
    run: run_cv,
};

const MEASURES: [&str; 4] = ["C (AUC)", "Intercept", "Slope", "Brier"];

fn run_cv(context: &mut Context<'_>, arguments: &Arguments) -> Result<Output, Error> {
    let name = arguments.text("model").unwrap_or_default().to_string();
    let model = stored_model(context, arguments)?;
    let (design, original) = refitted(context, &model)?;
    let folds = arguments.integer("folds").unwrap_or(10) as usize;
    let repeats = arguments.integer("repeats").unwrap_or(10) as usize;
    let seed = arguments
        .integer("seed")
        .map_or(context.state.settings.seed, |s| s as u64);
    let events = design.y.iter().filter(|&&v| v > 0.5).count();
    let smaller = events.min(design.y.len() - events);
    if smaller < folds {
        return Err(Error::invalid(format!(
            "{folds} folds need at least {folds} patients in each outcome group; the smaller has {smaller}"
        ))
        .or_at(arguments.span("folds").unwrap_or(context.span)));
    }
    let recorded = optional_pipeline(context, &model, &design)?;
    let run = |pipeline: Option<&Pipeline<'_>>, label: &str| {
        let jobs = repeats * folds;
        let stop = context.replicate_callback(label, jobs);
        let cancel = context.cancel.clone();
        let interrupted = move || cancel.is_cancelled();
        let result = repeated_cross_validation(
            &design.x,
            &design.y,
            pipeline,
            (folds, repeats, seed),
            (&stop, &interrupted),
        );
        drop(stop);
        context.progress.finish();
        result.map_err(|_| Error::new(ErrorKind::Cancelled))
    };
    let final_fit = run(None, "cross-validating the final fit")?;
    let whole = match &recorded {
        Some((steps, features, column, _)) => {
            let pipeline = Pipeline {
                steps: &steps.steps,
                features,
                column: *column,
            };
            Some(run(Some(&pipeline), "cross-validating the pipeline")?)
        }
        None => None,
    };
    let eta = &original.linear_predictor;
    let brier = brier_score(eta, &design.y);
    let apparent = [auc(&design.y, eta), 0.0, 1.0, brier];
    let mut columns = vec![
        "Measure".to_string(),
        "Apparent".to_string(),
        "CV, final fit".to_string(),
        "range".to_string(),
    ];
    if whole.is_some() {
        columns.extend(["CV, pipeline".to_string(), "range ".to_string()]);
    }
    let mut table = Table::new(
        "cross-validation",
        format!(
            "Repeated {folds}-fold cross-validation of {name} ({} cohort, {repeats} {})",
            model.cohort,
            if repeats == 1 { "repeat" } else { "repeats" }
        ),
    )
    .with_columns(columns);
    for (k, label) in MEASURES.iter().enumerate() {
        let mut row = vec![Cell::text(*label), Cell::number(apparent[k])];
        row.extend(summary_cells(&final_fit, k));
        if let Some(whole) = &whole {
            row.extend(summary_cells(whole, k));
        }
        table.add_row(row);
    }
    table.note(format!(
        "each repeat's out-of-fold predictions measured together; mean over the repeats that completed ({} of {repeats} for the final fit{}) and their range; folds stratified by outcome, seed {seed}",
        final_fit.len(),
        whole
            .as_ref()
            .map_or(String::new(), |w| format!(", {} for the pipeline", w.len()))
    ));
    let mut output = Output::item(table);
    if model.selected_by.is_some() {
        output.push(Text::warning(format!(
            "`{name}`'s terms were chosen by forward selection, and `cv` takes them as given (it does not repeat the selection inside the folds): these figures flatter it; `validate {name} pipeline=yes` repeats the selection"
        )));
    }
    if let Some((steps, _, _, column)) = &recorded {
        output.push(Text::info(format!(
            "pipeline: each training part z-scored the {} candidate features, chose λ by its own {}-fold cross-validation and made `{column}` again before the final fit {}",
            steps.steps.features.len(),
            steps.steps.folds,
            model.formula
        )));
    }
    output.method(super::methods::cross_validation(
        &name,
        (folds, repeats, seed),
        recorded.is_some(),
    ));
    Ok(output)
}

/// Mean over repeats and its range for measure `k`.
fn summary_cells(measures: &[RepeatMeasures], k: usize) -> [Cell; 2] {
    let values: Vec<f64> = measures
        .iter()
        .map(|m| [m.c, m.intercept, m.slope, m.brier][k])
        .collect();
    if values.is_empty() {
        return [Cell::Empty, Cell::Empty];
    }
    if values.len() == 1 {
        return [Cell::number(values[0]), Cell::Empty];
    }
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    let low = values.iter().copied().fold(f64::INFINITY, f64::min);
    let high = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    [Cell::number(mean), Cell::Interval { low, high }]
}
