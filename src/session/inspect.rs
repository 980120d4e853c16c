//! Help for the word under the cursor: the REPL's Shift-Tab and Jupyter's `inspect_request`.
//! A feature key gives its formula and references, an argument name its line of the command's
//! help, a command (or anything else in its statement) the command's help page.

use super::commands::meta::command_help;
use super::complete::{CommandLookup, command_of};
use crate::lang::highlight::{TokenClass, tokens};
use crate::lang::lexical::is_delimiter;

/// The help text for the word at byte `cursor` of `line`, or `None` when there is nothing to say.
pub fn inspect(line: &str, cursor: usize) -> Option<String> {
    let cursor = crate::lang::span::floor_char_boundary(line, cursor.min(line.len()));
    let start = line[..cursor]
        .char_indices()
        .rev()
        .find(|(_, c)| is_delimiter(*c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = line[cursor..]
        .char_indices()
        .find(|(_, c)| is_delimiter(*c))
        .map_or(line.len(), |(i, _)| cursor + i);
    let word = &line[start..end];
    if word.contains('_')
        && let Some(text) = crate::features::feature_help(word)
    {
        return Some(text);
    }
    // The statement the cursor is in, and its command.
    let statement_start = line[..start].rfind([';', '\n']).map_or(0, |i| i + 1);
    let statement_end = line[end..]
        .find([';', '\n'])
        .map_or(line.len(), |i| end + i);
    let statement = &line[statement_start..statement_end];
    let classified = tokens(statement);
    let words: Vec<&str> = classified
        .iter()
        .filter(|(_, class)| *class != TokenClass::Punctuation)
        .map(|(span, _)| span.text(statement))
        .collect();
    let command_index = classified
        .iter()
        .filter(|(_, class)| *class != TokenClass::Punctuation)
        .position(|(_, class)| *class == TokenClass::Command)?;
    let spec = match command_of(words[command_index], &words[command_index + 1..]) {
        CommandLookup::Found(spec) => spec,
        _ => return None,
    };
    if let Some(argument) = spec.argument(word) {
        let mut text = format!(
            "{} {}: {}; {}",
            spec.name,
            argument.name,
            argument.help,
            argument.kind.describe()
        );
        if let Some(default) = argument.default {
            text.push_str(&format!(" (default {default})"));
        }
        return Some(text);
    }
    Some(command_help(spec))
}

#[cfg(test)]
mod tests {
    use super::inspect;

    #[test]
    fn a_feature_key_gives_its_formula() {
        let line = "help feature glcm_Contrast";
        let text = inspect(line, line.len() - 3).unwrap();
        assert!(
            text.starts_with("glcm_Contrast — a feature of the glcm family"),
            "{text}"
        );
    }

    #[test]
    fn an_argument_gives_its_line_and_a_command_its_page() {
        let line = "load cohort; extract glcm binwidth=25";
        let at = line.find("binwidth").unwrap() + 2;
        assert_eq!(
            inspect(line, at).unwrap(),
            "extract binwidth: grey-level bin width; a number from 0.000000001 to 1000000000 (default 25)"
        );
        let text = inspect(line, line.find("extract").unwrap()).unwrap();
        assert!(
            text.starts_with("extract — compute radiomics features"),
            "{text}"
        );
        assert!(inspect("nonsense words", 3).is_none());
    }
}
