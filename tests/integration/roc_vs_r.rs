//! ROC analysis against pROC (tests/fixtures/roc/reference.json, written by make_reference.R
//! beside it from examples/data/demo.csv): the curve, the AUC, its DeLong interval, the Youden
//! threshold, and the paired DeLong test.

use crate::support::{agree_in_distribution, r_number, r_numbers, read};
use radnomo::stats::roc::{auc, auc_delong, bootstrap_auc_interval, delong_test, roc_curve};
use serde_json::Value;

/// The AUC is an exact count: equal to rounding.
const AUC: f64 = 1e-12;
/// DeLong's variance and the test are closed forms summed in a different order: 1e-8.
const DELONG: f64 = 1e-8;

fn reference() -> Value {
    serde_json::from_str(&read("tests/fixtures/roc/reference.json")).unwrap()
}

#[test]
fn roc_auc_delong_and_youden_equal_proc() {
    let reference = reference();
    for cohort in ["train", "valid"] {
        let part = &reference["cohorts"][cohort];
        let y = r_numbers(&part["y"]);
        for (predictor, key) in [("rad_score", "rad"), ("clinical", "clinical_model")] {
            let score = r_numbers(&part[predictor]);
            let expected = &part[key];
            let label = format!("{cohort} / {key}");
            let (area, _, (low, high)) = auc_delong(&y, &score);
            assert!(
                (area - r_number(&expected["auc"])).abs() < AUC,
                "{label}: AUC {area}"
            );
            assert!(
                (auc(&y, &score) - area).abs() < AUC,
                "{label}: rank and placement AUC agree"
            );
            assert!(
                (low - r_number(&expected["ci_lower"])).abs() < DELONG,
                "{label}: CI lower {low}"
            );
            assert!(
                (high - r_number(&expected["ci_upper"])).abs() < DELONG,
                "{label}: CI upper {high}"
            );
            let curve = roc_curve(&y, &score);
            assert_eq!(
                curve.thresholds,
                r_numbers(&expected["thresholds"]),
                "{label}: thresholds"
            );
            assert_eq!(
                curve.sensitivities,
                r_numbers(&expected["sensitivities"]),
                "{label}: sensitivities"
            );
            assert_eq!(
                curve.specificities,
                r_numbers(&expected["specificities"]),
                "{label}: specificities"
            );
            let (threshold, sensitivity, specificity) = curve.youden();
            assert_eq!(
                threshold,
                r_number(&expected["best_threshold"]),
                "{label}: Youden threshold"
            );
            assert_eq!(
                sensitivity,
                r_number(&expected["best_sensitivity"]),
                "{label}: sensitivity"
            );
            assert_eq!(
                specificity,
                r_number(&expected["best_specificity"]),
                "{label}: specificity"
            );
        }
        let test = delong_test(
            &y,
            &r_numbers(&part["rad_score"]),
            &r_numbers(&part["clinical"]),
        );
        let (z, p) = (test.z, test.p);
        for (ours, key) in [(test.low, "difference_low"), (test.high, "difference_high")] {
            let theirs = r_number(&part["delong"][key]);
            assert!(
                (ours - theirs).abs() < DELONG,
                "{cohort}: DeLong {key} {ours} vs {theirs}"
            );
        }
        let (rz, rp) = (
            r_number(&part["delong"]["z"]),
            r_number(&part["delong"]["p"]),
        );
        assert!(
            (z - rz).abs() < DELONG * rz.abs().max(1.0),
            "{cohort}: DeLong z {z} vs {rz}"
        );
        assert!(
            (p - rp).abs() < DELONG * rp.max(1e-300) || (p - rp).abs() < 1e-15,
            "{cohort}: DeLong p {p} vs {rp}"
        );
    }
}

#[test]
fn the_roc_command_reproduces_proc_on_the_demo_table() {
    let reference = reference();
    let mut session = radnomo::Session::new();
    let output = session
        .execute("load table examples/data/demo.csv outcome=aln split=cohort\nclinical = fit grade+multifocal+lnmri\nroc rad clinical boot=0")
        .unwrap();
    let table = output
        .items
        .iter()
        .find_map(|item| match item {
            radnomo::Item::Table(t) if t.name == "roc" => Some(t),
            _ => None,
        })
        .unwrap();
    let value = |cell: &radnomo::output::Cell| match cell {
        radnomo::output::Cell::Number { value } => *value,
        other => panic!("not a number: {other:?}"),
    };
    for row in &table.rows {
        let text = |i: usize| match &row[i] {
            radnomo::output::Cell::Text { value } => value.clone(),
            _ => String::new(),
        };
        let cohort = if text(1) == "training" {
            "train"
        } else {
            "valid"
        };
        let key = if text(0) == "rad" {
            "rad"
        } else {
            "clinical_model"
        };
        let expected = &reference["cohorts"][cohort][key];
        let label = format!("{} / {}", text(0), text(1));
        assert!(
            (value(&row[3]) - r_number(&expected["auc"])).abs() < AUC,
            "{label}: AUC"
        );
        // The clinical model is refitted here: its probabilities equal R's glm to ~1e-10, so the
        // threshold (a midpoint of two of them) is compared to 1e-8.
        assert!(
            (value(&row[5]) - r_number(&expected["best_threshold"])).abs() < DELONG,
            "{label}: threshold"
        );
        assert_eq!(
            value(&row[6]),
            r_number(&expected["best_sensitivity"]),
            "{label}: sensitivity"
        );
        assert_eq!(
            value(&row[7]),
            r_number(&expected["best_specificity"]),
            "{label}: specificity"
        );
    }
    assert_eq!(table.rows.len(), 4);
}

#[test]
fn hosmer_lemeshow_and_net_benefit_equal_the_r_computation() {
    use radnomo::stats::calibration::{hosmer_lemeshow, net_benefit, treat_all_net_benefit};
    let reference = reference();
    for cohort in ["train", "valid"] {
        let part = &reference["cohorts"][cohort];
        let y = r_numbers(&part["y"]);
        for (predictor, key) in [
            ("clinical", "hosmer_clinical"),
            ("combined", "hosmer_combined"),
        ] {
            let expected = &part[key];
            let test = hosmer_lemeshow(&y, &r_numbers(&part[predictor]), 10);
            let label = format!("{cohort} / {predictor}");
            // Grouping is exact; the statistic is a sum of ratios: 1e-9 relative.
            assert_eq!(
                test.groups.len() as u64,
                expected["groups"].as_u64().unwrap(),
                "{label}: groups formed"
            );
            let sizes: Vec<u64> = test.groups.iter().map(|g| g.1 as u64).collect();
            if let Some(expected_sizes) = expected["sizes"].as_array() {
                let expected_sizes: Vec<u64> =
                    expected_sizes.iter().map(|v| v.as_u64().unwrap()).collect();
                assert_eq!(sizes, expected_sizes, "{label}: group sizes");
            }
            assert_eq!(test.df, expected["df"].as_f64().unwrap());
            let statistic = r_number(&expected["statistic"]);
            assert!(
                (test.statistic - statistic).abs() <= 1e-9 * statistic,
                "{label}: X² {} vs {statistic}",
                test.statistic
            );
            let p = r_number(&expected["p"]);
            assert!((test.p_value - p).abs() <= 1e-9 * p, "{label}: p");
        }
        let combined = r_numbers(&part["combined"]);
        let thresholds = r_numbers(&part["thresholds"]);
        for ((t, model), all) in thresholds
            .iter()
            .zip(r_numbers(&part["net_benefit_combined"]))
            .zip(r_numbers(&part["net_benefit_all"]))
        {
            // The same arithmetic: exact to 1e-12.
            assert!(
                (net_benefit(&y, &combined, *t) - model).abs() < 1e-12,
                "{cohort}: net benefit at {t}"
            );
            assert!(
                (treat_all_net_benefit(&y, *t) - all).abs() < 1e-12,
                "{cohort}: treat-all at {t}"
            );
        }
    }
}

/// Bootstrap draws come from different generators, so the interval's ends are compared in
/// distribution: the mean over radnomo's seeds and over pROC's ten seeds agree within four
/// standard errors of their difference (plus 1e-4 for ends that hardly move between seeds).
#[test]
fn the_bootstrap_interval_agrees_with_procs_in_distribution() {
    let reference = reference();
    for cohort in ["train", "valid"] {
        let part = &reference["cohorts"][cohort];
        let y = r_numbers(&part["y"]);
        let score = r_numbers(&part["rad_score"]);
        let ours: Vec<(f64, f64)> = (1..=4)
            .map(|seed| bootstrap_auc_interval(&y, &score, 2000, seed))
            .collect();
        let theirs: Vec<Vec<f64>> = part["bootstrap_rad"]
            .as_array()
            .unwrap()
            .iter()
            .map(r_numbers)
            .collect();
        for (end, name) in [(0, "lower"), (1, "upper")] {
            let a: Vec<f64> = ours
                .iter()
                .map(|b| if end == 0 { b.0 } else { b.1 })
                .collect();
            let b: Vec<f64> = theirs.iter().map(|b| b[end]).collect();
            assert!(
                agree_in_distribution(&a, &b),
                "{cohort} {name} end: radnomo {a:?} vs pROC {b:?}"
            );
        }
    }
}

/// The study's Table 4: the training cohort's Youden threshold applied to both cohorts, counts
/// exactly as R's, and each proportion's exact interval as `binom.test`'s within 1e-12 (both find
/// a Beta quantile to the last bits: R by its own root finder, radnomo by bisection).
#[test]
fn table_4_at_the_training_threshold_equals_r() {
    use radnomo::stats::proportion::clopper_pearson;
    use radnomo::stats::roc::classify;
    let reference = reference();
    let cohorts = &reference["cohorts"];
    for (score_key, key) in [("rad_score", "rad"), ("clinical", "clinical")] {
        let expected = &reference["table4"][key];
        let train_y = r_numbers(&cohorts["train"]["y"]);
        let threshold = roc_curve(&train_y, &r_numbers(&cohorts["train"][score_key]))
            .youden()
            .0;
        assert_eq!(
            threshold,
            r_number(&expected["threshold"]),
            "{key} threshold"
        );
        for cohort in ["train", "valid"] {
            let y = r_numbers(&cohorts[cohort]["y"]);
            let counts = classify(&y, &r_numbers(&cohorts[cohort][score_key]), threshold);
            let theirs: Vec<u64> = expected[cohort]["counts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_u64().unwrap())
                .collect();
            let ours = [
                counts.true_positives,
                counts.false_positives,
                counts.true_negatives,
                counts.false_negatives,
            ]
            .map(|c| c as u64);
            assert_eq!(ours.to_vec(), theirs, "{key} {cohort} counts");
            for (measure, k, n) in counts.proportions() {
                let field = measure.to_ascii_lowercase();
                let r = r_numbers(&expected[cohort][field.as_str()]);
                let (estimate, low, high) = clopper_pearson(k, n).unwrap();
                for (a, b) in [(estimate, r[0]), (low, r[1]), (high, r[2])] {
                    assert!(
                        (a - b).abs() < 1e-12,
                        "{key} {cohort} {measure}: {a} vs {b}"
                    );
                }
            }
        }
    }
}
