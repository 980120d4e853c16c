//! How a command is declared: its name, arguments (types, defaults, allowed values), help and the
//! function that runs it. `help`, argument checking, completion and highlighting all read these
//! declarations; nothing about a command is written down twice.

use super::args::Arguments;
use super::context::Context;
use crate::error::Error;
use crate::output::Output;

/// The function that runs a command on already-validated arguments.
pub type Runner = fn(&mut Context<'_>, &Arguments) -> Result<Output, Error>;

/// One command.
pub struct CommandSpec {
    /// `describe`, or two words for a command family: `load table`.
    pub name: &'static str,
    /// One line for `help`.
    pub summary: &'static str,
    /// Paragraphs for `help NAME`.
    pub help: &'static str,
    /// Lines of radnomo that show it in use.
    pub examples: &'static [&'static str],
    pub arguments: &'static [ArgSpec],
    pub group: Group,
    /// Whether `save` writes it into the re-runnable script (queries such as `help` are left out).
    pub replayable: bool,
    pub run: Runner,
}

/// Sections of `help`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Group {
    Data,
    Images,
    Describe,
    Models,
    Validation,
    Session,
}

impl Group {
    pub fn title(self) -> &'static str {
        match self {
            Group::Data => "Data",
            Group::Images => "Images",
            Group::Describe => "Describing",
            Group::Models => "Models",
            Group::Validation => "Validation",
            Group::Session => "Session",
        }
    }
}

/// One argument of a command.
#[derive(Debug, Clone, Copy)]
pub struct ArgSpec {
    pub name: &'static str,
    pub kind: ArgKind,
    /// The default as the user would type it; checked like typed input.
    pub default: Option<&'static str>,
    pub required: bool,
    /// May be given without `name=`, in declaration order among the positional arguments.
    pub positional: bool,
    pub help: &'static str,
}

/// What an argument accepts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ArgKind {
    /// A file or folder path.
    Path,
    /// One column of the data.
    Column,
    /// A patient id of the loaded cohort (`P0007`).
    Patient,
    /// One value a column takes (`yes`, `2`, `"stage II"`).
    Value,
    /// A name given in a file, such as a structure's (`GTV`, `"Lesion 2"`).
    Name,
    /// One or more columns: `age` or `age,size,grade`.
    Columns,
    /// `age+size+factor(grade)`.
    Formula,
    WholeNumber {
        min: i64,
        max: i64,
    },
    Number {
        min: f64,
        max: f64,
    },
    /// From `fewest` to `most` numbers separated by `,`, each within `min` and `max`:
    /// `spacing=1,1,2`; `names` says what they are in usage lines (`X,Y,Z`).
    Numbers {
        min: f64,
        max: f64,
        fewest: usize,
        most: usize,
        names: &'static str,
    },
    /// Strictly between 0 and 1, also written as a percentage: `0.7` or `70%`.
    Fraction,
    /// `0.01..0.99`: a range within (0, 1).
    FractionRange,
    Choice(&'static [&'static str]),
    /// One or more of the choices, separated by `,`: `perturb=erode,noise`.
    Choices(&'static [&'static str]),
    Boolean,
    /// Free words (help topics).
    Words,
    /// A result stored with `name = …` that is a model.
    Model,
    /// `COLUMN=VALUE` pairs naming data columns (not declared one by one): `grade=3 lnmri=no`.
    Assignments,
}

impl ArgKind {
    /// What the argument expects, in words, for messages and help.
    pub fn describe(&self) -> String {
        match self {
            ArgKind::Path => "a file path".to_string(),
            ArgKind::Column => "a column name".to_string(),
            ArgKind::Patient => "a patient id such as `P0007`".to_string(),
            ArgKind::Value => "a value of the column, such as `yes` or `2`".to_string(),
            ArgKind::Name => "a name, in quotes if it has spaces".to_string(),
            ArgKind::Columns => "column names separated by `,`".to_string(),
            ArgKind::Formula => "a formula such as `age+size+grade`".to_string(),
            ArgKind::WholeNumber { min, max } if *max == i64::MAX => {
                format!("a whole number >= {min}")
            }
            ArgKind::WholeNumber { min, max } => format!("a whole number from {min} to {max}"),
            ArgKind::Number { min, max } => format!("a number from {min} to {max}"),
            ArgKind::Numbers {
                min,
                max,
                fewest,
                most,
                ..
            } => {
                let count = if fewest == most {
                    format!("{most}")
                } else {
                    format!("{fewest} to {most}")
                };
                format!("{count} numbers from {min} to {max}, separated by `,`")
            }
            ArgKind::Fraction => "a fraction between 0 and 1 (or a percentage)".to_string(),
            ArgKind::FractionRange => "a range such as `0.01..0.99` within 0 and 1".to_string(),
            ArgKind::Choice(choices) => {
                let choices: Vec<String> = choices.iter().map(|c| format!("`{c}`")).collect();
                format!("one of {}", choices.join(", "))
            }
            ArgKind::Choices(choices) => {
                let choices: Vec<String> = choices.iter().map(|c| format!("`{c}`")).collect();
                format!("one or more of {}, separated by `,`", choices.join(", "))
            }
            ArgKind::Boolean => "`yes` or `no`".to_string(),
            ArgKind::Words => "words".to_string(),
            ArgKind::Model => "the name of a stored model".to_string(),
            ArgKind::Assignments => "`COLUMN=VALUE` pairs".to_string(),
        }
    }

    /// A placeholder for usage lines: `PATH`, `COLUMN`, `N`.
    pub fn placeholder(&self) -> String {
        match self {
            ArgKind::Path => "PATH".to_string(),
            ArgKind::Column => "COLUMN".to_string(),
            ArgKind::Patient => "PATIENT".to_string(),
            ArgKind::Value => "VALUE".to_string(),
            ArgKind::Name => "NAME".to_string(),
            ArgKind::Columns => "COLUMN,...".to_string(),
            ArgKind::Formula => "FORMULA".to_string(),
            ArgKind::WholeNumber { .. } => "N".to_string(),
            ArgKind::Number { .. } => "X".to_string(),
            ArgKind::Numbers { names, .. } => names.to_string(),
            ArgKind::Fraction => "FRACTION".to_string(),
            ArgKind::FractionRange => "LOW..HIGH".to_string(),
            ArgKind::Choice(choices) => choices.join("|"),
            ArgKind::Choices(choices) => choices.join(","),
            ArgKind::Boolean => "yes|no".to_string(),
            ArgKind::Words => "TOPIC".to_string(),
            ArgKind::Model => "MODEL".to_string(),
            ArgKind::Assignments => "COLUMN=VALUE...".to_string(),
        }
    }
}

impl ArgSpec {
    /// An optional `name=value` argument.
    pub const fn keyword(name: &'static str, kind: ArgKind, help: &'static str) -> ArgSpec {
        ArgSpec {
            name,
            kind,
            default: None,
            required: false,
            positional: false,
            help,
        }
    }

    /// An argument that may also be given by position.
    pub const fn positional(name: &'static str, kind: ArgKind, help: &'static str) -> ArgSpec {
        ArgSpec {
            positional: true,
            ..ArgSpec::keyword(name, kind, help)
        }
    }

    pub const fn required(self) -> ArgSpec {
        ArgSpec {
            required: true,
            ..self
        }
    }

    pub const fn default(self, default: &'static str) -> ArgSpec {
        ArgSpec {
            default: Some(default),
            ..self
        }
    }

    /// `outcome=COLUMN`, `[seed=N]`, `PATH`: how the argument appears in a usage line.
    pub fn usage(&self) -> String {
        let placeholder = match self.kind {
            ArgKind::Words => format!("{}...", self.name.to_uppercase()),
            // `load case IMAGE MASK` says which path is which.
            ArgKind::Path if self.positional => self.name.to_uppercase(),
            _ => self.kind.placeholder(),
        };
        let shown = if self.positional || self.kind == ArgKind::Assignments {
            placeholder
        } else {
            format!("{}={placeholder}", self.name)
        };
        if self.required {
            shown
        } else {
            format!("[{shown}]")
        }
    }
}

impl CommandSpec {
    /// `load table PATH outcome=COLUMN [id=COLUMN] [split=COLUMN]`
    pub fn usage(&self) -> String {
        let mut usage = self.name.to_string();
        for argument in self.arguments {
            usage.push(' ');
            usage.push_str(&argument.usage());
        }
        usage
    }

    pub fn argument(&self, name: &str) -> Option<&'static ArgSpec> {
        self.arguments.iter().find(|a| a.name == name)
    }

    /// The argument that gathers undeclared `COLUMN=VALUE` pairs, if the command has one.
    pub fn assignments(&self) -> Option<&'static ArgSpec> {
        self.arguments
            .iter()
            .find(|a| a.kind == ArgKind::Assignments)
    }

    /// The positional arguments in order.
    pub fn positionals(&self) -> impl Iterator<Item = &'static ArgSpec> {
        self.arguments.iter().filter(|a| a.positional)
    }

    /// The first word of the name (`load` for `load table`).
    pub fn word(&self) -> &'static str {
        self.name.split(' ').next().unwrap_or(self.name)
    }

    /// The second word of a family command (`table` for `load table`).
    pub fn subcommand(&self) -> Option<&'static str> {
        self.name.split_once(' ').map(|(_, sub)| sub)
    }
}
