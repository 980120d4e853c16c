//! The terminal REPL on reedline: highlighting, Tab completion, history hints, multi-line input,
//! a persistent history file. Ctrl-C at the prompt clears the line and during a command cancels
//! it; Ctrl-D leaves. Every error is shown and the session goes on.

use super::display::Printer;
use crate::lang::highlight::{TokenClass, tokens};
use crate::lang::needs_more_input;
use crate::output::Text;
use crate::render::Format;
use crate::session::{Session, rollback_note};
use nu_ansi_term::{Color, Style};
use reedline::{
    ColumnarMenu, Completer, CompletionResult, DefaultHinter, Emacs, FileBackedHistory,
    Highlighter, KeyCode, KeyModifiers, MenuBuilder, Prompt, PromptEditMode, PromptHistorySearch,
    Reedline, ReedlineEvent, ReedlineMenu, Signal, StyledText, Suggestion, ValidationResult,
    Validator, default_emacs_keybindings,
};
use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

type Shared = Arc<Mutex<Session>>;

/// Runs the REPL until Ctrl-D or `exit`/`quit`.
pub fn run(session: Session) -> std::io::Result<()> {
    let session: Shared = Arc::new(Mutex::new(session));
    let cancel = session.lock().map(|s| s.cancel_flag()).ok();
    if let Some(cancel) = cancel {
        // While a command runs the terminal is in normal mode and Ctrl-C arrives as SIGINT.
        let _ = ctrlc::set_handler(move || cancel.cancel());
    }
    let mut editor = editor(&session);
    println!(
        "radnomo {} — `help` lists the commands, Tab completes, Shift-Tab explains the word under \
         the cursor, Ctrl-D leaves.",
        env!("CARGO_PKG_VERSION")
    );
    let prompt = RadnomoPrompt;
    loop {
        match editor.read_line(&prompt)? {
            Signal::Success(line) => {
                let trimmed = line.trim();
                if trimmed == "exit" || trimmed == "quit" {
                    break;
                }
                if trimmed.is_empty() {
                    continue;
                }
                // Rendering runs outside the session's own panic boundary: guard it here too,
                // so nothing a command prints can end the REPL.
                let guarded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    evaluate(&session, &line)
                }));
                if guarded.is_err() {
                    eprintln!(
                        "error: internal error while showing the result{}; the session goes on",
                        super::last_panic_location()
                    );
                }
            }
            // Shift-Tab: help for the word under the cursor; the line stays as it was.
            Signal::HostCommand(command) if command == INSPECT => {
                let (line, cursor) = (
                    editor.current_buffer_contents().to_string(),
                    editor.current_insertion_point(),
                );
                let help = session
                    .lock()
                    .ok()
                    .and_then(|session| session.inspect(&line, cursor));
                let text = help.unwrap_or_else(|| {
                    "Shift-Tab shows help for a command, an argument or a feature key under the \
                     cursor."
                        .into()
                });
                println!("{}", crate::render::terminal::text(&Text::help(text)));
            }
            Signal::CtrlC => continue,
            Signal::CtrlD => break,
            _ => continue,
        }
    }
    Ok(())
}

/// Runs one input and prints its results or its error.
fn evaluate(session: &Shared, line: &str) {
    // A panic while printing poisons the lock; the session itself is intact, so take it back.
    let mut session = session
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let printer = Printer {
        format: Format::Text,
        width: crossterm::terminal::size().ok().map(|(w, _)| w),
        inline_images: true,
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut ran = 0;
    let result = session.execute_with(line, |result| {
        ran += 1;
        let text = result.statement.span.text(line);
        let _ = printer.print_output(&mut out, result.settings, text, 1, &result.output);
    });
    if let Err(mut error) = result {
        if let crate::error::ErrorKind::Internal { message } = error.kind.as_mut() {
            message.push_str(&super::last_panic_location());
        }
        let _ = printer.print_error(&mut out, &mut std::io::stderr(), line, None, &error);
        if ran > 0 {
            eprintln!("{}", crate::render::terminal::text(&rollback_note()));
        }
    }
}

/// The host command Shift-Tab sends: inspect the word under the cursor.
const INSPECT: &str = "inspect";

fn editor(session: &Shared) -> Reedline {
    let mut keybindings = default_emacs_keybindings();
    keybindings.add_binding(
        KeyModifiers::SHIFT,
        KeyCode::BackTab,
        ReedlineEvent::ExecuteHostCommand(INSPECT.to_string()),
    );
    keybindings.add_binding(
        KeyModifiers::NONE,
        KeyCode::Tab,
        ReedlineEvent::UntilFound(vec![
            ReedlineEvent::Menu("completion_menu".to_string()),
            ReedlineEvent::MenuNext,
        ]),
    );
    let menu = ColumnarMenu::default().with_name("completion_menu");
    let mut editor = Reedline::create()
        .with_completer(Box::new(RadnomoCompleter(session.clone())))
        .with_menu(ReedlineMenu::EngineCompleter(Box::new(menu)))
        .with_edit_mode(Box::new(Emacs::new(keybindings)))
        .with_highlighter(Box::new(RadnomoHighlighter(session.clone())))
        .with_validator(Box::new(RadnomoValidator))
        .with_hinter(Box::new(
            DefaultHinter::default().with_style(Style::new().fg(Color::DarkGray)),
        ))
        .with_quick_completions(true)
        .with_partial_completions(true);
    if let Some(path) = history_path()
        && let Ok(history) = FileBackedHistory::with_file(10_000, path)
    {
        editor = editor.with_history(Box::new(history));
    }
    editor
}

/// `$RADNOMO_HISTORY`, else `$XDG_DATA_HOME/radnomo/history`, else `~/.local/share/radnomo/history`.
fn history_path() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("RADNOMO_HISTORY") {
        return Some(PathBuf::from(path));
    }
    let data = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".local/share"))
        })?;
    let folder = data.join("radnomo");
    std::fs::create_dir_all(&folder).ok()?;
    Some(folder.join("history"))
}

struct RadnomoCompleter(Shared);

impl Completer for RadnomoCompleter {
    fn complete(&mut self, line: &str, pos: usize) -> CompletionResult {
        let session = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let completion = session.complete(line, pos);
        let suggestions: Vec<Suggestion> = completion
            .candidates
            .into_iter()
            .map(|candidate| Suggestion {
                append_whitespace: !candidate.text.ends_with('=') && !candidate.text.ends_with('/'),
                value: candidate.text,
                description: (!candidate.description.is_empty()).then_some(candidate.description),
                span: reedline::Span::new(completion.start, completion.end),
                ..Suggestion::default()
            })
            .collect();
        CompletionResult::fresh(suggestions)
    }
}

struct RadnomoHighlighter(Shared);

impl Highlighter for RadnomoHighlighter {
    fn highlight(&self, line: &str, _cursor: usize) -> StyledText {
        let known = |word: &str| {
            self.0
                .lock()
                .map(|s| s.is_known_command(word))
                .unwrap_or(true)
        };
        let mut styled = StyledText::new();
        let mut at = 0;
        for (span, class) in tokens(line) {
            if span.start > at {
                styled.push((Style::new(), line[at..span.start].to_string()));
            }
            let text = span.text(line);
            let style = match class {
                TokenClass::Command if known(text) => Style::new().fg(Color::Green).bold(),
                TokenClass::Command => Style::new().fg(Color::Red).bold(),
                TokenClass::Target => Style::new().fg(Color::Purple).bold(),
                TokenClass::Key => Style::new().fg(Color::Cyan),
                TokenClass::Number | TokenClass::Boolean => Style::new().fg(Color::Yellow),
                TokenClass::String => Style::new().fg(Color::Magenta),
                TokenClass::Comment => Style::new().fg(Color::DarkGray).italic(),
                TokenClass::Invalid => Style::new().fg(Color::Red).underline(),
                TokenClass::Punctuation | TokenClass::Word => Style::new(),
            };
            styled.push((style, text.to_string()));
            at = span.end;
        }
        if at < line.len() {
            styled.push((Style::new(), line[at..].to_string()));
        }
        styled
    }
}

struct RadnomoValidator;

impl Validator for RadnomoValidator {
    fn validate(&self, line: &str) -> ValidationResult {
        if needs_more_input(line) {
            ValidationResult::Incomplete
        } else {
            ValidationResult::Complete
        }
    }
}

struct RadnomoPrompt;

impl Prompt for RadnomoPrompt {
    fn render_prompt_left(&self) -> Cow<'_, str> {
        Cow::Borrowed("radnomo")
    }

    fn render_prompt_right(&self) -> Cow<'_, str> {
        Cow::Borrowed("")
    }

    fn render_prompt_indicator(&self, _mode: PromptEditMode) -> Cow<'_, str> {
        Cow::Borrowed("> ")
    }

    fn render_prompt_multiline_indicator(&self) -> Cow<'_, str> {
        Cow::Borrowed("    ...> ")
    }

    fn render_prompt_history_search_indicator(&self, search: PromptHistorySearch) -> Cow<'_, str> {
        Cow::Owned(format!("(search: {}) ", search.term))
    }
}
