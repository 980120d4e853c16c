//! Running radnomo text non-interactively: `radnomo run FILE.rad`, `radnomo -e '...'` and piped
//! standard input. Each statement's result is printed as soon as it is ready; the first error
//! stops the script and makes the exit status non-zero — or, with `--keep-going`, each line runs
//! on its own as in the REPL and the errors are printed as they come.

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

/// Runs `source` as if each line (with the lines continuing it) were typed into the REPL: an
/// error is printed and the next line runs, on the session as it was before the failed line.
/// Returns whether every line ran without error.
pub fn run_keep_going(
    session: &mut Session,
    source: &str,
    origin: &str,
    printer: &Printer,
) -> bool {
    let lines: Vec<&str> = source.split_inclusive('\n').collect();
    let mut all_ok = true;
    let mut pending = String::new();
    let mut first_line = 0;
    for (index, line) in lines.iter().enumerate() {
        if pending.is_empty() {
            first_line = index;
        }
        pending.push_str(line);
        if crate::lang::needs_more_input(&pending) && index + 1 < lines.len() {
            continue;
        }
        // The lines before stay as blank lines, so that errors give the input's line numbers.
        let placed = format!("{}{pending}", "\n".repeat(first_line));
        all_ok &= run(session, &placed, origin, printer);
        pending.clear();
    }
    all_ok
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
