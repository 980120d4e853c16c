//! The whole session as one self-contained HTML file: every statement with its tables, models,
//! plots (inline SVG) and messages, then the settings and versions — a record a reader can open
//! anywhere, with nothing beside it.

use super::html::{escape, table};
use super::model::coefficient_table;
use super::plot::svg;
use crate::output::{Item, Output};

/// A statement and what it gave.
pub struct Entry<'a> {
    pub statement: &'a str,
    pub output: &'a Output,
}

/// The report page. `settings` are (name, value) pairs shown at the end.
pub fn report(
    title: &str,
    entries: &[Entry<'_>],
    settings: &[(String, String)],
    digits: usize,
) -> String {
    let mut body = String::new();
    for entry in entries {
        body.push_str(&format!(
            "<section>\n<pre class=\"statement\">{}</pre>\n",
            escape(entry.statement)
        ));
        for item in &entry.output.items {
            match item {
                Item::Table(t) => body.push_str(&table(t, digits)),
                Item::Model(model) => body.push_str(&table(&coefficient_table(model), digits)),
                Item::Plot(plot) => match svg(plot) {
                    Ok(picture) => body.push_str(&format!("<figure>{picture}</figure>")),
                    Err(message) => body.push_str(&format!(
                        "<p class=\"warning\">the plot could not be drawn: {}</p>",
                        escape(&message)
                    )),
                },
                Item::Text(text) => {
                    body.push_str(&format!("<pre class=\"text\">{}</pre>", escape(&text.text)))
                }
            }
            body.push('\n');
        }
        body.push_str("</section>\n");
    }
    let settings: String = settings
        .iter()
        .map(|(name, value)| {
            format!(
                "<tr><th>{}</th><td>{}</td></tr>",
                escape(name),
                escape(value)
            )
        })
        .collect();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<h1>{title}</h1>\n{body}<h2>Settings</h2>\n<table class=\"radnomo\">{settings}</table>\n</body>\n</html>\n",
        title = escape(title),
    )
}

const STYLE: &str =
    "body { font-family: sans-serif; max-width: 70em; margin: 2em auto; color: #222; }
pre.statement { background: #f3f3f3; padding: .5em; border-left: 3px solid #0072b2; }
pre.text { white-space: pre-wrap; }
table.radnomo { border-collapse: collapse; margin: .5em 0; }
table.radnomo th, table.radnomo td { border: 1px solid #ccc; padding: .2em .5em; }
table.radnomo caption { font-weight: bold; text-align: left; }
figure { margin: 1em 0; }
.radnomo-note, .warning { color: #555; }
";
