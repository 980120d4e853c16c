//! `dca` against dcurves (PyPI) on its own example data (tests/fixtures/dca/df_binary.csv):
//! net benefit and net interventions avoided at every threshold 0.01..0.99 for a risk
//! (`cancerpredmarker`), a 0/1 test (`famhistory`) and treat-all, from reference.json written by
//! make_reference.py beside it.
//!
//! Tolerance: 1e-12 absolute — both sides count the same patients at each threshold and apply
//! the same two-line formulas in double precision.

use crate::support::{r_number, read};
use radnomo::Session;
use radnomo::output::{Cell, Item, Table};
use radnomo::stats::calibration::treat_all_net_benefit;
use radnomo::stats::decision::decision_curve;
use serde_json::Value;

fn reference() -> Value {
    serde_json::from_str(&read("tests/fixtures/dca/reference.json")).unwrap()
}

/// The outcome and the two predictors, from the CSV.
fn data() -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let text = read("tests/fixtures/dca/df_binary.csv");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let column = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (c, f, m) = (
        column("cancer"),
        column("famhistory"),
        column("cancerpredmarker"),
    );
    let mut out = (Vec::new(), Vec::new(), Vec::new());
    for line in lines.filter(|l| !l.is_empty()) {
        let cells: Vec<&str> = line.split(',').collect();
        out.0.push(f64::from(u8::from(cells[c] == "TRUE")));
        out.1.push(cells[f].parse().unwrap());
        out.2.push(cells[m].parse().unwrap());
    }
    out
}

#[test]
fn every_threshold_equals_dcurves() {
    let reference = reference();
    let (y, famhistory, marker) = data();
    assert_eq!(y.len(), 750);
    for (name, p) in [("famhistory", &famhistory), ("cancerpredmarker", &marker)] {
        let curve = &reference["curves"][name];
        let thresholds: Vec<f64> = curve["threshold"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_f64().unwrap())
            .collect();
        assert_eq!(thresholds.len(), 99);
        for (k, point) in decision_curve(&y, p, &thresholds).iter().enumerate() {
            let nb = r_number(&curve["net_benefit"][k]);
            let avoided = r_number(&curve["interventions_avoided"][k]);
            assert!(
                (point.net_benefit - nb).abs() < 1e-12,
                "{name} at {}",
                point.threshold
            );
            assert!(
                (point.interventions_avoided - avoided).abs() < 1e-12,
                "{name} at {}: {} vs {avoided}",
                point.threshold,
                point.interventions_avoided
            );
        }
    }
    let all = &reference["curves"]["all"];
    for (k, t) in all["threshold"].as_array().unwrap().iter().enumerate() {
        let nb = treat_all_net_benefit(&y, t.as_f64().unwrap());
        assert!((nb - r_number(&all["net_benefit"][k])).abs() < 1e-12);
    }
}

/// The command's table gives the same numbers per 100 patients, with a bootstrap interval around
/// each net benefit and the standardised net benefit (net benefit / prevalence 0.14).
#[test]
fn the_net_benefit_table_per_100_patients() {
    let reference = reference();
    let mut session = Session::new();
    let output = session
        .execute("load table tests/fixtures/dca/df_binary.csv outcome=cancer; dca famhistory cancerpredmarker at=0.05,0.2,0.5 boot=100 seed=3")
        .unwrap();
    let table: &Table = output
        .items
        .iter()
        .find_map(|item| match item {
            Item::Table(t) if t.name == "net benefit" => Some(t),
            _ => None,
        })
        .unwrap();
    let number = |cell: &Cell| match cell {
        Cell::Number { value } => *value,
        other => panic!("{other:?}"),
    };
    let mut compared = 0;
    for row in &table.rows {
        let Cell::Text { value: model } = &row[0] else {
            panic!()
        };
        let key = if model == "treat all" { "all" } else { model };
        let threshold = number(&row[2]);
        let curve = &reference["curves"][key];
        let k = (threshold * 100.0).round() as usize - 1;
        let nb = r_number(&curve["net_benefit"][k]);
        assert!(
            (number(&row[3]) - 100.0 * nb).abs() < 1e-10,
            "{model} {threshold}"
        );
        assert!((number(&row[5]) - nb / 0.14).abs() < 1e-10);
        let avoided = r_number(&curve["interventions_avoided"][k]);
        assert!((number(&row[6]) - 100.0 * avoided).abs() < 1e-9);
        if key != "all" {
            let Cell::Interval { low, high } = row[4] else {
                panic!("{model}: no interval")
            };
            assert!(low < 100.0 * nb && 100.0 * nb < high, "{model} {threshold}");
        }
        compared += 1;
    }
    assert_eq!(compared, 9);
}
