//! Tables as self-contained HTML (Jupyter's text/html, `--format html`, reports).

use super::format::format_cell;
use crate::output::{Cell, Table};

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Escapes text and shows its `code` spans (between backticks) as `<code>`; an unpaired backtick
/// stays as it is.
pub fn inline(text: &str) -> String {
    let parts: Vec<&str> = text.split('`').collect();
    let mut out = String::with_capacity(text.len());
    for (index, part) in parts.iter().enumerate() {
        let paired = index % 2 == 1 && index + 1 < parts.len();
        let unpaired_opening = index % 2 == 1 && !paired;
        if paired {
            out.push_str(&format!("<code>{}</code>", escape(part)));
        } else {
            if unpaired_opening {
                out.push('`');
            }
            out.push_str(&escape(part));
        }
    }
    out
}

pub fn table(table: &Table, digits: usize) -> String {
    let mut out = String::from("<table class=\"radnomo\">\n");
    if !table.title.is_empty() {
        out.push_str(&format!("<caption>{}</caption>\n", inline(&table.title)));
    }
    out.push_str("<thead>\n");
    if table.has_groups() {
        out.push_str("<tr>");
        let mut index = 0;
        while index < table.columns.len() {
            let group = &table.columns[index].group;
            let span = table.columns[index..]
                .iter()
                .take_while(|c| &c.group == group)
                .count();
            out.push_str(&format!(
                "<th colspan=\"{span}\">{}</th>",
                escape(group.as_deref().unwrap_or(""))
            ));
            index += span;
        }
        out.push_str("</tr>\n");
    }
    out.push_str("<tr>");
    for column in &table.columns {
        out.push_str(&format!(
            "<th style=\"text-align:left\">{}</th>",
            escape(&column.name)
        ));
    }
    out.push_str("</tr>\n</thead>\n<tbody>\n");
    for row in &table.rows {
        out.push_str("<tr>");
        for cell in row {
            // Text shows its `code` spans as code; numbers are escaped as they are.
            let text = match cell {
                Cell::Text { .. } | Cell::Level { .. } => {
                    inline(format_cell(cell, digits).trim_start())
                }
                _ => escape(format_cell(cell, digits).trim_start()),
            };
            let style = match cell {
                // Explicit: notebooks right-align cells by default.
                Cell::Text { .. } | Cell::Empty => " style=\"text-align:left\"",
                Cell::Level { .. } => " style=\"text-align:left;padding-left:1.5em\"",
                _ => " style=\"text-align:right\"",
            };
            out.push_str(&format!("<td{style}>{text}</td>"));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>");
    for note in &table.notes {
        out.push_str(&format!(
            "\n<p class=\"radnomo-note\"><small>{}</small></p>",
            inline(note)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_span_their_columns_and_text_is_escaped() {
        let mut t = Table::new("t", "<T>");
        t.add_column("x", None);
        t.add_column("a", Some("G".into()));
        t.add_column("b", Some("G".into()));
        t.add_row(vec![Cell::text("a&b"), Cell::Empty, Cell::Empty]);
        let html = table(&t, 4);
        assert!(html.contains("<caption>&lt;T&gt;</caption>"));
        assert!(html.contains("<th colspan=\"1\"></th><th colspan=\"2\">G</th>"));
        assert!(html.contains("<td style=\"text-align:left\">a&amp;b</td>"));
    }

    #[test]
    fn code_spans_become_code_and_a_lone_backtick_stays() {
        assert_eq!(inline("by `aln` <2"), "by <code>aln</code> &lt;2");
        assert_eq!(inline("a ` b"), "a ` b");
        assert_eq!(inline("`x` and `y"), "<code>x</code> and `y");
        let mut t = Table::new("t", "T");
        t.add_column("x", None);
        t.add_row(vec![Cell::text("run `calibrate MODEL`")]);
        assert!(table(&t, 4).contains(">run <code>calibrate MODEL</code></td>"));
    }
}
