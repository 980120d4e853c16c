//! `describe`: the study's Table 1 — every variable by outcome group, in each cohort, with the
//! tests, and a second table listing every test's statistic and p-value.

use crate::data::{Cohort, Column, ColumnValues};
use crate::error::Error;
use crate::output::{Cell, Output, Table};
use crate::session::args::Arguments;
use crate::session::context::{Context, unknown_column};
use crate::session::spec::{ArgKind, ArgSpec, CommandSpec, Group};
use crate::stats::hypothesis::{ChiSquaredTest, TTest};
use crate::stats::table_one::{
    CategoricalComparison, ContinuousComparison, ContinuousSummary, compare_categorical,
    compare_continuous,
};

/// Categorical columns with more levels than this (free text, ids) are left out.
const MAX_LEVELS_DESCRIBED: usize = 20;

pub const DESCRIBE: CommandSpec = CommandSpec {
    name: "describe",
    summary: "Table 1: every variable by outcome group in each cohort, with tests",
    help: "For each cohort (training and validation once split; all patients otherwise) and each \
variable: continuous variables as mean ± sd with Student's t test, or as median (IQR) with the \
Wilcoxon–Mann–Whitney test for the columns named in `median`; categorical variables as counts (%) \
with Pearson's chi-squared test, or Fisher's exact test when an expected count is below 5. Each cohort has a column for all its patients beside the two groups. A second table lists every test for every variable: Student's and \
Welch's t, the rank-sum test (exact below 50 per group without ties, otherwise the normal \
approximation with tie and continuity correction, as R's wilcox.test), chi-squared with and \
without Yates's correction (2 × 2 tables), and Fisher's exact test (R's fisher.test, every table \
with the observed margins enumerated).\n\nWhole-number columns with at most 5 distinct values \
(grade 1-3) are described as categories; `continuous=` and `categorical=` override the guess. \
A variable with missing values gets a `missing` row counting them; its percentages and summaries \
are of the patients with a value, and its tests leave the others out.",
    examples: &[
        "describe by=aln",
        "describe by=aln median=rad categorical=grade",
        "describe columns=age,grade cohort=train",
    ],
    arguments: &[
        ArgSpec::keyword(
            "by",
            ArgKind::Column,
            "the two-group column to compare by (default: the outcome)",
        ),
        ArgSpec::keyword(
            "columns",
            ArgKind::Columns,
            "which variables (default: all but id, split, `by` and the radiomics features)",
        ),
        ArgSpec::keyword(
            "median",
            ArgKind::Columns,
            "continuous variables shown as median (IQR)",
        ),
        ArgSpec::keyword(
            "categorical",
            ArgKind::Columns,
            "numeric columns to describe as categories",
        ),
        ArgSpec::keyword(
            "continuous",
            ArgKind::Columns,
            "whole-number columns to describe as continuous",
        ),
        ArgSpec::keyword(
            "cohort",
            ArgKind::Choice(&["both", "train", "valid", "all"]),
            "which cohorts",
        )
        .default("both"),
    ],
    group: Group::Describe,
    replayable: true,
    run: describe,
};

/// How one variable is described.
enum Kind {
    Mean,
    Median,
    Categorical,
}

fn describe(context: &mut Context<'_>, arguments: &Arguments) -> Result<Output, Error> {
    let data = context.data()?;
    let (by_name, by) = context.grouping(arguments)?;
    let check_names = |name: &str| {
        let columns = arguments.columns(name);
        for (column, span) in &columns {
            if data.column(column).is_none() {
                return Err(unknown_column(data, column, *span));
            }
        }
        Ok(columns.into_iter().map(|(c, _)| c).collect::<Vec<_>>())
    };
    let median = check_names("median")?;
    let forced_categorical = check_names("categorical")?;
    let forced_continuous = check_names("continuous")?;
    let chosen = check_names("columns")?;
    let split_column = data.split_column();
    let mut notes = Vec::new();
    let variables: Vec<(&Column, Kind)> = data
        .columns
        .iter()
        .filter(|c| {
            if chosen.is_empty() {
                c.name != by_name
                    && Some(c.name.as_str()) != data.id.as_deref()
                    && Some(c.name.as_str()) != split_column
                    && !data.features.contains(&c.name)
            } else {
                chosen.contains(&c.name)
            }
        })
        .filter_map(|column| {
            let kind = kind_of(
                column,
                &median,
                &forced_categorical,
                &forced_continuous,
                &mut notes,
            )?;
            Some((column, kind))
        })
        .collect();

    let cohorts: Vec<(String, Option<Cohort>)> = match (arguments.text("cohort"), &data.cohorts) {
        (_, None) | (Some("all"), _) => vec![("All patients".to_string(), None)],
        (Some("train"), Some(_)) => vec![("Training".to_string(), Some(Cohort::Training))],
        (Some("valid"), Some(_)) => vec![("Validation".to_string(), Some(Cohort::Validation))],
        _ => vec![
            ("Training".to_string(), Some(Cohort::Training)),
            ("Validation".to_string(), Some(Cohort::Validation)),
        ],
    };

    let mut table_one = Table::new("table1", format!("Characteristics by `{by_name}`"));
    table_one.add_column("Characteristic", None);
    let mut tests = Table::new("tests", format!("Tests by `{by_name}`")).with_columns([
        "Characteristic",
        "Cohort",
        "Test",
        "Statistic",
        "df",
        "p",
    ]);
    // Variables missing for any patient described get a `missing` row in every cohort, so the
    // cohorts' rows line up.
    let described: Vec<usize> = cohorts
        .iter()
        .flat_map(|(_, cohort)| data.rows_of(*cohort))
        .collect();
    let with_missing: Vec<String> = variables
        .iter()
        .filter(|(column, _)| described.iter().any(|&r| column.is_missing(r)))
        .map(|(column, _)| column.name.clone())
        .collect();
    let mut fisher_used = false;
    let mut body: Vec<Vec<Cell>> = Vec::new();
    for (cohort_index, (cohort_label, cohort)) in cohorts.iter().enumerate() {
        context.check_cancelled()?;
        let rows = data.rows_of(*cohort);
        let (positive, negative, positive_label, negative_label) =
            data.binary_groups(by, &rows).map_err(|e| {
                Error::invalid(format!("`by={by_name}` {}", e.message))
                    .or_at(arguments.span("by").unwrap_or(context.span))
            })?;
        let group = Some(format!(
            "{cohort_label} (n={})",
            positive.len() + negative.len()
        ));
        table_one.add_column(
            format!("all (n={})", positive.len() + negative.len()),
            group.clone(),
        );
        table_one.add_column(
            format!("{by_name} = {positive_label} (n={})", positive.len()),
            group.clone(),
        );
        table_one.add_column(
            format!("{by_name} = {negative_label} (n={})", negative.len()),
            group.clone(),
        );
        table_one.add_column("p", group);
        let mut line = 0;
        for (column, kind) in &variables {
            let rows_for = |group: &[usize]| -> Vec<usize> {
                group
                    .iter()
                    .copied()
                    .filter(|&r| !column.is_missing(r))
                    .collect()
            };
            let (present_positive, present_negative) = (rows_for(&positive), rows_for(&negative));
            let missing = [
                positive.len() - present_positive.len(),
                negative.len() - present_negative.len(),
            ];
            let mut lines = match kind {
                Kind::Mean | Kind::Median => {
                    let values = |rows: &[usize]| numbers(column, rows);
                    let comparison =
                        compare_continuous(&values(&present_positive), &values(&present_negative));
                    add_continuous_tests(&mut tests, &column.name, cohort_label, &comparison);
                    let all: Vec<f64> = values(&present_positive)
                        .into_iter()
                        .chain(values(&present_negative))
                        .collect();
                    continuous_lines(
                        &column.name,
                        matches!(kind, Kind::Median),
                        &ContinuousSummary::of(&all),
                        &comparison,
                    )
                }
                Kind::Categorical => {
                    let comparison =
                        categorical_comparison(column, &present_positive, &present_negative);
                    add_categorical_tests(&mut tests, &column.name, cohort_label, &comparison);
                    if comparison.small_expected() {
                        fisher_used = true;
                    }
                    categorical_lines(&column.name, &comparison)
                }
            };
            if with_missing.contains(&column.name) {
                lines.push(missing_line(missing));
            }
            for cells in lines {
                if cohort_index == 0 {
                    body.push(cells);
                } else {
                    let width = body[line].len();
                    body[line].extend(cells.into_iter().skip(1));
                    debug_assert!(body[line].len() == width + 4);
                }
                line += 1;
            }
        }
    }
    for row in body {
        table_one.add_row(row);
    }
    table_one.note(
        "p: Student's t test for mean ± sd, Wilcoxon–Mann–Whitney test for median (IQR), Pearson's \
chi-squared test (no continuity correction) for counts (%); table `tests` lists every test",
    );
    if fisher_used {
        table_one.note(
            "p†: Fisher's exact test, where an expected count is below 5 and chi-squared is doubtful",
        );
    }
    if !with_missing.is_empty() {
        table_one.note(format!(
            "missing: patients without a value for {}; percentages, summaries and tests are of \
the patients with one",
            with_missing
                .iter()
                .map(|name| format!("`{name}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    notes.dedup();
    for note in notes {
        table_one.note(note);
    }
    Ok(Output::item(table_one)
        .with(tests)
        .with_method(super::methods::describe(&by_name)))
}

/// Decides how a column is described (or leaves it out, with a note).
fn kind_of(
    column: &Column,
    median: &[String],
    categorical: &[String],
    continuous: &[String],
    notes: &mut Vec<String>,
) -> Option<Kind> {
    let name = &column.name;
    match &column.values {
        ColumnValues::Categorical { levels, .. } => {
            if levels.len() > MAX_LEVELS_DESCRIBED && !categorical.contains(name) {
                notes.push(format!(
                    "`{name}` left out: {} distinct texts",
                    levels.len()
                ));
                None
            } else {
                Some(Kind::Categorical)
            }
        }
        ColumnValues::Numeric(_) => {
            if categorical.contains(name) {
                return Some(Kind::Categorical);
            }
            if median.contains(name) {
                return Some(Kind::Median);
            }
            if column.is_coded_category() && !continuous.contains(name) {
                let distinct = column.distinct_texts().len();
                notes.push(format!(
                    "`{name}` described as categories (whole numbers, {distinct} values); `continuous={name}` to change"
                ));
                Some(Kind::Categorical)
            } else {
                Some(Kind::Mean)
            }
        }
    }
}

fn numbers(column: &Column, rows: &[usize]) -> Vec<f64> {
    match &column.values {
        ColumnValues::Numeric(values) => rows.iter().filter_map(|&r| values[r]).collect(),
        ColumnValues::Categorical { .. } => Vec::new(),
    }
}

fn categorical_comparison(
    column: &Column,
    positive: &[usize],
    negative: &[usize],
) -> CategoricalComparison {
    let levels = column.distinct_texts();
    let count = |rows: &[usize]| -> Vec<u64> {
        let mut counts = vec![0u64; levels.len()];
        for &row in rows {
            if let Some(text) = column.text(row)
                && let Some(index) = levels.iter().position(|l| *l == text)
            {
                counts[index] += 1;
            }
        }
        counts
    };
    let (positive_counts, negative_counts) = (count(positive), count(negative));
    compare_categorical(levels, positive_counts, negative_counts)
}

fn continuous_lines(
    name: &str,
    median: bool,
    overall: &ContinuousSummary,
    comparison: &ContinuousComparison,
) -> Vec<Vec<Cell>> {
    let cell = |s: &ContinuousSummary| {
        if median {
            Cell::MedianIqr {
                median: s.median,
                q1: s.q1,
                q3: s.q3,
            }
        } else {
            Cell::MeanSd {
                mean: s.mean,
                sd: s.sd,
            }
        }
    };
    let p = if median {
        comparison.rank_sum.map(|t| t.p_value)
    } else {
        comparison.student.map(|t| t.p_value)
    };
    let label = if median {
        format!("{name}, median (IQR)")
    } else {
        format!("{name}, mean ± sd")
    };
    vec![vec![
        Cell::text(label),
        if overall.n > 0 {
            cell(overall)
        } else {
            Cell::Empty
        },
        cell(&comparison.positive),
        cell(&comparison.negative),
        p.map_or(Cell::Empty, Cell::p_value),
    ]]
}

fn categorical_lines(name: &str, comparison: &CategoricalComparison) -> Vec<Vec<Cell>> {
    let total_positive: u64 = comparison.positive_counts.iter().sum();
    let total_negative: u64 = comparison.negative_counts.iter().sum();
    let p = if comparison.small_expected() {
        comparison
            .fisher
            .map_or(Cell::Empty, |t| Cell::marked_p_value(t.p_value, "†"))
    } else {
        comparison
            .pearson
            .as_ref()
            .map_or(Cell::Empty, |t| Cell::p_value(t.p_value))
    };
    let mut lines = vec![vec![
        Cell::text(format!("{name}, n (%)")),
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        p,
    ]];
    for (index, level) in comparison.levels.iter().enumerate() {
        lines.push(vec![
            Cell::level(level),
            Cell::Count {
                count: comparison.positive_counts[index] + comparison.negative_counts[index],
                total: total_positive + total_negative,
            },
            Cell::Count {
                count: comparison.positive_counts[index],
                total: total_positive,
            },
            Cell::Count {
                count: comparison.negative_counts[index],
                total: total_negative,
            },
            Cell::Empty,
        ]);
    }
    lines
}

/// The `missing` row under a variable: how many patients of each group have no value.
fn missing_line([positive, negative]: [usize; 2]) -> Vec<Cell> {
    let count = |n: usize| Cell::Integer { value: n as i64 };
    vec![
        Cell::level("missing"),
        count(positive + negative),
        count(positive),
        count(negative),
        Cell::Empty,
    ]
}

fn t_row(name: &str, cohort: &str, test: &str, result: Option<TTest>) -> Vec<Cell> {
    match result {
        Some(t) => vec![
            Cell::text(name),
            Cell::text(cohort),
            Cell::text(test),
            Cell::number(t.statistic),
            Cell::number(t.df),
            Cell::p_value(t.p_value),
        ],
        None => vec![
            Cell::text(name),
            Cell::text(cohort),
            Cell::text(test),
            Cell::text("too few values"),
        ],
    }
}

fn add_continuous_tests(
    tests: &mut Table,
    name: &str,
    cohort: &str,
    comparison: &ContinuousComparison,
) {
    tests.add_row(t_row(name, cohort, "Student's t", comparison.student));
    tests.add_row(t_row(name, cohort, "Welch's t", comparison.welch));
    if let Some(rank_sum) = comparison.rank_sum {
        let method = if rank_sum.exact {
            "Wilcoxon rank-sum W (exact)"
        } else {
            "Wilcoxon rank-sum W (normal approximation)"
        };
        tests.add_row(vec![
            Cell::text(name),
            Cell::text(cohort),
            Cell::text(method),
            Cell::number(rank_sum.statistic),
            Cell::Empty,
            Cell::p_value(rank_sum.p_value),
        ]);
    }
}

fn chi_row(name: &str, cohort: &str, test: &str, result: &ChiSquaredTest) -> Vec<Cell> {
    vec![
        Cell::text(name),
        Cell::text(cohort),
        Cell::text(test),
        Cell::number(result.statistic),
        Cell::number(result.df),
        Cell::p_value(result.p_value),
    ]
}

fn add_categorical_tests(
    tests: &mut Table,
    name: &str,
    cohort: &str,
    comparison: &CategoricalComparison,
) {
    match &comparison.pearson {
        Some(pearson) => {
            tests.add_row(chi_row(name, cohort, "Pearson's chi-squared", pearson));
            if pearson.smallest_expected < 5.0 {
                tests.note(format!(
                    "{cohort}: `{name}` has an expected count of {:.2} (< 5); the chi-squared approximation is doubtful",
                    pearson.smallest_expected
                ));
            }
        }
        None => tests.add_row(vec![
            Cell::text(name),
            Cell::text(cohort),
            Cell::text("chi-squared"),
            Cell::text("one level only"),
        ]),
    }
    if let Some(yates) = &comparison.yates {
        tests.add_row(chi_row(name, cohort, "chi-squared, Yates-corrected", yates));
    }
    match comparison.fisher {
        Some(fisher) => tests.add_row(vec![
            Cell::text(name),
            Cell::text(cohort),
            Cell::text("Fisher's exact"),
            Cell::Empty,
            Cell::Empty,
            Cell::p_value(fisher.p_value),
        ]),
        None if comparison.pearson.is_some() => tests.note(format!(
            "{cohort}: `{name}`'s margins allow more than {} tables, too many to enumerate; \
Fisher's exact test is not computed (chi-squared serves at these counts)",
            crate::stats::fisher::MAX_TABLES
        )),
        None => {}
    }
}
