//! Features against PyRadiomics 3.0.1 on its own test cases (tests/fixtures/pyradiomics/
//! reference.json, written by make_reference.py beside it): 3-D at bin width 25 on the whole
//! cases, 2-D on the largest axial slice (a one-slice volume, force2D) at bin width 25 and at
//! 32 bins.

use crate::support::{read, root};
use radnomo::features::{Discretisation, Family, Region, Settings, extract};
use radnomo::imaging::io::{read_image, read_mask};
use serde_json::Value;

/// Same formulas summed in another order: 1e-6 relative (the bar), 1e-9 absolute for
/// values near zero (entropies of flat regions are ±1e-16 there).
const RELATIVE: f64 = 1e-6;
const ABSOLUTE: f64 = 1e-9;

#[test]
fn every_feature_equals_pyradiomics_on_every_case() {
    let reference: Value =
        serde_json::from_str(&read("tests/fixtures/pyradiomics/reference.json")).unwrap();
    let cases = root().join("tests/fixtures/pyradiomics-cases");
    let mut compared = 0;
    let mut failures = Vec::new();
    for configuration in reference["configurations"].as_array().unwrap() {
        let image = read_image(&cases.join(configuration["image"].as_str().unwrap())).unwrap();
        let mask = read_mask(&cases.join(configuration["mask"].as_str().unwrap())).unwrap();
        let label = configuration["label"].as_u64().unwrap() as u8;
        let mask = mask.select(label);
        let region =
            Region::new(image.phase(0), mask.labels.view(), image.geometry.spacing).unwrap();
        let discretisation = match configuration["bin_count"].as_u64() {
            Some(bins) => Discretisation::BinCount(bins as usize),
            None => Discretisation::BinWidth(configuration["bin_width"].as_f64().unwrap()),
        };
        let settings = Settings {
            discretisation,
            ..Settings::default()
        };
        let ours: std::collections::HashMap<String, f64> =
            extract(&region, &Family::ALL, &settings)
                .unwrap()
                .into_iter()
                .collect();
        let name = format!(
            "{} label {} {} {}",
            configuration["case"].as_str().unwrap(),
            label,
            configuration["dim"].as_str().unwrap(),
            configuration["bin_count"]
                .as_u64()
                .map_or("bw25".to_string(), |b| format!("bc{b}"))
        );
        for (key, expected) in configuration["features"].as_object().unwrap() {
            let expected = expected.as_f64().unwrap();
            let Some(&actual) = ours.get(key) else {
                failures.push(format!("{name}: {key} not computed"));
                continue;
            };
            let close = (actual - expected).abs() <= ABSOLUTE.max(RELATIVE * expected.abs())
                || (actual.is_nan() && expected.is_nan());
            if !close {
                failures.push(format!("{name}: {key} = {actual}, PyRadiomics {expected}"));
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
    // Every value in the fixture: 7 cases × the 3-D families and 14 two-dimensional runs.
    assert_eq!(compared, 2177);
}

#[test]
fn the_study_preset_transforms_pyradiomics_values_as_documented() {
    let reference: Value =
        serde_json::from_str(&read("tests/fixtures/pyradiomics/reference.json")).unwrap();
    let configuration = reference["configurations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["case"] == "breast1_L1_z9" && c["bin_width"] == 25)
        .unwrap();
    let theirs = |key: &str| configuration["features"][key].as_f64().unwrap();
    let cases = root().join("tests/fixtures/pyradiomics-cases");
    let image = read_image(&cases.join(configuration["image"].as_str().unwrap())).unwrap();
    let mask = read_mask(&cases.join(configuration["mask"].as_str().unwrap())).unwrap();
    let region = Region::new(image.phase(0), mask.labels.view(), image.geometry.spacing).unwrap();
    let levels =
        radnomo::features::Discretised::new(&region, Discretisation::BinWidth(25.0)).unwrap();
    let ours: std::collections::HashMap<String, f64> =
        radnomo::features::study::features(&region, &levels)
            .into_iter()
            .collect();
    assert_eq!(ours.len(), 55);
    let n = region.voxel_count() as f64;
    let ln2 = std::f64::consts::LN_2;
    let expected = [
        (
            "firstorder_Variance_n1",
            theirs("firstorder_Variance") * n / (n - 1.0),
        ),
        (
            "firstorder_StandardDeviation_n1",
            (theirs("firstorder_Variance") * n / (n - 1.0)).sqrt(),
        ),
        ("firstorder_Entropy_ln", theirs("firstorder_Entropy") * ln2),
        ("glcm_JointEntropy_ln", theirs("glcm_JointEntropy") * ln2),
        ("glcm_SumEntropy_ln", theirs("glcm_SumEntropy") * ln2),
        (
            "glcm_DifferenceEntropy_ln",
            theirs("glcm_DifferenceEntropy") * ln2,
        ),
        ("glcm_SumVariance", theirs("glcm_ClusterTendency")),
        (
            "shape2D_SphericalDisproportion",
            1.0 / theirs("shape2D_Sphericity"),
        ),
        ("shape2D_Compactness2", theirs("shape2D_Sphericity").powi(2)),
        (
            "shape2D_Compactness1",
            theirs("shape2D_MeshSurface")
                / (std::f64::consts::PI.sqrt() * theirs("shape2D_Perimeter").powf(2.0 / 3.0)),
        ),
        ("glrlm_RunPercentage", theirs("glrlm_RunPercentage")),
        ("firstorder_Energy", theirs("firstorder_Energy")),
    ];
    for (key, value) in expected {
        assert!(
            (ours[key] - value).abs() <= RELATIVE * value.abs(),
            "{key}: {} vs {value}",
            ours[key]
        );
    }
    // IMC2 with natural logs lies below the log2 one for the same matrix (0 < Imc2 < 1).
    assert!(ours["glcm_Imc2_ln"] < theirs("glcm_Imc2") && ours["glcm_Imc2_ln"] > 0.0);
}

#[test]
fn extract_on_a_loaded_case_gives_pyradiomics_keys_and_values() {
    let cases = root().join("tests/fixtures/pyradiomics-cases/slices-2d");
    let dir = crate::cli::tempfile_folder("extract-case");
    let csv = dir.join("features.csv");
    crate::support::Run::script(&format!(
        "load case \"{0}/breast1_L1_z9_image.nrrd\" \"{0}/breast1_L1_z9_mask.nrrd\"; extract all bins=32; export features \"{1}\"",
        cases.display(),
        csv.display()
    ))
    .succeeds();
    let reference: Value =
        serde_json::from_str(&read("tests/fixtures/pyradiomics/reference.json")).unwrap();
    let configuration = reference["configurations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["case"] == "breast1_L1_z9" && c["bin_count"] == 32)
        .unwrap();
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let row: Vec<&str> = lines.next().unwrap().split(',').collect();
    let mut compared = 0;
    for (key, value) in configuration["features"].as_object().unwrap() {
        if let Some(at) = header.iter().position(|h| h == key) {
            let ours: f64 = row[at].parse().unwrap();
            let theirs = value.as_f64().unwrap();
            assert!(
                (ours - theirs).abs() <= ABSOLUTE.max(RELATIVE * theirs.abs()),
                "{key}: {ours} vs {theirs}"
            );
            compared += 1;
        }
    }
    assert_eq!(
        compared,
        configuration["features"].as_object().unwrap().len(),
        "every PyRadiomics key is a column"
    );
}

/// The values in a Parquet file written by `export features`, by column name (first row).
fn parquet_first_row(path: &std::path::Path) -> std::collections::HashMap<String, f64> {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;
    let reader = SerializedFileReader::new(std::fs::File::open(path).unwrap()).unwrap();
    let row = reader.get_row_iter(None).unwrap().next().unwrap().unwrap();
    row.into_columns()
        .into_iter()
        .filter_map(|(name, field)| match field {
            Field::Double(value) => Some((name, value)),
            _ => None,
        })
        .collect()
}

#[test]
fn parquet_under_pyradiomics_names_holds_only_pyradiomics_values() {
    let cases = root().join("tests/fixtures/pyradiomics-cases/slices-2d");
    let dir = crate::cli::tempfile_folder("export-parquet");
    let (study, ibsi) = (dir.join("study.parquet"), dir.join("ibsi.parquet"));
    let run = crate::support::Run::script(&format!(
        "load case \"{0}/breast1_L1_z9_image.nrrd\" \"{0}/breast1_L1_z9_mask.nrrd\"; \
         extract binwidth=25; export features \"{1}\" names=pyradiomics; \
         extract firstorder glcm binwidth=25 convention=ibsi; export features \"{2}\" names=pyradiomics",
        cases.display(),
        study.display(),
        ibsi.display()
    ))
    .succeeds();
    // The study preset's own conventions are named and left out.
    run.stdout_has("wrote 1 patients × 45 features")
        .stdout_has("left out 10 columns")
        .stdout_has("`firstorder_Variance_n1`: divides by N − 1");
    let reference: Value =
        serde_json::from_str(&read("tests/fixtures/pyradiomics/reference.json")).unwrap();
    let expected = &reference["configurations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["case"] == "breast1_L1_z9" && c["bin_width"] == 25)
        .unwrap()["features"];
    // Under the IBSI convention with a bin width, Kurtosis (excess), Entropy and Uniformity
    // (levels anchored at the minimum) and every GLCM feature depart; the rest of first order stays.
    let first_order = expected
        .as_object()
        .unwrap()
        .keys()
        .filter(|k| k.starts_with("firstorder_"))
        .count();
    for (path, columns) in [(&study, 45), (&ibsi, first_order - 3)] {
        let ours = parquet_first_row(path);
        assert_eq!(ours.len(), columns, "{}: {:?}", path.display(), ours.keys());
        for (key, value) in &ours {
            // PyRadiomics computes the deprecated SphericalDisproportion only when asked by name;
            // its formula there is 1 / Sphericity.
            let theirs = match key.as_str() {
                "shape2D_SphericalDisproportion" => {
                    1.0 / expected["shape2D_Sphericity"].as_f64().unwrap()
                }
                _ => expected[key]
                    .as_f64()
                    .unwrap_or_else(|| panic!("{key} not PyRadiomics's")),
            };
            assert!(
                (value - theirs).abs() <= ABSOLUTE.max(RELATIVE * theirs.abs()),
                "{key}: {value} vs {theirs}"
            );
        }
    }
}

#[test]
fn extraction_on_the_synthetic_cohort_is_the_same_on_one_and_two_threads() {
    let (features, stdout) = crate::support::features_on_one_and_two_threads(
        "extract-threads",
        "load cohort n=30; extract mask=truth",
    );
    assert!(stdout.contains("extracted the study's 55 features for 30 of 30 patients"));
    assert_eq!(features.lines().count(), 31);
}

#[test]
fn a_one_pixel_tumour_gets_missing_texture_named_by_patient_and_feature() {
    let dir = crate::cli::tempfile_folder("one-pixel");
    let mut session = radnomo::Session::new();
    session
        .execute(&format!(
            "load cohort n=2; export cohort \"{}\" truth=yes",
            dir.display()
        ))
        .unwrap();
    // P0002's finished mask becomes a single pixel.
    let path = dir.join("masks/P0002.nii.gz");
    let mut mask = read_mask(&path).unwrap();
    let k = mask.largest_slice().unwrap();
    let (row, column) = mask
        .slice(k)
        .indexed_iter()
        .find(|(_, v)| **v != 0)
        .unwrap()
        .0;
    mask.labels.fill(0);
    mask.labels[[k, row, column]] = 1;
    radnomo::imaging::io::write_mask(&path, &mask).unwrap();
    let output = session
        .execute(&format!(
            "load cohort \"{}\"; extract glcm firstorder",
            dir.display()
        ))
        .unwrap();
    let text = radnomo::render::json::result_document("extract", 1, &output, &[]).to_string();
    assert!(
        text.contains("by patient: P0002: glcm_Autocorrelation"),
        "{text}"
    );
    let data = session.state().data.as_ref().unwrap();
    let values = data.numbers("glcm_Contrast").unwrap();
    assert!(values[0].is_some() && values[1].is_none(), "{values:?}");
    assert_eq!(
        data.numbers("firstorder_Mean")
            .unwrap()
            .iter()
            .flatten()
            .count(),
        2
    );
}

#[test]
fn the_study_preset_refuses_another_convention_and_export_needs_a_known_format() {
    let cases = root().join("tests/fixtures/pyradiomics-cases/slices-2d");
    let load = format!(
        "load case \"{0}/breast1_L1_z9_image.nrrd\" \"{0}/breast1_L1_z9_mask.nrrd\"",
        cases.display()
    );
    crate::support::Run::script(&format!("{load}; extract aggregation=merged"))
        .fails()
        .stderr_has("the study's 55 features keep the study's own conventions");
    crate::support::Run::script(&format!("{load}; extract; export features out.xlsx"))
        .fails()
        .stderr_has("name a .csv or .parquet file");
}
