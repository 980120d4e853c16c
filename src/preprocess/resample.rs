//! Resampling an image and its mask to a new voxel spacing, as PyRadiomics 3.0.1 does it
//! (`imageoperations.resampleImage` with `resampledPixelSpacing`, `interpolator` and
//! `padDistance`), through SimpleITK's `ResampleImageFilter`.
//!
//! The new grid is aligned to the mask's: its first voxel's corner lies on the original grid's
//! first corner, its direction is the mask's, and it covers the mask's bounding box plus
//! `padDistance` (5) new voxels on each side, cut to the original image's extent. An axis along
//! which the mask spans one voxel keeps its spacing, as does an axis given as 0. When the new
//! spacing equals the image's (numpy's `allclose`), nothing is resampled. The image is
//! interpolated by the chosen function (cubic B-spline by default); points outside the image get
//! 0, as ITK's default pixel value; the result is cast back to the image's stored type as ITK
//! does (clamped to the type's range, integers truncated toward zero). The mask is resampled by
//! nearest neighbour, so its labels stay labels.

// 3 × 3 matrix code reads best with row and column indices.
#![allow(clippy::needless_range_loop)]

use super::Intensities;
use super::bspline::{self, Coefficients};
use super::normalize::Normalizer;
use crate::imaging::Geometry;
use crate::imaging::samples::SampleType;
use ndarray::{Array3, ArrayView3};

/// How image values between voxel centres are found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interpolator {
    /// Cubic B-spline (SimpleITK's `sitkBSpline`, PyRadiomics's default).
    BSpline,
    /// Trilinear (`sitkLinear`).
    Linear,
    /// Nearest neighbour (`sitkNearestNeighbor`).
    Nearest,
}

impl Interpolator {
    pub fn name(self) -> &'static str {
        match self {
            Interpolator::BSpline => "B-spline",
            Interpolator::Linear => "linear",
            Interpolator::Nearest => "nearest neighbour",
        }
    }
}

/// What to resample to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Resampling {
    /// New spacing along the column, row and slice axes, in mm; 0 keeps an axis's spacing.
    pub spacing: [f64; 3],
    pub interpolator: Interpolator,
    /// New voxels kept around the mask's bounding box (PyRadiomics's `padDistance`, 5).
    pub pad: usize,
    /// How the mask is resampled: nearest neighbour (PyRadiomics), or trilinear interpolation of
    /// the 0/1 mask kept where it reaches 0.5 (IBSI 1, section 2.4).
    pub mask: MaskInterpolation,
}

/// How a mask is resampled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaskInterpolation {
    Nearest,
    /// Trilinear on the 0/1 mask, kept where ≥ 0.5.
    Linear,
}

/// A resampled image and mask on their new grid.
#[derive(Debug, Clone, PartialEq)]
pub struct Resampled {
    /// `[slice][row][column]`.
    pub image: Array3<f64>,
    pub mask: Array3<u8>,
    pub geometry: Geometry,
}

/// numpy's `allclose` with its default tolerances (rtol 1e-5, atol 1e-8), as PyRadiomics
/// compares the new spacing to the image's.
fn all_close(a: [f64; 3], b: [f64; 3]) -> bool {
    (0..3).all(|i| (a[i] - b[i]).abs() <= 1e-8 + 1e-5 * b[i].abs())
}

/// The mask's bounding box as (first index, size) along the column, row and slice axes; `None`
/// for an empty mask.
pub fn bounding_box(mask: ArrayView3<'_, u8>) -> Option<([usize; 3], [usize; 3])> {
    let (low, high) = crate::imaging::volume::labelled_extent(mask)?;
    // [slice, row, column] to PyRadiomics's (x, y, z).
    Some((
        [low[2], low[1], low[0]],
        std::array::from_fn(|a| high[2 - a] - low[2 - a] + 1),
    ))
}

/// The most voxels a resampled grid may have (a 100 × 100 × 100 mm region at 0.2 mm): beyond it
/// a spacing is refused rather than exhausting memory.
pub const MOST_VOXELS: usize = 125_000_000;

/// The grid PyRadiomics resamples to, `Ok(None)` when the spacing already is the requested one
/// (or the mask is empty), `Err` when the grid would pass [`MOST_VOXELS`].
pub fn target_grid(
    mask: ArrayView3<'_, u8>,
    geometry: &Geometry,
    resampling: &Resampling,
) -> Result<Option<(Geometry, [usize; 3])>, String> {
    let Some((low, size)) = bounding_box(mask) else {
        return Ok(None);
    };
    let shape = mask.shape();
    let mask_size = [shape[2], shape[1], shape[0]];
    let old = geometry.spacing;
    let spacing: [f64; 3] = std::array::from_fn(|a| {
        let wanted = resampling.spacing[a];
        if wanted == 0.0 || size[a] == 1 {
            old[a]
        } else {
            wanted
        }
    });
    if all_close(old, spacing) {
        return Ok(None);
    }
    let pad = resampling.pad as f64;
    let mut first = [0.0f64; 3];
    let mut new_size = [0usize; 3];
    for a in 0..3 {
        let ratio = old[a] / spacing[a];
        let lower = ((low[a] as f64 - 0.5) * ratio - pad).floor().max(0.0);
        let most = (mask_size[a] as f64 * ratio).ceil() - 1.0;
        let upper = (((low[a] + size[a]) as f64 - 0.5) * ratio + pad)
            .ceil()
            .min(most);
        new_size[a] = (upper - lower + 1.0).max(1.0) as usize;
        // The new grid's first centre as a continuous index of the old grid.
        first[a] = 0.5 * (spacing[a] - old[a]) / old[a] + lower / ratio;
    }
    let voxels = new_size.iter().try_fold(1usize, |n, s| n.checked_mul(*s));
    if voxels.is_none_or(|n| n > MOST_VOXELS) {
        return Err(format!(
            "resampling to {} × {} × {} mm gives the region a grid of {} × {} × {} voxels, more than {MOST_VOXELS}; choose a coarser spacing",
            spacing[0], spacing[1], spacing[2], new_size[0], new_size[1], new_size[2]
        ));
    }
    let origin = geometry.position(first);
    let grid = Geometry {
        spacing,
        origin,
        ..*geometry
    };
    Ok(Some((grid, [new_size[2], new_size[1], new_size[0]])))
}

/// The image's values at `indices` (one per voxel of `shape`), each voxel normalised first when
/// there is a `normalizer`,
/// cast to `samples`. Only the block of voxels the interpolation reaches is read.
fn interpolate(
    image: Intensities<'_>,
    normalizer: Option<&Normalizer>,
    samples: SampleType,
    indices: &[[f64; 3]],
    shape: [usize; 3],
    interpolator: Interpolator,
) -> Array3<f64> {
    let size = image.shape();
    let Some(reach) = reach(indices, size) else {
        return Array3::zeros(shape);
    };
    if interpolator == Interpolator::BSpline && shape[2] > 0 {
        let needed = spline_taps(reach, size);
        let block = image.block(bspline::block_around(needed, size), normalizer);
        let spline = Coefficients::new(block, needed, size);
        return spline_rows(&spline, indices, size, samples, shape);
    }
    // Linear and nearest reach from floor(x) to floor(x) + 1 of the points inside the image.
    let ranges: [(usize, usize); 3] = std::array::from_fn(|a| {
        let last = size[a] as f64 - 1.0;
        let from = reach[a].0.floor().clamp(0.0, last);
        let to = (reach[a].1.floor() + 1.0).clamp(from, last);
        (from as usize, to as usize)
    });
    let block = image.block(ranges, normalizer);
    let start = [ranges[0].0, ranges[1].0, ranges[2].0];
    let values = indices
        .iter()
        .map(|&x| {
            if !inside(x, size) {
                return 0.0;
            }
            let value = if interpolator == Interpolator::Linear {
                linear(block.view(), start, size, x)
            } else {
                let at = nearest(x);
                block[[at[0] - start[0], at[1] - start[1], at[2] - start[2]]]
            };
            cast(value, samples)
        })
        .collect();
    Array3::from_shape_vec(shape, values).expect("one value per voxel")
}

/// The mask at `indices` by trilinear interpolation of its 0/1 values, kept where ≥ 0.5 (IBSI).
fn linear_labels(mask: ArrayView3<'_, u8>, indices: &[[f64; 3]], shape: [usize; 3]) -> Array3<u8> {
    let ones = mask.mapv(|m| f32::from(u8::from(m != 0)));
    interpolate(
        Intensities::Single(ones.view()),
        None,
        SampleType::F64,
        indices,
        shape,
        Interpolator::Linear,
    )
    .mapv(|v| u8::from(v >= 0.5))
}

/// The smallest and largest continuous index along each axis of the points inside an image of
/// `size`; `None` when none is inside.
fn reach(indices: &[[f64; 3]], size: [usize; 3]) -> Option<[(f64, f64); 3]> {
    let mut reach = [(f64::INFINITY, f64::NEG_INFINITY); 3];
    for x in indices.iter().filter(|x| inside(**x, size)) {
        for a in 0..3 {
            reach[a] = (reach[a].0.min(x[a]), reach[a].1.max(x[a]));
        }
    }
    reach[0].0.is_finite().then_some(reach)
}

/// B-spline values at `indices`, row by row: a row whose points share their slice and row
/// indices and lie inside the image (every row of an axis-aligned grid but those crossing the
/// image's edge) is evaluated at once ([`bspline::RowEvaluator`]), the others point by point.
fn spline_rows(
    spline: &Coefficients,
    indices: &[[f64; 3]],
    size: [usize; 3],
    samples: SampleType,
    shape: [usize; 3],
) -> Array3<f64> {
    let mut values = vec![0.0; indices.len()];
    let mut columns = Vec::with_capacity(shape[2]);
    let mut rows = spline.rows();
    for (points, out) in indices
        .chunks_exact(shape[2])
        .zip(values.chunks_exact_mut(shape[2]))
    {
        let [slice, row, _] = points[0];
        let shared = points
            .iter()
            .all(|x| x[0] == slice && x[1] == row && inside(*x, size));
        if shared {
            columns.clear();
            columns.extend(points.iter().map(|x| x[2]));
            rows.row(slice, row, &columns, out);
            out.iter_mut().for_each(|v| *v = cast(*v, samples));
        } else {
            for (x, v) in points.iter().zip(out.iter_mut()) {
                *v = if inside(*x, size) {
                    cast(spline.evaluate(*x), samples)
                } else {
                    0.0
                };
            }
        }
    }
    Array3::from_shape_vec(shape, values).expect("one value per voxel")
}

/// The mask's labels nearest to `indices` (one per voxel of `shape`).
pub(super) fn nearest_labels(
    mask: ArrayView3<'_, u8>,
    indices: &[[f64; 3]],
    shape: [usize; 3],
) -> Array3<u8> {
    let size = mask.shape();
    let size = [size[0], size[1], size[2]];
    let labels = indices
        .iter()
        .map(|&x| if inside(x, size) { mask[nearest(x)] } else { 0 })
        .collect();
    Array3::from_shape_vec(shape, labels).expect("one label per voxel")
}

/// Image and mask together, as PyRadiomics resamples them; `Ok(None)` when nothing needs
/// resampling.
pub fn resample(
    image: Intensities<'_>,
    normalizer: Option<&Normalizer>,
    mask: ArrayView3<'_, u8>,
    geometry: &Geometry,
    samples: SampleType,
    resampling: &Resampling,
) -> Result<Option<Resampled>, String> {
    let Some((grid, shape)) = target_grid(mask, geometry, resampling)? else {
        return Ok(None);
    };
    let indices = continuous_indices(geometry, &grid, shape);
    Ok(Some(Resampled {
        image: interpolate(
            image,
            normalizer,
            samples,
            &indices,
            shape,
            resampling.interpolator,
        ),
        mask: match resampling.mask {
            MaskInterpolation::Nearest => nearest_labels(mask, &indices, shape),
            MaskInterpolation::Linear => linear_labels(mask, &indices, shape),
        },
        geometry: grid,
    }))
}

/// For every voxel of the new grid (slice, row, column order), its continuous index
/// `[slice, row, column]` on the old grid, with ITK's arithmetic, so that points landing on a
/// voxel centre or half-way between two land on the same side as in SimpleITK: ITK's
/// `ResampleImageFilter` (v5.4, `LinearThreadedGenerateData`) maps the first point of each row
/// and the point one past its end (index `columns`) through physical space, and places the row's
/// points at `start + (i / columns)·(end − start)`.
pub(super) fn continuous_indices(
    from: &Geometry,
    to: &Geometry,
    shape: [usize; 3],
) -> Vec<[f64; 3]> {
    let to_point = index_to_point(to);
    let to_index = point_to_index(from);
    let columns = shape[2] as f64;
    let mut indices = Vec::with_capacity(shape.iter().product());
    for k in 0..shape[0] {
        for j in 0..shape[1] {
            let start = to_index(to_point([0.0, j as f64, k as f64]));
            let end = to_index(to_point([columns, j as f64, k as f64]));
            for i in 0..shape[2] {
                let alpha = i as f64 / columns;
                let x: [f64; 3] = std::array::from_fn(|a| start[a] + alpha * (end[a] - start[a]));
                indices.push([x[2], x[1], x[0]]);
            }
        }
    }
    indices
}

/// ITK's `TransformIndexToPhysicalPoint`: origin plus (direction · diag(spacing)) · index, summed
/// from the origin. Index and point in (column, row, slice) and (x, y, z) order.
fn index_to_point(grid: &Geometry) -> impl Fn([f64; 3]) -> [f64; 3] + '_ {
    move |index| {
        std::array::from_fn(|r| {
            let mut value = grid.origin[r];
            for c in 0..3 {
                value += grid.direction[r][c] * grid.spacing[c] * index[c];
            }
            value
        })
    }
}

/// ITK's `TransformPhysicalPointToContinuousIndex`: the inverse of direction · diag(spacing)
/// applied to the point less the origin. For axis-aligned grids (each axis along one patient
/// axis, as scanners write them) the inverse is the reciprocal of each entry, exactly as vnl's
/// inverse gives it; otherwise Cramer's rule.
fn point_to_index(grid: &Geometry) -> impl Fn([f64; 3]) -> [f64; 3] {
    let m: [[f64; 3]; 3] =
        std::array::from_fn(|r| std::array::from_fn(|c| grid.direction[r][c] * grid.spacing[c]));
    let axis_aligned = (0..3).all(|c| (0..3).filter(|&r| m[r][c] != 0.0).count() == 1)
        && (0..3).all(|r| (0..3).filter(|&c| m[r][c] != 0.0).count() == 1);
    let inverse: [[f64; 3]; 3] = if axis_aligned {
        std::array::from_fn(|c| {
            std::array::from_fn(|r| if m[r][c] != 0.0 { 1.0 / m[r][c] } else { 0.0 })
        })
    } else {
        let det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
            - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
        std::array::from_fn(|r| {
            std::array::from_fn(|c| {
                let (r1, r2) = ((c + 1) % 3, (c + 2) % 3);
                let (c1, c2) = ((r + 1) % 3, (r + 2) % 3);
                (m[r1][c1] * m[r2][c2] - m[r1][c2] * m[r2][c1]) / det
            })
        })
    };
    let origin = grid.origin;
    move |point| {
        std::array::from_fn(|r| {
            let mut value = 0.0;
            for c in 0..3 {
                value += inverse[r][c] * (point[c] - origin[c]);
            }
            value
        })
    }
}

/// ITK's `IsInsideBuffer` for a continuous index: within half a voxel of the first and last
/// centres, the upper bound excluded.
fn inside(x: [f64; 3], size: [usize; 3]) -> bool {
    (0..3).all(|a| x[a] >= -0.5 && x[a] < size[a] as f64 - 0.5)
}

/// The nearest voxel, halves rounded up (ITK's `RoundHalfIntegerUp`).
fn nearest(x: [f64; 3]) -> [usize; 3] {
    x.map(|v| (v + 0.5).floor().max(0.0) as usize)
}

/// Trilinear interpolation with ITK's clamping at the edges: a neighbour beyond the last voxel is
/// the last voxel, and an index before the first is the first.
fn linear(block: ArrayView3<'_, f64>, start: [usize; 3], shape: [usize; 3], x: [f64; 3]) -> f64 {
    let mut base = [0usize; 3];
    let mut next = [0usize; 3];
    let mut t = [0.0f64; 3];
    for a in 0..3 {
        let floor = x[a].floor();
        if floor < 0.0 {
            (base[a], t[a]) = (0, 0.0);
        } else {
            (base[a], t[a]) = (floor as usize, x[a] - floor);
        }
        next[a] = (base[a] + 1).min(shape[a] - 1);
    }
    let at = |k: usize, j: usize, i: usize| block[[k - start[0], j - start[1], i - start[2]]];
    let lerp = |a: f64, b: f64, t: f64| a + (b - a) * t;
    let row = |k: usize, j: usize| lerp(at(k, j, base[2]), at(k, j, next[2]), t[2]);
    let plane = |k: usize| lerp(row(k, base[1]), row(k, next[1]), t[1]);
    lerp(plane(base[0]), plane(next[0]), t[0])
}

/// The taps the B-spline needs for points reaching `reach` in an image of `size`, as inclusive
/// index ranges: floor(x) − 1 to floor(x) + 2, those beyond an edge mirrored to within 2 samples
/// of it.
fn spline_taps(reach: [(f64, f64); 3], size: [usize; 3]) -> [(usize, usize); 3] {
    std::array::from_fn(|a| {
        let last = size[a] as f64 - 1.0;
        let (first, final_) = (reach[a].0.floor() - 1.0, reach[a].1.floor() + 2.0);
        let mut from = first.clamp(0.0, last);
        let mut to = final_.clamp(0.0, last);
        if first < 0.0 {
            to = to.max(2.0f64.min(last));
        }
        if final_ > last {
            from = from.min((last - 2.0).max(0.0));
        }
        (from as usize, to.max(from) as usize)
    })
}

/// A computed value stored as `samples`, as ITK's `ResampleImageFilter` casts: clamped to the
/// type's range, then converted (integers truncated toward zero, floats rounded to the type).
pub fn cast(value: f64, samples: SampleType) -> f64 {
    let (low, high) = match samples {
        SampleType::U8 => (0.0, u8::MAX as f64),
        SampleType::I8 => (i8::MIN as f64, i8::MAX as f64),
        SampleType::U16 => (0.0, u16::MAX as f64),
        SampleType::I16 => (i16::MIN as f64, i16::MAX as f64),
        SampleType::U32 => (0.0, u32::MAX as f64),
        SampleType::I32 => (i32::MIN as f64, i32::MAX as f64),
        SampleType::U64 => (0.0, u64::MAX as f64),
        SampleType::I64 => (i64::MIN as f64, i64::MAX as f64),
        SampleType::F32 => return value as f32 as f64,
        SampleType::F64 => return value,
    };
    value.clamp(low, high).trunc()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::s;

    fn grid(spacing: [f64; 3]) -> Geometry {
        Geometry::new(spacing, [10.0, -5.0, 2.0])
    }

    #[test]
    fn the_grid_is_aligned_to_the_first_corner_and_padded_as_pyradiomics() {
        // A 20 × 10 × 4 image of 2 × 2 × 3 mm; mask columns 5..=8, rows 2..=3, slice 1.
        let mut mask = Array3::<u8>::zeros((4, 10, 20));
        mask.slice_mut(s![1, 2..=3, 5..=8]).fill(1);
        let geometry = grid([2.0, 2.0, 3.0]);
        let resampling = Resampling {
            spacing: [1.0, 1.0, 1.0],
            interpolator: Interpolator::Linear,
            pad: 5,
            mask: MaskInterpolation::Nearest,
        };
        let (to, shape) = target_grid(mask.view(), &geometry, &resampling)
            .unwrap()
            .unwrap();
        // Columns: floor((5 − .5)·2 − 5) = 4 … ceil((9 − .5)·2 + 5) = 22; rows: floor(1.5·2 −
        // 5) = −2, cut to 0, … ceil(3.5·2 + 5) = 12; the one slice keeps 3 mm and is padded by
        // 5 slices each way, cut to the image's 0 … 3.
        assert_eq!(to.spacing, [1.0, 1.0, 3.0]);
        assert_eq!(shape, [4, 13, 19]);
        // First centre: half a new voxel inside the old grid's corner, 4 new voxels along.
        assert!((to.origin[0] - (10.0 - 1.0 + 0.5 + 4.0)).abs() < 1e-12);
        assert!((to.origin[1] - (-5.0 - 1.0 + 0.5)).abs() < 1e-12);
        assert!((to.origin[2] - 2.0).abs() < 1e-12);
    }

    #[test]
    fn the_same_spacing_resamples_nothing() {
        let mut mask = Array3::<u8>::zeros((4, 10, 20));
        mask[[1, 2, 5]] = 1;
        let resampling = Resampling {
            spacing: [2.0, 2.0, 0.0],
            interpolator: Interpolator::BSpline,
            pad: 5,
            mask: MaskInterpolation::Nearest,
        };
        assert!(
            target_grid(mask.view(), &grid([2.0, 2.0, 3.0]), &resampling)
                .unwrap()
                .is_none()
        );
        // A mask spanning several voxels each way, at a thousandth of a millimetre.
        mask.slice_mut(s![1..3, 2..5, 5..9]).fill(1);
        let fine = Resampling {
            spacing: [0.001, 0.001, 0.001],
            ..resampling
        };
        let refused = target_grid(mask.view(), &grid([2.0, 2.0, 3.0]), &fine).unwrap_err();
        assert!(refused.contains("coarser spacing"), "{refused}");
    }

    #[test]
    fn values_are_cast_back_as_itk_does() {
        assert_eq!(cast(-3.7, SampleType::I16), -3.0);
        assert_eq!(cast(-3.7, SampleType::U16), 0.0);
        assert_eq!(cast(70000.2, SampleType::I16), 32767.0);
        assert_eq!(cast(1.1, SampleType::F32), 1.1f32 as f64);
        assert_eq!(cast(1.1, SampleType::F64), 1.1);
    }

    #[test]
    fn linear_interpolation_clamps_at_the_edges() {
        let image = Array3::from_shape_fn((2, 2, 3), |(k, j, i)| (100 * k + 10 * j + i) as f64);
        let at = |x| linear(image.view(), [0, 0, 0], [2, 2, 3], x);
        assert_eq!(at([0.5, 0.5, 0.5]), 50.0 + 5.0 + 0.5);
        assert_eq!(at([1.25, 1.0, 2.25]), 112.0);
        assert_eq!(at([-0.25, 0.0, 0.0]), 0.0);
    }
}
