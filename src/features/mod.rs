//! Radiomics features of an image region: one file per family (`firstorder.rs`, `shape2d.rs`,
//! `shape.rs`, `glcm.rs`, `glrlm.rs`, `glszm.rs`, `gldm.rs`, `ngtdm.rs`), the grey-level
//! discretisation they share (`discretise.rs`) and the neighbourhoods of the texture matrices
//! (`neighbours.rs`).
//!
//! Values follow PyRadiomics 3.0.1 (its names are the keys: `glcm_JointEntropy`), checked against
//! it on its own test cases; where the study's MATLAB tool or IBSI differ, the feature's doc
//! comment says so. 2-D analysis (the study's) is the 3-D computation on a one-slice region: the
//! neighbours off the slice do not exist, which leaves the 4 in-plane GLCM/GLRLM directions and 8
//! in-plane neighbours, exactly as PyRadiomics does with `force2D`.
//!
//! Knows nothing of the language or rendering; never prints.

pub mod discretise;
pub mod firstorder;
pub mod glcm;
pub mod gldm;
pub mod glrlm;
pub mod glszm;
pub mod neighbours;
pub mod ngtdm;
pub mod shape;
pub mod shape2d;
pub mod study;

pub use discretise::{Discretisation, Discretised};

use ndarray::{Array3, ArrayView3, s};

/// `numpy.spacing(1)`: the ε PyRadiomics adds inside every logarithm.
pub const EPSILON: f64 = f64::EPSILON;

/// A region to describe: intensities and a 0/1 mask on the same grid, cropped to the mask's
/// bounding box, and the voxel spacing (column, row, slice) in mm.
#[derive(Debug, Clone)]
pub struct Region {
    pub image: Array3<f64>,
    pub mask: Array3<bool>,
    pub spacing: [f64; 3],
}

impl Region {
    /// Crops `image` and `mask` (`[slice][row][column]`) to the mask's bounding box; `None` for
    /// an empty mask.
    pub fn new(
        image: ArrayView3<'_, f32>,
        mask: ArrayView3<'_, u8>,
        spacing: [f64; 3],
    ) -> Option<Region> {
        let mut low = [usize::MAX; 3];
        let mut high = [0usize; 3];
        for ((k, j, i), &m) in mask.indexed_iter() {
            if m != 0 {
                for (axis, v) in [k, j, i].into_iter().enumerate() {
                    low[axis] = low[axis].min(v);
                    high[axis] = high[axis].max(v);
                }
            }
        }
        if low[0] == usize::MAX {
            return None;
        }
        let window = s![low[0]..=high[0], low[1]..=high[1], low[2]..=high[2]];
        Some(Region {
            image: image.slice(window).mapv(f64::from),
            mask: mask.slice(window).mapv(|m| m != 0),
            spacing,
        })
    }

    /// The intensities inside the mask, in storage order.
    pub fn values(&self) -> Vec<f64> {
        self.image
            .iter()
            .zip(self.mask.iter())
            .filter(|&(_, &m)| m)
            .map(|(&v, _)| v)
            .collect()
    }

    pub fn voxel_count(&self) -> usize {
        self.mask.iter().filter(|&&m| m).count()
    }

    /// Whether the region is one slice thick (a 2-D analysis).
    pub fn is_planar(&self) -> bool {
        self.mask.shape()[0] == 1
    }
}

/// A feature family, named as PyRadiomics names its feature classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    FirstOrder,
    Shape2D,
    Shape,
    Glcm,
    Glrlm,
    Glszm,
    Gldm,
    Ngtdm,
}

impl Family {
    pub const ALL: [Family; 8] = [
        Family::FirstOrder,
        Family::Shape2D,
        Family::Shape,
        Family::Glcm,
        Family::Glrlm,
        Family::Glszm,
        Family::Gldm,
        Family::Ngtdm,
    ];

    /// PyRadiomics's class name: the prefix of its feature keys.
    pub fn key(self) -> &'static str {
        match self {
            Family::FirstOrder => "firstorder",
            Family::Shape2D => "shape2D",
            Family::Shape => "shape",
            Family::Glcm => "glcm",
            Family::Glrlm => "glrlm",
            Family::Glszm => "glszm",
            Family::Gldm => "gldm",
            Family::Ngtdm => "ngtdm",
        }
    }

    pub fn from_key(key: &str) -> Option<Family> {
        Family::ALL
            .into_iter()
            .find(|f| f.key().eq_ignore_ascii_case(key))
    }
}

/// One computed feature: its PyRadiomics-style key (`glcm_Contrast`) and value.
pub type FeatureValue = (String, f64);

/// Settings shared by every family.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    pub discretisation: Discretisation,
    /// Added to intensities in Energy, TotalEnergy and RootMeanSquared (PyRadiomics's
    /// `voxelArrayShift`).
    pub shift: f64,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            discretisation: Discretisation::BinWidth(25.0),
            shift: 0.0,
        }
    }
}

/// Computes `families` on `region`. The region must not be empty. Families that do not apply
/// (2-D shape of a thick region) are skipped.
pub fn extract(region: &Region, families: &[Family], settings: &Settings) -> Vec<FeatureValue> {
    let needs_levels = families
        .iter()
        .any(|f| !matches!(f, Family::Shape | Family::Shape2D));
    let levels = needs_levels.then(|| Discretised::new(region, settings.discretisation));
    let mut out = Vec::new();
    for &family in families {
        let values: Vec<(&str, f64)> = match family {
            Family::FirstOrder => {
                firstorder::features(region, levels.as_ref().expect("levels"), settings.shift)
            }
            Family::Shape2D if region.is_planar() => shape2d::features(region),
            Family::Shape2D => Vec::new(),
            Family::Shape => shape::features(region),
            Family::Glcm => glcm::features(levels.as_ref().expect("levels")),
            Family::Glrlm => glrlm::features(levels.as_ref().expect("levels")),
            Family::Glszm => glszm::features(levels.as_ref().expect("levels")),
            Family::Gldm => gldm::features(levels.as_ref().expect("levels")),
            Family::Ngtdm => ngtdm::features(levels.as_ref().expect("levels")),
        };
        out.extend(
            values
                .into_iter()
                .map(|(name, value)| (format!("{}_{name}", family.key()), value)),
        );
    }
    out
}

/// The mean of the non-NaN values (numpy's `nanmean`, with which PyRadiomics averages over
/// directions); NaN when there are none.
pub fn nan_mean(values: impl IntoIterator<Item = f64>) -> f64 {
    let (sum, n) = values
        .into_iter()
        .filter(|v| !v.is_nan())
        .fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    if n == 0 { f64::NAN } else { sum / n as f64 }
}
