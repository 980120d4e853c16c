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
    let dir = crate::cli::tempfile_folder("segment-threads");
    let mut outputs = Vec::new();
    for threads in ["1", "2"] {
        let csv = dir.join(format!("areas-{threads}.csv"));
        Run::script(&format!(
            "load cohort n=40; segment threshold=55%; extract; export features \"{}\"",
            csv.display()
        ))
        .env("RAYON_NUM_THREADS", threads)
        .succeeds();
        outputs.push(std::fs::read_to_string(&csv).unwrap());
    }
    assert_eq!(outputs[0], outputs[1]);
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
