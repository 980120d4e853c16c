//! Running radnomo text non-interactively: `radnomo run FILE.rad`, `radnomo -e '...'` and piped
//! standard input. Each statement's result is printed as soon as it is ready; the first error
//! stops the script and makes the exit status non-zero — or, with `--keep-going`, each line runs
//! on its own as in the REPL and the errors are printed as they come.

use super::display::Printer;
use crate::lang::span::Span;
use crate::session::Session;
use std::io::Write;

/// Runs `source` (from `origin`: a file name or `-e`) and prints as it goes. Returns whether it
/// ran without error.
pub fn run(session: &mut Session, source: &str, origin: &str, printer: &Printer) -> bool {
    run_part(session, source, (0..source.len(), 1), origin, printer)
}

/// The byte offsets at which the lines of `source` start, to find a line by binary search
/// (counting line breaks from the start for every statement made long scripts quadratic).
fn line_starts(source: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(source.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

/// Runs the part `part` (a byte range, starting on line `first_line`) of `source`, printing
/// results and errors at their places in the whole `source`, so line numbers and carets are the
/// input's.
fn run_part(
    session: &mut Session,
    source: &str,
    (part, first_line): (std::ops::Range<usize>, usize),
    origin: &str,
    printer: &Printer,
) -> bool {
    let offset = part.start;
    let text = &source[part];
    let starts = line_starts(text);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = session.execute_with(text, |result| {
        let statement = result.statement.span.text(text);
        let line = first_line + starts.partition_point(|&s| s <= result.statement.span.start) - 1;
        let _ = printer.print_output(&mut out, result.settings, statement, line, &result.output);
        let _ = out.flush();
    });
    match result {
        Ok(()) => true,
        Err(mut error) => {
            error.span = error
                .span
                .map(|s| Span::new(offset + s.start, offset + s.end));
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
    let mut all_ok = true;
    let (mut start, mut end) = (0, 0);
    let (mut first_line, mut lines) = (1, 0);
    for line in source.split_inclusive('\n') {
        end += line.len();
        lines += 1;
        if crate::lang::needs_more_input(&source[start..end]) && end < source.len() {
            continue;
        }
        all_ok &= run_part(session, source, (start..end, first_line), origin, printer);
        (start, first_line) = (end, first_line + lines);
        lines = 0;
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
