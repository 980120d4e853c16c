//! Completion: what may come at the cursor, from the command table and the session's data.
//! The REPL's Tab and Jupyter's `complete_request` both call this.

use super::commands::COMMANDS;
use super::spec::{ArgKind, CommandSpec};
use super::state::State;
use crate::lang::highlight::{TokenClass, tokens};
use crate::lang::lexical::is_delimiter;

/// What can replace `line[start..end]`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Completion {
    pub start: usize,
    pub end: usize,
    pub candidates: Vec<Candidate>,
}

/// One candidate: the text that replaces the word, and a short description.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub text: String,
    pub description: String,
}

pub fn complete(state: &State, line: &str, cursor: usize) -> Completion {
    let cursor = crate::lang::span::floor_char_boundary(line, cursor.min(line.len()));
    let before = &line[..cursor];
    let start = before
        .char_indices()
        .rev()
        .find(|(_, c)| is_delimiter(*c) && *c != '\\')
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = &before[start..];
    let statement_start = before.rfind([';', '\n']).map_or(0, |i| i + 1);
    let statement = &before[statement_start..start];
    let mut candidates = candidates_for(state, statement, word);
    candidates.retain(|c| {
        c.text.starts_with(word) && c.text != word || word.is_empty() && !c.text.is_empty()
    });
    candidates.sort_by(|a, b| a.text.cmp(&b.text));
    candidates.dedup_by(|a, b| a.text == b.text);
    Completion {
        start,
        end: cursor,
        candidates,
    }
}

/// Candidates given the statement text before the word being typed.
fn candidates_for(state: &State, statement: &str, word: &str) -> Vec<Candidate> {
    let classified = tokens(statement);
    let words: Vec<(&str, TokenClass)> = classified
        .iter()
        .map(|(span, class)| (span.text(statement), *class))
        .collect();
    let command_index = words
        .iter()
        .position(|(_, class)| *class == TokenClass::Command);
    let Some(command_index) = command_index else {
        return command_words(state);
    };
    let command_word = words[command_index].0;
    let arguments: Vec<&str> = words[command_index + 1..]
        .iter()
        .map(|(text, _)| *text)
        .collect();
    let spec = match command_of(command_word, &arguments) {
        CommandLookup::Found(spec) => spec,
        CommandLookup::NeedsSubcommand(family) if arguments.is_empty() => {
            return family
                .iter()
                .filter_map(|s| s.subcommand().map(|sub| candidate(sub, s.summary)))
                .collect();
        }
        _ => return Vec::new(),
    };
    let trimmed = statement.trim_end_matches([' ', '\t']);
    let touching = trimmed.len() == statement.len();
    // `key=` right before the word: complete the value of `key`.
    if touching && trimmed.ends_with('=') {
        let key = words
            .iter()
            .rev()
            .find(|(_, class)| *class == TokenClass::Key)
            .map(|(t, _)| *t);
        if let Some(argument) = key.and_then(|k| spec.argument(k)) {
            return values_for(state, argument.kind, word);
        }
        return Vec::new();
    }
    // After `+` or `,`: another formula term or list item.
    if trimmed.ends_with('+') || trimmed.ends_with(',') {
        return columns(state);
    }
    let mut out: Vec<Candidate> = spec
        .arguments
        .iter()
        .filter(|a| a.kind != ArgKind::Assignments && !statement.contains(&format!("{}=", a.name)))
        .map(|a| Candidate {
            text: format!("{}=", a.name),
            description: a.help.to_string(),
        })
        .collect();
    if spec.assignments().is_some() {
        out.extend(columns(state).into_iter().map(|c| Candidate {
            text: format!("{}=", c.text),
            description: c.description,
        }));
    }
    let positional_given = words[command_index + 1..]
        .iter()
        .filter(|(_, class)| *class != TokenClass::Key && *class != TokenClass::Punctuation)
        .count()
        .saturating_sub(usize::from(spec.subcommand().is_some()));
    if let Some(next) = spec.positionals().nth(positional_given) {
        out.extend(values_for(state, next.kind, word));
    }
    out
}

/// What a statement's command word (and the words after it) name.
pub(super) enum CommandLookup {
    Found(&'static CommandSpec),
    /// A family such as `load` whose subcommand is missing or unknown.
    NeedsSubcommand(Vec<&'static CommandSpec>),
    Unknown,
}

/// The command that `command_word` followed by `arguments` names.
pub(super) fn command_of(command_word: &str, arguments: &[&str]) -> CommandLookup {
    let family: Vec<&'static CommandSpec> = COMMANDS
        .iter()
        .filter(|s| s.word() == command_word)
        .collect();
    if let Some(spec) = family.iter().find(|s| s.name == command_word) {
        return CommandLookup::Found(spec);
    }
    if family.is_empty() {
        return CommandLookup::Unknown;
    }
    match arguments
        .first()
        .and_then(|sub| family.iter().find(|s| s.subcommand() == Some(sub)))
    {
        Some(spec) => CommandLookup::Found(spec),
        None => CommandLookup::NeedsSubcommand(family),
    }
}

fn candidate(text: &str, description: &str) -> Candidate {
    Candidate {
        text: text.to_string(),
        description: description.to_string(),
    }
}

fn command_words(state: &State) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = Vec::new();
    for spec in COMMANDS {
        let description = if spec.subcommand().is_some() {
            format!("{} …", spec.name)
        } else {
            spec.summary.to_string()
        };
        out.push(candidate(spec.word(), &description));
    }
    out.extend(
        state
            .variables
            .keys()
            .map(|name| candidate(name, "stored result")),
    );
    out
}

fn columns(state: &State) -> Vec<Candidate> {
    state
        .data
        .as_ref()
        .map(|data| {
            data.columns
                .iter()
                .map(|c| candidate(&c.name, &c.type_name()))
                .collect()
        })
        .unwrap_or_default()
}

fn models(state: &State) -> Vec<Candidate> {
    state
        .models()
        .map(|(name, _)| candidate(name, "stored model"))
        .collect()
}

fn patients(state: &State) -> Vec<Candidate> {
    state
        .images
        .as_ref()
        .map(|cohort| {
            cohort
                .patients
                .iter()
                .map(|p| candidate(&p.id, "patient"))
                .collect()
        })
        .unwrap_or_default()
}

fn values_for(state: &State, kind: ArgKind, word: &str) -> Vec<Candidate> {
    match kind {
        ArgKind::Choice(choices) | ArgKind::Choices(choices) => {
            choices.iter().map(|c| candidate(c, "")).collect()
        }
        ArgKind::Boolean => vec![candidate("yes", ""), candidate("no", "")],
        ArgKind::Column | ArgKind::Columns => columns(state),
        ArgKind::Formula => {
            let mut out = models(state);
            out.extend(columns(state));
            out
        }
        ArgKind::Model => models(state),
        ArgKind::Path => paths(word),
        ArgKind::Patient => patients(state),
        _ => Vec::new(),
    }
}

/// Files and folders whose path starts with `word` (folders end in `/`).
fn paths(word: &str) -> Vec<Candidate> {
    let (folder, _) = match word.rfind('/') {
        Some(i) => (&word[..=i], &word[i + 1..]),
        None => ("", word),
    };
    let read_from = if folder.is_empty() { "." } else { folder };
    let Ok(entries) = std::fs::read_dir(read_from) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if name.starts_with('.') && !word.ends_with('.') && !word.contains("/.") {
            continue;
        }
        let is_folder = entry.file_type().is_ok_and(|t| t.is_dir());
        let text = format!("{folder}{name}{}", if is_folder { "/" } else { "" });
        out.push(candidate(&text, if is_folder { "folder" } else { "file" }));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{Column, Dataset};

    fn state_with_columns() -> State {
        let mut state = State::default();
        let columns = ["age", "aln", "grade", "multifocal"]
            .iter()
            .map(|n| Column::numeric(*n, vec![Some(1.0)]))
            .collect();
        state.data = Some(Dataset::new("t.csv", columns));
        state
    }

    fn texts(state: &State, line: &str) -> Vec<String> {
        complete(state, line, line.len())
            .candidates
            .into_iter()
            .map(|c| c.text)
            .collect()
    }

    #[test]
    fn commands_arguments_values_and_columns() {
        let state = state_with_columns();
        assert_eq!(texts(&state, "desc"), ["describe"]);
        assert_eq!(texts(&state, "load t"), ["table"]);
        assert!(texts(&state, "describe co").contains(&"cohort=".to_string()));
        assert_eq!(texts(&state, "describe cohort=tr"), ["train"]);
        assert_eq!(texts(&state, "describe by=a"), ["age", "aln"]);
        assert_eq!(
            texts(&state, "plot grade by=aln; describe median=age,mul"),
            ["multifocal"]
        );
        assert_eq!(texts(&state, "plot g"), ["grade"]);
    }

    #[test]
    fn the_replaced_range_is_the_word_at_the_cursor() {
        let state = state_with_columns();
        let completion = complete(&state, "describe by=al", 14);
        assert_eq!((completion.start, completion.end), (12, 14));
    }
}
