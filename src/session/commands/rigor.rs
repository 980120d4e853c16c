//! The rigor check `report` prints and puts in the report: the faults reviewers find most often in
//! radiomics models, judged from what the session ran, each with the command that addresses it.
//! Data-driven selection outside the validation loop and too few events per candidate make a
//! model look better than it is (Harrell 2015, §4.1, §5.3; Riley et al., BMJ 2020;368:m441);
//! calibration, external validation and feature robustness are asked by TRIPOD+AI, CLEAR and
//! METRICS (Collins et al., BMJ 2024;385:e078378; Kocak et al., Insights Imaging 2023;14:75 and
//! 2024;15:8).

use crate::data::Cohort;
use crate::output::{Cell, Table};
use crate::session::state::State;

/// Events per candidate predictor below which a model is likely to be overfitted.
const EVENTS_PER_CANDIDATE: f64 = 10.0;

/// The check as a table: what was checked, its status and the evidence or the remedy.
pub(super) fn rigor_check(state: &State) -> Table {
    let mut table = Table::new("rigor", "Rigor check").with_columns([
        "Check",
        "Status",
        "Evidence, or what to do",
    ]);
    let ran = |commands: &[&str], needle: &str| {
        state
            .history
            .iter()
            .rev()
            .find(|e| commands.contains(&e.command) && e.text.contains(needle))
            .map(|e| format!("`{}`", e.text))
    };
    let mut row = |check: &str, status: &str, said: String| {
        table.add_row(vec![
            Cell::text(check),
            Cell::text(status),
            Cell::text(said),
        ]);
    };
    let selected = !state.signatures.is_empty() || !state.selections.is_empty();
    match (selected, ran(&["validate", "calibrate"], "pipeline=yes")) {
        (false, _) => row(
            "Data-driven selection repeated inside validation",
            "not applicable",
            "no LASSO signature or forward selection ran".to_string(),
        ),
        (true, Some(statement)) => row(
            "Data-driven selection repeated inside validation",
            "done",
            format!("{statement} repeats the selection on each bootstrap sample"),
        ),
        (true, None) => row(
            "Data-driven selection repeated inside validation",
            "to address",
            "the signature or the clinical factors were chosen on all training patients and validated as if given: run `validate MODEL pipeline=yes` (and `calibrate MODEL pipeline=yes`)".to_string(),
        ),
    }
    let candidates = state
        .signatures
        .values()
        .map(|s| s.steps.features.len())
        .chain(state.selections.values().map(|s| s.scope.len()))
        .max();
    match (candidates, events(state)) {
        (Some(candidates), Some((events, outcome))) => {
            let per = events as f64 / candidates as f64;
            let said = format!(
                "{candidates} candidates for {events} events (the smaller group of `{outcome}` among the model's patients): {per:.1} per candidate"
            );
            if per < EVENTS_PER_CANDIDATE {
                row(
                    "Events per candidate predictor ≥ 10",
                    "to address",
                    format!(
                        "{said}; fewer candidates (`robustness drop=0.75`, `features=`) or more patients (`samplesize`), and validation that repeats the selection"
                    ),
                );
            } else {
                row("Events per candidate predictor ≥ 10", "done", said);
            }
        }
        _ => row(
            "Events per candidate predictor ≥ 10",
            "not applicable",
            "no selection among candidates ran".to_string(),
        ),
    }
    match ran(&["calibrate", "hosmer"], "") {
        Some(statement) => row("Calibration assessed", "done", statement),
        None => row(
            "Calibration assessed",
            "to address",
            "no calibration curve or test: run `calibrate MODEL`".to_string(),
        ),
    }
    row(
        "External validation",
        "to address",
        "the validation cohort is a split of the same patients' source; test the model on another centre's patients before claiming it generalises".to_string(),
    );
    let extracted = state.data.as_ref().is_some_and(|d| !d.features.is_empty());
    match (extracted, ran(&["robustness"], "")) {
        (_, Some(statement)) => row("Feature robustness assessed", "done", statement),
        (true, None) => row(
            "Feature robustness assessed",
            "to address",
            "no perturbation analysis: run `robustness` (and `robustness drop=0.75` before `lasso`)".to_string(),
        ),
        (false, None) => row(
            "Feature robustness assessed",
            "not applicable",
            "no image features in the data".to_string(),
        ),
    }
    table.note("judged from the statements this session ran; `to address` names what a reviewer would ask and the command that answers it");
    table
}

/// The smaller outcome group among the training patients (all patients when not split).
fn events(state: &State) -> Option<(usize, String)> {
    let data = state.data.as_ref()?;
    let outcome = data.outcome.clone()?;
    let column = data.column(&outcome)?;
    let cohort = data.cohorts.as_ref().map(|_| Cohort::Training);
    let rows = data.rows_of(cohort);
    let (positive, negative, _, _) = data.binary_groups(column, &rows).ok()?;
    Some((positive.len().min(negative.len()), outcome))
}
