//! Intraclass correlation coefficients of single measurements, from the two-way analysis of
//! variance of a subjects × raters table, with their 95% intervals — as R's `psych::ICC` computes
//! them (`lmer = FALSE`, the classical ANOVA).
//!
//! # References
//! Shrout & Fleiss, "Intraclass correlations: uses in assessing rater reliability", Psychol.
//! Bull. 86(2):420–428 (1979) — ICC(1,1), ICC(2,1), ICC(3,1) and their F-based intervals;
//! McGraw & Wong, Psychol. Methods 1(1):30–46 (1996); Koo & Li, J. Chiropr. Med. 15:155–163
//! (2016) for reading them (below 0.5 poor, 0.5–0.75 moderate, 0.75–0.9 good, above 0.9
//! excellent); Revelle, psych::ICC (R package psych 2.x).

use super::distributions::f_quantile;

/// One ICC with its 95% interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Icc {
    pub value: f64,
    pub lower: f64,
    pub upper: f64,
}

/// The three single-measurement ICCs of a table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Iccs {
    /// ICC(1,1): one-way random effects, absolute agreement (Shrout & Fleiss case 1; the one
    /// Zwanenburg et al. 2019 use for perturbation robustness).
    pub one_way: Icc,
    /// ICC(2,1): two-way random effects, absolute agreement.
    pub two_way_random: Icc,
    /// ICC(3,1): two-way mixed effects, consistency.
    pub two_way_fixed: Icc,
}

/// The ICCs of `table`: one row per subject, one column per rater (or perturbation), every row
/// the same length. `None` with fewer than two subjects or two raters, or when every value is
/// the same (no variance to share out).
///
/// # Formula
/// With n subjects, k raters and the mean squares of subjects MSB (n − 1 df), raters MSJ
/// (k − 1 df), residual MSE ((n − 1)(k − 1) df) and within subjects MSW (n(k − 1) df):
/// - ICC(1,1) = (MSB − MSW)/(MSB + (k − 1)MSW); F = MSB/MSW;
/// - ICC(2,1) = (MSB − MSE)/(MSB + (k − 1)MSE + k(MSJ − MSE)/n);
/// - ICC(3,1) = (MSB − MSE)/(MSB + (k − 1)MSE); F = MSB/MSE;
/// - intervals: F_L = F/F₀.₉₇₅(df₁, df₂), F_U = F·F₀.₉₇₅(df₂, df₁), bound (F − 1)/(F + k − 1) for
///   ICC(1,1) and ICC(3,1); for ICC(2,1) Satterthwaite's ν and Shrout & Fleiss's eq. for its
///   bounds, as psych::ICC.
pub fn intraclass_correlations(table: &[Vec<f64>]) -> Option<Iccs> {
    let n = table.len();
    let k = table.first().map_or(0, Vec::len);
    if n < 2 || k < 2 || table.iter().any(|row| row.len() != k) {
        return None;
    }
    let (nf, kf) = (n as f64, k as f64);
    let grand = table.iter().flatten().sum::<f64>() / (nf * kf);
    let row_means: Vec<f64> = table
        .iter()
        .map(|row| row.iter().sum::<f64>() / kf)
        .collect();
    let column_means: Vec<f64> = (0..k)
        .map(|j| table.iter().map(|row| row[j]).sum::<f64>() / nf)
        .collect();
    let total: f64 = table.iter().flatten().map(|v| (v - grand).powi(2)).sum();
    let subjects: f64 = kf * row_means.iter().map(|m| (m - grand).powi(2)).sum::<f64>();
    let raters: f64 = nf
        * column_means
            .iter()
            .map(|m| (m - grand).powi(2))
            .sum::<f64>();
    let residual = (total - subjects - raters).max(0.0);
    if total.is_nan() || total <= 0.0 {
        return None;
    }
    let msb = subjects / (nf - 1.0);
    let msj = raters / (kf - 1.0);
    let mse = residual / ((nf - 1.0) * (kf - 1.0));
    let msw = (raters + residual) / (nf * (kf - 1.0));
    let quantile = |d1: f64, d2: f64| f_quantile(0.975, d1, d2);
    // With no variation left within subjects (F infinite) both bounds are their limit, 1 (psych
    // gives Inf/Inf = NaN there).
    let bounds = |f: f64, d1: f64, d2: f64| {
        if f.is_infinite() {
            return (1.0, 1.0);
        }
        let (low, high) = (f / quantile(d1, d2), f * quantile(d2, d1));
        (
            (low - 1.0) / (low + kf - 1.0),
            (high - 1.0) / (high + kf - 1.0),
        )
    };

    let f1 = msb / msw;
    let (l1, u1) = bounds(f1, nf - 1.0, nf * (kf - 1.0));
    let one_way = Icc {
        value: (msb - msw) / (msb + (kf - 1.0) * msw),
        lower: l1,
        upper: u1,
    };
    let f3 = msb / mse;
    let (l3, u3) = bounds(f3, nf - 1.0, (nf - 1.0) * (kf - 1.0));
    let two_way_fixed = Icc {
        value: (msb - mse) / (msb + (kf - 1.0) * mse),
        lower: l3,
        upper: u3,
    };
    let icc2 = (msb - mse) / (msb + (kf - 1.0) * mse + kf * (msj - mse) / nf);
    let fj = msj / mse;
    let spread = nf * (1.0 + (kf - 1.0) * icc2) - kf * icc2;
    let numerator = (kf - 1.0) * (nf - 1.0) * (kf * icc2 * fj + spread).powi(2);
    let denominator = (nf - 1.0) * kf * kf * icc2 * icc2 * fj * fj + spread * spread;
    let v = numerator / denominator;
    let (f_upper, f_lower) = (quantile(nf - 1.0, v), quantile(v, nf - 1.0));
    let weighted = kf * msj + (kf * nf - kf - nf) * mse;
    let two_way_random = if mse == 0.0 && msj == 0.0 {
        // Every rater gave every subject the same value: perfect agreement, bounds at their limit.
        Icc {
            value: icc2,
            lower: 1.0,
            upper: 1.0,
        }
    } else {
        Icc {
            value: icc2,
            lower: nf * (msb - f_upper * mse) / (f_upper * weighted + nf * msb),
            upper: nf * (f_lower * msb - mse) / (weighted + nf * f_lower * msb),
        }
    };
    Some(Iccs {
        one_way,
        two_way_random,
        two_way_fixed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Shrout & Fleiss (1979), Table 2: 6 targets × 4 judges; their Table 4 gives ICC(1,1) = .17,
    /// ICC(2,1) = .29, ICC(3,1) = .71.
    #[test]
    fn shrout_and_fleiss_table_2() {
        let table = vec![
            vec![9.0, 2.0, 5.0, 8.0],
            vec![6.0, 1.0, 3.0, 2.0],
            vec![8.0, 4.0, 6.0, 8.0],
            vec![7.0, 1.0, 2.0, 6.0],
            vec![10.0, 5.0, 6.0, 9.0],
            vec![6.0, 2.0, 4.0, 7.0],
        ];
        let iccs = intraclass_correlations(&table).unwrap();
        assert!((iccs.one_way.value - 0.17).abs() < 0.005);
        assert!((iccs.two_way_random.value - 0.29).abs() < 0.005);
        assert!((iccs.two_way_fixed.value - 0.71).abs() < 0.005);
        for icc in [iccs.one_way, iccs.two_way_random, iccs.two_way_fixed] {
            assert!(icc.lower < icc.value && icc.value < icc.upper);
        }
    }

    #[test]
    fn identical_ratings_agree_perfectly_and_constant_tables_have_none() {
        let table = vec![vec![1.0, 1.0], vec![3.0, 3.0], vec![2.0, 2.0]];
        let iccs = intraclass_correlations(&table).unwrap();
        assert!((iccs.one_way.value - 1.0).abs() < 1e-15);
        for icc in [iccs.one_way, iccs.two_way_random, iccs.two_way_fixed] {
            assert_eq!((icc.lower, icc.upper), (1.0, 1.0));
        }
        assert_eq!(
            intraclass_correlations(&[vec![2.0, 2.0], vec![2.0, 2.0]]),
            None
        );
        assert_eq!(intraclass_correlations(&[vec![2.0, 3.0]]), None);
    }
}
