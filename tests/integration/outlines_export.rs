//! ROIs and masks exported as DICOM RT structure sets and segmentations
//! (`export cohort … format=dicom outlines=rtstruct|seg`), read by the reference tools and by
//! radnomo itself.
//!
//! tests/fixtures/dicom-outlines holds plastimatch's rasterisation of the structure sets and
//! highdicom's reading of the segmentations radnomo wrote for the first two patients of its
//! built-in cohort (make_fixtures.py beside them; dciodvfy.txt is dciodvfy's report on them, with
//! no errors). Tolerance: none — the contours run along voxel edges, so no voxel centre lies on
//! one and every reader's rule gives the same voxels; a segmentation's frames are the mask's planes.

use crate::cli::tempfile_folder;
use crate::support::{Run, root};
use radnomo::imaging::io::read_image;
use radnomo::imaging::synthetic::SyntheticCohort;

#[test]
fn plastimatch_and_highdicom_read_radnomos_outlines_as_the_masks_they_were_written_from() {
    let cohort = SyntheticCohort::default();
    let fixtures = root().join("tests/fixtures/dicom-outlines");
    for (index, id) in ["P0001", "P0002"].into_iter().enumerate() {
        let patient = cohort.patient(index);
        for (which, mask) in [("roi", patient.roi()), ("tumour", patient.truth())] {
            let voxels = mask.labels.iter().filter(|v| **v > 0).count();
            assert!(voxels > 500, "{id} {which}: {voxels} voxels");
            for tool in ["plastimatch", "highdicom"] {
                let theirs =
                    read_image(&fixtures.join(format!("{tool}/{id}-{which}.nrrd"))).unwrap();
                assert!(
                    theirs.geometry.agrees_with(&mask.geometry).is_ok(),
                    "{tool} {id} {which}: {:?} vs {:?}",
                    theirs.geometry,
                    mask.geometry
                );
                let theirs = theirs.phase(0).mapv(|v| u8::from(v > 0.0));
                assert_eq!(theirs, mask.labels, "{tool} {id} {which}");
            }
        }
    }
    let report = std::fs::read_to_string(fixtures.join("dciodvfy.txt")).unwrap();
    assert_eq!(report.matches("RTStructureSet").count(), 2);
    assert_eq!(report.matches("\nSegmentation").count(), 2);
    assert!(!report.lines().any(|l| l.starts_with("Error")), "{report}");
}

#[test]
fn a_cohort_exported_with_structure_sets_or_segmentations_gives_the_features_of_its_nifti_export() {
    let folder = tempfile_folder("outlines-round-trip");
    let out = folder.display();
    let export = |name: &str, options: &str| {
        format!("export cohort \"{out}/{name}\" n=3 truth=yes {options}; ")
    };
    Run::script(&format!(
        "load cohort n=3; {}{}{}",
        export("nifti", ""),
        export("rtstruct", "format=dicom outlines=rtstruct"),
        export("seg", "format=dicom outlines=seg"),
    ))
    .succeeds()
    .stdout_has("(a DICOM series per patient, as DICOM RT structure sets): clinical.csv, images/, rois/ (3 ROIs), masks/ (3 true tumour masks)")
    .stdout_has("as DICOM segmentations");
    let mut tables = Vec::new();
    for name in ["nifti", "rtstruct", "seg"] {
        Run::script(&format!(
            "load cohort \"{out}/{name}\"; extract families=all; export features \"{out}/{name}.csv\""
        ))
        .succeeds()
        .stdout_has("3 patients have an ROI in rois/, 3 a finished mask in masks/");
        tables.push(std::fs::read_to_string(folder.join(format!("{name}.csv"))).unwrap());
    }
    assert!(tables[0].lines().count() == 4 && tables[0].contains("shape_VoxelVolume"));
    assert_eq!(tables[1], tables[0], "RT structure sets");
    assert_eq!(tables[2], tables[0], "segmentations");
    std::fs::remove_dir_all(&folder).unwrap();
}

#[test]
fn dicom_outlines_need_a_dicom_series_to_be_drawn_on() {
    let folder = tempfile_folder("outlines-refused");
    Run::script(&format!(
        "load cohort n=2; export cohort \"{}/x\" outlines=rtstruct",
        folder.display()
    ))
    .fails()
    .stderr_has("`outlines=rtstruct` writes DICOM objects that refer to the DICOM series they were drawn on; add `format=dicom`");
    assert!(!folder.join("x").exists());
    std::fs::remove_dir_all(&folder).unwrap();
}
