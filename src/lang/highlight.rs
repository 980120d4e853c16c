//! Token classes for syntax highlighting. Tolerant: it classifies half-typed and wrong input too,
//! because the REPL highlights while the user types. It shares the parser's lexical rules
//! (`lexical`) so colours and parsing never disagree on where a word ends.

use super::ast::AtomKind;
use super::lexical::{bare_length, classify};
use super::span::Span;

/// What a piece of text is, for colouring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenClass {
    /// The first word of a statement (`lasso`).
    Command,
    /// The name stored by `name = ...`.
    Target,
    /// `cv` in `cv=10`.
    Key,
    Number,
    String,
    Boolean,
    /// Any other word: a path, a column, a choice.
    Word,
    /// `=`, `+`, `,`, `;`, `(`, `)`, `\`
    Punctuation,
    Comment,
    /// An unterminated string.
    Invalid,
}

/// Splits `line` into classified tokens (white space is left out).
pub fn tokens(line: &str) -> Vec<(Span, TokenClass)> {
    let mut out = Vec::new();
    let mut at_statement_start = true;
    let mut i = 0;
    while i < line.len() {
        let rest = &line[i..];
        let c = rest.chars().next().unwrap_or(' ');
        if c == '\n' || c == ';' {
            if c == ';' {
                out.push((Span::new(i, i + 1), TokenClass::Punctuation));
                at_statement_start = true;
            } else if !continues_on_next_line(line, &out) {
                at_statement_start = true;
            }
            i += 1;
            continue;
        }
        if c.is_whitespace() {
            i += c.len_utf8();
            continue;
        }
        if c == '#' {
            let end = rest.find('\n').map_or(line.len(), |n| i + n);
            out.push((Span::new(i, end), TokenClass::Comment));
            i = end;
            continue;
        }
        if c == '"' {
            let (end, class) = string_end(line, i);
            out.push((Span::new(i, end), class));
            i = end;
            at_statement_start = false;
            continue;
        }
        let length = bare_length(rest);
        if length == 0 {
            out.push((Span::new(i, i + c.len_utf8()), TokenClass::Punctuation));
            i += c.len_utf8();
            continue;
        }
        let word = &rest[..length];
        let after = rest[length..].trim_start_matches([' ', '\t']);
        let followed_by_equals = after.starts_with('=');
        let class = if at_statement_start && followed_by_equals {
            TokenClass::Target
        } else if at_statement_start {
            at_statement_start = false;
            TokenClass::Command
        } else if followed_by_equals {
            TokenClass::Key
        } else {
            match classify(word) {
                AtomKind::Number(_) | AtomKind::Percentage(_) | AtomKind::Range(..) => {
                    TokenClass::Number
                }
                AtomKind::Boolean(_) => TokenClass::Boolean,
                _ => TokenClass::Word,
            }
        };
        out.push((Span::new(i, i + length), class));
        i += length;
    }
    out
}

/// True when the last token before a line break is `+`, `,` or `\` (the statement goes on).
fn continues_on_next_line(line: &str, tokens: &[(Span, TokenClass)]) -> bool {
    tokens
        .iter()
        .rev()
        .find(|(_, class)| *class != TokenClass::Comment)
        .is_some_and(|(span, class)| {
            *class == TokenClass::Punctuation && matches!(span.text(line), "+" | "," | "\\")
        })
}

/// Where the string starting at `start` ends, and whether it was closed on its line.
fn string_end(line: &str, start: usize) -> (usize, TokenClass) {
    let mut escaped = false;
    for (offset, c) in line[start + 1..].char_indices() {
        let at = start + 1 + offset;
        match c {
            '\n' => return (at, TokenClass::Invalid),
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return (at + 1, TokenClass::String),
            _ => escaped = false,
        }
    }
    (line.len(), TokenClass::Invalid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use TokenClass::*;

    fn classes(line: &str) -> Vec<(&str, TokenClass)> {
        tokens(line)
            .into_iter()
            .map(|(span, class)| (span.text(line), class))
            .collect()
    }

    #[test]
    fn a_statement_is_coloured_by_role() {
        assert_eq!(
            classes("m = fit a+b cv=10 \"x y\" yes # note"),
            vec![
                ("m", Target),
                ("=", Punctuation),
                ("fit", Command),
                ("a", Word),
                ("+", Punctuation),
                ("b", Word),
                ("cv", Key),
                ("=", Punctuation),
                ("10", Number),
                ("\"x y\"", String),
                ("yes", Boolean),
                ("# note", Comment),
            ]
        );
    }

    #[test]
    fn an_open_string_is_invalid_and_a_semicolon_starts_a_command() {
        assert_eq!(
            classes("load \"x"),
            vec![("load", Command), ("\"x", Invalid)]
        );
        assert_eq!(classes("a; b")[2], ("b", Command));
    }

    #[test]
    fn continuation_lines_keep_their_roles() {
        assert_eq!(
            classes("describe a=1 \\\ncohort=train")[5..],
            [("cohort", Key), ("=", Punctuation), ("train", Word)]
        );
        assert_eq!(
            classes("fit a+ # more\nb\nc")[4..],
            [("b", Word), ("c", Command)]
        );
    }
}
