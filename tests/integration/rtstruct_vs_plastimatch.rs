//! RT structure sets against plastimatch and against the masks they were drawn from:
//! tests/fixtures/rtstruct (a series, a structure set, plastimatch's rasterisation of each
//! structure, and the masks rt-utils drew three of the structures from, all written by
//! make_fixtures.py beside them).
//!
//! Where contours pass between voxel centres ("Ellipse", with a hole), radnomo and plastimatch
//! agree voxel for voxel (tolerance: none). Where contours run through the centres of the boundary
//! voxels (rt-utils's "GTV", "Nodes", "Tiny"), radnomo gives back the drawn masks exactly, while
//! plastimatch's half-open rule drops the voxels on right and lower edges: there plastimatch's
//! masks are checked to lie inside radnomo's, and the Dice between them is reported.

use crate::support::root;
use radnomo::imaging::dicom::read_series;
use radnomo::imaging::io::read_mask;
use radnomo::imaging::rtstruct;
use radnomo::imaging::volume::Mask;

fn count(mask: &Mask) -> usize {
    mask.labels.iter().filter(|v| **v > 0).count()
}

#[test]
fn structures_equal_plastimatch_between_centres_and_the_drawn_masks_through_them() {
    let folder = root().join("tests/fixtures/rtstruct");
    let series = read_series(&folder.join("series")).unwrap();
    let shape = {
        let s = series.voxels.shape();
        [s[1], s[2], s[3]]
    };
    assert_eq!(shape, [10, 40, 48]);
    let set = rtstruct::read(&folder.join("rtss.dcm")).unwrap();
    let names: Vec<&str> = set.structures.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["GTV", "Nodes", "Tiny", "Ellipse"]);
    let ours = |name: &str| {
        rtstruct::read_mask(
            &folder.join("rtss.dcm"),
            Some(name),
            &series.geometry,
            shape,
            Some(&series.identity),
        )
        .unwrap()
        .0
    };
    let fixture = |path: String| {
        let mask = read_mask(&folder.join(path)).unwrap();
        assert!(mask.geometry.agrees_with(&series.geometry).is_ok());
        mask
    };
    let differing = |a: &Mask, b: &Mask| {
        a.labels
            .iter()
            .zip(b.labels.iter())
            .filter(|(x, y)| (**x > 0) != (**y > 0))
            .count()
    };
    // Between centres: equal to plastimatch.
    let ellipse = ours("Ellipse");
    let theirs = fixture("plastimatch/Ellipse.nrrd".into());
    assert_eq!(count(&ellipse), 1320);
    assert_eq!(differing(&ellipse, &theirs), 0);
    // Through centres: the drawn masks exactly; plastimatch inside them.
    for (name, drawn, plastimatch) in [("GTV", 1340, 1200), ("Nodes", 234, 174), ("Tiny", 9, 4)] {
        let mask = ours(name);
        let truth = fixture(format!("truth/{name}.nrrd"));
        let theirs = fixture(format!("plastimatch/{name}.nrrd"));
        assert_eq!(count(&truth), drawn, "{name}");
        assert_eq!(differing(&mask, &truth), 0, "{name}");
        assert_eq!(count(&theirs), plastimatch, "{name}");
        let outside = mask
            .labels
            .iter()
            .zip(theirs.labels.iter())
            .filter(|(ours, theirs)| **theirs > 0 && **ours == 0)
            .count();
        assert_eq!(
            outside, 0,
            "{name}: plastimatch voxels outside radnomo's mask"
        );
    }
}

#[test]
fn a_structure_set_of_another_series_or_a_missing_name_is_refused() {
    let folder = root().join("tests/fixtures/rtstruct");
    let series = read_series(&folder.join("series")).unwrap();
    let shape = [10, 40, 48];
    let rtss = folder.join("rtss.dcm");
    let error = rtstruct::read_mask(&rtss, None, &series.geometry, shape, Some(&series.identity))
        .unwrap_err()
        .to_string();
    assert!(
        error.ends_with("the structure set has 4 structures — `GTV`, `Nodes`, `Tiny`, `Ellipse`; choose one with `roi=NAME`"),
        "{error}"
    );
    let mut other = series.identity.clone();
    other.frame_of_reference = Some("1.2.3".into());
    let error = rtstruct::read_mask(&rtss, Some("gtv"), &series.geometry, shape, Some(&other))
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("the image's is 1.2.3: they were drawn on another scan"),
        "{error}"
    );
    let mut other = series.identity.clone();
    other.instances.clear();
    let error = rtstruct::read_mask(&rtss, Some("gtv"), &series.geometry, shape, Some(&other))
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("image(s) that are not slices of the series"),
        "{error}"
    );
    // Moved by a third of a slice: the contours no longer lie on slices.
    let mut moved = series.geometry;
    moved.origin[2] += 2.5 / 3.0;
    let error = rtstruct::read_mask(&rtss, Some("Tiny"), &moved, shape, None)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("does not lie on a slice of the image"),
        "{error}"
    );
}

#[test]
fn load_case_takes_a_structure_of_an_rt_structure_set() {
    let folder = "tests/fixtures/rtstruct";
    crate::support::Run::script(&format!(
        "load case {folder}/series {folder}/rtss.dcm roi=ellipse\nextract shape"
    ))
    .succeeds()
    .stdout_has("mask label 1: 1320 voxels on 3 slices");
    crate::support::Run::script(&format!("load case {folder}/series {folder}/rtss.dcm"))
        .fails()
        .stderr_has("rtss.dcm: the structure set has 4 structures — `GTV`, `Nodes`, `Tiny`, `Ellipse`; choose one with `roi=NAME`");
    crate::support::Run::script(&format!(
        "load case {folder}/series {folder}/truth/GTV.nrrd roi=GTV"
    ))
    .fails()
    .stderr_has("`roi=GTV` names a structure of an RT structure set or a segment of a DICOM segmentation, and this is a label mask");
    crate::support::Run::script(&format!("load case {folder}/series {folder} roi=GTV"))
        .fails()
        .stderr_has(
            "rtstruct: a folder; give the RT structure set or DICOM segmentation file itself",
        );
}

fn copy_folder(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
    }
}

#[test]
fn a_cohort_folder_takes_rt_structure_sets_as_rois() {
    let fixtures = root().join("tests/fixtures/rtstruct");
    let cohort = crate::cli::tempfile_folder("rtstruct-cohort");
    for id in ["RT1", "RT2"] {
        copy_folder(&fixtures.join("series"), &cohort.join("images").join(id));
    }
    std::fs::create_dir_all(cohort.join("rois/RT2")).unwrap();
    std::fs::copy(fixtures.join("rtss.dcm"), cohort.join("rois/RT1.dcm")).unwrap();
    std::fs::copy(fixtures.join("rtss.dcm"), cohort.join("rois/RT2/rtss.dcm")).unwrap();
    std::fs::write(cohort.join("clinical.csv"), "id,aln\nRT1,1\nRT2,0\n").unwrap();
    let mut session = radnomo::Session::new();
    let output = session
        .execute(&format!("load cohort \"{}\" roi=nodes", cohort.display()))
        .unwrap();
    let text = radnomo::render::json::result_document("load cohort", 1, &output, &[]).to_string();
    assert!(text.contains("loaded 2 of 2 patients"), "{text}");
    assert!(!text.contains("belong to no patient"), "{text}");
    let images = session.state().images.clone().unwrap();
    for patient in &images.patients {
        let roi = patient.roi().unwrap().unwrap();
        assert_eq!(roi.count(), 234, "{}", patient.id);
    }
    // Without roi=, the structure set's names are listed for each patient.
    let error = session
        .execute(&format!("load cohort \"{}\"", cohort.display()))
        .unwrap_err()
        .to_string();
    assert!(error.contains("choose one with `roi=NAME`"), "{error}");
}
