//! The study's Table 4, printed by `roc`: each predictor's Youden threshold chosen on the training
//! cohort and applied unchanged to every cohort, with sensitivity, specificity, accuracy, PPV and
//! NPV and their exact (Clopper–Pearson) 95% intervals — as pROC's `coords` and R's `binom.test`.

use super::validation::{Predictor, Scored, scored};
use crate::data::{Cohort, Dataset};
use crate::error::Error;
use crate::output::{Cell, Table};
use crate::stats::proportion::clopper_pearson;
use crate::stats::roc::{classify, roc_curve};

/// The table, or `None` when the data has no training/validation split (a threshold chosen and
/// judged on the same patients is what the ROC table already shows).
pub(super) fn table_4(
    data: &Dataset,
    outcome: &str,
    predictors: &[Predictor],
    cohorts: &[(String, Option<Cohort>)],
) -> Result<Option<Table>, Error> {
    if data.cohorts.is_none() {
        return Ok(None);
    }
    let mut table = Table::new(
        "classification",
        "Classification at the training cohort's Youden threshold",
    )
    .with_columns([
        "Predictor",
        "Threshold",
        "Cohort",
        "Measure",
        "Estimate",
        "95% CI",
        "k / n",
    ]);
    let training = data.rows_of(Some(Cohort::Training));
    for predictor in predictors {
        let Scored { y, scores } = scored(data, outcome, &training, &[predictor])?;
        let cases = y.iter().filter(|&&v| v > 0.5).count();
        if cases == 0 || cases == y.len() {
            continue;
        }
        let (threshold, _, _) = roc_curve(&y, &scores[0]).youden();
        for (label, cohort) in cohorts {
            let rows = data.rows_of(*cohort);
            let Scored { y, scores } = scored(data, outcome, &rows, &[predictor])?;
            let counts = classify(&y, &scores[0], threshold);
            for (measure, k, n) in counts.proportions() {
                let Some((estimate, low, high)) = clopper_pearson(k, n) else {
                    continue;
                };
                table.add_row(vec![
                    Cell::text(&predictor.name),
                    Cell::number(threshold),
                    Cell::text(label),
                    Cell::text(measure),
                    Cell::number(estimate),
                    Cell::Interval { low, high },
                    Cell::text(format!("{k} / {n}")),
                ]);
            }
        }
    }
    table.note("positive when the value is at least the threshold, chosen on the training cohort by Youden's J and applied unchanged to the others (the study's Table 4); exact Clopper–Pearson intervals, as R's binom.test");
    Ok(Some(table))
}
