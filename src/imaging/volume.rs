//! Images and masks with their place in the patient: a multi-phase intensity volume
//! (phases × slices × rows × columns, `f32`), a label mask on the same grid, and the geometry both
//! carry (spacing, origin, direction), checked wherever an image meets a mask.
//!
//! Axis conventions follow ITK/SimpleITK (and so PyRadiomics): index `(i, j, k)` = (column, row,
//! slice); physical coordinates are LPS millimetres; `direction` holds the unit vector of each index
//! axis as a column. Arrays are stored `[slice][row][column]`, column fastest — the order of NIfTI,
//! NRRD and DICOM pixel data, so reading and writing copy no axes.

// 3 × 3 matrix code reads best with row and column indices.
#![allow(clippy::needless_range_loop)]

use super::samples::SampleType;
use ndarray::{Array3, Array4, ArrayView2, ArrayView3, Axis};
use std::fmt;

/// Where the voxel grid sits in the patient.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Geometry {
    /// Voxel size along the column, row and slice axes, in mm.
    pub spacing: [f64; 3],
    /// Physical (LPS, mm) position of the centre of voxel (0, 0, 0).
    pub origin: [f64; 3],
    /// `direction[r][c]`: component `r` of the unit vector along index axis `c`.
    pub direction: [[f64; 3]; 3],
    /// A 2-D image (a single slice saved as 2-D): one slice with no thickness. Its slice spacing
    /// (1) and slice axis (normal to the plane) only complete the grid; nothing measures with
    /// them — 3-D features are refused, and it matches only another 2-D grid.
    pub planar: bool,
}

/// How closely two geometries must agree to be the same grid: spacing relative 1e-5, origin
/// within 1e-3 of the smallest spacing, direction cosines within 1e-5. Looser than exact because
/// headers store f32 (NIfTI-1) or print decimals (NRRD); far tighter than any resampling would be.
pub const GEOMETRY_TOLERANCE: f64 = 1e-5;
const ORIGIN_TOLERANCE_IN_VOXELS: f64 = 1e-3;

impl Geometry {
    pub const IDENTITY: [[f64; 3]; 3] = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]];

    /// Axis-aligned grid.
    pub fn new(spacing: [f64; 3], origin: [f64; 3]) -> Geometry {
        Geometry {
            spacing,
            origin,
            direction: Geometry::IDENTITY,
            planar: false,
        }
    }

    /// Area of one pixel in the slice plane, mm².
    pub fn pixel_area(&self) -> f64 {
        self.spacing[0] * self.spacing[1]
    }

    /// DICOM's Image Orientation (Patient): the directions along a row (the column index) and
    /// down a column (the row index), PS3.3 C.7.6.2.1.1.
    pub fn image_orientation(&self) -> [f64; 6] {
        let d = self.direction;
        [d[0][0], d[1][0], d[2][0], d[0][1], d[1][1], d[2][1]]
    }

    /// The physical position of the centre of voxel `(i, j, k)`.
    pub fn position(&self, index: [f64; 3]) -> [f64; 3] {
        let mut point = self.origin;
        for (r, coordinate) in point.iter_mut().enumerate() {
            for c in 0..3 {
                *coordinate += self.direction[r][c] * self.spacing[c] * index[c];
            }
        }
        point
    }

    /// The continuous voxel index `(i, j, k)` of a physical point: the inverse of
    /// [`Geometry::position`] (Cramer's rule on direction × spacing); NaN for a singular direction.
    pub fn continuous_index(&self, point: [f64; 3]) -> [f64; 3] {
        let m: [[f64; 3]; 3] = std::array::from_fn(|r| {
            std::array::from_fn(|c| self.direction[r][c] * self.spacing[c])
        });
        let det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
            - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
        if det.abs() < 1e-12 || !det.is_finite() {
            return [f64::NAN; 3];
        }
        let d: [f64; 3] = std::array::from_fn(|r| point[r] - self.origin[r]);
        // The inverse's (r, c) entry is the cofactor of m's (c, r) entry over the determinant.
        std::array::from_fn(|r| {
            (0..3)
                .map(|c| {
                    let (r1, r2) = ((c + 1) % 3, (c + 2) % 3);
                    let (c1, c2) = ((r + 1) % 3, (r + 2) % 3);
                    (m[r1][c1] * m[r2][c2] - m[r1][c2] * m[r2][c1]) / det * d[c]
                })
                .sum()
        })
    }

    /// `Ok` when `other` is the same grid within [`GEOMETRY_TOLERANCE`]; otherwise what differs, in
    /// words ("spacing 0.586 × 0.586 × 1.5 mm vs 0.6 × 0.6 × 1.5 mm").
    pub fn agrees_with(&self, other: &Geometry) -> Result<(), String> {
        let close = |a: f64, b: f64, scale: f64| (a - b).abs() <= scale;
        if self.planar != other.planar {
            let (first, second) = if self.planar {
                ("a 2-D image (one slice, no thickness)", "a 3-D volume")
            } else {
                ("a 3-D volume", "a 2-D image (one slice, no thickness)")
            };
            return Err(format!("{first} against {second}; save both the same way"));
        }
        // A 2-D grid's slice spacing completes the grid only.
        let axes = if self.planar { 2 } else { 3 };
        for axis in 0..axes {
            let scale = GEOMETRY_TOLERANCE * self.spacing[axis].abs().max(1e-12);
            if !close(self.spacing[axis], other.spacing[axis], scale) {
                return Err(format!(
                    "spacing {} mm vs {} mm",
                    triple(self.spacing),
                    triple(other.spacing)
                ));
            }
        }
        // Direction before origin: a flipped axis moves the origin to the other end of the
        // grid, and a message about the origin alone would invite a mirrored "fix".
        let axis_of = |grid: &Geometry, c: usize| {
            [
                grid.direction[0][c],
                grid.direction[1][c],
                grid.direction[2][c],
            ]
        };
        let same = |a: [f64; 3], b: [f64; 3]| (0..3).all(|r| close(a[r], b[r], GEOMETRY_TOLERANCE));
        const AXES: [&str; 3] = ["column (i)", "row (j)", "slice (k)"];
        let mut flipped = Vec::new();
        for (c, name) in AXES.iter().enumerate() {
            let (mine, theirs) = (axis_of(self, c), axis_of(other, c));
            if same(mine, theirs) {
                continue;
            }
            if same(mine, theirs.map(|x| -x)) {
                flipped.push(format!(
                    "the {name} axis ({} vs {})",
                    vector(mine),
                    vector(theirs)
                ));
            } else if let Some(swapped) = (0..3).find(|&d| d != c && same(mine, axis_of(other, d)))
            {
                return Err(format!(
                    "direction: the axes are in another order — this grid's {name} axis {} is the other's {} axis; the arrays are transposed, not on one grid",
                    vector(mine),
                    AXES[swapped]
                ));
            } else {
                return Err(format!(
                    "direction {:?} vs {:?}",
                    self.direction, other.direction
                ));
            }
        }
        if !flipped.is_empty() {
            return Err(format!(
                "direction: {} point{} the opposite way — one is the other mirrored (a flipped export), so its origin lies at the other end of that axis; changing the origin would not fix it, the mask must be saved on the image's grid",
                flipped.join(" and "),
                if flipped.len() == 1 { "s" } else { "" }
            ));
        }
        let smallest = self.spacing.iter().cloned().fold(f64::INFINITY, f64::min);
        for axis in 0..3 {
            if !close(
                self.origin[axis],
                other.origin[axis],
                ORIGIN_TOLERANCE_IN_VOXELS * smallest,
            ) {
                return Err(format!(
                    "origin ({}) mm vs ({}) mm",
                    triple(self.origin).replace(" × ", ", "),
                    triple(other.origin).replace(" × ", ", ")
                ));
            }
        }
        Ok(())
    }
}

fn triple(values: [f64; 3]) -> String {
    values
        .iter()
        .map(|v| format!("{}", (v * 1e6).round() / 1e6))
        .collect::<Vec<_>>()
        .join(" × ")
}

/// `[slices, rows, columns]`.
pub type Shape = [usize; 3];

/// A multi-phase intensity volume (a DCE-MRI series; one phase for a plain image).
#[derive(Debug, Clone, PartialEq)]
pub struct Volume {
    /// `[phase][slice][row][column]`.
    pub voxels: Array4<f32>,
    pub geometry: Geometry,
    /// How the file stored the voxels, after any rescaling it declares (`F32` for images made in
    /// memory). Resampling casts its result back to this type, as SimpleITK (and so PyRadiomics)
    /// does: an integer image stays integer.
    pub samples: SampleType,
    /// The voxels in double precision, kept only when the file stores doubles (or DICOM rescales
    /// to fractions): features are computed from these, as PyRadiomics computes them from the
    /// doubles it reads, while `voxels` holds them rounded to `f32` for display and segmentation.
    pub exact: Option<std::sync::Arc<Array4<f64>>>,
}

impl Volume {
    pub fn new(voxels: Array4<f32>, geometry: Geometry) -> Volume {
        Volume {
            voxels,
            geometry,
            samples: SampleType::F32,
            exact: None,
        }
    }

    /// The same volume with its voxels in double precision too (see [`Volume::exact`]).
    pub fn with_exact(self, exact: Option<Array4<f64>>) -> Volume {
        Volume {
            exact: exact.map(std::sync::Arc::new),
            ..self
        }
    }

    /// Phase `phase` (0-based) in double precision: the exact voxels when the file held doubles,
    /// else the `f32` voxels widened (exactly).
    pub fn phase_f64(&self, phase: usize) -> Array3<f64> {
        match &self.exact {
            Some(exact) => exact.index_axis(Axis(0), phase).to_owned(),
            None => self.phase(phase).mapv(f64::from),
        }
    }

    /// The same volume, stored as `samples` in its file.
    pub fn stored_as(self, samples: SampleType) -> Volume {
        Volume { samples, ..self }
    }

    /// A one-phase volume.
    pub fn single(voxels: Array3<f32>, geometry: Geometry) -> Volume {
        Volume::new(voxels.insert_axis(Axis(0)), geometry)
    }

    pub fn phases(&self) -> usize {
        self.voxels.shape()[0]
    }

    /// `[slices, rows, columns]`.
    pub fn shape(&self) -> Shape {
        let s = self.voxels.shape();
        [s[1], s[2], s[3]]
    }

    /// Phase `phase` (0-based) as a 3-D view.
    pub fn phase(&self, phase: usize) -> ArrayView3<'_, f32> {
        self.voxels.index_axis(Axis(0), phase)
    }

    /// One slice of one phase (both 0-based), without copying.
    pub fn slice(&self, phase: usize, slice: usize) -> ArrayView2<'_, f32> {
        self.voxels
            .index_axis(Axis(0), phase)
            .index_axis_move(Axis(0), slice)
    }

    /// The first non-finite voxel as (phase, slice, row, column), if any.
    pub fn first_non_finite(&self) -> Option<[usize; 4]> {
        self.voxels
            .indexed_iter()
            .find(|(_, v)| !v.is_finite())
            .map(|((p, k, j, i), _)| [p, k, j, i])
    }
}

/// A label mask on an image's grid: 0 is background, any other value a label.
#[derive(Debug, Clone, PartialEq)]
pub struct Mask {
    /// `[slice][row][column]`.
    pub labels: Array3<u8>,
    pub geometry: Geometry,
}

impl Mask {
    pub fn new(labels: Array3<u8>, geometry: Geometry) -> Mask {
        Mask { labels, geometry }
    }

    pub fn empty(shape: Shape, geometry: Geometry) -> Mask {
        Mask::new(Array3::zeros(shape), geometry)
    }

    pub fn shape(&self) -> Shape {
        let s = self.labels.shape();
        [s[0], s[1], s[2]]
    }

    /// Number of voxels with a non-zero label.
    pub fn count(&self) -> usize {
        self.labels.iter().filter(|&&v| v != 0).count()
    }

    /// The voxels of one label as a 0/1 mask.
    pub fn select(&self, label: u8) -> Mask {
        Mask::new(self.labels.mapv(|v| u8::from(v == label)), self.geometry)
    }

    /// The distinct non-zero labels, ascending.
    pub fn labels_present(&self) -> Vec<u8> {
        let mut seen = [false; 256];
        for &v in &self.labels {
            seen[v as usize] = true;
        }
        (1..=255u8).filter(|&v| seen[v as usize]).collect()
    }

    /// Foreground voxels on each slice.
    pub fn area_by_slice(&self) -> Vec<usize> {
        self.labels
            .outer_iter()
            .map(|slice| slice.iter().filter(|&&v| v != 0).count())
            .collect()
    }

    /// The slice with the most foreground voxels (ties: the lowest index, as PyRadiomics's
    /// test slices were chosen); `None` for an empty mask.
    pub fn largest_slice(&self) -> Option<usize> {
        let areas = self.area_by_slice();
        let best = areas.iter().copied().max().filter(|&a| a > 0)?;
        areas.iter().position(|&a| a == best)
    }

    /// One slice, without copying.
    pub fn slice(&self, slice: usize) -> ArrayView2<'_, u8> {
        self.labels.index_axis(Axis(0), slice)
    }
}

/// Why an image and a mask cannot be used together.
#[derive(Debug, Clone, PartialEq)]
pub struct GeometryMismatch(pub String);

/// A direction vector for a message: `(1, 0, 0)`, `(-0.707, 0.707, 0)`.
fn vector(v: [f64; 3]) -> String {
    let part = |x: f64| {
        let text = format!("{:.3}", if x == 0.0 { 0.0 } else { x });
        let text = text.trim_end_matches('0').trim_end_matches('.').to_string();
        if text == "-0" { "0".to_string() } else { text }
    };
    format!("({}, {}, {})", part(v[0]), part(v[1]), part(v[2]))
}

impl fmt::Display for GeometryMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Checks that `mask` lies on `image`'s grid: same shape, and geometry within
/// [`GEOMETRY_TOLERANCE`]. Never resamples.
pub fn check_same_grid(image: &Volume, mask: &Mask) -> Result<(), GeometryMismatch> {
    same_grid(
        (image.shape(), &image.geometry),
        (mask.shape(), &mask.geometry),
    )
}

/// The extent of a mask's labelled voxels: the first and last index along the slice, row and
/// column axes (`[slice, row, column]`, inclusive); `None` for an empty mask. Row by row: a row
/// without any label costs one scan.
pub fn labelled_extent(mask: ArrayView3<'_, u8>) -> Option<([usize; 3], [usize; 3])> {
    let mut low = [usize::MAX; 3];
    let mut high = [0usize; 3];
    let mut scan = |k: usize, j: usize, row: &[u8]| {
        // Most rows hold no label: an OR over the row (no early exit, so it runs a vector at a
        // time) settles them before any search.
        if row.iter().fold(0u8, |any, &m| any | m) == 0 {
            return;
        }
        let Some(first) = row.iter().position(|&m| m != 0) else {
            return;
        };
        let last = row.len() - 1 - row.iter().rev().position(|&m| m != 0).unwrap_or(0);
        low = [low[0].min(k), low[1].min(j), low[2].min(first)];
        high = [high[0].max(k), high[1].max(j), high[2].max(last)];
    };
    let columns = mask.shape()[2].max(1);
    match mask.as_slice() {
        // Contiguous: rows as plain slices, which the compiler scans a vector at a time.
        Some(all) => {
            let rows = mask.shape()[1];
            for (n, row) in all.chunks_exact(columns).enumerate() {
                scan(n / rows.max(1), n % rows.max(1), row);
            }
        }
        None => {
            for (k, plane) in mask.outer_iter().enumerate() {
                for (j, row) in plane.outer_iter().enumerate() {
                    scan(k, j, &row.to_vec());
                }
            }
        }
    }
    (low[0] != usize::MAX).then_some((low, high))
}

/// The unit normal of the plane two directions span (their cross product, normalised); `None`
/// when they are parallel. It completes a 2-D image's grid as its slice axis.
pub fn plane_normal(a: [f64; 3], b: [f64; 3]) -> Option<[f64; 3]> {
    let normal = [
        a[1] * b[2] - a[2] * b[1],
        a[2] * b[0] - a[0] * b[2],
        a[0] * b[1] - a[1] * b[0],
    ];
    let length = normal.iter().map(|v| v * v).sum::<f64>().sqrt();
    (length > 0.0).then(|| normal.map(|v| v / length))
}

/// Whether two (shape, geometry) grids are the same, as [`check_same_grid`] states it.
pub fn same_grid(a: (Shape, &Geometry), b: (Shape, &Geometry)) -> Result<(), GeometryMismatch> {
    let ((sa, ga), (sb, gb)) = (a, b);
    let geometry = ga.agrees_with(gb);
    if sa != sb {
        // The shape alone does not say why: a different spacing or origin usually does.
        let also = geometry.err().map(|m| format!("; {m}")).unwrap_or_default();
        return Err(GeometryMismatch(format!(
            "shape {} × {} × {} (columns × rows × slices) vs {} × {} × {}{also}",
            sa[2], sa[1], sa[0], sb[2], sb[1], sb[0]
        )));
    }
    geometry.map_err(GeometryMismatch)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid() -> Geometry {
        Geometry::new([0.5, 0.5, 3.0], [10.0, -20.0, 5.0])
    }

    #[test]
    fn largest_slice_prefers_the_lowest_index_on_ties() {
        let mut mask = Mask::empty([3, 4, 4], grid());
        mask.labels[[1, 0, 0]] = 1;
        mask.labels[[1, 0, 1]] = 1;
        mask.labels[[2, 3, 3]] = 1;
        mask.labels[[2, 3, 2]] = 1;
        assert_eq!(mask.area_by_slice(), vec![0, 2, 2]);
        assert_eq!(mask.largest_slice(), Some(1));
        assert_eq!(Mask::empty([2, 2, 2], grid()).largest_slice(), None);
    }

    #[test]
    fn geometry_mismatch_names_what_differs() {
        let image = Volume::single(Array3::zeros([3, 4, 4]), grid());
        let mut mask = Mask::empty([3, 4, 4], grid());
        assert!(check_same_grid(&image, &mask).is_ok());
        mask.geometry.spacing[2] = 2.5;
        let error = check_same_grid(&image, &mask).unwrap_err().0;
        assert_eq!(error, "spacing 0.5 × 0.5 × 3 mm vs 0.5 × 0.5 × 2.5 mm");
        let mask = Mask::empty([3, 4, 5], grid());
        let error = check_same_grid(&image, &mask).unwrap_err().0;
        assert!(error.starts_with("shape 4 × 4 × 3"), "{error}");
        let mut moved = Mask::empty([3, 4, 4], grid());
        moved.geometry.origin[0] += 0.01;
        assert!(
            check_same_grid(&image, &moved)
                .unwrap_err()
                .0
                .starts_with("origin")
        );
        let mut within = Mask::empty([3, 4, 4], grid());
        within.geometry.origin[0] += 1e-5;
        assert!(check_same_grid(&image, &within).is_ok());
    }

    #[test]
    fn a_flipped_or_transposed_grid_is_named_before_its_origin() {
        let image = Volume::single(Array3::zeros([3, 4, 4]), grid());
        // The slice axis mirrored: its origin moves to the other end too (5 + 2 × 3 mm).
        let mut mirrored = Mask::empty([3, 4, 4], grid());
        mirrored.geometry.direction[2][2] = -1.0;
        mirrored.geometry.origin[2] = 11.0;
        let error = check_same_grid(&image, &mirrored).unwrap_err().0;
        assert_eq!(
            error,
            "direction: the slice (k) axis ((0, 0, 1) vs (0, 0, -1)) points the opposite way — one is the other mirrored (a flipped export), so its origin lies at the other end of that axis; changing the origin would not fix it, the mask must be saved on the image's grid"
        );
        mirrored.geometry.direction[0][0] = -1.0;
        let error = check_same_grid(&image, &mirrored).unwrap_err().0;
        assert!(
            error.starts_with("direction: the column (i) axis ((1, 0, 0) vs (-1, 0, 0)) and the slice (k) axis ((0, 0, 1) vs (0, 0, -1)) point the opposite way"),
            "{error}"
        );
        let mut transposed = Mask::empty([3, 4, 4], grid());
        transposed.geometry.direction = [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]];
        let error = check_same_grid(&image, &transposed).unwrap_err().0;
        assert!(
            error.starts_with("direction: the axes are in another order — this grid's column (i) axis (1, 0, 0) is the other's row (j) axis"),
            "{error}"
        );
    }

    #[test]
    fn positions_follow_spacing_and_direction() {
        let mut g = grid();
        g.direction = [[-1.0, 0.0, 0.0], [0.0, -1.0, 0.0], [0.0, 0.0, 1.0]];
        assert_eq!(g.position([2.0, 1.0, 1.0]), [9.0, -20.5, 8.0]);
        assert_eq!(g.continuous_index([9.0, -20.5, 8.0]), [2.0, 1.0, 1.0]);
        // An oblique grid: the index is the inverse of the position.
        let s = std::f64::consts::FRAC_1_SQRT_2;
        g.direction = [[s, -s, 0.0], [s, s, 0.0], [0.0, 0.0, 1.0]];
        let back = g.continuous_index(g.position([1.5, -2.0, 3.25]));
        assert!(
            back.iter()
                .zip([1.5, -2.0, 3.25])
                .all(|(a, b)| (a - b).abs() < 1e-12),
            "{back:?}"
        );
    }

    #[test]
    fn slices_are_views_of_the_phase() {
        let mut voxels = Array4::zeros([2, 3, 2, 2]);
        voxels[[1, 2, 1, 0]] = 7.0;
        let volume = Volume::new(voxels, grid());
        assert_eq!(volume.shape(), [3, 2, 2]);
        assert_eq!(volume.slice(1, 2)[[1, 0]], 7.0);
        assert_eq!(volume.first_non_finite(), None);
    }
}
