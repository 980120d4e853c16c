//! `validate MODEL pipeline=yes`: the LASSO signature made again on every bootstrap sample
//! (tests/fixtures/models/paper.csv, 296 patients × 55 features, where the signature's selection
//! is strong enough to show in the figures). The replay itself is checked in
//! `stats::pipeline::tests` (on the original sample it gives the original model back); against R
//! here: tests/fixtures/pipeline/reference.json, written by make_reference.R beside it (an R loop
//! of cv.glmnet + glm on each bootstrap sample, 10 seeds × 100 replicates).

use crate::support::{
    Run, agree_in_distribution, proportions_agree, r_number, read, same_on_one_and_two_threads,
};
use serde_json::Value;

const STEPS: &str = "load table tests/fixtures/models/paper.csv outcome=aln split=cohort features=f??; lasso thresh=1e-7; combined = fit grade+multifocal+lnmri+rad";

/// The numbers of a text table's row `label`.
fn row(stdout: &str, label: &str) -> Vec<f64> {
    let line = stdout
        .lines()
        .find(|l| {
            l.split('┆')
                .next()
                .is_some_and(|c| c.trim_start_matches('│').trim() == label)
        })
        .unwrap_or_else(|| panic!("no row {label} in\n{stdout}"));
    line.split('┆')
        .skip(1)
        .map(|c| c.trim_end_matches('│').trim().parse().unwrap())
        .collect()
}

#[test]
fn the_pipeline_is_validated_beside_the_final_fit_the_same_on_any_thread_count() {
    let script = format!("{STEPS}; validate combined pipeline=yes boot=20 seed=3");
    let two = same_on_one_and_two_threads(&script, "loaded");
    // 55 candidates for 87 events: the lasso says so.
    two.stdout_has("55 candidate features for 87 events (the smaller group of `aln`): 1.6 events per candidate, fewer than the 10 usually asked");
    two.stdout_has("each of 20 bootstrap samples of the 296 training patients repeated: z-scoring of the 55 candidate features")
        .stdout_has("Selection frequency over 20 bootstrap samples");
    // Apparent, optimism and corrected of the final fit; optimism and corrected of the pipeline.
    let c = row(&two.stdout, "C (AUC)");
    assert!((c[0] - 0.824).abs() < 1e-3, "apparent C {}", c[0]);
    assert!((c[2] - (c[0] - c[1])).abs() < 1e-3 && (c[4] - (c[0] - c[3])).abs() < 1e-3);
    // Selecting the signature on the same patients flatters the model: the pipeline's optimism
    // is many times the final fit's (0.097 against 0.009 with these 20 replicates).
    assert!(
        c[3] > 0.03 && c[3] > 5.0 * c[1],
        "optimism: final fit {}, pipeline {}",
        c[1],
        c[3]
    );
    let slope = row(&two.stdout, "Slope");
    assert!(
        slope[4] < 0.85,
        "the pipeline's corrected slope {}",
        slope[4]
    );
}

#[test]
fn calibration_draws_the_pipelines_corrected_curve_beside_the_final_fits() {
    Run::script(&format!(
        "{STEPS}; calibrate combined pipeline=yes boot=10 seed=2"
    ))
    .succeeds()
    .stdout_has("each of 10 bootstrap samples of the 296 training patients repeated")
    .stdout_has("bias-corrected, whole pipeline (10 bootstrap replays)")
    .stdout_has("Pipeline-corrected");
}

#[test]
fn a_fit_warns_of_few_events_per_coefficient_only_when_there_are() {
    let load = "load table examples/data/demo.csv outcome=aln split=cohort";
    let few = Run::script(&format!("{load}; clinical = fit grade+multifocal+lnmri")).succeeds();
    assert!(
        !few.stdout.contains("events per candidate"),
        "{}",
        few.stdout
    );
    Run::script(&format!(
        "{load}; wide = fit age+size_mm+grade+multifocal+lnmri+er+pr+her2+ki67+bmi+rad"
    ))
    .succeeds()
    .stdout_has("11 candidate coefficients for 105 events (the smaller group of `aln`): 9.5 events per candidate");
}

#[test]
fn a_model_without_a_signature_or_with_a_changed_one_is_refused() {
    Run::script(&format!(
        "{STEPS}; clinical = fit grade+multifocal+lnmri; validate clinical pipeline=yes"
    ))
    .fails()
    .stderr_has("has no LASSO signature made in this session");
    Run::script(&format!(
        "{STEPS}; clinical = fit grade+multifocal+lnmri; calibrate clinical pipeline=yes"
    ))
    .fails()
    .stderr_has("has no LASSO signature made in this session");
    Run::script(&format!(
        "{STEPS}; standardize features=rad; validate combined pipeline=yes boot=10"
    ))
    .fails()
    .stderr_has("column `rad` has changed since `lasso` made it");
}

/// The selection table's counts: (candidate index, replicates that kept it) for `fNN` rows.
fn kept_counts(stdout: &str) -> Vec<(usize, u64)> {
    let start = stdout
        .find("Selection frequency over")
        .expect("a selection table");
    stdout[start..]
        .lines()
        .filter_map(|line| {
            let mut cells = line.split('┆');
            let name = cells.next()?.trim_start_matches('│').trim();
            let index: usize = name.strip_prefix('f')?.parse().ok()?;
            let count = cells.next()?.split_whitespace().next()?.parse().ok()?;
            Some((index - 1, count))
        })
        .collect()
}

/// `lasso … stability=N seed=S` draws the samples and folds of `validate … pipeline=yes seed=S`:
/// the same selection frequencies.
#[test]
fn stability_selection_is_the_pipeline_bootstraps_selection() {
    let load = "load table tests/fixtures/models/paper.csv outcome=aln split=cohort features=f??";
    let stability =
        Run::script(&format!("{load}; lasso thresh=1e-7 seed=5 stability=12")).succeeds();
    stability
        .stdout_has("Selection frequency over 12 bootstrap samples")
        .stdout_has("the samples `validate MODEL pipeline=yes seed=5` draws");
    let pipeline = Run::script(&format!(
        "{load}; lasso thresh=1e-7 seed=5; combined = fit grade+multifocal+lnmri+rad; validate combined pipeline=yes boot=12 seed=5"
    ))
    .succeeds();
    let counts = kept_counts(&stability.stdout);
    assert!(counts.len() > 20, "{counts:?}");
    assert_eq!(counts, kept_counts(&pipeline.stdout));
}

/// radnomo's seeds against R's 10 (60 replicates each here, 100 in R: the comparison of means
/// over seeds takes each side's own spread).
const SEEDS: u64 = 3;

#[test]
fn the_pipelines_corrected_indices_agree_with_an_r_loop_of_cv_glmnet_and_glm() {
    let reference: Value =
        serde_json::from_str(&read("tests/fixtures/pipeline/reference.json")).unwrap();
    let steps = "load table tests/fixtures/models/paper.csv outcome=aln split=cohort features=f??; lasso foldid=fold thresh=1e-7; combined = fit grade+multifocal+lnmri+rad";
    // Indices in the reference's order: C, calibration intercept, slope, Brier score.
    let labels = ["C (AUC)", "Intercept", "Slope", "B"];
    let mut ours: Vec<Vec<f64>> = vec![Vec::new(); labels.len()];
    let mut kept = vec![0u64; 55];
    for seed in 1..=SEEDS {
        let run = Run::script(&format!(
            "{steps}; validate combined pipeline=yes boot=60 seed={seed}"
        ))
        .succeeds();
        // The original signature and final fit are glmnet's and glm's (same folds, thresh
        // 1e-7 in both: coefficients within ~1e-3, the apparent C within 1e-4).
        run.stdout_has("rule min → 19 features")
            .stdout_has("of the signature's 19 kept in at least 75% of samples");
        for (k, label) in labels.iter().enumerate() {
            let values = row(&run.stdout, label);
            let apparent = r_number(&reference["apparent"][k]);
            assert!(
                (values[0] - apparent).abs() < 1e-4,
                "{label}: apparent {} vs R {apparent}",
                values[0]
            );
            ours[k].push(values[4]);
        }
        for (j, count) in kept_counts(&run.stdout) {
            kept[j] += count;
        }
    }
    let runs = reference["runs"].as_array().unwrap();
    // Selection frequencies (stability selection): each feature's share of replicates keeping
    // it, radnomo's 3 × 60 against R's 10 × 100, within 4.5 standard errors of the difference of
    // two binomial proportions (55 features compared: a 1-in-10⁴ chance of a false alarm).
    let ours_total = (SEEDS * 60) as f64;
    let r_total = (runs.len() * 100) as f64;
    for (j, &count) in kept.iter().enumerate() {
        let name = format!("f{:02}", j + 1);
        let theirs: f64 = runs
            .iter()
            .map(|r| r["kept_counts"][&name].as_f64().unwrap())
            .sum();
        assert!(
            proportions_agree((count as f64, ours_total), (theirs, r_total)),
            "{name} kept in {count} of radnomo's {ours_total} replicates and {theirs} of R's {r_total}"
        );
    }
    for (k, label) in labels.iter().enumerate() {
        let theirs: Vec<f64> = runs.iter().map(|r| r_number(&r["corrected"][k])).collect();
        assert!(
            agree_in_distribution(&ours[k], &theirs),
            "{label} corrected by the pipeline: radnomo {:?} vs R {theirs:?}",
            ours[k]
        );
    }
}
