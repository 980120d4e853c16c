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

    /// Lee et al.'s one-level approximation of scattered values (see [`PixelFit::fit`]);
    /// `values` yields (row, column, z) on a `size` = (rows, columns) pixel grid.
    pub fn fit(
        shape: (usize, usize),
        size: (usize, usize),
        values: impl Iterator<Item = (usize, usize, f64)>,
    ) -> Lattice {
        let (pixels, z): (Vec<(usize, usize)>, Vec<f64>) =
            values.map(|(r, c, z)| ((r, c), z)).unzip();
        PixelFit::new(shape, size, &pixels).fit(&z)
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

/// Fitting and evaluating on one lattice shape at a fixed set of pixels: the B-spline weights,
/// and the fit's denominators, depend only on where the pixels are, so they are worked out once
/// per N4 level rather than once per iteration.
pub struct PixelFit {
    shape: (usize, usize),
    /// Per pixel: its first control point (row, column) and its row and column weight entries.
    pixels: Vec<(usize, usize, usize, usize)>,
    rows: Vec<AxisPowers>,
    columns: Vec<AxisPowers>,
    /// Σ t² at each control point (Lee et al.'s ω, eq. 5's denominator).
    omega: Array2<f64>,
}

/// An axis coordinate's weights t, their squares and cubes, and Σ t².
struct AxisPowers {
    weights: [f64; 4],
    squares: [f64; 4],
    cubes: [f64; 4],
    sum_of_squares: f64,
}

impl PixelFit {
    pub fn new(shape: (usize, usize), size: (usize, usize), pixels: &[(usize, usize)]) -> PixelFit {
        let powers = |w: &AxisWeights| {
            let squares = w.weights.map(|t| t * t);
            AxisPowers {
                weights: w.weights,
                squares,
                cubes: w.weights.map(|t| t * t * t),
                sum_of_squares: squares.iter().sum(),
            }
        };
        let row_weights = axis_weights(size.0, shape.0);
        let column_weights = axis_weights(size.1, shape.1);
        let rows: Vec<AxisPowers> = row_weights.iter().map(powers).collect();
        let columns: Vec<AxisPowers> = column_weights.iter().map(powers).collect();
        let mut omega = Array2::<f64>::zeros(shape);
        let pixels: Vec<(usize, usize, usize, usize)> = pixels
            .iter()
            .map(|&(r, c)| {
                let (first_r, first_c) = (row_weights[r].first, column_weights[c].first);
                for a in 0..4 {
                    for b in 0..4 {
                        omega[[first_r + a, first_c + b]] +=
                            rows[r].squares[a] * columns[c].squares[b];
                    }
                }
                (first_r, first_c, r, c)
            })
            .collect();
        PixelFit {
            shape,
            pixels,
            rows,
            columns,
            omega,
        }
    }

    /// Lee, Wolberg & Shin's one-level approximation (as ITK's
    /// `BSplineScatteredDataPointSetToImageFilter`): each value `z` spreads `φ = z·t/Σt²` to
    /// its 16 control points (t = the B-spline weight there), and each control point takes the
    /// t²-weighted mean of what it received: `Σ t²φ / Σ t²` (their eq. 3 and 5). `z` holds one
    /// value per pixel, in the order the pixels were given.
    pub fn fit(&self, z: &[f64]) -> Lattice {
        let mut delta = Array2::<f64>::zeros(self.shape);
        for (&(first_r, first_c, r, c), &value) in self.pixels.iter().zip(z) {
            let (row, column) = (&self.rows[r], &self.columns[c]);
            let scale = value / (row.sum_of_squares * column.sum_of_squares);
            for a in 0..4 {
                let cube_a = row.cubes[a] * scale;
                for b in 0..4 {
                    delta[[first_r + a, first_c + b]] += cube_a * column.cubes[b];
                }
            }
        }
        let points = ndarray::Zip::from(&delta)
            .and(&self.omega)
            .map_collect(|&d, &o| if o != 0.0 { d / o } else { 0.0 });
        Lattice { points }
    }

    /// The surface of `lattice` (of this shape) at the pixels.
    pub fn evaluate(&self, lattice: &Lattice) -> Vec<f64> {
        self.pixels
            .iter()
            .map(|&(first_r, first_c, r, c)| {
                let (row, column) = (&self.rows[r], &self.columns[c]);
                let mut sum = 0.0;
                for a in 0..4 {
                    let mut inner = 0.0;
                    for b in 0..4 {
                        inner += column.weights[b] * lattice.points[[first_r + a, first_c + b]];
                    }
                    sum += row.weights[a] * inner;
                }
                sum
            })
            .collect()
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
