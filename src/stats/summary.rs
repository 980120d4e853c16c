//! Descriptive summaries: mean, standard deviation, quantiles.

/// Arithmetic mean; NaN for no values.
pub fn mean(x: &[f64]) -> f64 {
    if x.is_empty() {
        return f64::NAN;
    }
    x.iter().sum::<f64>() / x.len() as f64
}

/// Sample variance with n − 1 in the denominator (R's `var`), by the two-pass formula;
/// NaN for fewer than two values.
pub fn variance(x: &[f64]) -> f64 {
    if x.len() < 2 {
        return f64::NAN;
    }
    let m = mean(x);
    x.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (x.len() - 1) as f64
}

/// Sample standard deviation (R's `sd`).
pub fn standard_deviation(x: &[f64]) -> f64 {
    variance(x).sqrt()
}

/// (x − mean)/sd with the sample sd (n − 1), R's `scale(x)`; also returns the mean and sd.
pub fn z_scores(x: &[f64]) -> (Vec<f64>, f64, f64) {
    let (m, sd) = (mean(x), standard_deviation(x));
    (x.iter().map(|v| (v - m) / sd).collect(), m, sd)
}

/// Pearson's correlation of two equally long samples (R's `cor`); NaN when either is constant.
///
/// # Formula
/// r = Σ(x − x̄)(y − ȳ) / √(Σ(x − x̄)² · Σ(y − ȳ)²).
pub fn correlation(x: &[f64], y: &[f64]) -> f64 {
    let (mx, my) = (mean(x), mean(y));
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        let (dx, dy) = (a - mx, b - my);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    if sxx == 0.0 || syy == 0.0 {
        return f64::NAN;
    }
    sxy / (sxx * syy).sqrt()
}

/// Pairs of columns (indices) whose values are perfectly correlated, |r| ≥ 1 − 1e-12: one is a
/// linear function of the other.
pub fn identical_pairs(columns: &[&[f64]]) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    for i in 0..columns.len() {
        for j in i + 1..columns.len() {
            if correlation(columns[i], columns[j]).abs() >= 1.0 - 1e-12 {
                pairs.push((i, j));
            }
        }
    }
    pairs
}

/// The `p`-quantile by linear interpolation between order statistics, R's default
/// `quantile(type = 7)`.
///
/// # Formula
/// h = (n − 1)·p; Q(p) = x₍⌊h⌋₎ + (h − ⌊h⌋)(x₍⌊h⌋+1₎ − x₍⌊h⌋₎) on the sorted values (0-based).
///
/// # References
/// Hyndman & Fan, "Sample quantiles in statistical packages", Am. Stat. 50 (1996), definition 7.
pub fn quantile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let h = (sorted.len() - 1) as f64 * p;
    let low = h.floor() as usize;
    let high = (low + 1).min(sorted.len() - 1);
    sorted[low] + (h - low as f64) * (sorted[high] - sorted[low])
}

/// `bins` equal bins from `low` to `high`: each bin's (from, to, share of `values`); a value at
/// `high` falls in the last bin, and one outside [low, high] in the nearest end bin.
pub fn histogram(values: &[f64], (low, high): (f64, f64), bins: usize) -> Vec<(f64, f64, f64)> {
    let bins = bins.max(1);
    let width = if high > low {
        (high - low) / bins as f64
    } else {
        1.0
    };
    let mut counts = vec![0usize; bins];
    for x in values {
        let bin = ((x - low) / width).max(0.0) as usize;
        counts[bin.min(bins - 1)] += 1;
    }
    let total = values.len().max(1) as f64;
    counts
        .iter()
        .enumerate()
        .map(|(k, &c)| {
            (
                low + k as f64 * width,
                low + (k + 1) as f64 * width,
                c as f64 / total,
            )
        })
        .collect()
}

/// Median and quartiles (type 7) of unsorted values.
pub fn median_and_quartiles(x: &[f64]) -> (f64, f64, f64) {
    let mut sorted = x.to_vec();
    sorted.sort_by(f64::total_cmp);
    (
        quantile(&sorted, 0.5),
        quantile(&sorted, 0.25),
        quantile(&sorted, 0.75),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_shares_and_the_upper_edge() {
        let bins = histogram(&[0.0, 0.5, 1.0, 2.0], (0.0, 2.0), 2);
        assert_eq!(bins, vec![(0.0, 1.0, 0.5), (1.0, 2.0, 0.5)]);
    }

    #[test]
    fn hand_checked_values() {
        let x = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
        assert_eq!(mean(&x), 5.0);
        assert!((variance(&x) - 32.0 / 7.0).abs() < 1e-15);
        // R: quantile(c(1,2,3,4,10), c(.25,.5,.75)) = 2 3 4; quantile(1:4, .5) = 2.5
        assert_eq!(
            median_and_quartiles(&[10.0, 1.0, 3.0, 2.0, 4.0]),
            (3.0, 2.0, 4.0)
        );
        assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0], 0.5), 2.5);
        assert!(variance(&[1.0]).is_nan());
    }

    #[test]
    fn correlation_and_identical_pairs() {
        let a = [1.0, 2.0, 3.0, 5.0];
        let b = [3.0, 5.0, 7.0, 11.0]; // 2a + 1
        let c = [1.0, 0.0, 2.0, 1.0];
        assert!((correlation(&a, &b) - 1.0).abs() < 1e-15);
        assert!(correlation(&a, &[4.0; 4]).is_nan());
        assert_eq!(identical_pairs(&[&a, &c, &b]), vec![(0, 2)]);
    }
}
