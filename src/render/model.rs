//! A model shown as a coefficient table with its fit summary underneath; every medium renders that
//! table as it renders any other.

use crate::output::{Cell, Model, Table};

/// The coefficient table of `model`: estimates, SE, z, p, odds ratio and its 95% interval.
pub fn coefficient_table(model: &Model) -> Table {
    let method = if model.firth {
        "Firth's penalised logistic regression"
    } else {
        "Logistic regression"
    };
    let interval = if model.firth {
        "OR 95% CI (Wald)"
    } else {
        "OR 95% CI (profile)"
    };
    let mut table = Table::new("coefficients", format!("{method}: {}", model.formula))
        .with_columns(["Term", "Estimate", "SE", "z", "p", "OR", interval]);
    for coefficient in &model.coefficients {
        let Some(estimate) = coefficient.estimate else {
            table.add_row(vec![
                Cell::text(&coefficient.label),
                Cell::text("NA (aliased)"),
            ]);
            continue;
        };
        let is_intercept = coefficient.term.is_none();
        let odds_interval = |interval: Option<(f64, f64)>| match interval {
            Some((low, high)) if !is_intercept => Cell::Interval {
                low: low.exp(),
                high: high.exp(),
            },
            _ => Cell::Empty,
        };
        let mut row = vec![
            Cell::text(&coefficient.label),
            Cell::number(estimate),
            Cell::optional_number(coefficient.standard_error),
            Cell::optional_number(coefficient.z),
            coefficient.p_value.map_or(Cell::Empty, Cell::p_value),
            if is_intercept {
                Cell::Empty
            } else {
                Cell::number(estimate.exp())
            },
            odds_interval(coefficient.wald_interval),
        ];
        if !model.firth {
            row.push(odds_interval(coefficient.profile_interval));
        }
        table.add_row(row);
    }
    let left_out = if model.excluded > 0 {
        format!(" ({} left out for missing values)", model.excluded)
    } else {
        String::new()
    };
    let rank = model
        .coefficients
        .iter()
        .filter(|c| c.estimate.is_some())
        .count();
    table.note(format!(
        "{} cohort, n = {}{left_out}; event: {} = {}; deviance {:.3} on {} df (null {:.3}); AIC {:.3}; {} iterations{}",
        model.cohort,
        model.n,
        model.outcome,
        model.positive_label,
        model.deviance,
        model.n.saturating_sub(rank),
        model.null_deviance,
        model.aic,
        model.iterations,
        if model.converged { "" } else { " (not converged)" }
    ));
    for note in &model.notes {
        table.note(note.clone());
    }
    table
}
