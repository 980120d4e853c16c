//! The minimum sample size for developing a prediction model of a binary outcome, by the three
//! criteria of Riley et al.: R. D. Riley, K. I. E. Snell, J. Ensor et al., "Minimum sample size
//! for developing a multivariable prediction model: PART II — binary and time-to-event
//! outcomes", Stat. Med. 38(7):1276–1296, 2019 (doi:10.1002/sim.7992), and R. D. Riley, J. Ensor,
//! K. I. E. Snell et al., "Calculating the sample size required for developing a clinical
//! prediction model", BMJ 368:m441, 2020 — as the authors' `pmsampsize` (R, Stata, Python)
//! computes them, including its rounding of a converted R².

use super::distributions::normal_quantile;

/// What is anticipated of the new model's performance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Anticipated {
    /// Cox–Snell R² (pmsampsize's `csrsquared`).
    CoxSnell(f64),
    /// Nagelkerke's R² (`nagrsquared`): Cox–Snell R² over its largest possible value.
    Nagelkerke(f64),
    /// The C statistic (AUC) of an existing model (`cstatistic`).
    CStatistic(f64),
}

/// One criterion's sample size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Criterion {
    pub patients: u64,
    /// The expected shrinkage at that size.
    pub shrinkage: f64,
    /// Patients × prevalence.
    pub events: f64,
    /// Events per candidate predictor parameter.
    pub events_per_parameter: f64,
}

/// The three criteria and the minimum that meets them all.
#[derive(Debug, Clone, PartialEq)]
pub struct SampleSize {
    /// The anticipated Cox–Snell R² the criteria use (converted and rounded as pmsampsize does
    /// when Nagelkerke's R² or a C statistic was given).
    pub cox_snell: f64,
    /// The largest Cox–Snell R² an outcome of this prevalence allows.
    pub max_cox_snell: f64,
    /// `cox_snell / max_cox_snell`.
    pub nagelkerke: f64,
    /// (i) expected shrinkage of the predictor effects at least `shrinkage` (0.9: 10% overfitting);
    /// (ii) apparent and adjusted Nagelkerke R² within 0.05; (iii) the overall risk estimated
    /// within ± 0.05.
    pub criteria: [Criterion; 3],
    /// The largest of the three.
    pub minimum: Criterion,
}

/// The margin of error of the overall risk (criterion iii) and the allowed optimism in
/// Nagelkerke's R² (criterion ii), as pmsampsize fixes them.
const MARGIN: f64 = 0.05;
/// The 97.5% normal quantile as pmsampsize writes it.
const Z: f64 = 1.96;

/// The sample size for `parameters` candidate predictor parameters, an outcome of
/// `prevalence` and the anticipated performance, with the desired `shrinkage` (0.9 by
/// convention). `Err` names the impossible input.
///
/// # Formulas (Riley et al. 2019, eqs. 11, 20–23; pmsampsize)
/// - max R²_CS = 1 − exp(2·(φ ln φ + (1 − φ) ln(1 − φ))) for prevalence φ;
/// - (i) n = ⌈p / ((S − 1) · ln(1 − R²_CS / S))⌉;
/// - (ii) the same with S = R²_CS / (R²_CS + 0.05 · max R²_CS);
/// - (iii) n = ⌈(1.96 / 0.05)² · φ(1 − φ)⌉;
/// - Nagelkerke's R² converts as R²_CS = R²_N · max R²_CS rounded to 3 decimals, and a C
///   statistic as [`cox_snell_from_c_statistic`] rounded to 4 decimals, as pmsampsize rounds.
pub fn minimum_sample_size(
    anticipated: Anticipated,
    parameters: u64,
    prevalence: f64,
    shrinkage: f64,
) -> Result<SampleSize, String> {
    if !(prevalence > 0.0 && prevalence < 1.0) {
        return Err(format!(
            "the prevalence must lie strictly between 0 and 1, not {prevalence}"
        ));
    }
    if parameters == 0 {
        return Err("at least one candidate predictor parameter is needed".into());
    }
    let max_cox_snell = max_cox_snell(prevalence);
    let round = |x: f64, digits: i32| (x * 10f64.powi(digits)).round() / 10f64.powi(digits);
    let cox_snell = match anticipated {
        Anticipated::CoxSnell(r2) => r2,
        Anticipated::Nagelkerke(r2) => round(r2 * max_cox_snell, 3),
        Anticipated::CStatistic(c) => {
            if !(c > 0.5 && c < 1.0) {
                return Err(format!(
                    "the C statistic must lie between 0.5 and 1 (a model better than chance), not {c}"
                ));
            }
            round(cox_snell_from_c_statistic(c, prevalence), 4)
        }
    };
    if cox_snell.is_nan() || cox_snell <= 0.0 {
        return Err(format!(
            "the anticipated Cox–Snell R² must be above 0, not {cox_snell}"
        ));
    }
    if cox_snell >= max_cox_snell {
        return Err(format!(
            "an anticipated Cox–Snell R² of {cox_snell} is not possible: an outcome with prevalence {prevalence} allows at most {max_cox_snell:.3}"
        ));
    }
    if shrinkage <= cox_snell || shrinkage >= 1.0 {
        return Err(format!(
            "the shrinkage must lie between the anticipated Cox–Snell R² ({cox_snell}) and 1, not {shrinkage}"
        ));
    }
    let for_shrinkage = |s: f64| {
        let n = (parameters as f64 / ((s - 1.0) * (1.0 - cox_snell / s).ln())).ceil();
        n as u64
    };
    let criterion = |patients: u64, shrinkage: f64| Criterion {
        patients,
        shrinkage,
        events: patients as f64 * prevalence,
        events_per_parameter: patients as f64 * prevalence / parameters as f64,
    };
    let small_optimism = cox_snell / (cox_snell + MARGIN * max_cox_snell);
    let overall_risk = ((Z / MARGIN).powi(2) * prevalence * (1.0 - prevalence)).ceil() as u64;
    // pmsampsize reports criterion iii and the minimum with the larger of the two shrinkages.
    let larger = shrinkage.max(small_optimism);
    let criteria = [
        criterion(for_shrinkage(shrinkage), shrinkage),
        criterion(for_shrinkage(small_optimism), small_optimism),
        criterion(overall_risk, larger),
    ];
    let patients = criteria.iter().map(|c| c.patients).max().unwrap_or(0);
    Ok(SampleSize {
        cox_snell,
        max_cox_snell,
        nagelkerke: cox_snell / max_cox_snell,
        criteria,
        minimum: criterion(patients, larger),
    })
}

/// The largest Cox–Snell R² of a model of an outcome with this prevalence: 1 − L₀^(2/n), with L₀
/// the likelihood of the intercept-only model (Riley et al. 2019, eq. 23).
pub fn max_cox_snell(prevalence: f64) -> f64 {
    let p = prevalence;
    1.0 - (2.0 * (p * p.ln() + (1.0 - p) * (1.0 - p).ln())).exp()
}

/// The Cox–Snell R² of a model with C statistic `c` for an outcome of this prevalence, by the
/// construction of Riley et al. (BMJ 2020, supplement; pmsampsize's `cstat2rsq`): the linear
/// predictor is normal with unit variance in each group, its means √2·Φ⁻¹(C) apart (which gives
/// that C), and the logistic model of the outcome on it is the calibration model. pmsampsize
/// estimates the model's likelihood-ratio statistic by simulating a million patients (a Monte
/// Carlo error of about 2e-4 in R²); here the population value is integrated instead: the
/// log-odds is then exactly linear, η(x) = ln((1 − φ)/φ) + μx − μ²/2, and
/// LR/n = 2·(φ·E₀[ln(1 − p(x))] + (1 − φ)·E₁[ln p(x)] − φ ln φ − (1 − φ) ln(1 − φ)),
/// R²_CS = 1 − exp(−LR/n), each expectation by Simpson's rule over ± 12 standard deviations.
pub fn cox_snell_from_c_statistic(c: f64, prevalence: f64) -> f64 {
    let mu = std::f64::consts::SQRT_2 * normal_quantile(c);
    let (a, b) = (prevalence, 1.0 - prevalence);
    let eta = |x: f64| (b / a).ln() + mu * x - mu * mu / 2.0;
    // ln(1 + e^t), without overflow.
    let softplus = |t: f64| t.max(0.0) + (-t.abs()).exp().ln_1p();
    let density = |x: f64| (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let expectation = |centre: f64, f: &dyn Fn(f64) -> f64| {
        const STEPS: usize = 4800;
        let (from, to) = (centre - 12.0, centre + 12.0);
        let h = (to - from) / STEPS as f64;
        let value = |k: usize| {
            let x = from + k as f64 * h;
            density(x - centre) * f(x)
        };
        let inner: f64 = (1..STEPS)
            .map(|k| if k % 2 == 1 { 4.0 } else { 2.0 } * value(k))
            .sum();
        (value(0) + inner + value(STEPS)) * h / 3.0
    };
    let without = expectation(0.0, &|x| -softplus(eta(x)));
    let with = expectation(mu, &|x| -softplus(-eta(x)));
    let null = a * a.ln() + b * b.ln();
    let lr_per_patient = 2.0 * (a * without + b * with - null);
    1.0 - (-lr_per_patient).exp()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_largest_r2_follows_the_prevalence() {
        // Half events: 1 − exp(2 ln ½) = 1 − ¼.
        assert!((max_cox_snell(0.5) - 0.75).abs() < 1e-15);
        assert!((max_cox_snell(0.174) - 0.603).abs() < 5e-4);
    }

    #[test]
    fn a_useless_model_explains_nothing_and_a_better_one_more() {
        let weak = cox_snell_from_c_statistic(0.6, 0.3);
        let strong = cox_snell_from_c_statistic(0.9, 0.3);
        assert!(weak > 0.0 && weak < 0.05 && strong > 0.25 && strong < max_cox_snell(0.3));
    }

    #[test]
    fn impossible_inputs_are_named() {
        let too_high = minimum_sample_size(Anticipated::CoxSnell(0.7), 10, 0.174, 0.9);
        assert!(too_high.unwrap_err().contains("allows at most 0.603"));
        let chance = minimum_sample_size(Anticipated::CStatistic(0.5), 10, 0.3, 0.9);
        assert!(chance.unwrap_err().contains("between 0.5 and 1"));
    }
}
