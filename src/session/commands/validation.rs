//! Validating models: `roc` (discrimination in each cohort, the study's Table 4 and Figs 4C/6A-B)
//! and `compare` (DeLong's test between two predictors).

use super::models::linear_predictor;
use crate::data::{Cohort, Dataset};
use crate::error::{Error, ErrorKind};
use crate::lang::suggest::nearest;
use crate::output::{Axis, Cell, Item, Layer, Legend, Output, Plot, Series, Table, Text};
use crate::session::args::Arguments;
use crate::session::context::Context;
use crate::session::spec::{ArgKind, ArgSpec, CommandSpec, Group};
use crate::stats::roc::{auc_delong, bootstrap_auc_interval, delong_test, roc_curve};

pub const ROC: CommandSpec = CommandSpec {
    name: "roc",
    summary: "ROC curves, AUC with 95% CI, Youden threshold, sensitivity and specificity",
    help: "For each stored model (its predicted probability) or numeric column, in each cohort: the \
ROC curve, the AUC with its 95% interval by DeLong's method (as pROC's ci.auc) and by stratified \
bootstrap (`boot` replicates, seeded), and the threshold maximising sensitivity + specificity \
(Youden) with its sensitivity and specificity (the study's Table 4). The direction is fixed by the \
outcome coding — higher values predict the event — and an AUC below 0.5 is reported as it is, \
with a warning, never flipped. Curves are drawn overlaid, one plot per cohort, AUCs in the legend.",
    examples: &[
        "roc rad clinical combined",
        "roc combined cohort=valid boot=0",
        "roc rad seed=7",
    ],
    arguments: &[
        ArgSpec::positional(
            "predictors",
            ArgKind::Words,
            "stored models or numeric columns",
        )
        .required(),
        ArgSpec::keyword(
            "cohort",
            ArgKind::Choice(&["both", "train", "valid", "all"]),
            "which cohorts",
        )
        .default("both"),
        ArgSpec::keyword(
            "boot",
            ArgKind::WholeNumber {
                min: 0,
                max: 1_000_000,
            },
            "bootstrap replicates (0: none)",
        )
        .default("2000"),
        ArgSpec::keyword(
            "seed",
            ArgKind::WholeNumber {
                min: 0,
                max: i64::MAX,
            },
            "bootstrap seed (default: `set seed`)",
        ),
    ],
    group: Group::Validation,
    replayable: true,
    run: run_roc,
};

/// One predictor's values for every data row (a model's are predicted probabilities).
struct Predictor {
    name: String,
    values: Vec<Option<f64>>,
}

fn predictors(context: &Context<'_>, arguments: &Arguments) -> Result<Vec<Predictor>, Error> {
    let data = context.data()?;
    arguments
        .words("predictors")
        .into_iter()
        .map(|name| {
            if let Some(Item::Model(model)) = context.state.variables.get(&name) {
                let values = (0..data.row_count())
                    .map(|row| {
                        linear_predictor(model, data, row).map(|eta| 1.0 / (1.0 + (-eta).exp()))
                    })
                    .collect();
                return Ok(Predictor { name, values });
            }
            if let Some(values) = data.numbers(&name) {
                return Ok(Predictor {
                    name,
                    values: values.to_vec(),
                });
            }
            let candidates: Vec<&str> = context
                .state
                .variables
                .iter()
                .filter(|(_, item)| matches!(item, Item::Model(_)))
                .map(|(n, _)| n.as_str())
                .chain(data.column_names())
                .collect();
            Err(Error::new(ErrorKind::Invalid {
                message: format!(
                    "`{name}` is neither a stored model nor a numeric column{}",
                    match nearest(&name, candidates) {
                        Some(s) => format!("; did you mean `{s}`?"),
                        None => String::new(),
                    }
                ),
            })
            .or_at(arguments.span("predictors").unwrap_or(context.span)))
        })
        .collect()
}

fn cohorts(data: &Dataset, choice: Option<&str>) -> Vec<(String, Option<Cohort>)> {
    match (choice, data.cohorts.is_some()) {
        (Some("all"), _) | (_, false) => vec![("all".to_string(), None)],
        (Some("train"), true) => vec![("training".to_string(), Some(Cohort::Training))],
        (Some("valid"), true) => vec![("validation".to_string(), Some(Cohort::Validation))],
        _ => vec![
            ("training".to_string(), Some(Cohort::Training)),
            ("validation".to_string(), Some(Cohort::Validation)),
        ],
    }
}

fn run_roc(context: &mut Context<'_>, arguments: &Arguments) -> Result<Output, Error> {
    let predictors = predictors(context, arguments)?;
    let outcome = context.outcome()?;
    let data = context.data()?;
    let outcome_column = data
        .column(&outcome)
        .ok_or_else(|| Error::invalid("no outcome column"))?;
    let replicates = arguments.integer("boot").unwrap_or(2000) as usize;
    let seed = arguments
        .integer("seed")
        .map_or(context.state.settings.seed, |s| s as u64);
    let mut output = Output::empty();
    let mut columns = vec!["Predictor", "Cohort", "n", "AUC", "95% CI (DeLong)"];
    if replicates > 0 {
        columns.push("95% CI (bootstrap)");
    }
    columns.extend(["Threshold", "Sensitivity", "Specificity"]);
    let mut table = Table::new(
        "roc",
        format!("Discrimination: ROC analysis of `{outcome}`"),
    )
    .with_columns(columns);
    for (cohort_label, cohort) in cohorts(data, arguments.text("cohort")) {
        context.check_cancelled()?;
        let rows = data.rows_of(cohort);
        let (positive, _, positive_label, _) = data
            .binary_groups(outcome_column, &rows)
            .map_err(|e| Error::invalid(e.message))?;
        let mut plot = Plot {
            name: format!("roc-{cohort_label}"),
            title: format!("ROC curves, {cohort_label} cohort"),
            x: Axis {
                range: Some((0.0, 1.0)),
                ..Axis::new("1 − specificity")
            },
            y: Axis {
                range: Some((0.0, 1.0)),
                ..Axis::new("sensitivity")
            },
            layers: vec![Layer::Line {
                series: Series {
                    label: String::new(),
                    colour: 7,
                },
                points: vec![(0.0, 0.0), (1.0, 1.0)],
                dashed: true,
            }],
            size: (600, 560),
            legend: Legend::LowerRight,
        };
        for (index, predictor) in predictors.iter().enumerate() {
            let used: Vec<usize> = rows
                .iter()
                .copied()
                .filter(|&r| predictor.values[r].is_some() && !outcome_column.is_missing(r))
                .collect();
            let y: Vec<f64> = used
                .iter()
                .map(|r| f64::from(u8::from(positive.contains(r))))
                .collect();
            let score: Vec<f64> = used
                .iter()
                .map(|&r| predictor.values[r].unwrap_or(f64::NAN))
                .collect();
            let cases = y.iter().filter(|&&v| v > 0.5).count();
            if cases == 0 || cases == y.len() {
                output.push(Text::warning(format!(
                    "{}: the {cohort_label} cohort has only one outcome group; no ROC",
                    predictor.name
                )));
                continue;
            }
            let (area, _, (low, high)) = auc_delong(&y, &score);
            if area < 0.5 {
                output.push(Text::warning(format!(
                    "{} ({cohort_label}): AUC {area:.3} is below 0.5 — higher values predict `{outcome}` = {positive_label} less often; reported as it is, not flipped",
                    predictor.name
                )));
            }
            let curve = roc_curve(&y, &score);
            let (threshold, sensitivity, specificity) = curve.youden();
            let mut row = vec![
                Cell::text(&predictor.name),
                Cell::text(&cohort_label),
                Cell::Integer {
                    value: used.len() as i64,
                },
                Cell::number(area),
                Cell::Interval { low, high },
            ];
            if replicates > 0 {
                let (b_low, b_high) = bootstrap_auc_interval(&y, &score, replicates, seed);
                row.push(Cell::Interval {
                    low: b_low,
                    high: b_high,
                });
            }
            row.extend([
                Cell::number(threshold),
                Cell::number(sensitivity),
                Cell::number(specificity),
            ]);
            table.add_row(row);
            plot.layers.push(Layer::Line {
                series: Series {
                    label: format!("{} (AUC {area:.3})", predictor.name),
                    colour: index,
                },
                points: curve
                    .specificities
                    .iter()
                    .zip(&curve.sensitivities)
                    .map(|(sp, se)| (1.0 - sp, *se))
                    .rev()
                    .collect(),
                dashed: false,
            });
        }
        output.push(plot);
    }
    table.note(format!(
        "event: {outcome} = {}; higher values predict the event (controls < cases, as pROC's direction \"<\"); models are scored by their predicted probability, so their thresholds are probabilities; threshold: Youden's J; bootstrap: {replicates} stratified replicates, seed {seed}",
        data.binary_groups(outcome_column, &data.rows_of(None)).map(|g| g.2).unwrap_or_default()
    ));
    output.items.insert(0, table.into());
    Ok(output)
}

pub const COMPARE: CommandSpec = CommandSpec {
    name: "compare",
    summary: "paired DeLong test of two predictors' AUCs",
    help: "Compares the AUCs of two stored models or numeric columns on the same patients with \
DeLong's test for correlated ROC curves (as pROC's roc.test(method = \"delong\", paired = TRUE)): \
the AUC difference, Z and two-sided p, in each cohort.",
    examples: &[
        "compare combined clinical",
        "compare rad clinical cohort=valid",
    ],
    arguments: &[
        ArgSpec::positional(
            "predictors",
            ArgKind::Words,
            "two stored models or numeric columns",
        )
        .required(),
        ArgSpec::keyword(
            "cohort",
            ArgKind::Choice(&["both", "train", "valid", "all"]),
            "which cohorts",
        )
        .default("both"),
    ],
    group: Group::Validation,
    replayable: true,
    run: run_compare,
};

fn run_compare(context: &mut Context<'_>, arguments: &Arguments) -> Result<Output, Error> {
    let predictors = predictors(context, arguments)?;
    if predictors.len() != 2 {
        return Err(Error::invalid(format!(
            "`compare` takes two predictors, not {}",
            predictors.len()
        ))
        .or_at(arguments.span("predictors").unwrap_or(context.span)));
    }
    let (a, b) = (&predictors[0], &predictors[1]);
    let outcome = context.outcome()?;
    let data = context.data()?;
    let outcome_column = data
        .column(&outcome)
        .ok_or_else(|| Error::invalid("no outcome column"))?;
    let mut table = Table::new("compare", format!("DeLong test: {} vs {}", a.name, b.name))
        .with_columns([
            "Cohort",
            "n",
            &format!("AUC {}", a.name),
            &format!("AUC {}", b.name),
            "Difference",
            "Z",
            "p",
        ]);
    for (cohort_label, cohort) in cohorts(data, arguments.text("cohort")) {
        let rows = data.rows_of(cohort);
        let (positive, _, _, _) = data
            .binary_groups(outcome_column, &rows)
            .map_err(|e| Error::invalid(e.message))?;
        let used: Vec<usize> = rows
            .iter()
            .copied()
            .filter(|&r| {
                a.values[r].is_some() && b.values[r].is_some() && !outcome_column.is_missing(r)
            })
            .collect();
        let y: Vec<f64> = used
            .iter()
            .map(|r| f64::from(u8::from(positive.contains(r))))
            .collect();
        let score = |p: &Predictor| -> Vec<f64> {
            used.iter()
                .map(|&r| p.values[r].unwrap_or(f64::NAN))
                .collect()
        };
        let (score_a, score_b) = (score(a), score(b));
        let (auc_a, auc_b) = (auc_delong(&y, &score_a).0, auc_delong(&y, &score_b).0);
        let (z, p) = delong_test(&y, &score_a, &score_b);
        table.add_row(vec![
            Cell::text(&cohort_label),
            Cell::Integer {
                value: used.len() as i64,
            },
            Cell::number(auc_a),
            Cell::number(auc_b),
            Cell::number(auc_a - auc_b),
            Cell::number(z),
            Cell::p_value(p),
        ]);
    }
    table.note("paired DeLong test on the patients with both predictors; two-sided");
    Ok(Output::item(table))
}
