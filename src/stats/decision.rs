//! Decision curves with their uncertainty: net benefit, standardised net benefit and net
//! interventions avoided at each threshold probability, as the `dcurves` package computes them,
//! and bootstrap percentile bands for the net benefit.
//!
//! # References
//! Vickers & Elkin, "Decision curve analysis: a novel method for evaluating prediction models",
//! Med. Decis. Making 26:565–574 (2006); Vickers, Van Calster & Steyerberg, "Net benefit
//! approaches to the evaluation of prediction models, molecular markers, and diagnostic tests",
//! BMJ 352:i6 (2016) (net interventions avoided per 100); Kerr, Brown, Zhu & Janes, "Assessing
//! the clinical impact of risk prediction models with decision curves", J. Clin. Oncol.
//! 34(21):2534–2540 (2016) (standardised net benefit, bootstrap intervals); Sjoberg & Vickers,
//! dcurves (R and Python).

use super::calibration::{net_benefit, treat_all_net_benefit};
use super::summary::quantile;
use rayon::prelude::*;

/// One threshold of a decision curve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DecisionPoint {
    pub threshold: f64,
    /// TP/n − FP/n · pₜ/(1 − pₜ).
    pub net_benefit: f64,
    /// Net benefit over the prevalence: the share of the largest possible benefit achieved.
    pub standardized: f64,
    /// (NB − NB of treating all) / (pₜ/(1 − pₜ)): unnecessary interventions avoided per
    /// patient, at no loss of true positives (dcurves's `net_intervention_avoided`).
    pub interventions_avoided: f64,
}

/// The decision curve of risks `p` for outcomes `y` (1 = event) at `thresholds` (each in (0, 1)).
pub fn decision_curve(y: &[f64], p: &[f64], thresholds: &[f64]) -> Vec<DecisionPoint> {
    let prevalence = y.iter().sum::<f64>() / y.len().max(1) as f64;
    thresholds
        .iter()
        .map(|&t| {
            let nb = net_benefit(y, p, t);
            let odds = t / (1.0 - t);
            DecisionPoint {
                threshold: t,
                net_benefit: nb,
                standardized: nb / prevalence,
                interventions_avoided: (nb - treat_all_net_benefit(y, t)) / odds,
            }
        })
        .collect()
}

/// 95% percentile bands of the net benefit at each threshold over `replicates` bootstrap samples
/// of the patients: replicate b draws n patients with replacement from the stream
/// `Rng::for_item(seed, b)`, so the bands are the same on any number of threads. `(low, high)`
/// per threshold.
pub fn net_benefit_bands(
    y: &[f64],
    p: &[f64],
    thresholds: &[f64],
    (replicates, seed): (usize, u64),
) -> Vec<(f64, f64)> {
    let n = y.len();
    if n == 0 || replicates == 0 {
        return vec![(f64::NAN, f64::NAN); thresholds.len()];
    }
    let curves: Vec<Vec<f64>> = (0..replicates)
        .into_par_iter()
        .map(|b| {
            let mut rng = crate::rng::Rng::for_item(seed, b as u64);
            let sample = rng.bootstrap_sample(n);
            let (sy, sp): (Vec<f64>, Vec<f64>) = sample.iter().map(|&i| (y[i], p[i])).unzip();
            thresholds
                .iter()
                .map(|&t| net_benefit(&sy, &sp, t))
                .collect()
        })
        .collect();
    (0..thresholds.len())
        .map(|k| {
            let mut values: Vec<f64> = curves.iter().map(|c| c[k]).collect();
            values.sort_by(f64::total_cmp);
            (quantile(&values, 0.025), quantile(&values, 0.975))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_perfect_model_achieves_the_whole_benefit_and_avoids_every_needless_intervention() {
        let y = [1.0, 1.0, 0.0, 0.0, 0.0];
        let p = [0.9, 0.8, 0.1, 0.05, 0.2];
        let curve = decision_curve(&y, &p, &[0.3]);
        let point = curve[0];
        assert!((point.net_benefit - 0.4).abs() < 1e-15);
        assert!((point.standardized - 1.0).abs() < 1e-15);
        // Treating all at 0.3: 0.4 − 0.6 · 3/7; the model avoids all 3 of 5 needless treatments.
        assert!((point.interventions_avoided - 0.6).abs() < 1e-12);
    }

    #[test]
    fn bands_hold_the_estimate_and_follow_the_seed() {
        let y: Vec<f64> = (0..200).map(|i| f64::from(u8::from(i % 3 == 0))).collect();
        let p: Vec<f64> = (0..200)
            .map(|i| if i % 3 == 0 { 0.6 } else { 0.2 } + (i % 7) as f64 * 0.03)
            .collect();
        let thresholds = [0.1, 0.3, 0.5];
        let bands = net_benefit_bands(&y, &p, &thresholds, (300, 4));
        for (point, (low, high)) in decision_curve(&y, &p, &thresholds).iter().zip(&bands) {
            assert!(*low <= point.net_benefit && point.net_benefit <= *high);
            assert!(high - low > 0.0);
        }
        assert_eq!(bands, net_benefit_bands(&y, &p, &thresholds, (300, 4)));
    }
}
