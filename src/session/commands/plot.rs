//! `plot`: a variable's distribution by outcome group (histograms for numbers, bars for
//! categories), for a first look at the data.

use super::plot_distribution::{Group as ScoreGroup, waterfall};
use crate::data::{Cohort, ColumnValues};
use crate::error::Error;
use crate::output::{Axis, Layer, Legend, Output, Plot, Series};
use crate::session::args::Arguments;
use crate::session::context::Context;
use crate::session::spec::{ArgKind, ArgSpec, CommandSpec, Group};

pub const PLOT: CommandSpec = CommandSpec {
    name: "plot",
    summary: "draw a variable's distribution by outcome group",
    help: "A numeric column is drawn as overlaid histograms, one per group of `by` (default: the \
outcome), as proportions so groups of different sizes compare; a categorical column as side-by-side \
bars of the proportion of each group at each level (so is a whole-number column with at most 5 \
values, such as grade). `kind=waterfall` draws a numeric column as radiomics papers draw the \
rad-score: one bar per patient from zero to the value, tallest first, coloured by group — one \
plot per cohort when the data are split; `kind=box` draws each group's box plot, in each cohort \
side by side (quartiles, whiskers to the furthest value within 1.5 IQR of the box, values beyond \
as points). The plot is written as SVG and PNG to the plots folder (`set plots=DIR`).",
    examples: &[
        "plot age",
        "plot grade by=aln cohort=train",
        "plot rad bins=30",
        "plot rad kind=waterfall",
        "plot rad kind=box",
    ],
    arguments: &[
        ArgSpec::positional("column", ArgKind::Column, "the variable to draw").required(),
        ArgSpec::keyword(
            "by",
            ArgKind::Column,
            "the grouping column (default: the outcome)",
        ),
        ArgSpec::keyword(
            "cohort",
            ArgKind::Choice(&["all", "train", "valid"]),
            "which patients",
        )
        .default("all"),
        ArgSpec::keyword(
            "bins",
            ArgKind::WholeNumber { min: 2, max: 200 },
            "histogram bins",
        )
        .default("20"),
        ArgSpec::keyword(
            "kind",
            ArgKind::Choice(&["histogram", "waterfall", "box"]),
            "how a numeric column is drawn",
        )
        .default("histogram"),
    ],
    group: Group::Describe,
    replayable: true,
    run: plot,
};

fn plot(context: &mut Context<'_>, arguments: &Arguments) -> Result<Output, Error> {
    let data = context.data()?;
    let name = arguments.text("column").unwrap_or_default();
    let column = context.column(name, arguments.span("column"))?;
    let (by_name, by) = context.grouping(arguments)?;
    let cohort = match arguments.text("cohort") {
        Some("train") => Some(Cohort::Training),
        Some("valid") => Some(Cohort::Validation),
        _ => None,
    };
    if cohort.is_some() && data.cohorts.is_none() {
        return Err(Error::invalid(
            "the data are not split yet: run `split` first, or use cohort=all",
        )
        .or_at(arguments.span("cohort").unwrap_or(context.span)));
    }
    if let Some(kind @ ("waterfall" | "box")) = arguments.text("kind") {
        let ColumnValues::Numeric(values) = &column.values else {
            return Err(not_a_score(name, kind, arguments, context));
        };
        if column.is_coded_category() {
            return Err(not_a_score(name, kind, arguments, context));
        }
        let cohorts: Vec<(String, Option<Cohort>)> = match (cohort, data.cohorts.is_some()) {
            (Some(part), _) => vec![(part.to_string(), Some(part))],
            (None, true) => vec![
                ("training".to_string(), Some(Cohort::Training)),
                ("validation".to_string(), Some(Cohort::Validation)),
            ],
            (None, false) => vec![("all".to_string(), None)],
        };
        let mut output = Output::empty();
        let mut boxes = Vec::new();
        let stem = match arguments.text("cohort") {
            Some(part @ ("train" | "valid")) => format!("{name}-{part}"),
            _ => name.to_string(),
        };
        for (label, part) in &cohorts {
            let rows = data.rows_of(*part);
            let (positive, negative, positive_label, negative_label) = data
                .binary_groups(by, &rows)
                .map_err(|e| Error::invalid(format!("`by={by_name}` {}", e.message)))?;
            let group = |rows: &[usize], level: &str, colour: usize| ScoreGroup {
                label: format!("{by_name} = {level}"),
                colour,
                values: rows.iter().filter_map(|&r| values[r]).collect(),
            };
            let groups = [
                group(&positive, &positive_label, 1),
                group(&negative, &negative_label, 0),
            ];
            if kind == "waterfall" {
                output.push(waterfall(
                    name,
                    &format!("{name}-{label}"),
                    &format!("{name} of each patient by {by_name}, {label} cohort"),
                    &groups,
                ));
            } else {
                for g in groups {
                    boxes.push((format!("{label}: {}", g.label), g));
                }
            }
        }
        if kind == "box" {
            output.push(super::plot_distribution::boxes(
                name,
                &stem,
                &format!("{name} by {by_name}"),
                &boxes,
            ));
        }
        return Ok(output);
    }
    let rows = data.rows_of(cohort);
    let (positive, negative, positive_label, negative_label) = data
        .binary_groups(by, &rows)
        .map_err(|e| Error::invalid(format!("`by={by_name}` {}", e.message)))?;
    let groups = [
        (
            format!("{by_name} = {positive_label} (n={})", positive.len()),
            positive,
            1,
        ),
        (
            format!("{by_name} = {negative_label} (n={})", negative.len()),
            negative,
            0,
        ),
    ];
    let title = match cohort {
        Some(part) => format!("{name} by {by_name} ({part} cohort)"),
        None => format!("{name} by {by_name}"),
    };
    let mut plot = Plot {
        name: match arguments.text("cohort") {
            Some(part @ ("train" | "valid")) => format!("plot-{name}-by-{by_name}-{part}"),
            _ => format!("plot-{name}-by-{by_name}"),
        },
        title,
        x: Axis::new(name),
        y: Axis::new("proportion of the group"),
        layers: Vec::new(),
        size: (720, 480),
        legend: Legend::UpperRight,
    };
    match &column.values {
        ColumnValues::Numeric(values) if !column.is_coded_category() => {
            let all: Vec<f64> = rows.iter().filter_map(|&r| values[r]).collect();
            let low = all.iter().copied().fold(f64::INFINITY, f64::min);
            let high = all.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let bins = arguments.integer("bins").unwrap_or(20) as usize;
            for (label, group, colour) in groups {
                let present: Vec<f64> = group.iter().filter_map(|&r| values[r]).collect();
                let bars = crate::stats::summary::histogram(&present, (low, high), bins);
                plot.layers.push(Layer::Bars {
                    series: Series { label, colour },
                    bars,
                });
            }
        }
        _ => {
            let levels = column.distinct_texts();
            for (index, (label, group, colour)) in groups.into_iter().enumerate() {
                let present: Vec<String> = group.iter().filter_map(|&r| column.text(r)).collect();
                let total = present.len().max(1) as f64;
                let bars = levels
                    .iter()
                    .enumerate()
                    .map(|(i, level)| {
                        let x0 = i as f64 - 0.4 + 0.4 * index as f64;
                        let share = present.iter().filter(|v| *v == level).count() as f64 / total;
                        (x0, x0 + 0.4, share)
                    })
                    .collect();
                plot.layers.push(Layer::Bars {
                    series: Series { label, colour },
                    bars,
                });
            }
            plot.x.categories = levels;
            plot.x.range = Some((-0.6, plot.x.categories.len() as f64 - 0.4));
        }
    }
    Ok(Output::item(plot))
}

/// `kind=waterfall|box` asked of a column that is not a numeric score.
fn not_a_score(name: &str, kind: &str, arguments: &Arguments, context: &Context<'_>) -> Error {
    Error::invalid(format!(
        "`kind={kind}` draws a numeric score such as the rad-score; `{name}` holds categories — `plot {name}` draws its levels by group"
    ))
    .or_at(arguments.span("kind").unwrap_or(context.span))
}
