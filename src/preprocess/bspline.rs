//! Cubic B-spline interpolation as ITK's `BSplineInterpolateImageFunction` (order 3, SimpleITK's
//! `sitkBSpline`, PyRadiomics's default resampling interpolator) computes it.
//!
//! Interpolation coefficients come from the samples by the recursive prefilter of Unser, Aldroubi
//! & Eden, "B-spline signal processing: Part II — efficient design and applications", IEEE Trans.
//! Signal Process. 41(2):834–848, 1993 (causal then anti-causal first-order filters with the pole
//! z = √3 − 2, gain (1 − z)(1 − 1/z), mirror boundaries), one axis after another as ITK's
//! `BSplineDecompositionImageFilter` does, with its first coefficient summed over a horizon of
//! ⌈ln 1e-10 / ln |z|⌉ = 18 samples when the line is longer. A value is the sum of 4 × 4 × 4
//! coefficients weighted by the cubic B-spline (Unser 1999, "Splines: a perfect fit for signal and
//! image processing", IEEE Signal Process. Mag. 16(6):22–38, eq. 5), indices outside the image
//! mirrored at its first and last samples.

use ndarray::Array3;

/// The pole of the cubic B-spline's prefilter.
const POLE: f64 = -0.267_949_192_431_122_7; // √3 − 2
/// ITK's default tolerance for the first causal coefficient.
const TOLERANCE: f64 = 1e-10;

/// Interpolation coefficients of the part of an image the points to evaluate need.
pub struct Coefficients {
    values: Array3<f64>,
    /// Index of the first coefficient kept in the whole image, `[slice, row, column]`.
    start: [usize; 3],
    /// The whole image's size, `[slices, rows, columns]`: mirroring happens at its edges.
    image: [usize; 3],
}

/// Samples on each side of the needed ones that enter the coefficients: leaving out the samples
/// beyond changes a coefficient by |z|^24 < 2e-14 of them.
const MARGIN: usize = 24;

/// The samples whose coefficients are filtered for the taps `needed` (inclusive index ranges per
/// axis `[slice, row, column]`) of an image of `size`: [`MARGIN`] more each way, within the image.
pub fn block_around(needed: [(usize, usize); 3], size: [usize; 3]) -> [(usize, usize); 3] {
    std::array::from_fn(|a| {
        (
            needed[a].0.saturating_sub(MARGIN),
            (needed[a].1 + MARGIN).min(size[a] - 1),
        )
    })
}

impl Coefficients {
    /// The coefficients over the index ranges `needed` (inclusive, per axis `[slice, row,
    /// column]`; every tap [`Coefficients::evaluate`] will use, mirrored into the image) of an
    /// image of `size`, from `block`: the image's samples over [`block_around`]`(needed, size)`.
    /// Filtered in place, column axis first as ITK does; the axes filtered later only over what
    /// the earlier ones need, so the work follows the points, not the image.
    pub fn new(
        mut block: Array3<f64>,
        needed: [(usize, usize); 3],
        size: [usize; 3],
    ) -> Coefficients {
        let around = block_around(needed, size);
        let dims = [block.shape()[0], block.shape()[1], block.shape()[2]];
        assert_eq!(
            dims,
            std::array::from_fn(|a| around[a].1 - around[a].0 + 1),
            "the block is the samples around the needed taps"
        );
        let keep: [(usize, usize); 3] =
            std::array::from_fn(|a| (needed[a].0 - around[a].0, needed[a].1 - around[a].0));
        let [slices, rows, columns] = dims;
        let width = keep[2].1 - keep[2].0 + 1;
        let data = block
            .as_slice_mut()
            .expect("an owned, standard-layout block");
        // Columns: every line of the block, each slice transposed so that the recursions run
        // across all its rows at once.
        prefilter_columns(data, [slices, rows, columns]);
        // Rows: in every slice, only the columns kept.
        let bases: Vec<usize> = (0..slices)
            .map(|k| k * rows * columns + keep[2].0)
            .collect();
        prefilter_strided(data, &bases, rows, columns, width);
        // Slices: only the rows and columns kept.
        let bases: Vec<usize> = (keep[1].0..=keep[1].1)
            .map(|j| j * columns + keep[2].0)
            .collect();
        prefilter_strided(data, &bases, slices, rows * columns, width);
        let values = block.slice(super::inclusive(keep)).to_owned();
        Coefficients {
            values,
            start: [needed[0].0, needed[1].0, needed[2].0],
            image: size,
        }
    }

    /// The interpolated value at continuous index `index` = `[slice, row, column]` of the whole
    /// image.
    pub fn evaluate(&self, index: [f64; 3]) -> f64 {
        let mut taps = [[0usize; 4]; 3];
        let mut weights = [[0.0f64; 4]; 3];
        for axis in 0..3 {
            let (t, w) = taps_and_weights(index[axis], self.image[axis]);
            let start = self.start[axis];
            taps[axis] = [t[0] - start, t[1] - start, t[2] - start, t[3] - start];
            weights[axis] = w;
        }
        let values = self
            .values
            .as_slice()
            .expect("an owned, standard-layout block");
        let [_, rows, columns] = self.shape();
        let [w0, w1, w2] = weights;
        let t2 = taps[2];
        let mut sum = 0.0;
        for (a, &k) in taps[0].iter().enumerate() {
            let mut plane = 0.0;
            for (b, &j) in taps[1].iter().enumerate() {
                let row = &values[(k * rows + j) * columns..][..columns];
                let along = w2[0] * row[t2[0]]
                    + w2[1] * row[t2[1]]
                    + w2[2] * row[t2[2]]
                    + w2[3] * row[t2[3]];
                plane += w1[b] * along;
            }
            sum += w0[a] * plane;
        }
        sum
    }

    /// An evaluator of whole rows of points ([`RowEvaluator::row`]).
    pub fn rows(&self) -> RowEvaluator<'_> {
        RowEvaluator {
            spline: self,
            slice: None,
            plane: Vec::new(),
            columns: Vec::new(),
            column_taps: Vec::new(),
            combined: Vec::new(),
        }
    }

    /// The block's size, `[slices, rows, columns]`.
    fn shape(&self) -> [usize; 3] {
        let shape = self.values.shape();
        [shape[0], shape[1], shape[2]]
    }
}

/// Evaluates rows of points that share their slice and row indices, as the rows of an
/// axis-aligned grid do: the 4 slices are combined once per slice index for every row and column
/// of the block, the 4 rows once per row, and the column taps and weights are computed once for
/// as long as the rows' column indices stay the same. The same sums as
/// [`Coefficients::evaluate`], grouped otherwise (equal to ~1e-16 of the values).
pub struct RowEvaluator<'a> {
    spline: &'a Coefficients,
    /// The slice index `plane` was combined for.
    slice: Option<f64>,
    /// `[row][column]` of the block: its slices combined by the slice weights.
    plane: Vec<f64>,
    /// The column indices `column_taps` were computed for.
    columns: Vec<f64>,
    column_taps: Vec<([usize; 4], [f64; 4])>,
    /// One row of the block: `plane`'s rows combined by the row weights.
    combined: Vec<f64>,
}

impl RowEvaluator<'_> {
    /// The values at continuous indices (`slice`, `row`, each of `columns`) into `out`.
    pub fn row(&mut self, slice: f64, row: f64, columns: &[f64], out: &mut [f64]) {
        let spline = self.spline;
        let [_, rows, width] = spline.shape();
        let values = spline
            .values
            .as_slice()
            .expect("an owned, standard-layout block");
        if self.slice != Some(slice) {
            let (tk, w0) = taps_and_weights(slice, spline.image[0]);
            self.plane.clear();
            self.plane.resize(rows * width, 0.0);
            for (a, &k) in tk.iter().enumerate() {
                let from = &values[(k - spline.start[0]) * rows * width..][..rows * width];
                for (p, v) in self.plane.iter_mut().zip(from) {
                    *p += w0[a] * v;
                }
            }
            self.slice = Some(slice);
        }
        if self.columns != columns {
            self.columns.clear();
            self.columns.extend_from_slice(columns);
            let start = spline.start[2];
            self.column_taps.clear();
            self.column_taps.extend(columns.iter().map(|&x| {
                let (t, w) = taps_and_weights(x, spline.image[2]);
                (t.map(|t| t - start), w)
            }));
        }
        let (tj, w1) = taps_and_weights(row, spline.image[1]);
        self.combined.clear();
        self.combined.resize(width, 0.0);
        for (b, &j) in tj.iter().enumerate() {
            let from = &self.plane[(j - spline.start[1]) * width..][..width];
            for (c, v) in self.combined.iter_mut().zip(from) {
                *c += w1[b] * v;
            }
        }
        let combined = &self.combined;
        for ((t, w), value) in self.column_taps.iter().zip(out.iter_mut()) {
            *value = w[0] * combined[t[0]]
                + w[1] * combined[t[1]]
                + w[2] * combined[t[2]]
                + w[3] * combined[t[3]];
        }
    }
}

/// The four sample indices (mirrored into `0..length`) and cubic B-spline weights at continuous
/// index `x` along one axis.
pub fn taps_and_weights(x: f64, length: usize) -> ([usize; 4], [f64; 4]) {
    let first = x.floor() as i64 - 1;
    let w = x - (first + 1) as f64;
    let w3 = w * w * w / 6.0;
    let w0 = 1.0 / 6.0 + 0.5 * w * (w - 1.0) - w3;
    let w2 = w + w0 - 2.0 * w3;
    let w1 = 1.0 - w0 - w2 - w3;
    let taps = if first >= 0 && first + 3 < length as i64 {
        let first = first as usize;
        [first, first + 1, first + 2, first + 3]
    } else {
        std::array::from_fn(|k| mirror(first + k as i64, length))
    };
    (taps, [w0, w1, w2, w3])
}

/// An index reflected at the first and last samples (period 2·length − 2).
fn mirror(index: i64, length: usize) -> usize {
    if length == 1 {
        return 0;
    }
    let period = 2 * length as i64 - 2;
    let mut i = index.rem_euclid(period);
    if i >= length as i64 {
        i = period - i;
    }
    i as usize
}

/// The lines along the column axis of a `[slices, rows, columns]` block to their coefficients:
/// each slice is transposed, filtered by [`prefilter_strided`] with all its rows side by side
/// (the same operations per line, in the same order), and transposed back.
fn prefilter_columns(data: &mut [f64], [slices, rows, columns]: [usize; 3]) {
    if columns < 2 {
        return;
    }
    let plane = rows * columns;
    let mut transposed = vec![0.0; plane];
    for slice in data.chunks_exact_mut(plane).take(slices) {
        for (j, row) in slice.chunks_exact(columns).enumerate() {
            for (i, &v) in row.iter().enumerate() {
                transposed[i * rows + j] = v;
            }
        }
        prefilter_strided(&mut transposed, &[0], columns, rows, rows);
        for (j, row) in slice.chunks_exact_mut(columns).enumerate() {
            for (i, v) in row.iter_mut().enumerate() {
                *v = transposed[i * rows + j];
            }
        }
    }
}

/// The samples summed for the first causal coefficient (ITK's tolerance 1e-10).
fn horizon(z: f64) -> usize {
    (TOLERANCE.ln() / z.abs().ln()).ceil() as usize
}

/// Lines of `length` samples `stride` apart, `width` neighbouring lines from each of `bases`, to
/// their coefficients, in place: the recursions run along the lines, each step over the `width`
/// lines at once (the same operations per line, in the same order, as one line alone).
fn prefilter_strided(
    data: &mut [f64],
    bases: &[usize],
    length: usize,
    stride: usize,
    width: usize,
) {
    if length < 2 {
        return;
    }
    let z = POLE;
    let gain = (1.0 - z) * (1.0 - 1.0 / z);
    let horizon = horizon(z);
    let at = |base: usize, m: usize| base + m * stride;
    let mut sum = vec![0.0; width];
    for &base in bases {
        // Each sample is multiplied by the gain where it is first used (ITK multiplies the whole
        // line first; the products are the same).
        // The first causal coefficient (ITK's `SetInitialCausalCoefficient`).
        for (s, v) in sum.iter_mut().zip(&data[base..base + width]) {
            *s = v * gain;
        }
        let mut zn = z;
        if horizon < length {
            for m in 1..horizon {
                for (s, v) in sum.iter_mut().zip(&data[at(base, m)..][..width]) {
                    *s += zn * (v * gain);
                }
                zn *= z;
            }
        } else {
            let iz = 1.0 / z;
            let mut z2n = z.powi(length as i32 - 1);
            for (s, v) in sum.iter_mut().zip(&data[at(base, length - 1)..][..width]) {
                *s += z2n * (v * gain);
            }
            z2n = z2n * (z2n * iz);
            for m in 1..length - 1 {
                for (s, v) in sum.iter_mut().zip(&data[at(base, m)..][..width]) {
                    *s += (zn + z2n) * (v * gain);
                }
                zn *= z;
                z2n *= iz;
            }
            let scale = 1.0 - zn * zn;
            sum.iter_mut().for_each(|s| *s /= scale);
        }
        data[base..base + width].copy_from_slice(&sum);
        for m in 1..length {
            let (done, rest) = data.split_at_mut(at(base, m));
            let previous = &done[at(base, m - 1)..][..width];
            for (c, p) in rest[..width].iter_mut().zip(previous) {
                *c = *c * gain + z * p;
            }
        }
        let last = at(base, length - 1);
        let (head, tail) = data.split_at_mut(last);
        for (c, p) in tail[..width]
            .iter_mut()
            .zip(&head[at(base, length - 2)..][..width])
        {
            *c = (z / (z * z - 1.0)) * (z * p + *c);
        }
        for m in (0..length - 1).rev() {
            let (head, tail) = data.split_at_mut(at(base, m + 1));
            for (c, next) in head[at(base, m)..][..width].iter_mut().zip(&tail[..width]) {
                *c = z * (next - *c);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array3;

    /// The coefficients of a whole image in memory over `needed`.
    fn coefficients(image: &Array3<f64>, needed: [(usize, usize); 3]) -> Coefficients {
        let shape = image.shape();
        let size = [shape[0], shape[1], shape[2]];
        let around = block_around(needed, size);
        let block = image.slice(crate::preprocess::inclusive(around)).to_owned();
        Coefficients::new(block, needed, size)
    }

    #[test]
    fn the_spline_passes_through_the_samples_and_reproduces_a_cubic() {
        // A cubic polynomial is in the cubic spline space: interpolation reproduces it exactly
        // away from the edges, and every spline passes through its samples.
        let f = |x: f64| 0.5 * x * x * x - 2.0 * x * x + x + 3.0;
        let image = Array3::from_shape_fn((1, 1, 60), |(_, _, i)| f(i as f64));
        let spline = coefficients(&image, [(0, 0), (0, 0), (0, 59)]);
        // The first coefficient is summed over 18 samples only (ITK's tolerance 1e-10), so the
        // samples are met to 1e-10 of the largest value.
        let largest = f(59.0);
        for i in 0..60 {
            let at = spline.evaluate([0.0, 0.0, i as f64]);
            assert!((at - f(i as f64)).abs() < 1e-10 * largest, "{i}: {at}");
        }
        for x in [25.3, 30.5, 31.77] {
            let at = spline.evaluate([0.0, 0.0, x]);
            assert!(
                (at - f(x)).abs() < 1e-6 * f(x).abs(),
                "{x}: {at} vs {}",
                f(x)
            );
        }
    }

    #[test]
    fn the_needed_taps_with_a_margin_give_the_whole_images_coefficients() {
        let image = Array3::from_shape_fn((3, 4, 90), |(k, j, i)| {
            ((i * 7 + j * 3 + k) % 11) as f64 * 10.0
        });
        // All 90 columns filtered, against the 6 taps the points need and 24 more each way.
        let whole = coefficients(&image, [(0, 2), (0, 3), (0, 89)]);
        let part = coefficients(&image, [(0, 2), (0, 3), (43, 48)]);
        for x in [44.0, 45.25, 46.5] {
            let (a, b) = (whole.evaluate([1.0, 2.0, x]), part.evaluate([1.0, 2.0, x]));
            assert!((a - b).abs() < 1e-9, "{a} vs {b}");
        }
    }

    #[test]
    fn rows_of_points_give_the_values_point_by_point_gives() {
        let image = Array3::from_shape_fn((6, 9, 11), |(k, j, i)| {
            ((i * 13 + j * 7 + k * 5) % 17) as f64 * 3.5 - 20.0
        });
        let spline = coefficients(&image, [(0, 5), (0, 8), (0, 10)]);
        let mut rows = spline.rows();
        let mut out = [0.0; 4];
        // Rows of one slice, then another slice, then other columns: each cache is refreshed.
        for (slice, row, columns) in [
            (1.5, 2.25, [0.0, 3.3, 7.9, 10.0]),
            (1.5, 6.75, [0.0, 3.3, 7.9, 10.0]),
            (4.2, 0.0, [0.0, 3.3, 7.9, 10.0]),
            (4.2, 8.0, [0.4, 1.1, 5.5, 9.99]),
        ] {
            rows.row(slice, row, &columns, &mut out);
            for (x, value) in columns.iter().zip(out) {
                let single = spline.evaluate([slice, row, *x]);
                assert!((value - single).abs() < 1e-12, "{value} vs {single}");
            }
        }
    }

    #[test]
    fn indices_are_mirrored_at_the_edges() {
        assert_eq!(mirror(-1, 5), 1);
        assert_eq!(mirror(-2, 5), 2);
        assert_eq!(mirror(5, 5), 3);
        assert_eq!(mirror(9, 5), 1);
        assert_eq!(mirror(3, 1), 0);
    }
}
