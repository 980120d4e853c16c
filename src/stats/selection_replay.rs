//! Validating a model whose terms forward selection chose: each bootstrap sample repeats the
//! selection over the same candidates with the same criterion — after making the LASSO signature
//! again first when one of the candidates is a signature — refits what it chose, and is tested on
//! the original patients. Without this, `validate` treats the chosen terms as if they had been
//! given, the most optimistic validation of a selected model.
//!
//! # References
//! Harrell, Regression Modeling Strategies, 2nd ed. (2015), §4.3 and §5.3.5 (stepwise selection
//! must be repeated inside every resample); Austin & Tu, "Bootstrap methods for developing
//! predictive models", Am. Stat. 58(2):131–137 (2004); Steyerberg, Clinical Prediction Models,
//! 2nd ed. (2019), §11.

use super::design::{TermRequest, build};
use super::linalg::Matrix;
use super::logistic::LogisticFit;
use super::optimism::{
    CalibrationCurve, Cancelled, Corrected, Refit, Refits, bootstrap_calibration_of,
    bootstrap_validation_of,
};
use super::pipeline::{SignatureSteps, signature_on};
use super::selection::{Criterion, forward};
use super::stability::SelectionStability;
use crate::data::{Column, Dataset};

/// A selected model's pipeline, ready to replay.
pub struct SelectionPipeline<'a> {
    pub data: &'a Dataset,
    pub outcome: &'a str,
    pub scope: &'a [TermRequest],
    pub criterion: Criterion,
    /// The patients (data rows) the selection used — complete in every candidate — in the order
    /// of the model's design rows.
    pub rows: &'a [usize],
    /// A LASSO signature among the candidates: how it was made, the candidate features of
    /// `rows`, and its column.
    pub signature: Option<(&'a SignatureSteps, &'a Matrix, &'a str)>,
}

/// One replicate on `sample` (positions in `rows`): the signature made again when there is one,
/// forward selection on the sample, the chosen terms refitted on it and every original patient
/// scored. Returns the refit and the chosen candidates (indices into `scope`); `None` when a step
/// failed (a selection error, a refit that did not converge).
fn replay(
    pipeline: &SelectionPipeline<'_>,
    y: &[f64],
    sample: &[usize],
    fold_seed: u64,
    interrupted: &(dyn Fn() -> bool + Sync),
) -> Option<(Refit, Vec<usize>)> {
    let remade;
    let data = match pipeline.signature {
        Some((steps, features, column)) => {
            let (score, _) = signature_on(features, y, steps, sample, fold_seed, interrupted)?;
            let mut copy = pipeline.data.clone();
            let mut values = vec![None; copy.row_count()];
            for (k, &row) in pipeline.rows.iter().enumerate() {
                values[row] = Some(score[k]);
            }
            copy.set_column(Column::numeric(column, values));
            remade = copy;
            &remade
        }
        None => pipeline.data,
    };
    let sample_rows: Vec<usize> = sample.iter().map(|&k| pipeline.rows[k]).collect();
    let selection = forward(
        data,
        pipeline.outcome,
        pipeline.scope,
        &sample_rows,
        pipeline.criterion,
    )
    .ok()?;
    let design = build(data, pipeline.outcome, &selection.chosen, pipeline.rows).ok()?;
    if design.rows != pipeline.rows {
        return None;
    }
    let chosen: Vec<usize> = selection
        .chosen
        .iter()
        .filter_map(|t| pipeline.scope.iter().position(|s| s == t))
        .collect();
    Some((Refit::on_sample(&design.x, y, sample)?, chosen))
}

/// Bootstrap validation of a selected model with the selection repeated on every sample: the
/// indices of [`super::optimism::bootstrap_validation`]; `y` and `original` are the model's
/// outcome and fit on `pipeline.rows`. Also returns how many replicates chose each candidate.
/// Replicate b draws its sample from the stream `Rng::for_item(seed, b)`, then its signature's
/// folds' seed, so the result is the same on any number of threads.
pub fn selection_validation(
    y: &[f64],
    original: &LogisticFit,
    pipeline: &SelectionPipeline<'_>,
    (replicates, seed): (usize, u64),
    (cancel, interrupted): (&(dyn Fn() -> bool + Sync), &(dyn Fn() -> bool + Sync)),
) -> Result<(Vec<Corrected>, Refits, Vec<usize>), Cancelled> {
    let chosen = std::sync::Mutex::new(Vec::new());
    let refit = |sample: &[usize], rng: &mut crate::rng::Rng| {
        let fold_seed = rng.next_u64();
        let (refit, terms) = replay(pipeline, y, sample, fold_seed, interrupted)?;
        if let Ok(mut all) = chosen.lock() {
            all.push(terms);
        }
        Some(refit)
    };
    let (indices, refits) =
        bootstrap_validation_of(y, original, (replicates, seed), cancel, &refit)?;
    if interrupted() {
        return Err(Cancelled);
    }
    let selections = chosen.into_inner().unwrap_or_default();
    let counts = SelectionStability::from_selections(&selections, pipeline.scope.len()).kept;
    Ok((indices, refits, counts))
}

/// The bias-corrected calibration curve of [`super::optimism::bootstrap_calibration`] with the
/// selection repeated on every sample ([`replay`]); arguments as [`selection_validation`]'s.
pub fn selection_calibration(
    y: &[f64],
    original: &LogisticFit,
    pipeline: &SelectionPipeline<'_>,
    (replicates, seed): (usize, u64),
    (cancel, interrupted): (&(dyn Fn() -> bool + Sync), &(dyn Fn() -> bool + Sync)),
) -> Result<CalibrationCurve, Cancelled> {
    let refit = |sample: &[usize], rng: &mut crate::rng::Rng| {
        let fold_seed = rng.next_u64();
        replay(pipeline, y, sample, fold_seed, interrupted).map(|(refit, _)| refit)
    };
    let curve = bootstrap_calibration_of(y, original, (replicates, seed), cancel, &refit)?;
    if interrupted() {
        return Err(Cancelled);
    }
    Ok(curve)
}
