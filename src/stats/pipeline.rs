//! Validating the whole modelling pipeline by the bootstrap, not just its last fit. A model whose
//! predictor is a LASSO signature was made by data-driven steps — z-scoring the features, the
//! LASSO's cross-validated choice of λ (and so of the features), the rad-score, the final
//! logistic fit — and validating only the final fit treats the signature as if it had been given.
//! Here each bootstrap sample repeats every step on its own patients, with fresh folds, and the
//! pipeline it produced is tested on the original patients: Harrell's optimism with the selection
//! repeated.
//!
//! # References
//! Harrell, Regression Modeling Strategies, 2nd ed. (2015), §5.3.5 (validating a model whose
//! variables were selected: every selection step must be repeated in each resample); Steyerberg,
//! Clinical Prediction Models, 2nd ed. (2019), §17.2; Efron & Tibshirani (1993) §17.6; Collins et
//! al., TRIPOD+AI (BMJ 2024), item 12e.

use super::lasso::{LassoOptions, Measure, cross_validate_until, stratified_folds};
use super::linalg::Matrix;
use super::logistic::LogisticFit;
use super::optimism::{
    CalibrationCurve, Cancelled, Corrected, Refit, RefitStep, Refits, bootstrap_calibration_of,
    bootstrap_validation_of,
};
/// What the replicates' signatures kept: the selection frequencies of stability selection, over
/// the replicates that refitted.
pub use super::stability::SelectionStability as Signatures;

/// Which λ of the cross-validation curve the signature takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LambdaRule {
    /// The λ with the best cross-validated measure.
    Min,
    /// The largest λ within one standard error of the best.
    OneSe,
}

/// How a LASSO signature was made (`lasso`'s settings), to be made again on a bootstrap sample.
#[derive(Debug, Clone, PartialEq)]
pub struct SignatureSteps {
    /// The candidate features, by column name.
    pub features: Vec<String>,
    pub folds: usize,
    pub rule: LambdaRule,
    pub measure: Measure,
    pub options: LassoOptions,
}

/// A model's pipeline, ready to replay: its signature's steps, the candidate features' values for
/// the model's patients (rows in the design's order), and which design column the signature
/// fills.
pub struct Pipeline<'a> {
    pub steps: &'a SignatureSteps,
    /// Patients × candidate features, as the data holds them (z-scored or not: the steps
    /// z-score them again on each sample).
    pub features: &'a Matrix,
    /// The design column holding the rad-score.
    pub column: usize,
}

/// z-scores of the columns of `all` with the mean and sd (n − 1) of rows `sample`: a column
/// constant on the sample is only centred (the LASSO leaves a constant predictor out).
fn z_scored_by(all: &Matrix, sample: &[usize]) -> Matrix {
    let mut out = all.clone();
    let n = sample.len() as f64;
    for j in 0..all.cols {
        let column = all.column(j);
        let mean = sample.iter().map(|&i| column[i]).sum::<f64>() / n;
        let variance = sample
            .iter()
            .map(|&i| (column[i] - mean).powi(2))
            .sum::<f64>()
            / (n - 1.0);
        let sd = if variance > 0.0 { variance.sqrt() } else { 1.0 };
        let rows = all.rows;
        for (o, v) in out.data[j * rows..(j + 1) * rows].iter_mut().zip(column) {
            *o = (v - mean) / sd;
        }
    }
    out
}

/// A LASSO signature made again on `sample` ([`SignatureSteps`]): the candidates z-scored with
/// the sample's mean and sd, the LASSO cross-validated on the sample with folds drawn from
/// `fold_seed`, the rule's λ taken. Returns every patient's rad-score (rows of `features`) and
/// the candidates kept; `None` when stopped by `interrupted`.
pub(crate) fn signature_on(
    features: &Matrix,
    y: &[f64],
    steps: &SignatureSteps,
    sample: &[usize],
    fold_seed: u64,
    interrupted: &(dyn Fn() -> bool + Sync),
) -> Option<(Vec<f64>, Vec<usize>)> {
    let sample_y: Vec<f64> = sample.iter().map(|&i| y[i]).collect();
    let everyone = z_scored_by(features, sample);
    let on_sample = everyone.select_rows(sample);
    // A candidate that duplicates an earlier one on the sample (correlation ±1, as GLCM's
    // Cluster Tendency and Sum Variance always do) is left out: the LASSO's predictions are the
    // same with it (its weight could go to either), and coordinate descent converges in far
    // fewer passes without it.
    let columns: Vec<&[f64]> = (0..on_sample.cols).map(|j| on_sample.column(j)).collect();
    let duplicates: Vec<usize> = super::summary::identical_pairs(&columns)
        .into_iter()
        .map(|(_, later)| later)
        .collect();
    let distinct: Vec<usize> = (0..on_sample.cols)
        .filter(|j| !duplicates.contains(j))
        .collect();
    let reduced = on_sample.select_columns(&distinct);
    let folds = stratified_folds(&sample_y, steps.folds, fold_seed);
    let (path, cv) = cross_validate_until(
        &reduced,
        &sample_y,
        &folds,
        &steps.options,
        steps.measure,
        interrupted,
    )?;
    let index = match steps.rule {
        LambdaRule::Min => cv.index_min,
        LambdaRule::OneSe => cv.index_1se,
    };
    let mut beta = vec![0.0; on_sample.cols];
    for (&j, &b) in distinct.iter().zip(&path.coefficients[index]) {
        beta[j] = b;
    }
    let mut score = everyone.times_vector(&beta);
    score.iter_mut().for_each(|s| *s += path.intercepts[index]);
    let kept: Vec<usize> = (0..beta.len()).filter(|&j| beta[j] != 0.0).collect();
    Some((score, kept))
}

/// One replicate of the pipeline on `sample`: the signature made again ([`signature_on`]), every
/// original patient scored, the final model refitted on the sample with that score in its
/// column. A coefficient the refit cannot estimate (a signature that kept no feature makes its
/// column constant) counts as 0, as R's `predict` treats an NA coefficient. `None` when the
/// refit did not converge.
fn replay(
    x: &Matrix,
    y: &[f64],
    pipeline: &Pipeline<'_>,
    sample: &[usize],
    fold_seed: u64,
    interrupted: &(dyn Fn() -> bool + Sync),
) -> Option<(Refit, Vec<usize>)> {
    let (score, kept) = signature_on(
        pipeline.features,
        y,
        pipeline.steps,
        sample,
        fold_seed,
        interrupted,
    )?;
    let mut design = x.clone();
    let rows = design.rows;
    design.data[pipeline.column * rows..(pipeline.column + 1) * rows].copy_from_slice(&score);
    Some((Refit::on_sample(&design, y, sample)?, kept))
}

/// The refit step of a pipeline replicate ([`replay`], its folds' seed drawn from the replicate's
/// stream), noting each replicate's kept candidates in `kept`.
fn replay_step<'a>(
    (x, y): (&'a Matrix, &'a [f64]),
    pipeline: &'a Pipeline<'a>,
    interrupted: &'a (dyn Fn() -> bool + Sync),
    kept: &'a std::sync::Mutex<Vec<Vec<usize>>>,
) -> impl Fn(&[usize], &mut crate::rng::Rng) -> Option<Refit> + Sync + 'a {
    move |sample: &[usize], rng: &mut crate::rng::Rng| {
        let fold_seed = rng.next_u64();
        let (refit, chosen) = replay(x, y, pipeline, sample, fold_seed, interrupted)?;
        if let Ok(mut all) = kept.lock() {
            all.push(chosen);
        }
        Some(refit)
    }
}

/// The replicates' signatures from what [`replay_step`] noted.
fn signatures(kept: std::sync::Mutex<Vec<Vec<usize>>>, candidates: usize) -> Signatures {
    Signatures::from_selections(&kept.into_inner().unwrap_or_default(), candidates)
}

/// Bootstrap validation of the whole pipeline: the indices of [`super::optimism::bootstrap_validation`]
/// (Dxy, R², calibration intercept and slope, Emax, D, U, Q, Brier, g, gp) with each replicate
/// repeating every step ([`replay`]) instead of refitting the final model alone. `x` and `y` are
/// the final model's design and outcome on its patients, `original` its fit there; `cancel` is
/// asked before each replicate (and may count it), `interrupted` inside its cross-validation.
///
/// # Formula
/// Replicate b draws n patients with replacement from the stream `Rng::for_item(seed, b)`, then
/// the seed of its folds from the same stream; optimism and corrected values as
/// [`super::optimism`]'s.
pub fn pipeline_validation(
    x: &Matrix,
    y: &[f64],
    original: &LogisticFit,
    pipeline: &Pipeline<'_>,
    (replicates, seed): (usize, u64),
    (cancel, interrupted): (&(dyn Fn() -> bool + Sync), &(dyn Fn() -> bool + Sync)),
) -> Result<(Vec<Corrected>, Refits, Signatures), Cancelled> {
    let ((indices, refits), signatures) = with_replay((x, y), pipeline, interrupted, |refit| {
        bootstrap_validation_of(y, original, (replicates, seed), cancel, refit)
    })?;
    Ok((indices, refits, signatures))
}

/// The bias-corrected calibration curve of [`super::optimism::bootstrap_calibration`] with each
/// replicate repeating every step of the pipeline ([`replay`]); arguments as
/// [`pipeline_validation`]'s.
pub fn pipeline_calibration(
    x: &Matrix,
    y: &[f64],
    original: &LogisticFit,
    pipeline: &Pipeline<'_>,
    (replicates, seed): (usize, u64),
    (cancel, interrupted): (&(dyn Fn() -> bool + Sync), &(dyn Fn() -> bool + Sync)),
) -> Result<(CalibrationCurve, Signatures), Cancelled> {
    with_replay((x, y), pipeline, interrupted, |refit| {
        bootstrap_calibration_of(y, original, (replicates, seed), cancel, refit)
    })
}

/// Runs `bootstrap` with [`replay_step`] as its refit, and gathers the replicates' signatures.
/// A replicate stopped inside its cross-validation looks like a failed refit: when `interrupted`
/// says so afterwards the whole run is cancelled instead.
fn with_replay<T>(
    (x, y): (&Matrix, &[f64]),
    pipeline: &Pipeline<'_>,
    interrupted: &(dyn Fn() -> bool + Sync),
    bootstrap: impl FnOnce(&RefitStep<'_>) -> Result<T, Cancelled>,
) -> Result<(T, Signatures), Cancelled> {
    let kept = std::sync::Mutex::new(Vec::new());
    let refit = replay_step((x, y), pipeline, interrupted, &kept);
    let result = bootstrap(&refit)?;
    if interrupted() {
        return Err(Cancelled);
    }
    drop(refit);
    Ok((result, signatures(kept, pipeline.features.cols)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::lasso::cross_validate;
    use crate::stats::logistic::{fit, logistic};

    /// Replayed on the original patients themselves with the original folds, the pipeline makes
    /// the original signature and the original final fit again.
    #[test]
    fn replaying_on_the_original_sample_gives_the_original_model() {
        let mut rng = crate::rng::Rng::for_item(5, 0);
        let n = 150;
        let mut uniform = || (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
        let features: Vec<Vec<f64>> = (0..6)
            .map(|j| {
                (0..n)
                    .map(|_| uniform() * (j + 1) as f64 * 10.0 + 3.0)
                    .collect()
            })
            .collect();
        // Column 5 duplicates column 2 (scaled): the replay keeps one of them.
        let mut features = features;
        features[5] = features[2].iter().map(|v| 2.0 * v - 1.0).collect();
        let y: Vec<f64> = (0..n)
            .map(|i| {
                let eta = 0.15 * features[0][i] - 0.05 * features[2][i];
                f64::from(u8::from(logistic(eta) > uniform() + 0.5))
            })
            .collect();
        let all = Matrix::from_columns(&features);
        let sample: Vec<usize> = (0..n).collect();
        let z = z_scored_by(&all, &sample);
        let fold_seed = 99;
        let steps = SignatureSteps {
            features: (0..6).map(|j| format!("f{j}")).collect(),
            folds: 5,
            rule: LambdaRule::Min,
            measure: Measure::Deviance,
            options: LassoOptions::default(),
        };
        let distinct = z.select_columns(&[0, 1, 2, 3, 4]);
        let folds = stratified_folds(&y, 5, fold_seed);
        let (path, cv) = cross_validate(&distinct, &y, &folds, &steps.options, steps.measure);
        let beta = &path.coefficients[cv.index_min];
        let rad: Vec<f64> = distinct
            .times_vector(beta)
            .iter()
            .map(|v| v + path.intercepts[cv.index_min])
            .collect();
        let x = Matrix::from_columns(&[vec![1.0; n], rad]);
        let original = fit(&x, &y, None);
        let pipeline = Pipeline {
            steps: &steps,
            features: &all,
            column: 1,
        };
        let (refit, kept) = replay(&x, &y, &pipeline, &sample, fold_seed, &|| false).unwrap();
        let worst = refit
            .everyone
            .iter()
            .zip(&original.linear_predictor)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        assert!(worst < 1e-9, "linear predictors differ by {worst}");
        let expected: Vec<usize> = (0..5).filter(|&j| beta[j] != 0.0).collect();
        assert!(!expected.is_empty());
        assert_eq!(kept, expected);
    }

    #[test]
    fn z_scores_use_the_samples_mean_and_sd_and_centre_a_constant_column() {
        let all = Matrix::from_columns(&[vec![1.0, 2.0, 3.0, 10.0], vec![5.0, 5.0, 7.0, 5.0]]);
        let z = z_scored_by(&all, &[0, 1, 3, 1]);
        // Column 0 on the sample: 1, 2, 10, 2 → mean 3.75, variance 52.75/3.
        let sd = (52.75f64 / 3.0).sqrt();
        assert!((z.column(0)[2] - (3.0 - 3.75) / sd).abs() < 1e-12);
        // Column 1 is constant (5) on the sample: centred only.
        assert_eq!(z.column(1), &[0.0, 0.0, 2.0, 0.0]);
    }
}
