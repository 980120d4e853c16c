//! `samplesize`: how many patients a prediction model of a binary outcome needs (Riley et al.),
//! and whether the loaded training cohort has them.

use crate::data::Cohort;
use crate::error::Error;
use crate::output::{Cell, Output, Table, Text};
use crate::session::args::Arguments;
use crate::session::context::Context;
use crate::session::spec::{ArgKind, ArgSpec, CommandSpec, Group};
use crate::stats::samplesize::{Anticipated, Criterion, SampleSize, minimum_sample_size};

pub const SAMPLESIZE: CommandSpec = CommandSpec {
    name: "samplesize",
    summary: "the minimum number of patients and events to develop a model (Riley et al.)",
    help: "The smallest development cohort for a logistic model with `parameters` candidate \
predictor parameters (every coefficient that may be estimated: a feature, each indicator of a \
category, each spline term — for a LASSO, every candidate feature), by the three criteria of \
Riley et al. (Stat Med 2019; BMJ 2020): (i) expected shrinkage of the predictor effects of at \
least `shrinkage` (0.9: 10% overfitting), (ii) apparent and adjusted Nagelkerke R² within 0.05, \
(iii) the overall risk estimated within ± 0.05. The anticipated performance is one of `r2=` (Cox–Snell \
R², e.g. from a previous model), `nagelkerke=` or `auc=` (a previous model's C statistic, \
converted to Cox–Snell R² as Riley et al. do). Sizes equal the authors' pmsampsize; a C statistic \
is converted by integration rather than by simulating a million patients, so that conversion \
can differ from pmsampsize's in the fourth decimal.\n\nWith data loaded, `prevalence` defaults to \
the outcome's in the training cohort (all patients before a split), and the cohort's own patients \
and events are set against each criterion.",
    examples: &[
        "samplesize auc=0.8 parameters=55",
        "samplesize r2=0.288 parameters=24 prevalence=0.174",
        "samplesize nagelkerke=0.3 parameters=10 shrinkage=0.95",
    ],
    arguments: &[
        ArgSpec::keyword(
            "parameters",
            ArgKind::WholeNumber {
                min: 1,
                max: 100_000,
            },
            "candidate predictor parameters",
        )
        .required(),
        ArgSpec::keyword(
            "prevalence",
            ArgKind::Fraction,
            "the outcome's expected prevalence (default: the training cohort's)",
        ),
        ArgSpec::keyword(
            "auc",
            ArgKind::Number { min: 0.5, max: 1.0 },
            "a previous model's C statistic",
        ),
        ArgSpec::keyword(
            "r2",
            ArgKind::Number { min: 0.0, max: 1.0 },
            "anticipated Cox–Snell R²",
        ),
        ArgSpec::keyword(
            "nagelkerke",
            ArgKind::Number { min: 0.0, max: 1.0 },
            "anticipated Nagelkerke R²",
        ),
        ArgSpec::keyword(
            "shrinkage",
            ArgKind::Number { min: 0.5, max: 1.0 },
            "the shrinkage to reach",
        )
        .default("0.9"),
    ],
    group: Group::Validation,
    replayable: true,
    run: samplesize,
};

/// The training cohort's patients and events (the smaller outcome group), when an outcome is set.
struct Available {
    label: &'static str,
    patients: usize,
    events: usize,
    prevalence: f64,
}

fn available(context: &Context<'_>) -> Option<Available> {
    let data = context.data().ok()?;
    let outcome = context.outcome().ok()?;
    let column = data.column(&outcome)?;
    let (cohort, label) = match data.cohorts {
        Some(_) => (Some(Cohort::Training), "training cohort"),
        None => (None, "cohort"),
    };
    let rows: Vec<usize> = data
        .rows_of(cohort)
        .into_iter()
        .filter(|&r| !column.is_missing(r))
        .collect();
    let (positive, negative, _, _) = data.binary_groups(column, &rows).ok()?;
    let patients = positive.len() + negative.len();
    Some(Available {
        label,
        patients,
        events: positive.len().min(negative.len()),
        prevalence: positive.len() as f64 / patients as f64,
    })
}

fn samplesize(context: &mut Context<'_>, arguments: &Arguments) -> Result<Output, Error> {
    let given: Vec<&str> = ["auc", "r2", "nagelkerke"]
        .into_iter()
        .filter(|name| arguments.given(name))
        .collect();
    let anticipated = match given.as_slice() {
        ["auc"] => Anticipated::CStatistic(arguments.number("auc").unwrap_or(0.5)),
        ["r2"] => Anticipated::CoxSnell(arguments.number("r2").unwrap_or(0.0)),
        ["nagelkerke"] => Anticipated::Nagelkerke(arguments.number("nagelkerke").unwrap_or(0.0)),
        [] => {
            return Err(Error::invalid(
                "say what performance to expect: `auc=` (a previous model's C statistic), `r2=` (Cox–Snell R²) or `nagelkerke=`",
            ));
        }
        _ => {
            let second = arguments.span(given[1]).unwrap_or(context.span);
            return Err(Error::invalid(format!(
                "give one of `auc=`, `r2=` and `nagelkerke=`, not {}",
                given
                    .iter()
                    .map(|g| format!("`{g}=`"))
                    .collect::<Vec<_>>()
                    .join(" and ")
            ))
            .or_at(second));
        }
    };
    let parameters = arguments.integer("parameters").unwrap_or(1) as u64;
    let cohort = available(context);
    let prevalence = match (arguments.number("prevalence"), &cohort) {
        (Some(p), _) => p,
        (None, Some(c)) => c.prevalence,
        (None, None) => {
            return Err(Error::invalid(
                "give `prevalence=` (the outcome's expected proportion), or load data with an outcome to use its own",
            ));
        }
    };
    let shrinkage = arguments.number("shrinkage").unwrap_or(0.9);
    let size = minimum_sample_size(anticipated, parameters, prevalence, shrinkage)
        .map_err(Error::invalid)?;
    let mut output = Output::item(criteria_table(&size, parameters, prevalence, anticipated));
    if let Some(cohort) = cohort {
        output.push(verdict(&size, &cohort, parameters));
    }
    output.method(super::methods::sample_size(
        parameters as usize,
        prevalence,
        size.cox_snell,
        size.minimum.patients as usize,
    ));
    Ok(output)
}

fn criteria_table(
    size: &SampleSize,
    parameters: u64,
    prevalence: f64,
    anticipated: Anticipated,
) -> Table {
    let mut table = Table::new(
        "samplesize",
        format!(
            "Minimum sample size: {parameters} candidate parameters, prevalence {prevalence:.3}"
        ),
    )
    .with_columns([
        "Criterion",
        "Patients",
        "Events",
        "Events per parameter",
        "Shrinkage",
    ]);
    let names = [
        "(i) shrinkage of predictor effects",
        "(ii) optimism in Nagelkerke R² ≤ 0.05",
        "(iii) overall risk within ± 0.05",
    ];
    let row = |name: &str, c: &Criterion| {
        vec![
            Cell::text(name),
            Cell::Integer {
                value: c.patients as i64,
            },
            Cell::Integer {
                value: c.events.ceil() as i64,
            },
            Cell::number(c.events_per_parameter),
            Cell::number(c.shrinkage),
        ]
    };
    for (name, criterion) in names.iter().zip(&size.criteria) {
        table.add_row(row(name, criterion));
    }
    table.add_row(row("minimum (the largest)", &size.minimum));
    let source = match anticipated {
        Anticipated::CoxSnell(_) => "as given".to_string(),
        Anticipated::Nagelkerke(r2) => format!("from Nagelkerke R² {r2}, rounded to 3 decimals"),
        Anticipated::CStatistic(c) => format!(
            "from C statistic {c} (normal linear predictor in each group, Riley et al. 2020), rounded to 4 decimals"
        ),
    };
    table.note(format!(
        "anticipated Cox–Snell R² {} ({source}); the largest possible at this prevalence {:.3}, so Nagelkerke R² {:.3}",
        size.cox_snell, size.max_cox_snell, size.nagelkerke
    ));
    table.note(
        "Riley et al., Stat Med 38:1276–1296 (2019) and BMJ 368:m441 (2020); events = patients × prevalence",
    );
    table
}

/// Whether the loaded cohort meets each criterion.
fn verdict(size: &SampleSize, cohort: &Available, parameters: u64) -> Text {
    let short: Vec<String> = size
        .criteria
        .iter()
        .enumerate()
        .filter(|(_, c)| (cohort.patients as u64) < c.patients)
        .map(|(i, c)| format!("{} {}", ["(i)", "(ii)", "(iii)"][i], c.patients))
        .collect();
    let has = format!(
        "the {} has {} patients and {} events ({:.1} per parameter)",
        cohort.label,
        cohort.patients,
        cohort.events,
        cohort.events as f64 / parameters as f64
    );
    if short.is_empty() {
        return Text::info(format!("{has}: every criterion is met"));
    }
    let overfitting = size.criteria[..2]
        .iter()
        .any(|c| (cohort.patients as u64) < c.patients);
    let consequence = if overfitting {
        "expect a model that looks better on these patients than on new ones — fewer candidate parameters, or honest validation (`validate … pipeline=yes`), show by how much"
    } else {
        "the overall risk is estimated less precisely than ± 0.05"
    };
    Text::warning(format!(
        "{has}: fewer than {} {} ask; {consequence}",
        if short.len() == 1 {
            "criterion"
        } else {
            "criteria"
        },
        short.join(", ")
    ))
}
