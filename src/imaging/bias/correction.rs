//! A cohort's bias correction as a session keeps it: the N4 settings, the phases they apply to,
//! and the fields estimated so far, by (patient, phase, slice). Raw images are never changed:
//! a slice is corrected when it is read, with its stored field or, for a slice not estimated
//! yet (another slice chosen by hand, a 3-D extraction), a field estimated then with the same
//! settings — the same numbers either way.

use super::{BiasError, BiasField, N4Options, N4Outcome, n4, tissue_mask};
use ndarray::{Array2, Array3, ArrayView2, Axis};
use std::collections::HashMap;
use std::sync::Arc;

/// Which DCE phases a correction applies to (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phases {
    All,
    One(usize),
}

impl Phases {
    pub fn includes(self, phase: usize) -> bool {
        match self {
            Phases::All => true,
            Phases::One(p) => p == phase,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct BiasCorrection {
    pub options: N4Options,
    pub phases: Phases,
    fields: HashMap<(String, usize, usize), Arc<BiasField>>,
}

/// Estimates the field of one slice inside its automatic tissue mask ([`tissue_mask`]).
pub fn estimate(image: ArrayView2<'_, f32>, options: &N4Options) -> Result<N4Outcome, BiasError> {
    let mask = tissue_mask(image);
    n4(image, mask.view(), options)
}

impl BiasCorrection {
    pub fn new(options: N4Options, phases: Phases) -> BiasCorrection {
        BiasCorrection {
            options,
            phases,
            fields: HashMap::new(),
        }
    }

    /// Keeps the field estimated for patient `id`'s `slice` (0-based) of `phase` (1-based).
    pub fn insert(&mut self, id: &str, phase: usize, slice: usize, field: BiasField) {
        self.fields
            .insert((id.to_string(), phase, slice), Arc::new(field));
    }

    /// The stored field, if that slice was estimated.
    pub fn field(&self, id: &str, phase: usize, slice: usize) -> Option<Arc<BiasField>> {
        self.fields.get(&(id.to_string(), phase, slice)).cloned()
    }

    /// How many slices have a stored field.
    pub fn stored(&self) -> usize {
        self.fields.len()
    }

    /// Patient `id`'s `slice` of `phase` corrected (unchanged if the correction does not apply to
    /// that phase, or if the slice has too little tissue to estimate a field from).
    pub fn correct_slice(
        &self,
        id: &str,
        phase: usize,
        slice: usize,
        image: Array2<f32>,
    ) -> Array2<f32> {
        match self.field_of(id, phase, slice, image.view()) {
            Some(field) => field.correct(image.view()),
            None => image,
        }
    }

    /// The field of patient `id`'s `slice` of `phase`: stored, or estimated now from `image`
    /// (the raw slice); `None` when the correction does not apply or there is too little tissue.
    pub fn field_of(
        &self,
        id: &str,
        phase: usize,
        slice: usize,
        image: ArrayView2<'_, f32>,
    ) -> Option<Arc<BiasField>> {
        if !self.phases.includes(phase) {
            return None;
        }
        self.field(id, phase, slice).or_else(|| {
            estimate(image, &self.options)
                .ok()
                .map(|outcome| Arc::new(outcome.field))
        })
    }

    /// Every slice of one phase of patient `id`, corrected slice by slice.
    pub fn correct_volume(&self, id: &str, phase: usize, mut volume: Array3<f32>) -> Array3<f32> {
        if !self.phases.includes(phase) {
            return volume;
        }
        for (k, mut plane) in volume.axis_iter_mut(Axis(0)).enumerate() {
            let corrected = self.correct_slice(id, phase, k, plane.to_owned());
            plane.assign(&corrected);
        }
        volume
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_and_fresh_estimates_agree_and_other_phases_stay_raw() {
        let image = Array2::from_shape_fn((40, 48), |(r, c)| {
            let tissue = if (r / 6 + c / 6) % 2 == 0 {
                150.0
            } else {
                70.0
            };
            (tissue * (0.004 * c as f64 - 0.003 * r as f64).exp()) as f32
        });
        let options = N4Options {
            levels: 2,
            ..N4Options::default()
        };
        let mut stored = BiasCorrection::new(options, Phases::One(2));
        let fresh = stored.clone();
        let outcome = estimate(image.view(), &options).unwrap();
        stored.insert("P1", 2, 0, outcome.field);
        let a = stored.correct_slice("P1", 2, 0, image.clone());
        let b = fresh.correct_slice("P1", 2, 0, image.clone());
        assert_eq!(a, b);
        assert_ne!(a, image);
        assert_eq!(stored.correct_slice("P1", 1, 0, image.clone()), image);
        // Too little tissue: left as it is.
        let dark = Array2::<f32>::zeros((40, 48));
        assert_eq!(stored.correct_slice("P1", 2, 3, dark.clone()), dark);
    }
}
