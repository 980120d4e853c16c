//! The study's Table 4, printed by `roc`: each predictor's Youden threshold chosen on the training
//! cohort and applied unchanged to every cohort, with sensitivity, specificity, accuracy, PPV and
//! NPV and their exact (Clopper–Pearson) 95% intervals — as pROC's `coords` and R's `binom.test`.

use super::validation::{Predictor, Scored, scored};
use crate::data::{Cohort, Dataset};
use crate::error::Error;
use crate::output::{Cell, Table};
use crate::stats::proportion::clopper_pearson;
use crate::stats::roc::{classify, roc_curve};

/// Each predictor's AUC with its DeLong interval in a cohort (from `roc`), for the performance
/// table.
pub(super) struct Discrimination {
    pub predictor: String,
    pub cohort: String,
    pub auc: (f64, f64, f64),
}

/// The table, or `None` when the data has no training/validation split (a threshold chosen and
/// judged on the same patients is what the ROC table already shows); and, for a report, the
/// performance table: per predictor and cohort the AUC with its interval and the five measures
/// with theirs at the same threshold, one row each (the study's Table 4 as papers print it).
pub(super) fn table_4(
    data: &Dataset,
    outcome: &str,
    predictors: &[Predictor],
    cohorts: &[(String, Option<Cohort>)],
    discrimination: &[Discrimination],
) -> Result<(Option<Table>, Table), Error> {
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
    let mut performance = Table::new(
        "performance",
        format!("Performance of each predictor of `{outcome}`"),
    )
    .with_columns([
        "Predictor",
        "Cohort",
        "AUC (95% CI)",
        "Sensitivity",
        "Specificity",
        "Accuracy",
        "PPV",
        "NPV",
    ]);
    let chosen_on = if data.cohorts.is_some() {
        Some(Cohort::Training)
    } else {
        None
    };
    let training = data.rows_of(chosen_on);
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
            let auc = discrimination
                .iter()
                .find(|d| d.predictor == predictor.name && &d.cohort == label);
            let mut measures = Vec::new();
            for (measure, k, n) in counts.proportions() {
                let Some((estimate, low, high)) = clopper_pearson(k, n) else {
                    measures.push(Cell::Empty);
                    continue;
                };
                measures.push(Cell::Estimate {
                    value: estimate,
                    low,
                    high,
                });
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
            if let Some(auc) = auc {
                let mut row = vec![
                    Cell::text(&predictor.name),
                    Cell::text(label),
                    Cell::Estimate {
                        value: auc.auc.0,
                        low: auc.auc.1,
                        high: auc.auc.2,
                    },
                ];
                row.extend(measures);
                performance.add_row(row);
            }
        }
    }
    table.note("positive when the value is at least the threshold, chosen on the training cohort by Youden's J and applied unchanged to the others (the study's Table 4); exact Clopper–Pearson intervals, as R's binom.test");
    performance.note(format!(
        "AUC with DeLong's 95% interval; sensitivity, specificity, accuracy, PPV and NPV with exact (Clopper–Pearson) 95% intervals, positive at or above each predictor's Youden threshold chosen on the {} and applied unchanged to {}",
        if chosen_on.is_some() { "training cohort" } else { "patients shown" },
        if chosen_on.is_some() { "the validation cohort" } else { "them" }
    ));
    Ok((data.cohorts.is_some().then_some(table), performance))
}
