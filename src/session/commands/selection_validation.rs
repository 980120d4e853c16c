//! `validate MODEL pipeline=yes` and `calibrate MODEL pipeline=yes` for a model whose terms
//! `select forward` chose: the selection repeated on every bootstrap sample (after the LASSO
//! signature, when one is a candidate), beside the validation of the final fit alone.

use super::pipeline_validation::{Stops, candidate_features, comparison_table, with_progress};
use crate::error::Error;
use crate::output::{Cell, Model, Output, Table, Text};
use crate::session::context::Context;
use crate::session::state::{RecordedSelection, RecordedSignature};
use crate::stats::design::build;
use crate::stats::design::{Design, TermRequest};
use crate::stats::linalg::Matrix;
use crate::stats::logistic::LogisticFit;
use crate::stats::logistic::fit;
use crate::stats::optimism::CalibrationCurve;
use crate::stats::optimism::bootstrap_validation;
use crate::stats::selection::{Criterion, label};
use crate::stats::selection_replay::{
    SelectionPipeline, selection_calibration, selection_validation,
};

/// What a selected model's replay needs: the selection's record, the model's design and fit on
/// the patients the selection used, and the LASSO signature among the candidates, if any.
struct Prepared {
    recorded: RecordedSelection,
    design: Design,
    original: LogisticFit,
    chosen: Vec<TermRequest>,
    signature: Option<(RecordedSignature, Matrix, String)>,
}

fn prepared(
    context: &Context<'_>,
    name: &str,
    model: &Model,
    key: &str,
) -> Result<Prepared, Error> {
    let recorded = context.state.selections.get(key).cloned().ok_or_else(|| {
        Error::invalid(format!(
            "`{name}` was chosen by forward selection, but the session no longer holds how (the data were loaded again); run `select forward` again"
        ))
    })?;
    let data = context.data()?;
    // The chosen terms coded as the selection coded them.
    let chosen: Vec<_> = model
        .terms
        .iter()
        .filter_map(|term| {
            recorded
                .scope
                .iter()
                .find(|s| s.column == term.column)
                .cloned()
        })
        .collect();
    let design = build(data, &model.outcome, &chosen, &recorded.rows)
        .map_err(|e| Error::invalid(e.message))?;
    if design.rows != recorded.rows {
        return Err(Error::invalid(format!(
            "the data behind `{name}` have changed since `select forward` chose it; run it again"
        )));
    }
    let original = fit(&design.x, &design.y, None);
    // A LASSO signature among the candidates is made again on each sample.
    let mut signature = None;
    for term in &recorded.scope {
        let Some(made) = context.state.signatures.get(&term.column) else {
            continue;
        };
        if data.numbers(&term.column) != Some(made.scores.as_slice()) {
            return Err(Error::invalid(format!(
                "column `{}` has changed since `lasso` made it, so its steps cannot be repeated as they were; run `lasso` and `select forward` again",
                term.column
            )));
        }
        let features = candidate_features(context, made, &recorded.rows)?;
        signature = Some((made.clone(), features, term.column.clone()));
        break;
    }
    Ok(Prepared {
        recorded,
        design,
        original,
        chosen,
        signature,
    })
}

/// The selection's pipeline over `prepared`'s patients.
fn pipeline_of<'a>(
    context: &'a Context<'_>,
    model: &'a Model,
    prepared: &'a Prepared,
) -> Result<SelectionPipeline<'a>, Error> {
    Ok(SelectionPipeline {
        data: context.data()?,
        outcome: &model.outcome,
        scope: &prepared.recorded.scope,
        criterion: prepared.recorded.criterion,
        rows: &prepared.recorded.rows,
        signature: prepared
            .signature
            .as_ref()
            .map(|(made, features, column)| (&made.steps, features, column.as_str())),
    })
}

/// What each replicate repeated, in words.
fn replayed(prepared: &Prepared, (replicates, seed): (usize, u64)) -> Text {
    let recorded = &prepared.recorded;
    Text::info(format!(
        "each of {replicates} bootstrap samples of the {} patients complete in every candidate repeated: {}forward selection ({}) from {}; the fit of what it chose — and was tested on the original patients (seed {seed})",
        recorded.rows.len(),
        prepared.signature.as_ref().map_or(String::new(), |(made, _, column)| format!(
            "the `{column}` signature (z-scoring of its {} candidate features, LASSO with fresh folds); ",
            made.steps.features.len()
        )),
        match recorded.criterion {
            Criterion::Aic => "AIC".to_string(),
            Criterion::PToEnter(p) => format!("p to enter < {p}"),
        },
        recorded.scope.iter().map(label).collect::<Vec<_>>().join(" + ")
    ))
}

/// The bias-corrected calibration curve with the selection repeated (`calibrate MODEL
/// pipeline=yes` for a selected model), and what each replicate repeated.
pub(super) fn calibrate_selection(
    context: &mut Context<'_>,
    (name, model, key): (&str, &Model, &str),
    (replicates, seed): (usize, u64),
) -> Result<(CalibrationCurve, Text), Error> {
    let prepared = prepared(context, name, model, key)?;
    let curve = {
        let pipeline = pipeline_of(context, model, &prepared)?;
        let label = "bootstrap calibration with the selection repeated";
        with_progress(context, (label, replicates), |stops: Stops<'_>| {
            selection_calibration(
                &prepared.design.y,
                &prepared.original,
                &pipeline,
                (replicates, seed),
                stops,
            )
        })?
    };
    Ok((curve, replayed(&prepared, (replicates, seed))))
}

/// Runs both validations of the selected `model` and reports them side by side, with how often
/// each candidate was chosen.
pub(super) fn validate_selection(
    context: &mut Context<'_>,
    (name, model, key): (&str, &Model, &str),
    (replicates, seed): (usize, u64),
) -> Result<Output, Error> {
    let prepared = prepared(context, name, model, key)?;
    let Prepared {
        recorded,
        design,
        original,
        chosen,
        ..
    } = &prepared;
    let label_model = "bootstrap validation of the final fit";
    let (model_only, _) = with_progress(context, (label_model, replicates), |(stop, _)| {
        bootstrap_validation(&design.x, &design.y, original, replicates, seed, stop)
    })?;
    let pipeline = pipeline_of(context, model, &prepared)?;
    let label_pipeline = "bootstrap validation with the selection repeated";
    let (whole, refits, counts) =
        with_progress(context, (label_pipeline, replicates), |stops: Stops<'_>| {
            selection_validation(&design.y, original, &pipeline, (replicates, seed), stops)
        })?;
    let mut output = Output::empty();
    output.push(replayed(&prepared, (replicates, seed)));
    let mut table = comparison_table(name, model, &model_only, &whole, refits.fitted);
    table.notes = vec![format!(
        "{} replicates refitted; optimism = mean on the bootstrap samples − mean on the original patients, corrected = apparent − optimism (as rms's validate); the final-fit columns treat the chosen terms as given, the pipeline columns repeat the selection on every sample — their difference is how much choosing the terms on these patients flatters the model",
        refits.fitted
    )];
    table.title = format!(
        "Bootstrap validation of {name} ({} cohort): the final fit alone and with the selection repeated",
        model.cohort
    );
    output.push(table);
    let mut chosen_table = Table::new(
        "selection frequency",
        format!(
            "How often each candidate was selected ({} replicates)",
            refits.fitted
        ),
    )
    .with_columns(["Candidate", "Selected in", format!("In `{name}`").as_str()]);
    let mut order: Vec<usize> = (0..recorded.scope.len()).collect();
    order.sort_by(|&a, &b| counts[b].cmp(&counts[a]).then(a.cmp(&b)));
    for j in order {
        let term = &recorded.scope[j];
        chosen_table.add_row(vec![
            Cell::text(label(term)),
            Cell::Count {
                count: counts[j] as u64,
                total: refits.fitted as u64,
            },
            Cell::text(if chosen.contains(term) { "yes" } else { "" }),
        ]);
    }
    output.push(chosen_table);
    Ok(output)
}
