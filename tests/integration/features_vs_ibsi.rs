//! Features on the IBSI 1 digital phantom against the IBSI reference values
//! (tests/fixtures/ibsi/: 74-voxel ROI, grey levels 1-6 kept as they are by a bin width of 1).
//! Features are computed under `convention=ibsi`. Texture is compared in the 3-D aggregations:
//! "3D, averaged" and "3D, merged" for GLCM and GLRLM (13 directions, features averaged or the
//! matrices summed), "3D" for GLSZM, NGTDM and NGLDM. Which IBSI feature is which radnomo key is
//! `tests/fixtures/ibsi/mapping.csv` (IBSI family, feature title, aggregation, radnomo key).

use crate::support::{read, root};
use radnomo::features::{
    Aggregation, Convention, Discretisation, Family, Region, Settings, extract,
};
use radnomo::imaging::io::{read_image, read_mask};
use std::collections::HashMap;

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
        .unwrap()
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
    let mapping = read("tests/fixtures/ibsi/mapping.csv");
    let mut mapping = csv::Reader::from_reader(mapping.as_bytes());
    let mapping: Vec<csv::StringRecord> = mapping.records().map(Result::unwrap).collect();
    assert_eq!(mapping.len(), 104, "mapped IBSI features");
    let mut failures = Vec::new();
    let mut compared = 0;
    for entry in &mapping {
        let (family, feature, aggregation, key) = (&entry[0], &entry[1], &entry[2], &entry[3]);
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
