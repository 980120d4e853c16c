//! Reading a clinical table from CSV: header row, types inferred per column, missing values
//! recognised, every problem reported with the file and line.
//!
//! The separator is `,`, `;`, tab or `|`: the one the header line uses most (outside quotes),
//! unless given. With a decimal comma (`1,5`, European spreadsheets) numbers are read as such.
//! A column most of whose cells are numbers is numeric; a cell in it that is not a finite number
//! (`inf`, `1e400`, `n.d.`) is never turned into a category level: it is reported as a bad cell
//! with its line, column and value (and read as missing), and the caller decides.

use super::dataset::{Column, DataError, Dataset};
use std::path::Path;

/// Cell texts read as missing (after trimming spaces), as R's `read.csv` reads `NA`.
pub const MISSING_MARKERS: [&str; 8] = ["", "NA", "N/A", "na", "n/a", "NaN", "NULL", "null"];

/// How to read a CSV file.
#[derive(Debug, Clone, Default)]
pub struct CsvOptions {
    /// The separator; `None` detects it from the header line.
    pub separator: Option<u8>,
    /// Numbers are written with a decimal comma (`1,5`).
    pub decimal_comma: bool,
    /// More cell texts read as missing, besides [`MISSING_MARKERS`].
    pub missing: Vec<String>,
}

/// A cell of a numeric column that is not a finite number.
#[derive(Debug, Clone, PartialEq)]
pub struct BadCell {
    /// The line of the file (1 is the header).
    pub line: u64,
    /// The data row (0-based).
    pub row: usize,
    pub column: String,
    pub value: String,
}

impl BadCell {
    /// `line 12, column `age`: `n.d.` is not a number`.
    pub fn describe(&self) -> String {
        let why = match self.value.parse::<f64>() {
            Ok(_) => "is not a finite number",
            Err(_) => "is not a number",
        };
        format!(
            "line {}, column `{}`: `{}` {why}",
            self.line, self.column, self.value
        )
    }
}

/// A table as read: the data (bad cells missing), the separator used and the bad cells.
#[derive(Debug, Clone)]
pub struct CsvTable {
    pub data: Dataset,
    pub separator: u8,
    pub bad_cells: Vec<BadCell>,
}

/// Reads a CSV file with a header and the default options, refusing a bad cell. A column most of
/// whose cells are finite numbers is numeric; any other is categorical (its distinct texts are
/// its levels).
pub fn read_csv(path: &Path) -> Result<Dataset, DataError> {
    read_csv_with(path, &CsvOptions::default())?.without_bad_cells()
}

impl CsvTable {
    /// The data, or the first bad cell as an error naming the file.
    pub fn without_bad_cells(self) -> Result<Dataset, DataError> {
        match self.bad_cells.first() {
            Some(bad) => Err(DataError::new(self.data.source.clone(), bad.describe())),
            None => Ok(self.data),
        }
    }
}

/// Reads a CSV file with these options, bad cells reported rather than refused.
pub fn read_csv_with(path: &Path, options: &CsvOptions) -> Result<CsvTable, DataError> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| DataError::new(&shown, io_message(&e)))?;
    read_csv_table(&shown, &bytes, options)
}

/// The separator the header line (up to its first line break outside quotes) uses most.
fn detect_separator(bytes: &[u8]) -> u8 {
    let mut counts = [0usize; 4];
    let candidates = [b',', b';', b'\t', b'|'];
    let mut quoted = false;
    for &b in bytes {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            _ if !quoted => {
                if let Some(i) = candidates.iter().position(|&c| c == b) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    let best = (0..4).max_by_key(|&i| (counts[i], 4 - i)).unwrap_or(0);
    if counts[best] == 0 {
        b','
    } else {
        candidates[best]
    }
}

fn io_message(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => error.to_string(),
    }
}

/// Reads CSV text already in memory; `source` names it in messages.
#[cfg(test)]
pub fn read_csv_bytes(source: &str, bytes: &[u8]) -> Result<Dataset, DataError> {
    read_csv_table(source, bytes, &CsvOptions::default())?.without_bad_cells()
}

/// Reads CSV text already in memory with these options; `source` names it in messages.
pub fn read_csv_table(
    source: &str,
    bytes: &[u8],
    options: &CsvOptions,
) -> Result<CsvTable, DataError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let separator = options.separator.unwrap_or_else(|| detect_separator(bytes));
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let mut records = reader.byte_records();
    let header = match records.next() {
        Some(Ok(record)) => record,
        Some(Err(e)) => return Err(csv_error(source, &e)),
        None => {
            return Err(DataError::new(
                source,
                "the file is empty (a header row is needed)",
            ));
        }
    };
    let names = header_names(source, &header)?;
    if names.len() == 1 && separator == b',' {
        for other in [';', '\t', '|'] {
            if names[0].contains(other) {
                return Err(DataError::new(
                    format!("{source}, line 1"),
                    format!(
                        "the header is one column `{}`; is the file separated by `{}`? give `sep=`",
                        names[0],
                        other.escape_default()
                    ),
                ));
            }
        }
    }
    let mut cells: Vec<Vec<Option<String>>> = vec![Vec::new(); names.len()];
    let mut lines: Vec<u64> = Vec::new();
    // Lines counted from the record's byte offset (the reader's own count drifts on CRLF files).
    let (mut counted_to, mut line) = (0usize, 1u64);
    for record in records {
        let record = record.map_err(|e| csv_error(source, &e))?;
        let mut offset = record.position().map_or(counted_to, |p| p.byte() as usize);
        // After a CRLF the reader's offset can point at the LF: the record starts past it.
        while matches!(bytes.get(offset), Some(b'\r' | b'\n')) {
            offset += 1;
        }
        line += bytes[counted_to..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        counted_to = offset;
        if record.iter().all(|field| field.is_empty()) {
            continue;
        }
        if record.len() != names.len() {
            return Err(DataError::new(
                format!("{source}, line {line}"),
                format!(
                    "{} fields, but the header has {} columns",
                    record.len(),
                    names.len()
                ),
            ));
        }
        for (column, field) in record.iter().enumerate() {
            let text = std::str::from_utf8(field).map_err(|e| {
                DataError::new(
                    format!("{source}, line {line}, column `{}`", names[column]),
                    format!(
                        "the text is not UTF-8 (byte {} of the cell, 0x{:02X})",
                        e.valid_up_to() + 1,
                        field[e.valid_up_to()]
                    ),
                )
            })?;
            let missing =
                MISSING_MARKERS.contains(&text) || options.missing.iter().any(|m| m == text);
            cells[column].push((!missing).then(|| text.to_string()));
        }
        lines.push(line);
    }
    if cells.first().is_none_or(Vec::is_empty) {
        return Err(DataError::new(
            source,
            "the header has no data rows under it",
        ));
    }
    let mut bad_cells = Vec::new();
    let columns = names
        .into_iter()
        .zip(cells)
        .map(|(name, values)| {
            infer_column(name, &values, options.decimal_comma, &lines, &mut bad_cells)
        })
        .collect();
    bad_cells.sort_by_key(|b: &BadCell| b.line);
    Ok(CsvTable {
        data: Dataset::new(source, columns),
        separator,
        bad_cells,
    })
}

fn header_names(source: &str, header: &csv::ByteRecord) -> Result<Vec<String>, DataError> {
    let mut names: Vec<String> = Vec::with_capacity(header.len());
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    for (index, field) in header.iter().enumerate() {
        let name = String::from_utf8_lossy(field).trim().to_string();
        if name.is_empty() {
            return Err(DataError::new(
                format!("{source}, line 1"),
                format!("column {} has no name in the header", index + 1),
            ));
        }
        if let Some((at, what)) = crate::invisible::find(&name) {
            let visible: String = name
                .chars()
                .filter(|c| crate::invisible::describe(*c).is_none())
                .collect();
            return Err(DataError::new(
                format!("{source}, line 1"),
                format!(
                    "the name of column {} (`{visible}`) holds the invisible character {what} at character {}; a name typed in a script could never match it — remove it from the header",
                    index + 1,
                    name[..at].chars().count() + 1
                ),
            ));
        }
        if !seen.insert(name.clone()) {
            return Err(DataError::new(
                format!("{source}, line 1"),
                format!("the column name `{name}` appears twice in the header"),
            ));
        }
        names.push(name);
    }
    Ok(names)
}

fn csv_error(source: &str, error: &csv::Error) -> DataError {
    let location = match error.position() {
        Some(position) => format!("{source}, line {}", position.line()),
        None => source.to_string(),
    };
    DataError::new(location, error.to_string())
}

/// A cell's number: finite, with a decimal comma read as a point when asked.
fn number(text: &str, decimal_comma: bool) -> Option<f64> {
    let parsed = if decimal_comma && text.contains(',') {
        text.replace(',', ".").parse::<f64>()
    } else {
        text.parse::<f64>()
    };
    parsed.ok().filter(|x| x.is_finite())
}

/// Numeric when most present values (more than half) parse as finite numbers — the others are
/// bad cells, read as missing; categorical otherwise.
fn infer_column(
    name: String,
    values: &[Option<String>],
    decimal_comma: bool,
    lines: &[u64],
    bad_cells: &mut Vec<BadCell>,
) -> Column {
    let numbers: Vec<Option<f64>> = values
        .iter()
        .map(|value| value.as_deref().and_then(|t| number(t, decimal_comma)))
        .collect();
    let present = values.iter().filter(|v| v.is_some()).count();
    let numeric = numbers.iter().filter(|v| v.is_some()).count();
    if numeric == 0 || 2 * numeric <= present {
        return Column::categorical(name, values);
    }
    for (row, (value, parsed)) in values.iter().zip(&numbers).enumerate() {
        if let (Some(text), None) = (value, parsed) {
            bad_cells.push(BadCell {
                line: lines[row],
                row,
                column: name.clone(),
                value: text.clone(),
            });
        }
    }
    Column::numeric(name, numbers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::ColumnValues;

    #[test]
    fn types_are_inferred_and_missing_values_kept_as_missing() {
        let data = read_csv_bytes("t.csv", b"id,age,er\nP1,50,pos\nP2,NA,neg\nP3,61.5,\n").unwrap();
        assert_eq!(data.row_count(), 3);
        let age = data.column("age").unwrap();
        assert_eq!(
            age.values,
            ColumnValues::Numeric(vec![Some(50.0), None, Some(61.5)].into())
        );
        assert_eq!(data.column("er").unwrap().missing_count(), 1);
        assert_eq!(
            data.column("id").unwrap().type_name(),
            "categorical (3 levels)"
        );
    }

    #[test]
    fn lines_are_counted_alike_in_lf_and_crlf_files() {
        for text in [
            &b"id,age\nP1,50\nP2,x\nP3,60\n"[..],
            b"id,age\r\nP1,50\r\nP2,x\r\nP3,60\r\n",
        ] {
            let error = read_csv_bytes("t.csv", text).unwrap_err();
            assert_eq!(error.message, "line 3, column `age`: `x` is not a number");
        }
    }

    #[test]
    fn a_short_row_names_its_line() {
        let error = read_csv_bytes("t.csv", b"a,b\n1,2\n3\n").unwrap_err();
        assert_eq!(error.location, "t.csv, line 3");
        assert_eq!(error.message, "1 fields, but the header has 2 columns");
    }

    #[test]
    fn a_stray_text_or_infinity_in_a_numeric_column_is_a_bad_cell_not_a_level() {
        let text = b"id,age,er\nP1,50,pos\nP2,inf,neg\nP3,n.d.,pos\nP4,1e400,neg\nP5,61,neg\nP6,70,pos\nP7,44,pos\n";
        let table = read_csv_table("t.csv", text, &CsvOptions::default()).unwrap();
        let described: Vec<String> = table.bad_cells.iter().map(BadCell::describe).collect();
        assert_eq!(
            described,
            [
                "line 3, column `age`: `inf` is not a finite number",
                "line 4, column `age`: `n.d.` is not a number",
                "line 5, column `age`: `1e400` is not a finite number",
            ]
        );
        assert_eq!(table.data.column("age").unwrap().type_name(), "numeric");
        let error = read_csv_bytes("t.csv", text).unwrap_err();
        assert_eq!(
            error.message,
            "line 3, column `age`: `inf` is not a finite number"
        );
        let options = CsvOptions {
            missing: vec!["inf".into(), "n.d.".into(), "1e400".into()],
            ..CsvOptions::default()
        };
        assert!(
            read_csv_table("t.csv", text, &options)
                .unwrap()
                .bad_cells
                .is_empty()
        );
    }

    #[test]
    fn semicolons_tabs_and_decimal_commas_are_read() {
        let options = CsvOptions {
            decimal_comma: true,
            ..CsvOptions::default()
        };
        let table =
            read_csv_table("t.csv", b"id;age;size\nP1;50;1,5\nP2;61;2,25\n", &options).unwrap();
        assert_eq!(table.separator, b';');
        assert_eq!(
            table.data.column("size").unwrap().values,
            ColumnValues::Numeric(vec![Some(1.5), Some(2.25)].into())
        );
        let tabs = read_csv_table("t.tsv", b"id\tage\nP1\t50\n", &CsvOptions::default()).unwrap();
        assert_eq!(tabs.separator, b'\t');
        // A quoted header cell holding the other separators does not fool the detection.
        let quoted =
            read_csv_table("t.csv", b"\"a;b;c\",d\n1,2\n", &CsvOptions::default()).unwrap();
        assert_eq!(quoted.separator, b',');
        let forced = CsvOptions {
            separator: Some(b','),
            ..CsvOptions::default()
        };
        let error = read_csv_table("t.csv", b"a;b;c\n1;2;3\n", &forced).unwrap_err();
        assert!(
            error.message.contains("separated by `;`"),
            "{}",
            error.message
        );
    }

    #[test]
    fn a_million_columns_are_read_in_linear_time() {
        let names: Vec<String> = (0..1_000_000).map(|i| format!("c{i}")).collect();
        let text = format!("{}\n{}\n", names.join(","), vec!["1"; 1_000_000].join(","));
        // A quadratic duplicate-name check would take hours here; the hash set takes a second.
        let data = read_csv_bytes("wide.csv", text.as_bytes()).unwrap();
        assert_eq!(data.columns.len(), 1_000_000);
        let invalid = read_csv_bytes("t.csv", b"a,b\n1,\xFF\xFE\n").unwrap_err();
        assert_eq!(invalid.location, "t.csv, line 2, column `b`");
        assert!(
            invalid.message.contains("byte 1 of the cell, 0xFF"),
            "{}",
            invalid.message
        );
    }

    #[test]
    fn header_problems_are_reported() {
        let error = read_csv_bytes("t.csv", b"a,a\n1,2\n").unwrap_err();
        assert!(error.message.contains("appears twice"));
        let error = read_csv_bytes("t.csv", b"").unwrap_err();
        assert!(error.message.contains("empty"));
        let error = read_csv_bytes("t.csv", b"a,b\n").unwrap_err();
        assert!(error.message.contains("no data rows"));
        let error = read_csv_bytes("t.csv", "id,age\u{200B}\n1,2\n".as_bytes()).unwrap_err();
        assert_eq!(
            error.message,
            "the name of column 2 (`age`) holds the invisible character U+200B ZERO WIDTH SPACE at character 4; a name typed in a script could never match it — remove it from the header"
        );
        // A byte-order mark opening the file is not part of the first name.
        let table = read_csv_bytes("t.csv", "\u{FEFF}id,age\n1,2\n".as_bytes()).unwrap();
        assert_eq!(table.columns[0].name, "id");
    }
}
