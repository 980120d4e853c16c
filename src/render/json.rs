//! The machine interface (`--format json`): one JSON document per statement result, one per line.
//!
//! ```json
//! {"radnomo":"0.1.0","ok":true,"statement":"describe by=aln","line":1,"results":[{"kind":"table",…}],"files":[]}
//! {"radnomo":"0.1.0","ok":false,"statement":"split train=lots","line":1,"error":{"kind":"invalid_value",…}}
//! ```
//! Field names are stable; new fields may be added. The README documents the schema.

use crate::error::Error;
use crate::lang::span::line_column;
use crate::output::Output;
use serde_json::{Value, json};
use std::path::PathBuf;

/// The document for a statement that ran. `files` lists the plot files written for it.
pub fn result_document(statement: &str, line: usize, output: &Output, files: &[PathBuf]) -> Value {
    json!({
        "radnomo": env!("CARGO_PKG_VERSION"),
        "ok": true,
        "statement": statement,
        "line": line,
        "results": output.items,
        "files": files.iter().map(|f| f.display().to_string()).collect::<Vec<_>>(),
    })
}

/// The document for an error in `source` (the whole input as given).
pub fn error_document(source: &str, error: &Error) -> Value {
    let position = error.span.map(|span| {
        let at = line_column(source, span.start);
        json!({"line": at.line, "column": at.column, "start": span.start, "end": span.end})
    });
    let details = serde_json::to_value(&error.kind).unwrap_or(Value::Null);
    let statement = error
        .span
        .map(|span| {
            let (start, end) = crate::lang::span::line_range(source, span.start);
            source[start..end].to_string()
        })
        .unwrap_or_default();
    json!({
        "radnomo": env!("CARGO_PKG_VERSION"),
        "ok": false,
        "statement": statement,
        "line": position.as_ref().map(|p| p["line"].clone()),
        "error": {
            "kind": error.kind_name(),
            "message": error.to_string(),
            "position": position,
            "details": details,
        },
    })
}
