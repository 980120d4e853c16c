//! The shape the per-patient image steps (`correct bias`, `segment`) report in: a table of
//! cohort summaries — median (IQR) and how many patients — and one warning naming the patients
//! to look at.

use crate::output::{Cell, Table, Text};
use crate::stats::summary::median_and_quartiles;

/// How many patients a warning names before it stops.
const NAMED: usize = 8;

/// Adds the row `label | median (IQR) | how many` for `values`; nothing when there are none.
pub fn add_summary_row(table: &mut Table, label: &str, values: &[f64]) {
    if values.is_empty() {
        return;
    }
    let (median, q1, q3) = median_and_quartiles(values);
    table.add_row(vec![
        Cell::text(label),
        Cell::MedianIqr { median, q1, q3 },
        Cell::Integer {
            value: values.len() as i64,
        },
    ]);
}

/// "3 patients need a look: P0001: …; P0002: …" with the verb in `(singular, plural)`, naming the
/// first few problems; `None` when there are none.
pub fn patients_warning(problems: &[String], verb: (&str, &str)) -> Option<Text> {
    let (count, verb) = match problems.len() {
        0 => return None,
        1 => ("1 patient".to_string(), verb.0),
        n => (format!("{n} patients"), verb.1),
    };
    let mut named = problems[..problems.len().min(NAMED)].join("; ");
    if problems.len() > NAMED {
        named.push_str(&format!("; and {} more", problems.len() - NAMED));
    }
    Some(Text::warning(format!("{count} {verb}: {named}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_warning_counts_and_names_the_patients() {
        let verb = ("needs a look", "need a look");
        assert_eq!(patients_warning(&[], verb), None);
        assert_eq!(
            patients_warning(&["P0001: no tumour".into()], verb)
                .unwrap()
                .text,
            "1 patient needs a look: P0001: no tumour"
        );
        let many: Vec<String> = (1..=10).map(|i| format!("P{i:04}")).collect();
        assert_eq!(
            patients_warning(&many, verb).unwrap().text,
            "10 patients need a look: P0001; P0002; P0003; P0004; P0005; P0006; P0007; P0008; and 2 more"
        );
    }

    #[test]
    fn a_summary_row_gives_median_quartiles_and_count() {
        let mut table = Table::new("t", "T").with_columns(["", "median (IQR)", "n"]);
        add_summary_row(&mut table, "none", &[]);
        add_summary_row(&mut table, "area", &[1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(table.rows.len(), 1);
        assert_eq!(table.rows[0][2], Cell::Integer { value: 5 });
        assert!(matches!(table.rows[0][1], Cell::MedianIqr { median, .. } if median == 3.0));
    }
}
