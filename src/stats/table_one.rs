//! The comparisons behind a study's Table 1: one variable, two outcome groups, every test a
//! reader may ask for.

use super::fisher::{FisherTest, fisher_exact_test};
use super::hypothesis::{
    ChiSquaredTest, RankSumTest, TTest, chi_squared_test, student_t_test, welch_t_test,
    wilcoxon_rank_sum_test,
};
use super::summary::{mean, median_and_quartiles, standard_deviation};

/// Summary of a continuous variable in one group.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ContinuousSummary {
    pub n: usize,
    pub mean: f64,
    pub sd: f64,
    pub median: f64,
    pub q1: f64,
    pub q3: f64,
}

impl ContinuousSummary {
    pub fn of(values: &[f64]) -> ContinuousSummary {
        let (median, q1, q3) = median_and_quartiles(values);
        ContinuousSummary {
            n: values.len(),
            mean: mean(values),
            sd: standard_deviation(values),
            median,
            q1,
            q3,
        }
    }
}

/// A continuous variable compared between the positive and the negative group.
#[derive(Debug, Clone, PartialEq)]
pub struct ContinuousComparison {
    pub positive: ContinuousSummary,
    pub negative: ContinuousSummary,
    /// `None` when a group has fewer than two values (no variance, no test).
    pub student: Option<TTest>,
    pub welch: Option<TTest>,
    pub rank_sum: Option<RankSumTest>,
}

/// Compares `positive` and `negative` values with Student's t, Welch's t and the rank-sum test.
pub fn compare_continuous(positive: &[f64], negative: &[f64]) -> ContinuousComparison {
    let testable = positive.len() >= 2 && negative.len() >= 2;
    ContinuousComparison {
        positive: ContinuousSummary::of(positive),
        negative: ContinuousSummary::of(negative),
        student: testable.then(|| student_t_test(positive, negative)),
        welch: testable.then(|| welch_t_test(positive, negative)),
        rank_sum: (!positive.is_empty() && !negative.is_empty())
            .then(|| wilcoxon_rank_sum_test(positive, negative)),
    }
}

/// A categorical variable compared between the groups: counts per level and chi-squared tests.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoricalComparison {
    pub levels: Vec<String>,
    pub positive_counts: Vec<u64>,
    pub negative_counts: Vec<u64>,
    /// Pearson's test without correction; `None` with fewer than two observed levels.
    pub pearson: Option<ChiSquaredTest>,
    /// With Yates's correction, for 2 × 2 tables only.
    pub yates: Option<ChiSquaredTest>,
    /// Fisher's exact test; `None` when untestable or too many tables share the margins.
    pub fisher: Option<FisherTest>,
}

impl CategoricalComparison {
    /// Whether an expected count is below 5, where the chi-squared approximation is doubtful and
    /// Table 1 reports Fisher's exact test instead (Cochran, Biometrics 10:417–451, 1954).
    pub fn small_expected(&self) -> bool {
        self.pearson
            .as_ref()
            .is_some_and(|t| t.smallest_expected < 5.0)
    }
}

/// Compares level counts (`positive_counts[i]` and `negative_counts[i]` are level `i`).
pub fn compare_categorical(
    levels: Vec<String>,
    positive_counts: Vec<u64>,
    negative_counts: Vec<u64>,
) -> CategoricalComparison {
    let table: Vec<Vec<f64>> = positive_counts
        .iter()
        .zip(&negative_counts)
        .map(|(&p, &n)| vec![p as f64, n as f64])
        .collect();
    let observed_levels = table.iter().filter(|row| row[0] + row[1] > 0.0).count();
    let groups_present =
        positive_counts.iter().sum::<u64>() > 0 && negative_counts.iter().sum::<u64>() > 0;
    let testable = observed_levels >= 2 && groups_present;
    let pearson = testable.then(|| chi_squared_test(&table, false));
    let yates = (testable && observed_levels == 2).then(|| chi_squared_test(&table, true));
    let pairs: Vec<[u64; 2]> = positive_counts
        .iter()
        .zip(&negative_counts)
        .map(|(&p, &n)| [p, n])
        .collect();
    let fisher = testable.then(|| fisher_exact_test(&pairs)).flatten();
    CategoricalComparison {
        levels,
        positive_counts,
        negative_counts,
        pearson,
        yates,
        fisher,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_two_level_factor_gets_both_chi_squared_tests() {
        let comparison =
            compare_categorical(vec!["no".into(), "yes".into()], vec![53, 53], vec![136, 54]);
        let pearson = comparison.pearson.unwrap();
        let yates = comparison.yates.unwrap();
        assert_eq!(pearson.df, 1.0);
        assert!(yates.statistic < pearson.statistic);
    }

    #[test]
    fn one_value_per_group_gives_summaries_but_no_t_test() {
        let comparison = compare_continuous(&[1.0], &[2.0, 3.0]);
        assert!(comparison.student.is_none());
        assert_eq!(comparison.negative.mean, 2.5);
    }
}
