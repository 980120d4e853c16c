//! Discrimination: ROC curves, the AUC with its DeLong confidence interval, the Youden-optimal
//! threshold, and the paired DeLong test between two predictors — with pROC's conventions.

use super::distributions::normal_upper;
use super::hypothesis::mid_ranks;
use super::logistic::Z_975;
use super::summary::{mean, variance};

/// The AUC of `score` for the binary outcome `y` (1 positive): the probability that a random
/// positive scores higher than a random negative, ties counting one half.
///
/// # Formula
/// AUC = (Σ rank(scoreᵢ) over positives − n₁(n₁+1)/2)/(n₁n₀), mid-ranks for ties (the
/// Mann–Whitney U over n₁n₀).
///
/// # References
/// Hanley & McNeil, Radiology 143 (1982); glmnet's `auc`.
pub fn auc(y: &[f64], score: &[f64]) -> f64 {
    let ranks = mid_ranks(score);
    let positives = y.iter().filter(|&&v| v > 0.5).count() as f64;
    let negatives = y.len() as f64 - positives;
    let rank_sum: f64 = ranks
        .iter()
        .zip(y)
        .filter(|(_, y)| **y > 0.5)
        .map(|(r, _)| r)
        .sum();
    (rank_sum - positives * (positives + 1.0) / 2.0) / (positives * negatives)
}

/// The scores of the cases (y = 1) and of the controls.
fn split_by_outcome(y: &[f64], score: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let (mut cases, mut controls) = (Vec::new(), Vec::new());
    for (&yi, &si) in y.iter().zip(score) {
        if yi > 0.5 {
            cases.push(si);
        } else {
            controls.push(si);
        }
    }
    (cases, controls)
}

/// An empirical ROC curve, pROC's way: thresholds at −∞, the midpoints between consecutive
/// distinct scores, and +∞; a patient is called positive when the score exceeds the threshold
/// (direction "<": controls score lower than cases).
#[derive(Debug, Clone, PartialEq)]
pub struct RocCurve {
    pub thresholds: Vec<f64>,
    pub sensitivities: Vec<f64>,
    pub specificities: Vec<f64>,
}

pub fn roc_curve(y: &[f64], score: &[f64]) -> RocCurve {
    let mut distinct: Vec<f64> = score.to_vec();
    distinct.sort_by(f64::total_cmp);
    distinct.dedup();
    let mut thresholds = vec![f64::NEG_INFINITY];
    thresholds.extend(distinct.windows(2).map(|w| (w[0] + w[1]) / 2.0));
    thresholds.push(f64::INFINITY);
    let (cases, controls) = split_by_outcome(y, score);
    let fraction = |values: &[f64], t: f64, above: bool| {
        values.iter().filter(|&&v| (v > t) == above).count() as f64 / values.len() as f64
    };
    RocCurve {
        sensitivities: thresholds
            .iter()
            .map(|&t| fraction(&cases, t, true))
            .collect(),
        specificities: thresholds
            .iter()
            .map(|&t| fraction(&controls, t, false))
            .collect(),
        thresholds,
    }
}

impl RocCurve {
    /// The threshold maximising sensitivity + specificity (Youden's J), with its sensitivity and
    /// specificity; among ties, the first (lowest) threshold.
    ///
    /// # References
    /// Youden, Cancer 3 (1950); pROC's `coords(best.method = "youden")`.
    pub fn youden(&self) -> (f64, f64, f64) {
        let mut best = 0;
        for i in 1..self.thresholds.len() {
            if self.sensitivities[i] + self.specificities[i]
                > self.sensitivities[best] + self.specificities[best]
            {
                best = i;
            }
        }
        (
            self.thresholds[best],
            self.sensitivities[best],
            self.specificities[best],
        )
    }
}

/// DeLong's structural components: for each case, the share of controls it out-scores (ties
/// half), and for each control the share of cases that out-score it.
fn placements(y: &[f64], score: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let (cases, controls) = split_by_outcome(y, score);
    let psi = |case: f64, control: f64| {
        if case > control {
            1.0
        } else if case == control {
            0.5
        } else {
            0.0
        }
    };
    let v10 = cases
        .iter()
        .map(|&c| controls.iter().map(|&d| psi(c, d)).sum::<f64>() / controls.len() as f64)
        .collect();
    let v01 = controls
        .iter()
        .map(|&d| cases.iter().map(|&c| psi(c, d)).sum::<f64>() / cases.len() as f64)
        .collect();
    (v10, v01)
}

/// The AUC with its DeLong standard error and 95% interval (clipped to [0, 1]).
///
/// # Formula
/// V₁₀ᵢ = mean over controls of ψ(caseᵢ, control), V₀₁ⱼ = mean over cases of ψ(case, controlⱼ),
/// ψ = 1, ½, 0 for >, =, <; AUC = mean V₁₀; Var = s²(V₁₀)/n₁ + s²(V₀₁)/n₀ (sample variances);
/// CI = AUC ± z₀.₉₇₅·√Var.
///
/// # References
/// DeLong, DeLong & Clarke-Pearson, Biometrics 44 (1988); pROC `ci.auc(method = "delong")`.
pub fn auc_delong(y: &[f64], score: &[f64]) -> (f64, f64, (f64, f64)) {
    let (v10, v01) = placements(y, score);
    let auc = mean(&v10);
    let se = (variance(&v10) / v10.len() as f64 + variance(&v01) / v01.len() as f64).sqrt();
    (
        auc,
        se,
        ((auc - Z_975 * se).max(0.0), (auc + Z_975 * se).min(1.0)),
    )
}

/// DeLong's test of two correlated AUCs on the same patients: (z, two-sided p).
///
/// Patients classified by a threshold: positive when the score is at least the threshold (as pROC
/// with direction "<": controls < threshold ≤ cases).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Confusion {
    pub true_positives: usize,
    pub false_positives: usize,
    pub true_negatives: usize,
    pub false_negatives: usize,
}

/// The confusion counts of `score` at `threshold` against `y` (1 the event).
pub fn classify(y: &[f64], score: &[f64], threshold: f64) -> Confusion {
    let mut counts = Confusion {
        true_positives: 0,
        false_positives: 0,
        true_negatives: 0,
        false_negatives: 0,
    };
    for (&outcome, &value) in y.iter().zip(score) {
        match (value >= threshold, outcome > 0.5) {
            (true, true) => counts.true_positives += 1,
            (true, false) => counts.false_positives += 1,
            (false, false) => counts.true_negatives += 1,
            (false, true) => counts.false_negatives += 1,
        }
    }
    counts
}

impl Confusion {
    /// Sensitivity, specificity, accuracy, PPV and NPV as (name, successes, trials).
    pub fn proportions(&self) -> [(&'static str, usize, usize); 5] {
        let (tp, fp, tn, fn_) = (
            self.true_positives,
            self.false_positives,
            self.true_negatives,
            self.false_negatives,
        );
        [
            ("sensitivity", tp, tp + fn_),
            ("specificity", tn, tn + fp),
            ("accuracy", tp + tn, tp + fp + tn + fn_),
            ("PPV", tp, tp + fp),
            ("NPV", tn, tn + fn_),
        ]
    }
}

/// The paired DeLong test of two AUCs: the difference with its 95% interval, z and the two-sided p.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DelongTest {
    /// AUC_a − AUC_b.
    pub difference: f64,
    pub low: f64,
    pub high: f64,
    pub z: f64,
    pub p: f64,
}

/// # Formula
/// z = (AUC_a − AUC_b)/√(Var_a + Var_b − 2·Cov), Cov = cov(V₁₀ᵃ, V₁₀ᵇ)/n₁ + cov(V₀₁ᵃ, V₀₁ᵇ)/n₀;
/// the interval of the difference is AUC_a − AUC_b ± z₀.₉₇₅·√(Var_a + Var_b − 2·Cov).
///
/// # References
/// DeLong et al. (1988); pROC `roc.test(method = "delong", paired = TRUE)` (its `statistic`,
/// `p.value` and `conf.int`).
pub fn delong_test(y: &[f64], a: &[f64], b: &[f64]) -> DelongTest {
    let (a10, a01) = placements(y, a);
    let (b10, b01) = placements(y, b);
    let covariance = |x: &[f64], z: &[f64]| {
        let (mx, mz) = (mean(x), mean(z));
        x.iter()
            .zip(z)
            .map(|(x, z)| (x - mx) * (z - mz))
            .sum::<f64>()
            / (x.len() as f64 - 1.0)
    };
    let (n1, n0) = (a10.len() as f64, a01.len() as f64);
    let var_a = variance(&a10) / n1 + variance(&a01) / n0;
    let var_b = variance(&b10) / n1 + variance(&b01) / n0;
    let cov = covariance(&a10, &b10) / n1 + covariance(&a01, &b01) / n0;
    let difference = mean(&a10) - mean(&b10);
    let se = (var_a + var_b - 2.0 * cov).sqrt();
    let z = difference / se;
    DelongTest {
        difference,
        low: difference - Z_975 * se,
        high: difference + Z_975 * se,
        z,
        p: 2.0 * normal_upper(z.abs()),
    }
}

/// Percentile 95% interval of the AUC from `replicates` stratified bootstrap samples: cases and
/// controls are resampled separately, with replacement, keeping their numbers. Replicate b draws
/// from its own generator (seed, b), so the interval is the same on any number of threads.
///
/// # References
/// Carpenter & Bithell, Stat. Med. 19 (2000); pROC `ci.auc(method = "bootstrap",
/// boot.stratified = TRUE)` (same method; a different random stream, so equal within Monte-Carlo
/// error only).
pub fn bootstrap_auc_interval(
    y: &[f64],
    score: &[f64],
    replicates: usize,
    seed: u64,
) -> (f64, f64) {
    use rayon::prelude::*;
    let (cases, controls) = split_by_outcome(y, score);
    let labels: Vec<f64> = std::iter::repeat_n(1.0, cases.len())
        .chain(std::iter::repeat_n(0.0, controls.len()))
        .collect();
    let mut areas: Vec<f64> = (0..replicates)
        .into_par_iter()
        .map(|b| {
            let mut rng = crate::rng::Rng::for_item(seed, b as u64);
            let mut sample = Vec::with_capacity(labels.len());
            for _ in 0..cases.len() {
                sample.push(cases[rng.below(cases.len() as u64) as usize]);
            }
            for _ in 0..controls.len() {
                sample.push(controls[rng.below(controls.len() as u64) as usize]);
            }
            auc(&labels, &sample)
        })
        .collect();
    areas.sort_by(f64::total_cmp);
    (
        super::summary::quantile(&areas, 0.025),
        super::summary::quantile(&areas, 0.975),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_reversed_and_tied_scores() {
        let y = [0.0, 0.0, 1.0, 1.0];
        assert_eq!(auc(&y, &[0.1, 0.2, 0.3, 0.4]), 1.0);
        assert_eq!(auc(&y, &[0.4, 0.3, 0.2, 0.1]), 0.0);
        assert_eq!(auc(&y, &[0.5, 0.5, 0.5, 0.5]), 0.5);
        assert_eq!(auc(&y, &[0.1, 0.3, 0.2, 0.4]), 0.75);
        assert_eq!(auc_delong(&y, &[0.1, 0.3, 0.2, 0.4]).0, 0.75);
    }

    #[test]
    fn the_curve_runs_from_all_positive_to_all_negative() {
        let curve = roc_curve(&[0.0, 1.0, 0.0, 1.0], &[0.1, 0.4, 0.35, 0.8]);
        assert_eq!(curve.thresholds.len(), 5);
        assert_eq!((curve.sensitivities[0], curve.specificities[0]), (1.0, 0.0));
        assert_eq!((curve.sensitivities[4], curve.specificities[4]), (0.0, 1.0));
        assert_eq!(curve.youden(), (0.375, 1.0, 1.0));
    }

    #[test]
    fn the_bootstrap_interval_surrounds_the_auc_and_repeats_with_its_seed() {
        let y: Vec<f64> = (0..80).map(|i| f64::from(u8::from(i % 3 == 0))).collect();
        let score: Vec<f64> = (0..80)
            .map(|i| (i % 7) as f64 + if i % 3 == 0 { 2.0 } else { 0.0 })
            .collect();
        let area = auc(&y, &score);
        let (low, high) = bootstrap_auc_interval(&y, &score, 500, 11);
        assert!(low < area && area < high, "{low} < {area} < {high}");
        assert_eq!((low, high), bootstrap_auc_interval(&y, &score, 500, 11));
    }
}
