//! A table of typed cells. Cells keep their numbers (not formatted strings) so the JSON interface
//! carries full precision and each renderer formats for its medium.

use serde::Serialize;

/// A titled table with optional column groups ("Training", "Validation") and notes under it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    /// A stable machine name: `table1`, `tests`, `columns`.
    pub name: String,
    pub title: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
    /// Footnotes: tests used, missing values, conventions.
    pub notes: Vec<String>,
}

/// A column header; `group` spans neighbouring columns with the same group in renderers that can.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Column {
    pub name: String,
    pub group: Option<String>,
}

/// One cell. Numbers stay numbers until a renderer formats them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Cell {
    Empty,
    Text {
        value: String,
    },
    /// A label indented under a heading row (a level of a categorical variable).
    Level {
        value: String,
    },
    Integer {
        value: i64,
    },
    Number {
        value: f64,
    },
    /// A p-value: shown as `<0.001` or with three decimals, followed by `marker` (a footnote's
    /// sign naming the test) when there is one.
    PValue {
        value: f64,
        #[serde(skip_serializing_if = "Option::is_none")]
        marker: Option<String>,
    },
    /// `53.94 ± 9.66`
    MeanSd {
        mean: f64,
        sd: f64,
    },
    /// `-0.008 (-0.55, 0.36)`
    MedianIqr {
        median: f64,
        q1: f64,
        q3: f64,
    },
    /// `13 (12.3%)`: a count and the percentage of `total`.
    Count {
        count: u64,
        total: u64,
    },
    /// `0.848 (0.803–0.893)`: an estimate with its 95% interval, three decimals (a paper's
    /// performance table).
    Estimate {
        value: f64,
        low: f64,
        high: f64,
    },
    /// `(1.614, 4.877)`: a confidence interval.
    Interval {
        low: f64,
        high: f64,
    },
}

impl Cell {
    pub fn text(value: impl Into<String>) -> Cell {
        Cell::Text {
            value: value.into(),
        }
    }

    pub fn level(value: impl Into<String>) -> Cell {
        Cell::Level {
            value: value.into(),
        }
    }

    pub fn number(value: f64) -> Cell {
        Cell::Number { value }
    }

    pub fn p_value(value: f64) -> Cell {
        Cell::PValue {
            value,
            marker: None,
        }
    }

    /// A p-value with a footnote's sign after it (`0.032†`).
    pub fn marked_p_value(value: f64, marker: &str) -> Cell {
        Cell::PValue {
            value,
            marker: Some(marker.to_string()),
        }
    }

    /// A number, or an empty cell when there is none.
    pub fn optional_number(value: Option<f64>) -> Cell {
        value.map_or(Cell::Empty, Cell::number)
    }
}

impl Table {
    pub fn new(name: impl Into<String>, title: impl Into<String>) -> Table {
        Table {
            name: name.into(),
            title: title.into(),
            columns: Vec::new(),
            rows: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Adds ungrouped columns.
    pub fn with_columns<S: Into<String>>(mut self, names: impl IntoIterator<Item = S>) -> Table {
        for name in names {
            self.columns.push(Column {
                name: name.into(),
                group: None,
            });
        }
        self
    }

    pub fn add_column(&mut self, name: impl Into<String>, group: Option<String>) {
        self.columns.push(Column {
            name: name.into(),
            group,
        });
    }

    /// Adds a row, padded with empty cells (or cut) to the number of columns.
    pub fn add_row(&mut self, mut row: Vec<Cell>) {
        row.resize(self.columns.len(), Cell::Empty);
        self.rows.push(row);
    }

    pub fn note(&mut self, note: impl Into<String>) {
        self.notes.push(note.into());
    }

    /// True when some columns carry a group name (a two-line header is worth drawing).
    pub fn has_groups(&self) -> bool {
        self.columns.iter().any(|c| c.group.is_some())
    }
}
