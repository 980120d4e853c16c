//! `nomogram MODEL html=FILE [patient=ID]`: the interactive nomogram's data gathered from the
//! model, its nomogram and the fitting patients, written as one HTML page.

use super::nomogram::{fitting_rows, patient_row, patient_value};
use crate::data::Dataset;
use crate::error::Error;
use crate::output::Model;
use crate::render::nomogram_html::{InteractiveNomogram, Predictor, PredictorKind, Slot, page};
use crate::stats::nomogram::{Nomogram, NomogramTerm, TickValue, format_number};

/// Histogram bins of a numeric predictor's distribution above its axis.
const BINS: usize = 20;

/// The page for `model`, with `patient` (an id, its span) drawn on it when given.
pub(super) fn interactive_page(
    model: &Model,
    nomogram: &Nomogram,
    data: &Dataset,
    patient: Option<(&str, crate::lang::Span)>,
) -> Result<String, Error> {
    let rows = fitting_rows(model, data);
    let predictors = model
        .terms
        .iter()
        .zip(&nomogram.axes)
        .map(|(term, axis)| {
            let ticks = axis
                .ticks
                .iter()
                .map(|t| (t.value.label(), t.points))
                .collect();
            let kind = match &axis.term {
                NomogramTerm::Numeric {
                    coefficient,
                    data: values,
                    ..
                } => numeric(*coefficient, values),
                NomogramTerm::Categorical { levels, .. } => {
                    let column = data.column(&term.column);
                    let texts: Vec<String> = rows
                        .iter()
                        .filter_map(|&r| column.and_then(|c| c.text(r)))
                        .collect();
                    let total = texts.len().max(1) as f64;
                    PredictorKind::Categorical {
                        levels: levels
                            .iter()
                            .map(|(level, beta)| {
                                let share =
                                    texts.iter().filter(|t| *t == level).count() as f64 / total;
                                (level.clone(), *beta, share)
                            })
                            .collect(),
                    }
                }
            };
            Predictor {
                name: axis.name.clone(),
                minimum_contribution: axis.minimum_contribution,
                kind,
                ticks,
            }
        })
        .collect();
    // The estimable coefficients and their covariance, in the model's order.
    let kept: Vec<usize> = (0..model.coefficients.len())
        .filter(|&j| {
            model.coefficients[j].estimate.is_some()
                && model
                    .covariance
                    .get(j)
                    .and_then(|r| r.get(j))
                    .copied()
                    .flatten()
                    .is_some()
        })
        .collect();
    if model.covariance.is_empty() {
        return Err(Error::invalid(
            "this model carries no covariance, so its risks would have no interval; fit it again with `fit`",
        ));
    }
    let coefficients = kept
        .iter()
        .map(|&j| Slot {
            predictor: model.coefficients[j].term,
            level: model.coefficients[j].level.clone(),
        })
        .collect();
    let covariance = kept
        .iter()
        .map(|&i| {
            kept.iter()
                .map(|&j| model.covariance[i][j].unwrap_or(0.0))
                .collect()
        })
        .collect();
    let patient = match patient {
        Some((id, span)) => {
            let row = patient_row(data, id, span)?;
            let values = model
                .terms
                .iter()
                .map(|term| {
                    patient_value(data, &term.column, term.categorical, row)
                        .map(|v| match v {
                            TickValue::Number(x) => format!("{x}"),
                            other => other.label(),
                        })
                        .ok_or_else(|| {
                            Error::invalid(format!(
                                "patient {id} has no value of `{}`, so cannot be drawn on the nomogram",
                                term.column
                            ))
                            .or_at(span)
                        })
                })
                .collect::<Result<Vec<_>, _>>()?;
            Some((id.to_string(), values))
        }
        None => None,
    };
    let interactive = InteractiveNomogram {
        title: format!("Nomogram: {}", model.formula),
        risk_label: format!("risk of {} = {}", model.outcome, model.positive_label),
        points_per_unit: nomogram.points_per_unit,
        intercept_at_zero: nomogram.intercept_at_zero,
        predictors,
        total_ticks: nomogram.total_points.clone(),
        risk_ticks: nomogram.risk.iter().map(|t| (t.value, t.points)).collect(),
        coefficients,
        covariance,
        patient,
    };
    Ok(page(&interactive))
}

/// A numeric predictor's slider over its fitting values' range and their histogram.
fn numeric(coefficient: f64, values: &[f64]) -> PredictorKind {
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    let low = finite.iter().copied().fold(f64::INFINITY, f64::min);
    let high = finite.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (low, high) = if low.is_finite() && high > low {
        (low, high)
    } else {
        (0.0, 1.0)
    };
    let mut distinct = finite.clone();
    distinct.sort_by(f64::total_cmp);
    distinct.dedup();
    let whole = finite.iter().all(|v| v.fract() == 0.0);
    let step = if whole { 1.0 } else { (high - low) / 200.0 };
    let total = finite.len().max(1) as f64;
    // Few distinct values (a grade): a bar at each; else a histogram over the range.
    let histogram: Vec<(f64, f64, f64)> = if distinct.len() <= 10 {
        distinct
            .iter()
            .map(|&v| {
                (
                    v,
                    v,
                    finite.iter().filter(|&&x| x == v).count() as f64 / total,
                )
            })
            .collect()
    } else {
        crate::stats::summary::histogram(&finite, (low, high), BINS)
    };
    // The middle of the distinct values to start from, as written on the axis.
    let start = distinct
        .get(distinct.len() / 2)
        .copied()
        .map_or(low, |m| format_number(m).parse().unwrap_or(m));
    PredictorKind::Numeric {
        coefficient,
        low,
        high,
        step,
        start,
        histogram,
    }
}
