//! Intraclass correlations against R's psych::ICC (`lmer = FALSE`): every table in
//! tests/fixtures/icc/reference.json, written by make_reference.R beside it.
//!
//! Tolerance: 1e-9 absolute on ICC(1,1), ICC(2,1), ICC(3,1) and their 95% bounds — the issue's
//! bar is 1e-6; both sides evaluate the same mean squares, and the bounds' F quantiles are found
//! to the last bit on both sides (R's qf, radnomo's bisection of the incomplete beta).

use crate::support::{r_number, read};
use radnomo::stats::icc::{Icc, intraclass_correlations};
use serde_json::Value;

#[test]
fn every_icc_and_interval_equals_psych() {
    let reference: Value =
        serde_json::from_str(&read("tests/fixtures/icc/reference.json")).unwrap();
    let tables = reference["tables"].as_array().unwrap();
    assert_eq!(tables.len(), 6);
    for case in tables {
        let name = case["name"].as_str().unwrap();
        let table: Vec<Vec<f64>> = case["table"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| row.as_array().unwrap().iter().map(r_number).collect())
            .collect();
        let ours = intraclass_correlations(&table).unwrap();
        for (key, icc) in [
            ("icc1", ours.one_way),
            ("icc2", ours.two_way_random),
            ("icc3", ours.two_way_fixed),
        ] {
            let Icc {
                value,
                lower,
                upper,
            } = icc;
            for (part, ours) in [("value", value), ("lower", lower), ("upper", upper)] {
                let theirs = r_number(&case[key][part]);
                assert!(
                    (ours - theirs).abs() < 1e-9,
                    "{name} {key} {part}: {ours} vs psych {theirs}"
                );
            }
        }
    }
}
