//! Scatterplot smoothing and interpolation as R does them: `lowess` (Cleveland's locally weighted
//! regression) and `approx` (linear interpolation), the two steps of rms's calibration curves.

/// R's `lowess(x, y, f, iter)` with its default `delta = 0.01 · range(x)`: the points sorted by x
/// (ties kept in their order) and the smoothed value at each.
///
/// # Formula
/// At each x₀ the ⌊f·n⌋ nearest points (at least 2) are weighted by the tricube
/// (1 − (|x − x₀|/h)³)³, h the distance to the farthest of them (weight 1 within 0.001·h, 0 beyond
/// 0.999·h), and a weighted straight line is fitted (a weighted mean when the points are not
/// spread over more than 0.001 of the range). Points within `delta` of the last fitted one are
/// interpolated linearly; tied x take the same value. `iter` robustness steps reweight by the
/// bisquare of residuals over 6 × their median absolute value.
///
/// # References
/// Cleveland, "Robust locally weighted regression and smoothing scatterplots", JASA 74 (1979)
/// 829–836; R source `src/library/stats/src/lowess.c` (`clowess`, `lowest`).
pub fn lowess(x: &[f64], y: &[f64], f: f64, iter: usize) -> (Vec<f64>, Vec<f64>) {
    let mut order: Vec<usize> = (0..x.len()).collect();
    order.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let xs: Vec<f64> = order.iter().map(|&i| x[i]).collect();
    let ys: Vec<f64> = order.iter().map(|&i| y[i]).collect();
    let n = xs.len();
    if n < 2 {
        return (xs, ys);
    }
    let delta = 0.01 * (xs[n - 1] - xs[0]);
    let span = ((f * n as f64 + 1e-7) as usize).clamp(2, n);
    let mut fitted = vec![0.0; n];
    let mut robustness = vec![1.0; n];
    for step in 0..=iter {
        let reweight = step > 0;
        let (mut left, mut right) = (0usize, span - 1);
        let mut last: Option<usize> = None;
        let mut i = 0usize;
        loop {
            if right < n - 1 {
                let d1 = xs[i] - xs[left];
                let d2 = xs[right + 1] - xs[i];
                if d1 > d2 {
                    left += 1;
                    right += 1;
                    continue;
                }
            }
            let value = local_fit(
                &xs,
                &ys,
                xs[i],
                left,
                right,
                reweight.then_some(&robustness[..]),
            );
            fitted[i] = value.unwrap_or(ys[i]);
            match last {
                Some(l) if l + 1 < i => {
                    let denominator = xs[i] - xs[l];
                    for j in l + 1..i {
                        let alpha = (xs[j] - xs[l]) / denominator;
                        fitted[j] = alpha * fitted[i] + (1.0 - alpha) * fitted[l];
                    }
                }
                _ => {}
            }
            let mut l = i;
            let cut = xs[l] + delta;
            let mut next = l + 1;
            while next < n {
                if xs[next] > cut {
                    break;
                }
                if xs[next] == xs[l] {
                    fitted[next] = fitted[l];
                    l = next;
                }
                next += 1;
            }
            last = Some(l);
            i = (l + 1).max(next - 1);
            if l >= n - 1 {
                break;
            }
        }
        if step == iter {
            break;
        }
        let residuals: Vec<f64> = (0..n).map(|k| ys[k] - fitted[k]).collect();
        let mut absolute: Vec<f64> = residuals.iter().map(|r| r.abs()).collect();
        absolute.sort_by(f64::total_cmp);
        let half = n / 2;
        let median = if n.is_multiple_of(2) {
            0.5 * (absolute[half - 1] + absolute[half])
        } else {
            absolute[half]
        };
        let scale = 6.0 * median;
        let mean_absolute = absolute.iter().sum::<f64>() / n as f64;
        if median < 1e-7 * mean_absolute {
            break;
        }
        let (c1, c9) = (0.001 * scale, 0.999 * scale);
        for k in 0..n {
            let r = residuals[k].abs();
            robustness[k] = if r <= c1 {
                1.0
            } else if r <= c9 {
                let u = r / scale;
                (1.0 - u * u).powi(2)
            } else {
                0.0
            };
        }
    }
    (xs, fitted)
}

/// R's `lowest`: the locally weighted straight line through points `left..=right` (and ties
/// beyond `right`), evaluated at `at`; `None` when every weight is zero. The same sums as R's,
/// gathered in two passes over the window instead of five.
fn local_fit(
    x: &[f64],
    y: &[f64],
    at: f64,
    left: usize,
    right: usize,
    robustness: Option<&[f64]>,
) -> Option<f64> {
    let n = x.len();
    let range = x[n - 1] - x[0];
    let h = (at - x[left]).max(x[right] - at);
    let (h9, h1) = (0.999 * h, 0.001 * h);
    let inverse_h = 1.0 / h;
    let weight = |j: usize| -> f64 {
        let r = (x[j] - at).abs();
        let w = if r <= h1 {
            1.0
        } else {
            let u = r * inverse_h;
            let c = 1.0 - u * u * u;
            c * c * c
        };
        robustness.map_or(w, |rw| w * rw[j])
    };
    let (mut total, mut weighted_x, mut weighted_y) = (0.0, 0.0, 0.0);
    let mut j = left;
    while j < n {
        let r = (x[j] - at).abs();
        if r <= h9 {
            let w = weight(j);
            total += w;
            weighted_x += w * x[j];
            weighted_y += w * y[j];
        } else if x[j] > at {
            break;
        }
        j += 1;
    }
    let rightmost = j - 1;
    if total <= 0.0 {
        return None;
    }
    let mean_y = weighted_y / total;
    if h <= 0.0 {
        return Some(mean_y);
    }
    let centre = weighted_x / total;
    let (mut spread, mut covariance) = (0.0, 0.0);
    for k in left..=rightmost {
        if (x[k] - at).abs() <= h9 {
            let w = weight(k) / total;
            let d = x[k] - centre;
            spread += w * d * d;
            covariance += w * d * y[k];
        }
    }
    if spread.sqrt() > 0.001 * range {
        Some(mean_y + (at - centre) / spread * covariance)
    } else {
        Some(mean_y)
    }
}

/// How `approx` collapses y values that share an x.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ties {
    First,
    Mean,
}

/// R's `approx(x, y, xout, ties, rule = 1)`: linear interpolation through the points (sorted by
/// x, tied x collapsed to one), `None` outside the range of x.
pub fn approx(x: &[f64], y: &[f64], at: &[f64], ties: Ties) -> Vec<Option<f64>> {
    let mut order: Vec<usize> = (0..x.len())
        .filter(|&i| x[i].is_finite() && y[i].is_finite())
        .collect();
    order.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut knots: Vec<(f64, f64)> = Vec::with_capacity(order.len());
    let mut k = 0;
    while k < order.len() {
        let mut end = k;
        while end + 1 < order.len() && x[order[end + 1]] == x[order[k]] {
            end += 1;
        }
        let value = match ties {
            Ties::First => y[order[k]],
            Ties::Mean => (k..=end).map(|m| y[order[m]]).sum::<f64>() / (end - k + 1) as f64,
        };
        knots.push((x[order[k]], value));
        k = end + 1;
    }
    at.iter()
        .map(|&v| {
            let (first, last) = (knots.first()?, knots.last()?);
            if !(v >= first.0 && v <= last.0) {
                return None;
            }
            let upper = knots.partition_point(|knot| knot.0 < v);
            if knots[upper].0 == v {
                return Some(knots[upper].1);
            }
            let (a, b) = (knots[upper - 1], knots[upper]);
            Some(a.1 + (b.1 - a.1) * (v - a.0) / (b.0 - a.0))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// R 4.2.2: `lowess(c(1,2,3,4,5,6,7,8,9,10), c(2,4,3,6,5,8,9,7,11,10), iter = 0)$y` and with the
    /// default three robustness steps, printed with %.17g.
    #[test]
    fn lowess_equals_r() {
        let x: Vec<f64> = (1..=10).map(f64::from).collect();
        let y = [2.0, 4.0, 3.0, 6.0, 5.0, 8.0, 9.0, 7.0, 11.0, 10.0];
        let (_, plain) = lowess(&x, &y, 2.0 / 3.0, 0);
        let (_, robust) = lowess(&x, &y, 2.0 / 3.0, 3);
        let r_plain = R_PLAIN;
        let r_robust = R_ROBUST;
        for (ours, theirs) in plain.iter().zip(r_plain).chain(robust.iter().zip(r_robust)) {
            assert!((ours - theirs).abs() < 1e-12, "{plain:?}\n{robust:?}");
        }
    }

    // R's values as printed with 17 significant digits.
    #[allow(clippy::excessive_precision)]
    const R_PLAIN: [f64; 10] = [
        2.2682024299640959,
        3.1824116063289387,
        4.1255962539932609,
        4.9744577188452723,
        6.2256502268317941,
        7.1870669409070338,
        8.0307353434568878,
        8.9385293130862244,
        9.5949722823728845,
        10.375559105529756,
    ];
    #[allow(clippy::excessive_precision)]
    const R_ROBUST: [f64; 10] = [
        2.2635837101422438,
        3.1860816953639306,
        4.135697838625144,
        4.9927570034962088,
        6.2423770108362246,
        7.2497978629707367,
        8.1301572699490983,
        9.0331155944167048,
        9.6439190830115802,
        10.359535731728204,
    ];

    #[test]
    fn approx_interpolates_inside_and_gives_none_outside() {
        let got = approx(
            &[1.0, 2.0, 2.0, 4.0],
            &[0.0, 1.0, 3.0, 5.0],
            &[0.5, 1.5, 2.0, 3.0, 4.0, 5.0],
            Ties::First,
        );
        assert_eq!(
            got,
            vec![None, Some(0.5), Some(1.0), Some(3.0), Some(5.0), None]
        );
        let mean = approx(
            &[1.0, 2.0, 2.0, 4.0],
            &[0.0, 1.0, 3.0, 5.0],
            &[2.0],
            Ties::Mean,
        );
        assert_eq!(mean, vec![Some(2.0)]);
    }
}
