//! Turning typed results into something to look at: terminal tables (comfy-table), HTML,
//! Markdown, CSV and JSON for tables; SVG and PNG (plotters, embedded font) for plots.
//!
//! Renders only: it never runs commands, and writes files only where a frontend asks it to.

pub mod base64;
pub mod figure_files;
pub mod format;
pub mod html;
pub mod json;
pub mod lines;
pub mod markdown;
pub mod model;
pub mod nomogram_html;
pub mod pdf;
pub mod plot;
pub mod report;
pub mod terminal;

pub use format::format_cell;

/// The output formats a frontend can ask for (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Terminal tables and plain text.
    Text,
    /// One JSON document per statement result (the machine interface).
    Json,
    Markdown,
    Html,
    Csv,
}

impl Format {
    pub fn parse(name: &str) -> Option<Format> {
        match name {
            "text" => Some(Format::Text),
            "json" => Some(Format::Json),
            "markdown" | "md" => Some(Format::Markdown),
            "html" => Some(Format::Html),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }
}
