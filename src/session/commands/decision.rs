//! `dca`: decision curves (the study's Fig. 7) with bootstrap bands, and a table of net benefit
//! per 100 patients, standardised net benefit and interventions avoided at chosen thresholds.

use super::validation::{COHORTS, Scored, cohorts, predictors, ranges, scored};
use crate::error::Error;
use crate::output::{Axis, Cell, Layer, Legend, Output, Plot, Series, Table};
use crate::session::args::Arguments;
use crate::session::context::Context;
use crate::session::spec::{ArgKind, ArgSpec, CommandSpec, Group};
use crate::stats::calibration::treat_all_net_benefit;
use crate::stats::decision::{DecisionPoint, decision_curve, net_benefit_bands};

pub const DCA: CommandSpec = CommandSpec {
    name: "dca",
    summary: "decision curves: net benefit against treat-all and treat-none",
    help: "Net benefit (Vickers & Elkin 2006) of treating the patients whose predicted risk is at \
least the threshold probability, for each stored model, against treating everyone and no one, over \
`thresholds` in steps of `step`; drawn per cohort (the study's Fig. 7) with 95% bootstrap bands \
(percentiles of `boot` resamples of the cohort's patients, seeded; `boot=0` draws none). The first \
table gives, for each model and cohort, the threshold ranges where it beats both treat-all and \
treat-none; the second, at the thresholds `at`, the net benefit per 100 patients with its interval, \
the standardised net benefit (net benefit over prevalence: the share of the most a model could \
give, Kerr et al. 2016) and the unnecessary interventions avoided per 100 patients against \
treating all (as dcurves's net_intervention_avoided).",
    examples: &[
        "dca combined clinical",
        "dca combined thresholds=0.05..0.6 step=0.005 cohort=valid",
        "dca combined at=0.1,0.2,0.3 boot=500 seed=7",
    ],
    arguments: &[
        ArgSpec::positional(
            "predictors",
            ArgKind::Words,
            "stored models (or columns of probabilities)",
        )
        .required(),
        ArgSpec::keyword(
            "thresholds",
            ArgKind::FractionRange,
            "threshold probabilities",
        )
        .default("0.01..0.99"),
        ArgSpec::keyword(
            "step",
            ArgKind::Number {
                min: 0.0001,
                max: 0.5,
            },
            "threshold step",
        )
        .default("0.01"),
        ArgSpec::keyword(
            "at",
            ArgKind::Numbers {
                min: 0.001,
                max: 0.999,
                fewest: 1,
                most: 20,
                names: "P,...",
            },
            "thresholds for the net-benefit table",
        )
        .default("0.1,0.2,0.3,0.4,0.5"),
        ArgSpec::keyword(
            "boot",
            ArgKind::WholeNumber {
                min: 0,
                max: 10_000,
            },
            "bootstrap resamples for the bands (0: none)",
        )
        .default("200"),
        ArgSpec::keyword(
            "seed",
            ArgKind::WholeNumber {
                min: 0,
                max: i64::MAX,
            },
            "seed of the resamples (default: `set seed`)",
        ),
        COHORTS,
    ],
    group: Group::Validation,
    replayable: true,
    run: run_dca,
};

fn run_dca(context: &mut Context<'_>, arguments: &Arguments) -> Result<Output, Error> {
    let predictors = predictors(context, arguments)?;
    let outcome = context.outcome()?;
    let data = context.data()?;
    let (low, high) = arguments.range("thresholds").unwrap_or((0.01, 0.99));
    let step = arguments.number("step").unwrap_or(0.01);
    let count = ((high - low) / step + 1e-9).floor() as usize;
    let thresholds: Vec<f64> = (0..=count).map(|k| low + k as f64 * step).collect();
    let at = arguments.numbers("at");
    let replicates = arguments.integer("boot").unwrap_or(200) as usize;
    let seed = arguments
        .integer("seed")
        .map_or(context.state.settings.seed, |s| s as u64);
    let mut table = Table::new("dca", "Decision curves: where each model adds net benefit")
        .with_columns([
            "Model",
            "Cohort",
            "Beats treat-all and treat-none at thresholds",
        ]);
    let mut benefits = Table::new(
        "net benefit",
        "Net benefit per 100 patients at chosen thresholds",
    )
    .with_columns([
        "Model",
        "Cohort",
        "Threshold",
        "Net benefit per 100",
        "95% CI",
        "Standardised",
        "Interventions avoided per 100",
    ]);
    let mut output = Output::empty();
    for (cohort_label, cohort) in cohorts(data, arguments.text("cohort")) {
        let rows = data.rows_of(cohort);
        let all_y = scored(data, &outcome, &rows, &[])?.y;
        let treat_all: Vec<(f64, f64)> = thresholds
            .iter()
            .map(|&t| (t, treat_all_net_benefit(&all_y, t)))
            .collect();
        let mut layers = vec![
            // Grey and black, solid: the models keep the palette's colours and patterns.
            Layer::Line {
                series: Series {
                    label: "treat all".to_string(),
                    colour: 8,
                },
                points: treat_all.clone(),
                dashed: false,
            },
            Layer::Line {
                series: Series {
                    label: "treat none".to_string(),
                    colour: 7,
                },
                points: vec![(low, 0.0), (high, 0.0)],
                dashed: false,
            },
        ];
        let prevalence = all_y.iter().sum::<f64>() / all_y.len().max(1) as f64;
        for &t in &at {
            let nb = treat_all_net_benefit(&all_y, t);
            benefits.add_row(vec![
                Cell::text("treat all"),
                Cell::text(&cohort_label),
                Cell::number(t),
                Cell::number(100.0 * nb),
                Cell::Empty,
                Cell::number(nb / prevalence),
                Cell::number(0.0),
            ]);
        }
        for (index, predictor) in predictors.iter().enumerate() {
            let Scored { y, scores } = scored(data, &outcome, &rows, &[predictor])?;
            let p = &scores[0];
            let curve = decision_curve(&y, p, &thresholds);
            let beats: Vec<bool> = curve
                .iter()
                .zip(&treat_all)
                .map(|(point, (_, all))| point.net_benefit > all.max(0.0))
                .collect();
            table.add_row(vec![
                Cell::text(&predictor.name),
                Cell::text(&cohort_label),
                Cell::text(ranges(&thresholds, &beats)),
            ]);
            let at_bands = net_benefit_bands(&y, p, &at, (replicates, seed));
            for (point, (lower, upper)) in decision_curve(&y, p, &at).iter().zip(at_bands) {
                benefits.add_row(benefit_row(
                    &predictor.name,
                    &cohort_label,
                    point,
                    (replicates > 0).then_some((lower, upper)),
                ));
            }
            let series = Series {
                label: predictor.name.clone(),
                colour: index,
            };
            layers.push(Layer::Line {
                series: series.clone(),
                points: curve.iter().map(|c| (c.threshold, c.net_benefit)).collect(),
                dashed: false,
            });
            if replicates > 0 {
                let bands = net_benefit_bands(&y, p, &thresholds, (replicates, seed));
                for bound in [0, 1] {
                    layers.push(Layer::Line {
                        series: Series {
                            label: String::new(),
                            colour: index,
                        },
                        points: thresholds
                            .iter()
                            .zip(&bands)
                            .map(|(&t, b)| (t, if bound == 0 { b.0 } else { b.1 }))
                            .collect(),
                        dashed: true,
                    });
                }
            }
        }
        output.push(Plot {
            name: format!("dca-{cohort_label}"),
            title: format!("Decision curves, {cohort_label} cohort"),
            x: Axis {
                range: Some((low, high)),
                ..Axis::new("threshold probability")
            },
            y: Axis {
                // As dcurves's plot: from −10% of the prevalence to the prevalence (the most
                // any model can gain); lines beyond are cut at the frame.
                range: Some((-0.1 * prevalence.max(0.01), prevalence.max(0.01))),
                ..Axis::new("net benefit")
            },
            layers,
            size: (720, 480),
            legend: Legend::UpperRight,
        });
    }
    table.note(format!("{}; net benefit = TP/n − FP/n · pₜ/(1 − pₜ), treating when predicted risk ≥ pₜ; thresholds {low}..{high} by {step}", context.event_note()));
    if replicates > 0 {
        table.note(format!(
            "dashed lines around each curve: 95% bootstrap band ({replicates} resamples of the cohort's patients, percentiles, seed {seed})"
        ));
    }
    benefits.note("net benefit per 100: true positives found per 100 patients with no false positives added; standardised: over the prevalence (1 = every event found, no one treated needlessly); interventions avoided per 100 against treating all: (NB − NB of treating all) / (pₜ/(1 − pₜ)) × 100, as dcurves");
    output.items.insert(0, benefits.into());
    output.items.insert(0, table.into());
    let names: Vec<&str> = predictors.iter().map(|p| p.name.as_str()).collect();
    output.method(super::methods::decision_curves(
        &names.join(", "),
        (low, high),
        (replicates > 0).then_some((replicates, seed)),
    ));
    Ok(output)
}

fn benefit_row(
    name: &str,
    cohort: &str,
    point: &DecisionPoint,
    band: Option<(f64, f64)>,
) -> Vec<Cell> {
    vec![
        Cell::text(name),
        Cell::text(cohort),
        Cell::number(point.threshold),
        Cell::number(100.0 * point.net_benefit),
        band.map_or(Cell::Empty, |(low, high)| Cell::Interval {
            low: 100.0 * low,
            high: 100.0 * high,
        }),
        Cell::number(point.standardized),
        Cell::number(100.0 * point.interventions_avoided),
    ]
}
