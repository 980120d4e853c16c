//! `robustness`: the last extraction repeated on perturbed regions (eroded, dilated, jittered
//! outlines; added noise), and each feature's intraclass correlation across the perturbations.

use super::feature_patient::{LesionChoice, perturbed_features};
use crate::error::Error;
use crate::imaging::perturbation::Perturbations;
use crate::output::{Cell, Output, Table, Text};
use crate::session::args::Arguments;
use crate::session::context::Context;
use crate::session::spec::{ArgKind, ArgSpec, CommandSpec, Group};
use crate::stats::icc::{Icc, Iccs, intraclass_correlations};

const PERTURBATIONS: &[&str] = &["erode", "dilate", "contour", "noise"];

pub const ROBUSTNESS: CommandSpec = CommandSpec {
    name: "robustness",
    summary: "each feature's ICC over perturbed outlines and added noise",
    help: "Repeats the last `extract` (same features, phase, masks and pre-processing) `n` times \
per patient, each time on a perturbed region, as Zwanenburg et al. (Sci Rep 2019): the mask eroded \
or dilated by one voxel (in the slice for a 2-D analysis), its outline jittered (each voxel along \
it moved across with probability ¼), Gaussian noise at the image's own noise level (Immerkær's \
estimate) added. Each replicate draws its perturbation from `seed`. For every feature, the \
intraclass correlation across the perturbations: ICC(1,1) (one-way, absolute agreement, as \
Zwanenburg et al.), ICC(2,1) and ICC(3,1), with 95% intervals, as R's psych::ICC — above 0.9 \
excellent, 0.75–0.9 good, 0.5–0.75 moderate, below poor (Koo & Li 2016).\n\n`drop=X` removes the \
features whose ICC(1,1) is below X from the data's features, so `lasso` and `standardize` leave \
them out (their columns stay). Patients whose region a perturbation empties are left out, named.",
    examples: &[
        "robustness",
        "robustness n=10 perturb=erode,dilate",
        "robustness drop=0.75 seed=7",
    ],
    arguments: &[
        ArgSpec::keyword(
            "n",
            ArgKind::WholeNumber { min: 2, max: 200 },
            "perturbations per patient",
        )
        .default("20"),
        ArgSpec::keyword(
            "perturb",
            ArgKind::Choices(PERTURBATIONS),
            "which perturbations (default: all four)",
        ),
        ArgSpec::keyword(
            "seed",
            ArgKind::WholeNumber {
                min: 0,
                max: i64::MAX,
            },
            "seed of the perturbations (default: `set seed`)",
        ),
        ArgSpec::keyword(
            "drop",
            ArgKind::Number { min: 0.0, max: 1.0 },
            "drop features with ICC(1,1) below this",
        ),
    ],
    group: Group::Describe,
    replayable: true,
    run: robustness,
};

fn robustness(context: &mut Context<'_>, arguments: &Arguments) -> Result<Output, Error> {
    let images = context.images()?;
    let request = context.state.extraction.clone().ok_or_else(|| {
        Error::invalid("no features extracted yet: run `extract` first; `robustness` repeats it")
    })?;
    if request.lesions == LesionChoice::Each {
        return Err(Error::invalid(
            "`robustness` compares patients, one row each; the last `extract` gave one row per lesion (`lesions=each`) — extract with `lesions=all` or `largest` first",
        ));
    }
    let chosen = arguments.words("perturb");
    let on = |name: &str| chosen.is_empty() || chosen.iter().any(|c| c == name);
    let perturbations = Perturbations {
        erode: on("erode"),
        dilate: on("dilate"),
        contour: on("contour"),
        noise: on("noise"),
    };
    if !(perturbations.contour
        || perturbations.noise
        || perturbations.erode && perturbations.dilate)
    {
        return Err(Error::invalid(
            "erosion alone (or dilation alone) makes every perturbation the same, so the ICCs would measure nothing; add `dilate`, `contour` or `noise`",
        )
        .or_at(arguments.span("perturb").unwrap_or(context.span)));
    }
    let replicates = arguments.integer("n").unwrap_or(20) as usize;
    let seed = arguments
        .integer("seed")
        .map_or(context.state.settings.seed, |s| s as u64);
    let features = context.data()?.features.clone();
    if features.is_empty() {
        return Err(Error::invalid(
            "the data have no features: run `extract` first",
        ));
    }
    // The data's features must be the ones `extract` wrote (not columns loaded from a table).
    let extracted = &request.names;
    if let Some(other) = features.iter().find(|f| !extracted.contains(f)) {
        return Err(Error::invalid(format!(
            "the data's feature `{other}` was not made by the last `extract`, so `robustness` cannot make it again; run `extract` again"
        )));
    }
    let numbered: Vec<(u64, &crate::imaging::cohort::CohortPatient)> = images
        .patients
        .iter()
        .enumerate()
        .map(|(i, p)| (i as u64, p))
        .collect();
    let results =
        context.each_in_parallel("perturbing regions", &numbered, |(index, patient)| {
            let draws: Vec<_> = (0..replicates as u64)
                .map(|r| perturbations.draw(seed, *index, r))
                .collect();
            perturbed_features(patient, &request, &draws)
        })?;
    // Per feature, the rows of patients with a finite value under every perturbation.
    let mut left_out: Vec<String> = Vec::new();
    let mut tables: Vec<Vec<Vec<f64>>> = vec![Vec::new(); features.len()];
    for ((_, patient), result) in numbered.iter().zip(&results) {
        let rows = match result {
            Ok(rows) => rows,
            Err(why) => {
                left_out.push(format!("{}: {why}", patient.id));
                continue;
            }
        };
        for (f, name) in features.iter().enumerate() {
            let values: Option<Vec<f64>> = rows
                .iter()
                .map(|values| {
                    values
                        .iter()
                        .find(|(n, _)| n == name)
                        .map(|(_, v)| *v)
                        .filter(|v| v.is_finite())
                })
                .collect();
            if let Some(values) = values {
                tables[f].push(values);
            }
        }
    }
    let iccs: Vec<Option<Iccs>> = tables.iter().map(|t| intraclass_correlations(t)).collect();
    let mut output = Output::item(icc_table(&features, &iccs, &tables, (replicates, seed)));
    if !left_out.is_empty() {
        output.push(Text::warning(format!(
            "{} patients left out (a perturbation left no region, or the image could not be read): {}",
            left_out.len(),
            left_out.iter().take(5).cloned().collect::<Vec<_>>().join("; ")
        )));
    }
    if let Some(threshold) = arguments.number("drop") {
        let dropped: Vec<String> = features
            .iter()
            .zip(&iccs)
            .filter(|(_, icc)| icc.is_none_or(|icc| icc.one_way.value < threshold))
            .map(|(name, _)| name.clone())
            .collect();
        let data = context.data_mut()?;
        data.features.retain(|f| !dropped.contains(f));
        if data
            .standardization
            .as_ref()
            .is_some_and(|s| s.columns.iter().any(|c| dropped.contains(c)))
        {
            data.standardization = None;
        }
        output.push(Text::info(format!(
            "{} of {} features kept (ICC(1,1) ≥ {threshold}); dropped: {}",
            data.features.len(),
            features.len(),
            if dropped.is_empty() {
                "none".to_string()
            } else {
                dropped.join(", ")
            }
        )));
    }
    let named: Vec<&str> = [
        (perturbations.erode, "erosion"),
        (perturbations.dilate, "dilation"),
        (perturbations.contour, "contour randomisation"),
        (perturbations.noise, "added noise"),
    ]
    .into_iter()
    .filter_map(|(on, name)| on.then_some(name))
    .collect();
    output.method(super::methods::robustness(
        &named.join(", "),
        (replicates, seed),
        arguments.number("drop"),
    ));
    Ok(output)
}

/// Koo & Li's (2016) reading of an ICC.
fn reading(icc: f64) -> &'static str {
    if icc >= 0.9 {
        "excellent"
    } else if icc >= 0.75 {
        "good"
    } else if icc >= 0.5 {
        "moderate"
    } else {
        "poor"
    }
}

fn icc_table(
    features: &[String],
    iccs: &[Option<Iccs>],
    tables: &[Vec<Vec<f64>>],
    (replicates, seed): (usize, u64),
) -> Table {
    let mut table = Table::new(
        "robustness",
        format!("Feature robustness over {replicates} perturbations per patient"),
    )
    .with_columns([
        "Feature", "ICC(1,1)", "95% CI", "Reading", "ICC(2,1)", "ICC(3,1)", "Patients",
    ]);
    let mut order: Vec<usize> = (0..features.len()).collect();
    let key = |j: usize| iccs[j].map_or(f64::NEG_INFINITY, |i| i.one_way.value);
    order.sort_by(|&a, &b| key(b).total_cmp(&key(a)).then(a.cmp(&b)));
    let mut counts = [0usize; 4];
    for j in order {
        let patients = Cell::Integer {
            value: tables[j].len() as i64,
        };
        match iccs[j] {
            Some(Iccs {
                one_way:
                    Icc {
                        value,
                        lower,
                        upper,
                    },
                two_way_random,
                two_way_fixed,
            }) => {
                let word = reading(value);
                counts[["excellent", "good", "moderate", "poor"]
                    .iter()
                    .position(|w| *w == word)
                    .unwrap_or(3)] += 1;
                table.add_row(vec![
                    Cell::text(&features[j]),
                    Cell::number(value),
                    Cell::Interval {
                        low: lower,
                        high: upper,
                    },
                    Cell::text(word),
                    Cell::number(two_way_random.value),
                    Cell::number(two_way_fixed.value),
                    patients,
                ]);
            }
            None => table.add_row(vec![
                Cell::text(&features[j]),
                Cell::Empty,
                Cell::Empty,
                Cell::text("no variation"),
                Cell::Empty,
                Cell::Empty,
                patients,
            ]),
        }
    }
    table.note(format!(
        "{} excellent (≥ 0.9), {} good (0.75–0.9), {} moderate (0.5–0.75), {} poor, by ICC(1,1) (Koo & Li 2016)",
        counts[0], counts[1], counts[2], counts[3]
    ));
    table.note(format!(
        "patients × perturbations, each perturbation drawn from seed {seed}; ICCs and intervals as psych::ICC (Shrout & Fleiss 1979)"
    ));
    table
}
