//! The study's 55 features (`extract` with no family): 14 first-order, 8 2-D shape, 22 GLCM and
//! 11 GLRLM — the non-wavelet Aerts et al. (2014) set that the study's MATLAB tool computed —
//! with the conventions where that tool differs from PyRadiomics, each named so it is never
//! mistaken for PyRadiomics's value:
//!
//! - `firstorder_Variance_n1`, `firstorder_StandardDeviation_n1`: divide by N − 1 (MATLAB `var`,
//!   `std`), i.e. PyRadiomics's Variance × N/(N − 1);
//! - `firstorder_Entropy_ln`, `glcm_JointEntropy_ln`, `glcm_SumEntropy_ln`,
//!   `glcm_DifferenceEntropy_ln`: natural logarithms (PyRadiomics's log₂ value × ln 2);
//! - `glcm_Imc2_ln`: IMC2 from natural-log entropies, √(1 − (1 − Imc2²)^{ln 2}) per direction,
//!   then averaged;
//! - `glcm_SumVariance`: Σ (k − SumAverage)² p_{x+y}(k), which equals ClusterTendency (kept because
//!   the study counts both);
//! - `shape2D_SphericalDisproportion` P/(2√(πA)), `shape2D_Compactness2` 4πA/P², and
//!   `shape2D_Compactness1` A/(√π P^{2/3}), the 3-D formula as Aerts printed it with area for
//!   volume and perimeter for surface (no standard 2-D form exists; IBSI's correction would be
//!   P^{3/2}).
//!
//! Every other feature is PyRadiomics's, under its key.
//!
//! # References
//! Aerts et al., Nat Commun 5:4006 (2014), supplementary feature definitions; the study's
//! feature list (14 first-order, 8 shape, 22 GLCM, 11 GLRLM) and its MATLAB platform.

use super::{
    Aggregation, Discretised, FeatureValue, Region, Settings, firstorder, glcm, glrlm, shape2d,
};

/// Why study column `name` is not PyRadiomics's value under that key; `None` when it is.
pub fn departure_from_pyradiomics(name: &str) -> Option<&'static str> {
    if name.ends_with("_n1") {
        Some("divides by N − 1 (the study's MATLAB)")
    } else if name.ends_with("_ln") {
        Some("natural logarithms (the study's MATLAB)")
    } else {
        match name {
            "shape2D_Compactness1" | "shape2D_Compactness2" => {
                Some("no PyRadiomics counterpart (the study's 2-D port of a 3-D formula)")
            }
            "glcm_SumVariance" => Some("not in PyRadiomics 3 (it equals ClusterTendency)"),
            _ => None,
        }
    }
}

/// The 55 column names, in the order the study lists its families.
pub const NAMES: [&str; 55] = [
    "firstorder_Energy",
    "firstorder_Entropy_ln",
    "firstorder_Kurtosis",
    "firstorder_Maximum",
    "firstorder_Mean",
    "firstorder_MeanAbsoluteDeviation",
    "firstorder_Median",
    "firstorder_Minimum",
    "firstorder_Range",
    "firstorder_RootMeanSquared",
    "firstorder_Skewness",
    "firstorder_StandardDeviation_n1",
    "firstorder_Uniformity",
    "firstorder_Variance_n1",
    "shape2D_MeshSurface",
    "shape2D_Perimeter",
    "shape2D_PerimeterSurfaceRatio",
    "shape2D_Sphericity",
    "shape2D_SphericalDisproportion",
    "shape2D_MaximumDiameter",
    "shape2D_Compactness1",
    "shape2D_Compactness2",
    "glcm_Autocorrelation",
    "glcm_ClusterProminence",
    "glcm_ClusterShade",
    "glcm_ClusterTendency",
    "glcm_Contrast",
    "glcm_Correlation",
    "glcm_DifferenceEntropy_ln",
    "glcm_DifferenceAverage",
    "glcm_JointEnergy",
    "glcm_JointEntropy_ln",
    "glcm_Id",
    "glcm_Idm",
    "glcm_Imc1",
    "glcm_Imc2_ln",
    "glcm_Idmn",
    "glcm_Idn",
    "glcm_InverseVariance",
    "glcm_MaximumProbability",
    "glcm_SumAverage",
    "glcm_SumEntropy_ln",
    "glcm_SumVariance",
    "glcm_SumSquares",
    "glrlm_ShortRunEmphasis",
    "glrlm_LongRunEmphasis",
    "glrlm_GrayLevelNonUniformity",
    "glrlm_RunLengthNonUniformity",
    "glrlm_RunPercentage",
    "glrlm_LowGrayLevelRunEmphasis",
    "glrlm_HighGrayLevelRunEmphasis",
    "glrlm_ShortRunLowGrayLevelEmphasis",
    "glrlm_ShortRunHighGrayLevelEmphasis",
    "glrlm_LongRunLowGrayLevelEmphasis",
    "glrlm_LongRunHighGrayLevelEmphasis",
];

/// The 55 study features of a one-slice region, in [`NAMES`] order.
pub fn features(region: &Region, levels: &Discretised) -> Vec<FeatureValue> {
    let ln2 = std::f64::consts::LN_2;
    let mut all: Vec<(String, f64)> = Vec::new();
    let mut add = |prefix: &str, values: Vec<(&str, f64)>| {
        all.extend(
            values
                .into_iter()
                .map(|(name, v)| (format!("{prefix}_{name}"), v)),
        );
    };
    let first = firstorder::features(region, levels, &Settings::default());
    let n = region.voxel_count() as f64;
    let get = |values: &[(&str, f64)], key: &str| {
        values
            .iter()
            .find(|(k, _)| *k == key)
            .map_or(f64::NAN, |v| v.1)
    };
    let variance_n1 = if n > 1.0 {
        get(&first, "Variance") * n / (n - 1.0)
    } else {
        f64::NAN
    };
    add(
        "firstorder",
        vec![
            ("Entropy_ln", get(&first, "Entropy") * ln2),
            ("Variance_n1", variance_n1),
            ("StandardDeviation_n1", variance_n1.sqrt()),
        ],
    );
    add("firstorder", first);
    if region.is_planar() {
        let shape = shape2d::features(region);
        let (area, perimeter) = (get(&shape, "MeshSurface"), get(&shape, "Perimeter"));
        let pi = std::f64::consts::PI;
        add(
            "shape2D",
            vec![
                (
                    "SphericalDisproportion",
                    perimeter / (2.0 * (pi * area).sqrt()),
                ),
                (
                    "Compactness1",
                    area / (pi.sqrt() * perimeter.powf(2.0 / 3.0)),
                ),
                ("Compactness2", 4.0 * pi * area / (perimeter * perimeter)),
            ],
        );
        add("shape2D", shape);
    }
    let directions = glcm::per_direction(levels);
    let imc2_ln = super::nan_mean(directions.iter().map(|d| {
        let imc2 = get(d, "Imc2");
        (1.0 - (1.0 - imc2 * imc2).powf(ln2)).sqrt()
    }));
    let texture = super::average_over_directions(&directions);
    add(
        "glcm",
        vec![
            ("JointEntropy_ln", get(&texture, "JointEntropy") * ln2),
            ("SumEntropy_ln", get(&texture, "SumEntropy") * ln2),
            (
                "DifferenceEntropy_ln",
                get(&texture, "DifferenceEntropy") * ln2,
            ),
            ("Imc2_ln", imc2_ln),
            ("SumVariance", get(&texture, "ClusterTendency")),
        ],
    );
    add("glcm", texture);
    add("glrlm", glrlm::features(levels, Aggregation::Averaged));
    NAMES
        .iter()
        .map(|name| {
            let value = all
                .iter()
                .find(|(k, _)| k == name)
                .map_or(f64::NAN, |v| v.1);
            (name.to_string(), value)
        })
        .collect()
}
