//! One parsed value converted to the kind its argument declares (`ArgKind`): numbers within
//! their bounds, choices with their other spellings, column lists, formulas, number lists.

use super::args::{ArgValue, FORMULA_FUNCTIONS, FormulaTerm};
use super::spec::{ArgKind, ArgSpec};
use crate::error::{Error, ErrorKind};
use crate::lang::suggest::nearest;
use crate::lang::{Atom, AtomKind, Span, Term, Value};

pub(super) fn invalid(
    spec: &ArgSpec,
    found: &str,
    span: Span,
    suggestion: Option<String>,
) -> Error {
    Error::at(
        ErrorKind::InvalidValue {
            argument: spec.name.to_string(),
            expected: spec.kind.describe(),
            found: found.to_string(),
            suggestion,
        },
        span,
    )
}

pub(super) fn single_atom<'v>(
    spec: &ArgSpec,
    value: &'v Value,
    source_hint: &str,
) -> Result<&'v Atom, Error> {
    match value {
        Value::Term(Term::Atom(atom)) => Ok(atom),
        other => Err(invalid(spec, source_hint, other.span(), None)),
    }
}

/// Other spellings of a choice, as tables print them: `cohort=validation` is `cohort=valid`.
const CHOICE_SPELLINGS: [(&str, &str); 2] = [("training", "train"), ("validation", "valid")];

/// Converts one parsed value to the declared kind.
pub(super) fn convert(spec: &ArgSpec, value: &Value) -> Result<ArgValue, Error> {
    let shown = shown_text(value);
    match spec.kind {
        ArgKind::Path | ArgKind::Model => Ok(ArgValue::Text(
            single_atom(spec, value, &shown)?.text.clone(),
        )),
        ArgKind::Assignments => Err(invalid(spec, &shown, value.span(), None)),
        ArgKind::Column | ArgKind::Patient | ArgKind::Value | ArgKind::Name => Ok(ArgValue::Text(
            single_atom(spec, value, &shown)?.text.clone(),
        )),
        ArgKind::Columns => match value {
            Value::Term(Term::Atom(atom)) => {
                Ok(ArgValue::Columns(vec![(atom.text.clone(), atom.span)]))
            }
            Value::List { items, .. } => Ok(ArgValue::Columns(
                items.iter().map(|a| (a.text.clone(), a.span)).collect(),
            )),
            other => Err(invalid(spec, &shown, other.span(), None)),
        },
        ArgKind::Formula => {
            let terms: Vec<&Term> = match value {
                Value::Term(term) => vec![term],
                Value::Formula { terms, .. } => terms.iter().collect(),
                Value::List { span, .. } => return Err(invalid(spec, &shown, *span, None)),
            };
            terms
                .into_iter()
                .map(formula_term)
                .collect::<Result<_, _>>()
                .map(ArgValue::Formula)
        }
        ArgKind::WholeNumber { min, max } => {
            let atom = single_atom(spec, value, &shown)?;
            // Digits are read as an integer, exactly (a seed above 2^53 is not rounded); other
            // spellings of a number (`1e3`) only while a double holds every whole number.
            let exact =
                match atom.kind {
                    AtomKind::Number(x) => atom.text.parse::<i64>().ok().or_else(|| {
                        (x.fract() == 0.0 && x.abs() < 2f64.powi(53)).then_some(x as i64)
                    }),
                    _ => None,
                };
            match exact {
                Some(n) if n >= min && n <= max => Ok(ArgValue::Integer(n)),
                _ => Err(invalid(spec, &atom.text, atom.span, None)),
            }
        }
        ArgKind::Number { min, max } => {
            let atom = single_atom(spec, value, &shown)?;
            match atom.kind {
                AtomKind::Number(x) if x >= min && x <= max => Ok(ArgValue::Number(x)),
                _ => Err(invalid(spec, &atom.text, atom.span, None)),
            }
        }
        ArgKind::Numbers {
            min,
            max,
            fewest,
            most,
            ..
        } => {
            let atoms: Vec<&Atom> = match value {
                Value::Term(Term::Atom(atom)) => vec![atom],
                Value::List { items, .. } => items.iter().collect(),
                other => return Err(invalid(spec, &shown, other.span(), None)),
            };
            if atoms.len() < fewest || atoms.len() > most {
                return Err(invalid(spec, &shown, value.span(), None));
            }
            atoms
                .into_iter()
                .map(|atom| match atom.kind {
                    AtomKind::Number(x) if x >= min && x <= max => Ok(x),
                    _ => Err(invalid(spec, &atom.text, atom.span, None)),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(ArgValue::Numbers)
        }
        ArgKind::Fraction => {
            let atom = single_atom(spec, value, &shown)?;
            let fraction = match atom.kind {
                AtomKind::Number(x) => x,
                AtomKind::Percentage(p) => p / 100.0,
                _ => f64::NAN,
            };
            if fraction > 0.0 && fraction < 1.0 {
                Ok(ArgValue::Number(fraction))
            } else {
                Err(invalid(spec, &atom.text, atom.span, None))
            }
        }
        ArgKind::FractionRange => {
            let atom = single_atom(spec, value, &shown)?;
            match atom.kind {
                AtomKind::Range(low, high) if low > 0.0 && high < 1.0 && low < high => {
                    Ok(ArgValue::Range(low, high))
                }
                _ => Err(invalid(spec, &atom.text, atom.span, None)),
            }
        }
        ArgKind::Choice(choices) => {
            let atom = single_atom(spec, value, &shown)?;
            let word = CHOICE_SPELLINGS
                .iter()
                .find(|(long, short)| {
                    atom.text.eq_ignore_ascii_case(long) && choices.contains(short)
                })
                .map_or(atom.text.as_str(), |(_, short)| short);
            match choices.iter().find(|c| c.eq_ignore_ascii_case(word)) {
                Some(choice) => Ok(ArgValue::Text(choice.to_string())),
                None => Err(invalid(
                    spec,
                    &atom.text,
                    atom.span,
                    nearest(&atom.text, choices.iter().copied()).map(str::to_string),
                )),
            }
        }
        ArgKind::Choices(choices) => {
            let atoms: Vec<&Atom> = match value {
                Value::Term(Term::Atom(atom)) => vec![atom],
                Value::List { items, .. } => items.iter().collect(),
                other => return Err(invalid(spec, &shown, other.span(), None)),
            };
            let mut chosen: Vec<String> = Vec::new();
            for atom in atoms {
                match choices.iter().find(|c| c.eq_ignore_ascii_case(&atom.text)) {
                    Some(choice) if !chosen.iter().any(|c| c == choice) => {
                        chosen.push(choice.to_string());
                    }
                    Some(_) => {}
                    None => {
                        return Err(invalid(
                            spec,
                            &atom.text,
                            atom.span,
                            nearest(&atom.text, choices.iter().copied()).map(str::to_string),
                        ));
                    }
                }
            }
            Ok(ArgValue::Words(chosen))
        }
        ArgKind::Boolean => {
            let atom = single_atom(spec, value, &shown)?;
            match atom.kind {
                AtomKind::Boolean(b) => Ok(ArgValue::Boolean(b)),
                _ => Err(invalid(spec, &atom.text, atom.span, None)),
            }
        }
        ArgKind::Words => match value {
            Value::Term(Term::Atom(atom)) => Ok(ArgValue::Words(vec![atom.text.clone()])),
            Value::List { items, .. } => Ok(ArgValue::Words(
                items.iter().map(|a| a.text.clone()).collect(),
            )),
            other => Err(invalid(spec, &shown, other.span(), None)),
        },
    }
}

fn formula_term(term: &Term) -> Result<FormulaTerm, Error> {
    match term {
        Term::Atom(atom) => Ok(FormulaTerm {
            column: atom.text.clone(),
            function: None,
            span: atom.span,
        }),
        Term::Call {
            function,
            argument,
            span,
        } => {
            if !FORMULA_FUNCTIONS.contains(&function.text.as_str()) {
                return Err(Error::at(
                    ErrorKind::Invalid {
                        message: format!(
                            "unknown function `{}` in a formula{}",
                            function.text,
                            match nearest(&function.text, FORMULA_FUNCTIONS) {
                                Some(s) => format!("; did you mean `{s}`?"),
                                None => format!(
                                    "; there is {}",
                                    FORMULA_FUNCTIONS.map(|f| format!("`{f}`")).join(", ")
                                ),
                            }
                        ),
                    },
                    function.span,
                ));
            }
            Ok(FormulaTerm {
                column: argument.text.clone(),
                function: Some(function.text.clone()),
                span: *span,
            })
        }
    }
}

/// The value as the user wrote it, for messages.
pub(super) fn shown_text(value: &Value) -> String {
    match value {
        Value::Term(Term::Atom(atom)) => atom.text.clone(),
        Value::Term(Term::Call {
            function, argument, ..
        }) => format!("{}({})", function.text, argument.text),
        Value::List { items, .. } => items
            .iter()
            .map(|a| a.text.as_str())
            .collect::<Vec<_>>()
            .join(","),
        Value::Formula { terms, .. } => terms
            .iter()
            .map(|t| shown_text(&Value::Term(t.clone())))
            .collect::<Vec<_>>()
            .join("+"),
    }
}
