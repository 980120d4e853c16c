//! Commands about the session itself: `help`, `print`, `clear`, `set`, `history`, `save`, `report`.

use crate::error::{Error, ErrorKind};
use crate::lang::suggest::nearest;
use crate::output::FigureFormat;
use crate::output::{Cell, Output, Table, Text};
use crate::session::args::Arguments;
use crate::session::context::Context;
use crate::session::files;
use crate::session::spec::{ArgKind, ArgSpec, CommandSpec, Group};
use std::path::PathBuf;

use super::COMMANDS;

pub const HELP: CommandSpec = CommandSpec {
    name: "help",
    summary: "list the commands, or explain one",
    help: "`help` lists every command with one line each; `help NAME` shows its usage, arguments \
with their defaults and allowed values, and examples. `help feature KEY` (or `help KEY`) shows a \
radiomics feature's formula, references and conventions: `help feature glcm_Contrast`.",
    examples: &[
        "help",
        "help describe",
        "help load table",
        "help feature glcm_Contrast",
    ],
    arguments: &[ArgSpec::positional(
        "topic",
        ArgKind::Words,
        "a command name",
    )],
    group: Group::Session,
    replayable: false,
    run: help,
};

fn help(context: &mut Context<'_>, arguments: &Arguments) -> Result<Output, Error> {
    let topic = arguments.words("topic");
    if topic.is_empty() {
        return Ok(Output::item(Text::help(overview())));
    }
    let wanted = topic.join(" ");
    // `help feature glcm_Contrast`, or the key alone: the feature's formula and references.
    let feature = wanted.strip_prefix("feature ").unwrap_or(&wanted);
    if let Some((prefix, _)) = feature.split_once('_')
        && let Some(family) = crate::features::Family::from_key(prefix)
    {
        return match crate::features::feature_help(feature) {
            Some(text) => Ok(Output::item(Text::help(text))),
            None => {
                let keys = family.feature_keys();
                let suggestion = nearest(feature, keys.iter().map(String::as_str))
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
                Err(Error::invalid(format!(
                    "no feature `{feature}` in the {} family{suggestion}",
                    family.key()
                ))
                .or_at(arguments.span("topic").unwrap_or(context.span)))
            }
        };
    }
    match COMMANDS.iter().find(|spec| spec.name == wanted) {
        Some(spec) => Ok(Output::item(Text::help(command_help(spec)))),
        None => {
            let family: Vec<&CommandSpec> =
                COMMANDS.iter().filter(|s| s.word() == wanted).collect();
            if !family.is_empty() {
                let pages: Vec<String> = family.iter().map(|spec| command_help(spec)).collect();
                return Ok(Output::item(Text::help(pages.join("\n\n"))));
            }
            Err(Error::new(ErrorKind::UnknownCommand {
                name: wanted.clone(),
                suggestion: nearest(&wanted, COMMANDS.iter().map(|s| s.name)).map(str::to_string),
            })
            .or_at(arguments.span("topic").unwrap_or(context.span)))
        }
    }
}

/// Every command, grouped, one line each.
pub fn overview() -> String {
    let mut text = String::from("radnomo commands (`help NAME` for one):\n");
    let width = COMMANDS.iter().map(|s| s.name.len()).max().unwrap_or(0);
    let mut groups: Vec<Group> = COMMANDS.iter().map(|s| s.group).collect();
    groups.sort();
    groups.dedup();
    for group in groups {
        text.push_str(&format!("\n{}\n", group.title()));
        for spec in COMMANDS.iter().filter(|s| s.group == group) {
            text.push_str(&format!("  {:width$}  {}\n", spec.name, spec.summary));
        }
    }
    text.push_str(
        "\nStatements end at `;` or a line break; a line ending in `+`, `,` or `\\` continues. \
`name = command` stores a result; typing `name` shows it again.",
    );
    text
}

/// The help page of one command, all from its declaration.
pub fn command_help(spec: &CommandSpec) -> String {
    let mut text = format!(
        "{} — {}\n\nusage: {}\n\n{}\n",
        spec.name,
        spec.summary,
        spec.usage(),
        spec.help
    );
    if !spec.arguments.is_empty() {
        text.push_str("\narguments:\n");
        let width = spec
            .arguments
            .iter()
            .map(|a| a.name.len())
            .max()
            .unwrap_or(0);
        for argument in spec.arguments {
            let mut line = format!(
                "  {:width$}  {}; {}",
                argument.name,
                argument.help,
                argument.kind.describe()
            );
            if let Some(default) = argument.default {
                line.push_str(&format!(" (default {default})"));
            }
            if argument.required {
                line.push_str(" (required)");
            }
            text.push_str(&line);
            text.push('\n');
        }
    }
    text.push_str("\nexamples:\n");
    for example in spec.examples {
        text.push_str(&format!("  {example}\n"));
    }
    text.trim_end().to_string()
}

pub const PRINT: CommandSpec = CommandSpec {
    name: "print",
    summary: "show a line of text",
    help: "Shows its text as it is: a heading between steps of a script or a notebook, kept in \
`save`d scripts and in the `report`. Quote text with commas or `#`: `print \"Step 2: features\"`.",
    examples: &[
        "print \"Step 2: radiomics features\"",
        "print training cohort only",
    ],
    arguments: &[ArgSpec::positional("text", ArgKind::Words, "the text to show").required()],
    group: Group::Session,
    replayable: true,
    run: print,
};

fn print(_: &mut Context<'_>, arguments: &Arguments) -> Result<Output, Error> {
    Ok(Output::item(Text::info(arguments.words("text").join(" "))))
}

pub const CLEAR: CommandSpec = CommandSpec {
    name: "clear",
    summary: "clear what is shown: the terminal screen, or the notebook cell's output so far",
    help: "In the REPL, clears the screen (as Ctrl-L does); in a notebook, clears what the cell \
has shown so far, so a cell can end with a clean result. The session's data, results and history \
stay as they are.",
    examples: &["clear", "clear; describe"],
    arguments: &[],
    group: Group::Session,
    replayable: false,
    run: |_, _| Ok(Output::cleared()),
};

pub const SET: CommandSpec = CommandSpec {
    name: "set",
    summary: "change or show the session's settings",
    help: "`plots` is the folder plots are written to (created when needed); `seed` is the seed \
of random steps not given their own; `digits` is how many significant digits plain numbers show \
in tables. `figures` are the formats plots are written in — SVG, PNG, vector PDF, LZW-compressed \
TIFF — `dpi` the resolution of PNG and TIFF files (recorded in them), `width` the printed width in \
millimetres (a journal column is about 85, a page 170–180; without it, a plot's own size at 96 \
pixels per inch). Without arguments, shows the settings.",
    examples: &[
        "set",
        "set plots=figures seed=7",
        "set digits=6",
        "set figures=pdf,tiff dpi=600 width=85",
    ],
    arguments: &[
        ArgSpec::keyword("plots", ArgKind::Path, "the folder for plots"),
        ArgSpec::keyword(
            "seed",
            ArgKind::WholeNumber {
                min: 0,
                max: i64::MAX,
            },
            "the default random seed",
        ),
        ArgSpec::keyword(
            "digits",
            ArgKind::WholeNumber { min: 1, max: 15 },
            "significant digits in tables",
        ),
        ArgSpec::keyword(
            "figures",
            ArgKind::Choices(&["svg", "png", "pdf", "tiff"]),
            "the formats plots are written in",
        )
        .default("svg,png"),
        ArgSpec::keyword(
            "dpi",
            ArgKind::WholeNumber { min: 72, max: 1200 },
            "pixels per inch of PNG and TIFF files",
        )
        .default("96"),
        ArgSpec::keyword(
            "width",
            ArgKind::Number {
                min: 20.0,
                max: 500.0,
            },
            "the printed width of plots in millimetres",
        ),
    ],
    group: Group::Session,
    replayable: true,
    run: set,
};

fn set(context: &mut Context<'_>, arguments: &Arguments) -> Result<Output, Error> {
    let settings = &mut context.state.settings;
    if let Some(plots) = arguments.text("plots") {
        settings.plots = PathBuf::from(plots);
    }
    if let Some(seed) = arguments.integer("seed") {
        settings.seed = seed as u64;
    }
    if let Some(digits) = arguments.integer("digits") {
        settings.digits = digits as usize;
    }
    let formats: Vec<FigureFormat> = arguments
        .words("figures")
        .iter()
        .filter_map(|name| FigureFormat::named(name))
        .collect();
    if !formats.is_empty() {
        settings.figures.formats = formats;
    }
    if let Some(dpi) = arguments.integer("dpi") {
        settings.figures.dpi = dpi as u32;
    }
    if let Some(width) = arguments.number("width") {
        settings.figures.width_mm = Some(width);
    }
    let mut table = Table::new("settings", "Settings").with_columns(["setting", "value"]);
    table.add_row(vec![
        Cell::text("plots"),
        Cell::text(settings.plots.display().to_string()),
    ]);
    table.add_row(vec![
        Cell::text("seed"),
        Cell::Integer {
            value: settings.seed as i64,
        },
    ]);
    table.add_row(vec![
        Cell::text("digits"),
        Cell::Integer {
            value: settings.digits as i64,
        },
    ]);
    let figures = &settings.figures;
    let names: Vec<&str> = figures.formats.iter().map(|f| f.extension()).collect();
    table.add_row(vec![Cell::text("figures"), Cell::text(names.join(","))]);
    table.add_row(vec![
        Cell::text("dpi"),
        Cell::Integer {
            value: i64::from(figures.dpi),
        },
    ]);
    table.add_row(vec![
        Cell::text("width"),
        Cell::text(figures.width_mm.map_or(
            "the plot's own size (96 pixels per inch)".to_string(),
            |mm| format!("{mm} mm"),
        )),
    ]);
    Ok(Output::item(table))
}

pub const HISTORY: CommandSpec = CommandSpec {
    name: "history",
    summary: "list the statements run in this session",
    help: "Shows the statements that ran without error, numbered, oldest first (`last=N` for the \
most recent N). `save FILE.rad` writes them as a script.",
    examples: &["history", "history last=5"],
    arguments: &[ArgSpec::keyword(
        "last",
        ArgKind::WholeNumber {
            min: 1,
            max: i64::MAX,
        },
        "how many to show",
    )],
    group: Group::Session,
    replayable: false,
    run: history,
};

fn history(context: &mut Context<'_>, arguments: &Arguments) -> Result<Output, Error> {
    let history = &context.state.history;
    let skip = arguments
        .integer("last")
        .map_or(0, |last| history.len().saturating_sub(last as usize));
    let lines: Vec<String> = history
        .iter()
        .enumerate()
        .skip(skip)
        .map(|(i, entry)| format!("{:>4}  {}", i + 1, entry.text))
        .collect();
    if lines.is_empty() {
        return Ok(Output::item(Text::info("no statements yet")));
    }
    Ok(Output::item(Text::help(lines.join("\n"))))
}

pub const SAVE: CommandSpec = CommandSpec {
    name: "save",
    summary: "write the session's statements as a re-runnable script",
    help: "Writes every statement that ran without error and changed or produced something \
(not `help`, `vars`, `history` or `save`) to a .rad file, which `radnomo run FILE.rad` runs again.",
    examples: &["save session.rad"],
    arguments: &[
        ArgSpec::positional("path", ArgKind::Path, "the .rad file to write").required(),
        OVERWRITE,
    ],
    group: Group::Session,
    replayable: false,
    run: save,
};

/// `overwrite=yes`: replace a file radnomo did not write (see [`crate::session::files`]).
pub const OVERWRITE: ArgSpec = ArgSpec::keyword(
    "overwrite",
    ArgKind::Boolean,
    "replace an existing file radnomo did not write",
)
.default("no");

/// Writes the statement's `path` through [`files::write`], errors pointing at the path.
pub fn write_file(
    context: &Context<'_>,
    arguments: &Arguments,
    bytes: &[u8],
) -> Result<files::Written, Error> {
    let path = std::path::Path::new(arguments.text("path").unwrap_or_default());
    let overwrite = arguments.boolean("overwrite").unwrap_or(false);
    files::write(path, bytes, overwrite)
        .map_err(|e| e.or_at(arguments.span("path").unwrap_or(context.span)))
}

fn save(context: &mut Context<'_>, arguments: &Arguments) -> Result<Output, Error> {
    let path = arguments.text("path").unwrap_or_default();
    let statements: Vec<&str> = context
        .state
        .history
        .iter()
        .filter(|entry| entry.replayable)
        .map(|entry| entry.text.as_str())
        .collect();
    let script = format!(
        "# radnomo {} session, saved by `save`; run it with `radnomo run {path}`\n{}\n",
        env!("CARGO_PKG_VERSION"),
        statements.join("\n")
    );
    let written = write_file(context, arguments, script.as_bytes())?;
    Ok(Output::item(Text::info(format!(
        "wrote {} statements to {path}{}",
        statements.len(),
        written.note()
    ))))
}

pub const REPORT: CommandSpec = CommandSpec {
    name: "report",
    summary: "write the session as a paper's skeleton: HTML, or Markdown with its figures",
    help: "Writes the session as a report to hand in: a title, the date and radnomo's version; a \
summary of the main results; Methods written from what the session ran (patients and split, image \
pre-processing and bias correction, segmentation, feature extraction and its IBSI compliance, the \
LASSO signature and its folds, model development, validation and its replicates, statistics, \
software), each method with the works it follows, numbered as references; Results with Table 1, \
the signature, the models with odds ratios and 95% intervals, the performance table (AUC with its \
interval, sensitivity, specificity, accuracy, PPV and NPV at the Youden threshold, training and \
validation) and the validation tables, and every figure numbered with its caption; a rigor check \
(selection repeated inside validation, events per candidate, calibration, external validation, \
feature robustness — each done, not applicable, or to address with the command that does it), \
also printed; the whole session, statement by statement with warnings labelled, as an appendix; \
the settings. A `.html` \
path gives one self-contained page (inline SVG, nothing fetched); a `.md` path gives Markdown \
with the figures (SVG and PNG) in a folder beside it, `NAME-figures/`. Only statements that ran \
without error are reported.",
    examples: &[
        "report study.html",
        "report study.md title=\"Radiomics nomogram for ALN metastasis\"",
    ],
    arguments: &[
        ArgSpec::positional("path", ArgKind::Path, "the .html or .md file to write").required(),
        ArgSpec::keyword(
            "title",
            ArgKind::Name,
            "the report's title, quoted (default: Radiomics nomogram for `OUTCOME`)",
        ),
        OVERWRITE,
    ],
    group: Group::Session,
    replayable: false,
    run: report,
};

fn report(context: &mut Context<'_>, arguments: &Arguments) -> Result<Output, Error> {
    use crate::render::report::{About, Document, Entry, html, markdown};
    let path = arguments.text("path").unwrap_or_default();
    let at_path = |message: String| {
        Error::invalid(message).or_at(arguments.span("path").unwrap_or(context.span))
    };
    let extension = std::path::Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let markdown_wanted = match extension.as_deref() {
        Some("html" | "htm") => false,
        Some("md" | "markdown") => true,
        _ => {
            return Err(at_path(format!(
                "`{path}`: a report is written as .html (one self-contained page) or .md (Markdown with its figures beside it); name the file with one of these endings"
            )));
        }
    };
    let state = &context.state;
    let entries: Vec<Entry<'_>> = state
        .history
        .iter()
        .map(|entry| Entry {
            statement: &entry.text,
            target: entry.target.as_deref(),
            output: &entry.output,
        })
        .collect();
    let outcome = state.data.as_ref().and_then(|d| d.outcome.clone());
    let title = match (arguments.text("title"), outcome) {
        (Some(title), _) => title.to_string(),
        (None, Some(outcome)) => format!("Radiomics nomogram for `{outcome}`"),
        (None, None) => "radnomo session".to_string(),
    };
    let (now, _) = crate::calendar::Civil::now();
    let about = About {
        title,
        date: format!("{:04}-{:02}-{:02}", now.year, now.month, now.day),
        version: env!("CARGO_PKG_VERSION"),
        seed: state.settings.seed,
        settings: vec![
            ("radnomo".to_string(), env!("CARGO_PKG_VERSION").to_string()),
            ("seed".to_string(), state.settings.seed.to_string()),
            ("digits".to_string(), state.settings.digits.to_string()),
            (
                "plots".to_string(),
                state.settings.plots.display().to_string(),
            ),
            ("statements".to_string(), entries.len().to_string()),
        ],
    };
    let checks = [super::rigor::rigor_check(state)];
    let document = Document::new(&about, &entries, &checks);
    let digits = state.settings.digits;
    let summary = format!(
        "{} statements, {} tables, {} figures, {} references",
        entries.len(),
        document
            .results
            .iter()
            .filter(|b| matches!(b, crate::render::report::Block::Table { .. }))
            .count(),
        document.figures.len(),
        document.references.len()
    );
    if !markdown_wanted {
        let page = html::page(&document, digits);
        let written = write_file(context, arguments, page.as_bytes())?;
        return Ok(Output::item(Text::info(format!(
            "wrote the report ({summary}) to {path}{}",
            written.note()
        )))
        .with(checks[0].clone()));
    }
    let target = std::path::Path::new(path);
    let stem = target
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("report");
    let folder_name = format!("{stem}-figures");
    let folder = target.with_file_name(&folder_name);
    let (text, figures) = markdown::document(&document, digits, &folder_name)
        .map_err(|message| Error::invalid(format!("a figure could not be drawn: {message}")))?;
    // Every file is checked before any is written, so a refusal leaves nothing half-written.
    let overwrite = arguments.boolean("overwrite").unwrap_or(false);
    for figure in &figures {
        crate::session::files::may_write(&folder.join(&figure.name), overwrite)
            .map_err(|e| e.or_at(arguments.span("path").unwrap_or(context.span)))?;
    }
    let written = write_file(context, arguments, text.as_bytes())?;
    for figure in &figures {
        crate::session::files::write(&folder.join(&figure.name), &figure.bytes, overwrite)
            .map_err(|e| e.or_at(arguments.span("path").unwrap_or(context.span)))?;
    }
    Ok(Output::item(Text::info(format!(
        "wrote the report ({summary}) to {path}{}, its figures to {}",
        written.note(),
        folder.display()
    )))
    .with(checks[0].clone()))
}
