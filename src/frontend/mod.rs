//! The ways in: a terminal REPL, a script runner (files, `-e`, piped stdin) and, in its own issue,
//! the Jupyter kernel. Frontends only move text between the user and `Session` and choose how
//! results are rendered; they hold no logic of their own.

pub mod display;
pub mod evcxr;
pub mod kernel;
pub mod progress;
pub mod repl;
pub mod script;

use std::cell::RefCell;

thread_local! {
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Replaces the default panic message (which would interleave with the REPL) with a quiet record
/// the session turns into an `internal error` naming the place; set `RADNOMO_BACKTRACE=1` to
/// see the default report too.
pub fn install_panic_hook() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let location = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        LAST_PANIC.with(|last| *last.borrow_mut() = Some(location));
        if std::env::var_os("RADNOMO_BACKTRACE").is_some() {
            default(info);
        }
    }));
}

/// Where the last caught panic happened (` at src/…:12`), if the hook recorded it.
pub fn last_panic_location() -> String {
    LAST_PANIC
        .with(|last| last.borrow_mut().take())
        .unwrap_or_default()
}
