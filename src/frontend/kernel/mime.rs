//! Results as Jupyter MIME bundles, from the same typed results the terminal prints: tables as
//! text/plain + text/html + text/markdown, plots as image/svg+xml + image/png, models as their
//! coefficient table, texts as text/plain (and HTML for warnings).

use crate::output::{Item, TextStyle};
use crate::render;
use serde_json::{Map, Value, json};

/// The `data` of a display_data message for one item.
pub fn bundle(item: &Item, digits: usize) -> Value {
    let mut data = Map::new();
    match item {
        Item::Table(table) => table_bundle(table, digits, &mut data),
        Item::Model(model) => {
            let table = render::model::coefficient_table(model);
            table_bundle(&table, digits, &mut data);
        }
        Item::Plot(plot) => {
            data.insert("text/plain".into(), json!(plot.title));
            match render::plot::svg(plot) {
                Ok(svg) => {
                    data.insert("image/svg+xml".into(), json!(svg));
                }
                Err(e) => {
                    data.insert("text/plain".into(), json!(format!("{}: {e}", plot.title)));
                }
            }
            if let Ok(png) = render::plot::png(plot) {
                data.insert("image/png".into(), json!(render::base64::encode(&png)));
            }
        }
        Item::Text(text) => {
            let plain = render::terminal::text(text);
            if text.style == TextStyle::Warning {
                // The label and the message, code spans as code, in a quiet amber box.
                let message = plain.strip_prefix("warning: ").unwrap_or(&plain);
                data.insert(
                    "text/html".into(),
                    json!(format!(
                        "<div class=\"radnomo-warning\" style=\"background:#fff8e1;border-left:3px solid #e69f00;padding:.3em .6em;margin:.2em 0;color:#3a2e00;text-align:left\"><b>Warning:</b> {}</div>",
                        render::html::inline(message)
                    )),
                );
            }
            data.insert("text/plain".into(), json!(plain));
        }
    }
    Value::Object(data)
}

fn table_bundle(table: &crate::output::Table, digits: usize, data: &mut Map<String, Value>) {
    data.insert(
        "text/plain".into(),
        json!(render::terminal::table(table, digits, None)),
    );
    data.insert(
        "text/html".into(),
        json!(render::html::table(table, digits)),
    );
    data.insert(
        "text/markdown".into(),
        json!(render::markdown::table(table, digits)),
    );
}
