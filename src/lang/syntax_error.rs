//! A syntax error: where the parser stopped, what it found there and what the grammar would
//! have accepted. `diagnostic` renders it under its source line with a caret.

use super::span::Span;
use nom::error::{ErrorKind, ParseError};
use nom_locate::LocatedSpan;

/// The parser's input: the text left, with its offset in the source.
pub(super) type Input<'a> = LocatedSpan<&'a str>;

/// Where parsing stopped, what was found there and what would have been accepted.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    /// The offending text (empty at the end of the input).
    pub span: Span,
    /// What the grammar would have accepted here, in words: "a value after `=`".
    pub expected: String,
}

impl ParseError<Input<'_>> for SyntaxError {
    fn from_error_kind(input: Input<'_>, _kind: ErrorKind) -> Self {
        SyntaxError::at(input, "valid radnomo syntax")
    }

    fn append(_input: Input<'_>, _kind: ErrorKind, other: Self) -> Self {
        other
    }
}

impl SyntaxError {
    /// An error at the start of `input`, covering the character (or word) found there.
    pub(super) fn at(input: Input<'_>, expected: impl Into<String>) -> SyntaxError {
        let start = input.location_offset();
        let rest = *input.fragment();
        let found = rest
            .chars()
            .next()
            .map(|c| {
                if c.is_alphanumeric() || c == '_' {
                    rest.find(|c: char| !(c.is_alphanumeric() || c == '_'))
                        .unwrap_or(rest.len())
                } else {
                    c.len_utf8()
                }
            })
            .unwrap_or(0);
        SyntaxError {
            span: Span::new(start, start + found),
            expected: expected.into(),
        }
    }

    /// The text found where the error is ("the end of the input" when there is none).
    pub fn found(&self, source: &str) -> String {
        match self.span.text(source) {
            "" => "the end of the input".to_string(),
            "\n" | "\r" => "the end of the line".to_string(),
            text if text.chars().count() == 1 && crate::invisible::find(text).is_some() => {
                crate::invisible::find(text)
                    .map(|(_, name)| name)
                    .unwrap_or_default()
            }
            text => format!("`{text}`"),
        }
    }
}
