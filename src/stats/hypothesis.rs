//! Two-group hypothesis tests for Table 1: Student's and Welch's t, the Wilcoxon–Mann–Whitney
//! rank-sum test, and Pearson's chi-squared with and without Yates's correction. Each returns the
//! statistic, degrees of freedom and two-sided p-value exactly as R reports them.

use super::distributions::{chi_squared_upper, normal_cdf, normal_upper, student_t_upper};
use super::summary::{mean, variance};

/// The result of a t test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TTest {
    pub statistic: f64,
    pub df: f64,
    pub p_value: f64,
}

/// Student's two-sample t test with pooled variance, R's `t.test(x, y, var.equal = TRUE)`.
///
/// # Formula
/// s² = ((n₁−1)s₁² + (n₂−1)s₂²)/(n₁+n₂−2); t = (x̄₁ − x̄₂)/√(s²(1/n₁ + 1/n₂)); df = n₁+n₂−2;
/// p = 2·P(T_df > |t|).
///
/// # References
/// R `stats::t.test.default` (R 4.x).
pub fn student_t_test(x: &[f64], y: &[f64]) -> TTest {
    let (nx, ny) = (x.len() as f64, y.len() as f64);
    let df = nx + ny - 2.0;
    let pooled = ((nx - 1.0) * variance(x) + (ny - 1.0) * variance(y)) / df;
    let standard_error = (pooled * (1.0 / nx + 1.0 / ny)).sqrt();
    t_result((mean(x) - mean(y)) / standard_error, df)
}

/// Welch's two-sample t test, R's `t.test(x, y)` (the default, `var.equal = FALSE`).
///
/// # Formula
/// t = (x̄₁ − x̄₂)/√(s₁²/n₁ + s₂²/n₂); Welch–Satterthwaite
/// df = (s₁²/n₁ + s₂²/n₂)² / ((s₁²/n₁)²/(n₁−1) + (s₂²/n₂)²/(n₂−1)).
///
/// # References
/// Welch, Biometrika 34 (1947); R `stats::t.test.default`.
pub fn welch_t_test(x: &[f64], y: &[f64]) -> TTest {
    let (nx, ny) = (x.len() as f64, y.len() as f64);
    let (ax, ay) = (variance(x) / nx, variance(y) / ny);
    let standard_error = (ax + ay).sqrt();
    let df = (ax + ay).powi(2) / (ax * ax / (nx - 1.0) + ay * ay / (ny - 1.0));
    t_result((mean(x) - mean(y)) / standard_error, df)
}

fn t_result(statistic: f64, df: f64) -> TTest {
    let p_value = (2.0 * student_t_upper(statistic.abs(), df)).min(1.0);
    TTest {
        statistic,
        df,
        p_value,
    }
}

/// The result of a rank-sum test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RankSumTest {
    /// W = (sum of the ranks of x) − n₁(n₁+1)/2, as R reports it.
    pub statistic: f64,
    pub p_value: f64,
    /// True when the p-value comes from the exact null distribution.
    pub exact: bool,
}

/// Wilcoxon–Mann–Whitney rank-sum test, R's `wilcox.test(x, y)` with its defaults: the exact
/// distribution when both groups have fewer than 50 values and there are no ties; otherwise the
/// normal approximation with tie-corrected variance and continuity correction.
///
/// # Formula
/// W = Σ rank(xᵢ) − n₁(n₁+1)/2 (mid-ranks for ties).
/// Exact: p = 2·min(P(W′ ≤ W), P(W′ ≥ W)) over all C(n₁+n₂, n₁) rank assignments, capped at 1.
/// Normal: z = (W − n₁n₂/2 − ½·sign(W − n₁n₂/2)) / σ,
/// σ² = n₁n₂/12 · ((n₁+n₂+1) − Σ(tⱼ³ − tⱼ)/((n₁+n₂)(n₁+n₂−1))), p = 2·min(Φ(z), 1 − Φ(z)).
///
/// # References
/// Mann & Whitney, Ann. Math. Stat. 18 (1947); R `stats::wilcox.test.default` (R 4.x).
pub fn wilcoxon_rank_sum_test(x: &[f64], y: &[f64]) -> RankSumTest {
    let (m, n) = (x.len(), y.len());
    let mut all: Vec<f64> = x.iter().chain(y).copied().collect();
    let ranks = mid_ranks(&all);
    let statistic = ranks[..m].iter().sum::<f64>() - (m * (m + 1)) as f64 / 2.0;
    all.sort_by(f64::total_cmp);
    let tie_sizes = tie_sizes(&all);
    let has_ties = tie_sizes.iter().any(|&t| t > 1.0);
    let (mf, nf) = (m as f64, n as f64);
    if m < 50 && n < 50 && !has_ties {
        let counts = rank_sum_counts(m, n);
        let total: f64 = counts.iter().map(|&c| c as f64).sum();
        let w = statistic.round() as usize;
        let lower: u128 = counts[..=w].iter().sum();
        let upper: u128 = counts[w..].iter().sum();
        let p = 2.0 * (lower.min(upper) as f64) / total;
        return RankSumTest {
            statistic,
            p_value: p.min(1.0),
            exact: true,
        };
    }
    let centred = statistic - mf * nf / 2.0;
    let tie_term: f64 =
        tie_sizes.iter().map(|t| t * t * t - t).sum::<f64>() / ((mf + nf) * (mf + nf - 1.0));
    let sigma = (mf * nf / 12.0 * ((mf + nf + 1.0) - tie_term)).sqrt();
    let z = (centred - 0.5 * centred.signum()) / sigma;
    let p = 2.0 * normal_cdf(z).min(normal_upper(z));
    RankSumTest {
        statistic,
        p_value: p.min(1.0),
        exact: false,
    }
}

/// Ranks 1..n with ties given their mean rank (R's `rank`, ties.method = "average").
pub fn mid_ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && values[order[end]] == values[order[start]] {
            end += 1;
        }
        let rank = (start + end + 1) as f64 / 2.0;
        for &index in &order[start..end] {
            ranks[index] = rank;
        }
        start = end;
    }
    ranks
}

/// Sizes of the runs of equal values in sorted data.
fn tie_sizes(sorted: &[f64]) -> Vec<f64> {
    let mut sizes = Vec::new();
    let mut start = 0;
    while start < sorted.len() {
        let end = start
            + sorted[start..]
                .iter()
                .take_while(|&&v| v == sorted[start])
                .count();
        sizes.push((end - start) as f64);
        start = end;
    }
    sizes
}

/// How many ways each W = 0..=m·n arises when m of the ranks 1..m+n are drawn: `counts[w]`,
/// exact in 128-bit integers (C(98, 49) ≈ 2.5·10²⁸ fits), by adding the ranks one at a time.
fn rank_sum_counts(m: usize, n: usize) -> Vec<u128> {
    let total = m + n;
    let max_sum = m * total;
    // ways[j][s]: subsets of size j of the ranks seen so far with sum s.
    let mut ways = vec![vec![0u128; max_sum + 1]; m + 1];
    ways[0][0] = 1;
    for rank in 1..=total {
        for j in (1..=m.min(rank)).rev() {
            let (before, current) = ways.split_at_mut(j);
            let previous = &before[j - 1];
            for s in (rank..=max_sum).rev() {
                current[0][s] += previous[s - rank];
            }
        }
    }
    let offset = m * (m + 1) / 2;
    ways[m][offset..=offset + m * n].to_vec()
}

/// The result of a chi-squared test of independence.
#[derive(Debug, Clone, PartialEq)]
pub struct ChiSquaredTest {
    pub statistic: f64,
    pub df: f64,
    pub p_value: f64,
    /// The smallest expected count (below 5 the approximation is doubtful; R warns).
    pub smallest_expected: f64,
    /// True when Yates's continuity correction was applied (2 × 2 tables only).
    pub yates: bool,
}

/// Pearson's chi-squared test of independence on a table of counts, R's
/// `chisq.test(table, correct = yates)`. Rows and columns that are all zero are dropped first
/// (R's `table()` of the observed values has none). The correction applies to 2 × 2 tables only,
/// as in R.
///
/// # Formula
/// Eᵢⱼ = rowᵢ·colⱼ/N; X² = Σ (|Oᵢⱼ − Eᵢⱼ| − c)²/Eᵢⱼ with c = min(0.5, minᵢⱼ |Oᵢⱼ − Eᵢⱼ|) under
/// Yates's correction and c = 0 otherwise; df = (r−1)(c−1).
///
/// # References
/// Pearson (1900); Yates, JRSS Suppl. 1 (1934); R `stats::chisq.test` (R 4.x).
pub fn chi_squared_test(table: &[Vec<f64>], yates: bool) -> ChiSquaredTest {
    let rows: Vec<&Vec<f64>> = table
        .iter()
        .filter(|r| r.iter().sum::<f64>() > 0.0)
        .collect();
    let width = rows.first().map_or(0, |r| r.len());
    let columns: Vec<usize> = (0..width)
        .filter(|&c| rows.iter().map(|r| r[c]).sum::<f64>() > 0.0)
        .collect();
    let observed: Vec<Vec<f64>> = rows
        .iter()
        .map(|r| columns.iter().map(|&c| r[c]).collect())
        .collect();
    let row_sums: Vec<f64> = observed.iter().map(|r| r.iter().sum()).collect();
    let column_sums: Vec<f64> = (0..columns.len())
        .map(|c| observed.iter().map(|r| r[c]).sum())
        .collect();
    let n: f64 = row_sums.iter().sum();
    let expected: Vec<Vec<f64>> = row_sums
        .iter()
        .map(|r| column_sums.iter().map(|c| r * c / n).collect())
        .collect();
    let cells = || {
        observed
            .iter()
            .flatten()
            .zip(expected.iter().flatten())
            .map(|(o, e)| (*o, *e))
    };
    let yates = yates && observed.len() == 2 && columns.len() == 2;
    let correction = if yates {
        cells().map(|(o, e)| (o - e).abs()).fold(0.5, f64::min)
    } else {
        0.0
    };
    let statistic: f64 = cells()
        .map(|(o, e)| ((o - e).abs() - correction).powi(2) / e)
        .sum();
    let df = ((observed.len().max(1) - 1) * (columns.len().max(1) - 1)) as f64;
    let p_value = if df > 0.0 {
        chi_squared_upper(statistic, df)
    } else {
        f64::NAN
    };
    ChiSquaredTest {
        statistic,
        df,
        p_value,
        smallest_expected: cells().map(|(_, e)| e).fold(f64::INFINITY, f64::min),
        yates,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::tolerance::relative_eq;

    #[test]
    fn exact_rank_sum_counts_are_the_mann_whitney_distribution() {
        // m = 2, n = 2: W ∈ {0,1,2,3,4} with counts 1,1,2,1,1 (C(4,2) = 6).
        assert_eq!(rank_sum_counts(2, 2), vec![1, 1, 2, 1, 1]);
        let counts = rank_sum_counts(49, 49);
        let total: u128 = counts.iter().sum();
        assert_eq!(total, 25477612258980856902730428600); // choose(98, 49)
    }

    #[test]
    fn small_exact_and_tied_cases_match_r() {
        // wilcox.test(c(1.1,2.2,3.3,4.4), c(0.5,6.6,7.7,8.8,9.9)): W = 4, p-value = 0.1905 (= 24/126)
        let test = wilcoxon_rank_sum_test(&[1.1, 2.2, 3.3, 4.4], &[0.5, 6.6, 7.7, 8.8, 9.9]);
        assert_eq!((test.statistic, test.exact), (4.0, true));
        assert!(relative_eq(test.p_value, 24.0 / 126.0, 1e-14));
        // With ties the normal approximation is used, as R does (with a warning).
        let tied = wilcoxon_rank_sum_test(&[1.0, 2.0, 2.0], &[2.0, 3.0, 4.0]);
        assert!(!tied.exact);
        assert_eq!(
            mid_ranks(&[1.0, 2.0, 2.0, 2.0, 3.0, 4.0]),
            vec![1.0, 3.0, 3.0, 3.0, 5.0, 6.0]
        );
    }

    #[test]
    fn yates_applies_to_two_by_two_only_and_zero_rows_are_dropped() {
        let two_by_two = vec![vec![10.0, 20.0], vec![30.0, 15.0]];
        let plain = chi_squared_test(&two_by_two, false);
        let corrected = chi_squared_test(&two_by_two, true);
        assert!(corrected.yates && corrected.statistic < plain.statistic);
        let with_zero_row = vec![vec![10.0, 20.0], vec![0.0, 0.0], vec![30.0, 15.0]];
        assert_eq!(chi_squared_test(&with_zero_row, true), corrected);
        let three_rows = vec![vec![1.0, 2.0], vec![3.0, 4.0], vec![5.0, 1.0]];
        assert!(!chi_squared_test(&three_rows, true).yates);
    }
}
