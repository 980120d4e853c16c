//! Penalised logistic regression along a λ path, as R's glmnet (`family = "binomial"`): the same
//! internal standardisation, the same λ sequence and path-stopping rules, coordinate descent on
//! the same objective, so the path, coefficients and cross-validation curves equal glmnet's.
//!
//! # Formula
//! With weights wᵢ = 1/n and each predictor standardised internally (mean and 1/n sd), minimise
//! −Σ wᵢ[yᵢηᵢ − log(1 + e^ηᵢ)] + λ[(1−α)/2·‖β‖² + α‖β‖₁], ηᵢ = β₀ + x̃ᵢᵀβ, by a quadratic
//! (IRLS) approximation solved with cyclic coordinate descent and the soft-threshold update
//! βₖ ← S(gₖ + vₖβₖ, λα)/(vₖ + λ(1−α)), warm-started along the path.
//! λ path: λ_max = maxⱼ|Σ wᵢ(yᵢ − ȳ)x̃ᵢⱼ|/max(α, 10⁻³), then λₘ = λₘ₋₁·r with
//! r = max(10⁻⁶, ratio)^(1/(L−1)), ratio 10⁻⁴ when n > p else 10⁻²; the path stops early once the
//! fraction of deviance explained exceeds 0.999 or grows by less than 10⁻⁵ (after 5 values).
//!
//! # References
//! Friedman, Hastie & Tibshirani, "Regularization paths for generalized linear models via
//! coordinate descent", J. Stat. Softw. 33(1) (2010); glmnet 4.1-6 (`lognet`, `cv.glmnet`).

use super::linalg::Matrix;
use super::logistic::logistic;

mod cross_validation;
pub use cross_validation::{
    CrossValidation, Measure, cross_validate, cross_validate_until, stratified_folds,
};

/// glmnet's internal constants (`glmnet.control()`).
const BIG: f64 = 9.9e35;
const MIN_RATIO_EPSILON: f64 = 1e-6;
const MIN_POINTS: usize = 5;
const DEVIANCE_CHANGE: f64 = 1e-5;
const DEVIANCE_MAX: f64 = 0.999;
const PROBABILITY_MIN: f64 = 1e-9;

/// Settings of one path.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LassoOptions {
    /// 1 for the lasso, between 0 and 1 for the elastic net.
    pub alpha: f64,
    pub lambda_count: usize,
    /// λ_min/λ_max; `None` for glmnet's default (10⁻⁴ when n > p, else 10⁻²).
    pub lambda_min_ratio: Option<f64>,
    /// Convergence threshold relative to the null deviance (glmnet's `thresh`): coordinate descent
    /// stops when no coefficient moves by more than √(thresh·D₀/vₖ). radnomo's default 1e-10 is
    /// a thousand times tighter than glmnet's 1e-7 (whose coefficients can be 2e-3 from the
    /// optimum); 1e-14 reproduces glmnet run at 1e-14 to 1e-6.
    pub threshold: f64,
    /// Coordinate-descent passes allowed over the whole path (glmnet's `maxit`, 10⁵). When they
    /// run out the path ends at the last λ that converged, as glmnet's does ("solutions for larger
    /// lambdas returned").
    pub max_passes: usize,
}

impl Default for LassoOptions {
    fn default() -> LassoOptions {
        LassoOptions {
            alpha: 1.0,
            lambda_count: 100,
            lambda_min_ratio: None,
            threshold: 1e-10,
            max_passes: 100_000,
        }
    }
}

/// A fitted path: one intercept and coefficient vector per λ, on the original scale of `x`.
#[derive(Debug, Clone, PartialEq)]
pub struct LassoPath {
    pub lambdas: Vec<f64>,
    pub intercepts: Vec<f64>,
    /// `coefficients[m][j]`: predictor j at λₘ.
    pub coefficients: Vec<Vec<f64>>,
    /// Fraction of the null deviance explained at each λ.
    pub deviance_ratio: Vec<f64>,
    /// The null deviance (glmnet's `nulldev`: 2n times the weighted one).
    pub null_deviance: f64,
    /// The (1-based) λ at which the passes ran out, if they did; the path stops before it.
    pub unconverged_at: Option<usize>,
}

impl LassoPath {
    /// How many coefficients are non-zero at each λ.
    pub fn nonzero(&self) -> Vec<usize> {
        self.coefficients
            .iter()
            .map(|b| b.iter().filter(|v| **v != 0.0).count())
            .collect()
    }

    /// Linear predictors of the rows of `x` at the values `at` of λ, interpolating between the
    /// path's own λ values as glmnet's `predict(s = …)` does (`lambda.interp`): linearly in λ,
    /// clamped to the path's range.
    pub fn predict_link(&self, x: &Matrix, at: &[f64]) -> Vec<Vec<f64>> {
        at.iter()
            .map(|&s| {
                let (left, right, fraction) = interpolation(&self.lambdas, s);
                let intercept =
                    fraction * self.intercepts[left] + (1.0 - fraction) * self.intercepts[right];
                let beta: Vec<f64> = self.coefficients[left]
                    .iter()
                    .zip(&self.coefficients[right])
                    .map(|(l, r)| fraction * l + (1.0 - fraction) * r)
                    .collect();
                x.times_vector(&beta)
                    .into_iter()
                    .map(|v| v + intercept)
                    .collect()
            })
            .collect()
    }
}

/// glmnet's `lambda.interp`: the neighbouring path positions of `s` and the weight of the left.
fn interpolation(lambdas: &[f64], s: f64) -> (usize, usize, f64) {
    let k = lambdas.len();
    if k == 1 {
        return (0, 0, 1.0);
    }
    let (first, last) = (lambdas[0], lambdas[k - 1]);
    let scaled: Vec<f64> = lambdas
        .iter()
        .map(|l| (first - l) / (first - last))
        .collect();
    let low = scaled.iter().copied().fold(f64::INFINITY, f64::min);
    let high = scaled.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let position = ((first - s) / (first - last)).clamp(low, high);
    // Linear interpolation of the index over the scaled grid (R's `approx`).
    let mut coordinate = (k - 1) as f64;
    for i in 0..k - 1 {
        if position >= scaled[i] && position <= scaled[i + 1] {
            let span = scaled[i + 1] - scaled[i];
            coordinate = if span > 0.0 {
                i as f64 + (position - scaled[i]) / span
            } else {
                i as f64
            };
            break;
        }
    }
    let (left, right) = (coordinate.floor() as usize, coordinate.ceil() as usize);
    let mut fraction = if left == right {
        1.0
    } else {
        (position - scaled[right]) / (scaled[left] - scaled[right])
    };
    if (lambdas[left] - lambdas[right]).abs() < f64::EPSILON {
        fraction = 1.0;
    }
    (left, right, fraction)
}

/// Asked between steps of a long fit; returning true stops it (Ctrl-C, a kernel interrupt).
pub type Stop<'a> = &'a (dyn Fn() -> bool + Sync);

/// Fits the path of y ~ x (x without an intercept column).
pub fn fit_path(x: &Matrix, y: &[f64], options: &LassoOptions) -> LassoPath {
    fit_path_until(x, y, options, &|| false).expect("never stopped")
}

/// [`fit_path`], giving up (`None`) as soon as `stop` says so between two λ values.
pub fn fit_path_until(
    x: &Matrix,
    y: &[f64],
    options: &LassoOptions,
    stop: Stop<'_>,
) -> Option<LassoPath> {
    let (n, p) = (x.rows, x.cols);
    let w = 1.0 / n as f64;
    // Internal standardisation (glmnet `isd = TRUE`, `intr = TRUE`): mean and 1/n sd.
    let mut means = vec![0.0; p];
    let mut scales = vec![1.0; p];
    let mut standardised = x.clone();
    let mut usable = vec![true; p];
    for j in 0..p {
        let column = standardised.column_mut(j);
        let first = column.first().copied().unwrap_or(0.0);
        usable[j] = column.iter().any(|&v| v != first);
        let mean = column.iter().sum::<f64>() * w;
        let variance = column.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() * w;
        means[j] = mean;
        scales[j] = if variance > 0.0 { variance.sqrt() } else { 1.0 };
        for value in column.iter_mut() {
            *value = (*value - mean) / scales[j];
        }
    }
    let q0 = y.iter().sum::<f64>() * w;
    let b0 = (q0 / (1.0 - q0)).ln();
    let first_deviance = -(b0 * q0 + (1.0 - q0).ln());
    let null_deviance = first_deviance;
    let threshold = options.threshold * null_deviance;
    let ratio = options
        .lambda_min_ratio
        .unwrap_or(if n > p { 1e-4 } else { 1e-2 });
    let step = if ratio < 1.0 {
        ratio
            .max(MIN_RATIO_EPSILON)
            .powf(1.0 / (options.lambda_count as f64 - 1.0))
    } else {
        1.0
    };
    let alpha = options.alpha;

    let mut state = Solver {
        x: &standardised,
        y,
        w,
        usable: &usable,
        beta: vec![0.0; p],
        intercept: b0,
        eta: vec![b0; n],
        threshold,
        passes_left: options.max_passes,
    };
    let mut path = LassoPath {
        lambdas: Vec::new(),
        intercepts: Vec::new(),
        coefficients: Vec::new(),
        deviance_ratio: Vec::new(),
        null_deviance: 2.0 * null_deviance * n as f64,
        unconverged_at: None,
    };
    let mut lambda = 0.0;
    for m in 0..options.lambda_count {
        if stop() {
            return None;
        }
        lambda = match m {
            0 => BIG,
            1 => {
                let gradient = state.gradient();
                let largest = (0..p)
                    .filter(|&j| usable[j])
                    .map(|j| gradient[j].abs())
                    .fold(0.0, f64::max);
                largest / alpha.max(1e-3) * step
            }
            _ => lambda * step,
        };
        if !state.solve(lambda * alpha, lambda * (1.0 - alpha)) {
            path.unconverged_at = Some(m + 1);
            break;
        }
        let probabilities: Vec<f64> = state.eta.iter().map(|&e| logistic(e)).collect();
        let deviance = weighted_deviance(y, &probabilities, w);
        let explained = (first_deviance - deviance) / null_deviance;
        path.lambdas.push(lambda);
        let coefficients: Vec<f64> = (0..p).map(|j| state.beta[j] / scales[j]).collect();
        let intercept = state.intercept
            - coefficients
                .iter()
                .zip(&means)
                .map(|(b, m)| b * m)
                .sum::<f64>();
        path.coefficients.push(coefficients);
        path.intercepts.push(intercept);
        let previous = path.deviance_ratio.last().copied().unwrap_or(0.0);
        path.deviance_ratio.push(explained);
        if m + 1 < MIN_POINTS.min(options.lambda_count) {
            continue;
        }
        let variance: f64 = probabilities.iter().map(|q| w * q * (1.0 - q)).sum();
        let minimum_variance = (1.0 + PROBABILITY_MIN) * PROBABILITY_MIN * (1.0 - PROBABILITY_MIN);
        if explained - previous < DEVIANCE_CHANGE
            || explained > DEVIANCE_MAX
            || variance <= minimum_variance
        {
            break;
        }
    }
    // glmnet reports the first λ extrapolated from the next two (R's `fix.lam`): λ_max.
    if path.lambdas.len() > 2 {
        path.lambdas[0] = (2.0 * path.lambdas[1].ln() - path.lambdas[2].ln()).exp();
    }
    Some(path)
}

/// −Σ wᵢ[yᵢ log pᵢ + (1−yᵢ) log(1−pᵢ)] with p clipped to [1e-9, 1−1e-9] (glmnet's `dev2`).
fn weighted_deviance(y: &[f64], p: &[f64], w: f64) -> f64 {
    y.iter()
        .zip(p)
        .map(|(&y, &p)| {
            let p = p.clamp(PROBABILITY_MIN, 1.0 - PROBABILITY_MIN);
            -w * (y * p.ln() + (1.0 - y) * (1.0 - p).ln())
        })
        .sum()
}

/// Coordinate-descent state on the standardised predictors.
struct Solver<'a> {
    x: &'a Matrix,
    y: &'a [f64],
    w: f64,
    usable: &'a [bool],
    beta: Vec<f64>,
    intercept: f64,
    eta: Vec<f64>,
    threshold: f64,
    /// Coordinate-descent passes left for the rest of the path.
    passes_left: usize,
}

impl Solver<'_> {
    /// Σ wᵢ(yᵢ − pᵢ)x̃ᵢⱼ at the current fit.
    fn gradient(&self) -> Vec<f64> {
        let residual: Vec<f64> = self
            .eta
            .iter()
            .zip(self.y)
            .map(|(&e, &y)| self.w * (y - logistic(e)))
            .collect();
        (0..self.x.cols)
            .map(|j| super::linalg::dot(self.x.column(j), &residual))
            .collect()
    }

    /// Minimises the penalised objective at l1 = λα, l2 = λ(1−α): IRLS outer loop, coordinate
    /// descent inner loop, each to the threshold. `false` when the passes ran out first.
    fn solve(&mut self, l1: f64, l2: f64) -> bool {
        let n = self.y.len();
        let p = self.x.cols;
        for _outer in 0..10_000 {
            let q: Vec<f64> = self.eta.iter().map(|&e| logistic(e)).collect();
            let v: Vec<f64> = q.iter().map(|q| self.w * q * (1.0 - q)).collect();
            let v_sum: f64 = v.iter().sum();
            // Working residual r = w(y − q) on the quadratic approximation.
            let mut r: Vec<f64> = (0..n).map(|i| self.w * (self.y[i] - q[i])).collect();
            // Weighted sums of squares, computed only for predictors that get updated.
            let mut xv: Vec<Option<f64>> = vec![None; p];
            let start_beta = self.beta.clone();
            let start_intercept = self.intercept;
            // Cycle over every predictor; then over the non-zero ones until they settle; then
            // every predictor again, until a full pass changes nothing (glmnet's active-set
            // cycling: the same optimum, far fewer passes over predictors that stay at zero).
            loop {
                if self.passes_left == 0 {
                    return false;
                }
                self.passes_left -= 1;
                let largest = self.pass(None, &mut r, &v, v_sum, &mut xv, l1, l2);
                if largest < self.threshold {
                    break;
                }
                let active: Vec<usize> = (0..p).filter(|&k| self.beta[k] != 0.0).collect();
                loop {
                    if self.passes_left == 0 {
                        return false;
                    }
                    self.passes_left -= 1;
                    if self.pass(Some(&active), &mut r, &v, v_sum, &mut xv, l1, l2) < self.threshold
                    {
                        break;
                    }
                }
            }
            self.eta = self.x.times_vector(&self.beta);
            for e in self.eta.iter_mut() {
                *e += self.intercept;
            }
            let change_intercept = self.intercept - start_intercept;
            let mut change = v_sum * change_intercept * change_intercept;
            for k in 0..p {
                let d = self.beta[k] - start_beta[k];
                if d != 0.0 {
                    change = change.max(xv[k].unwrap_or(0.0) * d * d);
                }
            }
            if change < self.threshold {
                break;
            }
        }
        true
    }

    /// One coordinate-descent pass (over `only`, or every usable predictor) and an intercept
    /// update; returns the largest weighted squared change.
    #[allow(clippy::too_many_arguments)]
    fn pass(
        &mut self,
        only: Option<&[usize]>,
        r: &mut [f64],
        v: &[f64],
        v_sum: f64,
        xv: &mut [Option<f64>],
        l1: f64,
        l2: f64,
    ) -> f64 {
        let mut largest = 0.0_f64;
        let every: Vec<usize>;
        let indices = match only {
            Some(indices) => indices,
            None => {
                every = (0..self.x.cols).filter(|&k| self.usable[k]).collect();
                &every
            }
        };
        for &k in indices {
            let column = self.x.column(k);
            let gradient = super::linalg::dot(r, column);
            let old = self.beta[k];
            // A predictor at zero whose gradient is within the penalty stays at zero.
            if old == 0.0 && gradient.abs() <= l1 {
                continue;
            }
            let variance =
                *xv[k].get_or_insert_with(|| column.iter().zip(v).map(|(x, v)| v * x * x).sum());
            let u = gradient + variance * old;
            let new = soft_threshold(u, l1) / (variance + l2);
            if new != old {
                let difference = new - old;
                for ((ri, vi), xi) in r.iter_mut().zip(v).zip(column) {
                    *ri -= difference * vi * xi;
                }
                largest = largest.max(variance * difference * difference);
                self.beta[k] = new;
            }
        }
        let d = r.iter().sum::<f64>() / v_sum;
        if d != 0.0 {
            self.intercept += d;
            for (ri, vi) in r.iter_mut().zip(v) {
                *ri -= d * vi;
            }
            largest = largest.max(v_sum * d * d);
        }
        largest
    }
}

fn soft_threshold(u: f64, l1: f64) -> f64 {
    if u > l1 {
        u - l1
    } else if u < -l1 {
        u + l1
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy() -> (Matrix, Vec<f64>) {
        let mut rng = crate::rng::Rng::seed_from(3);
        let n = 120;
        let columns: Vec<Vec<f64>> = (0..5)
            .map(|_| (0..n).map(|_| rng.uniform() * 2.0 - 1.0).collect())
            .collect();
        let y: Vec<f64> = (0..n)
            .map(|i| {
                let eta = 2.0 * columns[0][i] - 1.5 * columns[1][i];
                f64::from(u8::from(rng.uniform() < logistic(eta)))
            })
            .collect();
        (Matrix::from_columns(&columns), y)
    }

    #[test]
    fn the_path_starts_empty_and_grows() {
        let (x, y) = toy();
        let path = fit_path(&x, &y, &LassoOptions::default());
        assert_eq!(path.nonzero()[0], 0);
        assert!(path.nonzero().last().copied().unwrap() >= 2);
        let ratios = &path.lambdas;
        assert!(ratios.windows(2).all(|w| w[1] < w[0]));
        assert!(path.deviance_ratio.windows(2).all(|w| w[1] >= w[0] - 1e-12));
    }

    #[test]
    fn the_path_ends_where_the_passes_run_out_as_glmnets_does() {
        let (x, y) = toy();
        let full = fit_path(&x, &y, &LassoOptions::default());
        assert_eq!(full.unconverged_at, None);
        let short = fit_path(
            &x,
            &y,
            &LassoOptions {
                max_passes: 40,
                ..LassoOptions::default()
            },
        );
        let at = short
            .unconverged_at
            .expect("40 passes are too few for the whole path");
        assert_eq!(short.lambdas.len(), at - 1);
        assert!(short.lambdas.len() < full.lambdas.len());
        // The λ that did converge are the same fits.
        assert_eq!(short.coefficients[..at - 1], full.coefficients[..at - 1]);
    }

    #[test]
    fn interpolation_follows_glmnet() {
        let lambdas = [1.0, 0.5, 0.25];
        assert_eq!(interpolation(&lambdas, 0.5), (1, 1, 1.0));
        let (left, right, fraction) = interpolation(&lambdas, 0.75);
        assert_eq!((left, right), (0, 1));
        assert!((fraction - 0.5).abs() < 1e-12);
        assert_eq!(interpolation(&lambdas, 0.1), (2, 2, 1.0));
    }
}
