//! Uniform cubic B-spline surfaces on a control-point lattice: the smooth model of N4's log bias
//! field. Fitting follows the scattered-data approximation of Lee, Wolberg & Shin (IEEE TVCG
//! 3:228-244, 1997) at one level, as ITK's `BSplineScatteredDataPointSetToImageFilter` does it for
//! N4; refinement doubles the spans exactly (the same surface on a finer lattice).
//!
//! # Parametrisation
//! A lattice of `n` control points per axis has `n − 3` spans. Pixel `i` of an axis of `size`
//! pixels sits at the parametric coordinate `p = i (n − 3) / (size − 1)` (the image's first and
//! last pixels are the ends of the domain; a point at the far end is moved inside by ε = 10⁻³ of a
//! pixel, as ITK does). Control point `k` carries the cubic B-spline centred at `p = k − 1`:
//! with `j = ⌊p⌋` and `u = p − j`, the weights of control points `j … j + 3` are
//! `(1−u)³/6, (3u³ − 6u² + 4)/6, (−3u³ + 3u² + 3u + 1)/6, u³/6`.

use ndarray::Array2;

/// The four weights and the first control point's index at one coordinate of one axis.
#[derive(Debug, Clone, Copy)]
pub struct AxisWeights {
    pub first: usize,
    pub weights: [f64; 4],
}

/// Weights for every pixel of an axis of `size` pixels on a lattice of `control_points`.
pub fn axis_weights(size: usize, control_points: usize) -> Vec<AxisWeights> {
    let spans = (control_points - 3) as f64;
    let step = if size > 1 {
        spans / (size - 1) as f64
    } else {
        0.0
    };
    let epsilon = step * 1e-3;
    (0..size)
        .map(|i| {
            let mut p = i as f64 * step;
            if (p - spans).abs() <= epsilon {
                p = spans - epsilon;
            }
            let p = p.clamp(0.0, spans - 1e-12);
            let first = p.floor() as usize;
            let u = p - first as f64;
            let weights = [
                (1.0 - u).powi(3) / 6.0,
                (3.0 * u * u * u - 6.0 * u * u + 4.0) / 6.0,
                (-3.0 * u * u * u + 3.0 * u * u + 3.0 * u + 1.0) / 6.0,
                u * u * u / 6.0,
            ];
            AxisWeights { first, weights }
        })
        .collect()
}

/// A control-point lattice (rows × columns of control points).
#[derive(Debug, Clone, PartialEq)]
pub struct Lattice {
    pub points: Array2<f64>,
}

impl Lattice {
    pub fn zeros(rows: usize, columns: usize) -> Lattice {
        Lattice {
            points: Array2::zeros((rows, columns)),
        }
    }

    pub fn shape(&self) -> (usize, usize) {
        self.points.dim()
    }

    /// Least-squares-like approximation of scattered values: each value `z` at a pixel spreads
    /// `φ = z·t/Σt²` to its 16 control points (t = the point's weight there), and each control
    /// point takes the t²-weighted mean of what it received (Lee et al. 1997, eq. 5 and 8).
    /// `values` yields (row, column, z) on a `size` = (rows, columns) pixel grid.
    pub fn fit(
        shape: (usize, usize),
        size: (usize, usize),
        values: impl Iterator<Item = (usize, usize, f64)>,
    ) -> Lattice {
        let row_weights = axis_weights(size.0, shape.0);
        let column_weights = axis_weights(size.1, shape.1);
        let mut delta = Array2::<f64>::zeros(shape);
        let mut omega = Array2::<f64>::zeros(shape);
        for (row, column, z) in values {
            let (wr, wc) = (&row_weights[row], &column_weights[column]);
            let sum_r: f64 = wr.weights.iter().map(|w| w * w).sum();
            let sum_c: f64 = wc.weights.iter().map(|w| w * w).sum();
            let w2_sum = sum_r * sum_c;
            for (a, &ta) in wr.weights.iter().enumerate() {
                for (b, &tb) in wc.weights.iter().enumerate() {
                    let t = ta * tb;
                    let index = [wr.first + a, wc.first + b];
                    omega[index] += t * t;
                    delta[index] += z * t * t * t / w2_sum;
                }
            }
        }
        let points = ndarray::Zip::from(&delta)
            .and(&omega)
            .map_collect(|&d, &o| if o != 0.0 { d / o } else { 0.0 });
        Lattice { points }
    }

    /// The surface on a grid of `size` = (rows, columns) pixels spanning the whole domain.
    pub fn evaluate(&self, size: (usize, usize)) -> Array2<f64> {
        let (control_rows, control_columns) = self.shape();
        let row_weights = axis_weights(size.0, control_rows);
        let column_weights = axis_weights(size.1, control_columns);
        // Collapse the rows first: for each pixel row, a row of control values.
        let mut out = Array2::<f64>::zeros(size);
        let mut collapsed = vec![0.0; control_columns];
        for (row, wr) in row_weights.iter().enumerate() {
            for (column, value) in collapsed.iter_mut().enumerate() {
                *value = (0..4)
                    .map(|a| wr.weights[a] * self.points[[wr.first + a, column]])
                    .sum();
            }
            for (column, wc) in column_weights.iter().enumerate() {
                out[[row, column]] = (0..4)
                    .map(|b| wc.weights[b] * collapsed[wc.first + b])
                    .sum();
            }
        }
        out
    }

    /// The same surface on a lattice with twice the spans per axis (Lane–Riesenfeld subdivision
    /// of the uniform cubic B-spline: new points at old knots are (c₋ + 6c + c₊)/8, between knots
    /// (c + c₊)/2).
    pub fn refine(&self) -> Lattice {
        let rows_refined = refine_axis(&self.points, true);
        Lattice {
            points: refine_axis(&rows_refined, false),
        }
    }

    pub fn add(&mut self, other: &Lattice) {
        self.points += &other.points;
    }
}

/// Subdivides along rows (`along_rows`) or columns.
fn refine_axis(points: &Array2<f64>, along_rows: bool) -> Array2<f64> {
    let points = if along_rows {
        points.clone()
    } else {
        points.t().to_owned()
    };
    let (n, m) = points.dim();
    let spans = n - 3;
    let mut refined = Array2::<f64>::zeros((2 * spans + 3, m));
    // Control point k sits at knot k − 1; new point j at old knot (j − 1)/2.
    for j in 0..2 * spans + 3 {
        for column in 0..m {
            refined[[j, column]] = if j % 2 == 1 {
                // Old knot (j − 1)/2 = k − 1 with k = (j + 1)/2.
                let k = j.div_ceil(2);
                (points[[k - 1, column]] + 6.0 * points[[k, column]] + points[[k + 1, column]])
                    / 8.0
            } else {
                // Midway between old control points j/2 and j/2 + 1.
                let k = j / 2;
                (points[[k, column]] + points[[k + 1, column]]) / 2.0
            };
        }
    }
    if along_rows {
        refined
    } else {
        refined.t().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_sum_to_one_and_cover_the_lattice() {
        for (size, n) in [(10, 4), (7, 5), (160, 11)] {
            let weights = axis_weights(size, n);
            for w in &weights {
                assert!((w.weights.iter().sum::<f64>() - 1.0).abs() < 1e-12);
                assert!(w.first + 3 < n);
            }
            assert_eq!(weights.last().unwrap().first, n - 4);
        }
    }

    #[test]
    fn refinement_keeps_the_surface() {
        let mut lattice = Lattice::zeros(5, 4);
        for ((r, c), v) in lattice.points.indexed_iter_mut() {
            *v = ((r * 7 + c * 3) % 5) as f64 - 2.0 + 0.1 * r as f64;
        }
        let refined = lattice.refine();
        assert_eq!(refined.shape(), (7, 5));
        let (a, b) = (lattice.evaluate((23, 17)), refined.evaluate((23, 17)));
        for (x, y) in a.iter().zip(b.iter()) {
            assert!((x - y).abs() < 1e-9, "{x} vs {y}");
        }
    }

    #[test]
    fn one_point_spreads_as_lee_wolberg_shin() {
        // One value z at the first pixel (p = 0): axis weights 1/6, 4/6, 1/6, 0, Σt² = ½·½, so
        // each control point takes φ = z·t/Σt² = 4·z·t (Lee et al. 1997, eq. 3).
        let z = 0.9;
        let lattice = Lattice::fit((4, 4), (10, 10), std::iter::once((0, 0, z)));
        let w = [1.0 / 6.0, 4.0 / 6.0, 1.0 / 6.0, 0.0];
        for a in 0..4 {
            for b in 0..4 {
                let expected = 4.0 * z * w[a] * w[b];
                assert!((lattice.points[[a, b]] - expected).abs() < 1e-12);
            }
        }
    }
}
