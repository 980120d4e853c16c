//! `robustness`: the last extraction repeated on perturbed regions, each feature's ICC across
//! the perturbations. The ICCs themselves equal psych::ICC (icc_vs_psych.rs); here the command:
//! seeded and thread-count independent, perturbations that matter, `drop=`, and refusals.

use crate::support::{Run, same_on_one_and_two_threads};
use radnomo::Session;
use radnomo::output::{Cell, Item, Table};

const SETUP: &str = "load cohort n=24; extract mask=truth";

fn robustness_table(session: &mut Session, statement: &str) -> Table {
    let output = session.execute(statement).unwrap();
    output
        .items
        .into_iter()
        .find_map(|item| match item {
            Item::Table(table) if table.name == "robustness" => Some(table),
            _ => None,
        })
        .expect("a robustness table")
}

fn icc_of(table: &Table, feature: &str) -> f64 {
    let row = table
        .rows
        .iter()
        .find(|r| r[0] == Cell::text(feature))
        .unwrap_or_else(|| panic!("no row {feature}"));
    match row[1] {
        Cell::Number { value } => value,
        ref other => panic!("{feature}: {other:?}"),
    }
}

#[test]
fn perturbations_are_seeded_and_the_same_on_any_thread_count() {
    let script = format!("{SETUP}; robustness n=4 seed=11");
    // From the table on (the extraction's line gives its time).
    let two = same_on_one_and_two_threads(&script, "Feature robustness");
    two.stdout_has("Feature robustness over 4 perturbations per patient")
        .stdout_has("each perturbation drawn from seed 11");
}

#[test]
fn what_is_perturbed_shows_in_the_iccs_and_drop_leaves_features_out() {
    let mut session = Session::new();
    session.execute(SETUP).unwrap();
    // Noise alone leaves the outline, so the shape features do not move at all: no variation
    // within patients, ICC 1. The intensity features do move.
    let noise = robustness_table(&mut session, "robustness n=4 perturb=noise seed=3");
    assert!((icc_of(&noise, "shape2D_Perimeter") - 1.0).abs() < 1e-12);
    let perimeter = noise
        .rows
        .iter()
        .find(|r| r[0] == Cell::text("shape2D_Perimeter"))
        .unwrap();
    assert_eq!(
        perimeter[2],
        Cell::Interval {
            low: 1.0,
            high: 1.0
        }
    );
    assert!(icc_of(&noise, "firstorder_Minimum") < 0.999);
    // Outlines perturbed: the perimeter moves too, and every ICC lies within its interval.
    let outline = robustness_table(
        &mut session,
        "robustness n=6 perturb=erode,dilate,contour seed=3",
    );
    assert!(icc_of(&outline, "shape2D_Perimeter") < 0.999);
    for row in &outline.rows {
        if let (Cell::Number { value }, Cell::Interval { low, high }) = (&row[1], &row[2]) {
            assert!(low <= value && value <= high, "{row:?}");
        }
    }
    let before = session.state().data.as_ref().unwrap().features.len();
    let poor = outline
        .rows
        .iter()
        .filter(|r| matches!(r[1], Cell::Number { value } if value < 0.75))
        .count();
    assert!(poor > 0 && poor < before, "{poor} of {before} below 0.75");
    let output = session
        .execute("robustness n=6 perturb=erode,dilate,contour seed=3 drop=0.75")
        .unwrap();
    let kept = session.state().data.as_ref().unwrap().features.len();
    assert_eq!(kept, before - poor);
    assert!(output.items.iter().any(|i| matches!(i, Item::Text(t) if t.text.starts_with(&format!("{kept} of {before} features kept (ICC(1,1) ≥ 0.75)")))));
}

#[test]
fn robustness_needs_an_extraction_and_known_perturbations() {
    Run::script("load cohort n=5; robustness")
        .fails()
        .stderr_has("no features extracted yet: run `extract` first");
    Run::script(&format!("{SETUP}; robustness perturb=erode"))
        .fails()
        .stderr_has("erosion alone (or dilation alone) makes every perturbation the same");
    Run::script(&format!("{SETUP}; robustness perturb=erode,nosie"))
        .fails()
        .stderr_has("nosie")
        .stderr_has("noise");
    // Loading data forgets the extraction: its features are no longer the data's.
    Run::script("load cohort n=5; extract mask=truth; load table examples/data/demo.csv outcome=aln; robustness")
        .fails()
        .stderr_has("no features extracted yet");
    Run::script("load cohort n=5; extract mask=truth lesions=each; robustness")
        .fails()
        .stderr_has("one row per lesion");
}

/// A folder cohort (the synthetic patients exported with their true tumours as masks) gives the
/// very ICCs the cohort gives in memory: the same voxels, masks, perturbations and noise.
#[test]
fn a_folder_cohort_gives_the_iccs_of_the_same_patients_in_memory() {
    let folder = crate::cli::tempfile_folder("robustness-cohort");
    let mut memory = Session::new();
    memory
        .execute(&format!(
            "load cohort n=8 seed=5; export cohort \"{}\" truth=yes; extract mask=truth",
            folder.display()
        ))
        .unwrap();
    let mut files = Session::new();
    files
        .execute(&format!("load cohort \"{}\"; extract", folder.display()))
        .unwrap();
    let statement = "robustness n=5 seed=9";
    let (a, b) = (
        robustness_table(&mut memory, statement),
        robustness_table(&mut files, statement),
    );
    assert_eq!(a.rows.len(), 55);
    assert_eq!(a.rows, b.rows);
}
