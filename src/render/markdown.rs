//! Tables as GitHub-flavoured Markdown (for notebooks' text/markdown and `--format markdown`).

use super::format::format_cell;
use crate::output::Table;

pub fn table(table: &Table, digits: usize) -> String {
    let escape = |text: &str| text.replace('|', "\\|");
    let header = |c: &crate::output::Column| match &c.group {
        Some(group) => format!("{} {}", escape(group), escape(&c.name)),
        None => escape(&c.name),
    };
    let mut out = String::new();
    if !table.title.is_empty() {
        out.push_str(&format!("**{}**\n\n", escape(&table.title)));
    }
    let names: Vec<String> = table.columns.iter().map(header).collect();
    out.push_str(&format!("| {} |\n", names.join(" | ")));
    out.push_str(&format!("|{}\n", "---|".repeat(table.columns.len())));
    for row in &table.rows {
        let cells: Vec<String> = row
            .iter()
            .map(|c| escape(&format_cell(c, digits)).replace("  ", "&nbsp;&nbsp;"))
            .collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    for note in &table.notes {
        out.push_str(&format!("\n_{}_", escape(note)));
    }
    out.trim_end().to_string()
}

/// The table as CSV: a header row of `group column` names and the cells as shown.
pub fn csv(table: &Table, digits: usize) -> String {
    let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
    let header: Vec<String> = table
        .columns
        .iter()
        .map(|c| match &c.group {
            Some(group) => format!("{group} {}", c.name),
            None => c.name.clone(),
        })
        .collect();
    let _ = writer.write_record(&header);
    for row in &table.rows {
        let _ = writer.write_record(
            row.iter()
                .map(|c| format_cell(c, digits).trim().to_string()),
        );
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Cell;

    #[test]
    fn pipes_are_escaped_and_levels_indented() {
        let mut t = Table::new("t", "A|B").with_columns(["x", "y"]);
        t.add_row(vec![Cell::level("I"), Cell::text("a|b")]);
        assert_eq!(
            table(&t, 4),
            "**A\\|B**\n\n| x | y |\n|---|---|\n| &nbsp;&nbsp;I | a\\|b |"
        );
        assert_eq!(csv(&t, 4), "x,y\nI,a|b\n");
    }
}
