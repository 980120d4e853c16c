//! A mask brought onto its image's grid when the two differ, as PyRadiomics 3.0.1 does with
//! `correctMask` (`imageoperations._correctMask`): the mask's region must lie within the image's
//! physical extent (its bounding box's corners within half a voxel of the image's first and last
//! centres, 1e-3 voxel of tolerance: `_checkROI`), and the mask is then resampled onto the
//! image's grid by nearest neighbour (SimpleITK's `ResampleImageFilter` with the image as
//! reference), so labels stay labels. Only on request (`resample mask=image`): by default a mask
//! off its image's grid is refused.

use super::resample::{bounding_box, continuous_indices, nearest_labels};
use crate::imaging::{Geometry, Mask};

/// `mask` resampled onto the grid `(geometry, [slices, rows, columns])` of its image, or why it
/// cannot be: its region reaches outside the image.
pub fn onto_grid(mask: &Mask, grid: (&Geometry, [usize; 3])) -> Result<Mask, String> {
    check_within(mask, grid)?;
    let (geometry, shape) = grid;
    let indices = continuous_indices(&mask.geometry, geometry, shape);
    Ok(Mask::new(
        nearest_labels(mask.labels.view(), &indices, shape),
        *geometry,
    ))
}

/// `Ok` when `mask`'s region lies within the image of grid `(geometry, [slices, rows,
/// columns])` — its bounding box's corners within half a voxel of the image's first and last
/// centres, 1e-3 voxel of tolerance (PyRadiomics's `_checkROI`) — so that [`onto_grid`] can
/// bring it there; otherwise which axis it leaves the image along.
pub fn check_within(mask: &Mask, (geometry, shape): (&Geometry, [usize; 3])) -> Result<(), String> {
    let Some((low, size)) = bounding_box(mask.labels.view()) else {
        return Ok(());
    };
    // The region's corners, as continuous indices of the image.
    let corner = |offset: f64, extent: [usize; 3]| -> [f64; 3] {
        let index = std::array::from_fn(|a| low[a] as f64 + extent[a] as f64 + offset);
        geometry.continuous_index(mask.geometry.position(index))
    };
    let (first, last) = (corner(-0.5, [0; 3]), corner(-0.5, size));
    let extent = [shape[2], shape[1], shape[0]];
    const TOLERANCE: f64 = 1e-3;
    const AXES: [&str; 3] = ["column", "row", "slice"];
    for a in 0..3 {
        let (from, to) = (first[a].min(last[a]), first[a].max(last[a]));
        if from < -0.5 - TOLERANCE || to > extent[a] as f64 - 0.5 + TOLERANCE {
            return Err(format!(
                "the mask's region reaches outside the image along the {} axis (image indices {from:.2} to {to:.2}; the image has {}): it was drawn on another image",
                AXES[a], extent[a]
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array3;

    #[test]
    fn a_mask_on_a_finer_grid_is_taken_onto_the_image_by_nearest_neighbour() {
        // Image: 4 × 4 × 2 voxels of 2 mm; mask: 8 × 8 × 2 of 1 mm over the same extent, whose
        // first corner is the image's (centres half a millimetre in).
        let image = Geometry::new([2.0, 2.0, 3.0], [1.0, 1.0, 0.0]);
        let mut labels = Array3::<u8>::zeros((2, 8, 8));
        labels.slice_mut(ndarray::s![1, 2..6, 2..4]).fill(1);
        let mask = Mask::new(labels, Geometry::new([1.0, 1.0, 3.0], [0.5, 0.5, 0.0]));
        let on_image = onto_grid(&mask, (&image, [2, 4, 4])).unwrap();
        // Image voxel (i, j) has its centre at mask index (2i + 0.5, 2j + 0.5): rounded up to
        // 2i + 1, so columns 2–3 → image column 1, rows 2–5 → image rows 1–2.
        assert_eq!(on_image.count(), 2);
        assert_eq!(on_image.labels[[1, 1, 1]], 1);
        assert_eq!(on_image.labels[[1, 2, 1]], 1);
    }

    #[test]
    fn a_region_outside_the_image_is_refused() {
        let image = Geometry::new([1.0, 1.0, 1.0], [0.0, 0.0, 0.0]);
        let mut labels = Array3::<u8>::zeros((1, 4, 4));
        labels[[0, 3, 3]] = 1;
        let mask = Mask::new(labels, Geometry::new([1.0, 1.0, 1.0], [10.0, 0.0, 0.0]));
        let refused = onto_grid(&mask, (&image, [1, 4, 4])).unwrap_err();
        assert!(
            refused.contains("outside the image along the column axis"),
            "{refused}"
        );
    }
}
