//! Getting data in and giving it roles: `load table`, `vars` (and the roles `split.rs` and
//! `load cohort` share).

use super::outcome::event_level;
use crate::data::{
    Cohort, Column, ColumnValues, CsvOptions, CsvTable, Dataset, SplitSource, parse_cohort_label,
    read_csv_with,
};
use crate::error::{Error, ErrorKind};
use crate::lang::Span;
use crate::output::{Cell, Output, Table, Text};
use crate::session::args::Arguments;
use crate::session::context::{Context, unknown_column};
use crate::session::spec::{ArgKind, ArgSpec, CommandSpec, Group};
use std::path::Path;
use std::sync::Arc;

pub const LOAD_TABLE: CommandSpec = CommandSpec {
    name: "load table",
    summary: "read a clinical table from CSV and set its outcome, id and split",
    help: "Reads a CSV file with a header row. A column most of whose values are numbers is numeric; \
any other column is categorical. Empty cells and NA, N/A, NaN, NULL are missing values: they are counted \
per column and left out per analysis, never filled in; `na=` adds texts of your own (`na=-99,\"n.d.\"`). \
A cell of a numeric column that is not a finite number (`n.d.`, `inf`) is an error naming its line, \
column and value — never a category. The separator is the one the header line uses (`,` `;` tab `|`) \
unless `sep=` says; `decimal=comma` reads `1,5` as 1.5.\n\n`outcome` names the binary outcome (two \
distinct values). Coded 0/1 or TRUE/FALSE, 1 or TRUE is the event; any other coding (1/2, yes/no, \
pos/neg) needs `event=VALUE` naming the event, and every model says which value it predicts. `id` names the patient id column \
(default: a column called `id`, if there is one); ids must be unique. `split` names a column saying \
which patients are in the training and which in the validation cohort (train/training/derivation \
or valid/validation/test). `features` names the radiomics feature columns (patterns with `*` and \
`?` allowed), which `standardize` and `lasso` use.",
    examples: &[
        "load table examples/data/demo.csv outcome=aln split=cohort",
        "load table radiomics.csv outcome=aln split=cohort features=original_*,wavelet_*",
    ],
    arguments: &[
        ArgSpec::positional("path", ArgKind::Path, "the CSV file").required(),
        ArgSpec::keyword("outcome", ArgKind::Column, "the binary outcome column").required(),
        EVENT,
        ArgSpec::keyword("id", ArgKind::Column, "the patient id column"),
        ArgSpec::keyword(
            "split",
            ArgKind::Column,
            "the column giving training or validation",
        ),
        ArgSpec::keyword(
            "features",
            ArgKind::Columns,
            "the radiomics feature columns, by name or pattern (`f*`)",
        ),
        SEP,
        DECIMAL,
        NA,
    ],
    group: Group::Data,
    replayable: true,
    run: load_table,
};

/// `event=`: which outcome value is the event (`load table`, `load cohort`).
pub(super) const EVENT: ArgSpec = ArgSpec::keyword(
    "event",
    ArgKind::Value,
    "the outcome value that is the event (needed unless coded 0/1 or TRUE/FALSE)",
);

/// `sep=`, `decimal=` and `na=`: how a CSV file is written (`load table`, `load cohort`).
pub(super) const SEP: ArgSpec = ArgSpec::keyword(
    "sep",
    ArgKind::Choice(&["comma", "semicolon", "tab", "pipe"]),
    "the separator (default: the one the header line uses)",
);
pub(super) const DECIMAL: ArgSpec = ArgSpec::keyword(
    "decimal",
    ArgKind::Choice(&["point", "comma"]),
    "how numbers write their decimals (`1.5` or `1,5`)",
)
.default("point");
pub(super) const NA: ArgSpec = ArgSpec::keyword(
    "na",
    ArgKind::Words,
    "more cell texts that mean a missing value (`na=-99,\"n.d.\"`)",
);

/// How `load table` and `load cohort` read a CSV file: `sep`, `decimal` and `na`.
pub(super) fn csv_options(arguments: &Arguments) -> CsvOptions {
    CsvOptions {
        separator: arguments.text("sep").map(|sep| match sep {
            "semicolon" => b';',
            "tab" => b'\t',
            "pipe" => b'|',
            _ => b',',
        }),
        decimal_comma: arguments.text("decimal") == Some("comma"),
        missing: arguments.words("na"),
    }
}

/// The message for a table read with a separator other than the comma, which was not given.
fn separator_note(table: &CsvTable, arguments: &Arguments) -> Option<Text> {
    let name = match table.separator {
        b';' => "semicolon",
        b'\t' => "tab",
        b'|' => "pipe",
        _ => return None,
    };
    (!arguments.given("sep")).then(|| {
        Text::info(format!(
            "read as {name}-separated (the header line's separator; `sep=` chooses another)"
        ))
    })
}

fn load_table(context: &mut Context<'_>, arguments: &Arguments) -> Result<Output, Error> {
    let path = arguments.text("path").unwrap_or_default();
    let path_span = arguments.span("path").unwrap_or(context.span);
    let input = |location: String, message: String| {
        Error::new(ErrorKind::Input { location, message }).or_at(path_span)
    };
    let table = read_csv_with(Path::new(path), &csv_options(arguments))
        .map_err(|e| input(e.location, e.message))?;
    if let Some(first) = table.bad_cells.first() {
        let others = match table.bad_cells.len() {
            1 => String::new(),
            n => format!(" (and {} more such cells)", n - 1),
        };
        return Err(input(
            path.to_string(),
            format!(
                "{}{others}, in a column of numbers; fix the file, or give `na={}` to read such cells as missing",
                first.describe(),
                first.value
            ),
        ));
    }
    let separator = separator_note(&table, arguments);
    let mut data = table.data;
    let outcome = arguments.text("outcome").unwrap_or_default();
    let outcome_span = arguments.span("outcome").unwrap_or(context.span);
    let id = arguments.text("id").map(|id| (id, arguments.span("id")));
    let split = arguments
        .text("split")
        .map(|split| (split, arguments.span("split").unwrap_or(context.span)));
    let event = arguments
        .text("event")
        .map(|event| (event, arguments.span("event").unwrap_or(context.span)));
    set_roles(
        &mut data,
        (outcome, outcome_span),
        event,
        id,
        split,
        context.span,
    )?;

    for (pattern, span) in arguments.columns("features") {
        let matched = data.columns_matching(&pattern);
        if matched.is_empty() {
            return Err(unknown_column(&data, &pattern, span));
        }
        for name in matched {
            if data.numbers(&name).is_none() {
                return Err(Error::at(
                    ErrorKind::Invalid {
                        message: format!("feature `{name}` is not numeric"),
                    },
                    span,
                ));
            }
            if !data.features.contains(&name) {
                data.features.push(name);
            }
        }
    }

    let mut output = loaded_summary(
        &data,
        &format!(
            "loaded {} rows and {} columns from {path}",
            data.row_count(),
            data.columns.len()
        ),
    )?;
    if let Some(note) = separator {
        output.push(note);
    }
    output.method(super::methods::clinical_table(&data, path));
    context.state.data = Some(data);
    context.state.extraction = None;
    Ok(output)
}

/// Sets the outcome, id and split roles on freshly read data, checking each: a binary outcome,
/// unique ids (the `id` column by default), and a valid cohort label on every row.
pub(super) fn set_roles(
    data: &mut Dataset,
    (outcome, outcome_span): (&str, Span),
    event: Option<(&str, Span)>,
    id: Option<(&str, Option<Span>)>,
    split: Option<(&str, Span)>,
    command_span: Span,
) -> Result<(), Error> {
    let outcome_column = data
        .column(outcome)
        .ok_or_else(|| unknown_column(data, outcome, outcome_span))?;
    let levels = outcome_column.distinct_texts();
    if levels.is_empty() || levels.len() > 2 {
        // A few values too many (a stray code): where the rare ones are (at most 3 rows each).
        let ids = id
            .map(|(id, _)| id)
            .or_else(|| data.column_names().find(|n| n.eq_ignore_ascii_case("id")))
            .and_then(|id| data.column(id));
        let rare: Vec<String> = levels
            .iter()
            .filter(|_| (3..=5).contains(&levels.len()))
            .filter_map(|level| {
                let rows: Vec<usize> = (0..data.row_count())
                    .filter(|&row| outcome_column.text(row).as_deref() == Some(level.as_str()))
                    .collect();
                (rows.len() <= 3).then(|| {
                    let places: Vec<String> = rows
                        .iter()
                        .map(|&row| match ids.and_then(|c| c.text(row)) {
                            Some(patient) => format!("line {} ({patient})", row + 2),
                            None => format!("line {}", row + 2),
                        })
                        .collect();
                    format!("`{level}` on {}", places.join(", "))
                })
            })
            .collect();
        return Err(Error::at(
            ErrorKind::Invalid {
                message: format!(
                    "the outcome `{outcome}` in {} must have two values, it has {}{}",
                    data.source,
                    if levels.is_empty() {
                        "none (every row's is missing)".to_string()
                    } else {
                        describe_levels(&levels)
                    },
                    if rare.is_empty() {
                        String::new()
                    } else {
                        format!(" — {}", rare.join("; "))
                    }
                ),
            },
            outcome_span,
        ));
    }
    data.event = Some(event_level(data, outcome, outcome_span, &levels, event)?);
    data.outcome = Some(outcome.to_string());
    let id = match id {
        Some((id, span)) => Some((id.to_string(), span)),
        None => data
            .column_names()
            .find(|name| name.eq_ignore_ascii_case("id"))
            .map(|name| (name.to_string(), None)),
    };
    if let Some((id, span)) = id {
        let column = data
            .column(&id)
            .ok_or_else(|| unknown_column(data, &id, span.unwrap_or(command_span)))?;
        check_unique_ids(data, column)?;
        data.id = Some(id);
    }
    if let Some((split, span)) = split {
        let cohorts = cohorts_from_column(data, split, span)?;
        data.cohorts = Some(Arc::new(cohorts));
        data.split = Some(SplitSource::Column(split.to_string()));
    }
    Ok(())
}

/// What a load reports: a headline, rows without an outcome, patients by cohort, the columns.
pub(super) fn loaded_summary(data: &Dataset, headline: &str) -> Result<Output, Error> {
    let mut output = Output::empty();
    let outcome = data.outcome.as_deref().unwrap_or_default();
    let missing_outcome: Vec<String> = (0..data.row_count())
        .filter(|&row| data.column(outcome).is_some_and(|c| c.is_missing(row)))
        .map(|row| data.patient_label(row))
        .collect();
    output.push(Text::info(headline));
    if !missing_outcome.is_empty() {
        output.push(Text::warning(format!(
            "{} no `{outcome}` and {} left out of analyses by outcome: {}",
            match missing_outcome.len() {
                1 => "1 row has".to_string(),
                n => format!("{n} rows have"),
            },
            if missing_outcome.len() == 1 {
                "is"
            } else {
                "are"
            },
            preview_list(&missing_outcome)
        )));
    }
    let levels = data
        .column(outcome)
        .map(Column::distinct_texts)
        .unwrap_or_default();
    if let [only] = levels.as_slice() {
        output.push(Text::warning(format!(
            "every patient with a known `{outcome}` has {outcome} = {only}: analyses by outcome (describe, models, ROC) need both groups; images can be looked at, segmented and extracted"
        )));
        output.push(columns_table(data));
        return Ok(output);
    }
    match cohort_table(data) {
        Ok(table) => output.push(table),
        Err(error) => output.push(Text::warning(format!(
            "no table of patients by outcome: {error}"
        ))),
    }
    output.push(columns_table(data));
    Ok(output)
}

fn check_unique_ids(data: &Dataset, column: &Column) -> Result<(), Error> {
    let mut seen = std::collections::HashMap::new();
    for row in 0..data.row_count() {
        let Some(id) = column.text(row) else {
            return Err(Error::new(ErrorKind::Input {
                location: format!("{}, line {}", data.source, row + 2),
                message: format!("the id `{}` is missing", column.name),
            }));
        };
        if let Some(first) = seen.insert(id.clone(), row) {
            return Err(Error::new(ErrorKind::Input {
                location: format!("{}, line {}", data.source, row + 2),
                message: format!("the id `{id}` was already used on line {}", first + 2),
            }));
        }
    }
    Ok(())
}

/// Reads training/validation labels from a column; any other value is an error naming its line.
pub(super) fn cohorts_from_column(
    data: &Dataset,
    name: &str,
    span: Span,
) -> Result<Vec<Cohort>, Error> {
    let column = data
        .column(name)
        .ok_or_else(|| unknown_column(data, name, span))?;
    (0..data.row_count())
        .map(|row| {
            let text = column.text(row);
            text.as_deref().and_then(parse_cohort_label).ok_or_else(|| {
                Error::new(ErrorKind::Input {
                    location: format!(
                        "{}, line {}, patient {}",
                        data.source,
                        row + 2,
                        data.patient_label(row)
                    ),
                    message: match text {
                        Some(text) => format!(
                            "`{name}` is `{text}`; expected train/training or valid/validation/test"
                        ),
                        None => format!("`{name}` is missing; every patient needs a cohort"),
                    },
                })
            })
        })
        .collect()
}

/// Patients per cohort and outcome group.
pub(super) fn cohort_table(data: &Dataset) -> Result<Table, Error> {
    let outcome = data.outcome.as_deref().unwrap_or_default();
    let column = data
        .column(outcome)
        .ok_or_else(|| Error::invalid("no outcome set"))?;
    let mut cohorts: Vec<(String, Option<Cohort>)> = vec![("all".to_string(), None)];
    if data.cohorts.is_some() {
        cohorts.push(("training".to_string(), Some(Cohort::Training)));
        cohorts.push(("validation".to_string(), Some(Cohort::Validation)));
    }
    let mut table = Table::new("cohorts", format!("Patients by cohort and `{outcome}`"));
    let mut header_done = false;
    for (label, cohort) in cohorts {
        let rows = data.rows_of(cohort);
        let (positive, negative, positive_label, negative_label) = data
            .binary_groups(column, &rows)
            .map_err(|e| Error::invalid(format!("{}: {}", e.location, e.message)))?;
        if !header_done {
            table = Table::new("cohorts", format!("Patients by cohort and `{outcome}`"))
                .with_columns([
                    "cohort".to_string(),
                    "patients".to_string(),
                    format!("{outcome} = {positive_label}"),
                    format!("{outcome} = {negative_label}"),
                ]);
            header_done = true;
        }
        table.add_row(vec![
            Cell::text(label),
            Cell::Integer {
                value: rows.len() as i64,
            },
            Cell::Count {
                count: positive.len() as u64,
                total: rows.len() as u64,
            },
            Cell::Count {
                count: negative.len() as u64,
                total: rows.len() as u64,
            },
        ]);
    }
    if let Some(description) = &data.split {
        table.note(format!("split {description}"));
    }
    Ok(table)
}

/// One row per column: type, role, missing values and a glimpse of the values.
pub fn columns_table(data: &Dataset) -> Table {
    let mut table = Table::new("columns", format!("Columns of {}", data.source))
        .with_columns(["column", "type", "role", "missing", "values"]);
    for column in &data.columns {
        let role = if data.outcome.as_deref() == Some(&column.name) {
            "outcome"
        } else if data.features.contains(&column.name) {
            "feature"
        } else if data.id.as_deref() == Some(&column.name) {
            "id"
        } else if data.split_column() == Some(column.name.as_str()) {
            "split"
        } else {
            ""
        };
        table.add_row(vec![
            Cell::text(&column.name),
            Cell::text(column.type_name()),
            Cell::text(role),
            Cell::Count {
                count: column.missing_count() as u64,
                total: column.len() as u64,
            },
            Cell::text(glimpse(column)),
        ]);
    }
    let missing: Vec<String> = data
        .columns
        .iter()
        .filter(|c| c.missing_count() > 0)
        .map(|c| format!("`{}` {}", c.name, c.missing_count()))
        .collect();
    if !missing.is_empty() {
        table.note(format!(
            "missing values: {}; they are left out per analysis, never filled in",
            missing.join(", ")
        ));
    }
    table
}

/// `18 – 82` for numbers, `neg, pos` for categories (the first few).
fn glimpse(column: &Column) -> String {
    match &column.values {
        ColumnValues::Numeric(values) => {
            let present: Vec<f64> = values.iter().flatten().copied().collect();
            let low = present.iter().copied().fold(f64::INFINITY, f64::min);
            let high = present.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let short = |x: f64| crate::render::format::format_number(x, 4);
            format!("{} – {}", short(low), short(high))
        }
        ColumnValues::Categorical { levels, .. } => describe_levels(levels),
    }
}

fn describe_levels(levels: &[String]) -> String {
    let shown: Vec<&str> = levels.iter().take(6).map(String::as_str).collect();
    if levels.len() > 6 {
        format!("{}, … ({} values)", shown.join(", "), levels.len())
    } else {
        shown.join(", ")
    }
}

fn preview_list(items: &[String]) -> String {
    if items.len() > 8 {
        format!("{}, …", items[..8].join(", "))
    } else {
        items.join(", ")
    }
}

pub const VARS: CommandSpec = CommandSpec {
    name: "vars",
    summary: "list the data's columns and the stored results",
    help: "Shows every column with its type, role (outcome, id, split), missing values and range or \
levels, then every result stored with `name = command`.",
    examples: &["vars"],
    arguments: &[],
    group: Group::Data,
    replayable: false,
    run: vars,
};

fn vars(context: &mut Context<'_>, _arguments: &Arguments) -> Result<Output, Error> {
    let mut output = Output::empty();
    match &context.state.data {
        Some(data) => output.push(columns_table(data)),
        None => output.push(Text::info(
            "no data loaded (`load table FILE.csv outcome=COLUMN`)",
        )),
    }
    if !context.state.variables.is_empty() {
        let mut stored =
            Table::new("variables", "Stored results").with_columns(["name", "kind", "title"]);
        for (name, item) in &context.state.variables {
            let (kind, title) = match item {
                crate::output::Item::Table(t) => ("table", t.title.clone()),
                crate::output::Item::Plot(p) => ("plot", p.title.clone()),
                crate::output::Item::Model(m) => ("model", m.formula.clone()),
                crate::output::Item::Text(_) => ("text", String::new()),
            };
            stored.add_row(vec![Cell::text(name), Cell::text(kind), Cell::text(title)]);
        }
        output.push(stored);
    }
    Ok(output)
}
