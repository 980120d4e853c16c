//! Training and validation cohorts: `split`, from a column or at random stratified by the
//! outcome.

use super::data::{cohort_table, cohorts_from_column};
use crate::data::{Cohort, Dataset, SplitSource, stratified_split};
use crate::error::{Error, ErrorKind};
use crate::output::Output;
use crate::session::args::Arguments;
use crate::session::context::Context;
use crate::session::spec::{ArgKind, ArgSpec, CommandSpec, Group};
use std::sync::Arc;

pub const SPLIT: CommandSpec = CommandSpec {
    name: "split",
    summary: "divide the patients into training and validation cohorts",
    help: "With a column, its values say each patient's cohort (train/training or \
valid/validation/test). Without one, patients are split at random, stratified by the outcome: \
within each outcome group a fraction `train` goes to training. The random split is seeded \
(`seed`, default the session's `set seed`), so it is the same on every machine.",
    examples: &["split cohort", "split train=0.7 seed=7", "split train=70%"],
    arguments: &[
        ArgSpec::positional(
            "column",
            ArgKind::Column,
            "the column holding each patient's cohort",
        ),
        ArgSpec::keyword(
            "train",
            ArgKind::Fraction,
            "the fraction of each outcome group put in training",
        )
        .default("0.7"),
        ArgSpec::keyword(
            "seed",
            ArgKind::WholeNumber {
                min: 0,
                max: i64::MAX,
            },
            "the random seed",
        ),
    ],
    group: Group::Data,
    replayable: true,
    run: split,
};

fn split(context: &mut Context<'_>, arguments: &Arguments) -> Result<Output, Error> {
    let default_seed = context.state.settings.seed;
    let command_span = context.span;
    let data = context.data_mut()?;
    // Lesions of one patient must not land in both cohorts: split the patients, then extract.
    data.require_patient_rows("a split (split the patients before `extract lesions=each`)")
        .map_err(Error::invalid)?;
    if let Some(name) = arguments.text("column") {
        if arguments.given("train") || arguments.given("seed") {
            return Err(Error::at(
                ErrorKind::Invalid {
                    message:
                        "give either a column or `train=`/`seed=` for a random split, not both"
                            .to_string(),
                },
                arguments.span("column").unwrap_or(command_span),
            ));
        }
        let span = arguments.span("column").unwrap_or(command_span);
        let cohorts = cohorts_from_column(data, name, span)?;
        check_both_groups(data, &cohorts).map_err(|message| {
            Error::at(
                ErrorKind::Invalid {
                    message: format!("the column `{name}` {message}"),
                },
                span,
            )
        })?;
        data.cohorts = Some(Arc::new(cohorts));
        data.split = Some(SplitSource::Column(name.to_string()));
    } else {
        let outcome = data.outcome.clone().unwrap_or_default();
        let column = data
            .column(&outcome)
            .ok_or_else(|| Error::invalid("no outcome set"))?;
        let strata: Vec<u32> = (0..data.row_count())
            .map(|row| match column.text(row) {
                Some(text) => {
                    1 + column
                        .distinct_texts()
                        .iter()
                        .position(|l| *l == text)
                        .unwrap_or(0) as u32
                }
                None => 0,
            })
            .collect();
        let fraction = arguments.number("train").unwrap_or(0.7);
        let seed = arguments.integer("seed").map_or(default_seed, |s| s as u64);
        let cohorts = stratified_split(&strata, fraction, seed);
        check_both_groups(data, &cohorts).map_err(|message| {
            Error::at(
                ErrorKind::Invalid {
                    message: format!(
                        "train={fraction} {message}; choose a fraction that leaves patients of both outcome groups on each side"
                    ),
                },
                arguments.span("train").unwrap_or(command_span),
            )
        })?;
        data.cohorts = Some(Arc::new(cohorts));
        data.split = Some(SplitSource::Random {
            outcome,
            fraction,
            seed,
        });
    }
    let how = match &data.split {
        Some(SplitSource::Random { fraction, seed, .. }) => format!(
            "at random, {} % into the training cohort and the rest into the validation cohort (stratified by outcome, seed {seed})",
            (100.0 * fraction * 1e6).round() / 1e6
        ),
        Some(SplitSource::Column(name)) => format!("into cohorts by the column `{name}`"),
        None => "into cohorts".to_string(),
    };
    Ok(Output::item(cohort_table(data)?).with_method(super::methods::split(data, &how)))
}

/// Whether each cohort holds patients of both outcome groups (a model cannot be fitted, nor an
/// AUC computed, on a cohort without events or without non-events); else what is missing, e.g.
/// "puts 0 patients with aln = 1 in the training cohort".
fn check_both_groups(data: &Dataset, cohorts: &[Cohort]) -> Result<(), String> {
    let Some(column) = data.outcome.as_deref().and_then(|o| data.column(o)) else {
        return Ok(());
    };
    for (cohort, name) in [
        (Cohort::Training, "training"),
        (Cohort::Validation, "validation"),
    ] {
        let rows: Vec<usize> = (0..cohorts.len())
            .filter(|&r| cohorts[r] == cohort)
            .collect();
        let (events, others, event, other) =
            data.binary_groups(column, &rows).map_err(|e| e.message)?;
        for (count, label) in [(events.len(), event), (others.len(), other)] {
            if count == 0 {
                return Err(format!(
                    "puts no patient with {} = {label} in the {name} cohort ({} patients there)",
                    column.name,
                    rows.len()
                ));
            }
        }
    }
    Ok(())
}
