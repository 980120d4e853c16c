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
//! evcxr reads `EVCXR_BEGIN_CONTENT <mime>` … `EVCXR_END_CONTENT` blocks from standard output;
//! the content is the kernel's MIME bundle ([`super::kernel::mime::bundle`]), PNG in base64.

use super::kernel::mime::bundle;
use crate::output::Item;

/// The evcxr blocks of one item, every MIME type of its bundle.
pub fn evcxr_content(item: &Item) -> String {
    let mut out = String::new();
    if let Some(data) = bundle(item, DIGITS).as_object() {
        for (mime, value) in data {
            if let Some(text) = value.as_str() {
                out.push_str(&format!(
                    "EVCXR_BEGIN_CONTENT {mime}\n{text}\nEVCXR_END_CONTENT\n"
                ));
            }
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
            for item in &self.items {
                show(item.clone());
            }
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
}
