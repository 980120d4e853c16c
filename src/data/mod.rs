//! Tabular data: a cohort's clinical table with its roles (outcome, id, training/validation
//! split), read from CSV with types inferred and missing values counted.
//!
//! Knows nothing of the language or of rendering: errors name the file and line, and results are
//! plain structs.

mod csv_reader;
mod dataset;
mod parquet;
mod split;

pub use csv_reader::{BadCell, CsvOptions, CsvTable, MISSING_MARKERS, read_csv, read_csv_with};
pub use dataset::{
    Cohort, Column, ColumnValues, DataError, Dataset, MAX_CODED_LEVELS, SplitSource,
    Standardization, glob_matches,
};
pub use split::{parse_cohort_label, stratified_split};
