//! `show features`: a summary of the extracted feature columns, overall and by outcome group.

use crate::error::{Error, ErrorKind};
use crate::output::{Cell, Output, Table};
use crate::session::args::Arguments;
use crate::session::context::Context;
use crate::session::spec::{CommandSpec, Group};
use crate::stats::summary::{mean, standard_deviation};

pub const SHOW_FEATURES: CommandSpec = CommandSpec {
    name: "show features",
    summary: "summarise the extracted features: mean, sd, missing, by outcome",
    help: "One row per feature column: its mean and standard deviation over all patients, how many \
values are missing, and its mean in each outcome group.",
    examples: &["show features"],
    arguments: &[],
    group: Group::Images,
    replayable: false,
    run: show_features,
};

fn show_features(context: &mut Context<'_>, _: &Arguments) -> Result<Output, Error> {
    let data = context.data()?;
    if data.features.is_empty() {
        return Err(Error::new(ErrorKind::NeedsStep {
            missing: "no features yet".into(),
            run: "extract".into(),
        }));
    }
    let outcome = data
        .outcome
        .as_deref()
        .and_then(|o| data.column(o).map(|c| (o, c)));
    let groups =
        outcome.and_then(|(_, column)| data.binary_groups(column, &data.rows_of(None)).ok());
    let mut columns = vec![
        "feature".to_string(),
        "mean".into(),
        "sd".into(),
        "missing".into(),
    ];
    if let (Some((name, _)), Some((_, _, positive, negative))) = (outcome, &groups) {
        columns.push(format!("mean, {name} = {positive}"));
        columns.push(format!("mean, {name} = {negative}"));
    }
    let mut table =
        Table::new("features", format!("{} features", data.features.len())).with_columns(columns);
    for name in &data.features {
        let Some(values) = data.numbers(name) else {
            continue;
        };
        let present: Vec<f64> = values.iter().flatten().copied().collect();
        let mut row = vec![
            Cell::text(name),
            Cell::number(mean(&present)),
            Cell::number(standard_deviation(&present)),
            Cell::Count {
                count: (values.len() - present.len()) as u64,
                total: values.len() as u64,
            },
        ];
        if let Some((positive, negative, _, _)) = &groups {
            for rows in [positive, negative] {
                let group: Vec<f64> = rows.iter().filter_map(|&r| values[r]).collect();
                row.push(Cell::number(mean(&group)));
            }
        }
        table.add_row(row);
    }
    Ok(Output::item(table))
}
