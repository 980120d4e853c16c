//! The built-in synthetic DCE-MRI cohort (`load cohort`): patients are drawn lazily, one at a
//! time, from (cohort seed, patient index) alone — the same on every machine, for any thread count,
//! and patient 17 the same whether the cohort has 50 or 10 000 patients. Nothing is stored but the
//! recipe: a patient's images are rendered when asked for.
//!
//! See `clinical.rs` for who is in which cohort and the clinical factors, `phantom.rs` for the
//! images, `noise.rs` for position-keyed randomness.

mod clinical;
mod noise;
mod phantom;

pub use clinical::{BINARY_FACTORS, BLOCK, ClinicalRecord};
pub use phantom::{Knobs, Phantom};

use super::volume::{Geometry, Mask, Volume};
use ndarray::{Array2, Array3, Array4};
use rayon::prelude::*;

/// The study's cohort seed and size: `load cohort` with no arguments.
pub const DEFAULT_SEED: u64 = 2021;
pub const DEFAULT_SIZE: usize = 432;

/// A recipe for a cohort: its size, seed and image knobs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SyntheticCohort {
    pub size: usize,
    pub seed: u64,
    pub knobs: Knobs,
}

impl Default for SyntheticCohort {
    fn default() -> SyntheticCohort {
        SyntheticCohort {
            size: DEFAULT_SIZE,
            seed: DEFAULT_SEED,
            knobs: Knobs::default(),
        }
    }
}

/// One synthetic patient: the clinical record and the phantom its images come from.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntheticPatient {
    pub index: usize,
    pub clinical: ClinicalRecord,
    pub phantom: Phantom,
}

impl SyntheticCohort {
    /// Patient `index` (0-based), drawn on demand (microseconds; no pixels yet).
    pub fn patient(&self, index: usize) -> SyntheticPatient {
        let clinical = clinical::draw(self.seed, index);
        let phantom = Phantom::draw(self.knobs, self.seed, index, clinical.aln, clinical.size_mm);
        SyntheticPatient {
            index,
            clinical,
            phantom,
        }
    }

    /// The id of patient `index`: P0001, P0002, … (wider past 9999).
    pub fn id(index: usize) -> String {
        format!("P{:04}", index + 1)
    }

    /// The patient index an id names, if it is one of this cohort's.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        let number: usize = id
            .strip_prefix('P')
            .or_else(|| id.strip_prefix('p'))?
            .parse()
            .ok()?;
        (1..=self.size).contains(&number).then(|| number - 1)
    }
}

impl SyntheticPatient {
    pub fn id(&self) -> String {
        SyntheticCohort::id(self.index)
    }

    pub fn geometry(&self) -> Geometry {
        self.phantom.geometry()
    }

    /// `[slices, rows, columns]`.
    pub fn shape(&self) -> [usize; 3] {
        self.phantom.shape()
    }

    /// All phases of one slice: `phases × rows × columns`.
    pub fn slice(&self, k: usize) -> Array3<f32> {
        let [_, rows, columns] = self.shape();
        let phases = self.phantom.render_slice(k);
        let flat: Vec<f32> = phases.into_iter().flatten().collect();
        Array3::from_shape_vec((self.phantom.knobs.phases, rows, columns), flat)
            .expect("rendered to shape")
    }

    /// The whole DCE series, slices rendered in parallel (the result does not depend on how).
    pub fn volume(&self) -> Volume {
        let [slices, rows, columns] = self.shape();
        let phases = self.phantom.knobs.phases;
        let rendered: Vec<Vec<Vec<f32>>> = (0..slices)
            .into_par_iter()
            .map(|k| self.phantom.render_slice(k))
            .collect();
        let mut voxels = Array4::zeros((phases, slices, rows, columns));
        for (k, slice) in rendered.into_iter().enumerate() {
            for (p, plane) in slice.into_iter().enumerate() {
                voxels
                    .slice_mut(ndarray::s![p, k, .., ..])
                    .assign(&Array2::from_shape_vec((rows, columns), plane).expect("plane"));
            }
        }
        Volume::new(voxels, self.geometry())
    }

    fn mask_from(&self, slice: impl Fn(usize) -> Vec<u8> + Sync + Send) -> Mask {
        let [slices, rows, columns] = self.shape();
        let planes: Vec<Vec<u8>> = (0..slices).into_par_iter().map(slice).collect();
        let flat: Vec<u8> = planes.into_iter().flatten().collect();
        Mask::new(
            Array3::from_shape_vec((slices, rows, columns), flat).expect("mask shape"),
            self.geometry(),
        )
    }

    /// One phase (1-based) of slice `k` (0-based), rows × columns.
    pub fn phase_slice(&self, k: usize, phase: usize) -> Array2<f32> {
        let [_, rows, columns] = self.shape();
        Array2::from_shape_vec((rows, columns), self.phantom.render_phase(k, phase - 1))
            .expect("rendered plane")
    }

    /// The true multiplicative bias field on slice `k` (what `correct bias` should recover).
    pub fn bias_slice(&self, k: usize) -> Array2<f32> {
        let [_, rows, columns] = self.shape();
        Array2::from_shape_vec((rows, columns), self.phantom.bias_slice(k)).expect("field plane")
    }

    /// Pure fat (1) and chest wall (2) on slice `k`: tissue of one true intensity.
    pub fn homogeneous_slice(&self, k: usize) -> Array2<u8> {
        let [_, rows, columns] = self.shape();
        Array2::from_shape_vec((rows, columns), self.phantom.homogeneous_slice(k))
            .expect("tissue plane")
    }

    /// The radiologist's ROI on every slice the tumour touches.
    pub fn roi(&self) -> Mask {
        self.mask_from(|k| self.phantom.roi_slice(k))
    }

    /// The true tumour mask (kept for quality checks only).
    pub fn truth(&self) -> Mask {
        self.mask_from(|k| self.phantom.truth_slice(k))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> SyntheticCohort {
        SyntheticCohort {
            size: 50,
            ..SyntheticCohort::default()
        }
    }

    #[test]
    fn a_patient_depends_only_on_seed_and_index() {
        let a = small().patient(16);
        let b = SyntheticCohort {
            size: 10_000,
            ..small()
        }
        .patient(16);
        assert_eq!(a, b);
        assert_ne!(a, small().patient(17));
        assert_eq!(small().index_of("P0017"), Some(16));
        assert_eq!(small().index_of("P0051"), None);
    }

    #[test]
    fn the_roi_holds_the_tumour_and_the_tumour_enhances() {
        let patient = small().patient(3);
        let roi = patient.roi();
        let truth = patient.truth();
        let tumour = truth.count();
        assert!(tumour > 100, "{tumour}");
        let outside = roi
            .labels
            .iter()
            .zip(truth.labels.iter())
            .filter(|&(&r, &t)| t == 1 && r == 0)
            .count();
        assert_eq!(outside, 0, "the ROI is drawn around the whole tumour");
        assert!(roi.count() > tumour);
        let k = truth.largest_slice().unwrap();
        let slice = patient.slice(k);
        let mean = |p: usize| {
            let (sum, n) = slice
                .index_axis(ndarray::Axis(0), p)
                .iter()
                .zip(truth.slice(k).iter())
                .filter(|&(_, &t)| t == 1)
                .fold((0.0, 0), |(s, n), (&v, _)| (s + f64::from(v), n + 1));
            sum / f64::from(n)
        };
        assert!(
            mean(1) > 1.5 * mean(0),
            "phase 2 {} vs pre-contrast {}",
            mean(1),
            mean(0)
        );
    }
}
