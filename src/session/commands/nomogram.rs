//! `nomogram` (a logistic model drawn as points, with its points table) and `predict` (one
//! patient's risk with the points each predictor gives).

use super::models::{fitting_cohort, input_error, linear_predictor, model_from_fit, stored_model};
use super::nomogram_drawing::drawing;
use crate::data::Dataset;
use crate::error::{Error, ErrorKind};
use crate::lang::suggest::nearest;
use crate::output::{Cell, Item, Model, Output, Table, Text};
use crate::session::args::{Arguments, Assignment};
use crate::session::context::Context;
use crate::session::spec::{ArgKind, ArgSpec, CommandSpec, Group};
use crate::stats::design::build;
use crate::stats::logistic::fit;
use crate::stats::nomogram::{Nomogram, NomogramTerm, TickValue, format_number};

pub const NOMOGRAM: CommandSpec = CommandSpec {
    name: "nomogram",
    summary: "draw a logistic model as a nomogram, with its points table",
    help: "One axis per predictor, scaled as R's rms `nomogram()` scales it: each predictor's \
contribution (coefficient × value) becomes points, the predictor with the widest range of \
contribution spanning 0–100. A numeric predictor with at most 10 distinct values in the fitting \
data is drawn at those values (grade 1, 2, 3), one with more at R's `pretty` values over its range \
(so the rad-score axis's drawn range sets the points per unit); categorical levels are named. Below \
them the total-points axis, the linear predictor and the risk. Tick labels never overlap: a level \
that would collide moves below its axis, and numeric labels that find no room are left out (the tick \
stays). Also gives the points of every axis value and a total points → risk table. Takes a stored \
model or a formula (fitted on the training cohort first).\n\n`html=FILE` also writes the nomogram \
to use: one self-contained HTML page (no server, nothing fetched) with a control per predictor (a \
slider and a box for a number, a list for a level) that moves its point, the total points and the \
predicted risk with its 95% interval from the model's covariance; the fitting patients' values \
are drawn above each axis, and `patient=ID` draws that patient and starts from their values.",
    examples: &[
        "nomogram combined",
        "nomogram grade+multifocal+lnmri+rad",
        "nomogram combined html=nomogram.html patient=P0007",
    ],
    arguments: &[
        ArgSpec::positional(
            "model",
            ArgKind::Formula,
            "a stored model, or a formula to fit",
        )
        .required(),
        ArgSpec::keyword(
            "html",
            ArgKind::Path,
            "also write the interactive nomogram to this .html file",
        ),
        ArgSpec::keyword(
            "patient",
            ArgKind::Patient,
            "a patient drawn on the interactive nomogram",
        ),
        super::meta::OVERWRITE,
    ],
    group: Group::Models,
    replayable: true,
    run: run_nomogram,
};

pub const PREDICT: CommandSpec = CommandSpec {
    name: "predict",
    summary: "a patient's risk from a model, with the nomogram points of each predictor",
    help: "The risk a stored model gives for the values typed (`grade=3 multifocal=yes lnmri=no \
rad=0.42`) or for a patient of the loaded data (`patient=P0007`; values typed as well replace the \
patient's). Shows the value and nomogram points of each predictor, the total points, the linear \
predictor and the risk. A value outside the range the nomogram draws is used as given and flagged.",
    examples: &[
        "predict combined grade=3 multifocal=yes lnmri=no rad=0.42",
        "predict combined patient=P0007",
        "predict combined patient=P0007 lnmri=no",
    ],
    arguments: &[
        ArgSpec::positional("model", ArgKind::Model, "the stored model").required(),
        ArgSpec::keyword(
            "patient",
            ArgKind::Patient,
            "take the values of this patient",
        ),
        ArgSpec::keyword(
            "values",
            ArgKind::Assignments,
            "predictor values: `grade=3 lnmri=no`",
        ),
    ],
    group: Group::Models,
    replayable: true,
    run: run_predict,
};

fn run_nomogram(context: &mut Context<'_>, arguments: &Arguments) -> Result<Output, Error> {
    let written = arguments.formula("model");
    let mut output = Output::empty();
    let stored = match written.as_slice() {
        [single] if single.function.is_none() => context
            .state
            .model(&single.column)
            .map(|model| (single.column.clone(), model.clone())),
        _ => None,
    };
    let (name, model) = match stored {
        Some(found) => found,
        None => {
            let terms = context.formula(arguments, "model")?;
            let outcome = context.outcome()?;
            let (rows, cohort) = context.model_rows(None)?;
            let design = build(context.data()?, &outcome, &terms, &rows).map_err(input_error)?;
            let fitted = fit(&design.x, &design.y, None);
            let model = model_from_fit(&design, &fitted, &outcome, &cohort, false);
            output.push(model.clone());
            let stem: String = written
                .iter()
                .map(|t| t.column.as_str())
                .collect::<Vec<_>>()
                .join("-");
            (stem, model)
        }
    };
    let data = context.data()?;
    let nomogram = nomogram_of(&model, data)?;
    output.push(drawing(&format!("nomogram-{name}"), &model, &nomogram));
    output.push(points_table(&model, &nomogram));
    output.push(risk_table(&model, &nomogram));
    match (arguments.text("html"), arguments.text("patient")) {
        (Some(path), patient) => {
            let span = arguments.span("html").unwrap_or(context.span);
            let ending = std::path::Path::new(path)
                .extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase);
            if !matches!(ending.as_deref(), Some("html" | "htm")) {
                return Err(Error::invalid(format!(
                    "`{path}`: the interactive nomogram is an HTML page; name the file with .html"
                ))
                .or_at(span));
            }
            let patient = patient.map(|id| (id, arguments.span("patient").unwrap_or(span)));
            let page = super::nomogram_html::interactive_page(&model, &nomogram, data, patient)?;
            let written = crate::session::files::write(
                std::path::Path::new(path),
                page.as_bytes(),
                arguments.boolean("overwrite").unwrap_or(false),
            )
            .map_err(|e| e.or_at(span))?;
            output.push(Text::info(format!(
                "wrote the interactive nomogram to {path}{}",
                written.note()
            )));
        }
        (None, Some(_)) => {
            return Err(Error::invalid(
                "`patient=` draws a patient on the interactive nomogram; give `html=FILE` too (`predict MODEL patient=ID` reads one patient's risk)",
            )
            .or_at(arguments.span("patient").unwrap_or(context.span)));
        }
        (None, None) => {}
    }
    output.method(super::methods::nomogram(&model.formula));
    Ok(output)
}

/// The rows a model was fitted on: its cohort's rows with every model variable present.
pub(super) fn fitting_rows(model: &Model, data: &Dataset) -> Vec<usize> {
    data.rows_of(fitting_cohort(model))
        .into_iter()
        .filter(|&row| {
            data.column(&model.outcome)
                .is_some_and(|c| !c.is_missing(row))
                && linear_predictor(model, data, row).is_some()
        })
        .collect()
}

/// The nomogram of a stored model, its numeric axes chosen from the data it was fitted on.
pub fn nomogram_of(model: &Model, data: &Dataset) -> Result<Nomogram, Error> {
    let rows = fitting_rows(model, data);
    let estimate = |term: Option<usize>, level: Option<&str>| {
        model
            .coefficients
            .iter()
            .find(|c| c.term == term && c.level.as_deref() == level)
            .and_then(|c| c.estimate)
            .unwrap_or(0.0)
    };
    let terms: Vec<NomogramTerm> = model
        .terms
        .iter()
        .enumerate()
        .map(|(index, term)| {
            if term.categorical {
                NomogramTerm::Categorical {
                    name: term.label.clone(),
                    levels: term
                        .levels
                        .iter()
                        .enumerate()
                        .map(|(k, level)| {
                            let beta = if k == 0 {
                                0.0
                            } else {
                                estimate(Some(index), Some(level))
                            };
                            (level.clone(), beta)
                        })
                        .collect(),
                }
            } else {
                let values = data.numbers(&term.column).unwrap_or(&[]);
                NomogramTerm::Numeric {
                    name: term.label.clone(),
                    coefficient: estimate(Some(index), None),
                    data: rows
                        .iter()
                        .filter_map(|&r| values.get(r).copied().flatten())
                        .collect(),
                }
            }
        })
        .collect();
    let linear_predictors: Vec<f64> = rows
        .iter()
        .filter_map(|&row| linear_predictor(model, data, row))
        .collect();
    Nomogram::build(estimate(None, None), &terms, &linear_predictors).ok_or_else(|| {
        Error::invalid(format!(
            "`{}` has no predictor with an effect to draw (every coefficient is 0 or NA)",
            model.formula
        ))
    })
}

fn points_table(model: &Model, nomogram: &Nomogram) -> Table {
    let mut table = Table::new(
        "nomogram-points",
        format!("Nomogram points: {}", model.formula),
    )
    .with_columns(["Predictor", "Value", "Points"]);
    for axis in &nomogram.axes {
        for tick in &axis.ticks {
            table.add_row(vec![
                Cell::text(&axis.name),
                Cell::text(tick.value.label()),
                Cell::number(tick.points),
            ]);
        }
    }
    table.note(format!(
        "{} points per unit of linear predictor (the widest predictor spans 0–100, as rms's nomogram); numeric values are the ≤ 10 distinct values seen, or R's pretty values over the fitting data's range ({} cohort, {} patients)",
        format_number(nomogram.points_per_unit),
        model.cohort,
        model.n
    ));
    table
}

fn risk_table(model: &Model, nomogram: &Nomogram) -> Table {
    let mut table = Table::new(
        "nomogram-risk",
        format!(
            "Total points → risk of {} = {}",
            model.outcome, model.positive_label
        ),
    )
    .with_columns(["Total points", "Linear predictor", "Risk"]);
    let top = nomogram.total_points.last().copied().unwrap_or(100.0);
    let mut totals: Vec<f64> = nomogram.total_points.clone();
    totals.extend(
        nomogram
            .risk
            .iter()
            .map(|tick| tick.points)
            .filter(|&p| (0.0..=top).contains(&p)),
    );
    totals.sort_by(f64::total_cmp);
    for total in totals {
        table.add_row(vec![
            Cell::number(total),
            Cell::number(nomogram.linear_predictor_at(total)),
            Cell::number(nomogram.risk_at(total)),
        ]);
    }
    table.note(format!(
        "risk = 1 / (1 + exp(−(total / {} + {})))",
        format_number(nomogram.points_per_unit),
        format_number(nomogram.intercept_at_zero)
    ));
    table
}

fn run_predict(context: &mut Context<'_>, arguments: &Arguments) -> Result<Output, Error> {
    let model = stored_model(context, arguments)?;
    let data = context.data()?;
    let nomogram = nomogram_of(&model, data)?;
    let row = match arguments.text("patient") {
        Some(id) => Some(patient_row(
            data,
            id,
            arguments.span("patient").unwrap_or(context.span),
        )?),
        None => None,
    };
    let assignments = arguments.assignments("values");
    for pair in &assignments {
        if !model.terms.iter().any(|t| t.column == pair.column) {
            let columns: Vec<&str> = model.terms.iter().map(|t| t.column.as_str()).collect();
            return Err(Error::at(
                ErrorKind::Invalid {
                    message: format!(
                        "`{}` is not in the model {}{}",
                        pair.column,
                        model.formula,
                        match nearest(&pair.column, columns.iter().copied()) {
                            Some(s) => format!("; did you mean `{s}`?"),
                            None => String::new(),
                        }
                    ),
                },
                pair.column_span,
            ));
        }
    }
    let mut table = Table::new(
        "prediction",
        match (arguments.text("patient"), assignments.is_empty()) {
            (Some(id), true) => format!("Prediction for {id}: {}", model.formula),
            (Some(id), false) => {
                format!("Prediction for {id} with values changed: {}", model.formula)
            }
            _ => format!("Prediction: {}", model.formula),
        },
    )
    .with_columns(["Predictor", "Value", "Points"]);
    let mut output = Output::empty();
    let mut total = 0.0;
    let mut missing = Vec::new();
    for (index, term) in model.terms.iter().enumerate() {
        let given = assignments.iter().find(|a| a.column == term.column);
        let value = match (given, row) {
            (Some(pair), _) => Some(typed_value(term.categorical, pair)?),
            (None, Some(row)) => patient_value(data, &term.column, term.categorical, row),
            (None, None) => None,
        };
        let Some(value) = value else {
            missing.push(term.column.clone());
            continue;
        };
        let axis = &nomogram.axes[index];
        let Some(points) = nomogram.points(index, &value) else {
            let levels = match &axis.term {
                NomogramTerm::Categorical { levels, .. } => {
                    levels.iter().map(|(l, _)| l.clone()).collect::<Vec<_>>()
                }
                NomogramTerm::Numeric { .. } => Vec::new(),
            };
            let message = format!(
                "`{}` has no level `{}` in the model; its levels: {}",
                term.column,
                value.label(),
                levels.join(", ")
            );
            return Err(match given {
                Some(pair) => Error::at(ErrorKind::Invalid { message }, pair.value_span),
                None => Error::invalid(message),
            });
        };
        if let TickValue::Number(x) = value {
            let drawn: Vec<f64> = axis
                .ticks
                .iter()
                .filter_map(|t| match t.value {
                    TickValue::Number(v) => Some(v),
                    _ => None,
                })
                .collect();
            if let (Some(low), Some(high)) = (drawn.first(), drawn.last())
                && (x < *low || x > *high)
            {
                output.push(Text::warning(format!(
                    "{} = {} lies outside the nomogram's axis ({} to {}): its points are extrapolated",
                    term.column,
                    format_number(x),
                    format_number(*low),
                    format_number(*high)
                )));
            }
        }
        total += points;
        table.add_row(vec![
            Cell::text(&term.label),
            Cell::text(value.label()),
            Cell::number(points),
        ]);
    }
    if !missing.is_empty() {
        return Err(Error::at(
            ErrorKind::Invalid {
                message: format!(
                    "no value for {}: give {}{}",
                    missing
                        .iter()
                        .map(|m| format!("`{m}`"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    missing
                        .iter()
                        .map(|m| format!("{m}=…"))
                        .collect::<Vec<_>>()
                        .join(" "),
                    if row.is_some() {
                        " (the patient's is missing)"
                    } else {
                        " or patient=ID"
                    }
                ),
            },
            context.span,
        ));
    }
    let eta = nomogram.linear_predictor_at(total);
    let risk = nomogram.risk_at(total);
    table.add_row(vec![
        Cell::text("Total points"),
        Cell::Empty,
        Cell::number(total),
    ]);
    table.add_row(vec![
        Cell::text("Linear predictor"),
        Cell::Empty,
        Cell::number(eta),
    ]);
    table.add_row(vec![
        Cell::text(format!(
            "Risk of {} = {}",
            model.outcome, model.positive_label
        )),
        Cell::Empty,
        Cell::number(risk),
    ]);
    output.items.insert(0, Item::Table(table));
    output.push(Text::info(format!(
        "risk of {} = {}: {:.1}%",
        model.outcome,
        model.positive_label,
        100.0 * risk
    )));
    Ok(output)
}

/// A typed value as the term needs it: a level (any text) or a number.
fn typed_value(categorical: bool, pair: &Assignment) -> Result<TickValue, Error> {
    if categorical {
        return Ok(TickValue::Level(pair.value.clone()));
    }
    pair.number.map(TickValue::Number).ok_or_else(|| {
        Error::at(
            ErrorKind::InvalidValue {
                argument: pair.column.clone(),
                expected: "a number".to_string(),
                found: pair.value.clone(),
                suggestion: None,
            },
            pair.value_span,
        )
    })
}

pub(super) fn patient_value(
    data: &Dataset,
    column: &str,
    categorical: bool,
    row: usize,
) -> Option<TickValue> {
    if categorical {
        data.column(column)?.text(row).map(TickValue::Level)
    } else {
        data.numbers(column)?
            .get(row)
            .copied()
            .flatten()
            .map(TickValue::Number)
    }
}

/// The data row of patient `id` (by the id column), or an error suggesting the nearest id.
pub(super) fn patient_row(
    data: &Dataset,
    id: &str,
    span: crate::lang::Span,
) -> Result<usize, Error> {
    let ids: Vec<String> = (0..data.row_count())
        .map(|r| data.patient_label(r))
        .collect();
    ids.iter().position(|p| p == id).ok_or_else(|| {
        Error::at(
            ErrorKind::Invalid {
                message: format!(
                    "no patient `{id}` in {}{}",
                    data.source,
                    match nearest(id, ids.iter().map(String::as_str)) {
                        Some(s) => format!("; did you mean `{s}`?"),
                        None => String::new(),
                    }
                ),
            },
            span,
        )
    })
}
