//! `describe` against R: every test statistic, df and p-value of Table 1 on
//! examples/data/demo.csv equals what R's `t.test`, `wilcox.test` and `chisq.test` wrote in
//! tests/fixtures/describe/reference.json (made by make_reference.R beside it).
//!
//! Tolerance: `CLASSICAL_TESTS` = 1e-9 relative for p-values, statistics and df (both sides
//! evaluate the same closed forms in double precision; the margin covers summation order and the
//! incomplete beta/gamma functions' accuracy). Statistics that are zero up to rounding (a Yates
//! statistic of 5e-31) are compared absolutely, within 1e-12.

use crate::support::read;
use radnomo::Session;
use radnomo::output::{Cell, Item, Table};
use radnomo::stats::hypothesis::wilcoxon_rank_sum_test;
use radnomo::stats::tolerance::{CLASSICAL_TESTS, relative_eq};
use serde_json::Value;

fn reference() -> Value {
    serde_json::from_str(&read("tests/fixtures/describe/reference.json")).unwrap()
}

fn number(value: &Value) -> f64 {
    value
        .as_str()
        .expect("numbers are strings")
        .parse()
        .unwrap()
}

fn cell_number(cell: &Cell) -> Option<f64> {
    match cell {
        Cell::Number { value } | Cell::PValue { value } => Some(*value),
        _ => None,
    }
}

fn close(ours: f64, theirs: f64) -> bool {
    relative_eq(ours, theirs, CLASSICAL_TESTS) || (ours - theirs).abs() < 1e-12
}

fn tests_table() -> Table {
    let mut session = Session::new();
    let output = session
        .execute("load table examples/data/demo.csv outcome=aln split=cohort; describe by=aln")
        .unwrap();
    output
        .items
        .into_iter()
        .find_map(|item| match item {
            Item::Table(table) if table.name == "tests" => Some(table),
            _ => None,
        })
        .expect("describe gives a `tests` table")
}

#[test]
fn every_table_one_test_equals_r() {
    let reference = reference();
    let table = tests_table();
    let text = |cell: &Cell| match cell {
        Cell::Text { value } => value.clone(),
        _ => String::new(),
    };
    let mut compared = 0;
    for expected in reference["tests"].as_array().unwrap() {
        let test = expected["test"].as_str().unwrap();
        let row = table
            .rows
            .iter()
            .find(|row| {
                text(&row[0]) == expected["characteristic"].as_str().unwrap()
                    && text(&row[1]) == expected["cohort"].as_str().unwrap()
                    && text(&row[2]).starts_with(test)
            })
            .unwrap_or_else(|| panic!("no row for {expected}"));
        let label = format!("{} / {} / {test}", text(&row[0]), text(&row[1]));
        let statistic = cell_number(&row[3]).unwrap();
        assert!(
            close(statistic, number(&expected["statistic"])),
            "{label}: statistic {statistic} vs R {}",
            expected["statistic"]
        );
        if !expected["df"].is_null() {
            let df = cell_number(&row[4]).unwrap();
            assert!(
                close(df, number(&expected["df"])),
                "{label}: df {df} vs R {}",
                expected["df"]
            );
        }
        let p = cell_number(&row[5]).unwrap();
        assert!(
            relative_eq(p, number(&expected["p"]), CLASSICAL_TESTS),
            "{label}: p {p:e} vs R {}",
            expected["p"]
        );
        let exact_in_r = expected["method"].as_str().unwrap().contains("exact");
        assert_eq!(
            text(&row[2]).contains("(exact)"),
            exact_in_r,
            "{label}: exact or approximate as R"
        );
        compared += 1;
    }
    assert_eq!(compared, 50, "every reference test was compared");
    assert_eq!(
        table.rows.len(),
        50,
        "and radnomo reports no test R did not"
    );
}

#[test]
fn the_exact_rank_sum_test_equals_r() {
    let exact = &reference()["exact_rank_sum"];
    let values =
        |key: &str| -> Vec<f64> { exact[key].as_array().unwrap().iter().map(number).collect() };
    let result = wilcoxon_rank_sum_test(&values("x"), &values("y"));
    assert!(result.exact);
    assert_eq!(result.statistic, number(&exact["statistic"]));
    assert!(
        relative_eq(result.p_value, number(&exact["p"]), CLASSICAL_TESTS),
        "{} vs {}",
        result.p_value,
        exact["p"]
    );
}
