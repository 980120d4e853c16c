//! `samplesize` against pmsampsize, the authors' implementation of Riley et al.'s criteria:
//! tests/fixtures/samplesize/reference.json, written by make_reference.py beside it.
//!
//! Tolerances: from a Cox–Snell or Nagelkerke R² every sample size is the same integer and the
//! R² values agree to 1e-12 (the same closed forms). From a C statistic pmsampsize simulates a
//! million patients to estimate R² (Monte Carlo error ~2e-4) where radnomo integrates, so R²
//! agrees within 1e-3 and the sizes within 1% — and the paper's published example is checked
//! to the figure it quotes.

use crate::support::read;
use radnomo::Session;
use radnomo::output::{Cell, Item};
use radnomo::stats::samplesize::{Anticipated, minimum_sample_size};
use serde_json::Value;

fn cases() -> Vec<Value> {
    let reference: Value =
        serde_json::from_str(&read("tests/fixtures/samplesize/reference.json")).unwrap();
    reference["cases"].as_array().unwrap().clone()
}

#[test]
fn every_criterion_equals_pmsampsize() {
    let cases = cases();
    assert_eq!(cases.len(), 8);
    for case in &cases {
        let inputs = &case["inputs"];
        let number = |key: &str| inputs[key].as_f64();
        let (anticipated, simulated) = if let Some(c) = number("cstatistic") {
            (Anticipated::CStatistic(c), true)
        } else if let Some(r2) = number("nagrsquared") {
            (Anticipated::Nagelkerke(r2), false)
        } else {
            (Anticipated::CoxSnell(number("csrsquared").unwrap()), false)
        };
        let parameters = inputs["parameters"].as_u64().unwrap();
        let prevalence = number("prevalence").unwrap();
        let shrinkage = number("shrinkage").unwrap_or(0.9);
        let ours = minimum_sample_size(anticipated, parameters, prevalence, shrinkage).unwrap();
        let theirs = |key: &str| case[key].as_f64().unwrap();
        let label = format!("{inputs}");
        assert!(
            (ours.max_cox_snell - theirs("max_cox_snell")).abs() < 1e-12,
            "{label}"
        );
        let r2_tolerance = if simulated { 1e-3 } else { 1e-12 };
        assert!(
            (ours.cox_snell - theirs("cox_snell")).abs() < r2_tolerance,
            "{label}: Cox–Snell R² {} vs {}",
            ours.cox_snell,
            theirs("cox_snell")
        );
        let sizes_agree = |a: u64, b: u64| {
            if simulated {
                (a as f64 - b as f64).abs() <= 0.01 * b as f64
            } else {
                a == b
            }
        };
        for (criterion, expected) in ours
            .criteria
            .iter()
            .zip(case["criteria"].as_array().unwrap())
        {
            let patients = expected["patients"].as_u64().unwrap();
            assert!(
                sizes_agree(criterion.patients, patients),
                "{label}: {} patients vs {patients}",
                criterion.patients
            );
            // pmsampsize rounds the shrinkage to 3 decimals in its table.
            let shrinkage = expected["shrinkage"].as_f64().unwrap();
            assert!(
                (criterion.shrinkage - shrinkage).abs()
                    <= 5e-4 + if simulated { 1e-3 } else { 0.0 },
                "{label}"
            );
        }
        let minimum = case["minimum"].as_u64().unwrap();
        assert!(sizes_agree(ours.minimum.patients, minimum), "{label}");
        if !simulated {
            assert!((ours.minimum.shrinkage - theirs("final_shrinkage")).abs() < 1e-12);
            assert!((ours.minimum.events - theirs("events")).abs() < 1e-9);
        }
    }
}

/// Riley et al., Stat Med 38:1276–1296 (2019), abstract: "a new diagnostic model for Chagas
/// disease requires an EPP of at least 4.8" — R²_CS 0.288, 24 candidate parameters, prevalence
/// 0.174 (their section 5.1; pmsampsize's first example): 662 patients, 116 events (rounded up).
#[test]
fn the_published_chagas_example() {
    let mut session = Session::new();
    let output = session
        .execute("samplesize r2=0.288 parameters=24 prevalence=0.174")
        .unwrap();
    let Some(Item::Table(table)) = output.items.first() else {
        panic!("a table");
    };
    let minimum = table.rows.last().unwrap();
    assert_eq!(minimum[1], Cell::Integer { value: 662 });
    assert_eq!(minimum[2], Cell::Integer { value: 116 });
    let Cell::Number { value: epp } = minimum[3] else {
        panic!("events per parameter");
    };
    assert_eq!((epp * 10.0).round() / 10.0, 4.8);
}

/// With data loaded the prevalence is the training cohort's, and the cohort is set against the
/// criteria; exactly one anticipated performance is asked for.
#[test]
fn the_loaded_cohort_is_set_against_the_criteria() {
    let mut session = Session::new();
    let output = session
        .execute("load table examples/data/demo.csv outcome=aln split=cohort; samplesize auc=0.8 parameters=5")
        .unwrap();
    let table = output
        .items
        .iter()
        .find_map(|item| match item {
            Item::Table(t) if t.name == "samplesize" => Some(t),
            _ => None,
        })
        .unwrap();
    // demo.csv's training cohort: 106 of 296 with aln = 1.
    assert!(table.title.ends_with("prevalence 0.358"), "{}", table.title);
    let verdict = output
        .items
        .iter()
        .find_map(|item| match item {
            Item::Text(text) if text.text.starts_with("the training cohort") => {
                Some(text.text.clone())
            }
            _ => None,
        })
        .unwrap();
    assert!(
        verdict.starts_with("the training cohort has 296 patients and 106 events (21.2 per parameter): fewer than criterion (iii) 354 ask; the overall risk is estimated less precisely than ± 0.05"),
        "{verdict}"
    );
    let both = session.execute("samplesize auc=0.8 r2=0.2 parameters=5");
    let message = both.unwrap_err().to_string();
    assert!(
        message.contains("give one of `auc=`, `r2=` and `nagelkerke=`"),
        "{message}"
    );
    assert!(session.execute("samplesize parameters=5").is_err());
}
