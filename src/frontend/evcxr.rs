//! Display in evcxr (the Rust Jupyter kernel): with the `evcxr` feature, radnomo's result types
//! have the inherent `evcxr_display` method evcxr looks for, so a Rust user of the library sees
//! the same tables and plots as radnomo's own kernel:
//!
//! ```text
//! :dep radnomo = { version = "0.1", features = ["evcxr"] }
//! ```
//!
//! then, in the next cell, a session whose value (the last expression) evcxr shows through
//! `evcxr_display` — a table here, a plot or a model summary alike:
//!
//! ```
//! # #[cfg(feature = "evcxr")] {
//! let mut session = radnomo::Session::new();
//! let output = session.execute("load cohort n=40 seed=7; describe columns=age").unwrap();
//! output.evcxr_display(); // what evcxr calls on the cell's value
//! # }
//! ```
//!
//! evcxr reads `EVCXR_BEGIN_CONTENT <mime>` … `EVCXR_END_CONTENT` blocks from standard output
//! and keeps one block per MIME type for the cell (a later block of the same type replaces an
//! earlier one). One item's blocks are the kernel's MIME bundle ([`super::kernel::mime::bundle`]),
//! PNG in base64; a result of several items (a table and a plot, say) is shown as one HTML page
//! of all of them in order, with a plain-text twin, so none is lost.

use super::kernel::mime::bundle;
use crate::output::Item;
use crate::render::html::escape;
use serde_json::{Map, Value};

/// The evcxr blocks of one item, every MIME type of its bundle.
pub fn evcxr_content(item: &Item) -> String {
    blocks(&data(item))
}

/// The evcxr blocks of a result's items: one item as [`evcxr_content`]; several as one
/// `text/html` (each item's HTML, a plot as its inline SVG or PNG) and one `text/plain`.
pub fn evcxr_content_of(items: &[Item]) -> String {
    if let [item] = items {
        return evcxr_content(item);
    }
    let mut html = String::new();
    let mut plain = Vec::new();
    for item in items {
        let data = data(item);
        let text = |mime: &str| data.get(mime).and_then(Value::as_str);
        if let Some(item_html) = text("text/html") {
            html.push_str(item_html);
        } else if let Some(svg) = text("image/svg+xml") {
            html.push_str(&format!("<div>{svg}</div>"));
        } else if let Some(png) = text("image/png") {
            html.push_str(&format!("<img src=\"data:image/png;base64,{png}\">"));
        } else if let Some(item_plain) = text("text/plain") {
            html.push_str(&format!("<pre>{}</pre>", escape(item_plain)));
        }
        html.push('\n');
        if let Some(item_plain) = text("text/plain") {
            plain.push(item_plain.to_string());
        }
    }
    let mut combined = Map::new();
    combined.insert("text/html".into(), Value::String(html));
    combined.insert("text/plain".into(), Value::String(plain.join("\n")));
    blocks(&combined)
}

fn data(item: &Item) -> Map<String, Value> {
    match bundle(item, DIGITS) {
        Value::Object(data) => data,
        _ => Map::new(),
    }
}

fn blocks(data: &Map<String, Value>) -> String {
    let mut out = String::new();
    for (mime, value) in data {
        if let Some(text) = value.as_str() {
            out.push_str(&format!(
                "EVCXR_BEGIN_CONTENT {mime}\n{text}\nEVCXR_END_CONTENT\n"
            ));
        }
    }
    out
}

/// Significant digits in tables shown this way (the session's default).
const DIGITS: usize = 4;

#[cfg(feature = "evcxr")]
mod display {
    use super::*;
    use crate::output::{Model, Output, Plot, Table, Text};

    fn show(item: Item) {
        print!("{}", evcxr_content(&item));
    }

    impl Table {
        pub fn evcxr_display(&self) {
            show(Item::Table(self.clone()));
        }
    }

    impl Plot {
        pub fn evcxr_display(&self) {
            show(Item::Plot(self.clone()));
        }
    }

    impl Model {
        pub fn evcxr_display(&self) {
            show(Item::Model(self.clone()));
        }
    }

    impl Text {
        pub fn evcxr_display(&self) {
            show(Item::Text(self.clone()));
        }
    }

    impl Item {
        pub fn evcxr_display(&self) {
            show(self.clone());
        }
    }

    impl Output {
        pub fn evcxr_display(&self) {
            print!("{}", evcxr_content_of(&self.items));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{Cell, Table};

    #[test]
    fn a_table_is_text_html_and_markdown_blocks() {
        let mut table = Table::new("t", "A table").with_columns(["x", "y"]);
        table.add_row(vec![Cell::text("a"), Cell::number(1.5)]);
        let content = evcxr_content(&Item::Table(table));
        for mime in ["text/html", "text/markdown", "text/plain"] {
            assert!(
                content.contains(&format!("EVCXR_BEGIN_CONTENT {mime}\n")),
                "{content}"
            );
        }
        assert_eq!(content.matches("EVCXR_END_CONTENT").count(), 3);
        assert!(content.contains("<table"));
    }

    #[test]
    fn a_result_of_several_items_is_one_html_block_holding_all_of_them() {
        let mut session = crate::Session::new();
        let output = session
            .execute("load cohort n=40 seed=7; roc grade")
            .unwrap();
        let tables = output
            .items
            .iter()
            .filter(|item| matches!(item, Item::Table(_)))
            .count();
        assert!(
            tables >= 2
                && output
                    .items
                    .iter()
                    .any(|item| matches!(item, Item::Plot(_)))
        );
        let content = evcxr_content_of(&output.items);
        // evcxr keeps one block per MIME type, so there must be exactly one of each.
        assert_eq!(
            content.matches("EVCXR_BEGIN_CONTENT text/html\n").count(),
            1
        );
        assert_eq!(
            content.matches("EVCXR_BEGIN_CONTENT text/plain\n").count(),
            1
        );
        assert_eq!(content.matches("EVCXR_BEGIN_CONTENT").count(), 2);
        assert_eq!(
            content.matches("<table").count(),
            tables,
            "every table kept"
        );
        assert!(content.contains("<svg"), "the ROC curve inline");
        assert!(content.contains("Patients by cohort and `aln`"));
    }
}
