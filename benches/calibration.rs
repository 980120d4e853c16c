//! `cargo bench --bench calibration -- RUNS`: radnomo's bootstrap calibration and validation
//! (1,000 replicates each) and the ROC bootstrap interval (2,000 stratified replicates) of the
//! combined model aln ~ grade + multifocal + lnmri + rad on the training cohort of
//! examples/data/demo.csv, timed in process; prints `<task> <median seconds>` like
//! benches/calibration_reference.R does for rms and pROC. benches/calibration.sh runs both and
//! reports the ratios.

use radnomo::data::read_csv;
use radnomo::stats::design::{TermRequest, build};
use radnomo::stats::logistic::fit;
use radnomo::stats::optimism::{bootstrap_calibration, bootstrap_validation};
use radnomo::stats::roc::bootstrap_auc_interval;
use std::path::Path;

mod timing;
use timing::median_seconds;

fn main() {
    let arguments: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let runs: usize = arguments.first().and_then(|r| r.parse().ok()).unwrap_or(5);
    let data = read_csv(Path::new("examples/data/demo.csv")).unwrap();
    let cohort = data.column("cohort").unwrap();
    let rows: Vec<usize> = (0..data.row_count())
        .filter(|&r| cohort.text(r).as_deref() == Some("train"))
        .collect();
    let terms: Vec<TermRequest> = ["grade", "multifocal", "lnmri", "rad"]
        .iter()
        .map(|c| TermRequest {
            column: c.to_string(),
            factor: false,
        })
        .collect();
    let design = build(&data, "aln", &terms, &rows).unwrap();
    let original = fit(&design.x, &design.y, None);
    let never = || false;
    let mut seed = 0;
    let calibrate = median_seconds(runs, || {
        seed += 1;
        let curve =
            bootstrap_calibration(&design.x, &design.y, &original, 1000, seed, &never).unwrap();
        assert_eq!(curve.grid.len(), 50);
    });
    let validate = median_seconds(runs, || {
        seed += 1;
        let (_, refits) =
            bootstrap_validation(&design.x, &design.y, &original, 1000, seed, &never).unwrap();
        assert!(refits.fitted > 900);
    });
    let risk: Vec<f64> = original.fitted.clone();
    let roc = median_seconds(runs, || {
        seed += 1;
        let (low, high) = bootstrap_auc_interval(&design.y, &risk, 2000, seed);
        assert!(low < high);
    });
    println!("calibrate {calibrate:.4}");
    println!("validate {validate:.4}");
    println!("roc_boot {roc:.4}");
}
