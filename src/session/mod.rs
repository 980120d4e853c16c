//! One session core shared by every frontend: text in, typed results out.
//!
//! `Session::execute` parses, checks and runs a whole input (a REPL line, a notebook cell, a
//! script). An input that fails leaves the session exactly as it was before it, and a panic in a
//! command is caught here and reported as an error, so no mistake ends a session.
//! Owns state and command dispatch; must not render or print.

mod args;
pub mod commands;
mod complete;
mod context;
mod convert;
pub mod files;
mod inspect;
mod spec;
mod state;

pub use args::{ArgValue, Arguments, FormulaTerm};
pub use commands::nomogram::nomogram_of;
pub use complete::{Candidate, Completion};
pub use context::{CancelFlag, Context, NoProgress, Progress};
pub use spec::{ArgKind, ArgSpec, CommandSpec, Group};
pub use state::{HistoryEntry, Segmentation, SegmentedSlice, Settings, State};

use crate::error::{Error, ErrorKind};
use crate::lang::{self, Script, Span, Statement};
use crate::output::{Item, Output, Text};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// A radnomo session.
pub struct Session {
    state: State,
    cancel: CancelFlag,
    progress: std::sync::Arc<dyn Progress>,
}

impl Default for Session {
    fn default() -> Session {
        Session {
            state: State::default(),
            cancel: CancelFlag::default(),
            progress: std::sync::Arc::new(NoProgress),
        }
    }
}

/// One statement's result, as handed to the `on_result` callback of [`Session::execute_with`].
pub struct StatementResult<'a> {
    pub statement: &'a Statement,
    pub output: Output,
    /// The settings after the statement ran (where plots go, digits).
    pub settings: &'a Settings,
}

impl Session {
    pub fn new() -> Session {
        Session::default()
    }

    /// Runs `source` and returns everything its statements gave. On error the session is left as
    /// it was before `source`.
    pub fn execute(&mut self, source: &str) -> Result<Output, Error> {
        let mut output = Output::empty();
        self.execute_with(source, |result| output.extend(result.output))?;
        Ok(output)
    }

    /// Like [`execute`](Self::execute), handing each statement's output to `on_result` as soon as
    /// it is ready (scripts show progress statement by statement). If a later statement fails, the
    /// session is still restored to before `source`.
    pub fn execute_with(
        &mut self,
        source: &str,
        mut on_result: impl FnMut(StatementResult<'_>),
    ) -> Result<(), Error> {
        let script = Session::parse(source)?;
        // The state to restore on an error. History only grows, so it is not copied (a copy per
        // input made a long piped session quadratic): an error cuts it back to its length.
        let history = std::mem::take(&mut self.state.history);
        let kept = history.len();
        let before = self.state.clone();
        self.state.history = history;
        for statement in &script.statements {
            match self.run_statement(statement, source) {
                Ok(output) => on_result(StatementResult {
                    statement,
                    output,
                    settings: &self.state.settings,
                }),
                Err(error) => {
                    let mut history = std::mem::take(&mut self.state.history);
                    history.truncate(kept);
                    self.state = before;
                    self.state.history = history;
                    return Err(error);
                }
            }
        }
        Ok(())
    }

    /// Parses without running.
    pub fn parse(source: &str) -> Result<Script, Error> {
        lang::parse(source).map_err(|error| Error::from_syntax(error, source))
    }

    /// Parses and checks every command and argument without running anything (`radnomo check`).
    /// Returns how many statements were checked.
    pub fn check(source: &str) -> Result<usize, Error> {
        let script = Session::parse(source)?;
        for statement in &script.statements {
            if let Some(error) = Session::check_statement(statement).err() {
                return Err(error);
            }
        }
        Ok(script.statements.len())
    }

    fn check_statement(statement: &Statement) -> Result<(&'static CommandSpec, Arguments), Error> {
        let (spec, skip) = args::resolve(&statement.command)?;
        let arguments = args::check(spec, &statement.command, skip)?;
        Ok((spec, arguments))
    }

    fn run_statement(&mut self, statement: &Statement, source: &str) -> Result<Output, Error> {
        self.cancel.reset();
        let text = statement.span.text(source).to_string();
        // A bare stored name shows what is stored under it.
        if statement.target.is_none()
            && statement.command.arguments.is_empty()
            && let Some(item) = self.state.variables.get(&statement.command.name.text)
        {
            return Ok(Output::item(item.clone()));
        }
        let (spec, arguments) = Session::check_statement(statement)?;
        let span = statement.command.span;
        let mut context = Context {
            state: &mut self.state,
            cancel: &self.cancel,
            progress: self.progress.as_ref(),
            span,
        };
        let outcome = catch_unwind(AssertUnwindSafe(|| (spec.run)(&mut context, &arguments)));
        let output = match outcome {
            Ok(result) => result.map_err(|error| {
                let at = path_span(spec, &arguments, &error).unwrap_or(span);
                error.or_at(at)
            })?,
            Err(payload) => {
                return Err(Error::at(
                    ErrorKind::Internal {
                        message: panic_message(payload.as_ref()),
                    },
                    span,
                ));
            }
        };
        if let Some(target) = &statement.target {
            // A model is what `name = …` is for; else the first table, else the first plot.
            let rank = |item: &Item| match item {
                Item::Model(_) => 0,
                Item::Table(_) => 1,
                Item::Plot(_) => 2,
                Item::Text(_) => 3,
            };
            let stored = output
                .items
                .iter()
                .filter(|item| !matches!(item, Item::Text(_)))
                .min_by_key(|item| rank(item))
                .cloned()
                .ok_or_else(|| {
                    Error::at(
                        ErrorKind::NothingToStore {
                            command: spec.name.to_string(),
                        },
                        target.span,
                    )
                })?;
            self.state.variables.insert(target.text.clone(), stored);
        }
        self.state.history.push(HistoryEntry {
            text,
            command: spec.name,
            target: statement.target.as_ref().map(|t| t.text.clone()),
            replayable: spec.replayable,
            output: output.clone(),
        });
        Ok(output)
    }

    /// Asks a running command to stop (safe to call from another thread or a signal handler's
    /// thread through a clone of the flag).
    pub fn cancel_flag(&self) -> CancelFlag {
        self.cancel.clone()
    }

    /// How long steps report progress (the terminal frontends set a bar).
    pub fn set_progress(&mut self, progress: std::sync::Arc<dyn Progress>) {
        self.progress = progress;
    }

    pub fn state(&self) -> &State {
        &self.state
    }

    pub fn settings(&self) -> &Settings {
        &self.state.settings
    }

    pub fn settings_mut(&mut self) -> &mut Settings {
        &mut self.state.settings
    }

    /// Completion candidates at byte `cursor` of `line` (the REPL's Tab and Jupyter's
    /// `complete_request`).
    pub fn complete(&self, line: &str, cursor: usize) -> Completion {
        complete::complete(&self.state, line, cursor)
    }

    /// Help for the word at byte `cursor` of `line` (the REPL's Shift-Tab and Jupyter's
    /// `inspect_request`): a feature's formula, an argument's line, or the command's page.
    pub fn inspect(&self, line: &str, cursor: usize) -> Option<String> {
        inspect::inspect(line, cursor)
    }

    /// Whether `word` names a command (or a command family such as `load`) or a stored result,
    /// for highlighting.
    pub fn is_known_command(&self, word: &str) -> bool {
        commands::COMMANDS.iter().any(|spec| spec.word() == word)
            || self.state.variables.contains_key(word)
    }
}

/// A text for messages that a statement was undone with the rest of its input.
pub fn rollback_note() -> Text {
    Text::warning("the input was undone as a whole: the session is as it was before it")
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        text.to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "a command panicked".to_string()
    }
}

/// Where an error about a file belongs: under the path argument its location starts with (the
/// longest, when a folder and a file inside it are both given), rather than the whole statement.
fn path_span(spec: &CommandSpec, arguments: &Arguments, error: &Error) -> Option<Span> {
    let location = match error.kind.as_ref() {
        ErrorKind::Input { location, .. } => location,
        ErrorKind::Io { path, .. } => path,
        _ => return None,
    };
    spec.arguments
        .iter()
        .filter(|argument| matches!(argument.kind, ArgKind::Path))
        .filter_map(|argument| {
            Some((
                arguments.text(argument.name)?,
                arguments.span(argument.name)?,
            ))
        })
        .filter(|(path, _)| !path.is_empty() && location.starts_with(path))
        .max_by_key(|(path, _)| path.len())
        .map(|(_, span)| span)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOAD: &str = "load table examples/data/demo.csv outcome=aln split=cohort";

    #[test]
    fn a_panicking_command_is_an_internal_error_and_the_state_is_restored() {
        let mut session = Session::new();
        session.execute(LOAD).unwrap();
        let error = session.execute("set digits=6; panics").unwrap_err();
        assert!(
            matches!(error.kind.as_ref(), ErrorKind::Internal { message } if message == "deliberate test panic")
        );
        assert_eq!(session.settings().digits, 4, "the whole input was undone");
        assert!(session.state().data.is_some(), "earlier inputs are kept");
        assert!(
            session.execute("describe columns=age").is_ok(),
            "the session goes on"
        );
    }

    #[test]
    fn a_failing_statement_undoes_its_whole_input() {
        let mut session = Session::new();
        let error = session
            .execute(&format!("{LOAD}; describe by=nothing"))
            .unwrap_err();
        assert!(matches!(*error.kind, ErrorKind::UnknownColumn { .. }));
        assert!(session.state().data.is_none());
        assert!(session.state().history.is_empty());
        // Earlier inputs' history is kept; the failed input's own statements are not.
        session.execute(LOAD).unwrap();
        let kept = session.state().history.len();
        assert!(kept > 0);
        session
            .execute("set digits=5; describe by=nothing")
            .unwrap_err();
        assert_eq!(session.state().history.len(), kept);
        assert_eq!(session.settings().digits, 4);
    }

    #[test]
    fn stored_results_are_shown_by_name_and_listed() {
        let mut session = Session::new();
        session
            .execute(&format!("{LOAD}; t1 = describe columns=age"))
            .unwrap();
        let shown = session.execute("t1").unwrap();
        assert!(matches!(&shown.items[0], Item::Table(table) if table.name == "table1"));
        let error = session.execute("x = help").unwrap_err();
        assert!(matches!(*error.kind, ErrorKind::NothingToStore { .. }));
    }

    #[test]
    fn a_cancelled_lasso_stops_and_leaves_the_session_as_it_was() {
        let mut session = Session::new();
        session
            .execute("load table tests/fixtures/models/wide.csv outcome=y features=x*")
            .unwrap();
        let cancel = session.cancel_flag();
        // Ctrl-C arrives from another thread while the cross-validation runs.
        let interrupter = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(100));
            cancel.cancel();
        });
        let error = session.execute("lasso cv=10 thresh=1e-14").unwrap_err();
        interrupter.join().unwrap();
        assert!(matches!(*error.kind, ErrorKind::Cancelled), "{error}");
        let data = session.state().data.as_ref().unwrap();
        assert!(data.column("rad").is_none() && data.standardization.is_none());
        assert!(session.execute("vars").is_ok(), "the session goes on");
    }

    #[test]
    fn check_finds_argument_errors_without_running() {
        assert_eq!(
            Session::check("load table nowhere.csv outcome=aln\ndescribe"),
            Ok(2)
        );
        let error = Session::check("describe\nsplit train=2").unwrap_err();
        assert_eq!(error.span, Some(crate::lang::Span::new(21, 22)));
    }
}
