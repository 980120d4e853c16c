//! DICOM segmentations against highdicom: tests/fixtures/dicom-seg (a binary segmentation with
//! two segments and a fractional one, written by highdicom on the RT structure set fixture's
//! series, and highdicom's reading of each segment, by make_fixtures.py beside them). Binary
//! segments must equal highdicom's voxel for voxel; fractions within 1e-7 (both divide the stored
//! byte by 255 and round to single precision: the bound is half a unit in the last place).

use crate::support::{Run, root};
use radnomo::imaging::dicom::read_series;
use radnomo::imaging::dicom_seg;
use radnomo::imaging::io::read_image;

#[test]
fn binary_and_fractional_segments_equal_highdicoms_reading() {
    let fixtures = root().join("tests/fixtures");
    let series = read_series(&fixtures.join("rtstruct/series")).unwrap();
    let shape = [10, 40, 48];
    let binary = dicom_seg::read(&fixtures.join("dicom-seg/binary.dcm")).unwrap();
    let labels: Vec<(u16, &str)> = binary
        .segments
        .iter()
        .map(|s| (s.number, s.label.as_str()))
        .collect();
    assert_eq!(labels, [(1, "Tumour"), (2, "Nodes")]);
    assert_eq!(binary.fractional, None);
    for (number, voxels) in [(1, 1340.0), (2, 234.0)] {
        let ours = binary
            .fractions_on(number, &series.geometry, shape)
            .unwrap();
        let theirs =
            read_image(&fixtures.join(format!("dicom-seg/highdicom/binary-{number}.nrrd")))
                .unwrap();
        assert!(theirs.geometry.agrees_with(&series.geometry).is_ok());
        let theirs = theirs.phase(0);
        assert_eq!(ours, theirs, "segment {number}");
        assert_eq!(ours.sum(), voxels);
    }
    let fractional = dicom_seg::read(&fixtures.join("dicom-seg/fractional.dcm")).unwrap();
    assert_eq!(fractional.fractional, Some(255.0));
    let ours = fractional.fractions_on(1, &series.geometry, shape).unwrap();
    let theirs = read_image(&fixtures.join("dicom-seg/highdicom/fractional-1.nrrd")).unwrap();
    let worst = ours
        .iter()
        .zip(theirs.phase(0).iter())
        .map(|(a, b)| (a - b).abs())
        .fold(0f32, f32::max);
    assert!(worst <= 1e-7, "largest difference {worst}");
    assert_eq!(ours.iter().filter(|v| **v > 0.0).count(), 1575);
}

#[test]
fn load_case_reads_a_segment_and_asks_where_a_fractional_one_begins() {
    let folder = "tests/fixtures";
    let series = format!("{folder}/rtstruct/series");
    Run::script(&format!(
        "load case {series} {folder}/dicom-seg/binary.dcm roi=nodes"
    ))
    .succeeds()
    .stdout_has("mask label 1: 234 voxels on 3 slices");
    Run::script(&format!(
        "load case {series} {folder}/dicom-seg/binary.dcm roi=1"
    ))
    .succeeds()
    .stdout_has("mask label 1: 1340 voxels on 5 slices");
    Run::script(&format!("load case {series} {folder}/dicom-seg/binary.dcm"))
        .fails()
        .stderr_has("the segmentation has 2 segments — 1 `Tumour`, 2 `Nodes`; choose one with `roi=NUMBER` or `roi=LABEL`");
    Run::script(&format!("load case {series} {folder}/dicom-seg/fractional.dcm"))
        .fails()
        .stderr_has("segment 1 `Tumour` is fractional (probabilities or occupancy): say where the mask begins with `threshold=`");
    // The voxels whose fraction is at least 0.5 in highdicom's reading: 173.
    Run::script(&format!(
        "load case {series} {folder}/dicom-seg/fractional.dcm threshold=0.5"
    ))
    .succeeds()
    .stdout_has("mask label 1: 173 voxels");
    Run::script(&format!(
        "load case {series} {folder}/rtstruct/truth/GTV.nrrd threshold=0.5"
    ))
    .fails()
    .stderr_has("`threshold=` is for fractional DICOM segmentations; this is a label mask");
}

#[test]
fn a_cohort_folder_takes_segmentations_as_rois() {
    let fixtures = root().join("tests/fixtures");
    let cohort = crate::cli::tempfile_folder("seg-cohort");
    let images = cohort.join("images/S1");
    std::fs::create_dir_all(&images).unwrap();
    for entry in std::fs::read_dir(fixtures.join("rtstruct/series")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, images.join(path.file_name().unwrap())).unwrap();
    }
    std::fs::create_dir_all(cohort.join("rois")).unwrap();
    std::fs::copy(
        fixtures.join("dicom-seg/binary.dcm"),
        cohort.join("rois/S1.dcm"),
    )
    .unwrap();
    std::fs::write(cohort.join("clinical.csv"), "id,aln\nS1,1\n").unwrap();
    let mut session = radnomo::Session::new();
    session
        .execute(&format!("load cohort \"{}\" roi=Nodes", cohort.display()))
        .unwrap();
    let images = session.state().images.clone().unwrap();
    assert_eq!(images.patients[0].roi().unwrap().unwrap().count(), 234);
}
