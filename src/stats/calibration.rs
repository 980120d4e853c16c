//! Calibration and clinical usefulness of predicted risks: the Hosmer–Lemeshow test, calibration
//! on new patients (rms's `val.prob`) and decision-curve net benefit.

use super::distributions::chi_squared_upper;
use super::summary::quantile;

/// The Hosmer–Lemeshow goodness-of-fit test.
#[derive(Debug, Clone, PartialEq)]
pub struct HosmerLemeshow {
    pub statistic: f64,
    /// g − 2, with g the number of groups asked for (as ResourceSelection's `hoslem.test`).
    pub df: f64,
    pub p_value: f64,
    /// Per group actually formed: (upper bound of predicted risk, n, observed events, expected
    /// events).
    pub groups: Vec<(f64, usize, f64, f64)>,
}

/// Groups patients by quantiles of predicted risk and compares observed with expected events.
///
/// # Formula
/// Cut points: the distinct values among the type-7 quantiles of p at 0, 1/g, …, 1; groups are
/// the intervals (c₍ₖ₋₁₎, cₖ], the first closed on the left. X² = Σ over groups and both outcomes
/// of (O − E)²/E, with E = Σp for events and Σ(1 − p) for non-events; df = g − 2.
///
/// # Remarks
/// When predictions take few distinct values the cut points collapse and fewer than g groups form,
/// while the df stay g − 2 (as `hoslem.test` does); the groups used are reported.
///
/// # References
/// Hosmer & Lemeshow, Applied Logistic Regression, 3rd ed. (2013), §5.2.2; R package
/// ResourceSelection, `hoslem.test`.
pub fn hosmer_lemeshow(y: &[f64], p: &[f64], groups: usize) -> HosmerLemeshow {
    let mut sorted = p.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mut cuts: Vec<f64> = (0..=groups)
        .map(|k| quantile(&sorted, k as f64 / groups as f64))
        .collect();
    cuts.dedup();
    let mut formed = Vec::new();
    let mut statistic = 0.0;
    for k in 1..cuts.len() {
        let (low, high) = (cuts[k - 1], cuts[k]);
        let members: Vec<usize> = (0..p.len())
            .filter(|&i| p[i] <= high && (p[i] > low || (k == 1 && p[i] >= low)))
            .collect();
        let observed: f64 = members.iter().map(|&i| y[i]).sum();
        let expected: f64 = members.iter().map(|&i| p[i]).sum();
        let n = members.len() as f64;
        statistic += (observed - expected).powi(2) / expected
            + ((n - observed) - (n - expected)).powi(2) / (n - expected);
        formed.push((high, members.len(), observed, expected));
    }
    let df = groups as f64 - 2.0;
    HosmerLemeshow {
        statistic,
        df,
        p_value: chi_squared_upper(statistic, df),
        groups: formed,
    }
}

/// Net benefit of treating patients whose predicted risk is at least `threshold`.
///
/// # Formula
/// NB = TP/n − FP/n · pₜ/(1 − pₜ); treat-all NB = π − (1 − π)·pₜ/(1 − pₜ), π the prevalence;
/// treat-none NB = 0.
///
/// # References
/// Vickers & Elkin, Med. Decis. Making 26 (2006).
pub fn net_benefit(y: &[f64], p: &[f64], threshold: f64) -> f64 {
    let n = y.len() as f64;
    let odds = threshold / (1.0 - threshold);
    let (mut true_positive, mut false_positive) = (0.0, 0.0);
    for (&yi, &pi) in y.iter().zip(p) {
        if pi >= threshold {
            if yi > 0.5 {
                true_positive += 1.0;
            } else {
                false_positive += 1.0;
            }
        }
    }
    true_positive / n - false_positive / n * odds
}

/// Net benefit of treating everyone.
pub fn treat_all_net_benefit(y: &[f64], threshold: f64) -> f64 {
    let prevalence = y.iter().sum::<f64>() / y.len() as f64;
    prevalence - (1.0 - prevalence) * threshold / (1.0 - threshold)
}

/// Calibration of predicted risks on patients the model was not fitted on, as rms's `val.prob`.
#[derive(Debug, Clone, PartialEq)]
pub struct ExternalCalibration {
    pub n: usize,
    /// The lowess curve of observed against predicted risk: (predicted, smoothed observed).
    pub curve: Vec<(f64, f64)>,
    /// Calibration intercept and slope: the logistic fit y ~ a + b·logit(p) (ideal 0 and 1);
    /// `None` when it cannot be fitted.
    pub intercept: Option<f64>,
    pub slope: Option<f64>,
    /// |p − smoothed observed| over the patients: mean (rms's Eavg), mean square, 0.9 quantile
    /// (E90).
    pub mean_absolute_error: f64,
    pub mean_squared_error: f64,
    pub quantile_90_absolute_error: f64,
}

/// The calibration of risks `p` against outcomes `y` (0/1) on new patients.
///
/// # Formula
/// Smoothed observed risk: lowess(p, y, f = 2/3, no robustness steps) at each patient's p;
/// errors |p − smoothed|; intercept a and slope b: maximum likelihood of
/// y ~ Bernoulli(logistic(a + b·logit p)).
///
/// # References
/// Harrell, Regression Modeling Strategies, 2nd ed. (2015), §10.9; Van Calster et al., "A
/// calibration hierarchy for risk models", J Clin Epidemiol 74 (2016) 167–176; rms `val.prob`.
pub fn external_calibration(p: &[f64], y: &[f64]) -> ExternalCalibration {
    let (xs, smooth) = super::smoothing::lowess(p, y, 2.0 / 3.0, 0);
    let errors = AbsoluteErrors::of(xs.iter().zip(&smooth).map(|(a, b)| a - b));
    let design = super::linalg::Matrix::from_columns(&[
        vec![1.0; p.len()],
        p.iter().map(|&v| super::logistic::logit(v)).collect(),
    ]);
    let recalibration = super::logistic::fit(&design, y, None);
    let converged = recalibration.converged;
    ExternalCalibration {
        n: p.len(),
        curve: xs.into_iter().zip(smooth).collect(),
        intercept: recalibration.coefficients[0].filter(|_| converged),
        slope: recalibration.coefficients[1].filter(|_| converged),
        mean_absolute_error: errors.mean,
        mean_squared_error: errors.mean_square,
        quantile_90_absolute_error: errors.quantile_90,
    }
}

/// How far predictions are from a calibration curve, as rms prints it: the mean absolute error,
/// the mean squared error and the 0.9 quantile (type 7) of the absolute errors; NaN for none.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AbsoluteErrors {
    pub mean: f64,
    pub mean_square: f64,
    pub quantile_90: f64,
}

impl AbsoluteErrors {
    pub fn of(errors: impl IntoIterator<Item = f64>) -> AbsoluteErrors {
        let mut absolute: Vec<f64> = errors.into_iter().map(f64::abs).collect();
        absolute.sort_by(f64::total_cmp);
        let n = absolute.len().max(1) as f64;
        AbsoluteErrors {
            mean: absolute.iter().sum::<f64>() / n,
            mean_square: absolute.iter().map(|e| e * e).sum::<f64>() / n,
            quantile_90: if absolute.is_empty() {
                f64::NAN
            } else {
                quantile(&absolute, 0.9)
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn net_benefit_by_hand() {
        let y = [1.0, 1.0, 0.0, 0.0];
        let p = [0.9, 0.4, 0.6, 0.1];
        // At 0.5: TP 1, FP 1 → 1/4 − 1/4 · 1 = 0.
        assert_eq!(net_benefit(&y, &p, 0.5), 0.0);
        // At 0.2: TP 2, FP 1 → 2/4 − 1/4 · 0.25 = 0.4375.
        assert!((net_benefit(&y, &p, 0.2) - 0.4375).abs() < 1e-15);
        assert!((treat_all_net_benefit(&y, 0.2) - (0.5 - 0.5 * 0.25)).abs() < 1e-15);
    }

    #[test]
    fn few_distinct_predictions_form_fewer_groups_with_the_same_df() {
        let p = [0.1, 0.1, 0.1, 0.1, 0.5, 0.5, 0.5, 0.9, 0.9, 0.9];
        let y = [0.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 1.0, 1.0, 0.0];
        let test = hosmer_lemeshow(&y, &p, 10);
        assert!(test.groups.len() < 10);
        assert_eq!(test.df, 8.0);
        assert_eq!(test.groups.iter().map(|g| g.1).sum::<usize>(), 10);
    }
}
