//! The `radnomo` command: the REPL in a terminal, or a script runner.

use clap::{Parser, Subcommand};
use radnomo::Session;
use radnomo::frontend::{self, display::Printer, script};
use radnomo::render::Format;
use std::io::{IsTerminal, Read};
use std::process::ExitCode;

/// radnomo — a small language for radiomics nomogram studies.
///
/// With no arguments in a terminal, opens the REPL; with text piped in, runs it as a script. A
/// script (piped, `run FILE` or `-e`) stops at its first error with exit status 1, unless
/// `--keep-going`.
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
    /// Go on after an error, as the REPL does: each line of the script (with its continuation
    /// lines) runs on its own; errors are printed and the exit status is 1 if any line failed.
    /// Without it a script stops at its first error.
    #[arg(long)]
    keep_going: bool,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run a .rad script.
    Run { file: String },
    /// Parse and check a .rad script without running it.
    Check { file: String },
    /// Run as a Jupyter kernel (`--connection-file`), or install / uninstall its kernelspec.
    Kernel {
        /// The connection file a Jupyter client passes.
        #[arg(long, value_name = "FILE")]
        connection_file: Option<std::path::PathBuf>,
        #[command(subcommand)]
        action: Option<KernelAction>,
    },
}

#[derive(Subcommand)]
enum KernelAction {
    /// Write the kernelspec so Jupyter (Lab, Notebook, nbclient, Quarto, VS Code) lists radnomo.
    Install {
        #[command(flatten)]
        place: KernelPlace,
    },
    /// Remove the kernelspec.
    Uninstall {
        #[command(flatten)]
        place: KernelPlace,
    },
}

#[derive(clap::Args)]
struct KernelPlace {
    /// In the user's Jupyter data folder (the default).
    #[arg(long, conflicts_with_all = ["sys_prefix", "prefix"])]
    user: bool,
    /// In the active Python environment (VIRTUAL_ENV or CONDA_PREFIX).
    #[arg(long)]
    sys_prefix: bool,
    /// Under DIR/share/jupyter/kernels.
    #[arg(long, value_name = "DIR", conflicts_with = "sys_prefix")]
    prefix: Option<std::path::PathBuf>,
    /// The kernelspec's name.
    #[arg(long, default_value = "radnomo")]
    name: String,
}

impl KernelPlace {
    fn location(&self) -> frontend::kernel::spec::Location {
        use frontend::kernel::spec::Location;
        match (&self.prefix, self.sys_prefix) {
            (Some(dir), _) => Location::Prefix(dir.clone()),
            (None, true) => Location::SysPrefix,
            (None, false) => Location::User,
        }
    }
}

fn kernel(connection_file: Option<&std::path::Path>, action: Option<&KernelAction>) -> bool {
    use frontend::kernel::spec;
    let result = match (action, connection_file) {
        (Some(KernelAction::Install { place }), _) => std::env::current_exe()
            .map_err(|e| format!("cannot find radnomo's own path: {e}"))
            .and_then(|program| spec::install(&place.location(), &place.name, &program))
            .map(|folder| {
                println!(
                    "installed the kernelspec `{}` in {}",
                    place.name,
                    folder.display()
                )
            }),
        (Some(KernelAction::Uninstall { place }), _) => {
            spec::uninstall(&place.location(), &place.name)
                .map(|folder| println!("removed {}", folder.display()))
        }
        (None, Some(file)) => frontend::kernel::run(file),
        (None, None) => {
            Err("give --connection-file FILE (Jupyter does), or `install` / `uninstall`".into())
        }
    };
    match result {
        Ok(()) => true,
        Err(message) => {
            eprintln!("error: {message}");
            false
        }
    }
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
    let run = if cli.keep_going {
        script::run_keep_going
    } else {
        script::run
    };
    let ok = match (&cli.command, &cli.execute) {
        (Some(Command::Run { file }), _) => match std::fs::read_to_string(file) {
            Ok(source) => run(&mut session, &source, file, &printer),
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
        (
            Some(Command::Kernel {
                connection_file,
                action,
            }),
            _,
        ) => kernel(connection_file.as_deref(), action.as_ref()),
        (None, Some(statements)) => run(&mut session, statements, "-e", &printer),
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
                Ok(_) => run(&mut session, &source, "<stdin>", &printer),
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
