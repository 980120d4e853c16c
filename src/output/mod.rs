//! Typed results: what a command gives back, before anyone decides how to show it.
//!
//! A command returns an [`Output`]: a list of [`Item`]s (tables, plots, text). Frontends hand
//! them to `render` (a comfy-table in a terminal, HTML + SVG/PNG in Jupyter, JSON for machines).
//! Nothing here formats for a particular medium.

mod figure;
mod method;
mod model;
mod plot;
pub mod references;
mod table;

pub use figure::{FigureFormat, FigureSettings};
pub use method::{Method, Section};
pub use model::{Coefficient, Model, ModelTerm};
pub use plot::{Anchor, Axis, Label, Layer, Legend, Plot, Series};
pub use table::{Cell, Column, Table};

use serde::Serialize;

/// Everything one statement gave back.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Output {
    pub items: Vec<Item>,
    /// The frontend clears what it has shown (the terminal screen, the notebook cell's output)
    /// before showing `items`: the `clear` command.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub clear: bool,
    /// What the statement adds to a report's Methods; not shown where it runs.
    #[serde(skip)]
    pub methods: Vec<Method>,
    /// Tables a report puts in its Results that the statement does not show where it runs (the
    /// performance table assembled from `roc`'s two).
    #[serde(skip)]
    pub results: Vec<Table>,
}

impl Output {
    pub fn empty() -> Output {
        Output::default()
    }

    pub fn item(item: impl Into<Item>) -> Output {
        Output {
            items: vec![item.into()],
            ..Output::default()
        }
    }

    /// Nothing to show, and what was shown before is cleared.
    pub fn cleared() -> Output {
        Output {
            clear: true,
            ..Output::default()
        }
    }

    /// Adds a sentence to the report's Methods.
    pub fn method(&mut self, method: Method) {
        self.methods.push(method);
    }

    /// The same, for chaining.
    pub fn with_method(mut self, method: Method) -> Output {
        self.method(method);
        self
    }

    pub fn push(&mut self, item: impl Into<Item>) {
        self.items.push(item.into());
    }

    pub fn with(mut self, item: impl Into<Item>) -> Output {
        self.push(item);
        self
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn extend(&mut self, other: Output) {
        if other.clear {
            self.items.clear();
            self.clear = true;
        }
        self.items.extend(other.items);
        self.methods.extend(other.methods);
        self.results.extend(other.results);
    }
}

/// One result.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Item {
    Table(Table),
    Plot(Plot),
    Model(Model),
    Text(Text),
}

impl From<Table> for Item {
    fn from(table: Table) -> Item {
        Item::Table(table)
    }
}

impl From<Plot> for Item {
    fn from(plot: Plot) -> Item {
        Item::Plot(plot)
    }
}

impl From<Model> for Item {
    fn from(model: Model) -> Item {
        Item::Model(model)
    }
}

impl From<Text> for Item {
    fn from(text: Text) -> Item {
        Item::Text(text)
    }
}

/// A message for the user: what a command did, help pages, warnings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Text {
    pub style: TextStyle,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TextStyle {
    /// What happened: "loaded 432 rows and 13 columns from demo.csv".
    Info,
    /// Something the user should know about the result ("2 expected counts below 5").
    Warning,
    /// Help pages and listings, shown as they are.
    Help,
}

impl Text {
    pub fn info(text: impl Into<String>) -> Text {
        Text {
            style: TextStyle::Info,
            text: text.into(),
        }
    }

    pub fn warning(text: impl Into<String>) -> Text {
        Text {
            style: TextStyle::Warning,
            text: text.into(),
        }
    }

    pub fn help(text: impl Into<String>) -> Text {
        Text {
            style: TextStyle::Help,
            text: text.into(),
        }
    }
}
