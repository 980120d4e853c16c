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

use ndarray::{Array3, ArrayView3, Axis, s};

/// The pole of the cubic B-spline's prefilter.
const POLE: f64 = -0.267_949_192_431_122_7; // √3 − 2
/// ITK's default tolerance for the first causal coefficient.
const TOLERANCE: f64 = 1e-10;

/// Interpolation coefficients of a block of an image, ready to be evaluated.
pub struct Coefficients {
    values: Array3<f64>,
    /// Index of the block's first voxel in the whole image, `[slice, row, column]`.
    start: [usize; 3],
    /// The whole image's size, `[slices, rows, columns]`: mirroring happens at its edges.
    image: [usize; 3],
}

impl Coefficients {
    /// The coefficients of `block`, which starts at `start` in an image of size `image`. Where the
    /// block stops short of the image's edge, the coefficients near that side differ from the
    /// whole image's by |z|^d of the samples left out at distance d: keep a margin of 24 voxels
    /// around the points to evaluate (|z|^24 < 2e-14).
    pub fn new(block: ArrayView3<'_, f64>, start: [usize; 3], image: [usize; 3]) -> Coefficients {
        let mut values = block.to_owned();
        // ITK filters the column axis first, then rows, then slices.
        for axis in [2, 1, 0] {
            for mut line in values.lanes_mut(Axis(axis)) {
                let mut scratch: Vec<f64> = line.iter().copied().collect();
                prefilter(&mut scratch);
                line.iter_mut()
                    .zip(scratch)
                    .for_each(|(value, c)| *value = c);
            }
        }
        Coefficients {
            values,
            start,
            image,
        }
    }

    /// The interpolated value at continuous index `index` = `[slice, row, column]` of the whole
    /// image.
    pub fn evaluate(&self, index: [f64; 3]) -> f64 {
        let mut taps = [[0usize; 4]; 3];
        let mut weights = [[0.0f64; 4]; 3];
        for axis in 0..3 {
            let (t, w) = taps_and_weights(index[axis], self.image[axis]);
            taps[axis] = t.map(|i| i - self.start[axis]);
            weights[axis] = w;
        }
        let mut sum = 0.0;
        for (a, &k) in taps[0].iter().enumerate() {
            for (b, &j) in taps[1].iter().enumerate() {
                let row = self.values.slice(s![k, j, ..]);
                let mut along = 0.0;
                for (c, &i) in taps[2].iter().enumerate() {
                    along += weights[2][c] * row[i];
                }
                sum += weights[0][a] * weights[1][b] * along;
            }
        }
        sum
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
    let taps = std::array::from_fn(|k| mirror(first + k as i64, length));
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

/// Samples of one line to its coefficients, in place.
fn prefilter(line: &mut [f64]) {
    let n = line.len();
    if n < 2 {
        return;
    }
    let z = POLE;
    let gain = (1.0 - z) * (1.0 - 1.0 / z);
    line.iter_mut().for_each(|v| *v *= gain);
    line[0] = first_causal(line, z);
    for i in 1..n {
        line[i] += z * line[i - 1];
    }
    line[n - 1] = (z / (z * z - 1.0)) * (z * line[n - 2] + line[n - 1]);
    for i in (0..n - 1).rev() {
        line[i] = z * (line[i + 1] - line[i]);
    }
}

/// The first causal coefficient under mirror boundaries (ITK's `SetInitialCausalCoefficient`).
fn first_causal(line: &[f64], z: f64) -> f64 {
    let n = line.len();
    let horizon = (TOLERANCE.ln() / z.abs().ln()).ceil() as usize;
    let mut zn = z;
    if horizon < n {
        let mut sum = line[0];
        for value in &line[1..horizon] {
            sum += zn * value;
            zn *= z;
        }
        return sum;
    }
    let iz = 1.0 / z;
    let mut z2n = z.powi(n as i32 - 1);
    let mut sum = line[0] + z2n * line[n - 1];
    z2n = z2n * (z2n * iz);
    for value in &line[1..n - 1] {
        sum += (zn + z2n) * value;
        zn *= z;
        z2n *= iz;
    }
    sum / (1.0 - zn * zn)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array3;

    #[test]
    fn the_spline_passes_through_the_samples_and_reproduces_a_cubic() {
        // A cubic polynomial is in the cubic spline space: interpolation reproduces it exactly
        // away from the edges, and every spline passes through its samples.
        let f = |x: f64| 0.5 * x * x * x - 2.0 * x * x + x + 3.0;
        let image = Array3::from_shape_fn((1, 1, 60), |(_, _, i)| f(i as f64));
        let spline = Coefficients::new(image.view(), [0, 0, 0], [1, 1, 60]);
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
    fn a_block_with_a_margin_gives_the_whole_images_coefficients() {
        let image = Array3::from_shape_fn((3, 4, 90), |(k, j, i)| {
            ((i * 7 + j * 3 + k) % 11) as f64 * 10.0
        });
        let whole = Coefficients::new(image.view(), [0, 0, 0], [3, 4, 90]);
        let block = Coefficients::new(
            image.slice(s![.., .., 20..70]).view(),
            [0, 0, 20],
            [3, 4, 90],
        );
        for x in [44.0, 45.25, 46.5] {
            let (a, b) = (whole.evaluate([1.0, 2.0, x]), block.evaluate([1.0, 2.0, x]));
            assert!((a - b).abs() < 1e-9, "{a} vs {b}");
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
