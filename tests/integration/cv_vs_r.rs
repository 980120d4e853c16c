//! `cv MODEL`: repeated, nested cross-validation of the whole pipeline against an R loop of
//! cv.glmnet + glm inside each fold (tests/fixtures/pipeline/cv_reference.json, written by
//! make_cv_reference.R beside it, 20 repeats). R's generator cannot match radnomo's, so the
//! per-repeat measures are compared in distribution: means within four standard errors of the
//! difference (plus 1e-4), radnomo's 20 repeats (one per seed) against R's 20.

use crate::support::{Run, agree_in_distribution, r_number, read, same_on_one_and_two_threads};
use radnomo::Session;
use radnomo::output::{Cell, Item};
use serde_json::Value;

const STEPS: &str = "load table tests/fixtures/models/paper.csv outcome=aln split=cohort features=f??; lasso foldid=fold thresh=1e-7; combined = fit grade+multifocal+lnmri+rad";

#[test]
fn the_pipelines_cross_validated_measures_agree_with_r() {
    let reference: Value =
        serde_json::from_str(&read("tests/fixtures/pipeline/cv_reference.json")).unwrap();
    let repeats = reference["repeats"].as_array().unwrap();
    assert_eq!(repeats.len(), 20);
    let mut session = Session::new();
    session.execute(STEPS).unwrap();
    // [final fit, pipeline] × [C, intercept, slope, Brier], one value per seed.
    let mut ours = vec![vec![Vec::new(); 4]; 2];
    for seed in 1..=20 {
        let output = session
            .execute(&format!("cv combined repeats=1 seed={seed}"))
            .unwrap();
        let Some(Item::Table(table)) = output.items.first() else {
            panic!("a table")
        };
        for (k, row) in table.rows.iter().enumerate() {
            for (side, column) in [(0, 2), (1, 4)] {
                let Cell::Number { value } = row[column] else {
                    panic!("{row:?}")
                };
                ours[side][k].push(value);
            }
        }
    }
    for (side, key) in ["final_fit", "pipeline"].iter().enumerate() {
        for (k, measure) in ["C", "Intercept", "Slope", "Brier"].iter().enumerate() {
            let theirs: Vec<f64> = repeats.iter().map(|r| r_number(&r[key][k])).collect();
            assert!(
                agree_in_distribution(&ours[side][k], &theirs),
                "{key} {measure}: radnomo {:?} vs R {theirs:?}",
                ours[side][k]
            );
        }
    }
    // The gap the issue asks to see: the pipeline's cross-validated C well below the final fit's.
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    assert!(mean(&ours[1][0]) < mean(&ours[0][0]) - 0.05);
}

#[test]
fn cv_is_the_same_on_any_thread_count_and_refuses_too_many_folds() {
    let script = format!("{STEPS}; cv combined repeats=2 folds=5 seed=4");
    let two = same_on_one_and_two_threads(&script, "Repeated 5-fold");
    two.stdout_has("CV, pipeline");
    // A model without a signature is cross-validated as a final fit only.
    Run::script("load table examples/data/demo.csv outcome=aln split=cohort; clinical = fit grade+lnmri; cv clinical repeats=2")
        .succeeds()
        .stdout_has("CV, final fit")
        .stdout_lacks("CV, pipeline");
    Run::script("load cohort n=40; clinical = fit grade+lnmri; cv clinical folds=20")
        .fails()
        .stderr_has("20 folds need at least 20 patients in each outcome group; the smaller has");
}
