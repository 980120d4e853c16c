//! `segment` on the synthetic cohort (issue 4, segmentation part): quality against the true
//! tumours, the result inside the ROI, and the same answer on one and two threads.

use crate::support::Run;

#[test]
fn segmentation_finds_the_synthetic_tumours_and_never_leaves_the_roi() {
    let mut session = radnomo::Session::new();
    session.execute("load cohort n=80; segment").unwrap();
    let state = session.state();
    let data = state.data.as_ref().unwrap();
    let mut dice: Vec<f64> = data
        .numbers("dice")
        .unwrap()
        .iter()
        .flatten()
        .copied()
        .collect();
    assert_eq!(dice.len(), 80);
    dice.sort_by(f64::total_cmp);
    // A loose floor: the measured median on the 432-patient cohort is 0.989 (BENCHMARKS.md).
    assert!(dice[40] >= 0.85, "median Dice {}", dice[40]);
    let segmentation = state.segmentation.as_ref().unwrap();
    for patient in &state.images.as_ref().unwrap().patients {
        let segmented = &segmentation.slices[&patient.id];
        let roi = patient.roi().unwrap().unwrap();
        let outside = segmented
            .plane
            .iter()
            .zip(roi.slice(segmented.slice).iter())
            .filter(|&(&m, &r)| m != 0 && r == 0)
            .count();
        assert_eq!(outside, 0, "{} leaves its ROI", patient.id);
    }
}

#[test]
fn segmentation_is_the_same_on_one_and_two_threads() {
    let (features, _) = crate::support::features_on_one_and_two_threads(
        "segment-threads",
        "load cohort n=40; segment threshold=55%; extract",
    );
    assert_eq!(features.lines().count(), 41);
}

#[test]
fn a_bad_threshold_is_refused_at_its_place() {
    Run::script("load cohort n=5; segment threshold=lots")
        .fails()
        .stderr_has(
            "`threshold` expects `otsu`, a percentile such as `60%`, or a value, not `lots`",
        );
}

#[test]
fn show_patient_draws_the_segmentation_outline() {
    let dir = crate::cli::tempfile_folder("segment-show");
    let run = Run::script("load cohort n=5; segment; show patient P0003")
        .in_dir(&dir)
        .succeeds();
    run.stdout_has("mm², segmented ");
    let svg_name = run
        .stdout
        .split_whitespace()
        .find(|w| w.contains("patient-P0003") && w.ends_with(".svg,"))
        .unwrap()
        .trim_end_matches(',');
    let svg = std::fs::read_to_string(dir.join(svg_name)).unwrap();
    assert!(
        svg.contains("segmented"),
        "the legend names the segmentation outline"
    );
}

#[test]
fn one_patient_can_be_segmented_again_by_hand_and_the_others_stay() {
    let mut session = radnomo::Session::new();
    session.execute("load cohort n=20; segment").unwrap();
    let snapshot = |session: &radnomo::Session| {
        let state = session.state();
        let data = state.data.as_ref().unwrap();
        (
            data.numbers("tumour_area_mm2").unwrap().to_vec(),
            data.numbers("dice").unwrap().to_vec(),
            state.segmentation.as_ref().unwrap().slices.clone(),
        )
    };
    let (areas, dices, slices) = snapshot(&session);
    let output = session
        .execute("segment patient=P0007 threshold=70%")
        .unwrap();
    let (new_areas, new_dices, new_slices) = snapshot(&session);
    // P0007 is row 7: a higher threshold gives a smaller tumour; every other patient is as before.
    assert!(
        new_areas[6].unwrap() < areas[6].unwrap(),
        "{:?} → {:?}",
        areas[6],
        new_areas[6]
    );
    assert_ne!(new_dices[6], dices[6]);
    for row in (0..20).filter(|&r| r != 6) {
        assert_eq!(new_areas[row], areas[row]);
        assert_eq!(new_dices[row], dices[row]);
    }
    for (id, slice) in &slices {
        if id != "P0007" {
            assert_eq!(&new_slices[id], slice);
        }
    }
    let shown = format!("{output:?}");
    assert!(shown.contains("Segmentation of P0007, adjusted"), "{shown}");

    // A slice needs a patient; an unknown patient is named; the session keeps the adjustment.
    let error = session.execute("segment slice=3").unwrap_err().to_string();
    assert!(error.contains("give `patient=ID` too"), "{error}");
    let error = session
        .execute("segment patient=P9999")
        .unwrap_err()
        .to_string();
    assert!(error.contains("P9999"), "{error}");
    assert_eq!(snapshot(&session).0, new_areas);
    // A seed outside the ROI is refused at its place and changes nothing.
    let error = session
        .execute("segment patient=P0007 seed=1,1")
        .unwrap_err()
        .to_string();
    assert!(error.contains("outside the ROI"), "{error}");
    assert_eq!(snapshot(&session).0, new_areas);

    // Segmenting the whole cohort again replaces the adjustment, and says so.
    let output = session.execute("segment").unwrap();
    assert!(format!("{output:?}").contains("manual adjustments of P0007 are replaced"));
    assert_eq!(snapshot(&session).0, areas);
}
