//! The nomogram against rms (tests/fixtures/nomogram/reference.json, written by
//! make_reference.R beside it from examples/data/demo.csv): the points scale, every axis value's
//! points, the total-points, linear-predictor and risk scales, and every training patient's total
//! points and risk, for a model with a numeric ordinal and a continuous predictor and one with a
//! three-level factor.

use crate::support::{r_number, r_numbers, read, root};
use radnomo::output::{Cell, Item, Model};
use radnomo::stats::nomogram::{Nomogram, TickValue};
use serde_json::Value;

/// Points are the same closed form as rms's (β·x − min)·scale; only the fit differs, by IRLS's
/// convergence (glm and lrm stop within 1e-8 in deviance): 1e-6 points.
const POINTS: f64 = 1e-6;
/// rms places risk ticks by interpolating the inverse logistic on a 1,000-point grid of the
/// linear predictor; radnomo uses the exact logit. The tolerance: 0.01 points.
const RISK_TICK_POINTS: f64 = 0.01;
/// rms's lrm stops its Newton steps earlier than glm (its coefficients differ from glm's by up to
/// 6e-8 on these models, while radnomo's equal glm's to 1e-9): risks within 1e-7.
const RISK: f64 = 1e-7;

fn close(ours: &[f64], theirs: &[f64], tolerance: f64, what: &str) {
    assert_eq!(
        ours.len(),
        theirs.len(),
        "{what}: {ours:?} vs rms {theirs:?}"
    );
    for (a, b) in ours.iter().zip(theirs) {
        assert!(
            (a - b).abs() <= tolerance,
            "{what}: {ours:?} vs rms {theirs:?}"
        );
    }
}

fn session() -> radnomo::Session {
    let mut session = radnomo::Session::new();
    let path = root().join("examples/data/demo.csv");
    session
        .execute(&format!(
            "load table \"{}\" outcome=aln split=cohort\n\
             combined = fit grade+multifocal+lnmri+rad\n\
             clinical = fit age+factor(grade)+lnmri",
            path.display()
        ))
        .unwrap();
    session
}

fn model(session: &radnomo::Session, name: &str) -> Model {
    match session.state().variables.get(name) {
        Some(Item::Model(model)) => model.clone(),
        _ => panic!("no model {name}"),
    }
}

#[test]
fn nomogram_points_and_scales_equal_rms() {
    let reference: Value =
        serde_json::from_str(&read("tests/fixtures/nomogram/reference.json")).unwrap();
    let session = session();
    let data = session.state().data.as_ref().unwrap();
    for (name, renamed) in [
        ("combined", vec![]),
        ("clinical", vec![("gradef", "factor(grade)")]),
    ] {
        let expected = &reference["models"][name];
        let model = model(&session, name);
        let ours: Vec<f64> = model
            .coefficients
            .iter()
            .map(|c| c.estimate.unwrap())
            .collect();
        close(
            &ours,
            &r_numbers(&expected["coefficients"]),
            1e-6,
            &format!("{name}: coefficients"),
        );
        let nomogram: Nomogram = radnomo::session::nomogram_of(&model, data).unwrap();
        let scale = r_number(&expected["scale"]);
        assert!(
            (nomogram.points_per_unit - scale).abs() < 1e-6 * scale,
            "{name}: points per unit {} vs rms {scale}",
            nomogram.points_per_unit
        );
        assert!((nomogram.intercept_at_zero - r_number(&expected["intercept"])).abs() < 1e-6);
        for predictor in expected["predictors"].as_array().unwrap() {
            let r_name = predictor["name"].as_str().unwrap();
            let our_name = renamed
                .iter()
                .find(|(r, _)| *r == r_name)
                .map_or(r_name, |(_, ours)| *ours);
            let axis = nomogram.axes.iter().find(|a| a.name == our_name).unwrap();
            let labels: Vec<String> = axis.ticks.iter().map(|t| t.value.label()).collect();
            let r_labels: Vec<String> = predictor["values"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| {
                    let text = v.as_str().unwrap();
                    text.parse::<f64>()
                        .map_or(text.to_string(), |x| TickValue::Number(x).label())
                })
                .collect();
            assert_eq!(labels, r_labels, "{name}: {our_name} axis values");
            let points: Vec<f64> = axis.ticks.iter().map(|t| t.points).collect();
            close(
                &points,
                &r_numbers(&predictor["points"]),
                POINTS,
                &format!("{name}: {our_name} points"),
            );
        }
        close(
            &nomogram.total_points,
            &r_numbers(&expected["total_points"]),
            0.0,
            &format!("{name}: total points"),
        );
        let lp: Vec<f64> = nomogram.linear_predictor.iter().map(|t| t.value).collect();
        close(
            &lp,
            &r_numbers(&expected["lp_at"]),
            0.0,
            &format!("{name}: linear predictor ticks"),
        );
        let lp_points: Vec<f64> = nomogram.linear_predictor.iter().map(|t| t.points).collect();
        close(
            &lp_points,
            &r_numbers(&expected["lp_points"]),
            POINTS * 10.0,
            &format!("{name}: linear predictor positions"),
        );
        let risk: Vec<f64> = nomogram.risk.iter().map(|t| t.value).collect();
        close(
            &risk,
            &r_numbers(&expected["risk_at"]),
            0.0,
            &format!("{name}: risk ticks"),
        );
        let risk_points: Vec<f64> = nomogram.risk.iter().map(|t| t.points).collect();
        close(
            &risk_points,
            &r_numbers(&expected["risk_points"]),
            RISK_TICK_POINTS,
            &format!("{name}: risk positions"),
        );

        // Every training patient: points summed axis by axis, and the risk they map to.
        let ids: Vec<&str> = expected["patients"]["id"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        let totals = r_numbers(&expected["patients"]["total_points"]);
        let risks = r_numbers(&expected["patients"]["risk"]);
        assert_eq!(ids.len(), 296);
        for ((id, total), risk) in ids.iter().zip(&totals).zip(&risks) {
            let row = (0..data.row_count())
                .find(|&r| data.patient_label(r) == *id)
                .unwrap();
            let mut ours = 0.0;
            for (index, term) in model.terms.iter().enumerate() {
                let column = data.column(&term.column).unwrap();
                let value = if term.categorical {
                    TickValue::Level(column.text(row).unwrap())
                } else {
                    TickValue::Number(data.numbers(&term.column).unwrap()[row].unwrap())
                };
                ours += nomogram.points(index, &value).unwrap();
            }
            assert!(
                (ours - total).abs() < POINTS * 10.0,
                "{name} {id}: {ours} points vs rms {total}"
            );
            let our_risk = nomogram.risk_at(ours);
            assert!(
                (our_risk - risk).abs() < RISK,
                "{name} {id}: risk {our_risk} vs rms {risk}"
            );
        }
    }
}

/// The points (third) cell of the row whose first cell starts with `label`.
fn cell(output: &radnomo::Output, label: &str) -> f64 {
    for item in &output.items {
        if let Item::Table(table) = item {
            for row in &table.rows {
                if matches!(&row[0], Cell::Text { value } if value.starts_with(label))
                    && let Cell::Number { value } = row[2]
                {
                    return value;
                }
            }
        }
    }
    panic!("no row {label}");
}

#[test]
fn predict_gives_the_patients_points_and_risk_as_rms() {
    let reference: Value =
        serde_json::from_str(&read("tests/fixtures/nomogram/reference.json")).unwrap();
    let patients = &reference["models"]["combined"]["patients"];
    let ids = patients["id"].as_array().unwrap();
    let mut session = session();
    for k in [0, 17, 101, 295] {
        let id = ids[k].as_str().unwrap();
        let output = session
            .execute(&format!("predict combined patient={id}"))
            .unwrap();
        let total = r_number(&patients["total_points"][k]);
        let risk = r_number(&patients["risk"][k]);
        let (our_total, our_risk) = (cell(&output, "Total points"), cell(&output, "Risk of aln"));
        assert!(
            (our_total - total).abs() < POINTS * 10.0,
            "{id}: {our_total} vs rms {total}"
        );
        assert!(
            (our_risk - risk).abs() < RISK,
            "{id}: risk {our_risk} vs rms {risk}"
        );
    }
    // Typed values replace the patient's: lnmri from no to yes adds lnmri's 7.19 points.
    let first = ids[1].as_str().unwrap();
    let before = cell(
        &session
            .execute(&format!("predict combined patient={first} lnmri=no"))
            .unwrap(),
        "Total points",
    );
    let after = cell(
        &session
            .execute(&format!("predict combined patient={first} lnmri=yes"))
            .unwrap(),
        "Total points",
    );
    let lnmri_yes = r_numbers(&reference["models"]["combined"]["predictors"][2]["points"])[1];
    assert!((after - before - lnmri_yes).abs() < POINTS * 10.0);
}

#[test]
fn predict_errors_name_the_value_and_the_session_keeps_its_models() {
    let mut session = session();
    let message =
        |session: &mut radnomo::Session, line: &str| session.execute(line).unwrap_err().to_string();
    let unknown_level = message(
        &mut session,
        "predict combined grade=3 multifocal=maybe lnmri=no rad=0",
    );
    assert!(
        unknown_level.contains("`multifocal` has no level `maybe`"),
        "{unknown_level}"
    );
    assert!(unknown_level.contains("no, yes"), "{unknown_level}");
    let not_in_model = message(
        &mut session,
        "predict combined grade=3 multifocl=no lnmri=no rad=0",
    );
    assert!(
        not_in_model.contains("did you mean `multifocal`?"),
        "{not_in_model}"
    );
    let missing = message(&mut session, "predict combined grade=3 lnmri=no");
    assert!(
        missing.contains("no value for `multifocal`, `rad`"),
        "{missing}"
    );
    let not_a_number = message(
        &mut session,
        "predict combined grade=high multifocal=no lnmri=no rad=0",
    );
    assert!(
        not_a_number.contains("`grade` expects a number"),
        "{not_a_number}"
    );
    let no_model = message(&mut session, "predict combind patient=P0002");
    assert!(no_model.contains("did you mean `combined`?"), "{no_model}");
    let no_patient = message(&mut session, "predict combined patient=P9999");
    assert!(no_patient.contains("no patient `P9999`"), "{no_patient}");
    assert!(session.execute("predict combined patient=P0002").is_ok());
}
