//! Training/validation splits: from a column, or stratified at random with a seed.

use super::dataset::Cohort;
use crate::rng::Rng;

/// Reads a cohort label: `train`, `training`, `derivation`, `development` and `t` for training;
/// `valid`, `validation`, `test`, `testing` and `v` for validation (any letter case).
pub fn parse_cohort_label(text: &str) -> Option<Cohort> {
    match text.trim().to_lowercase().as_str() {
        "train" | "training" | "derivation" | "development" | "t" => Some(Cohort::Training),
        "valid" | "validation" | "test" | "testing" | "v" => Some(Cohort::Validation),
        _ => None,
    }
}

/// Assigns each row to training or validation, stratified by `strata` (one label per row, e.g.
/// the outcome): within each stratum the rows are shuffled with the seeded generator and the first
/// `round(fraction × size)` go to training. Deterministic for a given seed on any machine.
pub fn stratified_split(strata: &[u32], fraction: f64, seed: u64) -> Vec<Cohort> {
    let mut cohorts = vec![Cohort::Validation; strata.len()];
    let mut rng = Rng::seed_from(seed);
    let mut labels: Vec<u32> = strata.to_vec();
    labels.sort_unstable();
    labels.dedup();
    for label in labels {
        let mut rows: Vec<usize> = (0..strata.len()).filter(|&r| strata[r] == label).collect();
        rng.shuffle(&mut rows);
        let take = (fraction * rows.len() as f64).round() as usize;
        for &row in &rows[..take.min(rows.len())] {
            cohorts[row] = Cohort::Training;
        }
    }
    cohorts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_in_common_spellings_are_read() {
        assert_eq!(parse_cohort_label("Training"), Some(Cohort::Training));
        assert_eq!(parse_cohort_label("test"), Some(Cohort::Validation));
        assert_eq!(parse_cohort_label("hold-out"), None);
    }

    #[test]
    fn each_stratum_is_split_in_proportion_and_the_seed_decides() {
        let strata: Vec<u32> = (0..100).map(|i| u32::from(i < 30)).collect();
        let split = stratified_split(&strata, 0.7, 7);
        let training_positive = (0..100)
            .filter(|&i| strata[i] == 1 && split[i] == Cohort::Training)
            .count();
        let training = split.iter().filter(|c| **c == Cohort::Training).count();
        assert_eq!((training_positive, training), (21, 70));
        assert_eq!(split, stratified_split(&strata, 0.7, 7));
        assert_ne!(split, stratified_split(&strata, 0.7, 8));
    }
}
