//! Optimism-corrected performance of a logistic model by the bootstrap, as rms's
//! `predab.resample` (behind `calibrate` and `validate`): refit on each bootstrap sample, measure
//! the refit on that sample (training) and on the original patients (test); the mean difference
//! is the optimism, subtracted from the apparent measure.

use super::calibration::AbsoluteErrors;
use super::linalg::Matrix;
use super::logistic::{LogisticFit, fit, logistic, logit};
use super::pretty::sequence;
use super::roc::auc;
use super::smoothing::{Ties, approx, lowess};
use rayon::prelude::*;

/// The bootstrap was stopped by the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cancelled;

/// One measure's apparent value, bootstrap means and corrected value (rms's `index.orig`,
/// `training`, `test`, `optimism`, `index.corrected`, `n`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Corrected {
    pub apparent: Option<f64>,
    pub training: Option<f64>,
    pub test: Option<f64>,
    pub optimism: Option<f64>,
    pub corrected: Option<f64>,
    /// Replicates in which the measure could be computed on both samples.
    pub replicates: usize,
}

/// A measure of a linear predictor against the outcome. `fitted` is the model when the linear
/// predictor is evaluated on the patients it was fitted to (rms's `evalfit`).
type Measure<'a> = dyn Fn(&[f64], &[f64], Option<&LogisticFit>) -> Vec<Option<f64>> + Sync + 'a;

/// How the bootstrap refits went.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Refits {
    /// Refits that converged with every coefficient (the replicates used).
    pub fitted: usize,
    /// Of those, refits whose sample the predictors separate (Albert & Anderson): their
    /// coefficients are where the iterations stopped. rms keeps them too; they are counted so
    /// that they are reported.
    pub separated: usize,
}

/// One bootstrap replicate's refit: the model fitted on the sample and its linear predictor for
/// every original patient.
pub(crate) struct Refit {
    pub fit: LogisticFit,
    /// The refit's linear predictor for all n original patients, in their order.
    pub everyone: Vec<f64>,
    /// The predictors separate the sample (the coefficients are where the iterations stopped).
    pub separated: bool,
}

impl Refit {
    /// The model of design `x` (every original patient's row) refitted on the rows `sample` of
    /// outcome `y`, a coefficient it cannot estimate counted as 0, as R's `predict` treats an NA
    /// coefficient; `None` when the fit did not converge. For pipeline replicates, whose design
    /// the replicate made (a signature column remade, terms selected again).
    pub(crate) fn on_sample(x: &Matrix, y: &[f64], sample: &[usize]) -> Option<Refit> {
        let sample_x = x.select_rows(sample);
        let sample_y: Vec<f64> = sample.iter().map(|&i| y[i]).collect();
        let fit = fit(&sample_x, &sample_y, None);
        if !fit.converged {
            return None;
        }
        let separated = super::logistic::separation(&sample_x, &sample_y, &fit).is_some();
        let beta: Vec<f64> = fit.coefficients.iter().map(|c| c.unwrap_or(0.0)).collect();
        Some(Refit {
            everyone: x.times_vector(&beta),
            fit,
            separated,
        })
    }
}

/// How one replicate refits: from the sample's rows (indices into the original patients, with
/// repeats) and the replicate's random stream (after the sample was drawn from it); `None` when
/// the refit failed and the replicate is skipped.
pub(crate) type RefitStep<'a> = dyn Fn(&[usize], &mut crate::rng::Rng) -> Option<Refit> + Sync + 'a;

/// The refit of the final model alone on a replicate's sample: replicates whose refit does not
/// converge or aliases a column are skipped, as rms's are.
fn final_fit_only<'a>(
    x: &'a Matrix,
    y: &'a [f64],
) -> impl Fn(&[usize], &mut crate::rng::Rng) -> Option<Refit> + Sync + 'a {
    move |sample: &[usize], _: &mut crate::rng::Rng| {
        Refit::on_sample(x, y, sample)
            .filter(|refit| refit.fit.coefficients.iter().all(Option::is_some))
    }
}

/// The bootstrap optimism of every value `measure` gives (Efron's refined bootstrap).
///
/// # Formula
/// For b = 1…B: draw n patients with replacement, refit, and with the refit's coefficients β_b
/// compute the measure on the sample (training_b) and on all n patients (test_b); replicates whose
/// refit fails (not converged, or a column aliased) are skipped, and a measure missing in either
/// sample is left out of that measure's means. Optimism = mean training − mean test; corrected =
/// apparent − optimism.
///
/// # References
/// Efron & Tibshirani, An Introduction to the Bootstrap (1993), §17.6; Harrell, Lee & Mark, Stat.
/// Med. 15 (1996) 361–387; rms `predab.resample` (method = "boot").
fn bootstrap_optimism(
    x: &Matrix,
    y: &[f64],
    original: &LogisticFit,
    replicates: usize,
    seed: u64,
    cancel: &(dyn Fn() -> bool + Sync),
    measure: &Measure<'_>,
) -> Result<(Vec<Corrected>, Refits), Cancelled> {
    let refit = final_fit_only(x, y);
    bootstrap_optimism_of(y, original, replicates, seed, cancel, measure, &refit)
}

/// [`bootstrap_optimism`] with the refit of each replicate done by `refit` (which may repeat
/// more steps than the final fit: `pipeline.rs`). Replicate b draws its sample from the seeded
/// stream `Rng::for_item(seed, b)` and hands the stream on, so the result is the same on any
/// number of threads.
pub(crate) fn bootstrap_optimism_of(
    y: &[f64],
    original: &LogisticFit,
    replicates: usize,
    seed: u64,
    cancel: &(dyn Fn() -> bool + Sync),
    measure: &Measure<'_>,
    refit: &RefitStep<'_>,
) -> Result<(Vec<Corrected>, Refits), Cancelled> {
    let n = y.len();
    let apparent = measure(&original.linear_predictor, y, Some(original));
    // Per replicate: None when cancelled, Some(None) when the refit failed; else the measures
    // on the sample and on everyone, and whether the sample was separated.
    type Draw = Option<(Vec<Option<f64>>, Vec<Option<f64>>, bool)>;
    let outcomes: Vec<Option<Draw>> = (0..replicates)
        .into_par_iter()
        .map(|b| {
            if cancel() {
                return None;
            }
            let mut rng = crate::rng::Rng::for_item(seed, b as u64);
            let sample = rng.bootstrap_sample(n);
            let sample_y: Vec<f64> = sample.iter().map(|&i| y[i]).collect();
            let Some(Refit {
                fit,
                everyone,
                separated,
            }) = refit(&sample, &mut rng)
            else {
                return Some(None);
            };
            let on_sample: Vec<f64> = sample.iter().map(|&i| everyone[i]).collect();
            Some(Some((
                measure(&on_sample, &sample_y, Some(&fit)),
                measure(&everyone, y, None),
                separated,
            )))
        })
        .collect();
    if outcomes.iter().any(Option::is_none) {
        return Err(Cancelled);
    }
    let draws: Vec<Draw> = outcomes.into_iter().flatten().collect();
    let count = apparent.len();
    let mut training = vec![0.0; count];
    let mut test = vec![0.0; count];
    let mut used = vec![0usize; count];
    for (train_values, test_values, _) in draws.iter().flatten() {
        for k in 0..count {
            if let (Some(a), Some(b)) = (train_values[k], test_values[k])
                && a.is_finite()
                && b.is_finite()
            {
                training[k] += a;
                test[k] += b;
                used[k] += 1;
            }
        }
    }
    let refits = Refits {
        fitted: draws.iter().filter(|d| d.is_some()).count(),
        separated: draws.iter().flatten().filter(|d| d.2).count(),
    };
    let results = (0..count)
        .map(|k| {
            let (training, test) = if used[k] > 0 {
                (
                    Some(training[k] / used[k] as f64),
                    Some(test[k] / used[k] as f64),
                )
            } else {
                (None, None)
            };
            let optimism = training.zip(test).map(|(a, b)| a - b);
            Corrected {
                apparent: apparent[k],
                training,
                test,
                optimism,
                corrected: apparent[k].zip(optimism).map(|(a, o)| a - o),
                replicates: used[k],
            }
        })
        .collect();
    Ok((results, refits))
}

/// A calibration curve corrected for optimism, as rms's `calibrate(method = "boot")`.
#[derive(Debug, Clone, PartialEq)]
pub struct CalibrationCurve {
    /// rms's grid: 50 equally spaced predicted risks from the 5th smallest to the 5th largest.
    pub grid: Vec<f64>,
    /// Per grid point: the apparent (lowess) observed risk, its optimism and the corrected one.
    pub points: Vec<Corrected>,
    pub replicates_asked: usize,
    /// Bootstrap refits that converged, and how many of them were separated.
    pub refits: Refits,
    /// Over the patients' own predicted risks: |predicted − corrected observed|.
    pub mean_absolute_error: f64,
    pub mean_squared_error: f64,
    pub quantile_90_absolute_error: f64,
    /// Patients whose predicted risk falls outside the grid (no error computed for them).
    pub outside_grid: usize,
}

/// Bootstrap calibration of a logistic model fitted to `x`, `y`.
///
/// # Formula
/// The smoothed observed risk at a predicted risk is lowess(p, y, f = 2/3, iter = 0) interpolated
/// linearly to the grid (none outside the range of p); the measure is smoothed − grid. Corrected
/// curve = apparent smoothed − optimism of that measure. Errors: at each patient's p, p minus the
/// corrected curve interpolated there; mean absolute, mean squared and 0.9 quantile (type 7).
///
/// # References
/// Harrell, Regression Modeling Strategies, 2nd ed. (2015), §10.11; rms `calibrate.default` and
/// `print.calibrate` (rms 6.5).
pub fn bootstrap_calibration(
    x: &Matrix,
    y: &[f64],
    original: &LogisticFit,
    replicates: usize,
    seed: u64,
    cancel: &(dyn Fn() -> bool + Sync),
) -> Result<CalibrationCurve, Cancelled> {
    let refit = final_fit_only(x, y);
    bootstrap_calibration_of(y, original, (replicates, seed), cancel, &refit)
}

/// [`bootstrap_calibration`] with each replicate refitted by `refit` (the whole pipeline:
/// `pipeline.rs`).
pub(crate) fn bootstrap_calibration_of(
    y: &[f64],
    original: &LogisticFit,
    (replicates, seed): (usize, u64),
    cancel: &(dyn Fn() -> bool + Sync),
    refit: &RefitStep<'_>,
) -> Result<CalibrationCurve, Cancelled> {
    let predicted: Vec<f64> = original
        .linear_predictor
        .iter()
        .map(|&e| logistic(e))
        .collect();
    let mut sorted = predicted.clone();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    let grid = if n > 10 {
        sequence(sorted[4], sorted[n - 5], 50)
    } else {
        Vec::new()
    };
    let error = |eta: &[f64], outcome: &[f64], _: Option<&LogisticFit>| -> Vec<Option<f64>> {
        let p: Vec<f64> = eta.iter().map(|&e| logistic(e)).collect();
        let (xs, smooth) = lowess(&p, outcome, 2.0 / 3.0, 0);
        approx(&xs, &smooth, &grid, Ties::First)
            .into_iter()
            .zip(&grid)
            .map(|(c, g)| c.map(|c| c - g))
            .collect()
    };
    let (mut points, refits) =
        bootstrap_optimism_of(y, original, replicates, seed, cancel, &error, refit)?;
    // The measure is the curve minus the grid; give the curve itself.
    for (point, g) in points.iter_mut().zip(&grid) {
        point.apparent = point.apparent.map(|a| a + g);
        point.corrected = point.corrected.map(|c| c + g);
    }
    let known: Vec<(f64, f64)> = grid
        .iter()
        .zip(&points)
        .filter_map(|(g, p)| p.corrected.map(|c| (*g, c)))
        .collect();
    let (known_grid, known_curve): (Vec<f64>, Vec<f64>) = known.into_iter().unzip();
    let errors: Vec<Option<f64>> = approx(&known_grid, &known_curve, &predicted, Ties::Mean)
        .into_iter()
        .zip(&predicted)
        .map(|(c, p)| c.map(|c| p - c))
        .collect();
    let summary = AbsoluteErrors::of(errors.iter().flatten().copied());
    Ok(CalibrationCurve {
        grid,
        points,
        replicates_asked: replicates,
        refits,
        mean_absolute_error: summary.mean,
        mean_squared_error: summary.mean_square,
        quantile_90_absolute_error: summary.quantile_90,
        outside_grid: errors.iter().filter(|e| e.is_none()).count(),
    })
}

/// The names of rms's `validate` indices, in its order.
pub const VALIDATION_INDICES: [&str; 11] = [
    "Dxy",
    "R2",
    "Intercept",
    "Slope",
    "Emax",
    "D",
    "U",
    "Q",
    "B",
    "g",
    "gp",
];

/// The Brier score of linear predictors `eta` against outcomes `y`: the mean of
/// (yᵢ − logistic(ηᵢ))² (Brier, Mon. Weather Rev. 78:1–3, 1950; rms's `B`).
pub fn brier_score(eta: &[f64], y: &[f64]) -> f64 {
    eta.iter()
        .zip(y)
        .map(|(&e, &o)| (o - logistic(e)).powi(2))
        .sum::<f64>()
        / eta.len() as f64
}

/// Gini's mean difference, Hmisc's `GiniMd`: the mean |xᵢ − xⱼ| over pairs.
fn gini_mean_difference(x: &[f64]) -> Option<f64> {
    let n = x.len();
    if n < 2 {
        return None;
    }
    let mean = x.iter().sum::<f64>() / n as f64;
    let mut centred: Vec<f64> = x.iter().map(|v| v - mean).collect();
    centred.sort_by(f64::total_cmp);
    let nf = n as f64;
    Some(
        centred
            .iter()
            .enumerate()
            .map(|(i, v)| 4.0 * ((i + 1) as f64 - (nf - 1.0) / 2.0) / nf / (nf - 1.0) * v)
            .sum(),
    )
}

/// Nagelkerke's R² from a likelihood-ratio statistic, as rms's `lrm` reports it.
fn nagelkerke(likelihood_ratio: f64, null_deviance: f64, n: f64) -> f64 {
    (1.0 - (-likelihood_ratio / n).exp()) / (1.0 - (-null_deviance / n).exp())
}

/// rms's `validate.lrm` measures of a linear predictor `eta` against `y` (Dxy, R2, Intercept,
/// Slope, D, U, Q, B, g, gp — Emax is added from the corrected intercept and slope).
fn discrimination(eta: &[f64], y: &[f64], fitted: Option<&LogisticFit>) -> Vec<Option<f64>> {
    let n = eta.len() as f64;
    let dxy = 2.0 * (auc(y, eta) - 0.5);
    let brier = brier_score(eta, y);
    match fitted {
        Some(model) => {
            let lr = model.null_deviance - model.deviance;
            let d = (lr - 1.0) / n;
            let u = -2.0 / n;
            let probabilities: Vec<f64> = eta.iter().map(|&e| logistic(e)).collect();
            vec![
                Some(dxy),
                Some(nagelkerke(lr, model.null_deviance, n)),
                Some(0.0),
                Some(1.0),
                Some(d),
                Some(u),
                Some(d - u),
                Some(brier),
                gini_mean_difference(eta),
                gini_mean_difference(&probabilities),
            ]
        }
        None => {
            let design = Matrix::from_columns(&[vec![1.0; eta.len()], eta.to_vec()]);
            let refit = fit(&design, y, None);
            let (Some(intercept), Some(slope)) = (refit.coefficients[0], refit.coefficients[1])
            else {
                return vec![None; 10];
            };
            let lr = refit.null_deviance - refit.deviance;
            let d = (lr - 1.0) / n;
            let l01 = -2.0
                * eta
                    .iter()
                    .zip(y)
                    .map(|(&e, &o)| o * e - e.exp().ln_1p())
                    .sum::<f64>();
            let u = (l01 - refit.deviance - 2.0) / n;
            let shrunk: Vec<f64> = eta.iter().map(|e| slope * e).collect();
            let recalibrated: Vec<f64> = eta
                .iter()
                .map(|e| logistic(intercept + slope * e))
                .collect();
            vec![
                Some(dxy),
                Some(nagelkerke(lr, refit.null_deviance, n)),
                Some(intercept),
                Some(slope),
                Some(d),
                Some(u),
                Some(d - u),
                Some(brier),
                gini_mean_difference(&shrunk),
                gini_mean_difference(&recalibrated),
            ]
        }
    }
}

/// Optimism-corrected indices of a logistic model, as rms's `validate(fit, method = "boot")`:
/// Somers' Dxy (C = Dxy/2 + ½), Nagelkerke R², calibration intercept and slope, Emax, the
/// discrimination index D, unreliability U, quality Q = D − U, Brier score B, and the g-indices.
///
/// # Formula
/// On the fitting patients the apparent intercept and slope are 0 and 1; on the original patients
/// a bootstrap refit's linear predictor η_b is recalibrated by the logistic fit y ~ a + b·η_b.
/// D = (LR − 1)/n, U = (L(η) − L(a + bη) − 2)/n with L the −2 log-likelihood, Emax = max over p of
/// |p − logistic(a + b·logit p)| with the corrected a, b.
///
/// # References
/// Harrell, Regression Modeling Strategies, 2nd ed. (2015), §4.5 and §10.9; rms `validate.lrm`
/// (rms 6.5), Hmisc `somers2` and `GiniMd`.
pub fn bootstrap_validation(
    x: &Matrix,
    y: &[f64],
    original: &LogisticFit,
    replicates: usize,
    seed: u64,
    cancel: &(dyn Fn() -> bool + Sync),
) -> Result<(Vec<Corrected>, Refits), Cancelled> {
    let (mut indices, refits) =
        bootstrap_optimism(x, y, original, replicates, seed, cancel, &discrimination)?;
    insert_emax(&mut indices);
    Ok((indices, refits))
}

/// Puts Emax (the largest |p − logistic(a + b·logit p)| with the corrected calibration intercept
/// a and slope b) after the slope in `discrimination`'s indices.
fn insert_emax(indices: &mut Vec<Corrected>) {
    let (intercept, slope) = (indices[2].corrected, indices[3].corrected);
    let emax = intercept.zip(slope).map(|(a, b)| {
        (0..=2000)
            .map(|k| k as f64 * 5e-4)
            .map(|p| (p - logistic(a + b * logit(p))).abs())
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max)
    });
    indices.insert(
        4,
        Corrected {
            apparent: Some(0.0),
            training: Some(0.0),
            test: emax,
            optimism: emax,
            corrected: emax,
            replicates: indices[0].replicates,
        },
    );
}

/// [`bootstrap_validation`]'s indices with each replicate refitted by `refit` (the whole
/// pipeline: `pipeline.rs`).
pub(crate) fn bootstrap_validation_of(
    y: &[f64],
    original: &LogisticFit,
    (replicates, seed): (usize, u64),
    cancel: &(dyn Fn() -> bool + Sync),
    refit: &RefitStep<'_>,
) -> Result<(Vec<Corrected>, Refits), Cancelled> {
    let (mut indices, refits) = bootstrap_optimism_of(
        y,
        original,
        replicates,
        seed,
        cancel,
        &discrimination,
        refit,
    )?;
    insert_emax(&mut indices);
    Ok((indices, refits))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gini_mean_difference_is_the_mean_pairwise_distance() {
        // Pairs of 1, 2, 4: |1 − 2| + |1 − 4| + |2 − 4| = 6 over 3 pairs.
        assert!((gini_mean_difference(&[4.0, 1.0, 2.0]).unwrap() - 2.0).abs() < 1e-15);
    }
}
