//! From parsed arguments to checked, typed ones: the command is looked up in the table, each
//! argument matched to its declaration and converted to its type, defaults filled in. Nothing runs
//! until this has succeeded (so `radnomo check` can do it alone).

use super::commands::COMMANDS;
use super::convert::{convert, shown_text, single_atom};
use super::spec::{ArgSpec, CommandSpec};
use crate::error::{Error, ErrorKind};
use crate::lang::suggest::nearest;
use crate::lang::{Argument, AtomKind, Command, Span, Term, Value};

/// Functions a formula term may use.
pub const FORMULA_FUNCTIONS: [&str; 1] = ["factor"];

/// A checked argument value.
#[derive(Debug, Clone, PartialEq)]
pub enum ArgValue {
    Text(String),
    Columns(Vec<(String, Span)>),
    Formula(Vec<FormulaTerm>),
    Integer(i64),
    Number(f64),
    Boolean(bool),
    Words(Vec<String>),
    Range(f64, f64),
    Numbers(Vec<f64>),
    Assignments(Vec<Assignment>),
}

/// One `COLUMN=VALUE` pair of an assignments argument.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    pub column: String,
    pub column_span: Span,
    /// The value as typed (`3`, `yes`, `0.42`).
    pub value: String,
    /// The value when it is a number.
    pub number: Option<f64>,
    pub value_span: Span,
}

/// One term of a formula: a column, possibly wrapped in a function (`factor(grade)`).
#[derive(Debug, Clone, PartialEq)]
pub struct FormulaTerm {
    pub column: String,
    pub function: Option<String>,
    pub span: Span,
}

/// The checked arguments of one command, defaults included.
#[derive(Debug, Clone, Default)]
pub struct Arguments {
    values: Vec<(&'static str, ArgValue, Option<Span>)>,
}

impl Arguments {
    fn find(&self, name: &str) -> Option<&(&'static str, ArgValue, Option<Span>)> {
        self.values.iter().find(|(n, _, _)| *n == name)
    }

    /// Whether the user gave it (rather than it coming from a default).
    pub fn given(&self, name: &str) -> bool {
        self.find(name).is_some_and(|(_, _, span)| span.is_some())
    }

    /// Where the user wrote its value, if they did.
    pub fn span(&self, name: &str) -> Option<Span> {
        self.find(name).and_then(|(_, _, span)| *span)
    }

    pub fn value(&self, name: &str) -> Option<&ArgValue> {
        self.find(name).map(|(_, value, _)| value)
    }

    pub fn text(&self, name: &str) -> Option<&str> {
        match self.value(name) {
            Some(ArgValue::Text(text)) => Some(text),
            _ => None,
        }
    }

    pub fn integer(&self, name: &str) -> Option<i64> {
        match self.value(name) {
            Some(ArgValue::Integer(n)) => Some(*n),
            _ => None,
        }
    }

    pub fn number(&self, name: &str) -> Option<f64> {
        match self.value(name) {
            Some(ArgValue::Number(x)) => Some(*x),
            Some(ArgValue::Integer(n)) => Some(*n as f64),
            _ => None,
        }
    }

    pub fn numbers(&self, name: &str) -> Vec<f64> {
        match self.value(name) {
            Some(ArgValue::Numbers(values)) => values.clone(),
            _ => Vec::new(),
        }
    }

    pub fn range(&self, name: &str) -> Option<(f64, f64)> {
        match self.value(name) {
            Some(ArgValue::Range(low, high)) => Some((*low, *high)),
            _ => None,
        }
    }

    pub fn boolean(&self, name: &str) -> Option<bool> {
        match self.value(name) {
            Some(ArgValue::Boolean(b)) => Some(*b),
            _ => None,
        }
    }

    pub fn columns(&self, name: &str) -> Vec<(String, Span)> {
        match self.value(name) {
            Some(ArgValue::Columns(columns)) => columns.clone(),
            _ => Vec::new(),
        }
    }

    pub fn formula(&self, name: &str) -> Vec<FormulaTerm> {
        match self.value(name) {
            Some(ArgValue::Formula(terms)) => terms.clone(),
            _ => Vec::new(),
        }
    }

    pub fn assignments(&self, name: &str) -> Vec<Assignment> {
        match self.value(name) {
            Some(ArgValue::Assignments(pairs)) => pairs.clone(),
            _ => Vec::new(),
        }
    }

    pub fn words(&self, name: &str) -> Vec<String> {
        match self.value(name) {
            Some(ArgValue::Words(words)) => words.clone(),
            _ => Vec::new(),
        }
    }
}

/// Finds the declaration of `command`, and how many of its leading positional arguments name it
/// (1 for `load table`, 0 for `describe`).
pub fn resolve(command: &Command) -> Result<(&'static CommandSpec, usize), Error> {
    let word = command.name.text.as_str();
    if let Some(spec) = COMMANDS.iter().find(|spec| spec.name == word) {
        return Ok((spec, 0));
    }
    let family: Vec<&'static CommandSpec> = COMMANDS.iter().filter(|s| s.word() == word).collect();
    if family.is_empty() {
        let mut words: Vec<&str> = COMMANDS.iter().map(|s| s.word()).collect();
        words.dedup();
        return Err(Error::at(
            ErrorKind::UnknownCommand {
                name: word.to_string(),
                suggestion: nearest(word, words).map(str::to_string),
            },
            command.name.span,
        ));
    }
    let choices: Vec<&str> = family.iter().filter_map(|s| s.subcommand()).collect();
    let second = match command.arguments.first() {
        Some(Argument::Positional(Value::Term(Term::Atom(atom)))) => Some(atom),
        _ => None,
    };
    if let Some(spec) =
        second.and_then(|atom| family.iter().find(|s| s.subcommand() == Some(&atom.text)))
    {
        return Ok((spec, 1));
    }
    Err(Error::at(
        ErrorKind::UnknownSubcommand {
            command: word.to_string(),
            found: second.map(|atom| atom.text.clone()),
            choices: choices.iter().map(|c| c.to_string()).collect(),
            suggestion: second
                .and_then(|atom| nearest(&atom.text, choices.iter().copied()).map(str::to_string)),
        },
        second.map_or(command.name.span, |atom| atom.span),
    ))
}

/// Checks the arguments of `command` against `spec` (after the `skip` words naming it).
pub fn check(
    spec: &'static CommandSpec,
    command: &Command,
    skip: usize,
) -> Result<Arguments, Error> {
    let mut checked = Arguments::default();
    let mut positionals = spec.positionals();
    for argument in &command.arguments[skip..] {
        let (argument_spec, value) = match argument {
            Argument::Keyword { key, value } => {
                if spec.argument(&key.text).is_none()
                    && let Some(gather) = spec.assignments()
                {
                    let atom = single_atom(gather, value, &shown_text(value))?;
                    let pair = Assignment {
                        column: key.text.clone(),
                        column_span: key.span,
                        value: atom.text.clone(),
                        number: match atom.kind {
                            AtomKind::Number(x) => Some(x),
                            _ => None,
                        },
                        value_span: atom.span,
                    };
                    match checked
                        .values
                        .iter_mut()
                        .find(|(n, _, _)| *n == gather.name)
                    {
                        Some((_, ArgValue::Assignments(pairs), span)) => {
                            if pairs.iter().any(|p| p.column == pair.column) {
                                return Err(Error::at(
                                    ErrorKind::RepeatedArgument {
                                        name: pair.column.clone(),
                                    },
                                    argument.span(),
                                ));
                            }
                            *span = span.map(|s| s.join(argument.span()));
                            pairs.push(pair);
                        }
                        _ => checked.values.push((
                            gather.name,
                            ArgValue::Assignments(vec![pair]),
                            Some(argument.span()),
                        )),
                    }
                    continue;
                }
                let Some(found) = spec.argument(&key.text) else {
                    return Err(Error::at(
                        ErrorKind::UnknownArgument {
                            command: spec.name.to_string(),
                            name: key.text.clone(),
                            suggestion: nearest(&key.text, spec.arguments.iter().map(|a| a.name))
                                .map(str::to_string),
                        },
                        key.span,
                    ));
                };
                (found, value)
            }
            Argument::Positional(value) => {
                if let Some((_, ArgValue::Words(words), span)) =
                    checked.values.iter_mut().find(|(name, value, _)| {
                        matches!(value, ArgValue::Words(_))
                            && spec.argument(name).is_some_and(|a| a.positional)
                    })
                {
                    // Free words (`help load table`) take every further positional word.
                    words.push(shown_text(value));
                    *span = span.map(|s| s.join(value.span()));
                    continue;
                }
                let next = positionals.find(|p| checked.find(p.name).is_none());
                let Some(found) = next else {
                    return Err(Error::at(
                        ErrorKind::TooManyArguments {
                            command: spec.name.to_string(),
                            usage: spec.usage(),
                        },
                        value.span(),
                    ));
                };
                (found, value)
            }
        };
        if checked.find(argument_spec.name).is_some() {
            return Err(Error::at(
                ErrorKind::RepeatedArgument {
                    name: argument_spec.name.to_string(),
                },
                argument.span(),
            ));
        }
        let converted = convert(argument_spec, value)?;
        checked
            .values
            .push((argument_spec.name, converted, Some(value.span())));
    }
    for argument_spec in spec.arguments {
        if checked.find(argument_spec.name).is_some() {
            continue;
        }
        if argument_spec.required {
            return Err(Error::at(
                ErrorKind::MissingArgument {
                    command: spec.name.to_string(),
                    name: argument_spec.name.to_string(),
                    usage: spec.usage(),
                },
                command.span,
            ));
        }
        if let Some(default) = argument_spec.default {
            let value = default_value(argument_spec, default)?;
            checked.values.push((argument_spec.name, value, None));
        }
    }
    Ok(checked)
}

/// Converts a declared default through the same path as typed input.
pub fn default_value(spec: &ArgSpec, default: &str) -> Result<ArgValue, Error> {
    let script = crate::lang::parse(&format!("x {default}")).map_err(|e| {
        Error::invalid(format!(
            "bad default `{default}` for `{}`: {}",
            spec.name, e.expected
        ))
    })?;
    match script
        .statements
        .first()
        .and_then(|s| s.command.arguments.first())
    {
        Some(Argument::Positional(value)) => convert(spec, value),
        _ => Err(Error::invalid(format!(
            "bad default `{default}` for `{}`",
            spec.name
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_declared_default_is_valid_input() {
        for spec in COMMANDS {
            for argument in spec.arguments {
                if let Some(default) = argument.default {
                    assert!(
                        default_value(argument, default).is_ok(),
                        "`{}`: default `{default}` of `{}`",
                        spec.name,
                        argument.name
                    );
                }
            }
        }
    }

    #[test]
    fn every_command_has_help_and_an_example_that_checks() {
        for spec in COMMANDS {
            assert!(
                !spec.summary.is_empty() && !spec.help.is_empty(),
                "{}",
                spec.name
            );
            assert!(!spec.examples.is_empty(), "`{}` has no example", spec.name);
            for example in spec.examples {
                let script = crate::lang::parse(example).unwrap();
                for statement in &script.statements {
                    let (found, skip) = resolve(&statement.command).unwrap();
                    check(found, &statement.command, skip)
                        .unwrap_or_else(|e| panic!("example `{example}`: {e}"));
                }
            }
        }
    }

    /// The arguments of one statement, checked against its command.
    fn arguments_of(text: &str) -> Result<Arguments, Error> {
        let script = crate::lang::parse(text).unwrap();
        let command = &script.statements[0].command;
        let (found, skip) = resolve(command).unwrap();
        check(found, command, skip)
    }

    #[test]
    fn whole_numbers_are_exact_and_tables_spellings_are_choices() {
        let seed = |text: &str| arguments_of(text).map(|a| a.integer("seed"));
        // 2^53 + 1 has no double; digits are read as the integer they say.
        assert_eq!(
            seed("split seed=9007199254740993").unwrap(),
            Some(9_007_199_254_740_993)
        );
        assert_eq!(seed("split seed=1e3").unwrap(), Some(1000));
        assert_eq!(
            seed("split seed=9223372036854775807").unwrap(),
            Some(i64::MAX)
        );
        // Beyond what is exact as a double and not written in digits: refused, not rounded.
        assert!(seed("split seed=1e17").is_err());
        assert!(seed("split seed=9223372036854775808").is_err());
        assert!(seed("split seed=2.5").is_err());
        let cohort = |text: &str| {
            arguments_of(text)
                .map(|a| a.text("cohort").map(str::to_string))
                .unwrap()
        };
        assert_eq!(
            cohort("fit aln~age cohort=validation").as_deref(),
            Some("valid")
        );
        assert_eq!(
            cohort("fit aln~age cohort=Training").as_deref(),
            Some("train")
        );
        assert_eq!(cohort("fit aln~age cohort=VALID").as_deref(), Some("valid"));
    }
}
