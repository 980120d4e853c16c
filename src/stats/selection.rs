//! Choosing clinical factors: univariable screening (one model per term) and forward selection,
//! by AIC as R's `step(direction = "forward")` or by a likelihood-ratio p-value to enter.

use super::design::{Design, TermRequest, build};
use super::distributions::chi_squared_upper;
use super::logistic::{LogisticFit, fit};
use crate::data::{DataError, Dataset};

/// The criterion that decides which term enters next.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Criterion {
    /// Lowest AIC, while it improves on the current model (R's `step`).
    Aic,
    /// Smallest likelihood-ratio p-value, while below the threshold.
    PToEnter(f64),
}

/// One step of forward selection: the term that entered and the model's AIC after it.
#[derive(Debug, Clone, PartialEq)]
pub struct SelectionStep {
    pub term: String,
    pub aic: f64,
    /// Likelihood-ratio test of the term against the model before it.
    pub p_value: f64,
    /// Every candidate considered at this step with its AIC and p-value, best first.
    pub candidates: Vec<(String, f64, f64)>,
}

/// The outcome of forward selection.
#[derive(Debug, Clone, PartialEq)]
pub struct Selection {
    /// AIC of the intercept-only start.
    pub start_aic: f64,
    pub steps: Vec<SelectionStep>,
    /// The terms chosen, in the order they entered.
    pub chosen: Vec<TermRequest>,
    /// Rows used (complete in every candidate) and rows left out.
    pub rows: Vec<usize>,
    pub excluded: usize,
}

/// Forward selection from the intercept-only model over `scope`, on the rows complete in every
/// scope variable (so every compared model uses the same patients, as `step` requires).
///
/// # Formula
/// AIC = deviance + 2·(number of coefficients). At each step every remaining term is added in turn
/// (refitted exactly, as R's `add1.glm`); the best enters if it beats the current model (for AIC
/// a tie keeps the current model, as `step` orders `<none>` first); the likelihood-ratio p-value
/// is P(χ²_df > D_before − D_after), df the term's number of columns.
///
/// # References
/// R `stats::step`, `stats::add1.glm` (R 4.x); Hosmer, Lemeshow & Sturdivant, Applied Logistic
/// Regression, 3rd ed., §4.3.
pub fn forward(
    data: &Dataset,
    outcome: &str,
    scope: &[TermRequest],
    rows: &[usize],
    criterion: Criterion,
) -> Result<Selection, DataError> {
    let everything = build(data, outcome, scope, rows)?;
    let used = everything.rows.clone();
    let design_of = |terms: &[TermRequest]| build(data, outcome, terms, &used);
    let start = design_of(&[])?;
    let start_fit = fit(&start.x, &start.y, None);
    let mut current_aic = start_fit.aic;
    let mut current_deviance = start_fit.deviance;
    let mut chosen: Vec<TermRequest> = Vec::new();
    let mut steps = Vec::new();
    loop {
        let remaining: Vec<&TermRequest> = scope.iter().filter(|t| !chosen.contains(t)).collect();
        if remaining.is_empty() {
            break;
        }
        let mut candidates = Vec::new();
        for term in remaining {
            let mut terms = chosen.clone();
            terms.push(term.clone());
            let design = design_of(&terms)?;
            let fitted = fit(&design.x, &design.y, None);
            let added_columns = design
                .columns_of(terms.len() - 1)
                .iter()
                .filter(|&&j| fitted.coefficients[j].is_some())
                .count();
            let p_value = chi_squared_upper(
                (current_deviance - fitted.deviance).max(0.0),
                added_columns.max(1) as f64,
            );
            candidates.push((
                term.clone(),
                label(term),
                fitted.aic,
                p_value,
                fitted.deviance,
            ));
        }
        match criterion {
            Criterion::Aic => candidates.sort_by(|a, b| a.2.total_cmp(&b.2)),
            Criterion::PToEnter(_) => candidates.sort_by(|a, b| a.3.total_cmp(&b.3)),
        }
        let best = candidates[0].clone();
        let enters = match criterion {
            Criterion::Aic => best.2 < current_aic,
            Criterion::PToEnter(threshold) => best.3 < threshold,
        };
        if !enters {
            break;
        }
        steps.push(SelectionStep {
            term: best.1.clone(),
            aic: best.2,
            p_value: best.3,
            candidates: candidates.iter().map(|c| (c.1.clone(), c.2, c.3)).collect(),
        });
        current_aic = best.2;
        current_deviance = best.4;
        chosen.push(best.0);
    }
    Ok(Selection {
        start_aic: start_fit.aic,
        steps,
        chosen,
        excluded: rows.len() - used.len(),
        rows: used,
    })
}

/// A term as written: `grade` or `factor(grade)`.
pub fn label(term: &TermRequest) -> String {
    if term.factor {
        format!("factor({})", term.column)
    } else {
        term.column.clone()
    }
}

/// One term's univariable model.
#[derive(Debug, Clone)]
pub struct Univariable {
    pub term: String,
    pub design: Design,
    pub fit: LogisticFit,
}

/// Fits y ~ term for each term separately, each on the rows complete in that term.
pub fn univariable(
    data: &Dataset,
    outcome: &str,
    terms: &[TermRequest],
    rows: &[usize],
) -> Result<Vec<Univariable>, DataError> {
    terms
        .iter()
        .map(|term| {
            let design = build(data, outcome, std::slice::from_ref(term), rows)?;
            let fitted = fit(&design.x, &design.y, None);
            Ok(Univariable {
                term: label(term),
                design,
                fit: fitted,
            })
        })
        .collect()
}
