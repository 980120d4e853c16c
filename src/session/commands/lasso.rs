//! The radiomics signature: `standardize` the features, then `lasso` — penalised logistic
//! regression with cross-validated λ, whose linear predictor becomes the rad-score column.

use crate::data::{Column, Standardization};
use crate::error::{Error, ErrorKind};
use crate::output::{Cell, Output, Table, Text};
use crate::session::args::Arguments;
use crate::session::context::Context;
use crate::session::spec::{ArgKind, ArgSpec, CommandSpec, Group};
use crate::session::state::RecordedSignature;
use crate::stats::lasso::{
    CrossValidation, LassoOptions, LassoPath, Measure, cross_validate_until, stratified_folds,
};
use crate::stats::linalg::Matrix;
use crate::stats::pipeline::{LambdaRule, SignatureSteps};
use crate::stats::summary::z_scores;

pub const STANDARDIZE: CommandSpec = CommandSpec {
    name: "standardize",
    summary: "z-score the features with the training mean and sd",
    help: "Replaces each feature by (value − mean)/sd, the mean and sd (n − 1, as R's scale) taken \
from the training rows and applied unchanged to every patient, validation included. `lasso` does \
this itself when it has not been done.",
    examples: &["standardize", "standardize features=f0*"],
    arguments: &[ArgSpec::keyword(
        "features",
        ArgKind::Columns,
        "feature columns or patterns (default: the data's features)",
    )],
    group: Group::Models,
    replayable: true,
    run: run_standardize,
};

fn run_standardize(context: &mut Context<'_>, arguments: &Arguments) -> Result<Output, Error> {
    let features = context.features(arguments)?;
    let summary = standardize(context, &features)?;
    let fitted_on = context
        .data()?
        .standardization
        .as_ref()
        .map_or("training".to_string(), |s| s.fitted_on.clone());
    Ok(Output::item(summary)
        .with_method(super::methods::standardization(features.len(), &fitted_on)))
}

/// z-scores `features` in place with the training rows' mean and sd; returns a summary table.
fn standardize(context: &mut Context<'_>, features: &[String]) -> Result<Table, Error> {
    let (rows, cohort) = context.model_rows(None)?;
    let data = context.data_mut()?;
    let mut means = Vec::new();
    let mut sds = Vec::new();
    for name in features {
        let values = data
            .numbers(name)
            .ok_or_else(|| Error::invalid(format!("feature `{name}` is not numeric")))?
            .to_vec();
        let present: Vec<f64> = rows.iter().filter_map(|&r| values[r]).collect();
        let (_, m, sd) = z_scores(&present);
        if sd.is_nan() || sd <= 0.0 {
            return Err(Error::invalid(format!(
                "feature `{name}` is constant in the {cohort} cohort (sd 0) and cannot be z-scored; leave it out with features="
            )));
        }
        let scored: Vec<Option<f64>> = values.iter().map(|v| v.map(|v| (v - m) / sd)).collect();
        data.set_column(Column::numeric(name.clone(), scored));
        means.push(m);
        sds.push(sd);
    }
    let mut table = Table::new(
        "standardization",
        format!("Features z-scored with the {cohort} mean and sd"),
    )
    .with_columns(["feature", "mean", "sd"]);
    for (name, (m, sd)) in features.iter().zip(means.iter().zip(&sds)) {
        table.add_row(vec![Cell::text(name), Cell::number(*m), Cell::number(*sd)]);
    }
    table.note(format!(
        "{} features; sd with n − 1 (R's scale); the same transformation applied to every patient",
        features.len()
    ));
    data.standardization = Some(Standardization {
        columns: features.to_vec(),
        means,
        standard_deviations: sds,
        fitted_on: cohort,
    });
    Ok(table)
}

pub const LASSO: CommandSpec = CommandSpec {
    name: "lasso",
    summary: "LASSO-logistic regression with K-fold CV; adds the rad-score column",
    help: "Penalised logistic regression of the outcome on the features, along glmnet's λ path \
(same internal standardisation, λ sequence and stopping rules), on the training cohort. λ is chosen \
by K-fold cross-validation: folds stratified by outcome and seeded (`seed`, default the session's), \
or read from a column (`foldid`) to match another tool exactly. `rule=min` takes the λ with the best \
CV measure, `rule=1se` the largest λ within one standard error of it. The linear predictor at the \
chosen λ (intercept included, as glmnet's predict type \"link\") is added for every patient as the \
column `rad` (or `name`). `alpha` < 1 gives the elastic net. Features are z-scored first with the \
training mean and sd if `standardize` has not been run. Plots: CV curve with both λ lines (Fig. 4A) \
and coefficient paths (Fig. 4B).\n\n`stability=N` makes the signature again on N bootstrap samples \
of the training patients (each z-scored and cross-validated afresh) and shows how often each \
feature is kept — stability selection — as a table and a plot, the signature's features marked.",
    examples: &[
        "lasso cv=10 rule=min seed=7",
        "lasso features=f0*,f1* measure=auc rule=1se",
        "lasso foldid=fold",
        "lasso stability=100",
    ],
    arguments: &[
        ArgSpec::keyword(
            "cv",
            ArgKind::WholeNumber { min: 3, max: 100 },
            "number of folds",
        )
        .default("10"),
        ArgSpec::keyword("rule", ArgKind::Choice(&["min", "1se"]), "how λ is chosen")
            .default("min"),
        ArgSpec::keyword(
            "measure",
            ArgKind::Choice(&["deviance", "auc", "class"]),
            "the CV measure",
        )
        .default("deviance"),
        ArgSpec::keyword(
            "seed",
            ArgKind::WholeNumber {
                min: 0,
                max: i64::MAX,
            },
            "seed of the folds (default: `set seed`)",
        ),
        ArgSpec::keyword(
            "foldid",
            ArgKind::Column,
            "a column giving each training patient's fold (1..K)",
        ),
        ArgSpec::keyword(
            "alpha",
            ArgKind::Number { min: 0.0, max: 1.0 },
            "elastic-net mixing: 1 lasso, 0 ridge",
        )
        .default("1"),
        ArgSpec::keyword(
            "features",
            ArgKind::Columns,
            "feature columns or patterns (default: the data's features)",
        ),
        ArgSpec::keyword("name", ArgKind::Column, "the new column's name").default("rad"),
        ArgSpec::keyword(
            "stability",
            ArgKind::WholeNumber {
                min: 10,
                max: 10_000,
            },
            "bootstrap samples for the selection frequencies (off unless given)",
        ),
        ArgSpec::keyword(
            "thresh",
            ArgKind::Number {
                min: 1e-16,
                max: 1e-3,
            },
            "convergence threshold (glmnet's thresh; 1e-14 to match glmnet run that tight)",
        )
        .default("1e-10"),
    ],
    group: Group::Models,
    replayable: true,
    run: run_lasso,
};

fn run_lasso(context: &mut Context<'_>, arguments: &Arguments) -> Result<Output, Error> {
    let features = context.features(arguments)?;
    let outcome = context.outcome()?;
    let mut output = Output::empty();
    let already = context
        .data()?
        .standardization
        .as_ref()
        .is_some_and(|s| features.iter().all(|f| s.columns.contains(f)));
    if !already {
        // The summary table is `standardize`'s own output; here a line says it was done.
        standardize(context, &features)?;
        output.push(Text::info(format!(
            "features z-scored first with the {} mean and sd (`standardize`)",
            context
                .data()?
                .standardization
                .as_ref()
                .map_or("training", |s| s.fitted_on.as_str())
        )));
    }
    let (rows, cohort) = context.model_rows(None)?;
    let data = context.data()?;
    let columns: Vec<&[Option<f64>]> = features
        .iter()
        .map(|f| {
            data.numbers(f)
                .ok_or_else(|| Error::invalid(format!("feature `{f}` is not numeric")))
        })
        .collect::<Result<_, _>>()?;
    let outcome_column = data
        .column(&outcome)
        .ok_or_else(|| Error::invalid("no outcome column"))?;
    let (positive, _, positive_label, _) = data
        .binary_groups(outcome_column, &rows)
        .map_err(|e| Error::invalid(e.message))?;
    let used: Vec<usize> = rows
        .iter()
        .copied()
        .filter(|&r| !outcome_column.is_missing(r) && columns.iter().all(|c| c[r].is_some()))
        .collect();
    let left_out = rows.len() - used.len();
    let y: Vec<f64> = used
        .iter()
        .map(|r| f64::from(u8::from(positive.contains(r))))
        .collect();
    let x = matrix(&columns, &used);
    let fold_count = arguments.integer("cv").unwrap_or(10) as usize;
    let (folds, fold_description) = match arguments.text("foldid") {
        Some(name) => {
            let values = context.column(name, arguments.span("foldid"))?.clone();
            let folds: Vec<usize> = used
                .iter()
                .map(|&r| {
                    values
                        .text(r)
                        .and_then(|t| t.parse::<f64>().ok())
                        .filter(|v| *v >= 1.0 && v.fract() == 0.0)
                        .map(|v| v as usize)
                        .ok_or_else(|| {
                            Error::new(ErrorKind::Input {
                                location: format!("patient {}", data.patient_label(r)),
                                message: format!("`{name}` must be a fold number 1, 2, …"),
                            })
                        })
                })
                .collect::<Result<_, _>>()?;
            let k = folds.iter().copied().max().unwrap_or(0);
            (folds, format!("folds from column `{name}` ({k} folds)"))
        }
        None => {
            let seed = arguments
                .integer("seed")
                .map_or(context.state.settings.seed, |s| s as u64);
            (
                stratified_folds(&y, fold_count, seed),
                format!("{fold_count} folds stratified by outcome, seed {seed}"),
            )
        }
    };
    let measure = match arguments.text("measure") {
        Some("auc") => Measure::Auc,
        Some("class") => Measure::Class,
        _ => Measure::Deviance,
    };
    let options = LassoOptions {
        alpha: arguments.number("alpha").unwrap_or(1.0),
        threshold: arguments.number("thresh").unwrap_or(1e-10),
        ..LassoOptions::default()
    };
    let cancel = context.cancel.clone();
    let (path, cv) =
        cross_validate_until(&x, &y, &folds, &options, measure, &|| cancel.is_cancelled())
            .ok_or_else(|| Error::new(ErrorKind::Cancelled))?;
    let index = if arguments.text("rule") == Some("1se") {
        cv.index_1se
    } else {
        cv.index_min
    };
    let name = arguments.text("name").unwrap_or("rad").to_string();

    // The rad-score for every patient with all features present (training and validation).
    let intercept = path.intercepts[index];
    let beta = &path.coefficients[index];
    let scores: Vec<Option<f64>> = (0..data.row_count())
        .map(|r| {
            let mut eta = intercept;
            for (column, b) in columns.iter().zip(beta) {
                eta += b * column[r]?;
            }
            Some(eta)
        })
        .collect();
    let scored = scores.iter().filter(|s| s.is_some()).count();

    output.push(Text::info(format!(
        "LASSO-logistic (alpha {}) on {} {cohort} patients × {} features{}, {fold_description}: \
λ_min {} (log λ {:.3}, {}), λ_1se {} (log λ {:.3}, {}); rule {} → {}; \
column `{name}` added for {scored} patients",
        options.alpha,
        used.len(),
        features.len(),
        if left_out > 0 {
            format!(" ({left_out} left out for missing values)")
        } else {
            String::new()
        },
        short(cv.lambda_min()),
        cv.lambda_min().ln(),
        count(cv.nonzero[cv.index_min]),
        short(cv.lambda_1se()),
        cv.lambda_1se().ln(),
        count(cv.nonzero[cv.index_1se]),
        arguments.text("rule").unwrap_or("min"),
        count(cv.nonzero[index]),
    )));
    if let Some(warning) = super::models::events_per_candidate(
        &y,
        features.len(),
        (
            &outcome,
            "features",
            "the penalty shrinks the signature, but which features it keeps is unstable — `validate MODEL pipeline=yes` repeats the selection to measure it",
        ),
    ) {
        output.push(warning);
    }
    output.push(signature_table(
        &features,
        &path,
        index,
        &cv,
        &outcome,
        &positive_label,
    ));
    if let Some(at) = path.unconverged_at {
        output.push(Text::warning(format!(
            "coordinate descent used its {} passes before converging at λ #{at} (glmnet's maxit); the path stops at the λ before it, as glmnet's does — strongly correlated features make this happen; `thresh=1e-7` (glmnet's default) converges sooner",
            options.max_passes
        )));
    }
    let training_columns: Vec<&[f64]> = (0..x.cols).map(|j| x.column(j)).collect();
    let identical = crate::stats::summary::identical_pairs(&training_columns);
    if !identical.is_empty() {
        let named: Vec<String> = identical
            .iter()
            .map(|&(a, b)| format!("`{}` = `{}`", features[a], features[b]))
            .collect();
        output.push(Text::warning(format!(
            "{} carry the same information on the training patients (correlation ±1): the lasso may give the weight to either, and converges slowly between them; consider leaving one out with `features=`",
            named.join(", ")
        )));
    }
    output.push(super::lasso_plots::cv_plot(&cv, measure));
    output.push(super::lasso_plots::path_plot(&features, &path, &cv, index));
    let standardized_on = context
        .data()?
        .standardization
        .as_ref()
        .map_or("training".to_string(), |s| s.fitted_on.clone());
    output.method(super::methods::signature(
        &super::methods::SignatureChoice {
            patients: used.len(),
            cohort: &cohort,
            left_out,
            alpha: options.alpha,
            features: features.len(),
            standardized_on: &standardized_on,
            folds: &fold_description,
            measure: match measure {
                Measure::Auc => "AUC",
                Measure::Class => "misclassification error",
                Measure::Deviance => "binomial deviance",
            },
            one_se: arguments.text("rule") == Some("1se"),
            lambda: &short(path.lambdas[index]),
            kept: &count(cv.nonzero[index]),
            name: &name,
            event: &format!("`{outcome}` = {positive_label}"),
        },
    ));
    let steps = SignatureSteps {
        features: features.clone(),
        folds: folds.iter().copied().max().unwrap_or(fold_count),
        rule: if arguments.text("rule") == Some("1se") {
            LambdaRule::OneSe
        } else {
            LambdaRule::Min
        },
        measure,
        options,
    };
    let kept: Vec<usize> = (0..beta.len()).filter(|&j| beta[j] != 0.0).collect();
    if let Some(replicates) = arguments.integer("stability") {
        let seed = arguments
            .integer("seed")
            .map_or(context.state.settings.seed, |s| s as u64);
        output.extend(super::stability::stability_output(
            context,
            (&x, &y),
            &steps,
            &kept,
            (replicates as usize, seed),
        )?);
    }
    context.state.signatures.insert(
        name.clone(),
        RecordedSignature {
            steps,
            scores: scores.clone(),
            kept,
            fixed_folds: arguments.text("foldid").map(str::to_string),
        },
    );
    let data = context.data_mut()?;
    data.set_column(Column::numeric(name, scores));
    Ok(output)
}

fn matrix(columns: &[&[Option<f64>]], rows: &[usize]) -> Matrix {
    let values: Vec<Vec<f64>> = columns
        .iter()
        .map(|c| rows.iter().map(|&r| c[r].unwrap_or(f64::NAN)).collect())
        .collect();
    let mut x = Matrix::from_columns(&values);
    x.rows = rows.len();
    x
}

fn count(features: usize) -> String {
    if features == 1 {
        "1 feature".to_string()
    } else {
        format!("{features} features")
    }
}

fn short(x: f64) -> String {
    crate::render::format::format_number(x, 4)
}

/// Table 2: the features kept at the chosen λ and their coefficients.
fn signature_table(
    features: &[String],
    path: &LassoPath,
    index: usize,
    cv: &CrossValidation,
    outcome: &str,
    positive: &str,
) -> Table {
    let mut table = Table::new(
        "signature",
        format!(
            "Radiomics signature: LASSO coefficients at λ = {}",
            short(cv.lambdas[index])
        ),
    )
    .with_columns(["Feature", "Coefficient"]);
    table.add_row(vec![
        Cell::text("(Intercept)"),
        Cell::number(path.intercepts[index]),
    ]);
    for (feature, b) in features.iter().zip(&path.coefficients[index]) {
        if *b != 0.0 {
            table.add_row(vec![Cell::text(feature), Cell::number(*b)]);
        }
    }
    table.note(format!(
        "rad-score = intercept + Σ coefficient × z-scored feature; log-odds of {outcome} = {positive}"
    ));
    table
}
