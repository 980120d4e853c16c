//! Logistic models: `fit`, `univariate` screening and `select forward`.

use crate::error::{Error, ErrorKind};
use crate::lang::suggest::nearest;
use crate::output::{Cell, Coefficient, Model, ModelTerm, Output, Table, Text};
use crate::session::args::Arguments;
use crate::session::context::Context;
use crate::session::spec::{ArgKind, ArgSpec, CommandSpec, Group};
use crate::stats::design::{Design, TermRequest, build};
use crate::stats::logistic::{LogisticFit, fit, fit_firth, profile_interval, separation};
use crate::stats::selection::{Criterion, forward, label, univariable};

/// Which patients a model is fitted on; every model command takes it.
const COHORT: ArgSpec = ArgSpec::keyword(
    "cohort",
    ArgKind::Choice(&["train", "valid", "all"]),
    "the patients to fit on (default: training when split)",
);

pub const FIT: CommandSpec = CommandSpec {
    name: "fit",
    summary: "fit a logistic regression of the outcome on a formula",
    help: "Maximum likelihood by iteratively reweighted least squares, as R's glm(family = binomial): \
coefficients, standard errors, Wald z and p, odds ratios with profile-likelihood 95% intervals, \
deviance, AIC. Categorical columns are treatment-coded against their first level (shown as `yes vs \
no`); a numeric column such as grade stays one ordinal term unless written `factor(grade)`. Columns \
collinear with earlier ones are dropped with NA, as R does. Rows with a missing value in a model \
variable are left out and counted. Fitted on the training cohort when the data are split.\n\n\
Separation (a predictor that orders the outcome perfectly) makes maximum-likelihood estimates \
infinite: it is detected and the separating variable named; `firth=yes` fits Firth's penalised \
likelihood, whose estimates stay finite. Store the model with `name = fit …`.",
    examples: &[
        "combined = fit grade+multifocal+lnmri+rad",
        "fit factor(grade)+age cohort=all",
        "fit x firth=yes",
    ],
    arguments: &[
        ArgSpec::positional("formula", ArgKind::Formula, "the predictors").required(),
        COHORT,
        ArgSpec::keyword(
            "firth",
            ArgKind::Boolean,
            "use Firth's penalised likelihood",
        )
        .default("no"),
    ],
    group: Group::Models,
    replayable: true,
    run: run_fit,
};

fn run_fit(context: &mut Context<'_>, arguments: &Arguments) -> Result<Output, Error> {
    let terms = context.formula(arguments, "formula")?;
    let outcome = context.outcome()?;
    let (rows, cohort) = context.model_rows(arguments.text("cohort"))?;
    let data = context.data()?;
    let design = build(data, &outcome, &terms, &rows).map_err(input_error)?;
    let firth = arguments.boolean("firth").unwrap_or(false);
    let mut output = Output::empty();
    let fitted = if firth {
        fit_firth(&design.x, &design.y)
    } else {
        fit(&design.x, &design.y, None)
    };
    let mut model = model_from_fit(&design, &fitted, &outcome, &cohort, !firth);
    if let Some(warning) = events_per_candidate(
        &design.y,
        design.columns.len() - 1,
        (
            &outcome,
            "coefficients",
            "`validate` measures by how much, and `validate … pipeline=yes` when a term is a LASSO signature",
        ),
    ) {
        output.push(warning);
    }
    if !firth && let Some(message) = separation_message(&design, &fitted, &outcome) {
        let message = format!(
            "{message} (the coefficients and SEs shown are where the iterations stopped, not estimates); refit with `firth=yes`"
        );
        model.notes.push(message.clone());
        output.push(Text::warning(message));
    }
    output.method(super::methods::fit(&model.formula, firth, model.n, &cohort));
    output.push(model);
    Ok(output)
}

/// A warning when a model has few events per candidate predictor: fewer than 10 (Peduzzi et al.,
/// J Clin Epidemiol 49 (1996) 1373–1379; Riley et al., BMJ 368 (2020) m441 for sizing a study).
/// Events are the smaller outcome group; `candidates` counts coefficients (a categorical term's
/// indicators each), `what` says what they are and `remedy` what measures the damage.
pub(super) fn events_per_candidate(
    y: &[f64],
    candidates: usize,
    (outcome, what, remedy): (&str, &str, &str),
) -> Option<Text> {
    let positives = y.iter().filter(|&&v| v == 1.0).count();
    let events = positives.min(y.len() - positives);
    if candidates == 0 {
        return None;
    }
    let per = events as f64 / candidates as f64;
    (per < 10.0).then(|| {
        Text::warning(format!(
            "{candidates} candidate {what} for {events} events (the smaller group of `{outcome}`): {per:.1} events per candidate, fewer than the 10 usually asked — the model will look better on these patients than on new ones; {remedy}"
        ))
    })
}

/// "quasi-complete separation of `aln`: all 10 patients with her2 = pos have aln = 1, so
/// maximum-likelihood estimates do not exist", when the fit's patients are separated.
fn separation_message(design: &Design, fitted: &LogisticFit, outcome: &str) -> Option<String> {
    let found = separation(&design.x, &design.y, fitted)?;
    let kind = if found.complete {
        "complete"
    } else {
        "quasi-complete"
    };
    let named: Vec<String> = found
        .by_column
        .iter()
        .map(|(j, how)| separating_column(design, *j, how, outcome))
        .collect();
    let culprit = if named.is_empty() {
        "a combination of the predictors".to_string()
    } else {
        named.join("; ")
    };
    Some(format!(
        "{kind} separation of `{outcome}`: {culprit}, so maximum-likelihood estimates do not exist"
    ))
}

/// A separating design column in the user's words: for a level of a categorical term, how many
/// patients have it and that all or none of them have the event; else the column and `how`.
fn separating_column(design: &Design, j: usize, how: &str, outcome: &str) -> String {
    let column = &design.columns[j];
    let (Some(level), Some(term)) = (&column.level, column.term) else {
        return format!("`{}` ({how})", column.name);
    };
    let term = &design.terms[term].label;
    let event = &design.positive_label;
    let count = |marked: bool| {
        let rows: Vec<usize> = (0..design.x.rows)
            .filter(|&i| (design.x.get(i, j) == 1.0) == marked)
            .collect();
        let events = rows.iter().filter(|&&i| design.y[i] == 1.0).count();
        (rows.len(), events)
    };
    let (with, events) = count(true);
    let (without, events_without) = count(false);
    if events == with {
        format!("all {with} patients with {term} = {level} have {outcome} = {event}")
    } else if events == 0 {
        format!("none of the {with} patients with {term} = {level} has {outcome} = {event}")
    } else if events_without == 0 {
        format!("no patient without {term} = {level} has {outcome} = {event} (0 of {without})")
    } else {
        format!(
            "every patient without {term} = {level} has {outcome} = {event} ({without} of {without})"
        )
    }
}

pub(super) fn input_error(error: crate::data::DataError) -> Error {
    Error::new(crate::error::ErrorKind::Input {
        location: error.location,
        message: error.message,
    })
}

/// A shown, stored model from a fit (profile intervals when `profile`).
pub fn model_from_fit(
    design: &Design,
    fitted: &LogisticFit,
    outcome: &str,
    cohort: &str,
    profile: bool,
) -> Model {
    let formula = format!(
        "{outcome} ~ {}",
        if design.terms.is_empty() {
            "1".to_string()
        } else {
            design
                .terms
                .iter()
                .map(|t| t.label.as_str())
                .collect::<Vec<_>>()
                .join(" + ")
        }
    );
    let terms: Vec<ModelTerm> = design
        .terms
        .iter()
        .map(|t| ModelTerm {
            label: t.label.clone(),
            column: t.column.clone(),
            categorical: t.categorical,
            levels: t.levels.clone(),
        })
        .collect();
    let coefficients = design
        .columns
        .iter()
        .enumerate()
        .map(|(j, column)| {
            let label = match (column.term, &column.level) {
                (Some(term), Some(level)) => {
                    let t = &design.terms[term];
                    format!("{}: {level} vs {}", t.label, t.levels[0])
                }
                _ => column.name.clone(),
            };
            Coefficient {
                name: column.name.clone(),
                label,
                term: column.term,
                level: column.level.clone(),
                estimate: fitted.coefficients[j],
                standard_error: fitted.standard_errors[j],
                z: fitted.z(j),
                p_value: fitted.p_value(j),
                wald_interval: fitted.wald_interval(j),
                profile_interval: if profile {
                    profile_interval(&design.x, &design.y, fitted, j)
                } else {
                    None
                },
            }
        })
        .collect::<Vec<_>>();
    let mut notes = Vec::new();
    let aliased: Vec<&str> = coefficients
        .iter()
        .filter(|c| c.estimate.is_none())
        .map(|c| c.name.as_str())
        .collect();
    if !aliased.is_empty() {
        notes.push(format!(
            "{} not estimable: collinear with earlier terms (NA, as R)",
            aliased.join(", ")
        ));
    }
    Model {
        formula,
        outcome: outcome.to_string(),
        positive_label: design.positive_label.clone(),
        terms,
        coefficients,
        cohort: cohort.to_string(),
        n: design.rows.len(),
        excluded: design.excluded,
        deviance: fitted.deviance,
        null_deviance: fitted.null_deviance,
        aic: fitted.aic,
        iterations: fitted.iterations,
        converged: fitted.converged,
        firth: fitted.firth,
        notes,
        selected_by: None,
        covariance: full_covariance(fitted, design.columns.len()),
    }
}

/// The fit's covariance (over its kept columns) spread to every design column, `None` where a
/// column was aliased.
fn full_covariance(fitted: &LogisticFit, columns: usize) -> Vec<Vec<Option<f64>>> {
    let mut full = vec![vec![None; columns]; columns];
    for (a, &i) in fitted.kept.iter().enumerate() {
        for (b, &j) in fitted.kept.iter().enumerate() {
            if let Some(value) = fitted.covariance.get(a).and_then(|row| row.get(b)) {
                full[i][j] = Some(*value);
            }
        }
    }
    full
}

pub const UNIVARIATE: CommandSpec = CommandSpec {
    name: "univariate",
    summary: "screen each term alone: odds ratio, 95% CI and p",
    help: "Fits one logistic model per term (the study's univariable screening), each on the \
patients with that variable present: odds ratio with its Wald 95% interval and Wald p for every \
coefficient (each non-reference level of a categorical term).",
    examples: &["univariate age+size_mm+grade+multifocal+lnmri+er+pr+her2+ki67"],
    arguments: &[
        ArgSpec::positional("formula", ArgKind::Formula, "the terms to screen").required(),
        COHORT,
    ],
    group: Group::Models,
    replayable: true,
    run: run_univariate,
};

fn run_univariate(context: &mut Context<'_>, arguments: &Arguments) -> Result<Output, Error> {
    let terms = context.formula(arguments, "formula")?;
    let outcome = context.outcome()?;
    let (rows, cohort) = context.model_rows(arguments.text("cohort"))?;
    let results = univariable(context.data()?, &outcome, &terms, &rows).map_err(input_error)?;
    let mut table = Table::new(
        "univariate",
        format!("Univariable logistic regression of `{outcome}` ({cohort} cohort)"),
    )
    .with_columns(["Term", "n", "OR", "95% CI (Wald)", "p"]);
    let mut output = Output::empty();
    for result in &results {
        if let Some(message) = separation_message(&result.design, &result.fit, &outcome) {
            let message = format!(
                "{} alone: {message}; its OR, interval and p are where the iterations stopped, not estimates — `fit {} firth=yes` gives finite ones",
                result.term, result.term
            );
            table.note(message.clone());
            output.push(Text::warning(message));
        }
        let model = model_from_fit(&result.design, &result.fit, &outcome, &cohort, false);
        for coefficient in model.coefficients.iter().skip(1) {
            let Some(estimate) = coefficient.estimate else {
                table.add_row(vec![
                    Cell::text(&coefficient.label),
                    Cell::Integer {
                        value: model.n as i64,
                    },
                    Cell::text("NA"),
                ]);
                continue;
            };
            table.add_row(vec![
                Cell::text(&coefficient.label),
                Cell::Integer {
                    value: model.n as i64,
                },
                Cell::number(estimate.exp()),
                coefficient
                    .wald_interval
                    .map_or(Cell::Empty, |(l, h)| Cell::Interval {
                        low: l.exp(),
                        high: h.exp(),
                    }),
                coefficient.p_value.map_or(Cell::Empty, Cell::p_value),
            ]);
        }
    }
    table.note(format!("{}; each term in its own model; OR per unit of a numeric term, per level against the reference level of a categorical one", context.event_note()));
    output.push(table);
    let candidates: Vec<String> = terms.iter().map(label).collect();
    output.method(super::methods::univariate(
        &candidates.join(", "),
        &outcome,
        &cohort,
    ));
    Ok(output)
}

pub const SELECT_FORWARD: CommandSpec = CommandSpec {
    name: "select forward",
    summary: "forward selection of terms by AIC (as R's step) or p-to-enter",
    help: "Starts from the intercept-only model and adds, one at a time, the term that improves the \
model most: by AIC (`criterion=aic`, R's step(direction = \"forward\"): the lowest AIC enters while \
it beats the current model) or by the likelihood-ratio p-value (`criterion=p`: the smallest enters \
while below `enter`). All models use the patients complete in every candidate term. Shows each \
step and gives the final model, which `name = select forward …` stores.",
    examples: &[
        "clinical = select forward age+size_mm+grade+multifocal+lnmri+er+pr+her2+ki67",
        "select forward age+grade+lnmri criterion=p enter=0.1",
    ],
    arguments: &[
        ArgSpec::positional("formula", ArgKind::Formula, "the candidate terms").required(),
        ArgSpec::keyword(
            "criterion",
            ArgKind::Choice(&["aic", "p"]),
            "what decides the next term",
        )
        .default("aic"),
        ArgSpec::keyword(
            "enter",
            ArgKind::Fraction,
            "p-value to enter, with criterion=p",
        )
        .default("0.05"),
        COHORT,
    ],
    group: Group::Models,
    replayable: true,
    run: run_select_forward,
};

fn run_select_forward(context: &mut Context<'_>, arguments: &Arguments) -> Result<Output, Error> {
    let scope = context.formula(arguments, "formula")?;
    let outcome = context.outcome()?;
    let (rows, cohort) = context.model_rows(arguments.text("cohort"))?;
    let criterion = match arguments.text("criterion") {
        Some("p") => Criterion::PToEnter(arguments.number("enter").unwrap_or(0.05)),
        _ => Criterion::Aic,
    };
    let data = context.data()?;
    let selection = forward(data, &outcome, &scope, &rows, criterion).map_err(input_error)?;
    let mut steps = Table::new(
        "selection",
        format!(
            "Forward selection ({})",
            match criterion {
                Criterion::Aic => "AIC".to_string(),
                Criterion::PToEnter(p) => format!("likelihood-ratio p to enter < {p}"),
            }
        ),
    )
    .with_columns(["Step", "Term added", "AIC", "LR test p"]);
    steps.add_row(vec![
        Cell::Integer { value: 0 },
        Cell::text("(intercept only)"),
        Cell::number(selection.start_aic),
        Cell::Empty,
    ]);
    for (index, step) in selection.steps.iter().enumerate() {
        steps.add_row(vec![
            Cell::Integer {
                value: index as i64 + 1,
            },
            Cell::text(&step.term),
            Cell::number(step.aic),
            Cell::p_value(step.p_value),
        ]);
    }
    let left: Vec<String> = scope
        .iter()
        .filter(|t| !selection.chosen.contains(t))
        .map(label)
        .collect();
    if !left.is_empty() {
        steps.note(format!("not selected: {}", left.join(", ")));
    }
    if selection.excluded > 0 {
        steps.note(format!(
            "{} patients left out for a missing value in a candidate term",
            selection.excluded
        ));
    }
    let chosen: Vec<TermRequest> = selection.chosen.clone();
    let design = build(data, &outcome, &chosen, &selection.rows).map_err(input_error)?;
    let fitted = fit(&design.x, &design.y, None);
    let mut model = model_from_fit(&design, &fitted, &outcome, &cohort, true);
    // Recorded so that `validate … pipeline=yes` can repeat the selection on each sample.
    let key = format!(
        "forward selection ({}) from {}",
        match criterion {
            Criterion::Aic => "AIC".to_string(),
            Criterion::PToEnter(p) => format!("p to enter < {p}"),
        },
        scope.iter().map(label).collect::<Vec<_>>().join(" + ")
    );
    model.selected_by = Some(key.clone());
    let record = crate::session::state::RecordedSelection {
        scope: scope.clone(),
        criterion,
        rows: selection.rows.clone(),
    };
    let mut output = Output::empty();
    let candidates = build(data, &outcome, &scope, &selection.rows)
        .map(|full| full.columns.len() - 1)
        .unwrap_or(0);
    if let Some(warning) = events_per_candidate(
        &design.y,
        candidates,
        (
            &outcome,
            "coefficients in the selection's scope",
            "forward selection on few events picks unstable terms; `validate MODEL pipeline=yes` repeats the selection to measure by how much",
        ),
    ) {
        output.push(warning);
    }
    if let Some(message) = separation_message(&design, &fitted, &outcome) {
        // A separated candidate's deviance falls towards 0, so AIC and the LR test favour it.
        let message = format!(
            "the selected model: {message}; separated models win AIC and likelihood-ratio comparisons by default, so the selection is not to be trusted — screen with `univariate`, and refit with `fit … firth=yes`"
        );
        model.notes.push(message.clone());
        output.push(Text::warning(message));
    }
    output.method(super::methods::forward_selection(
        &match criterion {
            Criterion::Aic => "Akaike's information criterion".to_string(),
            Criterion::PToEnter(p) => format!("likelihood-ratio test, p to enter < {p}"),
        },
        &scope.iter().map(label).collect::<Vec<_>>().join(", "),
        selection.rows.len(),
        &model.formula,
    ));
    output.push(steps);
    output.push(model);
    context.state.selections.insert(key, record);
    Ok(output)
}

/// The stored model named by the `model` argument, or an error naming the stored ones.
pub(super) fn stored_model(context: &Context<'_>, arguments: &Arguments) -> Result<Model, Error> {
    let name = arguments.text("model").unwrap_or_default();
    if let Some(model) = context.state.model(name) {
        return Ok(model.clone());
    }
    let models: Vec<&str> = context.state.models().map(|(n, _)| n).collect();
    let hint = match nearest(name, models.iter().copied()) {
        Some(s) => format!("; did you mean `{s}`?"),
        None if models.is_empty() => "; store one with `name = fit FORMULA`".to_string(),
        None => format!("; stored models: {}", models.join(", ")),
    };
    Err(Error::at(
        ErrorKind::Invalid {
            message: format!("`{name}` is not a stored model{hint}"),
        },
        arguments.span("model").unwrap_or(context.span),
    ))
}

/// The cohort a stored model was fitted on (`None`: every patient).
pub(super) fn fitting_cohort(model: &Model) -> Option<crate::data::Cohort> {
    match model.cohort.as_str() {
        "training" => Some(crate::data::Cohort::Training),
        "validation" => Some(crate::data::Cohort::Validation),
        _ => None,
    }
}

/// The model's linear predictor (log-odds) for data row `row`; `None` when a model variable is
/// missing or a categorical value was not seen when fitting.
pub fn linear_predictor(model: &Model, data: &crate::data::Dataset, row: usize) -> Option<f64> {
    let mut eta = 0.0;
    for coefficient in &model.coefficients {
        let Some(estimate) = coefficient.estimate else {
            continue;
        };
        let value = match (coefficient.term, &coefficient.level) {
            (None, _) => 1.0,
            (Some(term), level) => {
                let term = &model.terms[term];
                let column = data.column(&term.column)?;
                if term.categorical {
                    let text = column.text(row)?;
                    if !term.levels.contains(&text) {
                        return None;
                    }
                    f64::from(u8::from(level.as_deref() == Some(text.as_str())))
                } else {
                    data.numbers(&term.column)?[row]?
                }
            }
        };
        eta += estimate * value;
    }
    Some(eta)
}
