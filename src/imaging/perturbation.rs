//! Perturbations of a region and its image, to measure how robust features are to the outline a
//! reader might have drawn and to image noise: the mask eroded or dilated by one voxel, its
//! outline jittered voxel by voxel, Gaussian noise at the image's own noise level added.
//!
//! # References
//! Zwanenburg, Leger, Agolli et al., "Assessing robustness of radiomic features by image
//! perturbation", Sci. Rep. 9:614 (2019) — volume adaptation (erosion and dilation), contour
//! randomisation and noise addition, features compared by ICC; their contour randomisation uses
//! supervoxels, here each voxel along the outline is drawn in or out independently. Immerkær,
//! "Fast noise variance estimation", Comput. Vis. Image Underst. 64(2):300–302 (1996), for the
//! noise level.

use super::Mask;
use crate::rng::Rng;
use ndarray::{Array3, ArrayView2, ArrayView3};

/// Which perturbations a replicate may apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Perturbations {
    pub erode: bool,
    pub dilate: bool,
    pub contour: bool,
    pub noise: bool,
}

/// What one replicate does, drawn from its stream.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Draw {
    /// −1 erode, 0 keep, +1 dilate the mask by one voxel.
    pub volume: i8,
    /// The seed of the outline's jitter, when it is jittered.
    pub contour: Option<u64>,
    /// The seed of the noise, when noise is added.
    pub noise: Option<u64>,
}

/// A voxel along the outline is moved across it with this probability.
const CONTOUR_FLIP: f64 = 0.25;

impl Perturbations {
    /// Replicate `replicate`'s perturbation for the patient numbered `patient`: the volume change
    /// drawn uniformly among those allowed (keeping the volume is allowed whenever another
    /// perturbation is on), then the seeds of the jitter and the noise, all from the stream of
    /// (`seed`, patient, replicate), so any order of computation gives the same draws.
    pub fn draw(&self, seed: u64, patient: u64, replicate: u64) -> Draw {
        let mut rng = Rng::for_item(
            seed ^ patient.wrapping_mul(0x9E37_79B9_7F4A_7C15),
            replicate,
        );
        let mut volumes = Vec::new();
        if self.erode {
            volumes.push(-1);
        }
        if self.contour || self.noise || volumes.is_empty() {
            volumes.push(0);
        }
        if self.dilate {
            volumes.push(1);
        }
        let volume = volumes[rng.below(volumes.len() as u64) as usize];
        let contour = rng.next_u64();
        let noise = rng.next_u64();
        Draw {
            volume,
            contour: self.contour.then_some(contour),
            noise: self.noise.then_some(noise),
        }
    }
}

impl Draw {
    /// The mask this draw makes of `mask` (labels become 0/1). `planar`: morphology within each
    /// slice (4-neighbours), as a 2-D analysis sees the region; otherwise 6-neighbours.
    ///
    /// Only the block around the region (its bounding box and two voxels more, within the image)
    /// is worked on: nothing beyond it can change.
    pub fn mask(&self, mask: &Mask, planar: bool) -> Mask {
        let size = mask.shape();
        let mut out = Array3::<u8>::zeros((size[0], size[1], size[2]));
        let Some(bounds) = bounding_box(mask.labels.view()) else {
            return Mask::new(out, mask.geometry);
        };
        let margin = |a: usize| if planar && a == 0 { 0 } else { 2 };
        let block: [(usize, usize); 3] = std::array::from_fn(|a| {
            (
                bounds[a].0.saturating_sub(margin(a)),
                (bounds[a].1 + margin(a)).min(size[a] - 1),
            )
        });
        let window = ndarray::s![
            block[0].0..=block[0].1,
            block[1].0..=block[1].1,
            block[2].0..=block[2].1
        ];
        let mut labels = mask.labels.slice(window).mapv(|v| u8::from(v != 0));
        match self.volume {
            -1 => labels = eroded(labels.view(), planar),
            1 => labels = dilated(labels.view(), planar),
            _ => {}
        }
        if let Some(seed) = self.contour {
            labels = jittered(labels.view(), planar, seed);
        }
        out.slice_mut(window).assign(&labels);
        Mask::new(out, mask.geometry)
    }
}

/// The inclusive index ranges `[slice, row, column]` of the nonzero voxels; `None` when none.
fn bounding_box(labels: ArrayView3<'_, u8>) -> Option<[(usize, usize); 3]> {
    let mut bounds: Option<[(usize, usize); 3]> = None;
    for ((k, j, i), &v) in labels.indexed_iter() {
        if v == 0 {
            continue;
        }
        let at = [k, j, i];
        bounds = Some(match bounds {
            None => std::array::from_fn(|a| (at[a], at[a])),
            Some(b) => std::array::from_fn(|a| (b[a].0.min(at[a]), b[a].1.max(at[a]))),
        });
    }
    bounds
}

/// The face neighbours of voxel (k, j, i) within the volume: in-plane only when `planar`.
fn neighbours(
    (k, j, i): (usize, usize, usize),
    [slices, rows, columns]: [usize; 3],
    planar: bool,
) -> impl Iterator<Item = (usize, usize, usize)> {
    let steps: &[(isize, isize, isize)] = if planar {
        &[(0, -1, 0), (0, 1, 0), (0, 0, -1), (0, 0, 1)]
    } else {
        &[
            (-1, 0, 0),
            (1, 0, 0),
            (0, -1, 0),
            (0, 1, 0),
            (0, 0, -1),
            (0, 0, 1),
        ]
    };
    steps.iter().filter_map(move |&(dk, dj, di)| {
        let (k, j, i) = (
            k.checked_add_signed(dk)?,
            j.checked_add_signed(dj)?,
            i.checked_add_signed(di)?,
        );
        (k < slices && j < rows && i < columns).then_some((k, j, i))
    })
}

fn shape(labels: ArrayView3<'_, u8>) -> [usize; 3] {
    let s = labels.shape();
    [s[0], s[1], s[2]]
}

/// A voxel is kept when it and all its face neighbours are in the mask (a neighbour outside the
/// volume counts as outside).
pub fn eroded(labels: ArrayView3<'_, u8>, planar: bool) -> Array3<u8> {
    let size = shape(labels);
    let full = if planar { 4 } else { 6 };
    Array3::from_shape_fn((size[0], size[1], size[2]), |at| {
        let inside = neighbours(at, size, planar)
            .filter(|&n| labels[n] != 0)
            .count();
        u8::from(labels[at] != 0 && inside == full)
    })
}

/// A voxel is in when it or a face neighbour is in the mask.
pub fn dilated(labels: ArrayView3<'_, u8>, planar: bool) -> Array3<u8> {
    let size = shape(labels);
    Array3::from_shape_fn((size[0], size[1], size[2]), |at| {
        u8::from(labels[at] != 0 || neighbours(at, size, planar).any(|n| labels[n] != 0))
    })
}

/// Each voxel on either side of the outline (inside with a neighbour outside, or outside with a
/// neighbour inside) is moved across it with probability ¼, by the stream `seed`.
fn jittered(labels: ArrayView3<'_, u8>, planar: bool, seed: u64) -> Array3<u8> {
    let size = shape(labels);
    let mut out = labels.to_owned();
    let mut rng = Rng::for_item(seed, 0);
    for (at, &value) in labels.indexed_iter() {
        let on_outline = neighbours(at, size, planar).any(|n| labels[n] != value);
        // One draw per voxel on the outline, in index order, so the result depends only on seed.
        if on_outline && rng.uniform() < CONTOUR_FLIP {
            out[at] = 1 - u8::from(value != 0);
        }
    }
    // The region never vanishes: a jitter that took every voxel keeps the original.
    if out.iter().all(|&v| v == 0) {
        return labels.to_owned();
    }
    out
}

/// The standard deviation of an image's noise by Immerkær's estimator, averaged over the slices
/// of at least 3 × 3 pixels: σ = √(π/2) · Σ|I ∗ N| / (6 (W − 2)(H − 2)) with the Laplacian
/// difference kernel N = [1 −2 1; −2 4 −2; 1 −2 1].
pub fn noise_sd(planes: &[ArrayView2<'_, f64>]) -> f64 {
    let mut total = 0.0;
    let mut used = 0;
    for plane in planes {
        let (h, w) = plane.dim();
        if h < 3 || w < 3 {
            continue;
        }
        let mut sum = 0.0;
        for r in 1..h - 1 {
            for c in 1..w - 1 {
                let v = |dr: usize, dc: usize| plane[(r + dr - 1, c + dc - 1)];
                let response = v(0, 0) - 2.0 * v(0, 1) + v(0, 2) - 2.0 * v(1, 0) + 4.0 * v(1, 1)
                    - 2.0 * v(1, 2)
                    + v(2, 0)
                    - 2.0 * v(2, 1)
                    + v(2, 2);
                sum += response.abs();
            }
        }
        total += (std::f64::consts::PI / 2.0).sqrt() * sum / (6.0 * ((w - 2) * (h - 2)) as f64);
        used += 1;
    }
    if used == 0 { 0.0 } else { total / used as f64 }
}

/// Adds Gaussian noise of standard deviation `sd` to every voxel, by the stream `seed`.
pub fn add_noise(values: &mut [f64], sd: f64, seed: u64) {
    let mut rng = Rng::for_item(seed, 1);
    for v in values {
        *v += sd * rng.normal();
    }
}

/// Adds Gaussian noise to the voxels of `volume` within `window` (inclusive index ranges
/// `[slice, row, column]`), or to all of them when there is no window, by the stream `seed`.
pub fn add_noise_within(
    volume: &mut Array3<f64>,
    window: Option<[(usize, usize); 3]>,
    sd: f64,
    seed: u64,
) {
    let mut rng = Rng::for_item(seed, 1);
    let mut block = match window {
        Some(w) => volume.slice_mut(ndarray::s![
            w[0].0..=w[0].1,
            w[1].0..=w[1].1,
            w[2].0..=w[2].1
        ]),
        None => volume.view_mut(),
    };
    block.iter_mut().for_each(|v| *v += sd * rng.normal());
}

/// The inclusive index ranges of a mask's nonzero voxels; `None` when it is empty.
pub fn extent(mask: &Mask) -> Option<[(usize, usize); 3]> {
    bounding_box(mask.labels.view())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::imaging::Geometry;

    fn square(size: usize, from: usize, to: usize) -> Array3<u8> {
        Array3::from_shape_fn((1, size, size), |(_, j, i)| {
            u8::from((from..to).contains(&j) && (from..to).contains(&i))
        })
    }

    #[test]
    fn erosion_and_dilation_move_the_outline_by_one_pixel() {
        let mask = square(10, 3, 7); // 4 × 4
        assert_eq!(
            eroded(mask.view(), true)
                .iter()
                .filter(|&&v| v == 1)
                .count(),
            4
        );
        // A 4 × 4 square grows to 36 − 4 corners = 32 pixels with 4-neighbours.
        assert_eq!(
            dilated(mask.view(), true)
                .iter()
                .filter(|&&v| v == 1)
                .count(),
            32
        );
    }

    #[test]
    fn draws_are_fixed_by_seed_patient_and_replicate() {
        let all = Perturbations {
            erode: true,
            dilate: true,
            contour: true,
            noise: true,
        };
        assert_eq!(all.draw(1, 2, 3), all.draw(1, 2, 3));
        let draws: Vec<Draw> = (0..30).map(|r| all.draw(1, 2, r)).collect();
        for volume in [-1, 0, 1] {
            assert!(draws.iter().any(|d| d.volume == volume));
        }
        let mask = Mask::new(square(12, 3, 9), Geometry::new([1.0; 3], [0.0; 3]));
        let a = draws[0].mask(&mask, true);
        assert_eq!(a, draws[0].mask(&mask, true));
        assert_ne!(a.labels, draws[1].mask(&mask, true).labels);
    }

    #[test]
    fn immerkaers_estimate_recovers_the_noise_of_a_flat_image() {
        let mut values = vec![100.0; 200 * 200];
        add_noise(&mut values, 5.0, 9);
        let plane = ndarray::Array2::from_shape_vec((200, 200), values).unwrap();
        let sd = noise_sd(&[plane.view()]);
        assert!((sd - 5.0).abs() < 0.1, "{sd}");
    }
}
