//! What a running command may touch: the session state, the cancel flag, and helpers that turn
//! user-given names into data with errors pointing at the right place.

use super::state::State;
use crate::data::{Column, Dataset};
use crate::error::{Error, ErrorKind};
use crate::lang::Span;
use crate::lang::suggest::nearest;
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

pub struct Context<'a> {
    pub state: &'a mut State,
    pub cancel: &'a CancelFlag,
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

    /// The loaded data, or an error saying how to load some.
    pub fn data(&self) -> Result<&Dataset, Error> {
        self.state.data.as_ref().ok_or_else(no_data)
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
