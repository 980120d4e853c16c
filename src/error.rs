//! The one error type every frontend shows: a kind (what went wrong) plus, where the problem is
//! in the user's text, the span. All messages live in the one `Display` below: lower case,
//! names in backticks.

use crate::lang::diagnostic;
use crate::lang::{Span, SyntaxError};
use serde::Serialize;
use std::fmt;

/// An error from running radnomo text.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    /// Boxed so that `Result<_, Error>` stays small on the happy path.
    pub kind: Box<ErrorKind>,
    /// Where in the source text the problem is, when it is in the text.
    pub span: Option<Span>,
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ErrorKind {
    /// The text does not follow the grammar.
    Syntax {
        expected: String,
        found: String,
    },
    UnknownCommand {
        name: String,
        suggestion: Option<String>,
    },
    /// `load` without `table`, or `load tabel`.
    UnknownSubcommand {
        command: String,
        found: Option<String>,
        choices: Vec<String>,
        suggestion: Option<String>,
    },
    UnknownArgument {
        command: String,
        name: String,
        suggestion: Option<String>,
    },
    RepeatedArgument {
        name: String,
    },
    TooManyArguments {
        command: String,
        usage: String,
    },
    MissingArgument {
        command: String,
        name: String,
        usage: String,
    },
    /// A value of the wrong type or outside its allowed range or choices.
    InvalidValue {
        argument: String,
        expected: String,
        found: String,
        suggestion: Option<String>,
    },
    UnknownColumn {
        name: String,
        suggestion: Option<String>,
    },
    /// The command needs an earlier step: "no data yet: run `load table ...` first".
    NeedsStep {
        missing: String,
        run: String,
    },
    /// `name = command` where the command gives nothing that can be stored.
    NothingToStore {
        command: String,
    },
    /// Bad input data: names the file (and line, column or patient) and what is wrong.
    Input {
        location: String,
        message: String,
    },
    /// A file could not be read or written.
    Io {
        path: String,
        message: String,
    },
    /// The request makes no sense for these data ("`by` needs a column with two groups").
    Invalid {
        message: String,
    },
    /// Ctrl-C or a kernel interrupt stopped the command.
    Cancelled,
    /// A defect in radnomo itself (a caught panic); the session is kept as it was.
    Internal {
        message: String,
    },
}

impl Error {
    pub fn new(kind: ErrorKind) -> Error {
        Error {
            kind: Box::new(kind),
            span: None,
        }
    }

    pub fn at(kind: ErrorKind, span: Span) -> Error {
        Error {
            kind: Box::new(kind),
            span: Some(span),
        }
    }

    /// Points the error at `span` unless it already points somewhere.
    pub fn or_at(mut self, span: Span) -> Error {
        self.span.get_or_insert(span);
        self
    }

    pub fn invalid(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Invalid {
            message: message.into(),
        })
    }

    pub fn io(path: impl fmt::Display, error: impl fmt::Display) -> Error {
        Error::new(ErrorKind::Io {
            path: path.to_string(),
            message: error.to_string(),
        })
    }

    pub fn from_syntax(error: SyntaxError, source: &str) -> Error {
        let found = error.found(source);
        Error::at(
            ErrorKind::Syntax {
                expected: error.expected,
                found,
            },
            error.span,
        )
    }

    /// A stable snake_case name of the kind, for the JSON interface and Jupyter's `ename`.
    pub fn kind_name(&self) -> String {
        serde_json::to_value(&self.kind)
            .ok()
            .and_then(|value| {
                value
                    .get("kind")
                    .and_then(|k| k.as_str())
                    .map(str::to_string)
            })
            .unwrap_or_else(|| "error".to_string())
    }

    /// The short text written under the caret.
    fn label(&self) -> String {
        match self.kind.as_ref() {
            ErrorKind::Syntax { expected, .. } => format!("expected {expected}"),
            ErrorKind::InvalidValue { expected, .. } => format!("expected {expected}"),
            ErrorKind::UnknownCommand { suggestion, .. }
            | ErrorKind::UnknownArgument { suggestion, .. }
            | ErrorKind::UnknownColumn { suggestion, .. }
            | ErrorKind::UnknownSubcommand { suggestion, .. } => match suggestion {
                Some(s) => format!("did you mean `{s}`?"),
                None => String::new(),
            },
            _ => String::new(),
        }
    }

    /// The message with the source line and a caret under the span, when there is one.
    /// `origin` names where the source came from (a file name, `-e`).
    pub fn render(&self, source: &str, origin: Option<&str>) -> String {
        match self.span {
            Some(span) if span.end <= source.len() => {
                diagnostic::render(source, span, &self.to_string(), &self.label(), origin)
            }
            _ => format!("error: {self}"),
        }
    }
}

fn suggestion_text(suggestion: &Option<String>) -> String {
    match suggestion {
        Some(s) => format!("; did you mean `{s}`?"),
        None => String::new(),
    }
}

impl fmt::Display for Error {
    /// The message, with any overlong run of characters (a 1 MB word quoted back) shortened.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut message = String::new();
        self.write_message(&mut message)?;
        f.write_str(&diagnostic::shorten(&message))
    }
}

impl Error {
    fn write_message(&self, f: &mut impl fmt::Write) -> fmt::Result {
        match self.kind.as_ref() {
            ErrorKind::Syntax { expected, found } => {
                write!(f, "expected {expected}, found {found}")
            }
            ErrorKind::UnknownCommand { name, suggestion } => write!(
                f,
                "unknown command `{name}`{}{}",
                suggestion_text(suggestion),
                if suggestion.is_none() {
                    " (`help` lists the commands)"
                } else {
                    ""
                }
            ),
            ErrorKind::UnknownSubcommand {
                command,
                found,
                choices,
                suggestion,
            } => {
                let choices = choices
                    .iter()
                    .map(|c| format!("`{command} {c}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                match found {
                    Some(found) => write!(
                        f,
                        "`{command} {found}` is not a command{}; there is {choices}",
                        suggestion_text(suggestion)
                    ),
                    None => write!(f, "`{command}` needs a second word: {choices}"),
                }
            }
            ErrorKind::UnknownArgument {
                command,
                name,
                suggestion,
            } => write!(
                f,
                "`{command}` has no argument `{name}`{}{}",
                suggestion_text(suggestion),
                if suggestion.is_none() {
                    format!(" (see `help {command}`)")
                } else {
                    String::new()
                }
            ),
            ErrorKind::RepeatedArgument { name } => write!(f, "`{name}` is given twice"),
            ErrorKind::TooManyArguments { command, usage } => {
                write!(f, "too many arguments for `{command}`; usage: {usage}")
            }
            ErrorKind::MissingArgument {
                command,
                name,
                usage,
            } => write!(f, "`{command}` needs `{name}`; usage: {usage}"),
            ErrorKind::InvalidValue {
                argument,
                expected,
                found,
                suggestion,
            } => write!(
                f,
                "`{argument}` expects {expected}, not `{found}`{}",
                suggestion_text(suggestion)
            ),
            ErrorKind::UnknownColumn { name, suggestion } => write!(
                f,
                "no column `{name}`{}{}",
                suggestion_text(suggestion),
                if suggestion.is_none() {
                    " (`vars` lists the columns)"
                } else {
                    ""
                }
            ),
            ErrorKind::NeedsStep { missing, run } => write!(f, "{missing}: run `{run}` first"),
            ErrorKind::NothingToStore { command } => {
                write!(
                    f,
                    "`{command}` gives no table or model to store under a name"
                )
            }
            ErrorKind::Input { location, message } => write!(f, "{location}: {message}"),
            ErrorKind::Io { path, message } => write!(f, "{path}: {message}"),
            ErrorKind::Invalid { message } => write!(f, "{message}"),
            ErrorKind::Cancelled => {
                write!(f, "cancelled; the session is as it was before the command")
            }
            ErrorKind::Internal { message } => write!(
                f,
                "internal error (a defect in radnomo; please report it): {message}; the session is as it was before the command"
            ),
        }
    }
}

impl std::error::Error for Error {}
