//! `validate MODEL pipeline=yes` for a model `select forward` chose: the selection repeated on
//! every bootstrap sample, against an R loop of step() + glm (tests/fixtures/selection/
//! reference.json, written by make_reference.R beside it: 10 seeds × 100 replicates). R's
//! generator cannot match radnomo's, so corrected indices are compared in distribution over seeds
//! (means within four standard errors of the difference, plus 1e-4) and selection frequencies
//! within 4.5 standard errors of the difference of two proportions.

use crate::support::{
    Run, agree_in_distribution, proportions_agree, r_number, read, same_on_one_and_two_threads,
};
use radnomo::Session;
use radnomo::output::{Cell, Item, Table};
use serde_json::Value;

const SELECT: &str = "load table examples/data/demo.csv outcome=aln split=cohort; clinical = select forward age+size_mm+grade+multifocal+lnmri+er+pr+her2+ki67+bmi";
const CANDIDATES: [&str; 10] = [
    "age",
    "size_mm",
    "grade",
    "multifocal",
    "lnmri",
    "er",
    "pr",
    "her2",
    "ki67",
    "bmi",
];

fn table<'a>(items: &'a [Item], name: &str) -> &'a Table {
    items
        .iter()
        .find_map(|item| match item {
            Item::Table(t) if t.name == name => Some(t),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no table {name}"))
}

fn number(cell: &Cell) -> f64 {
    match cell {
        Cell::Number { value } => *value,
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_selection_repeated_agrees_with_an_r_loop_of_step() {
    let reference: Value =
        serde_json::from_str(&read("tests/fixtures/selection/reference.json")).unwrap();
    let mut session = Session::new();
    session.execute(SELECT).unwrap();
    let labels = ["C (AUC)", "Intercept", "Slope", "B"];
    let mut corrected = vec![Vec::new(); labels.len()];
    let mut chosen = [0u64; 10];
    const SEEDS: u64 = 3;
    for seed in 1..=SEEDS {
        let output = session
            .execute(&format!(
                "validate clinical pipeline=yes boot=200 seed={seed}"
            ))
            .unwrap();
        let comparison = table(&output.items, "pipeline validation");
        for (k, label) in labels.iter().enumerate() {
            let row = comparison
                .rows
                .iter()
                .find(|r| r[0] == Cell::text(*label))
                .unwrap();
            // The apparent figures are glm's on the same 293 patients.
            let apparent = r_number(&reference["apparent"][k]);
            assert!(
                (number(&row[1]) - apparent).abs() < 1e-9,
                "{label} apparent"
            );
            corrected[k].push(number(&row[5]));
        }
        let frequencies = table(&output.items, "selection frequency");
        for row in &frequencies.rows {
            let Cell::Text { value: name } = &row[0] else {
                panic!()
            };
            let Cell::Count { count, total } = row[1] else {
                panic!()
            };
            assert_eq!(total, 200);
            chosen[CANDIDATES.iter().position(|c| c == name).unwrap()] += count;
        }
    }
    let runs = reference["runs"].as_array().unwrap();
    for (k, label) in labels.iter().enumerate() {
        let theirs: Vec<f64> = runs.iter().map(|r| r_number(&r["corrected"][k])).collect();
        assert!(
            agree_in_distribution(&corrected[k], &theirs),
            "{label} corrected with the selection repeated: radnomo {:?} vs R {theirs:?}",
            corrected[k]
        );
    }
    let ours_total = (SEEDS * 200) as f64;
    let r_total = (runs.len() * 100) as f64;
    for (j, name) in CANDIDATES.iter().enumerate() {
        let theirs: f64 = runs
            .iter()
            .map(|r| r["chosen_counts"][name].as_f64().unwrap())
            .sum();
        assert!(
            proportions_agree((chosen[j] as f64, ours_total), (theirs, r_total)),
            "{name} chosen in {} of radnomo's {ours_total} replicates and {theirs} of R's {r_total}",
            chosen[j]
        );
    }
}

#[test]
fn the_selection_is_named_where_it_is_not_repeated_and_the_same_on_any_thread_count() {
    let script = format!("{SELECT}; validate clinical pipeline=yes boot=30 seed=2");
    let two = same_on_one_and_two_threads(&script, "Bootstrap validation of clinical");
    two.stdout_has("with the selection repeated")
        .stdout_has("How often each candidate was selected (30 replicates)");
    Run::script(&format!(
        "{SELECT}; calibrate clinical pipeline=yes boot=20"
    ))
    .succeeds()
    .stdout_has(
        "each of 20 bootstrap samples of the 293 patients complete in every candidate repeated",
    )
    .stdout_has("Pipeline-corrected");
    Run::script(&format!("{SELECT}; cv clinical repeats=1"))
        .succeeds()
        .stdout_has("`cv` takes them as given");
}
