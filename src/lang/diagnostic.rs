//! Showing an error in its source: the line, a caret under the span, and the message.

use super::span::{Span, line_column, line_range};

/// Renders a message pointing into `source`:
///
/// ```text
/// error: `train` expects a fraction between 0 and 1, not `lots`
///  --> line 1, column 13
///   |
/// 1 | split train=lots
///   |             ^^^^ expected a fraction between 0 and 1
/// ```
///
/// `origin` names the file (or `-e`, `cell 3`) the source came from.
pub fn render(
    source: &str,
    span: Span,
    message: &str,
    label: &str,
    origin: Option<&str>,
) -> String {
    let position = line_column(source, span.start);
    let (line_start, line_end) = line_range(source, span.start);
    let line_number = position.line.to_string();
    let gutter = " ".repeat(line_number.len());
    let start_in_line = span.start.clamp(line_start, line_end);
    let end_in_line = span.end.clamp(start_in_line, line_end);
    let window = Window::around(source, (line_start, line_end), (start_in_line, end_in_line));
    let line = window.text(source);
    let indent = window.lead + display_width(&source[window.start..start_in_line]);
    let carets = display_width(&source[start_in_line..end_in_line.min(window.end)]).clamp(1, WIDTH);
    let location = match origin {
        Some(origin) => format!("{origin}:{}:{}", position.line, position.column),
        None => format!("line {}, column {}", position.line, position.column),
    };
    let label = if label.is_empty() {
        String::new()
    } else {
        format!(" {label}")
    };
    format!(
        "error: {message}\n{gutter}--> {location}\n{gutter} |\n{line_number} | {line}\n{gutter} | {}{}{label}",
        " ".repeat(indent),
        "^".repeat(carets),
        line = line.replace('\t', " "),
    )
}

/// The most characters of a source line shown under an error, and the most of a message.
const WIDTH: usize = 100;
const MESSAGE_LIMIT: usize = 2000;
/// A run of characters without a space longer than this is shortened in messages.
const RUN_LIMIT: usize = 80;

/// The part of a long line shown: byte range, and the width of the `…` put before it.
struct Window {
    start: usize,
    end: usize,
    lead: usize,
    cut_end: bool,
}

impl Window {
    /// At most [`WIDTH`] characters of the line, starting a little before the span.
    fn around(
        source: &str,
        (line_start, line_end): (usize, usize),
        (at, _): (usize, usize),
    ) -> Window {
        let line = &source[line_start..line_end];
        if display_width(line) <= WIDTH {
            return Window {
                start: line_start,
                end: line_end,
                lead: 0,
                cut_end: false,
            };
        }
        let before: Vec<usize> = source[line_start..at]
            .char_indices()
            .map(|(i, _)| line_start + i)
            .collect();
        let start = if before.len() > WIDTH / 3 {
            before[before.len() - WIDTH / 3]
        } else {
            line_start
        };
        let end = source[start..line_end]
            .char_indices()
            .nth(WIDTH)
            .map_or(line_end, |(i, _)| start + i);
        Window {
            start,
            end,
            lead: usize::from(start > line_start),
            cut_end: end < line_end,
        }
    }

    fn text(&self, source: &str) -> String {
        format!(
            "{}{}{}",
            if self.lead > 0 { "…" } else { "" },
            visible(&source[self.start..self.end]),
            if self.cut_end { "…" } else { "" }
        )
    }
}

/// The line as shown: each invisible or direction-changing character replaced by U+FFFD `�`,
/// one column wide like the character it stands for, so the caret still lines up and the line
/// reads in the order it is parsed.
fn visible(line: &str) -> String {
    line.chars()
        .map(|c| {
            if crate::invisible::describe(c).is_some() {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

/// A message fit to read: every run of more than [`RUN_LIMIT`] characters without a space is
/// shortened to its ends and its length, and the whole to about [`MESSAGE_LIMIT`] characters.
pub fn shorten(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(MESSAGE_LIMIT + 100));
    for (index, run) in message.split(' ').enumerate() {
        if index > 0 {
            out.push(' ');
        }
        let count = run.chars().count();
        if count > RUN_LIMIT {
            let head: String = run.chars().take(30).collect();
            let tail: String = run.chars().skip(count - 20).collect();
            out.push_str(&format!("{head}…{tail} ({count} characters)"));
        } else {
            out.push_str(run);
        }
    }
    let count = out.chars().count();
    if count > MESSAGE_LIMIT {
        let head: String = out.chars().take(MESSAGE_LIMIT - 500).collect();
        let tail: String = out.chars().skip(count - 400).collect();
        out = format!(
            "{head} … ({} characters left out) … {tail}",
            count - MESSAGE_LIMIT + 100
        );
    }
    out
}

/// Columns a piece of a line takes on screen (characters; tabs are shown as one space).
fn display_width(text: &str) -> usize {
    text.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_caret_sits_under_the_span_on_its_own_line() {
        let source = "load table a.csv\nsplit train=lots";
        let start = source.find("lots").unwrap();
        let shown = render(
            source,
            Span::new(start, start + 4),
            "bad fraction",
            "expected a fraction",
            Some("study.rad"),
        );
        assert_eq!(
            shown,
            "error: bad fraction\n --> study.rad:2:13\n  |\n2 | split train=lots\n  |             ^^^^ expected a fraction"
        );
    }

    #[test]
    fn an_error_at_the_end_gets_one_caret() {
        let shown = render("lasso cv=", Span::new(9, 9), "m", "", None);
        assert!(shown.ends_with("1 | lasso cv=\n  |          ^"), "{shown}");
    }

    #[test]
    fn a_long_line_shows_a_window_around_the_caret_and_long_words_are_shortened() {
        let source = format!("split train={}", "y".repeat(1_000_000));
        let error = crate::Error::from_syntax(
            crate::lang::SyntaxError {
                span: Span::new(12, source.len()),
                expected: "a fraction".into(),
            },
            &source,
        );
        let shown = error.render(&source, Some("long.rad"));
        assert!(shown.len() < 800, "{} bytes", shown.len());
        assert!(
            shown.contains(
                "found `yyyyyyyyyyyyyyyyyyyyyyyyyyyyy…yyyyyyyyyyyyyyyyyyy` (1000002 characters)"
            ),
            "{shown}"
        );
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(lines[3], format!("1 | split train={}…", "y".repeat(88)));
        assert_eq!(
            lines[4],
            format!("  |             {} expected a fraction", "^".repeat(88))
        );
        // Far along a line, the window starts a third of its width before the caret.
        let source = format!("print \"a\";{}split train=lots", " ".repeat(5000));
        let at = source.find("lots").unwrap();
        let shown = render(&source, Span::new(at, at + 4), "m", "", None);
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(lines[3], format!("1 | …{}split train=lots", " ".repeat(21)));
        assert_eq!(lines[4], format!("  | {}^^^^", " ".repeat(34)));
    }

    #[test]
    fn invisible_characters_are_refused_by_code_point_and_shown_visibly() {
        let source = "load table demo\u{202E}.csv outcome=aln";
        let error = crate::lang::parse(source).unwrap_err();
        assert_eq!(error.span, Span::new(15, 18));
        assert_eq!(error.found(source), "U+202E RIGHT-TO-LEFT OVERRIDE");
        let shown = crate::Error::from_syntax(error, source).render(source, None);
        assert!(!shown.contains('\u{202E}'), "{shown}");
        assert!(
            shown.contains("1 | load table demo\u{FFFD}.csv outcome=aln\n  |                ^"),
            "{shown}"
        );
        // In a comment too; a byte-order mark opening the text is accepted.
        assert!(crate::lang::parse("describe # by\u{200B}").is_err());
        assert!(crate::lang::parse("\u{FEFF}describe").is_ok());
        assert!(crate::lang::parse("describe \u{FEFF}").is_err());
    }
}
