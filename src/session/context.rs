//! What a running command may touch: the session state, the cancel flag, and helpers that turn
//! user-given names into data with errors pointing at the right place.

use super::args::Arguments;
use super::state::State;
use crate::data::{Cohort, Column, Dataset};
use crate::error::{Error, ErrorKind};
use crate::imaging::cohort::ImageCohort;
use crate::lang::Span;
use crate::lang::suggest::nearest;
use crate::stats::design::TermRequest;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set by Ctrl-C (REPL) or an interrupt request (kernel); long commands poll it.
#[derive(Debug, Clone, Default)]
pub struct CancelFlag(Arc<AtomicBool>);

impl CancelFlag {
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn reset(&self) {
        self.0.store(false, Ordering::SeqCst);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// How a frontend shows a long step. The session says what is happening; the frontend decides
/// whether and how to draw it (a terminal bar after about a second, nothing in JSON output).
/// `advance` may be called from worker threads.
pub trait Progress: Send + Sync {
    fn start(&self, label: &str, total: u64);
    fn advance(&self);
    fn finish(&self);
}

/// Shows nothing.
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _: &str, _: u64) {}
    fn advance(&self) {}
    fn finish(&self) {}
}

pub struct Context<'a> {
    pub state: &'a mut State,
    pub cancel: &'a CancelFlag,
    pub progress: &'a dyn Progress,
    /// The span of the whole command, for errors about it as a whole.
    pub span: Span,
}

impl Context<'_> {
    /// Returns `Err(Cancelled)` once the user has asked to stop.
    pub fn check_cancelled(&self) -> Result<(), Error> {
        if self.cancel.is_cancelled() {
            Err(Error::new(ErrorKind::Cancelled))
        } else {
            Ok(())
        }
    }

    /// `step` on every item in parallel (rayon), with a progress bar labelled `label`; stops
    /// early, with `Err(Cancelled)`, once the user asks. Results keep the items' order.
    pub fn each_in_parallel<T: Sync, R: Send>(
        &self,
        label: &str,
        items: &[T],
        step: impl Fn(&T) -> R + Sync,
    ) -> Result<Vec<R>, Error> {
        use rayon::prelude::*;
        self.progress.start(label, items.len() as u64);
        let (progress, cancel) = (self.progress, self.cancel);
        let results: Option<Vec<R>> = items
            .par_iter()
            .map(|item| {
                if cancel.is_cancelled() {
                    return None;
                }
                let result = step(item);
                progress.advance();
                Some(result)
            })
            .collect();
        self.progress.finish();
        results.ok_or_else(|| Error::new(ErrorKind::Cancelled))
    }

    /// For a science loop that calls back once per replicate (the bootstraps): starts a
    /// progress bar of `total` replicates and gives the callback, which advances it and says
    /// whether the user asked to stop. Call `progress.finish()` after the loop.
    pub fn replicate_callback(&self, label: &str, total: usize) -> impl Fn() -> bool + Sync + '_ {
        self.progress.start(label, total as u64);
        || {
            let stop = self.cancel.is_cancelled();
            if !stop {
                self.progress.advance();
            }
            stop
        }
    }

    /// The loaded data, or an error saying how to load some.
    pub fn data(&self) -> Result<&Dataset, Error> {
        self.state.data.as_ref().ok_or_else(no_data)
    }

    /// The loaded cohort's images, or an error saying how to load some.
    pub fn images(&self) -> Result<Arc<ImageCohort>, Error> {
        self.state.images.clone().ok_or_else(|| {
            Error::new(ErrorKind::NeedsStep {
                missing: "no images loaded".to_string(),
                run: "load cohort".to_string(),
            })
        })
    }

    pub fn data_mut(&mut self) -> Result<&mut Dataset, Error> {
        self.state.data.as_mut().ok_or_else(no_data)
    }

    /// The column called `name`, or an error at `span` suggesting the nearest name.
    pub fn column(&self, name: &str, span: Option<Span>) -> Result<&Column, Error> {
        let data = self.data()?;
        data.column(name)
            .ok_or_else(|| unknown_column(data, name, span.unwrap_or(self.span)))
    }
}

impl Context<'_> {
    /// The outcome column's name, or an error saying how to set one — or that the rows are
    /// lesions, while every model of the outcome needs one row per patient.
    pub fn outcome(&self) -> Result<String, Error> {
        let data = self.data()?;
        data.require_patient_rows("a model of the outcome")
            .map_err(Error::invalid)?;
        data.outcome
            .clone()
            .ok_or_else(|| Error::invalid("no outcome set; load the table with `outcome=COLUMN`"))
    }

    /// "event: aln = pos": which outcome value the models predict, for the notes of every table
    /// about a model (empty before an outcome is set).
    pub fn event_note(&self) -> String {
        match self
            .data()
            .map(|d| (d.outcome.as_deref(), d.event.as_deref()))
        {
            Ok((Some(outcome), Some(event))) => format!("event: {outcome} = {event}"),
            _ => String::new(),
        }
    }

    /// The grouping column of `describe` and `plot`: `by=` if given, else the outcome.
    pub fn grouping(&self, arguments: &Arguments) -> Result<(String, &Column), Error> {
        let name = match arguments.text("by") {
            Some(by) => by.to_string(),
            None => self
                .data()?
                .outcome
                .clone()
                .ok_or_else(|| Error::invalid("no outcome set; give `by=COLUMN`"))?,
        };
        let column = self.column(&name, arguments.span("by"))?;
        Ok((name, column))
    }

    /// The formula argument `name` as terms, every column checked (an unknown one is an error
    /// under its own span, with the nearest name).
    pub fn formula(&self, arguments: &Arguments, name: &str) -> Result<Vec<TermRequest>, Error> {
        let data = self.data()?;
        arguments
            .formula(name)
            .into_iter()
            .map(|term| {
                if data.column(&term.column).is_none() {
                    return Err(unknown_column(data, &term.column, term.span));
                }
                Ok(TermRequest {
                    column: term.column,
                    factor: term.function.as_deref() == Some("factor"),
                })
            })
            .collect()
    }

    /// The rows a model is fitted on: `cohort=` if given, else the training cohort when the data
    /// are split, else every row. Returns the rows and the cohort's name.
    pub fn model_rows(&self, cohort: Option<&str>) -> Result<(Vec<usize>, String), Error> {
        let data = self.data()?;
        let split = data.cohorts.is_some();
        match (cohort, split) {
            (Some("all"), _) | (None, false) => Ok((data.rows_of(None), "all".to_string())),
            (Some("valid"), true) => Ok((
                data.rows_of(Some(Cohort::Validation)),
                "validation".to_string(),
            )),
            (Some("train") | None, true) => {
                Ok((data.rows_of(Some(Cohort::Training)), "training".to_string()))
            }
            (Some(_), false) => Err(Error::invalid(
                "the data are not split into training and validation: run `split` first, or use cohort=all",
            )),
            (Some(other), true) => Err(Error::invalid(format!("unknown cohort `{other}`"))),
        }
    }

    /// The feature columns: the globs given in `features=` (each must match), else the data's
    /// features.
    pub fn features(&self, arguments: &Arguments) -> Result<Vec<String>, Error> {
        let data = self.data()?;
        let patterns = arguments.columns("features");
        if patterns.is_empty() {
            if data.features.is_empty() {
                return Err(Error::new(ErrorKind::NeedsStep {
                    missing: "no features yet".to_string(),
                    run: "extract` or `load table FILE.csv outcome=COLUMN features=PATTERN"
                        .to_string(),
                }));
            }
            return Ok(data.features.clone());
        }
        let mut chosen: Vec<String> = Vec::new();
        for (pattern, span) in patterns {
            let matched = data.columns_matching(&pattern);
            if matched.is_empty() {
                return Err(unknown_column(data, &pattern, span));
            }
            for name in matched {
                if !chosen.contains(&name) {
                    chosen.push(name);
                }
            }
        }
        Ok(chosen)
    }
}

pub fn unknown_column(data: &Dataset, name: &str, span: Span) -> Error {
    Error::at(
        ErrorKind::UnknownColumn {
            name: name.to_string(),
            suggestion: nearest(name, data.column_names()).map(str::to_string),
        },
        span,
    )
}

fn no_data() -> Error {
    Error::new(ErrorKind::NeedsStep {
        missing: "no data yet".to_string(),
        run: "load table FILE.csv outcome=COLUMN".to_string(),
    })
}
