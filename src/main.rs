//! The `radnomo` command: the REPL in a terminal, or a script runner.

use clap::{Parser, Subcommand};
use radnomo::Session;
use radnomo::frontend::{self, display::Printer, script};
use radnomo::render::Format;
use std::io::{IsTerminal, Read};
use std::process::ExitCode;

/// radnomo — a small language for radiomics nomogram studies.
///
/// With no arguments in a terminal, opens the REPL; with text piped in, runs it as a script.
#[derive(Parser)]
#[command(version, about, long_about = None)]
struct Cli {
    /// Run these statements and exit (`radnomo -e 'load table demo.csv outcome=aln; describe'`).
    #[arg(short = 'e', long = "execute", value_name = "STATEMENTS")]
    execute: Option<String>,

    /// How results are printed: text (terminal tables), json (one document per statement result),
    /// markdown, html or csv.
    #[arg(long, default_value = "text", value_parser = ["text", "json", "markdown", "md", "html", "csv"])]
    format: String,

    /// The folder plots are written to (default radnomo-out; `set plots=DIR` changes it later).
    #[arg(long, value_name = "DIR")]
    plots: Option<std::path::PathBuf>,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run a .rad script.
    Run { file: String },
    /// Parse and check a .rad script without running it.
    Check { file: String },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    frontend::install_panic_hook();
    let format = Format::parse(&cli.format).unwrap_or(Format::Text);
    let stdout_is_terminal = std::io::stdout().is_terminal();
    let printer = Printer {
        format,
        width: if stdout_is_terminal {
            crossterm::terminal::size().ok().map(|(w, _)| w)
        } else {
            None
        },
        inline_images: stdout_is_terminal && format == Format::Text,
    };
    let mut session = Session::new();
    if std::io::stderr().is_terminal() && format == Format::Text {
        session.set_progress(std::sync::Arc::new(
            frontend::progress::TerminalProgress::default(),
        ));
    }
    if let Some(plots) = cli.plots {
        session.settings_mut().plots = plots;
    }
    let ok = match (&cli.command, &cli.execute) {
        (Some(Command::Run { file }), _) => match std::fs::read_to_string(file) {
            Ok(source) => script::run(&mut session, &source, file, &printer),
            Err(e) => {
                eprintln!("error: {file}: {e}");
                false
            }
        },
        (Some(Command::Check { file }), _) => match std::fs::read_to_string(file) {
            Ok(source) => script::check(&source, file, &printer),
            Err(e) => {
                eprintln!("error: {file}: {e}");
                false
            }
        },
        (None, Some(statements)) => script::run(&mut session, statements, "-e", &printer),
        (None, None) if std::io::stdin().is_terminal() && format == Format::Text => {
            return match frontend::repl::run(session) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: the terminal failed: {e}");
                    ExitCode::FAILURE
                }
            };
        }
        (None, None) => {
            let mut source = String::new();
            match std::io::stdin().read_to_string(&mut source) {
                Ok(_) => script::run(&mut session, &source, "<stdin>", &printer),
                Err(e) => {
                    eprintln!("error: reading standard input: {e}");
                    false
                }
            }
        }
    };
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
