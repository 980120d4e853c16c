//! How stable a LASSO signature's choice of features is: the signature made again on bootstrap
//! samples of the patients, each with its own cross-validation, and how often each candidate
//! feature is kept. A feature kept in nearly every sample is part of the signal; one kept in a
//! third of them was chosen by the particular patients.
//!
//! # References
//! Meinshausen & Bühlmann, "Stability selection", J. R. Stat. Soc. B 72(4):417–473 (2010) (the
//! selection frequency over resamples; features above 0.6–0.9 are the stable set); Bach,
//! "Bolasso: model consistent Lasso estimation through the bootstrap", ICML 2008 (the same with
//! bootstrap samples, as here); Harrell, Regression Modeling Strategies, 2nd ed. (2015), §5.3.

use super::linalg::Matrix;
use super::optimism::Cancelled;
use super::pipeline::{SignatureSteps, signature_on};
use rayon::prelude::*;

/// Selection frequencies over bootstrap samples.
#[derive(Debug, Clone, PartialEq)]
pub struct SelectionStability {
    /// Replicates that completed.
    pub replicates: usize,
    /// How many replicates kept each candidate, by candidate.
    pub kept: Vec<usize>,
    /// How many features each replicate's signature kept, sorted.
    pub sizes: Vec<usize>,
}

impl SelectionStability {
    /// The frequencies of replicates' selections (each the candidates one replicate kept, in
    /// any order of replicates: sizes are sorted) among `candidates` candidates.
    pub fn from_selections(selections: &[Vec<usize>], candidates: usize) -> SelectionStability {
        let mut kept = vec![0; candidates];
        for selection in selections {
            for &j in selection {
                kept[j] += 1;
            }
        }
        let mut sizes: Vec<usize> = selections.iter().map(Vec::len).collect();
        sizes.sort_unstable();
        SelectionStability {
            replicates: selections.len(),
            kept,
            sizes,
        }
    }

    /// The share of replicates that kept candidate `j`.
    pub fn frequency(&self, j: usize) -> f64 {
        self.kept[j] as f64 / self.replicates.max(1) as f64
    }
}

/// The signature of `steps` made again on `replicates` bootstrap samples of the patients (rows of
/// `features`, outcome `y`). Replicate b draws n patients with replacement from the stream
/// `Rng::for_item(seed, b)`, then its folds' seed from the same stream — the samples and folds of
/// `validate MODEL pipeline=yes` with the same seed — so the result is the same on any number of
/// threads. `cancel` is asked before each replicate, `interrupted` inside its cross-validation.
pub fn selection_stability(
    features: &Matrix,
    y: &[f64],
    steps: &SignatureSteps,
    (replicates, seed): (usize, u64),
    (cancel, interrupted): (&(dyn Fn() -> bool + Sync), &(dyn Fn() -> bool + Sync)),
) -> Result<SelectionStability, Cancelled> {
    let n = y.len();
    let outcomes: Vec<Option<Vec<usize>>> = (0..replicates)
        .into_par_iter()
        .map(|b| {
            if cancel() {
                return None;
            }
            let mut rng = crate::rng::Rng::for_item(seed, b as u64);
            let sample = rng.bootstrap_sample(n);
            let fold_seed = rng.next_u64();
            signature_on(features, y, steps, &sample, fold_seed, interrupted).map(|(_, kept)| kept)
        })
        .collect();
    if interrupted() || outcomes.iter().any(Option::is_none) {
        return Err(Cancelled);
    }
    let selections: Vec<Vec<usize>> = outcomes.into_iter().flatten().collect();
    Ok(SelectionStability::from_selections(
        &selections,
        features.cols,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::lasso::{LassoOptions, Measure};
    use crate::stats::pipeline::LambdaRule;

    /// One strong feature and three of noise: the strong one is kept in every sample, and the
    /// same seed gives the same frequencies.
    #[test]
    fn a_strong_feature_is_kept_every_time_and_the_seed_fixes_the_rest() {
        let n = 120;
        let mut rng = crate::rng::Rng::for_item(7, 0);
        let mut columns = vec![Vec::new(); 4];
        let mut y = Vec::new();
        for i in 0..n {
            let event = i % 2 == 0;
            y.push(f64::from(u8::from(event)));
            let signal = if event { 1.5 } else { -1.5 };
            columns[0].push(signal + rng.normal());
            for column in columns.iter_mut().skip(1) {
                column.push(rng.normal());
            }
        }
        let x = Matrix::from_columns(&columns);
        let steps = SignatureSteps {
            features: (0..4).map(|j| format!("f{j}")).collect(),
            folds: 5,
            rule: LambdaRule::OneSe,
            measure: Measure::Deviance,
            options: LassoOptions::default(),
        };
        let never = || false;
        let run = || selection_stability(&x, &y, &steps, (30, 11), (&never, &never)).unwrap();
        let first = run();
        assert_eq!(first.replicates, 30);
        assert_eq!(first.kept[0], 30);
        assert!(first.kept[1..].iter().all(|&k| k < 30));
        assert_eq!(run(), first);
    }
}
