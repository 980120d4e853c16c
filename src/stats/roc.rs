//! Discrimination: the area under the ROC curve (more of ROC analysis comes with the models'
//! validation).

use super::hypothesis::mid_ranks;

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
    }
}
