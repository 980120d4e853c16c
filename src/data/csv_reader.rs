//! Reading a clinical table from CSV: header row, types inferred per column, missing values
//! recognised, every problem reported with the file and line.

use super::dataset::{Column, DataError, Dataset};
use std::path::Path;

/// Cell texts read as missing (after trimming spaces), as R's `read.csv` reads `NA`.
pub const MISSING_MARKERS: [&str; 8] = ["", "NA", "N/A", "na", "n/a", "NaN", "NULL", "null"];

/// Reads a CSV file with a header. A column whose non-missing cells all read as finite numbers is
/// numeric; any other is categorical (its distinct texts are its levels).
pub fn read_csv(path: &Path) -> Result<Dataset, DataError> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| DataError::new(&shown, io_message(&e)))?;
    read_csv_bytes(&shown, &bytes)
}

fn io_message(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => error.to_string(),
    }
}

/// Reads CSV text already in memory; `source` names it in messages.
pub fn read_csv_bytes(source: &str, bytes: &[u8]) -> Result<Dataset, DataError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
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
    let mut cells: Vec<Vec<Option<String>>> = vec![Vec::new(); names.len()];
    for record in records {
        let record = record.map_err(|e| csv_error(source, &e))?;
        let line = record.position().map_or(0, |p| p.line());
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
            let text = std::str::from_utf8(field).map_err(|_| {
                DataError::new(
                    format!("{source}, line {line}, column `{}`", names[column]),
                    "the text is not UTF-8",
                )
            })?;
            let value = (!MISSING_MARKERS.contains(&text)).then(|| text.to_string());
            cells[column].push(value);
        }
    }
    if cells.first().is_none_or(Vec::is_empty) {
        return Err(DataError::new(
            source,
            "the header has no data rows under it",
        ));
    }
    let columns = names
        .into_iter()
        .zip(cells)
        .map(|(name, values)| infer_column(name, &values))
        .collect();
    Ok(Dataset::new(source, columns))
}

fn header_names(source: &str, header: &csv::ByteRecord) -> Result<Vec<String>, DataError> {
    let mut names: Vec<String> = Vec::with_capacity(header.len());
    for (index, field) in header.iter().enumerate() {
        let name = String::from_utf8_lossy(field).trim().to_string();
        if name.is_empty() {
            return Err(DataError::new(
                format!("{source}, line 1"),
                format!("column {} has no name in the header", index + 1),
            ));
        }
        if names.contains(&name) {
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

/// Numeric when every present value parses as a finite number; categorical otherwise.
fn infer_column(name: String, values: &[Option<String>]) -> Column {
    let numbers: Option<Vec<Option<f64>>> = values
        .iter()
        .map(|value| match value {
            None => Some(None),
            Some(text) => text.parse::<f64>().ok().filter(|x| x.is_finite()).map(Some),
        })
        .collect();
    match numbers {
        Some(numbers) if numbers.iter().any(Option::is_some) => Column::numeric(name, numbers),
        _ => Column::categorical(name, values),
    }
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
    fn a_short_row_names_its_line() {
        let error = read_csv_bytes("t.csv", b"a,b\n1,2\n3\n").unwrap_err();
        assert_eq!(error.location, "t.csv, line 3");
        assert_eq!(error.message, "1 fields, but the header has 2 columns");
    }

    #[test]
    fn header_problems_are_reported() {
        let error = read_csv_bytes("t.csv", b"a,a\n1,2\n").unwrap_err();
        assert!(error.message.contains("appears twice"));
        let error = read_csv_bytes("t.csv", b"").unwrap_err();
        assert!(error.message.contains("empty"));
        let error = read_csv_bytes("t.csv", b"a,b\n").unwrap_err();
        assert!(error.message.contains("no data rows"));
    }
}
