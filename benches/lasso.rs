//! `cargo bench --bench lasso -- DIR RUNS`: radnomo's cross-validated lasso on the benchmark
//! tables (the 296 × 55 training features of tests/fixtures/models/paper.csv, DIR/synthetic.csv —
//! the study's 55 features on the built-in cohort after `correct bias` — and DIR/wide.csv,
//! 10,000 × 1,000), timed in process at radnomo's default threshold (1e-10) and at glmnet's
//! (1e-7, suffix `@1e-7`); prints `<table> <median seconds>` like
//! benches/lasso_reference.R does for glmnet. benches/lasso.sh runs both and reports the ratios.

use radnomo::data::{Dataset, read_csv};
use radnomo::stats::lasso::{LassoOptions, Measure, cross_validate};
use radnomo::stats::linalg::Matrix;
use radnomo::stats::summary::z_scores;
use std::path::Path;

mod timing;
use timing::median_seconds;

fn column(data: &Dataset, name: &str, rows: &[usize]) -> Vec<f64> {
    let values = data.numbers(name).expect("numeric column");
    rows.iter()
        .map(|&r| values[r].expect("no missing values"))
        .collect()
}

/// Prints `<table> <median seconds>` at radnomo's default threshold (1e-10) and
/// `<table>@1e-7 <median seconds>` at glmnet's default, for a like-for-like ratio.
fn report(table: &str, runs: usize, x: &Matrix, y: &[f64], folds: &[usize]) {
    for (suffix, threshold) in [("", 1e-10), ("@1e-7", 1e-7)] {
        let options = LassoOptions {
            threshold,
            ..LassoOptions::default()
        };
        let seconds = median_seconds(runs, || {
            let (path, _) = cross_validate(x, y, folds, &options, Measure::Deviance);
            assert!(!path.lambdas.is_empty());
        });
        println!("{table}{suffix} {seconds}");
    }
}

/// The rows whose `cohort` is `train`.
fn training_rows(data: &Dataset) -> Vec<usize> {
    let cohort = data.column("cohort").unwrap();
    (0..data.row_count())
        .filter(|&r| cohort.text(r).as_deref() == Some("train"))
        .collect()
}

/// The named columns on `rows`, each z-scored.
fn z_scored(data: &Dataset, names: &[String], rows: &[usize]) -> Matrix {
    let columns: Vec<Vec<f64>> = names
        .iter()
        .map(|name| z_scores(&column(data, name, rows)).0)
        .collect();
    Matrix::from_columns(&columns)
}

fn main() {
    let arguments: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let folder = arguments
        .first()
        .map_or("target/bench-data", String::as_str);
    let runs: usize = arguments.get(1).and_then(|r| r.parse().ok()).unwrap_or(5);

    let paper = read_csv(Path::new("tests/fixtures/models/paper.csv")).unwrap();
    let training = training_rows(&paper);
    let names: Vec<String> = (1..=55).map(|j| format!("f{j:02}")).collect();
    let folds: Vec<usize> = column(&paper, "fold", &training)
        .iter()
        .map(|&f| f as usize)
        .collect();
    report(
        "paper",
        runs,
        &z_scored(&paper, &names, &training),
        &column(&paper, "aln", &training),
        &folds,
    );

    let synthetic = read_csv(&Path::new(folder).join("synthetic.csv")).unwrap();
    let training = training_rows(&synthetic);
    let names: Vec<String> = synthetic
        .column_names()
        .skip(3)
        .map(str::to_string)
        .collect();
    // Folds 1..10 in turn down the training rows, as benches/lasso_reference.R assigns them.
    let folds: Vec<usize> = (0..training.len()).map(|i| i % 10 + 1).collect();
    report(
        "synthetic",
        runs,
        &z_scored(&synthetic, &names, &training),
        &column(&synthetic, "aln", &training),
        &folds,
    );

    let wide = read_csv(&Path::new(folder).join("wide.csv")).unwrap();
    let rows: Vec<usize> = (0..wide.row_count()).collect();
    let names: Vec<String> = wide.column_names().skip(2).map(str::to_string).collect();
    let columns: Vec<Vec<f64>> = names.iter().map(|n| column(&wide, n, &rows)).collect();
    let folds: Vec<usize> = column(&wide, "fold", &rows)
        .iter()
        .map(|&f| f as usize)
        .collect();
    report(
        "wide",
        runs.min(3),
        &Matrix::from_columns(&columns),
        &column(&wide, "y", &rows),
        &folds,
    );
}
