//! Validating models: `roc` (discrimination in each cohort, the study's Table 4 and Figs 4C/6A-B)
//! `compare` (DeLong's test between two predictors) and `dca` (decision curves).

use super::models::linear_predictor;
use crate::data::{Cohort, Dataset};
use crate::error::{Error, ErrorKind};
use crate::lang::suggest::nearest;
use crate::output::{Axis, Cell, Layer, Legend, Model, Output, Plot, Series, Table, Text};
use crate::session::args::Arguments;
use crate::session::context::Context;
use crate::session::spec::{ArgKind, ArgSpec, CommandSpec, Group};
use crate::stats::logistic::logistic;
use crate::stats::roc::{auc_delong, bootstrap_auc_interval, delong_test, roc_curve};

/// Which cohorts a validation command reports; every one takes it.
pub(super) const COHORTS: ArgSpec = ArgSpec::keyword(
    "cohort",
    ArgKind::Choice(&["both", "train", "valid", "all"]),
    "which cohorts",
)
.default("both");

pub const ROC: CommandSpec = CommandSpec {
    name: "roc",
    summary: "ROC curves, AUC with 95% CI, Youden threshold, sensitivity and specificity",
    help: "For each stored model (its predicted probability) or numeric column, in each cohort: the \
ROC curve, the AUC with its 95% interval by DeLong's method (as pROC's ci.auc) and by stratified \
bootstrap (`boot` replicates, seeded), and the threshold maximising sensitivity + specificity \
(Youden) with its sensitivity and specificity (the study's Table 4). The direction is fixed by the \
outcome coding — higher values predict the event — and an AUC below 0.5 is reported as it is, \
with a warning, never flipped. Curves are drawn overlaid, one plot per cohort, AUCs in the legend. \
When the data is split, a second table applies each predictor's training threshold unchanged to \
every cohort: sensitivity, specificity, accuracy, PPV and NPV with exact (Clopper–Pearson) 95% \
intervals, as R's binom.test (the study's Table 4).",
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
        COHORTS,
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
pub(super) struct Predictor {
    pub(super) name: String,
    pub(super) values: Vec<Option<f64>>,
}

impl Predictor {
    /// A model's predicted probabilities for every data row (`None` where a model variable is
    /// missing).
    pub(super) fn of_model(name: &str, model: &Model, data: &Dataset) -> Predictor {
        Predictor {
            name: name.to_string(),
            values: (0..data.row_count())
                .map(|row| linear_predictor(model, data, row).map(logistic))
                .collect(),
        }
    }
}

pub(super) fn predictors(
    context: &Context<'_>,
    arguments: &Arguments,
) -> Result<Vec<Predictor>, Error> {
    let data = context.data()?;
    arguments
        .words("predictors")
        .into_iter()
        .map(|name| {
            if let Some(model) = context.state.model(&name) {
                return Ok(Predictor::of_model(&name, model, data));
            }
            if let Some(values) = data.numbers(&name) {
                return Ok(Predictor {
                    name,
                    values: values.to_vec(),
                });
            }
            let candidates: Vec<&str> = context
                .state
                .models()
                .map(|(n, _)| n)
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

/// One cohort's patients with the outcome and every given predictor present: the outcome as 0/1
/// and each predictor's values, on those patients.
pub(super) struct Scored {
    pub(super) y: Vec<f64>,
    pub(super) scores: Vec<Vec<f64>>,
}

pub(super) fn scored(
    data: &Dataset,
    outcome: &str,
    rows: &[usize],
    predictors: &[&Predictor],
) -> Result<Scored, Error> {
    let outcome_column = data
        .column(outcome)
        .ok_or_else(|| Error::invalid("no outcome column"))?;
    let (positive, _, _, _) = data
        .binary_groups(outcome_column, rows)
        .map_err(|e| Error::invalid(e.message))?;
    let used: Vec<usize> = rows
        .iter()
        .copied()
        .filter(|&r| {
            !outcome_column.is_missing(r) && predictors.iter().all(|p| p.values[r].is_some())
        })
        .collect();
    Ok(Scored {
        y: used
            .iter()
            .map(|r| f64::from(u8::from(positive.contains(r))))
            .collect(),
        scores: predictors
            .iter()
            .map(|p| {
                used.iter()
                    .map(|&r| p.values[r].unwrap_or(f64::NAN))
                    .collect()
            })
            .collect(),
    })
}

pub(super) fn cohorts(data: &Dataset, choice: Option<&str>) -> Vec<(String, Option<Cohort>)> {
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
    let mut discrimination = Vec::new();
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
        let (_, _, positive_label, _) = data
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
            let Scored { y, mut scores } = scored(data, &outcome, &rows, &[predictor])?;
            let score = scores.remove(0);
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
            discrimination.push(super::classification::Discrimination {
                predictor: predictor.name.clone(),
                cohort: cohort_label.clone(),
                auc: (area, low, high),
            });
            let curve = roc_curve(&y, &score);
            let (threshold, sensitivity, specificity) = curve.youden();
            let mut row = vec![
                Cell::text(&predictor.name),
                Cell::text(&cohort_label),
                Cell::Integer {
                    value: y.len() as i64,
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
    let chosen = cohorts(data, arguments.text("cohort"));
    let (table, performance) =
        super::classification::table_4(data, &outcome, &predictors, &chosen, &discrimination)?;
    if let Some(table) = table {
        output.push(table);
    }
    output.results.push(performance);
    let names: Vec<&str> = predictors.iter().map(|p| p.name.as_str()).collect();
    output.method(super::methods::discrimination(
        &names.join(", "),
        (replicates > 0).then_some((replicates, seed)),
        data.cohorts.is_some(),
    ));
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
        COHORTS,
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
    let mut table = Table::new("compare", format!("DeLong test: {} vs {}", a.name, b.name))
        .with_columns([
            "Cohort",
            "n",
            &format!("AUC {}", a.name),
            &format!("AUC {}", b.name),
            "Difference",
            "95% CI",
            "Z",
            "p",
        ]);
    for (cohort_label, cohort) in cohorts(data, arguments.text("cohort")) {
        let rows = data.rows_of(cohort);
        let Scored { y, scores } = scored(data, &outcome, &rows, &[a, b])?;
        let (score_a, score_b) = (&scores[0], &scores[1]);
        let (auc_a, auc_b) = (auc_delong(&y, score_a).0, auc_delong(&y, score_b).0);
        let test = delong_test(&y, score_a, score_b);
        table.add_row(vec![
            Cell::text(&cohort_label),
            Cell::Integer {
                value: y.len() as i64,
            },
            Cell::number(auc_a),
            Cell::number(auc_b),
            Cell::number(test.difference),
            Cell::Interval {
                low: test.low,
                high: test.high,
            },
            Cell::number(test.z),
            Cell::p_value(test.p),
        ]);
    }
    table.note("paired DeLong test on the patients with both predictors; two-sided; the interval is the difference's (as pROC's roc.test)");
    Ok(Output::item(table).with_method(super::methods::compare(&a.name, &b.name)))
}

/// The stored model called by the `model` argument, scored as predicted probabilities.
pub(super) fn one_model(context: &Context<'_>, arguments: &Arguments) -> Result<Predictor, Error> {
    let mut predictors = predictors(context, arguments)?;
    if predictors.len() != 1 {
        return Err(
            Error::invalid(format!("name one stored model, not {}", predictors.len()))
                .or_at(arguments.span("predictors").unwrap_or(context.span)),
        );
    }
    Ok(predictors.remove(0))
}

/// `0.04–0.88` style runs of the thresholds where `flags` hold.
pub(super) fn ranges(thresholds: &[f64], flags: &[bool]) -> String {
    let mut runs: Vec<String> = Vec::new();
    let mut start: Option<usize> = None;
    for i in 0..=flags.len() {
        let on = i < flags.len() && flags[i];
        match (on, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                runs.push(if s == i - 1 {
                    format!("{:.2}", thresholds[s])
                } else {
                    format!("{:.2}–{:.2}", thresholds[s], thresholds[i - 1])
                });
                start = None;
            }
            _ => {}
        }
    }
    if runs.is_empty() {
        "none".to_string()
    } else {
        runs.join(", ")
    }
}
