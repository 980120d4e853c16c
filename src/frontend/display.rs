//! Printing results for a person or a program, in the chosen format.

use crate::error::Error;
use crate::output::{Item, Output};
use crate::render::{self, Format};
use crate::session::Settings;
use std::io::{self, Write};
use std::path::PathBuf;

/// Prints results and errors for the script runner and the REPL.
pub struct Printer {
    pub format: Format,
    /// The terminal width for tables, when printing to a terminal.
    pub width: Option<u16>,
}

impl Printer {
    /// Prints one statement's output. Plots are written to the settings' plots folder and their
    /// paths printed. `statement` and `line` identify the statement in JSON.
    pub fn print_output(
        &self,
        out: &mut dyn Write,
        settings: &Settings,
        statement: &str,
        line: usize,
        output: &Output,
    ) -> io::Result<()> {
        let mut files: Vec<PathBuf> = Vec::new();
        let mut blocks: Vec<String> = Vec::new();
        for item in &output.items {
            match item {
                Item::Plot(plot) => match render::plot::write_files(plot, &settings.plots) {
                    Ok(written) => {
                        let shown: Vec<String> =
                            written.iter().map(|p| p.display().to_string()).collect();
                        blocks.push(format!("{}: {}", plot.title, shown.join(", ")));
                        files.extend(written);
                    }
                    Err(message) => {
                        blocks.push(format!("warning: the plot was not written: {message}"))
                    }
                },
                Item::Table(table) => blocks.push(match self.format {
                    Format::Text | Format::Json => {
                        render::terminal::table(table, settings.digits, self.width)
                    }
                    Format::Markdown => render::markdown::table(table, settings.digits),
                    Format::Html => render::html::table(table, settings.digits),
                    Format::Csv => render::markdown::csv(table, settings.digits),
                }),
                Item::Text(text) => blocks.push(render::terminal::text(text)),
            }
        }
        if self.format == Format::Json {
            let document = render::json::result_document(statement, line, output, &files);
            return writeln!(out, "{document}");
        }
        for block in blocks {
            writeln!(out, "{block}\n")?;
        }
        Ok(())
    }

    /// Prints an error in `source`: with a caret for people, as a JSON document for programs
    /// (on standard output, so a JSON consumer reads one stream).
    pub fn print_error(
        &self,
        out: &mut dyn Write,
        err: &mut dyn Write,
        source: &str,
        origin: Option<&str>,
        error: &Error,
    ) -> io::Result<()> {
        if self.format == Format::Json {
            writeln!(out, "{}", render::json::error_document(source, error))
        } else {
            writeln!(err, "{}", error.render(source, origin))
        }
    }
}
