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
use radnomo::stats::fisher::fisher_exact_test;
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
        Cell::Number { value } | Cell::PValue { value, .. } => Some(*value),
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
        // Fisher's exact test has no statistic (R writes an empty one).
        if expected["statistic"].is_string() {
            let statistic = cell_number(&row[3]).unwrap();
            assert!(
                close(statistic, number(&expected["statistic"])),
                "{label}: statistic {statistic} vs R {}",
                expected["statistic"]
            );
        }
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
    assert_eq!(compared, 64, "every reference test was compared");
    assert_eq!(
        table.rows.len(),
        64,
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

/// Fisher's exact test on sparse tables (R's `fisher.test`, network algorithm for tables beyond
/// 2 × 2): every table with the margins is enumerated here, so the sums agree to rounding.
/// Tolerance `CLASSICAL_TESTS` (1e-9 relative): sums of up to a few thousand probabilities,
/// each from log-factorials accurate to ~1e-14.
#[test]
fn fisher_exact_tests_on_sparse_tables_equal_r() {
    let reference = reference();
    let cases = reference["fisher"].as_array().unwrap();
    assert_eq!(cases.len(), 6);
    for case in cases {
        let rows: Vec<[u64; 2]> = case["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| [r[0].as_u64().unwrap(), r[1].as_u64().unwrap()])
            .collect();
        let ours = fisher_exact_test(&rows).unwrap().p_value;
        let theirs = number(&case["p"]);
        assert!(
            relative_eq(ours, theirs, CLASSICAL_TESTS),
            "{rows:?}: p {ours} vs R {theirs}"
        );
    }
}

/// Table 1 on a small study: the overall column, a `missing` row where a value is missing, and
/// Fisher's exact test (marked †) where an expected count is below 5. The p-value is the one R's
/// `fisher.test(matrix(c(1, 9, 4, 2, 11, 6), 3, byrow = TRUE))` gives (reference.json).
#[test]
fn table_one_reports_overall_missing_and_fisher_where_counts_are_small() {
    let csv = crate::cli::tempfile_folder("describe-small").join("small.csv");
    // Levels by (aln = 1, aln = 0): a 1/9, b 4/2, c 11/6, as the third reference table.
    let mut lines = vec!["id,aln,stage,age".to_string()];
    let mut add = |level: &str, outcome: u8, count: usize| {
        for _ in 0..count {
            let n = lines.len();
            let age = if n % 7 == 0 {
                String::new()
            } else {
                (40 + n % 23).to_string()
            };
            lines.push(format!("P{n:03},{outcome},{level},{age}"));
        }
    };
    add("a", 1, 1);
    add("a", 0, 9);
    add("b", 1, 4);
    add("b", 0, 2);
    add("c", 1, 11);
    add("c", 0, 6);
    std::fs::write(&csv, lines.join("\n") + "\n").unwrap();
    let mut session = Session::new();
    let output = session
        .execute(&format!(
            "load table {} outcome=aln; describe",
            csv.display()
        ))
        .unwrap();
    let table = output
        .items
        .iter()
        .find_map(|item| match item {
            Item::Table(table) if table.name == "table1" => Some(table),
            _ => None,
        })
        .unwrap();
    let names: Vec<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Characteristic",
            "all (n=33)",
            "aln = 1 (n=16)",
            "aln = 0 (n=17)",
            "p"
        ]
    );
    let row = |label: &str| {
        table
            .rows
            .iter()
            .find(
                |r| matches!(&r[0], Cell::Text { value } | Cell::Level { value } if value == label),
            )
            .unwrap_or_else(|| panic!("no row {label}"))
    };
    let theirs = number(&reference()["fisher"][2]["p"]);
    match &row("stage, n (%)")[4] {
        Cell::PValue { value, marker } => {
            assert!(relative_eq(*value, theirs, CLASSICAL_TESTS));
            assert_eq!(marker.as_deref(), Some("†"));
        }
        other => panic!("stage's p is {other:?}"),
    }
    assert_eq!(
        row("a")[1],
        Cell::Count {
            count: 10,
            total: 33
        }
    );
    // Rows 7, 14, 21 and 28 of the file have no age: P007 (a, aln 0), P014 (b, aln 1),
    // P021 (c, aln 1) and P028 (c, aln 0).
    let missing = row("missing");
    assert_eq!(
        missing[1..4],
        [
            Cell::Integer { value: 4 },
            Cell::Integer { value: 2 },
            Cell::Integer { value: 2 }
        ]
    );
    assert!(
        table
            .notes
            .iter()
            .any(|n| n.starts_with("p†: Fisher's exact test"))
    );
    assert!(
        table
            .notes
            .iter()
            .any(|n| n.starts_with("missing: patients without a value for `age`"))
    );
}
