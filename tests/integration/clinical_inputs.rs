//! Inputs from clinical work beyond the synthetic cohort's shape: images stored as doubles, and
//! masks with several lesions, against PyRadiomics 3.0.1.

use crate::support::{Run, read, root};
use radnomo::imaging::io::{read_mask, write_mask};
use serde_json::Value;

/// Feature comparisons with PyRadiomics: 1e-6 relative, 1e-9 absolute near zero, as every other.
fn close(ours: f64, theirs: f64) -> bool {
    (ours - theirs).abs() <= 1e-9f64.max(1e-6 * theirs.abs()) || (ours.is_nan() && theirs.is_nan())
}

/// Runs `script` (`{csv}` stands for the features file it exports), then checks the exported
/// `row` against every PyRadiomics feature in `reference`; returns how many were compared.
fn equals_pyradiomics(script: &str, csv: &std::path::Path, row: usize, reference: &Value) -> usize {
    Run::script(&script.replace("{csv}", &csv.display().to_string())).succeeds();
    let (header, rows) = csv_rows(csv);
    let mut compared = 0;
    for (key, theirs) in reference.as_object().unwrap() {
        let theirs = theirs.as_f64().unwrap();
        let at = header.iter().position(|h| h == key).expect(key);
        let ours: f64 = rows[row][at].parse().unwrap();
        assert!(
            close(ours, theirs),
            "{script}: {key} = {ours}, PyRadiomics {theirs}"
        );
        compared += 1;
    }
    compared
}

/// A features CSV's header and data rows.
fn csv_rows(path: &std::path::Path) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap().split(',').map(String::from).collect();
    let rows = lines
        .map(|line| line.split(',').map(String::from).collect())
        .collect();
    (header, rows)
}

/// Every feature of a float64 phantom whose intensities sit on and 1e-9 beside the bin edges
/// equals PyRadiomics 3.0.1's on the same doubles (tests/fixtures/float64, make_reference.py) —
/// read from NRRD and from NIfTI — within 1e-6 relative (1e-9 absolute near zero), as every
/// feature comparison. Cast to float32, most of them would not: the fixture records which.
#[test]
fn float64_images_keep_their_precision() {
    let reference: Value =
        serde_json::from_str(&read("tests/fixtures/float64/reference.json")).unwrap();
    let differing = reference["differing_when_cast_to_float32"]
        .as_array()
        .unwrap()
        .len();
    assert!(
        differing > 40,
        "the phantom must tell doubles from floats ({differing})"
    );
    let folder = root().join("tests/fixtures/float64");
    let dir = crate::cli::tempfile_folder("float64");
    for image in ["phantom_image.nrrd", "phantom_image.nii.gz"] {
        let script = format!(
            "load case \"{0}/{image}\" \"{0}/phantom_mask.nrrd\"; extract all dim=3d binwidth=25; export features \"{{csv}}\"",
            folder.display()
        );
        let csv = dir.join(format!("{image}.csv"));
        let compared = equals_pyradiomics(&script, &csv, 0, &reference["features"]);
        assert_eq!(compared, 107, "{image}");
    }
}

/// A mask with two lesions — PyRadiomics's breast1 tumour and a larger block added far from it —
/// gives with `lesions=each` one row per lesion, largest first: the second row is breast1's
/// tumour alone, equal to PyRadiomics's 107 features of breast1 (tests/fixtures/pyradiomics),
/// and the first equals `lesions=largest`. Models then refuse the lesion rows, naming the choice.
#[test]
fn each_lesion_gets_a_row_equal_to_pyradiomics_on_that_lesion_alone() {
    let cases = root().join("tests/fixtures/pyradiomics-cases");
    let dir = crate::cli::tempfile_folder("lesions-each");
    let mut mask = read_mask(&cases.join("breast1_label.nrrd")).unwrap();
    assert_eq!(mask.count(), 143);
    // 3 × 8 × 7 = 168 voxels in slices 2–4, rows 100–107, columns 5–11: apart from breast1's.
    mask.labels
        .slice_mut(ndarray::s![2..5, 100..108, 5..12])
        .fill(1);
    let two = dir.join("two_lesions.nrrd");
    write_mask(&two, &mask).unwrap();
    let (each, largest) = (dir.join("each.csv"), dir.join("largest.csv"));
    let run = Run::script(&format!(
        "load case \"{}\" \"{}\"; extract all dim=3d lesions=each; export features \"{}\"; \
         extract all dim=3d lesions=largest; export features \"{}\"",
        cases.join("breast1_image.nrrd").display(),
        two.display(),
        each.display(),
        largest.display()
    ))
    .succeeds();
    run.stdout_has("each lesion has a row of its own")
        .stdout_has("wrote 2 lesions of 1 patients");
    // `show patient` numbers the lesions as `lesions=each` does: the added block (lesion 1) is
    // on slice 3, breast1's tumour (lesion 2) on its largest slice, 10.
    Run::script(&format!(
        "load case \"{}\" \"{}\"; show patient breast1_image slice=3; show patient breast1_image",
        cases.join("breast1_image.nrrd").display(),
        two.display()
    ))
    .succeeds()
    .stdout_has("the mask holds 2 lesions, numbered as `extract lesions=each` numbers them (largest first); on this slice: 1\n")
    .stdout_has("slice 10: mask 36.2 mm²")
    .stdout_has("on this slice: 2\n");
    let reference: Value =
        serde_json::from_str(&read("tests/fixtures/pyradiomics/reference.json")).unwrap();
    let breast1 = reference["configurations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["case"] == "breast1" && c["dim"] == "3d")
        .unwrap();
    let (header, rows) = csv_rows(&each);
    assert_eq!(rows.len(), 2);
    let lesion = header.iter().position(|h| h == "lesion").unwrap();
    assert_eq!(
        (rows[0][lesion].as_str(), rows[1][lesion].as_str()),
        ("1", "2")
    );
    let mut compared = 0;
    for (key, theirs) in breast1["features"].as_object().unwrap() {
        let at = header.iter().position(|h| h == key).expect(key);
        let ours: f64 = rows[1][at].parse().unwrap();
        let theirs = theirs.as_f64().unwrap();
        assert!(
            close(ours, theirs),
            "lesion 2: {key} = {ours}, PyRadiomics {theirs}"
        );
        compared += 1;
    }
    assert_eq!(compared, 107);
    // Lesion 1 is the added block: 168 voxels of 0.664062 × 0.664062 × 2.1 mm.
    let volume = header
        .iter()
        .position(|h| h == "shape_VoxelVolume")
        .unwrap();
    let expected = 168.0 * 0.664062 * 0.664062 * 2.1;
    let ours: f64 = rows[0][volume].parse().unwrap();
    assert!(
        (ours - expected).abs() < 1e-6 * expected,
        "{ours} vs {expected}"
    );
    let (largest_header, largest_rows) = csv_rows(&largest);
    for (at, name) in largest_header.iter().enumerate().skip(1) {
        let column = header.iter().position(|h| h == name).unwrap();
        assert_eq!(largest_rows[0][at], rows[0][column], "{name}");
    }
    Run::script(&format!(
        "load case \"{}\" \"{}\"; extract firstorder dim=3d lesions=each; fit firstorder_Mean",
        cases.join("breast1_image.nrrd").display(),
        two.display()
    ))
    .fails()
    .stderr_has("one row per lesion (2 rows for 1 patient(s)")
    .stderr_has("`extract lesions=largest`");
}

/// A folder cohort whose mask is on another grid than its image's: refused with what differs and
/// the command that brings it onto the image's grid; after `resample mask=image` the patient
/// loads, and its features equal those of the mask on the image's own grid (the mask comes back
/// voxel for voxel: 143 voxels).
#[test]
fn a_cohort_mask_off_its_images_grid_is_brought_onto_it_only_when_asked() {
    let cases = root().join("tests/fixtures/pyradiomics-cases");
    let cohort = crate::cli::tempfile_folder("mask-other-grid");
    for (id, mask) in [
        (
            "B1",
            root().join("tests/fixtures/preprocess/resampled/breast1_mask_other_grid.nrrd"),
        ),
        ("B2", cases.join("breast1_label.nrrd")),
    ] {
        let images = cohort.join("images").join(id);
        std::fs::create_dir_all(&images).unwrap();
        std::fs::copy(
            cases.join("breast1_image.nrrd"),
            images.join("phase_1.nrrd"),
        )
        .unwrap();
        std::fs::create_dir_all(cohort.join("masks")).unwrap();
        std::fs::copy(mask, cohort.join("masks").join(format!("{id}.nrrd"))).unwrap();
    }
    std::fs::write(cohort.join("clinical.csv"), "id,aln\nB1,1\nB2,0\n").unwrap();
    let mut refused = radnomo::Session::new();
    let output = refused
        .execute(&format!("load cohort \"{}\"", cohort.display()))
        .unwrap();
    let text = format!("{output:?}");
    assert!(text.contains("does not lie on the image"), "{text}");
    assert!(
        text.contains("`resample mask=image` before `load cohort`"),
        "{text}"
    );
    assert_eq!(refused.state().images.as_ref().unwrap().patients.len(), 1);
    let mut session = radnomo::Session::new();
    session
        .execute(&format!(
            "resample mask=image; load cohort \"{}\"; extract all dim=3d",
            cohort.display()
        ))
        .unwrap();
    let images = session.state().images.clone().unwrap();
    assert_eq!(images.patients.len(), 2);
    assert_eq!(
        images.patients[0].given_mask().unwrap().unwrap().count(),
        143
    );
    let data = session.state().data.as_ref().unwrap();
    for feature in ["firstorder_Mean", "glcm_Contrast", "shape_Sphericity"] {
        let values = data.numbers(feature).unwrap();
        assert_eq!(values[0], values[1], "{feature}");
    }
}

/// A slice saved as a 2-D image (NRRD and NIfTI, as SimpleITK writes them) loads as a one-slice
/// image with no thickness and gives PyRadiomics's 2-D features of the same 2-D files
/// (tests/fixtures/two-d, make_reference.py); 3-D features, a 3-D mask with it, and writing it
/// out as a 3-D volume are refused, never given an invented thickness.
#[test]
fn a_2d_image_is_one_slice_and_gives_pyradiomics_2d_features() {
    let folder = root().join("tests/fixtures/two-d");
    let reference: Value =
        serde_json::from_str(&read("tests/fixtures/two-d/reference.json")).unwrap();
    let dir = crate::cli::tempfile_folder("two-d");
    for image in ["breast1_slice.nrrd", "breast1_slice.nii.gz"] {
        let script = format!(
            "load case \"{0}/{image}\" \"{0}/breast1_slice_mask.nrrd\"; extract all; export features \"{{csv}}\"",
            folder.display()
        );
        let csv = dir.join(format!("{image}.csv"));
        let compared = equals_pyradiomics(&script, &csv, 0, &reference["features"]);
        assert_eq!(compared, 102, "{image}");
        // No 3-D shape: it would need the thickness a 2-D image does not have.
        let (header, _) = csv_rows(&csv);
        assert!(
            !header.iter().any(|h| h.starts_with("shape_")),
            "{header:?}"
        );
    }
    Run::script(&format!(
        "load case \"{0}/breast1_slice.nrrd\" \"{0}/breast1_slice_mask.nrrd\"; resample spacing=1,1,1; extract all",
        folder.display()
    ))
    .succeeds()
    .stdout_has("3-D shape features are left out for the 2-D images (breast1_slice): they have no slice thickness");
    Run::script(&format!(
        "load case \"{0}/breast1_slice.nrrd\" \"{0}/breast1_slice_mask.nrrd\"; extract shape",
        folder.display()
    ))
    .fails()
    .stderr_has("3-D shape features need a slice thickness, and these images are 2-D");
    Run::script(&format!(
        "load case \"{0}/breast1_slice.nrrd\" \"{0}/breast1_slice_mask.nrrd\"; extract all dim=3d",
        folder.display()
    ))
    .fails()
    .stderr_has(
        "a 2-D image (one slice, no slice thickness): 3-D features need a thickness; use `dim=2d`",
    );
    let slices = root().join("tests/fixtures/pyradiomics-cases/slices-2d");
    Run::script(&format!(
        "load case \"{}/breast1_slice.nrrd\" \"{}/breast1_L1_z9_mask.nrrd\"",
        folder.display(),
        slices.display()
    ))
    .fails()
    .stderr_has("a 2-D image (one slice, no thickness) against a 3-D volume");
    let out = dir.join("export");
    Run::script(&format!(
        "load case \"{0}/breast1_slice.nrrd\" \"{0}/breast1_slice_mask.nrrd\"; export cohort \"{1}\"",
        folder.display(),
        out.display()
    ))
    .fails()
    .stderr_has("is a 2-D image (one slice, no slice thickness); `export cohort` writes 3-D volumes");
}

/// Pre-processing runs the same on a folder cohort as on the cohort in memory: the synthetic
/// cohort exported and read back gives, after normalisation, in-plane resampling and
/// re-segmentation, the very features it gives in memory.
#[test]
fn pre_processing_gives_the_same_features_from_a_folder_cohort() {
    let folder = crate::cli::tempfile_folder("preprocess-cohort");
    let steps = "segment; normalize scale=100; resample spacing=0.5,0.5,0; \
                 resegment range=-3,3 mode=sigma; extract";
    let mut memory = radnomo::Session::new();
    memory
        .execute(&format!(
            "load cohort n=4 seed=5; export cohort \"{}\"; {steps}",
            folder.display()
        ))
        .unwrap();
    let mut files = radnomo::Session::new();
    let output = files
        .execute(&format!("load cohort \"{}\"; {steps}", folder.display()))
        .unwrap();
    assert!(
        format!("{output:?}").contains("pre-processed as PyRadiomics would with the same settings: normalised to z-scores over the whole image × 100; then resampled to 0.5 × 0.5 × kept mm (B-spline); then re-segmented to mean ± 3 sd"),
        "{output:?}"
    );
    let (a, b) = (
        memory.state().data.as_ref().unwrap(),
        files.state().data.as_ref().unwrap(),
    );
    assert_eq!(a.features.len(), 55);
    assert_eq!(a.features, b.features);
    for feature in &a.features {
        let (x, y) = (a.numbers(feature).unwrap(), b.numbers(feature).unwrap());
        assert_eq!(x, y, "{feature}");
        assert!(x.iter().all(Option::is_some), "{feature}: {x:?}");
    }
}
