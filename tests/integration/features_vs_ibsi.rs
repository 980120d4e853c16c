//! Features on the IBSI 1 digital phantom against the IBSI reference values
//! (tests/fixtures/ibsi/: 74-voxel ROI, grey levels 1-6 kept as they are by a bin width of 1).
//! Features are computed under `convention=ibsi`. Texture is compared in the 3-D aggregations:
//! "3D, averaged" and "3D, merged" for GLCM and GLRLM (13 directions, features averaged or the
//! matrices summed), "3D" for GLSZM, NGTDM and NGLDM.

use crate::support::{read, root};
use radnomo::features::{
    Aggregation, Convention, Discretisation, Family, Region, Settings, extract,
};
use radnomo::imaging::io::{read_image, read_mask};
use std::collections::HashMap;

/// (IBSI family, IBSI feature title, aggregation, radnomo key).
const MAPPING: &[(&str, &str, &str, &str)] = &[
    (
        "Morphological features",
        "Volume (mesh)",
        "",
        "shape_MeshVolume",
    ),
    (
        "Morphological features",
        "Volume (voxel counting)",
        "",
        "shape_VoxelVolume",
    ),
    (
        "Morphological features",
        "Surface area (mesh)",
        "",
        "shape_SurfaceArea",
    ),
    (
        "Morphological features",
        "Surface to volume ratio",
        "",
        "shape_SurfaceVolumeRatio",
    ),
    (
        "Morphological features",
        "Sphericity",
        "",
        "shape_Sphericity",
    ),
    (
        "Morphological features",
        "Maximum 3D diameter",
        "",
        "shape_Maximum3DDiameter",
    ),
    (
        "Morphological features",
        "Major axis length",
        "",
        "shape_MajorAxisLength",
    ),
    (
        "Morphological features",
        "Minor axis length",
        "",
        "shape_MinorAxisLength",
    ),
    (
        "Morphological features",
        "Least axis length",
        "",
        "shape_LeastAxisLength",
    ),
    (
        "Morphological features",
        "Elongation",
        "",
        "shape_Elongation",
    ),
    ("Morphological features", "Flatness", "", "shape_Flatness"),
    (
        "Intensity-based statistical features",
        "Mean intensity",
        "",
        "firstorder_Mean",
    ),
    (
        "Intensity-based statistical features",
        "Intensity variance",
        "",
        "firstorder_Variance",
    ),
    (
        "Intensity-based statistical features",
        "Intensity skewness",
        "",
        "firstorder_Skewness",
    ),
    (
        "Intensity-based statistical features",
        "(Excess) intensity kurtosis",
        "",
        "firstorder_Kurtosis",
    ),
    (
        "Intensity-based statistical features",
        "Median intensity",
        "",
        "firstorder_Median",
    ),
    (
        "Intensity-based statistical features",
        "Minimum intensity",
        "",
        "firstorder_Minimum",
    ),
    (
        "Intensity-based statistical features",
        "10th intensity percentile",
        "",
        "firstorder_10Percentile",
    ),
    (
        "Intensity-based statistical features",
        "90th intensity percentile",
        "",
        "firstorder_90Percentile",
    ),
    (
        "Intensity-based statistical features",
        "Maximum intensity",
        "",
        "firstorder_Maximum",
    ),
    (
        "Intensity-based statistical features",
        "Intensity interquartile range",
        "",
        "firstorder_InterquartileRange",
    ),
    (
        "Intensity-based statistical features",
        "Intensity range",
        "",
        "firstorder_Range",
    ),
    (
        "Intensity-based statistical features",
        "Intensity-based mean absolute deviation",
        "",
        "firstorder_MeanAbsoluteDeviation",
    ),
    (
        "Intensity-based statistical features",
        "Intensity-based robust mean absolute deviation",
        "",
        "firstorder_RobustMeanAbsoluteDeviation",
    ),
    (
        "Intensity-based statistical features",
        "Intensity-based energy",
        "",
        "firstorder_Energy",
    ),
    (
        "Intensity-based statistical features",
        "Root mean square intensity",
        "",
        "firstorder_RootMeanSquared",
    ),
    (
        "Intensity histogram features",
        "Discretised intensity entropy",
        "",
        "firstorder_Entropy",
    ),
    (
        "Intensity histogram features",
        "Discretised intensity uniformity",
        "",
        "firstorder_Uniformity",
    ),
    (
        "Grey level co-occurrence based features",
        "Joint maximum",
        "3D, averaged",
        "glcm_MaximumProbability",
    ),
    (
        "Grey level co-occurrence based features",
        "Joint average",
        "3D, averaged",
        "glcm_JointAverage",
    ),
    (
        "Grey level co-occurrence based features",
        "Joint variance",
        "3D, averaged",
        "glcm_SumSquares",
    ),
    (
        "Grey level co-occurrence based features",
        "Joint entropy",
        "3D, averaged",
        "glcm_JointEntropy",
    ),
    (
        "Grey level co-occurrence based features",
        "Difference average",
        "3D, averaged",
        "glcm_DifferenceAverage",
    ),
    (
        "Grey level co-occurrence based features",
        "Difference variance",
        "3D, averaged",
        "glcm_DifferenceVariance",
    ),
    (
        "Grey level co-occurrence based features",
        "Difference entropy",
        "3D, averaged",
        "glcm_DifferenceEntropy",
    ),
    (
        "Grey level co-occurrence based features",
        "Sum average",
        "3D, averaged",
        "glcm_SumAverage",
    ),
    (
        "Grey level co-occurrence based features",
        "Sum variance",
        "3D, averaged",
        "glcm_ClusterTendency",
    ),
    (
        "Grey level co-occurrence based features",
        "Sum entropy",
        "3D, averaged",
        "glcm_SumEntropy",
    ),
    (
        "Grey level co-occurrence based features",
        "Angular second moment",
        "3D, averaged",
        "glcm_JointEnergy",
    ),
    (
        "Grey level co-occurrence based features",
        "Contrast",
        "3D, averaged",
        "glcm_Contrast",
    ),
    (
        "Grey level co-occurrence based features",
        "Dissimilarity",
        "3D, averaged",
        "glcm_DifferenceAverage",
    ),
    (
        "Grey level co-occurrence based features",
        "Inverse difference",
        "3D, averaged",
        "glcm_Id",
    ),
    (
        "Grey level co-occurrence based features",
        "Normalised inverse difference",
        "3D, averaged",
        "glcm_Idn",
    ),
    (
        "Grey level co-occurrence based features",
        "Inverse difference moment",
        "3D, averaged",
        "glcm_Idm",
    ),
    (
        "Grey level co-occurrence based features",
        "Normalised inverse difference moment",
        "3D, averaged",
        "glcm_Idmn",
    ),
    (
        "Grey level co-occurrence based features",
        "Inverse variance",
        "3D, averaged",
        "glcm_InverseVariance",
    ),
    (
        "Grey level co-occurrence based features",
        "Correlation",
        "3D, averaged",
        "glcm_Correlation",
    ),
    (
        "Grey level co-occurrence based features",
        "Autocorrelation",
        "3D, averaged",
        "glcm_Autocorrelation",
    ),
    (
        "Grey level co-occurrence based features",
        "Cluster tendency",
        "3D, averaged",
        "glcm_ClusterTendency",
    ),
    (
        "Grey level co-occurrence based features",
        "Cluster shade",
        "3D, averaged",
        "glcm_ClusterShade",
    ),
    (
        "Grey level co-occurrence based features",
        "Cluster prominence",
        "3D, averaged",
        "glcm_ClusterProminence",
    ),
    (
        "Grey level co-occurrence based features",
        "Information correlation 1",
        "3D, averaged",
        "glcm_Imc1",
    ),
    (
        "Grey level co-occurrence based features",
        "Information correlation 2",
        "3D, averaged",
        "glcm_Imc2",
    ),
    (
        "Grey level run length based features",
        "Short runs emphasis",
        "3D, averaged",
        "glrlm_ShortRunEmphasis",
    ),
    (
        "Grey level run length based features",
        "Long runs emphasis",
        "3D, averaged",
        "glrlm_LongRunEmphasis",
    ),
    (
        "Grey level run length based features",
        "Low grey level run emphasis",
        "3D, averaged",
        "glrlm_LowGrayLevelRunEmphasis",
    ),
    (
        "Grey level run length based features",
        "High grey level run emphasis",
        "3D, averaged",
        "glrlm_HighGrayLevelRunEmphasis",
    ),
    (
        "Grey level run length based features",
        "Short run low grey level emphasis",
        "3D, averaged",
        "glrlm_ShortRunLowGrayLevelEmphasis",
    ),
    (
        "Grey level run length based features",
        "Short run high grey level emphasis",
        "3D, averaged",
        "glrlm_ShortRunHighGrayLevelEmphasis",
    ),
    (
        "Grey level run length based features",
        "Long run low grey level emphasis",
        "3D, averaged",
        "glrlm_LongRunLowGrayLevelEmphasis",
    ),
    (
        "Grey level run length based features",
        "Long run high grey level emphasis",
        "3D, averaged",
        "glrlm_LongRunHighGrayLevelEmphasis",
    ),
    (
        "Grey level run length based features",
        "Grey level non-uniformity",
        "3D, averaged",
        "glrlm_GrayLevelNonUniformity",
    ),
    (
        "Grey level run length based features",
        "Normalised grey level non-uniformity",
        "3D, averaged",
        "glrlm_GrayLevelNonUniformityNormalized",
    ),
    (
        "Grey level run length based features",
        "Run length non-uniformity",
        "3D, averaged",
        "glrlm_RunLengthNonUniformity",
    ),
    (
        "Grey level run length based features",
        "Normalised run length non-uniformity",
        "3D, averaged",
        "glrlm_RunLengthNonUniformityNormalized",
    ),
    (
        "Grey level run length based features",
        "Run percentage",
        "3D, averaged",
        "glrlm_RunPercentage",
    ),
    (
        "Grey level run length based features",
        "Grey level variance",
        "3D, averaged",
        "glrlm_GrayLevelVariance",
    ),
    (
        "Grey level run length based features",
        "Run length variance",
        "3D, averaged",
        "glrlm_RunVariance",
    ),
    (
        "Grey level run length based features",
        "Run entropy",
        "3D, averaged",
        "glrlm_RunEntropy",
    ),
    (
        "Grey level size zone based features",
        "Small zone emphasis",
        "3D",
        "glszm_SmallAreaEmphasis",
    ),
    (
        "Grey level size zone based features",
        "Large zone emphasis",
        "3D",
        "glszm_LargeAreaEmphasis",
    ),
    (
        "Grey level size zone based features",
        "Low grey level zone emphasis",
        "3D",
        "glszm_LowGrayLevelZoneEmphasis",
    ),
    (
        "Grey level size zone based features",
        "High grey level zone emphasis",
        "3D",
        "glszm_HighGrayLevelZoneEmphasis",
    ),
    (
        "Grey level size zone based features",
        "Small zone low grey level emphasis",
        "3D",
        "glszm_SmallAreaLowGrayLevelEmphasis",
    ),
    (
        "Grey level size zone based features",
        "Small zone high grey level emphasis",
        "3D",
        "glszm_SmallAreaHighGrayLevelEmphasis",
    ),
    (
        "Grey level size zone based features",
        "Large zone low grey level emphasis",
        "3D",
        "glszm_LargeAreaLowGrayLevelEmphasis",
    ),
    (
        "Grey level size zone based features",
        "Large zone high grey level emphasis",
        "3D",
        "glszm_LargeAreaHighGrayLevelEmphasis",
    ),
    (
        "Grey level size zone based features",
        "Grey level non-uniformity",
        "3D",
        "glszm_GrayLevelNonUniformity",
    ),
    (
        "Grey level size zone based features",
        "Normalised grey level non-uniformity",
        "3D",
        "glszm_GrayLevelNonUniformityNormalized",
    ),
    (
        "Grey level size zone based features",
        "Zone size non-uniformity",
        "3D",
        "glszm_SizeZoneNonUniformity",
    ),
    (
        "Grey level size zone based features",
        "Normalised zone size non-uniformity",
        "3D",
        "glszm_SizeZoneNonUniformityNormalized",
    ),
    (
        "Grey level size zone based features",
        "Zone percentage",
        "3D",
        "glszm_ZonePercentage",
    ),
    (
        "Grey level size zone based features",
        "Grey level variance",
        "3D",
        "glszm_GrayLevelVariance",
    ),
    (
        "Grey level size zone based features",
        "Zone size variance",
        "3D",
        "glszm_ZoneVariance",
    ),
    (
        "Grey level size zone based features",
        "Zone size entropy",
        "3D",
        "glszm_ZoneEntropy",
    ),
    (
        "Neighbourhood grey tone difference based features",
        "Coarseness",
        "3D",
        "ngtdm_Coarseness",
    ),
    (
        "Neighbourhood grey tone difference based features",
        "Contrast",
        "3D",
        "ngtdm_Contrast",
    ),
    (
        "Neighbourhood grey tone difference based features",
        "Busyness",
        "3D",
        "ngtdm_Busyness",
    ),
    (
        "Neighbourhood grey tone difference based features",
        "Complexity",
        "3D",
        "ngtdm_Complexity",
    ),
    (
        "Neighbourhood grey tone difference based features",
        "Strength",
        "3D",
        "ngtdm_Strength",
    ),
    (
        "Neighbouring grey level dependence based features",
        "Low dependence emphasis",
        "3D",
        "gldm_SmallDependenceEmphasis",
    ),
    (
        "Neighbouring grey level dependence based features",
        "High dependence emphasis",
        "3D",
        "gldm_LargeDependenceEmphasis",
    ),
    (
        "Neighbouring grey level dependence based features",
        "Low grey level count emphasis",
        "3D",
        "gldm_LowGrayLevelEmphasis",
    ),
    (
        "Neighbouring grey level dependence based features",
        "High grey level count emphasis",
        "3D",
        "gldm_HighGrayLevelEmphasis",
    ),
    (
        "Neighbouring grey level dependence based features",
        "Low dependence low grey level emphasis",
        "3D",
        "gldm_SmallDependenceLowGrayLevelEmphasis",
    ),
    (
        "Neighbouring grey level dependence based features",
        "Low dependence high grey level emphasis",
        "3D",
        "gldm_SmallDependenceHighGrayLevelEmphasis",
    ),
    (
        "Neighbouring grey level dependence based features",
        "High dependence low grey level emphasis",
        "3D",
        "gldm_LargeDependenceLowGrayLevelEmphasis",
    ),
    (
        "Neighbouring grey level dependence based features",
        "High dependence high grey level emphasis",
        "3D",
        "gldm_LargeDependenceHighGrayLevelEmphasis",
    ),
    (
        "Neighbouring grey level dependence based features",
        "Grey level non-uniformity",
        "3D",
        "gldm_GrayLevelNonUniformity",
    ),
    (
        "Neighbouring grey level dependence based features",
        "Dependence count non-uniformity",
        "3D",
        "gldm_DependenceNonUniformity",
    ),
    (
        "Neighbouring grey level dependence based features",
        "Normalised dependence count non-uniformity",
        "3D",
        "gldm_DependenceNonUniformityNormalized",
    ),
    (
        "Neighbouring grey level dependence based features",
        "Grey level variance",
        "3D",
        "gldm_GrayLevelVariance",
    ),
    (
        "Neighbouring grey level dependence based features",
        "Dependence count variance",
        "3D",
        "gldm_DependenceVariance",
    ),
    (
        "Neighbouring grey level dependence based features",
        "Dependence count entropy",
        "3D",
        "gldm_DependenceEntropy",
    ),
];

/// The manual prints 3 significant digits and gives a tolerance for few values: a value agrees
/// when it is within the tolerance or rounds to the printed digits (half a unit of the third).
fn agrees(ours: f64, value: f64, tolerance: Option<f64>) -> bool {
    let digits = if value == 0.0 {
        1e-3
    } else {
        0.5 * 10f64.powf(value.abs().log10().floor() - 2.0)
    };
    (ours - value).abs() <= digits.max(tolerance.unwrap_or(0.0)) * (1.0 + 1e-9)
}

/// The phantom's features under the IBSI convention (excess kurtosis, N − 1 axis lengths; the
/// bin width of 1 anchored at the minimum 1 keeps the grey levels 1–6) with `aggregation`.
fn phantom_features(aggregation: Aggregation) -> HashMap<String, f64> {
    let image = read_image(&root().join("tests/fixtures/ibsi/phantom.nii.gz")).unwrap();
    let mask = read_mask(&root().join("tests/fixtures/ibsi/mask.nii.gz")).unwrap();
    let region = Region::new(image.phase(0), mask.labels.view(), image.geometry.spacing).unwrap();
    let settings = Settings {
        discretisation: Discretisation::BinWidth(1.0),
        shift: 0.0,
        aggregation,
        convention: Convention::Ibsi,
    };
    extract(&region, &Family::ALL, &settings)
        .into_iter()
        .collect()
}

#[test]
fn every_mapped_feature_agrees_with_the_ibsi_phantom_reference() {
    let averaged = phantom_features(Aggregation::Averaged);
    let merged = phantom_features(Aggregation::Merged);
    let text = read("tests/fixtures/ibsi/ibsi1_digital_phantom_reference_values.csv");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let mut failures = Vec::new();
    let mut compared = 0;
    for &(family, feature, aggregation, key) in MAPPING {
        // GLCM and GLRLM are also checked merged: the 13 direction matrices summed into one.
        let mut variants = vec![(aggregation, &averaged)];
        if aggregation == "3D, averaged" {
            variants.push(("3D, merged", &merged));
        }
        for (aggregation, ours) in variants {
            let row = rows
                .iter()
                .find(|r| &r[0] == family && &r[1] == feature && &r[4] == aggregation)
                .unwrap_or_else(|| {
                    panic!("no IBSI value for {family} / {feature} / {aggregation}")
                });
            let value: f64 = row[5].parse().unwrap();
            let tolerance = row[6].parse().ok();
            let mine = ours[key];
            if !agrees(mine, value, tolerance) {
                failures.push(format!(
                    "{feature} ({aggregation}): radnomo {mine}, IBSI {value}"
                ));
            }
            compared += 1;
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {compared} differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // 104 mapped values (11 of them morphology), and the 25 GLCM and 16 GLRLM ones again merged.
    assert_eq!(compared, 145);
}
