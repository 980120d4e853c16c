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
    /// Standard output is a terminal: plots are shown in it too when it speaks an image
    /// protocol (see [`terminal_shows_images`]).
    pub inline_images: bool,
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
        // `clear`: only a terminal has a screen to clear; files and pipes keep everything.
        if output.clear && self.inline_images && self.format == Format::Text {
            write!(out, "\x1b[2J\x1b[H")?;
        }
        for item in &output.items {
            match item {
                Item::Plot(plot) => match render::figure_files::write_files(
                    plot,
                    &settings.plots,
                    &settings.figures,
                ) {
                    Ok(written) => {
                        let shown: Vec<String> = written
                            .paths
                            .iter()
                            .map(|p| p.display().to_string())
                            .collect();
                        blocks.push(format!("{}: {}", plot.title, shown.join(", ")));
                        if self.inline_images
                            && self.format == Format::Text
                            && terminal_shows_images()
                        {
                            // Earlier blocks first, so the picture sits under its caption.
                            for block in blocks.drain(..) {
                                writeln!(out, "{block}")?;
                            }
                            out.flush()?;
                            show_inline(&written.png);
                            writeln!(out)?;
                        }
                        files.extend(written.paths);
                    }
                    Err(message) => {
                        blocks.push(format!("warning: the plot was not written: {message}"))
                    }
                },
                Item::Model(model) => {
                    let table = render::model::coefficient_table(model);
                    blocks.push(self.table(&table, settings));
                }
                Item::Table(table) => blocks.push(self.table(table, settings)),
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

    /// A table in this printer's format.
    fn table(&self, table: &crate::output::Table, settings: &Settings) -> String {
        match self.format {
            Format::Text | Format::Json => {
                render::terminal::table(table, settings.digits, self.width)
            }
            Format::Markdown => render::markdown::table(table, settings.digits),
            Format::Html => render::html::table(table, settings.digits),
            Format::Csv => render::markdown::csv(table, settings.digits),
        }
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

/// Whether the terminal on standard output can show images, decided once, on the first plot.
///
/// Terminals are recognised by their environment (kitty, WezTerm, ghostty: kitty's protocol;
/// iTerm2, WezTerm: iTerm's) and then confirmed by viuer. Sixel terminals cannot be recognised
/// without a query whose answer some terminals echo into the output, so sixel is used only on
/// request: `RADNOMO_INLINE_PLOTS=yes` probes every protocol, `RADNOMO_INLINE_PLOTS=no` never shows
/// plots inline.
pub fn terminal_shows_images() -> bool {
    static DECIDED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *DECIDED.get_or_init(|| {
        let variable = |name: &str| std::env::var(name).unwrap_or_default();
        match variable("RADNOMO_INLINE_PLOTS").as_str() {
            "no" | "0" => false,
            "yes" | "1" => {
                viuer::get_kitty_support() != viuer::KittySupport::None
                    || viuer::is_iterm_supported()
                    || viuer::is_sixel_supported()
            }
            _ => {
                let program = variable("TERM_PROGRAM");
                let kitty_like = variable("TERM") == "xterm-kitty"
                    || std::env::var_os("KITTY_WINDOW_ID").is_some()
                    || program == "WezTerm"
                    || program == "ghostty";
                let iterm_like = program == "iTerm.app"
                    || program == "WezTerm"
                    || variable("LC_TERMINAL") == "iTerm2";
                (kitty_like && viuer::get_kitty_support() != viuer::KittySupport::None)
                    || (iterm_like && viuer::is_iterm_supported())
            }
        }
    })
}

/// Draws PNG bytes in the terminal with viuer (which picks kitty, iTerm or sixel); a failure just
/// leaves the files, whose paths are printed anyway.
fn show_inline(png: &[u8]) {
    let Ok(image) = image::load_from_memory_with_format(png, image::ImageFormat::Png) else {
        return;
    };
    let config = viuer::Config {
        absolute_offset: false,
        width: Some(80),
        ..viuer::Config::default()
    };
    let _ = viuer::print(&image, &config);
}
