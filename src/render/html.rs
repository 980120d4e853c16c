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

pub fn table(table: &Table, digits: usize) -> String {
    let mut out = String::from("<table class=\"radnomo\">\n");
    if !table.title.is_empty() {
        out.push_str(&format!("<caption>{}</caption>\n", escape(&table.title)));
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
        out.push_str(&format!("<th>{}</th>", escape(&column.name)));
    }
    out.push_str("</tr>\n</thead>\n<tbody>\n");
    for row in &table.rows {
        out.push_str("<tr>");
        for cell in row {
            let text = escape(format_cell(cell, digits).trim_start());
            let style = match cell {
                Cell::Text { .. } => "",
                Cell::Level { .. } => " style=\"padding-left:1.5em\"",
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
            escape(note)
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
        assert!(html.contains("<td>a&amp;b</td>"));
    }
}
