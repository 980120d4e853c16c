//! From a formula's terms to a design matrix: an intercept, numeric columns as they are,
//! categorical columns (and `factor(x)`) as treatment-coded indicators against their first
//! level, rows with a missing value in any model variable left out and counted (R's `na.omit`).

use super::linalg::Matrix;
use crate::data::{ColumnValues, DataError, Dataset};

/// A formula term as the statistics see it.
#[derive(Debug, Clone, PartialEq)]
pub struct TermRequest {
    pub column: String,
    /// `factor(x)`: treat a numeric column as categories.
    pub factor: bool,
}

/// A term of the fitted model and the design columns it became.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// `grade`, `multifocal`, `factor(grade)`.
    pub label: String,
    pub column: String,
    /// For categorical terms: the levels in the fitting rows, the first being the reference.
    pub levels: Vec<String>,
    pub categorical: bool,
}

/// One column of the design matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct DesignColumn {
    /// R's name: `(Intercept)`, `age`, `multifocalyes`, `factor(grade)2`.
    pub name: String,
    /// Index into [`Design::terms`]; `None` for the intercept.
    pub term: Option<usize>,
    /// For an indicator, the level it marks.
    pub level: Option<String>,
}

/// A design matrix with its outcome.
#[derive(Debug, Clone)]
pub struct Design {
    pub terms: Vec<Term>,
    pub columns: Vec<DesignColumn>,
    /// n × p, the intercept first.
    pub x: Matrix,
    /// 1 for the positive outcome, 0 otherwise.
    pub y: Vec<f64>,
    /// The data rows used, in order.
    pub rows: Vec<usize>,
    /// Rows left out for a missing value in the outcome or a model variable.
    pub excluded: usize,
    pub positive_label: String,
}

/// Builds the design for `outcome ~ terms` on `rows` of `data`.
pub fn build(
    data: &Dataset,
    outcome: &str,
    requests: &[TermRequest],
    rows: &[usize],
) -> Result<Design, DataError> {
    let outcome_column = data
        .column(outcome)
        .ok_or_else(|| DataError::new(format!("column `{outcome}`"), "no such column"))?;
    let (positive, _, positive_label, _) = data.binary_groups(outcome_column, rows)?;
    let mut used: Vec<usize> = rows.to_vec();
    used.retain(|&row| !outcome_column.is_missing(row));
    let mut columns_needed = Vec::new();
    for request in requests {
        let column = data.column(&request.column).ok_or_else(|| {
            DataError::new(format!("column `{}`", request.column), "no such column")
        })?;
        columns_needed.push(column);
    }
    used.retain(|&row| columns_needed.iter().all(|c| !c.is_missing(row)));
    let excluded = rows.len() - used.len();
    let positive: std::collections::HashSet<usize> = positive.into_iter().collect();
    let y: Vec<f64> = used
        .iter()
        .map(|row| f64::from(u8::from(positive.contains(row))))
        .collect();

    let mut terms = Vec::new();
    let mut design_columns = vec![DesignColumn {
        name: "(Intercept)".to_string(),
        term: None,
        level: None,
    }];
    let mut values: Vec<Vec<f64>> = vec![vec![1.0; used.len()]];
    for (request, column) in requests.iter().zip(&columns_needed) {
        let term_index = terms.len();
        let categorical =
            request.factor || matches!(column.values, ColumnValues::Categorical { .. });
        let label = if request.factor {
            format!("factor({})", request.column)
        } else {
            request.column.clone()
        };
        if !categorical {
            let ColumnValues::Numeric(numbers) = &column.values else {
                unreachable!("a non-categorical column is numeric")
            };
            values.push(
                used.iter()
                    .map(|&row| numbers[row].unwrap_or(f64::NAN))
                    .collect(),
            );
            design_columns.push(DesignColumn {
                name: label.clone(),
                term: Some(term_index),
                level: None,
            });
            terms.push(Term {
                label,
                column: request.column.clone(),
                levels: Vec::new(),
                categorical: false,
            });
            continue;
        }
        // Levels present in the rows used, in the column's order (numeric for numbers).
        let texts: Vec<String> = used
            .iter()
            .map(|&row| column.text(row).unwrap_or_default())
            .collect();
        let levels: Vec<String> = column
            .distinct_texts()
            .into_iter()
            .filter(|level| texts.contains(level))
            .collect();
        for level in levels.iter().skip(1) {
            values.push(
                texts
                    .iter()
                    .map(|t| f64::from(u8::from(t == level)))
                    .collect(),
            );
            design_columns.push(DesignColumn {
                name: format!("{label}{level}"),
                term: Some(term_index),
                level: Some(level.clone()),
            });
        }
        terms.push(Term {
            label,
            column: request.column.clone(),
            levels,
            categorical: true,
        });
    }
    let mut x = Matrix::from_columns(&values);
    x.rows = used.len();
    Ok(Design {
        terms,
        columns: design_columns,
        x,
        y,
        rows: used,
        excluded,
        positive_label,
    })
}

impl Design {
    /// The design columns belonging to term `term`.
    pub fn columns_of(&self, term: usize) -> Vec<usize> {
        self.columns
            .iter()
            .enumerate()
            .filter(|(_, c)| c.term == Some(term))
            .map(|(j, _)| j)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Column;

    #[test]
    fn categories_become_indicators_and_missing_rows_are_left_out() {
        let data = Dataset::new(
            "t",
            vec![
                Column::numeric("y", vec![Some(1.0), Some(0.0), Some(1.0), Some(0.0)]),
                Column::numeric("age", vec![Some(50.0), None, Some(40.0), Some(45.0)]),
                Column::categorical(
                    "er",
                    &[
                        Some("pos".into()),
                        Some("neg".into()),
                        Some("neg".into()),
                        Some("pos".into()),
                    ],
                ),
            ],
        );
        let requests = [
            TermRequest {
                column: "age".into(),
                factor: false,
            },
            TermRequest {
                column: "er".into(),
                factor: false,
            },
        ];
        let design = build(&data, "y", &requests, &[0, 1, 2, 3]).unwrap();
        assert_eq!(design.excluded, 1);
        assert_eq!(design.rows, vec![0, 2, 3]);
        let names: Vec<&str> = design.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["(Intercept)", "age", "erpos"]);
        assert_eq!(design.x.column(2), &[1.0, 0.0, 1.0]);
        assert_eq!(design.y, vec![1.0, 1.0, 0.0]);
    }
}
