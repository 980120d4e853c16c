//! A logistic model as a points nomogram, scaled as rms's `nomogram()` scales it: each predictor's
//! contribution β·x becomes points, the predictor with the widest range of contribution spanning
//! 0–100; the points add up to a total that maps back to the linear predictor and the risk.

use super::logistic::{logistic, logit};
use super::pretty::pretty;

/// Axis ticks asked of `pretty` (rms's `nint`).
const TICKS: usize = 10;
/// Points given to the widest predictor (rms's `maxscale`).
const MAXIMUM_POINTS: f64 = 100.0;
/// A numeric predictor with at most this many distinct values is drawn at those values (rms's
/// `datadist(n.unique = 10)`); one with more, at `pretty` values over its range.
const DISTINCT_VALUES_DRAWN: usize = 10;

/// A model term as the nomogram needs it.
#[derive(Debug, Clone, PartialEq)]
pub enum NomogramTerm {
    /// One coefficient times the value; `data` are the values seen when fitting (their range
    /// and number of distinct values choose the axis).
    Numeric {
        name: String,
        coefficient: f64,
        data: Vec<f64>,
    },
    /// One coefficient per level, 0 for the reference level.
    Categorical {
        name: String,
        levels: Vec<(String, f64)>,
    },
}

/// Where a tick sits on a predictor's axis.
#[derive(Debug, Clone, PartialEq)]
pub enum TickValue {
    Number(f64),
    Level(String),
    /// Neighbouring values with the same points (a zero coefficient), drawn as one tick:
    /// `first-last` (or `first+` when the run reaches a numeric axis's end).
    Run {
        first: String,
        last: String,
        open_ended: bool,
    },
}

/// One tick on a predictor's axis and its points.
#[derive(Debug, Clone, PartialEq)]
pub struct PredictorTick {
    pub value: TickValue,
    pub points: f64,
}

/// One predictor's axis.
#[derive(Debug, Clone, PartialEq)]
pub struct PredictorAxis {
    pub name: String,
    pub ticks: Vec<PredictorTick>,
    /// The smallest contribution β·x over the axis; points = (β·x − this) · scale.
    pub minimum_contribution: f64,
    /// The term the axis draws (for points at values off the ticks).
    pub term: NomogramTerm,
}

/// A tick on the linear-predictor or risk axis: its value and where it falls in total points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScaleTick {
    pub value: f64,
    pub points: f64,
}

/// The nomogram of a logistic model.
#[derive(Debug, Clone, PartialEq)]
pub struct Nomogram {
    pub axes: Vec<PredictorAxis>,
    /// Points per unit of linear predictor (rms's `sc`).
    pub points_per_unit: f64,
    /// The model's intercept plus every axis's smallest contribution (rms's shifted
    /// `Intercept`): the linear predictor at 0 total points.
    pub intercept_at_zero: f64,
    pub total_points: Vec<f64>,
    pub linear_predictor: Vec<ScaleTick>,
    pub risk: Vec<ScaleTick>,
}

impl NomogramTerm {
    pub fn name(&self) -> &str {
        match self {
            NomogramTerm::Numeric { name, .. } | NomogramTerm::Categorical { name, .. } => name,
        }
    }

    /// The values drawn on the axis with their contributions β·x.
    fn axis_values(&self) -> Vec<(TickValue, f64)> {
        match self {
            NomogramTerm::Numeric {
                coefficient, data, ..
            } => {
                let mut distinct: Vec<f64> =
                    data.iter().copied().filter(|v| v.is_finite()).collect();
                distinct.sort_by(f64::total_cmp);
                distinct.dedup();
                let values = if distinct.len() <= DISTINCT_VALUES_DRAWN {
                    distinct
                } else {
                    pretty(distinct[0], distinct[distinct.len() - 1], TICKS)
                };
                values
                    .into_iter()
                    .map(|v| (TickValue::Number(v), coefficient * v))
                    .collect()
            }
            NomogramTerm::Categorical { levels, .. } => levels
                .iter()
                .map(|(level, beta)| (TickValue::Level(level.clone()), *beta))
                .collect(),
        }
    }

    /// The contribution β·x of a numeric value or a level; `None` for an unknown level.
    pub fn contribution(&self, value: &TickValue) -> Option<f64> {
        match (self, value) {
            (NomogramTerm::Numeric { coefficient, .. }, TickValue::Number(x)) => {
                Some(coefficient * x)
            }
            (NomogramTerm::Categorical { levels, .. }, TickValue::Level(level)) => levels
                .iter()
                .find(|(l, _)| l == level)
                .map(|(_, beta)| *beta),
            _ => None,
        }
    }
}

impl TickValue {
    /// How the value is written on the axis; numbers as R's `format` writes them (7 significant
    /// digits, no trailing zeros).
    pub fn label(&self) -> String {
        match self {
            TickValue::Number(v) => format_number(*v),
            TickValue::Level(level) => level.clone(),
            TickValue::Run {
                first,
                last,
                open_ended,
            } => {
                if *open_ended {
                    format!("{first}+")
                } else {
                    format!("{first}-{last}")
                }
            }
        }
    }
}

/// A number with at most 7 significant digits, trailing zeros dropped.
pub fn format_number(v: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    let digits = (6 - v.abs().log10().floor() as i32).clamp(0, 15) as usize;
    let text = format!("{v:.digits$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

impl Nomogram {
    /// The nomogram of a logistic model with this intercept and these terms; `linear_predictors`
    /// are the fitted linear predictors of the fitting data (their range chooses the
    /// linear-predictor axis). `None` when no term has any effect.
    ///
    /// # Formula
    /// For each axis, contributions c = β·x at its values (the ≤ 10 distinct values seen, the
    /// levels, or `pretty(range, 10)`); scale = 100 / max over axes of (max c − min c); a value's
    /// points = (c − min c) · scale; intercept at zero = β₀ + Σ min c. Linear-predictor ticks:
    /// `pretty(range(linear predictors), 10)` at (η − intercept at zero) · scale; total-points
    /// ticks: `pretty(0, max(100, that position's maximum), 10)`; risk ticks:
    /// `pretty(logistic(range of the η ticks), 10)` inside that range, at (logit(p) − intercept
    /// at zero) · scale. Neighbouring ticks with equal points merge into one, as rms's `rle` step.
    ///
    /// # Remarks
    /// rms places the risk ticks by interpolating the inverse of the logistic on a 1,000-point
    /// grid; here the logit is exact (the two differ by less than 0.01 points).
    ///
    /// # References
    /// Harrell, rms package, `nomogram()` (rms 6.5); Iasonos et al., "How to build and interpret
    /// a nomogram for cancer prognosis", J Clin Oncol 26 (2008) 1364–1370.
    pub fn build(
        intercept: f64,
        terms: &[NomogramTerm],
        linear_predictors: &[f64],
    ) -> Option<Nomogram> {
        // Each term with its axis values (value, contribution) and the contributions' range.
        struct Drawn {
            term: NomogramTerm,
            values: Vec<(TickValue, f64)>,
            low: f64,
            high: f64,
        }
        let mut axes: Vec<Drawn> = terms
            .iter()
            .map(|term| {
                let values = term.axis_values();
                let low = values.iter().map(|v| v.1).fold(f64::INFINITY, f64::min);
                let high = values.iter().map(|v| v.1).fold(f64::NEG_INFINITY, f64::max);
                Drawn {
                    term: term.clone(),
                    values,
                    low,
                    high,
                }
            })
            .collect();
        axes.retain(|a| !a.values.is_empty() && a.low.is_finite() && a.high.is_finite());
        let widest = axes.iter().map(|a| a.high - a.low).fold(0.0, f64::max);
        if widest <= 0.0 || !widest.is_finite() {
            return None;
        }
        let scale = MAXIMUM_POINTS / widest;
        let intercept_at_zero = intercept + axes.iter().map(|a| a.low).sum::<f64>();
        let predictor_axes: Vec<PredictorAxis> = axes
            .into_iter()
            .map(
                |Drawn {
                     term, values, low, ..
                 }| PredictorAxis {
                    name: term.name().to_string(),
                    ticks: merge_equal_points(
                        values
                            .into_iter()
                            .map(|(value, c)| PredictorTick {
                                value,
                                points: (c - low) * scale,
                            })
                            .collect(),
                        matches!(term, NomogramTerm::Numeric { .. }),
                    ),
                    minimum_contribution: low,
                    term,
                },
            )
            .collect();

        let finite: Vec<f64> = linear_predictors
            .iter()
            .copied()
            .filter(|v| v.is_finite())
            .collect();
        let (lp_low, lp_high) = (
            finite.iter().copied().fold(f64::INFINITY, f64::min),
            finite.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        );
        let lp_at = if lp_low.is_finite() {
            pretty(lp_low, lp_high, TICKS)
        } else {
            Vec::new()
        };
        let at_points = |eta: f64| (eta - intercept_at_zero) * scale;
        let largest = if predictor_axes.len() == 1 {
            MAXIMUM_POINTS
        } else {
            lp_at
                .iter()
                .map(|&eta| at_points(eta))
                .fold(MAXIMUM_POINTS, f64::max)
        };
        let total_points = pretty(0.0, largest, TICKS);
        let linear_predictor: Vec<ScaleTick> = lp_at
            .iter()
            .map(|&eta| ScaleTick {
                value: eta,
                points: at_points(eta),
            })
            .collect();
        let risk = match (lp_at.first(), lp_at.last()) {
            (Some(&first), Some(&last)) => {
                let (low, high) = (logistic(first), logistic(last));
                pretty(low, high, TICKS)
                    .into_iter()
                    .filter(|&p| p >= low && p <= high && p > 0.0 && p < 1.0)
                    .map(|p| ScaleTick {
                        value: p,
                        points: at_points(logit(p)),
                    })
                    .collect()
            }
            _ => Vec::new(),
        };
        Some(Nomogram {
            axes: predictor_axes,
            points_per_unit: scale,
            intercept_at_zero,
            total_points,
            linear_predictor,
            risk,
        })
    }

    /// Points of axis `axis` at a value (a number or a level); `None` for an unknown level.
    pub fn points(&self, axis: usize, value: &TickValue) -> Option<f64> {
        let axis = &self.axes[axis];
        axis.term
            .contribution(value)
            .map(|c| (c - axis.minimum_contribution) * self.points_per_unit)
    }

    /// The linear predictor at a total of points.
    pub fn linear_predictor_at(&self, total_points: f64) -> f64 {
        total_points / self.points_per_unit + self.intercept_at_zero
    }

    /// The risk at a total of points.
    pub fn risk_at(&self, total_points: f64) -> f64 {
        logistic(self.linear_predictor_at(total_points))
    }

    /// The largest total of points the axes can give.
    pub fn maximum_total(&self) -> f64 {
        self.axes
            .iter()
            .map(|a| a.ticks.iter().map(|t| t.points).fold(0.0, f64::max))
            .sum()
    }
}

/// Neighbouring ticks with the same points become one tick naming the run.
fn merge_equal_points(ticks: Vec<PredictorTick>, numeric: bool) -> Vec<PredictorTick> {
    let count = ticks.len();
    let mut merged: Vec<PredictorTick> = Vec::with_capacity(count);
    let mut start = 0;
    while start < count {
        let mut end = start;
        while end + 1 < count && ticks[end + 1].points == ticks[start].points {
            end += 1;
        }
        if end == start {
            merged.push(ticks[start].clone());
        } else {
            merged.push(PredictorTick {
                value: TickValue::Run {
                    first: ticks[start].value.label(),
                    last: ticks[end].value.label(),
                    open_ended: numeric && end == count - 1,
                },
                points: ticks[start].points,
            });
        }
        start = end + 1;
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example() -> Nomogram {
        let terms = vec![
            NomogramTerm::Numeric {
                name: "grade".into(),
                coefficient: 0.5,
                data: vec![1.0, 2.0, 3.0, 2.0],
            },
            NomogramTerm::Categorical {
                name: "lnmri".into(),
                levels: vec![("no".into(), 0.0), ("yes".into(), -2.0)],
            },
        ];
        Nomogram::build(-1.0, &terms, &[-3.0, 0.0, 1.0]).unwrap()
    }

    #[test]
    fn the_widest_effect_spans_100_points_and_negative_effects_count_from_their_minimum() {
        let nomogram = example();
        // lnmri's contributions 0 and −2 span 2, grade's 0.5..1.5 span 1: 50 points per unit.
        assert_eq!(nomogram.points_per_unit, 50.0);
        let lnmri: Vec<f64> = nomogram.axes[1].ticks.iter().map(|t| t.points).collect();
        assert_eq!(lnmri, vec![100.0, 0.0]);
        let grade: Vec<f64> = nomogram.axes[0].ticks.iter().map(|t| t.points).collect();
        assert_eq!(grade, vec![0.0, 25.0, 50.0]);
        // −1 + 0.5 (grade 1) − 2 (lnmri yes) at zero points.
        assert_eq!(nomogram.intercept_at_zero, -2.5);
        // Grade 3 and lnmri no: 50 + 100 points → η = 150/50 − 2.5 = 0.5.
        assert!((nomogram.linear_predictor_at(150.0) - 0.5).abs() < 1e-15);
        assert!((nomogram.risk_at(150.0) - logistic(0.5)).abs() < 1e-15);
    }

    #[test]
    fn equal_points_merge_into_one_tick() {
        let terms = vec![
            NomogramTerm::Numeric {
                name: "flat".into(),
                coefficient: 0.0,
                data: vec![1.0, 2.0, 3.0],
            },
            NomogramTerm::Numeric {
                name: "x".into(),
                coefficient: 1.0,
                data: vec![0.0, 1.0],
            },
        ];
        let nomogram = Nomogram::build(0.0, &terms, &[0.0, 1.0]).unwrap();
        assert_eq!(nomogram.axes[0].ticks.len(), 1);
        assert_eq!(nomogram.axes[0].ticks[0].value.label(), "1+");
    }

    #[test]
    fn numbers_are_written_as_r_formats_them() {
        assert_eq!(format_number(0.30000000000000004), "0.3");
        assert_eq!(format_number(-4.5), "-4.5");
        assert_eq!(format_number(120.0), "120");
        assert_eq!(format_number(0.049999999999999996), "0.05");
    }
}
