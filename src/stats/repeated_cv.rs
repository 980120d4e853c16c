//! Repeated K-fold cross-validation of a model and, when its predictor is a LASSO signature, of
//! the whole pipeline that made it (nested: each training part makes its own signature, with its
//! own inner folds). Every patient is predicted once per repeat by a model that never saw them;
//! the out-of-fold predictions of a repeat are pooled and measured, and the repeats show how much
//! the estimate depends on the split.
//!
//! # References
//! Harrell, Regression Modeling Strategies, 2nd ed. (2015), §5.3.3 (repeated cross-validation,
//! every data-driven step inside the loop); Varma & Simon, "Bias in error estimation when using
//! cross-validation for model selection", BMC Bioinformatics 7:91 (2006) (nested CV); Steyerberg,
//! Clinical Prediction Models, 2nd ed. (2019), §17.2.

use super::lasso::stratified_folds;
use super::linalg::Matrix;
use super::logistic::fit;
use super::optimism::{Cancelled, brier_score};
use super::pipeline::{Pipeline, signature_on};
use super::roc::auc;
use rayon::prelude::*;

/// One repeat's pooled out-of-fold measures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RepeatMeasures {
    /// C statistic (AUC) of the out-of-fold linear predictors.
    pub c: f64,
    /// Calibration intercept and slope: the logistic fit y ~ a + b·η of the out-of-fold η.
    pub intercept: f64,
    pub slope: f64,
    /// Mean squared error of the out-of-fold risks.
    pub brier: f64,
}

/// Repeated stratified K-fold cross-validation of the logistic model with design `x` (intercept
/// column included) and outcome `y`; with `pipeline`, each training part first makes the
/// signature again ([`signature_on`]) and the design's signature column is its score. Repeat r
/// takes its folds' seed from the stream `Rng::for_item(seed, r)` and, per fold, the seed of the
/// inner folds from the same stream, so the result is the same on any number of threads. A
/// repeat with a fold whose fit failed (did not converge) is left out; `cancel` is asked before
/// each fold and `interrupted` inside the signature's cross-validation.
pub fn repeated_cross_validation(
    x: &Matrix,
    y: &[f64],
    pipeline: Option<&Pipeline<'_>>,
    (folds, repeats, seed): (usize, usize, u64),
    (cancel, interrupted): (&(dyn Fn() -> bool + Sync), &(dyn Fn() -> bool + Sync)),
) -> Result<Vec<RepeatMeasures>, Cancelled> {
    let n = y.len();
    // Per repeat: the fold of each patient and the inner seed of each fold.
    let plans: Vec<(Vec<usize>, Vec<u64>)> = (0..repeats)
        .map(|r| {
            let mut rng = crate::rng::Rng::for_item(seed, r as u64);
            let assignment = stratified_folds(y, folds, rng.next_u64());
            let inner: Vec<u64> = (0..folds).map(|_| rng.next_u64()).collect();
            (assignment, inner)
        })
        .collect();
    let jobs: Vec<(usize, usize)> = (0..repeats)
        .flat_map(|r| (1..=folds).map(move |f| (r, f)))
        .collect();
    // Per fold: None when cancelled, Some(None) when its fit failed.
    type Predicted = Option<Option<Vec<(usize, f64)>>>;
    let predicted: Vec<Predicted> = jobs
        .par_iter()
        .map(|&(r, f)| {
            if cancel() {
                return None;
            }
            let (assignment, inner) = &plans[r];
            let training: Vec<usize> = (0..n).filter(|&i| assignment[i] != f).collect();
            let held_out: Vec<usize> = (0..n).filter(|&i| assignment[i] == f).collect();
            Some(fold_predictions(
                x,
                y,
                pipeline,
                (&training, &held_out),
                inner[f - 1],
                interrupted,
            ))
        })
        .collect();
    if interrupted() || predicted.iter().any(Option::is_none) {
        return Err(Cancelled);
    }
    let mut measures = Vec::with_capacity(repeats);
    for r in 0..repeats {
        let mut eta = vec![f64::NAN; n];
        let mut complete = true;
        for (k, &(job_repeat, _)) in jobs.iter().enumerate() {
            if job_repeat != r {
                continue;
            }
            match &predicted[k] {
                Some(Some(values)) => values.iter().for_each(|&(i, e)| eta[i] = e),
                _ => complete = false,
            }
        }
        if complete && let Some(m) = measure(&eta, y) {
            measures.push(m);
        }
    }
    Ok(measures)
}

/// The held-out patients' linear predictors from the model fitted on `training` (the signature
/// made again first, with pipeline); `None` when the fit failed.
fn fold_predictions(
    x: &Matrix,
    y: &[f64],
    pipeline: Option<&Pipeline<'_>>,
    (training, held_out): (&[usize], &[usize]),
    inner_seed: u64,
    interrupted: &(dyn Fn() -> bool + Sync),
) -> Option<Vec<(usize, f64)>> {
    let mut design = x.clone();
    if let Some(pipeline) = pipeline {
        let (score, _) = signature_on(
            pipeline.features,
            y,
            pipeline.steps,
            training,
            inner_seed,
            interrupted,
        )?;
        let rows = design.rows;
        design.data[pipeline.column * rows..(pipeline.column + 1) * rows].copy_from_slice(&score);
    }
    let sample_y: Vec<f64> = training.iter().map(|&i| y[i]).collect();
    let fitted = fit(&design.select_rows(training), &sample_y, None);
    if !fitted.converged {
        return None;
    }
    let beta: Vec<f64> = fitted
        .coefficients
        .iter()
        .map(|c| c.unwrap_or(0.0))
        .collect();
    let eta = design.times_vector(&beta);
    Some(held_out.iter().map(|&i| (i, eta[i])).collect())
}

/// C, calibration intercept and slope, and Brier score of out-of-fold predictions.
fn measure(eta: &[f64], y: &[f64]) -> Option<RepeatMeasures> {
    let design = Matrix::from_columns(&[vec![1.0; eta.len()], eta.to_vec()]);
    let recalibration = fit(&design, y, None);
    let (Some(intercept), Some(slope)) =
        (recalibration.coefficients[0], recalibration.coefficients[1])
    else {
        return None;
    };
    let brier = brier_score(eta, y);
    Some(RepeatMeasures {
        c: auc(y, eta),
        intercept,
        slope,
        brier,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::logistic::logistic;

    /// A one-predictor model: out-of-fold predictions are close to the apparent ones, seeded
    /// repeats differ from each other, and the same seed repeats itself.
    #[test]
    fn cross_validated_measures_are_seeded_and_near_the_apparent_for_a_simple_model() {
        let n = 200;
        let mut rng = crate::rng::Rng::for_item(3, 0);
        let mut xs = Vec::new();
        let mut y = Vec::new();
        for _ in 0..n {
            let v = rng.normal();
            xs.push(v);
            y.push(f64::from(u8::from(rng.uniform() < logistic(1.5 * v))));
        }
        let x = Matrix::from_columns(&[vec![1.0; n], xs.clone()]);
        let never = || false;
        let run = || repeated_cross_validation(&x, &y, None, (10, 5, 8), (&never, &never)).unwrap();
        let measures = run();
        assert_eq!(measures.len(), 5);
        let apparent = auc(&y, &xs);
        for m in &measures {
            assert!((m.c - apparent).abs() < 0.02, "{} vs {apparent}", m.c);
            assert!(m.slope > 0.8 && m.slope < 1.2);
        }
        assert_eq!(run(), measures);
    }
}
