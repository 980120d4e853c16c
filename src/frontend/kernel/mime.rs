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
                data.insert(
                    "text/html".into(),
                    json!(format!(
                        "<div style=\"color:#a15c00\">{}</div>",
                        render::html::escape(&plain)
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
