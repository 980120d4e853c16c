//! The in-memory table and its roles.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// Whole-number columns with at most this many distinct values are treated as categories when
/// described or drawn (grade 1-3), unless the user says otherwise.
pub const MAX_CODED_LEVELS: usize = 5;

/// A table of patients (rows) by variables (columns), with the study roles set on it.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// Where the rows came from (a path), for messages.
    pub source: String,
    pub columns: Vec<Column>,
    /// The binary outcome column, by name.
    pub outcome: Option<String>,
    /// The value of the outcome that is the event (the group models predict), as its text.
    pub event: Option<String>,
    /// The patient id column, by name.
    pub id: Option<String>,
    /// Training or validation for each row, once split.
    pub cohorts: Option<Arc<Vec<Cohort>>>,
    /// How the split was made, once split.
    pub split: Option<SplitSource>,
    /// The radiomics feature columns (set by `load table … features=` or by feature extraction).
    pub features: Vec<String>,
    /// The z-scoring applied to the features, once applied.
    pub standardization: Option<Standardization>,
    /// Feature columns whose values are not PyRadiomics's under the same key, with why (set by
    /// feature extraction).
    pub feature_departures: BTreeMap<String, &'static str>,
    /// When the rows are lesions (`extract lesions=each`): the table with one row per patient
    /// they were made from, and the column numbering each patient's lesions.
    pub per_patient: Option<(Arc<Dataset>, String)>,
}

/// Where the training/validation split came from.
#[derive(Debug, Clone, PartialEq)]
pub enum SplitSource {
    /// A column of the table names each patient's cohort.
    Column(String),
    /// Stratified at random by the outcome.
    Random {
        outcome: String,
        fraction: f64,
        seed: u64,
    },
}

impl fmt::Display for SplitSource {
    /// In words: "by column `cohort`", "at random, stratified by `aln`: 70% training, seed 7".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SplitSource::Column(name) => write!(f, "by column `{name}`"),
            SplitSource::Random {
                outcome,
                fraction,
                seed,
            } => write!(
                f,
                "at random, stratified by `{outcome}`: {}% training, seed {seed}",
                fraction * 100.0
            ),
        }
    }
}

/// Features z-scored with the training rows' mean and standard deviation (n − 1, as R's `scale`),
/// the same transformation applied to every row.
#[derive(Debug, Clone, PartialEq)]
pub struct Standardization {
    pub columns: Vec<String>,
    pub means: Vec<f64>,
    pub standard_deviations: Vec<f64>,
    /// Rows the means and sds were computed on.
    pub fitted_on: String,
}

/// One variable.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub name: String,
    pub values: ColumnValues,
}

/// The values of a column: numbers, or category codes into `levels`. `None` is missing.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnValues {
    Numeric(Arc<Vec<Option<f64>>>),
    Categorical {
        /// The distinct values, sorted.
        levels: Vec<String>,
        codes: Arc<Vec<Option<u32>>>,
    },
}

/// Which part of the study a patient belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cohort {
    Training,
    Validation,
}

impl fmt::Display for Cohort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Cohort::Training => "training",
            Cohort::Validation => "validation",
        })
    }
}

/// A problem with the data themselves, naming where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct DataError {
    /// `examples/data/demo.csv, line 12` or `column aln`.
    pub location: String,
    pub message: String,
}

impl DataError {
    pub fn new(location: impl Into<String>, message: impl Into<String>) -> DataError {
        DataError {
            location: location.into(),
            message: message.into(),
        }
    }
}

impl Column {
    pub fn numeric(name: impl Into<String>, values: Vec<Option<f64>>) -> Column {
        Column {
            name: name.into(),
            values: ColumnValues::Numeric(Arc::new(values)),
        }
    }

    /// A categorical column from texts (levels sorted, `None` missing).
    pub fn categorical(name: impl Into<String>, values: &[Option<String>]) -> Column {
        let mut levels: Vec<String> = values.iter().flatten().cloned().collect();
        levels.sort();
        levels.dedup();
        let codes = values
            .iter()
            .map(|value| {
                value
                    .as_ref()
                    .map(|v| levels.binary_search(v).unwrap_or_default() as u32)
            })
            .collect();
        Column {
            name: name.into(),
            values: ColumnValues::Categorical {
                levels,
                codes: Arc::new(codes),
            },
        }
    }

    pub fn len(&self) -> usize {
        match &self.values {
            ColumnValues::Numeric(values) => values.len(),
            ColumnValues::Categorical { codes, .. } => codes.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn is_missing(&self, row: usize) -> bool {
        match &self.values {
            ColumnValues::Numeric(values) => values[row].is_none(),
            ColumnValues::Categorical { codes, .. } => codes[row].is_none(),
        }
    }

    pub fn missing_count(&self) -> usize {
        (0..self.len()).filter(|&row| self.is_missing(row)).count()
    }

    /// The value of a row as text (numbers as written by `{}`), `None` when missing.
    pub fn text(&self, row: usize) -> Option<String> {
        match &self.values {
            ColumnValues::Numeric(values) => values[row].map(|x| x.to_string()),
            ColumnValues::Categorical { levels, codes } => {
                codes[row].map(|code| levels[code as usize].clone())
            }
        }
    }

    /// True for a numeric column that reads as coded categories: whole numbers with at most
    /// [`MAX_CODED_LEVELS`] distinct values (grade 1-3, a 0/1 flag).
    pub fn is_coded_category(&self) -> bool {
        match &self.values {
            ColumnValues::Numeric(values) => {
                values.iter().flatten().all(|x| x.fract() == 0.0)
                    && self.distinct_texts().len() <= MAX_CODED_LEVELS
            }
            ColumnValues::Categorical { .. } => false,
        }
    }

    /// "numeric" or "categorical (k levels)".
    pub fn type_name(&self) -> String {
        match &self.values {
            ColumnValues::Numeric(_) => "numeric".to_string(),
            ColumnValues::Categorical { levels, .. } => {
                format!("categorical ({} levels)", levels.len())
            }
        }
    }

    /// The distinct non-missing values as texts, sorted (numerically for numbers).
    pub fn distinct_texts(&self) -> Vec<String> {
        match &self.values {
            ColumnValues::Numeric(values) => {
                let mut distinct: Vec<f64> = values.iter().flatten().copied().collect();
                distinct.sort_by(f64::total_cmp);
                distinct.dedup();
                distinct.iter().map(|x| x.to_string()).collect()
            }
            ColumnValues::Categorical { levels, .. } => levels.clone(),
        }
    }
}

impl Dataset {
    pub fn new(source: impl Into<String>, columns: Vec<Column>) -> Dataset {
        Dataset {
            source: source.into(),
            columns,
            outcome: None,
            event: None,
            id: None,
            cohorts: None,
            split: None,
            features: Vec::new(),
            standardization: None,
            feature_departures: BTreeMap::new(),
            per_patient: None,
        }
    }

    /// The column the split was read from, if it was.
    pub fn split_column(&self) -> Option<&str> {
        match &self.split {
            Some(SplitSource::Column(name)) => Some(name),
            _ => None,
        }
    }

    /// Adds a column, or replaces the one with the same name.
    pub fn set_column(&mut self, column: Column) {
        match self.columns.iter_mut().find(|c| c.name == column.name) {
            Some(existing) => *existing = column,
            None => self.columns.push(column),
        }
    }

    /// The numeric values of column `name` (`None` if it is missing or not numeric).
    pub fn numbers(&self, name: &str) -> Option<&[Option<f64>]> {
        match &self.column(name)?.values {
            ColumnValues::Numeric(values) => Some(values),
            ColumnValues::Categorical { .. } => None,
        }
    }

    /// Column names matching a glob (`original_*`, `f0?`), in table order.
    pub fn columns_matching(&self, pattern: &str) -> Vec<String> {
        self.column_names()
            .filter(|name| glob_matches(pattern, name))
            .map(str::to_string)
            .collect()
    }

    pub fn row_count(&self) -> usize {
        self.columns.first().map_or(0, Column::len)
    }

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    pub fn column_names(&self) -> impl Iterator<Item = &str> {
        self.columns.iter().map(|c| c.name.as_str())
    }

    /// The same table with only `rows`, in that order (roles and split kept).
    pub fn keep_rows(&self, rows: &[usize]) -> Dataset {
        let columns = self
            .columns
            .iter()
            .map(|column| Column {
                name: column.name.clone(),
                values: match &column.values {
                    ColumnValues::Numeric(values) => {
                        ColumnValues::Numeric(Arc::new(rows.iter().map(|&r| values[r]).collect()))
                    }
                    ColumnValues::Categorical { levels, codes } => ColumnValues::Categorical {
                        levels: levels.clone(),
                        codes: Arc::new(rows.iter().map(|&r| codes[r]).collect()),
                    },
                },
            })
            .collect();
        Dataset {
            columns,
            cohorts: self
                .cohorts
                .as_ref()
                .map(|c| Arc::new(rows.iter().map(|&r| c[r]).collect())),
            ..self.clone()
        }
    }

    /// The table as CSV text: a header row, then one row per patient; missing values empty,
    /// numbers written so they read back identically.
    pub fn to_csv(&self) -> String {
        let mut writer = csv::Writer::from_writer(Vec::new());
        // Writing into memory cannot fail.
        writer
            .write_record(self.column_names())
            .expect("csv in memory");
        for row in 0..self.row_count() {
            let record: Vec<String> = self
                .columns
                .iter()
                .map(|column| match &column.values {
                    ColumnValues::Numeric(values) => {
                        values[row].map(|v| format!("{v}")).unwrap_or_default()
                    }
                    ColumnValues::Categorical { .. } => column.text(row).unwrap_or_default(),
                })
                .collect();
            writer.write_record(&record).expect("csv in memory");
        }
        String::from_utf8(writer.into_inner().expect("csv in memory")).expect("csv of UTF-8 text")
    }

    /// The rows of `cohort` (all rows when `None`).
    pub fn rows_of(&self, cohort: Option<Cohort>) -> Vec<usize> {
        match (cohort, &self.cohorts) {
            (Some(wanted), Some(cohorts)) => (0..self.row_count())
                .filter(|&row| cohorts[row] == wanted)
                .collect(),
            _ => (0..self.row_count()).collect(),
        }
    }

    /// The patient's id for messages: the id column's value, else `row N` (1-based); on a table
    /// of lesions, with the lesion's number: `P0007/2`.
    pub fn patient_label(&self, row: usize) -> String {
        let patient = self
            .id
            .as_deref()
            .and_then(|id| self.column(id))
            .and_then(|column| column.text(row))
            .unwrap_or_else(|| format!("row {}", row + 1));
        match self
            .per_patient
            .as_ref()
            .and_then(|(_, lesion)| self.column(lesion))
            .and_then(|column| column.text(row))
        {
            Some(lesion) => format!("{patient}/{lesion}"),
            None => patient,
        }
    }

    /// `Err` with what to do when the rows are lesions, not patients: a model of a patient's
    /// outcome (or a split of patients) needs one row per patient.
    pub fn require_patient_rows(&self, what: &str) -> Result<(), String> {
        let Some((patients, _)) = &self.per_patient else {
            return Ok(());
        };
        Err(format!(
            "the data have one row per lesion ({} rows for {} patient(s), from `extract lesions=each`); {what} needs one row per patient: choose how a patient's lesions make one row — `extract lesions=largest` (the largest lesion) or `extract lesions=all` (the lesions together as one region)",
            self.row_count(),
            patients.row_count()
        ))
    }

    /// Splits `rows` by the two values of a binary column: `(positive rows, negative rows,
    /// positive label, negative label)`. For the outcome the positive value is its event; for
    /// another column it is 1 for numbers, for texts `yes`/`pos`/`positive`/`true`/`1` when
    /// present, else the later of the two sorted levels (the order groups are shown in).
    pub fn binary_groups(
        &self,
        column: &Column,
        rows: &[usize],
    ) -> Result<(Vec<usize>, Vec<usize>, String, String), DataError> {
        let distinct = column.distinct_texts();
        if distinct.len() != 2 {
            return Err(DataError::new(
                format!("column `{}`", column.name),
                format!(
                    "needs exactly two groups to compare, it has {} ({})",
                    distinct.len(),
                    preview(&distinct)
                ),
            ));
        }
        let event = self
            .event
            .as_ref()
            .filter(|_| self.outcome.as_deref() == Some(column.name.as_str()))
            .filter(|event| distinct.contains(event));
        let positive = event.cloned().unwrap_or_else(|| positive_level(&distinct));
        let negative = distinct
            .iter()
            .find(|d| **d != positive)
            .cloned()
            .unwrap_or_default();
        let (mut yes, mut no) = (Vec::new(), Vec::new());
        for &row in rows {
            match column.text(row) {
                Some(value) if value == positive => yes.push(row),
                Some(_) => no.push(row),
                None => {}
            }
        }
        Ok((yes, no, positive, negative))
    }
}

/// Shell-style wildcard matching: `*` any run of characters, `?` any one character.
pub fn glob_matches(pattern: &str, name: &str) -> bool {
    let (pattern, name): (Vec<char>, Vec<char>) =
        (pattern.chars().collect(), name.chars().collect());
    let (mut p, mut n, mut star, mut mark) = (0, 0, None, 0);
    while n < name.len() {
        if p < pattern.len() && (pattern[p] == '?' || pattern[p] == name[n]) {
            p += 1;
            n += 1;
        } else if p < pattern.len() && pattern[p] == '*' {
            star = Some(p);
            mark = n;
            p += 1;
        } else if let Some(s) = star {
            p = s + 1;
            mark += 1;
            n = mark;
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

/// Which of two levels means "positive".
fn positive_level(levels: &[String]) -> String {
    const POSITIVE: [&str; 6] = ["1", "yes", "pos", "positive", "true", "y"];
    levels
        .iter()
        .find(|level| POSITIVE.contains(&level.to_lowercase().as_str()))
        .unwrap_or(&levels[levels.len() - 1])
        .clone()
}

/// The first few values, for messages.
pub(crate) fn preview(values: &[String]) -> String {
    let shown: Vec<_> = values.iter().take(5).map(|v| format!("`{v}`")).collect();
    let more = if values.len() > 5 { ", …" } else { "" };
    format!("{}{more}", shown.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positive_level_prefers_yes_and_one() {
        assert_eq!(positive_level(&["no".into(), "yes".into()]), "yes");
        assert_eq!(positive_level(&["0".into(), "1".into()]), "1");
        assert_eq!(
            positive_level(&["benign".into(), "malignant".into()]),
            "malignant"
        );
    }

    #[test]
    fn globs_match_like_a_shell() {
        assert!(glob_matches("original_*", "original_firstorder_Energy"));
        assert!(glob_matches("f0?", "f07"));
        assert!(!glob_matches("f0?", "f10"));
        assert!(glob_matches("*", "anything"));
        assert!(glob_matches("a*b*c", "aXXbYYc"));
        assert!(!glob_matches("a*b", "ab_c"));
    }

    #[test]
    fn binary_groups_refuses_three_levels() {
        let column = Column::numeric("grade", vec![Some(1.0), Some(2.0), Some(3.0)]);
        let data = Dataset::new("t", vec![column.clone()]);
        let error = data.binary_groups(&column, &[0, 1, 2]).unwrap_err();
        assert_eq!(
            error.message,
            "needs exactly two groups to compare, it has 3 (`1`, `2`, `3`)"
        );
    }
}
