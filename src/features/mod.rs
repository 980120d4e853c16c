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
pub mod mesh;
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
    pub fn new<T: Copy + Into<f64>>(
        image: ArrayView3<'_, T>,
        mask: ArrayView3<'_, u8>,
        spacing: [f64; 3],
    ) -> Option<Region> {
        let (low, high) = crate::imaging::volume::labelled_extent(mask)?;
        let window = s![low[0]..=high[0], low[1]..=high[1], low[2]..=high[2]];
        Some(Region {
            image: image.slice(window).mapv(Into::into),
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

    /// Whether the family builds a grey-level matrix (GLCM, GLRLM, GLSZM, GLDM, NGTDM).
    pub fn is_texture(self) -> bool {
        !matches!(self, Family::FirstOrder | Family::Shape | Family::Shape2D)
    }

    pub fn from_key(key: &str) -> Option<Family> {
        Family::ALL
            .into_iter()
            .find(|f| f.key().eq_ignore_ascii_case(key))
    }
}

impl Family {
    /// The family's documentation as its source file states it (the `//!` lines: what it
    /// computes, `# Formula`, `# References`, `# Remarks`) — what `help feature` shows, so the
    /// help and the code's documentation are one text.
    pub fn documentation(self) -> String {
        let source = match self {
            Family::FirstOrder => include_str!("firstorder.rs"),
            Family::Shape2D => include_str!("shape2d.rs"),
            Family::Shape => include_str!("shape.rs"),
            Family::Glcm => include_str!("glcm.rs"),
            Family::Glrlm => include_str!("glrlm.rs"),
            Family::Glszm => include_str!("glszm.rs"),
            Family::Gldm => include_str!("gldm.rs"),
            Family::Ngtdm => include_str!("ngtdm.rs"),
        };
        module_documentation(source)
    }

    /// The keys this family computes (`glcm_Contrast`, …), found by computing it on a small
    /// fixed region.
    pub fn feature_keys(self) -> Vec<String> {
        let image = Array3::from_shape_fn((2, 4, 4), |(k, j, i)| {
            ((k * 7 + j * 3 + i * 5) % 6) as f32 * 30.0
        });
        let mask = Array3::from_elem((2, 4, 4), 1u8);
        let planar = self == Family::Shape2D;
        let region = if planar {
            Region::new(
                image.slice(s![0..1, .., ..]),
                mask.slice(s![0..1, .., ..]),
                [1.0; 3],
            )
        } else {
            Region::new(image.view(), mask.view(), [1.0; 3])
        };
        let region = region.expect("a full mask");
        extract(&region, &[self], &Settings::default())
            .expect("bin width 25 on a small range")
            .into_iter()
            .map(|(k, _)| k)
            .collect()
    }
}

/// The leading `//!` block of a source file, without the markers.
fn module_documentation(source: &str) -> String {
    source
        .lines()
        .take_while(|line| line.starts_with("//!"))
        .map(|line| {
            line.trim_start_matches("//!")
                .strip_prefix(' ')
                .unwrap_or(line.trim_start_matches("//!"))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// What `help feature KEY` shows for a feature key (`glcm_Contrast`, `firstorder_Variance_n1`):
/// the key and the documentation of its family (and of the study preset for its `_n1`/`_ln`
/// variants and the 2-D compactness features). `None` for an unknown family prefix.
pub fn feature_help(key: &str) -> Option<String> {
    let (prefix, name) = key.split_once('_')?;
    let family = Family::from_key(prefix)?;
    if !family.feature_keys().iter().any(|k| k == key) && !study::NAMES.contains(&key) {
        return None;
    }
    let mut text = format!(
        "{key} — a feature of the {} family ({name})\n\n{}",
        family.key(),
        family.documentation()
    );
    if study::NAMES.contains(&key)
        && (name.ends_with("_n1")
            || name.ends_with("_ln")
            || name.starts_with("Compactness")
            || name == "SphericalDisproportion"
            || name == "SumVariance")
    {
        text.push_str("\n\nThe study's convention for this feature:\n\n");
        text.push_str(&module_documentation(include_str!("study.rs")));
    }
    Some(text)
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
    /// How GLCM and GLRLM combine their directions.
    pub aggregation: Aggregation,
    /// Whose definition to follow where PyRadiomics and IBSI differ.
    pub convention: Convention,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            discretisation: Discretisation::BinWidth(25.0),
            shift: 0.0,
            aggregation: Aggregation::Averaged,
            convention: Convention::PyRadiomics,
        }
    }
}

/// How the direction matrices of GLCM and GLRLM become one value per feature (IBSI 1 §3.6.1,
/// "Aggregating features").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregation {
    /// Features computed on each direction's matrix, then averaged (PyRadiomics; IBSI
    /// "averaged").
    Averaged,
    /// The direction matrices summed into one, features computed once (IBSI "merged").
    Merged,
}

/// Where PyRadiomics and IBSI define a feature differently.
///
/// # Remarks
/// Under `Ibsi`: `firstorder_Kurtosis` is the excess kurtosis m₄/m₂² − 3 (IBSI IPH6; NaN for a
/// flat region, where PyRadiomics gives 0), and the 3-D axis lengths use the 1/(N − 1)
/// covariance of the voxel centres (IBSI's reference values; PyRadiomics's 1/N lengths are
/// 0.7 % shorter on the 74-voxel phantom). A fixed bin width is anchored at the region's
/// minimum (IBSI) rather than at 0 (PyRadiomics). Everything else is the same under both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Convention {
    PyRadiomics,
    Ibsi,
}

impl Settings {
    /// The discretisation actually applied: IBSI anchors a fixed bin width at the minimum.
    pub fn effective_discretisation(&self) -> Discretisation {
        match (self.convention, self.discretisation) {
            (Convention::Ibsi, Discretisation::BinWidth(w)) => Discretisation::IbsiBinWidth(w),
            (_, other) => other,
        }
    }

    /// Why feature `key`, computed with these settings, is not the value PyRadiomics gives under
    /// the same key (with the same bin width or count); `None` when it is.
    pub fn departure_from_pyradiomics(&self, key: &str) -> Option<&'static str> {
        let family = key.split('_').next().unwrap_or_default();
        let discretised = match family {
            "shape" | "shape2D" => false,
            "firstorder" => matches!(key, "firstorder_Entropy" | "firstorder_Uniformity"),
            _ => true,
        };
        if self.convention == Convention::Ibsi {
            if key == "firstorder_Kurtosis" {
                return Some("excess kurtosis (IBSI)");
            }
            if family == "shape" && key.ends_with("AxisLength") {
                return Some("axis lengths from the N − 1 covariance (IBSI)");
            }
            if discretised && self.effective_discretisation() != self.discretisation {
                return Some("bin width anchored at the region's minimum (IBSI)");
            }
        }
        if self.aggregation == Aggregation::Merged && matches!(family, "glcm" | "glrlm") {
            return Some("directions merged (IBSI)");
        }
        None
    }
}

/// Computes `families` on `region`. The region must not be empty. Families that do not apply
/// (2-D shape of a thick region) are skipped.
///
/// # Errors
/// When the discretisation would give the region more than [`discretise::MAX_BINS`] levels.
pub fn extract(
    region: &Region,
    families: &[Family],
    settings: &Settings,
) -> Result<Vec<FeatureValue>, discretise::TooManyBins> {
    let needs_levels = families
        .iter()
        .any(|f| !matches!(f, Family::Shape | Family::Shape2D));
    let levels = needs_levels
        .then(|| Discretised::new(region, settings.effective_discretisation()))
        .transpose()?;
    if let Some(levels) = &levels
        && families.iter().any(|f| f.is_texture())
    {
        levels.check_texture_levels()?;
    }
    let mut out = Vec::new();
    for &family in families {
        let values: Vec<(&str, f64)> = match family {
            Family::FirstOrder => {
                firstorder::features(region, levels.as_ref().expect("levels"), settings)
            }
            Family::Shape2D if region.is_planar() => shape2d::features(region),
            Family::Shape2D => Vec::new(),
            Family::Shape => shape::features(region, settings.convention),
            Family::Glcm => glcm::features(levels.as_ref().expect("levels"), settings.aggregation),
            Family::Glrlm => {
                glrlm::features(levels.as_ref().expect("levels"), settings.aggregation)
            }
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
    Ok(out)
}

/// Features of direction matrices, averaged over the directions or computed once on their sum.
pub fn aggregate(
    matrices: &[Vec<Vec<f64>>],
    aggregation: Aggregation,
    one_matrix: impl Fn(&[Vec<f64>]) -> Vec<(&'static str, f64)>,
) -> Vec<(&'static str, f64)> {
    match aggregation {
        Aggregation::Averaged => {
            let per_direction: Vec<_> = matrices.iter().map(|m| one_matrix(m)).collect();
            average_over_directions(&per_direction)
        }
        Aggregation::Merged => {
            let Some(first) = matrices.first() else {
                return Vec::new();
            };
            let mut sum = first.clone();
            for matrix in &matrices[1..] {
                for (row, other) in sum.iter_mut().zip(matrix) {
                    for (cell, value) in row.iter_mut().zip(other) {
                        *cell += value;
                    }
                }
            }
            one_matrix(&sum)
        }
    }
}

/// The mean over directions of each feature, NaN values left out (numpy's `nanmean`).
pub fn average_over_directions(
    per_direction: &[Vec<(&'static str, f64)>],
) -> Vec<(&'static str, f64)> {
    let Some(first) = per_direction.first() else {
        return Vec::new();
    };
    first
        .iter()
        .enumerate()
        .map(|(f, (name, _))| (*name, nan_mean(per_direction.iter().map(|d| d[f].1))))
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{Array3, Axis};

    /// A one-slice test region: a lumpy blob of pseudo-random intensities.
    fn blob(rows: usize, columns: usize, offset: (usize, usize)) -> (Array3<f32>, Array3<u8>) {
        let mut image = Array3::zeros((1, rows, columns));
        let mut mask = Array3::zeros((1, rows, columns));
        for r in 0..14 {
            for c in 0..12 {
                let inside = (r as f64 - 6.5).powi(2) / 49.0 + (c as f64 - 5.5).powi(2) / 30.0
                    < 1.0
                    || (r == 2 && c > 8);
                let value = ((r * 37 + c * 91 + r * c * 13) % 97) as f32 * 2.0 + 50.0;
                image[[0, r + offset.0, c + offset.1]] = value;
                mask[[0, r + offset.0, c + offset.1]] = u8::from(inside);
            }
        }
        (image, mask)
    }

    fn all(image: &Array3<f32>, mask: &Array3<u8>) -> Vec<FeatureValue> {
        let region = Region::new(image.view(), mask.view(), [0.7, 0.7, 2.0]).unwrap();
        extract(&region, &Family::ALL, &Settings::default()).unwrap()
    }

    fn assert_same(a: &[FeatureValue], b: &[FeatureValue], what: &str) {
        assert_eq!(a.len(), b.len());
        for ((name, x), (_, y)) in a.iter().zip(b) {
            assert!(
                (x - y).abs() <= 1e-9 * x.abs().max(1.0),
                "{what}: {name} {x} vs {y}"
            );
        }
    }

    #[test]
    fn features_do_not_move_when_the_region_does() {
        let (image, mask) = blob(20, 20, (1, 2));
        let (moved_image, moved_mask) = blob(30, 25, (12, 9));
        assert_same(
            &all(&image, &mask),
            &all(&moved_image, &moved_mask),
            "translation",
        );
    }

    #[test]
    fn a_quarter_turn_leaves_direction_averaged_features_unchanged() {
        let (image, mask) = blob(20, 20, (3, 3));
        // Rotate the slice by 90°: transpose rows and columns, then flip the columns.
        let turn = |a: &Array3<f32>| {
            let mut t = a.clone();
            t.swap_axes(1, 2);
            t.invert_axis(Axis(2));
            t.as_standard_layout().to_owned()
        };
        let turned_mask = {
            let mut t = mask.clone();
            t.swap_axes(1, 2);
            t.invert_axis(Axis(2));
            t.as_standard_layout().to_owned()
        };
        // A quarter turn in the slice swaps the planes of equal row and equal column.
        let swap_planes = |name: &str| match name {
            "shape_Maximum2DDiameterColumn" => "shape_Maximum2DDiameterRow".to_string(),
            "shape_Maximum2DDiameterRow" => "shape_Maximum2DDiameterColumn".to_string(),
            other => other.to_string(),
        };
        let turned = all(&turn(&image), &turned_mask);
        let unturned: Vec<FeatureValue> = all(&image, &mask)
            .into_iter()
            .map(|(name, _)| {
                let key = swap_planes(&name);
                (name, turned.iter().find(|(k, _)| *k == key).unwrap().1)
            })
            .collect();
        assert_same(&all(&image, &mask), &unturned, "rotation");
    }

    #[test]
    fn co_occurrence_matrices_are_symmetric() {
        let (image, mask) = blob(20, 20, (0, 0));
        let region = Region::new(image.view(), mask.view(), [1.0, 1.0, 1.0]).unwrap();
        let levels = Discretised::new(&region, Discretisation::BinCount(8)).unwrap();
        let matrices = glcm::matrices(&levels);
        assert_eq!(
            matrices.len(),
            4,
            "a one-slice region has the 4 in-plane directions"
        );
        for counts in &matrices {
            for (i, row) in counts.iter().enumerate() {
                for (j, value) in row.iter().enumerate() {
                    assert_eq!(*value, counts[j][i]);
                }
            }
        }
    }

    #[test]
    fn feature_help_is_the_family_documentation() {
        let text = feature_help("glcm_Contrast").unwrap();
        assert!(
            text.starts_with("glcm_Contrast — a feature of the glcm family"),
            "{text}"
        );
        assert!(
            text.contains("# Formula") && text.contains("Contrast Σ (g_i − g_j)² p"),
            "{text}"
        );
        assert!(
            feature_help("firstorder_Variance_n1")
                .unwrap()
                .contains("divide by N − 1")
        );
        assert_eq!(feature_help("nothing_Here"), None);
        assert_eq!(feature_help("glcm_Nope"), None);
        assert!(feature_help("firstorder_10Percentile").is_some());
        assert_eq!(Family::Glcm.feature_keys().len(), 24);
    }

    #[test]
    fn a_flat_region_follows_pyradiomics_conventions() {
        let image = Array3::from_elem((1, 6, 6), 100.0f32);
        let mask = Array3::from_elem((1, 6, 6), 1u8);
        let values: std::collections::HashMap<String, f64> =
            all(&image, &mask).into_iter().collect();
        assert_eq!(values["glcm_Correlation"], 1.0);
        assert_eq!(values["glcm_Imc1"], 0.0);
        assert_eq!(values["firstorder_Kurtosis"], 0.0);
        assert_eq!(values["firstorder_Skewness"], 0.0);
        assert_eq!(values["ngtdm_Coarseness"], 1e6);
        assert!(values["glcm_JointEntropy"].abs() < 1e-12);
    }
}
