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
    let line = &source[line_start..line_end];
    let line_number = position.line.to_string();
    let gutter = " ".repeat(line_number.len());
    let start_in_line = span.start.clamp(line_start, line_end);
    let end_in_line = span.end.clamp(start_in_line, line_end);
    let indent = display_width(&source[line_start..start_in_line]);
    let carets = display_width(&source[start_in_line..end_in_line]).max(1);
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
}
