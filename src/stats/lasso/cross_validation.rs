//! K-fold cross-validation of the LASSO-logistic path, as R's `cv.glmnet` (`grouped = TRUE`,
//! `foldid` given): stratified, seeded folds; each fold's own path scored at the full path's λ
//! by interpolation; λ_min and λ_1se.
//!
//! # References
//! Friedman, Hastie & Tibshirani, J. Stat. Softw. 33(1) (2010); glmnet 4.1-6 (`cv.glmnet`,
//! `cv.lognet`, `getOptcv.glmnet`).

use super::{LassoOptions, LassoPath, Stop, fit_path_until};
use crate::stats::linalg::Matrix;
use crate::stats::logistic::logistic;
use rayon::prelude::*;

/// What cross-validation measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// Binomial deviance, probabilities clipped to [1e-5, 1 − 1e-5] as in glmnet.
    Deviance,
    /// Misclassification at probability 0.5.
    Class,
    /// Area under the ROC curve (maximised).
    Auc,
}

/// Cross-validated error along the full-data path, as `cv.glmnet`.
#[derive(Debug, Clone, PartialEq)]
pub struct CrossValidation {
    pub measure: Measure,
    pub lambdas: Vec<f64>,
    pub mean: Vec<f64>,
    pub standard_error: Vec<f64>,
    pub nonzero: Vec<usize>,
    pub index_min: usize,
    pub index_1se: usize,
}

impl CrossValidation {
    pub fn lambda_min(&self) -> f64 {
        self.lambdas[self.index_min]
    }

    pub fn lambda_1se(&self) -> f64 {
        self.lambdas[self.index_1se]
    }
}

/// K-fold cross-validation with the fold of each row given (1..=K), as
/// `cv.glmnet(foldid = …, grouped = TRUE)`: each fold's training rows get their own path, whose
/// predictions at the full path's λ values (by interpolation) are scored on the held-out rows;
/// per-fold means are averaged with weights = fold sizes, and the standard error is
/// √(Σ nₖ(eₖ − ē)²/Σnₖ/(K − 1)). λ_min is the largest λ reaching the minimum; λ_1se the largest
/// within one standard error of it.
pub fn cross_validate(
    x: &Matrix,
    y: &[f64],
    folds: &[usize],
    options: &LassoOptions,
    measure: Measure,
) -> (LassoPath, CrossValidation) {
    cross_validate_until(x, y, folds, options, measure, &|| false).expect("never stopped")
}

/// [`cross_validate`], giving up (`None`) as soon as `stop` says so.
pub fn cross_validate_until(
    x: &Matrix,
    y: &[f64],
    folds: &[usize],
    options: &LassoOptions,
    measure: Measure,
    stop: Stop<'_>,
) -> Option<(LassoPath, CrossValidation)> {
    let full = fit_path_until(x, y, options, stop)?;
    let fold_count = folds.iter().copied().max().unwrap_or(0);
    let mut per_fold: Vec<Vec<f64>> = Vec::new();
    let mut fold_weights: Vec<f64> = Vec::new();
    // The folds are independent: fitted in parallel, collected in fold order, so the result is
    // the same for any number of threads.
    // One fold's scores along the path and its weight; `None` for a fold with no rows. The
    // collected `Option` is `None` when stopped.
    type FoldScore = Option<(Vec<f64>, f64)>;
    let scored: Option<Vec<FoldScore>> = (1..=fold_count)
        .into_par_iter()
        .map(|fold| {
            let training: Vec<usize> = (0..y.len()).filter(|&i| folds[i] != fold).collect();
            let held_out: Vec<usize> = (0..y.len()).filter(|&i| folds[i] == fold).collect();
            if held_out.is_empty() {
                return Some(None);
            }
            let training_y: Vec<f64> = training.iter().map(|&i| y[i]).collect();
            let path = fit_path_until(&x.select_rows(&training), &training_y, options, stop)?;
            let predictions = path.predict_link(&x.select_rows(&held_out), &full.lambdas);
            let held_y: Vec<f64> = held_out.iter().map(|&i| y[i]).collect();
            let scores = predictions
                .iter()
                .map(|eta| score(measure, &held_y, eta))
                .collect();
            Some(Some((scores, held_out.len() as f64)))
        })
        .collect();
    for (scores, weight) in scored?.into_iter().flatten() {
        per_fold.push(scores);
        fold_weights.push(weight);
    }
    let total: f64 = fold_weights.iter().sum();
    let folds_used = per_fold.len() as f64;
    let lambda_count = full.lambdas.len();
    let mut mean = vec![0.0; lambda_count];
    let mut standard_error = vec![0.0; lambda_count];
    for m in 0..lambda_count {
        let average: f64 = per_fold
            .iter()
            .zip(&fold_weights)
            .map(|(f, w)| f[m] * w)
            .sum::<f64>()
            / total;
        let spread: f64 = per_fold
            .iter()
            .zip(&fold_weights)
            .map(|(f, w)| w * (f[m] - average).powi(2))
            .sum::<f64>()
            / total;
        mean[m] = average;
        standard_error[m] = (spread / (folds_used - 1.0)).sqrt();
    }
    let signed: Vec<f64> = mean
        .iter()
        .map(|&m| if measure == Measure::Auc { -m } else { m })
        .collect();
    let best = signed.iter().copied().fold(f64::INFINITY, f64::min);
    // The largest λ (first index) reaching the best; then the largest within one SE of it.
    let index_min = signed.iter().position(|&m| m <= best).unwrap_or(0);
    let bound = signed[index_min] + standard_error[index_min];
    let index_1se = signed.iter().position(|&m| m <= bound).unwrap_or(index_min);
    let cv = CrossValidation {
        measure,
        lambdas: full.lambdas.clone(),
        mean,
        standard_error,
        nonzero: full.nonzero(),
        index_min,
        index_1se,
    };
    Some((full, cv))
}

/// One fold's score at one λ, from linear predictors.
fn score(measure: Measure, y: &[f64], eta: &[f64]) -> f64 {
    let n = y.len() as f64;
    let probabilities = eta.iter().map(|&e| logistic(e));
    match measure {
        Measure::Deviance => {
            y.iter()
                .zip(probabilities)
                .map(|(&y, p)| {
                    let p = p.clamp(1e-5, 1.0 - 1e-5);
                    -2.0 * (y * p.ln() + (1.0 - y) * (1.0 - p).ln())
                })
                .sum::<f64>()
                / n
        }
        Measure::Class => {
            y.iter()
                .zip(probabilities)
                .map(|(&y, p)| {
                    if y > 0.5 {
                        f64::from(u8::from(p <= 0.5))
                    } else {
                        f64::from(u8::from(p > 0.5))
                    }
                })
                .sum::<f64>()
                / n
        }
        Measure::Auc => crate::stats::roc::auc(y, eta),
    }
}

/// Seeded stratified folds 1..=K: within each outcome class the rows are shuffled and dealt to
/// the folds in turn, so every fold has close to the overall proportion of positives.
pub fn stratified_folds(y: &[f64], folds: usize, seed: u64) -> Vec<usize> {
    let mut assignment = vec![0; y.len()];
    let mut rng = crate::rng::Rng::seed_from(seed);
    let mut next = 0;
    for class in [0.0, 1.0] {
        let mut rows: Vec<usize> = (0..y.len()).filter(|&i| y[i] == class).collect();
        rng.shuffle(&mut rows);
        for row in rows {
            assignment[row] = next % folds + 1;
            next += 1;
        }
    }
    assignment
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_are_balanced_and_seeded() {
        let y: Vec<f64> = (0..100).map(|i| f64::from(u8::from(i % 3 == 0))).collect();
        let folds = stratified_folds(&y, 10, 7);
        for fold in 1..=10 {
            assert_eq!(folds.iter().filter(|&&f| f == fold).count(), 10);
        }
        assert_eq!(folds, stratified_folds(&y, 10, 7));
    }
}
