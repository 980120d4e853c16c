//! Running radnomo text non-interactively: `radnomo run FILE.rad`, `radnomo -e '...'` and piped
//! standard input. Each statement's result is printed as soon as it is ready; the first error
//! stops the script and makes the exit status non-zero.

use super::display::Printer;
use crate::lang::span::line_column;
use crate::session::Session;
use std::io::Write;

/// Runs `source` (from `origin`: a file name or `-e`) and prints as it goes. Returns whether it
/// ran without error.
pub fn run(session: &mut Session, source: &str, origin: &str, printer: &Printer) -> bool {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = session.execute_with(source, |result| {
        let text = result.statement.span.text(source);
        let line = line_column(source, result.statement.span.start).line;
        let _ = printer.print_output(&mut out, result.settings, text, line, &result.output);
        let _ = out.flush();
    });
    match result {
        Ok(()) => true,
        Err(error) => {
            let _ = out.flush();
            let _ = printer.print_error(
                &mut out,
                &mut std::io::stderr(),
                source,
                Some(origin),
                &error,
            );
            false
        }
    }
}

/// `radnomo check FILE.rad`: parses and checks every statement without running it.
pub fn check(source: &str, origin: &str, printer: &Printer) -> bool {
    match Session::check(source) {
        Ok(count) => {
            println!("{origin}: {count} statements, all well-formed");
            true
        }
        Err(error) => {
            let _ = printer.print_error(
                &mut std::io::stdout(),
                &mut std::io::stderr(),
                source,
                Some(origin),
                &error,
            );
            false
        }
    }
}
