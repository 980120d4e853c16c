//! `validate MODEL pipeline=yes` (and `calibrate MODEL pipeline=yes`): the bootstrap validation of every step that made a model — the
//! LASSO signature made again on each sample from the session's record of `lasso` — beside the
//! validation of its final fit alone, so the gap between the two is visible.

use crate::error::{Error, ErrorKind};
use crate::output::{Cell, Model, Output, Table, Text};
use crate::session::context::Context;
use crate::session::state::RecordedSignature;
use crate::stats::design::Design;
use crate::stats::linalg::Matrix;
use crate::stats::logistic::LogisticFit;
use crate::stats::optimism::{
    CalibrationCurve, Cancelled, Corrected, VALIDATION_INDICES, bootstrap_validation,
};
use crate::stats::pipeline::{LambdaRule, Pipeline, pipeline_calibration, pipeline_validation};

/// The model's signature term: a numeric term whose column `lasso` made in this session and
/// still holds what it wrote. `Ok(None)` when the model has no such term.
fn signature_of<'a>(
    context: &'a Context<'_>,
    model: &Model,
    design: &Design,
) -> Result<Option<(&'a RecordedSignature, String, usize)>, Error> {
    let data = context.data()?;
    for (t, term) in model.terms.iter().enumerate() {
        let Some(recorded) = context.state.signatures.get(&term.column) else {
            continue;
        };
        if term.categorical {
            continue;
        }
        if data.numbers(&term.column) != Some(recorded.scores.as_slice()) {
            return Err(Error::invalid(format!(
                "column `{}` has changed since `lasso` made it, so its steps cannot be repeated as they were; run `lasso` again (and refit `{}`) to validate the pipeline",
                term.column, model.formula
            )));
        }
        let column = design
            .columns
            .iter()
            .position(|c| c.term == Some(t))
            .ok_or_else(|| {
                Error::invalid(format!("`{}` has no column in the design", term.column))
            })?;
        return Ok(Some((recorded, term.column.clone(), column)));
    }
    Ok(None)
}

/// The signature's candidate features for the design's patients, in its row order.
pub(super) fn candidate_features(
    context: &Context<'_>,
    recorded: &RecordedSignature,
    rows: &[usize],
) -> Result<Matrix, Error> {
    let data = context.data()?;
    let columns: Vec<Vec<f64>> = recorded
        .steps
        .features
        .iter()
        .map(|name| {
            let values = data.numbers(name).ok_or_else(|| {
                Error::invalid(format!(
                    "feature `{name}`, a candidate of the signature, is no longer a numeric column"
                ))
            })?;
            rows.iter()
                .map(|&r| {
                    values[r].ok_or_else(|| {
                        Error::new(ErrorKind::Input {
                            location: format!("patient {}", data.patient_label(r)),
                            message: format!("no value of feature `{name}`"),
                        })
                    })
                })
                .collect()
        })
        .collect::<Result<_, Error>>()?;
    Ok(Matrix::from_columns(&columns))
}

/// A model's pipeline as the session recorded it: the signature's record, its candidates' values
/// for the design's patients, the design column it fills and the column's name; refused when the
/// model has no LASSO signature made in this session.
pub(super) fn recorded_pipeline(
    context: &Context<'_>,
    (name, model): (&str, &Model),
    design: &Design,
) -> Result<(RecordedSignature, Matrix, usize, String), Error> {
    optional_pipeline(context, model, design)?.ok_or_else(|| {
        Error::invalid(format!(
            "`{name}` ({}) has no LASSO signature made in this session: its only data-driven step is the final fit, which the bootstrap already repeats without `pipeline=yes`; `pipeline=yes` is for models with a `lasso` column",
            model.formula
        ))
    })
}

/// [`recorded_pipeline`], or `None` when the model has no LASSO signature made in this session.
pub(super) fn optional_pipeline(
    context: &Context<'_>,
    model: &Model,
    design: &Design,
) -> Result<Option<(RecordedSignature, Matrix, usize, String)>, Error> {
    let Some((recorded, column, design_column)) = signature_of(context, model, design)? else {
        return Ok(None);
    };
    let recorded = recorded.clone();
    let features = candidate_features(context, &recorded, &design.rows)?;
    Ok(Some((recorded, features, design_column, column)))
}

/// What each pipeline replicate repeated, in words.
pub(super) fn replayed_steps(
    recorded: &RecordedSignature,
    column: &str,
    (model, patients): (&Model, usize),
    (replicates, seed): (usize, u64),
) -> Text {
    let steps = &recorded.steps;
    let folds = match &recorded.fixed_folds {
        Some(from) => format!(
            "{} fresh folds stratified by outcome (the original's came from column `{from}`)",
            steps.folds
        ),
        None => format!("{} fresh folds stratified by outcome", steps.folds),
    };
    Text::info(format!(
        "each of {replicates} bootstrap samples of the {patients} {} patients repeated: z-scoring of the {} candidate features with the sample's mean and sd; LASSO-logistic (alpha {}) with {folds}, λ by rule {}; the `{column}` score of every patient; the final fit {} — and was tested on the original patients (seed {seed})",
        model.cohort,
        steps.features.len(),
        steps.options.alpha,
        match steps.rule {
            LambdaRule::Min => "min",
            LambdaRule::OneSe => "1se",
        },
        model.formula
    ))
}

/// The two stop checks a bootstrap takes: before each replicate (counting it on the progress bar)
/// and inside one.
pub(super) type Stops<'a> = (&'a (dyn Fn() -> bool + Sync), &'a (dyn Fn() -> bool + Sync));

/// Runs a bootstrap with a progress bar of `replicates` steps labelled `label`, stoppable by the
/// session's cancel.
pub(super) fn with_progress<T>(
    context: &Context<'_>,
    (label, replicates): (&str, usize),
    run: impl FnOnce(Stops<'_>) -> Result<T, Cancelled>,
) -> Result<T, Error> {
    let stop = context.replicate_callback(label, replicates);
    let cancel = context.cancel.clone();
    let interrupted = move || cancel.is_cancelled();
    let result = run((&stop, &interrupted));
    drop(stop);
    context.progress.finish();
    result.map_err(|_| Error::new(ErrorKind::Cancelled))
}

/// The pipeline's bias-corrected calibration curve (`calibrate MODEL pipeline=yes`), with what
/// each replicate repeated.
pub(super) fn calibrate_pipeline(
    context: &mut Context<'_>,
    (name, model): (&str, &Model),
    (design, original): (&Design, &LogisticFit),
    (replicates, seed): (usize, u64),
) -> Result<(CalibrationCurve, Text), Error> {
    let (recorded, features, design_column, column) =
        recorded_pipeline(context, (name, model), design)?;
    let pipeline = Pipeline {
        steps: &recorded.steps,
        features: &features,
        column: design_column,
    };
    let label = "bootstrap calibration of the pipeline";
    let (curve, _) = with_progress(context, (label, replicates), |stops| {
        pipeline_calibration(
            &design.x,
            &design.y,
            original,
            &pipeline,
            (replicates, seed),
            stops,
        )
    })?;
    let said = replayed_steps(
        &recorded,
        &column,
        (model, design.rows.len()),
        (replicates, seed),
    );
    Ok((curve, said))
}

/// Runs both validations and reports them side by side.
pub(super) fn validate_pipeline(
    context: &mut Context<'_>,
    (name, model): (&str, &Model),
    (design, original): (&Design, &LogisticFit),
    (replicates, seed): (usize, u64),
) -> Result<Output, Error> {
    let (recorded, features, design_column, column) =
        recorded_pipeline(context, (name, model), design)?;
    let label = "bootstrap validation of the final fit";
    let (model_only, _) = with_progress(context, (label, replicates), |(stop, _)| {
        bootstrap_validation(&design.x, &design.y, original, replicates, seed, stop)
    })?;
    let pipeline = Pipeline {
        steps: &recorded.steps,
        features: &features,
        column: design_column,
    };
    let label = "bootstrap validation of the pipeline";
    let (whole, refits, signatures) = with_progress(context, (label, replicates), |stops| {
        pipeline_validation(
            &design.x,
            &design.y,
            original,
            &pipeline,
            (replicates, seed),
            stops,
        )
    })?;

    let mut output = Output::empty();
    output.push(replayed_steps(
        &recorded,
        &column,
        (model, design.rows.len()),
        (replicates, seed),
    ));
    output.push(comparison_table(
        name,
        model,
        &model_only,
        &whole,
        refits.fitted,
    ));
    output.extend(super::stability::selection_output(
        &signatures,
        &recorded.steps,
        &recorded.kept,
        format!(
            "the replicates that refitted; the features `{column}` holds marked; seed {seed} (the samples `lasso … stability=N seed={seed}` draws)"
        ),
    ));
    Ok(output)
}

/// The two validations' optimism and corrected values, index by index.
pub(super) fn comparison_table(
    name: &str,
    model: &Model,
    model_only: &[Corrected],
    whole: &[Corrected],
    fitted: usize,
) -> Table {
    let mut table = Table::new(
        "pipeline validation",
        format!(
            "Bootstrap validation of {name} ({} cohort): the final fit alone and the whole pipeline",
            model.cohort
        ),
    )
    .with_columns([
        "Index",
        "Apparent",
        "Optimism (final fit)",
        "Corrected (final fit)",
        "Optimism (pipeline)",
        "Corrected (pipeline)",
        "n (pipeline)",
    ]);
    for ((label, a), b) in VALIDATION_INDICES.iter().zip(model_only).zip(whole) {
        let mut add = |label: &str, f: &dyn Fn(Option<f64>) -> Option<f64>, o: f64| {
            table.add_row(vec![
                Cell::text(label),
                Cell::optional_number(f(a.apparent)),
                Cell::optional_number(a.optimism.map(|v| v * o)),
                Cell::optional_number(f(a.corrected)),
                Cell::optional_number(b.optimism.map(|v| v * o)),
                Cell::optional_number(f(b.corrected)),
                Cell::Integer {
                    value: b.replicates as i64,
                },
            ]);
        };
        add(label, &|v| v, 1.0);
        if *label == "Dxy" {
            add("C (AUC)", &|v| v.map(|d| d / 2.0 + 0.5), 0.5);
        }
    }
    table.note(format!(
        "{fitted} pipeline replicates refitted; optimism = mean on the bootstrap samples − mean on the original patients, corrected = apparent − optimism (as rms's validate); the final-fit columns treat the signature as given, the pipeline columns make it again on every sample — their difference is how much the signature's own selection flatters the model"
    ));
    table
}
