//! Bootstrap calibration and validation against rms (tests/fixtures/calibration/reference.json,
//! written by make_reference.R beside it): the apparent curve and indices exactly, and the
//! optimism-corrected ones in distribution — rms's bootstrap draws come from R's generator, so
//! the mean over seeds of each corrected value is compared with rms's mean over its 10 seeds,
//! within four standard errors of the difference.

use crate::support::{agree_in_distribution, r_numbers, read, root};
use radnomo::data::read_csv;
use radnomo::stats::design::{TermRequest, build};
use radnomo::stats::logistic::fit;
use radnomo::stats::optimism::{VALIDATION_INDICES, bootstrap_calibration, bootstrap_validation};
use serde_json::Value;

/// lrm's coefficients differ from glm's (which radnomo equals) by up to 6e-8; predictions, the
/// grid and the lowess curve through them move by less than 1e-6.
const APPARENT: f64 = 1e-6;
/// radnomo's seeds for the distribution comparison (1,000 replicates each).
const SEEDS: u64 = 4;

#[test]
fn calibration_and_validation_equal_rms() {
    let reference: Value =
        serde_json::from_str(&read("tests/fixtures/calibration/reference.json")).unwrap();
    let data = read_csv(&root().join("examples/data/demo.csv")).unwrap();
    let cohort = data.column("cohort").unwrap();
    let rows: Vec<usize> = (0..data.row_count())
        .filter(|&r| cohort.text(r).as_deref() == Some("train"))
        .collect();
    let terms: Vec<TermRequest> = ["grade", "multifocal", "lnmri", "rad"]
        .iter()
        .map(|c| TermRequest {
            column: c.to_string(),
            factor: false,
        })
        .collect();
    let design = build(&data, "aln", &terms, &rows).unwrap();
    let original = fit(&design.x, &design.y, None);
    let never = || false;

    // Apparent: no resampling, so equal.
    let first = bootstrap_calibration(&design.x, &design.y, &original, 1000, 1, &never).unwrap();
    let grid = r_numbers(&reference["grid"]);
    let apparent = r_numbers(&reference["calibrated_apparent"]);
    assert_eq!(first.grid.len(), 50);
    for ((ours, theirs), (point, r_point)) in first
        .grid
        .iter()
        .zip(&grid)
        .zip(first.points.iter().zip(&apparent))
    {
        assert!(
            (ours - theirs).abs() < APPARENT,
            "grid {ours} vs rms {theirs}"
        );
        let value = point.apparent.unwrap();
        assert!(
            (value - r_point).abs() < APPARENT,
            "apparent curve at {ours}: {value} vs rms {r_point}"
        );
    }
    let (indices, refits) =
        bootstrap_validation(&design.x, &design.y, &original, 1000, 1, &never).unwrap();
    assert_eq!((refits.fitted, refits.separated), (1000, 0));
    let names: Vec<&str> = reference["validate_indices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(names, VALIDATION_INDICES);
    for ((name, index), theirs) in names
        .iter()
        .zip(&indices)
        .zip(r_numbers(&reference["validate_apparent"]))
    {
        let ours = index.apparent.unwrap();
        assert!(
            (ours - theirs).abs() < APPARENT,
            "apparent {name}: {ours} vs rms {theirs}"
        );
    }

    // Corrected, in distribution over seeds.
    let runs = reference["runs"].as_array().unwrap();
    let mut curves = vec![first];
    let mut validations = vec![indices];
    for seed in 2..=SEEDS {
        curves.push(
            bootstrap_calibration(&design.x, &design.y, &original, 1000, seed, &never).unwrap(),
        );
        validations.push(
            bootstrap_validation(&design.x, &design.y, &original, 1000, seed, &never)
                .unwrap()
                .0,
        );
    }
    let r_curves: Vec<Vec<f64>> = runs
        .iter()
        .map(|r| r_numbers(&r["calibrated_corrected"]))
        .collect();
    for k in 0..50 {
        let ours: Vec<f64> = curves
            .iter()
            .map(|c| c.points[k].corrected.unwrap())
            .collect();
        let theirs: Vec<f64> = r_curves.iter().map(|c| c[k]).collect();
        assert!(
            agree_in_distribution(&ours, &theirs),
            "bias-corrected curve at {}: {ours:?} vs rms {theirs:?}",
            grid[k]
        );
    }
    for (key, ours) in [
        (
            "mean_absolute",
            curves
                .iter()
                .map(|c| c.mean_absolute_error)
                .collect::<Vec<_>>(),
        ),
        (
            "quantile_90",
            curves
                .iter()
                .map(|c| c.quantile_90_absolute_error)
                .collect(),
        ),
    ] {
        let theirs: Vec<f64> = runs
            .iter()
            .map(|r| r["errors"][key].as_str().unwrap().parse().unwrap())
            .collect();
        assert!(
            agree_in_distribution(&ours, &theirs),
            "{key}: {ours:?} vs rms {theirs:?}"
        );
    }
    let outside: Vec<u64> = runs
        .iter()
        .map(|r| r["errors"]["outside"].as_u64().unwrap())
        .collect();
    assert!(
        curves.iter().all(|c| c.outside_grid as u64 == outside[0]),
        "patients outside the grid"
    );
    for (k, name) in VALIDATION_INDICES.iter().enumerate() {
        for (what, key) in [
            ("optimism", "validate_optimism"),
            ("corrected", "validate_corrected"),
        ] {
            let ours: Vec<f64> = validations
                .iter()
                .map(|v| {
                    if what == "optimism" {
                        v[k].optimism.unwrap()
                    } else {
                        v[k].corrected.unwrap()
                    }
                })
                .collect();
            let theirs: Vec<f64> = runs.iter().map(|r| r_numbers(&r[key])[k]).collect();
            assert!(
                agree_in_distribution(&ours, &theirs),
                "{name} {what}: {ours:?} vs rms {theirs:?}"
            );
        }
    }
}

#[test]
fn the_bootstrap_is_the_same_on_one_thread_and_many() {
    let data = read_csv(&root().join("examples/data/demo.csv")).unwrap();
    let rows: Vec<usize> = (0..data.row_count()).collect();
    let terms = vec![TermRequest {
        column: "rad".into(),
        factor: false,
    }];
    let design = build(&data, "aln", &terms, &rows).unwrap();
    let original = fit(&design.x, &design.y, None);
    let run = || bootstrap_validation(&design.x, &design.y, &original, 200, 9, &|| false).unwrap();
    let many = run();
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap()
        .install(run);
    assert_eq!(many, one);
    // Cancelling stops it.
    assert!(bootstrap_calibration(&design.x, &design.y, &original, 200, 9, &|| true).is_err());
}

#[test]
fn validation_cohort_calibration_equals_val_prob() {
    let reference: Value =
        serde_json::from_str(&read("tests/fixtures/calibration/reference.json")).unwrap();
    let expected = &reference["validation"];
    let risk = r_numbers(&expected["risk"]);
    let y: Vec<f64> = expected["y"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    let ours = radnomo::stats::calibration::external_calibration(&risk, &y);
    // The same risks in: lowess and the quantile are closed forms (1e-12); the intercept and
    // slope are iterative fits (lrm's against radnomo's IRLS): 1e-6.
    for (what, value, theirs, tolerance) in [
        ("Eavg", ours.mean_absolute_error, &expected["eavg"], 1e-12),
        (
            "E90",
            ours.quantile_90_absolute_error,
            &expected["e90"],
            1e-12,
        ),
        (
            "intercept",
            ours.intercept.unwrap(),
            &expected["intercept"],
            1e-6,
        ),
        ("slope", ours.slope.unwrap(), &expected["slope"], 1e-6),
    ] {
        let theirs: f64 = theirs.as_str().unwrap().parse().unwrap();
        assert!(
            (value - theirs).abs() < tolerance,
            "{what}: {value} vs val.prob {theirs}"
        );
    }
}

/// `validate` refits the stored model on its own patients: a `factor()` term must come back as
/// indicators, so the apparent C equals the model's own training AUC (with `grade` as a number
/// instead the C is 0.6698, not 0.6742).
#[test]
fn validate_refits_factor_terms_as_the_model_has_them() {
    use radnomo::output::{Cell, Item};
    let output = radnomo::Session::new()
        .execute(
            "load table examples/data/demo.csv outcome=aln split=cohort\n\
             m = fit factor(grade)+multifocal\n\
             validate m boot=10\n\
             roc m cohort=train",
        )
        .unwrap();
    let value_in_row = |first: &str, column: usize| {
        output
            .items
            .iter()
            .filter_map(|item| match item {
                Item::Table(table) => table.rows.iter().find(|row| row[0] == Cell::text(first)),
                _ => None,
            })
            .find_map(|row| match row[column] {
                Cell::Number { value } => Some(value),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no row `{first}`"))
    };
    let apparent_c = value_in_row("C (AUC)", 1);
    let training_auc = value_in_row("m", 3);
    assert!(
        (apparent_c - training_auc).abs() < 1e-12,
        "{apparent_c} vs {training_auc}"
    );
    assert!((apparent_c - 0.6742).abs() < 5e-5, "{apparent_c}");
}
