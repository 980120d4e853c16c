//! What one cell shows, in order, as iopub messages: texts as stdout streams, warnings as a
//! `display_data` note (a labelled, amber box in HTML — something to know, not an error; plain
//! `warning: …` elsewhere), plots and earlier tables as `display_data`, and the cell's value — its last item when
//! that is a table or a model — as `execute_result` (the cell's `Out[n]`), as IPython shows a
//! data frame a cell ends with. `clear` sends `clear_output`.

use super::mime::bundle;
use super::progress::Outlet;
use crate::output::{Item, Output, TextStyle};
use serde_json::{Value, json};

pub struct CellOutput {
    outlet: Outlet,
    execution_count: u64,
    /// Statements of the cell not shown yet.
    statements_left: usize,
    /// The last statement's latest table or model: the cell's value if nothing follows it.
    pending: Option<Value>,
}

impl CellOutput {
    /// For a cell of `statements` statements.
    pub fn new(outlet: Outlet, execution_count: u64, statements: usize) -> CellOutput {
        CellOutput {
            outlet,
            execution_count,
            statements_left: statements,
            pending: None,
        }
    }

    /// One statement's output. Only the last statement's table or model is held back, so what
    /// a later statement shows while it runs (a progress bar) comes after everything before it.
    pub fn show(&mut self, output: &Output, digits: usize) {
        self.statements_left = self.statements_left.saturating_sub(1);
        if output.clear {
            self.send("clear_output", json!({"wait": false}));
        }
        for item in &output.items {
            self.flush();
            match item {
                Item::Text(text) if text.style == TextStyle::Warning => {
                    self.send("display_data", display(bundle(item, digits)));
                }
                Item::Text(text) => {
                    let line = crate::render::terminal::text(text) + "\n";
                    self.send("stream", json!({"name": "stdout", "text": line}));
                }
                Item::Table(_) | Item::Model(_) => self.pending = Some(bundle(item, digits)),
                Item::Plot(_) => self.send("display_data", display(bundle(item, digits))),
            }
        }
        if self.statements_left > 0 {
            self.flush();
        }
    }

    /// The cell has ended: its value goes out as `execute_result` if it ran without error (else
    /// as a display, before the error). Returns the value's text for the history.
    pub fn end(mut self, succeeded: bool) -> Option<String> {
        let data = self.pending.take()?;
        let text = data["text/plain"].as_str().map(String::from);
        if succeeded {
            let content = json!({
                "execution_count": self.execution_count,
                "data": data,
                "metadata": {},
            });
            self.send("execute_result", content);
        } else {
            self.send("display_data", display(data));
        }
        text
    }

    fn flush(&mut self) {
        if let Some(data) = self.pending.take() {
            self.send("display_data", display(data));
        }
    }

    fn send(&self, kind: &'static str, content: Value) {
        let _ = self.outlet.send((kind, content));
    }
}

fn display(data: Value) -> Value {
    json!({"data": data, "metadata": {}, "transient": {}})
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{Table, Text};

    fn run(outputs: &[Output], succeeded: bool) -> (Vec<&'static str>, Option<String>) {
        let (outlet, mut received) = tokio::sync::mpsc::unbounded_channel();
        let mut cell = CellOutput::new(outlet, 7, outputs.len());
        for output in outputs {
            cell.show(output, 4);
        }
        let value = cell.end(succeeded);
        let kinds = std::iter::from_fn(|| received.try_recv().ok())
            .map(|(kind, _)| kind)
            .collect();
        (kinds, value)
    }

    fn table() -> Output {
        Output::item(Table::new("t", "A table").with_columns(["a"]))
    }

    #[test]
    fn the_last_table_is_the_cells_value_and_earlier_ones_are_displays() {
        let (kinds, value) = run(&[table(), Output::item(Text::info("x")), table()], true);
        assert_eq!(kinds, ["display_data", "stream", "execute_result"]);
        assert!(value.unwrap().contains("A table"));
    }

    #[test]
    fn a_cell_ending_in_text_has_no_value() {
        let (kinds, value) = run(&[table().with(Text::info("i"))], true);
        assert_eq!(kinds, ["display_data", "stream"]);
        assert_eq!(value, None);
        // A warning is a note (a display), not a stream.
        let (kinds, value) = run(&[table().with(Text::warning("w"))], true);
        assert_eq!(kinds, ["display_data", "display_data"]);
        assert_eq!(value, None);
    }

    #[test]
    fn a_failing_cell_shows_its_tables_as_displays() {
        let (kinds, _) = run(&[table()], false);
        assert_eq!(kinds, ["display_data"]);
    }

    #[test]
    fn clear_clears_what_earlier_statements_showed() {
        let (kinds, value) = run(&[table(), Output::cleared()], true);
        assert_eq!(kinds, ["display_data", "clear_output"]);
        assert_eq!(value, None);
        let (kinds, value) = run(&[table(), Output::cleared().with(Text::info("x"))], true);
        assert_eq!(kinds, ["display_data", "clear_output", "stream"]);
        assert_eq!(value, None);
    }
}
