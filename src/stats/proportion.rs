//! A proportion with its exact (Clopper–Pearson) 95% interval, as R's `binom.test` gives it.
//!
//! # References
//! Clopper & Pearson, Biometrika 26 (1934) 404–413; R `binom.test` (conf.int: the α/2 quantile of
//! Beta(k, n − k + 1) and the 1 − α/2 quantile of Beta(k + 1, n − k)).

use super::distributions::beta_quantile;

/// k of n with its Clopper–Pearson 95% interval: (estimate, low, high); `None` when n = 0.
pub fn clopper_pearson(k: usize, n: usize) -> Option<(f64, f64, f64)> {
    if n == 0 || k > n {
        return None;
    }
    let (k, n) = (k as f64, n as f64);
    let low = if k == 0.0 {
        0.0
    } else {
        beta_quantile(0.025, k, n - k + 1.0)
    };
    let high = if k == n {
        1.0
    } else {
        beta_quantile(0.975, k + 1.0, n - k)
    };
    Some((k / n, low, high))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_equal_binom_test() {
        // Rscript -e 'cat(sprintf("%.15f", binom.test(7, 20)$conf.int), sprintf("%.15f", binom.test(0, 12)$conf.int), sprintf("%.15f", binom.test(54, 82)$conf.int))'
        let cases = [
            ((7, 20), (0.153909204784541, 0.592188534532828)),
            ((0, 12), (0.0, 0.264648469397051)),
            ((54, 82), (0.545512678770236, 0.759734515041939)),
        ];
        for ((k, n), (low, high)) in cases {
            let (_, l, h) = clopper_pearson(k, n).unwrap();
            assert!(
                (l - low).abs() < 1e-12 && (h - high).abs() < 1e-12,
                "{k}/{n}: {l} {h}"
            );
        }
    }
}
