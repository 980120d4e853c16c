//! Pre-processing of an image and its mask before features are computed, each step explicit and
//! as PyRadiomics 3.0.1 orders them (`featureextractor.loadImage`, then `execute`): the whole image
//! is normalised (`normalize.rs`), image and mask are resampled to a new spacing (`resample.rs`,
//! cubic B-splines in `bspline.rs`), and the region is re-segmented to an intensity range
//! (`resegment.rs`). Shape features keep the region as drawn (PyRadiomics's default
//! `resegmentShape: False`); the other families use the re-segmented one.
//!
//! Nothing here runs unless asked; the session records which steps the user chose.

pub mod align;
pub mod bspline;
pub mod normalize;
pub mod resample;
pub mod resegment;

pub use normalize::Normalization;
pub use resample::{Interpolator, MaskInterpolation, Resampling};
pub use resegment::{Resegmentation, ThresholdMode};

use self::normalize::Normalizer;
use crate::features::Region;
use crate::imaging::Geometry;
use crate::imaging::samples::SampleType;
use ndarray::{Array3, ArrayView3};

/// The window of inclusive index ranges `[slice, row, column]`, for `slice`.
pub(crate) fn inclusive(
    ranges: [(usize, usize); 3],
) -> ndarray::SliceInfo<[ndarray::SliceInfoElem; 3], ndarray::Ix3, ndarray::Ix3> {
    ndarray::s![
        ranges[0].0..=ranges[0].1,
        ranges[1].0..=ranges[1].1,
        ranges[2].0..=ranges[2].1
    ]
}

/// An image's voxels as held in memory: `f32`, or the file's own doubles.
#[derive(Debug, Clone, Copy)]
pub enum Intensities<'a> {
    Single(ArrayView3<'a, f32>),
    Double(ArrayView3<'a, f64>),
}

impl Intensities<'_> {
    /// `[slices, rows, columns]`.
    pub fn shape(&self) -> [usize; 3] {
        let shape = match self {
            Intensities::Single(v) => v.shape(),
            Intensities::Double(v) => v.shape(),
        };
        [shape[0], shape[1], shape[2]]
    }

    /// Every voxel in storage order, as a double.
    pub fn for_each(&self, f: &mut dyn FnMut(f64)) {
        match self {
            Intensities::Single(v) => v.iter().for_each(|x| f(f64::from(*x))),
            Intensities::Double(v) => v.iter().for_each(|x| f(*x)),
        }
    }

    /// The voxels over inclusive index ranges `[slice, row, column]`, as doubles, normalised by
    /// `normalizer` when there is one.
    pub fn block(
        &self,
        ranges: [(usize, usize); 3],
        normalizer: Option<&Normalizer>,
    ) -> Array3<f64> {
        let window = inclusive(ranges);
        match (self, normalizer) {
            (Intensities::Single(v), None) => v.slice(window).mapv(f64::from),
            (Intensities::Double(v), None) => v.slice(window).to_owned(),
            (Intensities::Single(v), Some(n)) => v.slice(window).mapv(|x| n.apply(f64::from(x))),
            (Intensities::Double(v), Some(n)) => v.slice(window).mapv(|x| n.apply(x)),
        }
    }
}

/// The regions features are computed on: as drawn (after resampling) and, when re-segmentation
/// is on, re-segmented.
pub struct Regions {
    pub drawn: Region,
    pub resegmented: Option<Region>,
}

/// The steps chosen, each optional.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Preprocessing {
    pub normalize: Option<Normalization>,
    pub resample: Option<Resampling>,
    pub resegment: Option<Resegmentation>,
    /// Masks off their image's grid are brought onto it by nearest neighbour when read
    /// (`resample mask=image`; see `align.rs`), instead of being refused.
    pub masks_onto_images: bool,
}

/// Why an image and mask cannot be prepared.
#[derive(Debug, Clone, PartialEq)]
pub enum PrepareError {
    /// Something about this image or region (one intensity only, a region re-segmented away):
    /// this patient is left out.
    Patient(String),
    /// The setting cannot run on this region at all (a resampling grid too large for memory):
    /// the whole command is refused.
    Setting(String),
}

impl std::fmt::Display for PrepareError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PrepareError::Patient(why) | PrepareError::Setting(why) => f.write_str(why),
        }
    }
}

/// An image and mask after normalisation and resampling.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    /// `[slice][row][column]`, in doubles.
    pub image: Array3<f64>,
    pub mask: Array3<u8>,
    pub geometry: Geometry,
}

impl Preprocessing {
    /// Whether any step is chosen.
    pub fn is_empty(&self) -> bool {
        self.normalize.is_none() && self.resample.is_none() && self.resegment.is_none()
    }

    /// Normalises, then resamples, one image (stored in its file as `samples`) with its mask,
    /// reading only the voxels the mask's region needs: the resampling grid's support, or (with
    /// no resampling) the mask's bounding box.
    pub fn prepare(
        &self,
        image: Intensities<'_>,
        samples: SampleType,
        mask: ArrayView3<'_, u8>,
        geometry: &Geometry,
    ) -> Result<Prepared, PrepareError> {
        let normalizer = match &self.normalize {
            Some(normalization) => Some(
                normalization
                    .fit(|f| image.for_each(f))
                    .map_err(PrepareError::Patient)?,
            ),
            None => None,
        };
        let samples = if normalizer.is_some() {
            SampleType::F64
        } else {
            samples
        };
        if let Some(resampling) = &self.resample
            && let Some(resampled) = resample::resample(
                image,
                normalizer.as_ref(),
                mask,
                geometry,
                samples,
                resampling,
            )
            .map_err(PrepareError::Setting)?
        {
            if resampled.mask.iter().all(|&m| m == 0) {
                let [x, y, z] = resampled.geometry.spacing;
                return Err(PrepareError::Patient(format!(
                    "resampled to {x} × {y} × {z} mm, the region keeps no voxel: no centre of the new grid falls in it; choose a finer spacing"
                )));
            }
            return Ok(Prepared {
                image: resampled.image,
                mask: resampled.mask,
                geometry: resampled.geometry,
            });
        }
        let Some((low, size)) = resample::bounding_box(mask) else {
            return Ok(Prepared {
                image: Array3::zeros((0, 0, 0)),
                mask: Array3::zeros((0, 0, 0)),
                geometry: *geometry,
            });
        };
        let ranges: [(usize, usize); 3] =
            std::array::from_fn(|a| (low[2 - a], low[2 - a] + size[2 - a] - 1));
        let window = inclusive(ranges);
        Ok(Prepared {
            image: image.block(ranges, normalizer.as_ref()),
            mask: mask.slice(window).to_owned(),
            geometry: Geometry {
                origin: geometry.position([low[0] as f64, low[1] as f64, low[2] as f64]),
                ..*geometry
            },
        })
    }

    /// The regions of one image and mask after every step, cut to the mask (for `planar`, its
    /// largest slice after resampling); `Ok(None)` for an empty mask.
    pub fn regions(
        &self,
        image: Intensities<'_>,
        samples: SampleType,
        mask: ArrayView3<'_, u8>,
        geometry: &Geometry,
        planar: bool,
    ) -> Result<Option<Regions>, PrepareError> {
        let prepared = self.prepare(image, samples, mask, geometry)?;
        let spacing = prepared.geometry.spacing;
        let (image, mask) = if planar {
            let largest = prepared
                .mask
                .outer_iter()
                .map(|slice| slice.iter().filter(|m| **m != 0).count())
                .enumerate()
                .max_by_key(|&(k, count)| (count, std::cmp::Reverse(k)))
                .filter(|&(_, count)| count > 0);
            let Some((k, _)) = largest else {
                return Ok(None);
            };
            let window = ndarray::s![k..k + 1, .., ..];
            (prepared.image.slice(window), prepared.mask.slice(window))
        } else {
            (prepared.image.view(), prepared.mask.view())
        };
        let Some(drawn) = Region::new(image, mask, spacing) else {
            return Ok(None);
        };
        let resegmented = match &self.resegment {
            None => None,
            Some(resegmentation) => {
                let kept =
                    resegment::resegment(drawn.image.view(), drawn.mask.view(), resegmentation)
                        .map_err(PrepareError::Patient)?;
                Region::new(drawn.image.view(), kept.mapv(u8::from).view(), spacing)
            }
        };
        Ok(Some(Regions { drawn, resegmented }))
    }

    /// The steps in words, in the order they run: "normalised (× 100, outliers clipped at ±3
    /// sd); resampled to 1 × 1 × 1 mm (B-spline); re-segmented to mean ± 3 sd".
    pub fn describe(&self) -> Vec<String> {
        let mut steps = Vec::new();
        if let Some(n) = &self.normalize {
            let mut text = "normalised to z-scores over the whole image".to_string();
            if n.scale != 1.0 {
                text.push_str(&format!(" × {}", n.scale));
            }
            if let Some(k) = n.outliers {
                text.push_str(&format!(", clipped at ±{k} sd"));
            }
            steps.push(text);
        }
        if let Some(r) = &self.resample {
            let axis = |s: f64| {
                if s == 0.0 {
                    "kept".to_string()
                } else {
                    format!("{s}")
                }
            };
            steps.push(format!(
                "resampled to {} × {} × {} mm ({})",
                axis(r.spacing[0]),
                axis(r.spacing[1]),
                axis(r.spacing[2]),
                r.interpolator.name()
            ));
        }
        if let Some(r) = &self.resegment {
            steps.push(format!("re-segmented to {}", r.describe()));
        }
        steps
    }
}
