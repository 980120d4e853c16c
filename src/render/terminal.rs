//! Tables for a terminal, drawn by comfy-table to the terminal's width.

use super::format::format_cell;
use crate::output::{Table, Text, TextStyle};
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell as TableCell, CellAlignment, ContentArrangement, Table as ComfyTable};

/// A table as terminal text: title, a framed table (a group row above the header when columns are
/// grouped) and its notes. `width` is the terminal width, if known.
pub fn table(table: &Table, digits: usize, width: Option<u16>) -> String {
    let mut grid = ComfyTable::new();
    grid.load_style(UTF8_FULL_CONDENSED);
    grid.set_content_arrangement(ContentArrangement::Dynamic);
    if let Some(width) = width {
        grid.set_width(width);
    }
    // Grouped columns get a two-line header: the group over its first column, then the name.
    let grouped = table.has_groups();
    let mut previous: Option<&str> = None;
    let header: Vec<String> = table
        .columns
        .iter()
        .map(|c| {
            let group = c.group.as_deref();
            let above = if group == previous {
                ""
            } else {
                group.unwrap_or("")
            };
            previous = group;
            if grouped {
                format!("{above}\n{}", c.name)
            } else {
                c.name.clone()
            }
        })
        .collect();
    grid.set_header(header);
    for row in &table.rows {
        grid.add_row(row.iter().map(|cell| {
            let text = format_cell(cell, digits);
            let numeric = !matches!(
                cell,
                crate::output::Cell::Text { .. } | crate::output::Cell::Level { .. }
            );
            TableCell::new(text).set_alignment(if numeric {
                CellAlignment::Right
            } else {
                CellAlignment::Left
            })
        }));
    }
    let mut out = String::new();
    if !table.title.is_empty() {
        out.push_str(&table.title);
        out.push('\n');
    }
    out.push_str(&grid.to_string());
    for note in &table.notes {
        out.push_str("\n  ");
        out.push_str(note);
    }
    out
}

/// A message, with its style shown by a prefix (`warning: `).
pub fn text(text: &Text) -> String {
    match text.style {
        TextStyle::Warning => format!("warning: {}", text.text),
        TextStyle::Info | TextStyle::Help => text.text.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Cell;

    #[test]
    fn a_grouped_table_draws_the_group_row_above_the_header() {
        let mut t = Table::new("t", "Title");
        t.add_column("name", None);
        t.add_column("a", Some("Training".into()));
        t.add_column("b", Some("Training".into()));
        t.add_row(vec![
            Cell::text("age"),
            Cell::Integer { value: 1 },
            Cell::p_value(0.5),
        ]);
        t.note("a note");
        let shown = table(&t, 4, Some(60));
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(lines[0], "Title");
        assert!(
            lines[2].contains("Training") && lines[3].contains(" a "),
            "{shown}"
        );
        assert!(shown.contains("0.500"));
        assert!(shown.ends_with("\n  a note"));
    }
}
