//! `cargo bench --bench lasso -- DIR RUNS`: radnomo's cross-validated lasso on the benchmark
//! tables (the 296 × 55 training features of tests/fixtures/models/paper.csv, DIR/synthetic.csv —
//! the study's 55 features on the built-in cohort after `correct bias` — and DIR/wide.csv,
//! 10,000 × 1,000), timed in process at radnomo's default threshold (1e-10) and at glmnet's
//! (1e-7, suffix `@1e-7`); prints `<table> <median seconds>` like
//! benches/lasso_reference.R does for glmnet. benches/lasso.sh runs both and reports the ratios.

use radnomo::data::read_csv;
use radnomo::stats::lasso::{LassoOptions, Measure, cross_validate};
use radnomo::stats::linalg::Matrix;
use radnomo::stats::summary::z_scores;
use std::path::Path;

mod timing;
use timing::median_seconds;

fn column(data: &radnomo::data::Dataset, name: &str, rows: &[usize]) -> Vec<f64> {
    let values = data.numbers(name).expect("numeric column");
    rows.iter()
        .map(|&r| values[r].expect("no missing values"))
        .collect()
}

fn cross_validation_seconds(
    runs: usize,
    x: &Matrix,
    y: &[f64],
    folds: &[usize],
    threshold: f64,
) -> f64 {
    let options = LassoOptions {
        threshold,
        ..LassoOptions::default()
    };
    median_seconds(runs, || {
        let (path, _) = cross_validate(x, y, folds, &options, Measure::Deviance);
        assert!(!path.lambdas.is_empty());
    })
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
    let cohort = paper.column("cohort").unwrap();
    let training: Vec<usize> = (0..paper.row_count())
        .filter(|&r| cohort.text(r).as_deref() == Some("train"))
        .collect();
    let columns: Vec<Vec<f64>> = (1..=55)
        .map(|j| z_scores(&column(&paper, &format!("f{j:02}"), &training)).0)
        .collect();
    let x = Matrix::from_columns(&columns);
    let y = column(&paper, "aln", &training);
    let folds: Vec<usize> = column(&paper, "fold", &training)
        .iter()
        .map(|&f| f as usize)
        .collect();
    // radnomo's default threshold (1e-10), and glmnet's default (1e-7) for a like-for-like ratio.
    println!(
        "paper {}",
        cross_validation_seconds(runs, &x, &y, &folds, 1e-10)
    );
    println!(
        "paper@1e-7 {}",
        cross_validation_seconds(runs, &x, &y, &folds, 1e-7)
    );

    let synthetic = read_csv(&Path::new(folder).join("synthetic.csv")).unwrap();
    let cohort = synthetic.column("cohort").unwrap();
    let training: Vec<usize> = (0..synthetic.row_count())
        .filter(|&r| cohort.text(r).as_deref() == Some("train"))
        .collect();
    let columns: Vec<Vec<f64>> = synthetic
        .column_names()
        .skip(3)
        .map(|name| z_scores(&column(&synthetic, name, &training)).0)
        .collect();
    let x = Matrix::from_columns(&columns);
    let y = column(&synthetic, "aln", &training);
    // Folds 1..10 in turn down the training rows, as benches/lasso_reference.R assigns them.
    let folds: Vec<usize> = (0..training.len()).map(|i| i % 10 + 1).collect();
    println!(
        "synthetic {}",
        cross_validation_seconds(runs, &x, &y, &folds, 1e-10)
    );
    println!(
        "synthetic@1e-7 {}",
        cross_validation_seconds(runs, &x, &y, &folds, 1e-7)
    );

    let wide = read_csv(&Path::new(folder).join("wide.csv")).unwrap();
    let rows: Vec<usize> = (0..wide.row_count()).collect();
    let names: Vec<String> = wide.column_names().skip(2).map(str::to_string).collect();
    let columns: Vec<Vec<f64>> = names.iter().map(|n| column(&wide, n, &rows)).collect();
    let x = Matrix::from_columns(&columns);
    let y = column(&wide, "y", &rows);
    let folds: Vec<usize> = column(&wide, "fold", &rows)
        .iter()
        .map(|&f| f as usize)
        .collect();
    println!(
        "wide {}",
        cross_validation_seconds(runs.min(3), &x, &y, &folds, 1e-10)
    );
    println!(
        "wide@1e-7 {}",
        cross_validation_seconds(runs.min(3), &x, &y, &folds, 1e-7)
    );
}
