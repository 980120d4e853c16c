//! Radiomics features for every patient: `extract`, `show features`, `export features`.

use super::feature_patient::{
    Extracted, Failure, LesionChoice, MaskChoice, Request, Values, patient_features,
};
use crate::data::Column;
use crate::error::{Error, ErrorKind};
use crate::features::{self, Aggregation, Convention, Discretisation, Family, Settings};
use crate::lang::suggest::nearest;
use crate::output::{Output, Text};
use crate::session::args::Arguments;
use crate::session::context::Context;
use crate::session::spec::{ArgKind, ArgSpec, CommandSpec, Group};

const FAMILY_WORDS: [&str; 10] = [
    "study",
    "all",
    "firstorder",
    "shape2d",
    "shape",
    "glcm",
    "glrlm",
    "glszm",
    "gldm",
    "ngtdm",
];

pub const EXTRACT: CommandSpec = CommandSpec {
    name: "extract",
    summary: "compute radiomics features for every patient and add them as columns",
    help: "With no family: the study's 55 features (14 first-order, 8 2-D shape, 22 GLCM, 11 GLRLM; \
`help extract` lists the conventions where the study's MATLAB tool differs from PyRadiomics — sample \
variance, natural-log entropies, Compactness 1 — each under its own name, e.g. \
`firstorder_Variance_n1`). Or name families: `firstorder shape2d shape glcm glrlm glszm gldm ngtdm`, \
or `all`; their columns carry PyRadiomics's keys (`glcm_JointEntropy`) and equal PyRadiomics 3.0.1.\n\n\
`dim=2d` (the study) uses the slice where the tumour mask is largest, `dim=3d` the whole mask. \
Grey levels: `binwidth` (PyRadiomics's fixed bin width anchored at 0, default 25) or `bins` (a fixed \
number of bins). A setting that gives a region more than 100,000 bins, or more than 512 distinct \
grey levels for the texture families, is refused, naming the patient and its intensity range. \
`extract` reports how many grey levels the regions span and names the patients outside the 16–128 \
that IBSI and PyRadiomics advise, with a bin width that suits the images: a fixed bin width of 25 \
was made for CT, whose Hounsfield units have a fixed scale; MR intensities have none (they differ \
between scanners, coils and patients), so 25 may give a region 5 levels on one scanner and 500 on \
another. `mask` chooses the tumour mask: `auto` (what `segment` drew, else the masks loaded \
with the cohort), `truth` \
(the synthetic cohort's true tumour, to see what perfect segmentation would give) or `roi` (the \
radiologist's loose outline itself). Patients are computed in parallel; the result does not depend \
on the number of threads. A patient whose mask is empty gets missing values and is named. A mask \
with several lesions (connected components, voxels touching by a face, edge or corner) is taken \
whole as one region with `lesions=all`, the default, and the patients are named; `lesions=largest` \
keeps each mask's largest lesion; `lesions=each` gives every lesion a row of its own, numbered \
by a `lesion` column from the largest (`P0001/2` in messages), for lesion-level analyses. Models of \
the outcome need one row per patient, so they refuse lesion rows until an extraction says how a \
patient's lesions make one (`largest` or `all`); split the patients before extracting lesions.\n\n\
For named families, `aggregation=merged` sums the GLCM and GLRLM matrices of all directions before \
computing each feature (IBSI \"merged\"; the default averages the features of each direction, as \
PyRadiomics does), and `convention=ibsi` follows IBSI where it differs from PyRadiomics: excess \
kurtosis, 3-D axis lengths from the N − 1 covariance, a bin width anchored at the region's \
minimum.",
    examples: &[
        "extract mask=truth",
        "extract glcm glrlm bins=32 mask=truth",
        "extract all dim=3d",
        "extract glcm glrlm dim=3d aggregation=merged convention=ibsi",
    ],
    arguments: &[
        ArgSpec::positional(
            "families",
            ArgKind::Words,
            "feature families (default: the study's 55)",
        ),
        ArgSpec::keyword(
            "binwidth",
            ArgKind::Number {
                min: 1e-9,
                max: 1e9,
            },
            "grey-level bin width",
        )
        .default("25"),
        ArgSpec::keyword(
            "bins",
            ArgKind::WholeNumber {
                min: 1,
                max: 100_000,
            },
            "a fixed number of grey-level bins",
        ),
        ArgSpec::keyword(
            "dim",
            ArgKind::Choice(&["2d", "3d"]),
            "largest slice or whole volume",
        )
        .default("2d"),
        ArgSpec::keyword(
            "phase",
            ArgKind::WholeNumber { min: 1, max: 100 },
            "the DCE phase (1 = pre-contrast)",
        )
        .default("2"),
        ArgSpec::keyword(
            "shift",
            ArgKind::Number {
                min: -1e9,
                max: 1e9,
            },
            "added to intensities in Energy and RMS",
        )
        .default("0"),
        ArgSpec::keyword(
            "lesions",
            ArgKind::Choice(&["all", "largest", "each"]),
            "a mask's lesions together as one region, only its largest, or each in a row of its own",
        )
        .default("all"),
        ArgSpec::keyword(
            "mask",
            ArgKind::Choice(&["auto", "truth", "roi"]),
            "which tumour mask",
        )
        .default("auto"),
        ArgSpec::keyword(
            "aggregation",
            ArgKind::Choice(&["averaged", "merged"]),
            "GLCM/GLRLM: average the directions' features or merge their matrices",
        )
        .default("averaged"),
        ArgSpec::keyword(
            "convention",
            ArgKind::Choice(&["pyradiomics", "ibsi"]),
            "whose definitions where PyRadiomics and IBSI differ",
        )
        .default("pyradiomics"),
    ],
    group: Group::Images,
    replayable: true,
    run: extract,
};

fn families(arguments: &Arguments, context: &Context<'_>) -> Result<Option<Vec<Family>>, Error> {
    let words = arguments.words("families");
    if words.is_empty() || words.iter().any(|w| w == "study") {
        return Ok(None);
    }
    if words.iter().any(|w| w == "all") {
        return Ok(Some(Family::ALL.to_vec()));
    }
    words
        .iter()
        .map(|word| {
            let key = if word == "shape2d" {
                "shape2D"
            } else {
                word.as_str()
            };
            Family::from_key(key).ok_or_else(|| {
                let suggestion = nearest(word, FAMILY_WORDS.iter().copied())
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
                Error::at(
                    ErrorKind::Invalid {
                        message: format!(
                            "`{word}` is not a feature family ({}){suggestion}",
                            FAMILY_WORDS.join(", ")
                        ),
                    },
                    arguments.span("families").unwrap_or(context.span),
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

fn extract(context: &mut Context<'_>, arguments: &Arguments) -> Result<Output, Error> {
    let images = context.images()?;
    context.data()?;
    if arguments.given("bins") && arguments.given("binwidth") {
        return Err(Error::at(
            ErrorKind::Invalid {
                message: "give `bins` or `binwidth`, not both".into(),
            },
            arguments.span("bins").unwrap_or(context.span),
        ));
    }
    let discretisation = match arguments.integer("bins") {
        Some(bins) => Discretisation::BinCount(bins as usize),
        None => Discretisation::BinWidth(arguments.number("binwidth").unwrap_or(25.0)),
    };
    let request = Request {
        segmentation: context.state.segmentation.clone(),
        bias: context.state.bias.clone(),
        preprocessing: context.state.preprocessing.clone(),
        families: families(arguments, context)?,
        settings: Settings {
            discretisation,
            shift: arguments.number("shift").unwrap_or(0.0),
            aggregation: match arguments.text("aggregation") {
                Some("merged") => Aggregation::Merged,
                _ => Aggregation::Averaged,
            },
            convention: match arguments.text("convention") {
                Some("ibsi") => Convention::Ibsi,
                _ => Convention::PyRadiomics,
            },
        },
        planar: arguments.text("dim") != Some("3d"),
        phase: arguments
            .given("phase")
            .then(|| arguments.integer("phase").unwrap_or(2) as usize),
        mask: match arguments.text("mask") {
            Some("truth") => MaskChoice::Truth,
            Some("roi") => MaskChoice::Roi,
            _ => MaskChoice::Auto,
        },
        lesions: match arguments.text("lesions") {
            Some("largest") => LesionChoice::Largest,
            Some("each") => LesionChoice::Each,
            _ => LesionChoice::All,
        },
        names: Vec::new(),
    };
    for option in ["aggregation", "convention"] {
        if request.families.is_none() && arguments.given(option) {
            return Err(Error::at(
                ErrorKind::Invalid {
                    message: format!(
                        "the study's 55 features keep the study's own conventions; name families \
                         (e.g. `extract glcm glrlm {option}=…`) to choose `{option}`"
                    ),
                },
                arguments.span(option).unwrap_or(context.span),
            ));
        }
    }
    if request.families.is_none() && !request.planar {
        return Err(Error::at(
            ErrorKind::Invalid {
                message: "the study's 55 features are 2-D (`dim=2d`); name families for 3-D".into(),
            },
            arguments.span("dim").unwrap_or(context.span),
        ));
    }
    let started = std::time::Instant::now();
    // Once one patient's region is refused, the others are not worth computing.
    let refused = std::sync::atomic::AtomicBool::new(false);
    let results = context.each_in_parallel("extracting features", &images.patients, |patient| {
        if refused.load(std::sync::atomic::Ordering::Relaxed) {
            return Err(Failure::Skipped("not computed".into()));
        }
        let result = patient_features(patient, &request);
        if matches!(result, Err(Failure::TooManyBins(_) | Failure::Setting(_))) {
            refused.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        result
    })?;
    let ranges: Vec<Option<(f64, f64)>> = results
        .iter()
        .map(|r| r.as_ref().ok().map(|e| e.range))
        .collect();
    let several: Vec<(&str, usize)> = images
        .patients
        .iter()
        .zip(&results)
        .filter_map(|(p, r)| r.as_ref().ok().map(|e| (p.id.as_str(), e.lesions)))
        .filter(|(_, lesions)| *lesions > 1)
        .collect();
    // The first patient whose region a setting cannot run on refuses the command.
    let refusal = |wanted: fn(&Failure) -> bool| {
        images
            .patients
            .iter()
            .zip(&results)
            .find_map(|(p, r)| match r {
                Err(failure) if wanted(failure) => Some((p.id.as_str(), failure)),
                _ => None,
            })
    };
    if let Some((id, why)) = refusal(|f| matches!(f, Failure::Setting(_))) {
        return Err(Error::at(
            ErrorKind::Invalid {
                message: format!("{id}: {why}"),
            },
            context.span,
        ));
    }
    if let Some((id, why)) = refusal(|f| matches!(f, Failure::TooManyBins(_))) {
        let argument = if arguments.given("bins") {
            "bins"
        } else {
            "binwidth"
        };
        return Err(Error::at(
            ErrorKind::Invalid {
                message: format!("{id}: {why}"),
            },
            arguments.span(argument).unwrap_or(context.span),
        ));
    }
    // Columns in the order of first appearance, so one degenerate patient does not drop a feature.
    let mut names: Vec<String> = Vec::new();
    for values in results.iter().flatten().flat_map(|e| &e.rows) {
        for (name, _) in values {
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
    }
    let failed: Vec<String> = images
        .patients
        .iter()
        .zip(&results)
        .filter_map(|(p, r)| r.as_ref().err().map(|reason| format!("{}: {reason}", p.id)))
        .collect();
    // The 2-D images, which have no 3-D shape.
    let flat: Vec<&str> = images
        .patients
        .iter()
        .zip(&results)
        .filter_map(|(p, r)| r.as_ref().ok().filter(|e| e.planar).map(|_| p.id.as_str()))
        .collect();
    if names.is_empty() && failed.is_empty() {
        // Every patient computed, and nothing came out: a shape family the regions do not have.
        return Err(Error::invalid(if flat.is_empty() {
            "2-D shape features are computed on one slice: use `dim=2d`"
        } else {
            "3-D shape features need a slice thickness, and these images are 2-D (one slice, no thickness): use `shape2d`"
        }));
    }
    if names.is_empty() {
        return Err(Error::invalid(format!(
            "no patient's features could be computed ({})",
            failed.first().cloned().unwrap_or_default()
        )));
    }
    let mut output = Output::empty();
    let data = context.data_mut()?;
    // Features replace the last extraction's, lesion rows included: start from the patients.
    if let Some((patients, _)) = data.per_patient.take() {
        *data = crate::data::Dataset::clone(&patients);
    }
    let ids: Vec<String> = (0..data.row_count())
        .map(|row| data.patient_label(row))
        .collect();
    let position: std::collections::HashMap<&str, usize> = images
        .patients
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    let layout = row_layout(&ids, &position, &results, request.lesions);
    if request.lesions == LesionChoice::Each {
        if data.column("lesion").is_some() {
            return Err(Error::invalid(
                "the data already have a column `lesion`; `lesions=each` numbers lesions in a column of that name",
            ));
        }
        let patients = std::sync::Arc::new(data.clone());
        let rows: Vec<usize> = layout.iter().map(|(row, _, _)| *row).collect();
        *data = data.keep_rows(&rows);
        data.set_column(Column::numeric(
            "lesion",
            layout.iter().map(|(_, k, _)| k.map(|k| k as f64)).collect(),
        ));
        data.per_patient = Some((patients, "lesion".to_string()));
    }
    let mut missing: Vec<String> = Vec::new();
    // Per row that has features at all, the features that could not be computed.
    let mut by_patient: Vec<(String, Vec<String>)> = Vec::new();
    for (row, (_, _, values)) in layout.iter().enumerate() {
        if let Some(values) = values {
            let gaps: Vec<String> = names
                .iter()
                .filter(|name| !values.iter().any(|(n, v)| n == *name && v.is_finite()))
                .cloned()
                .collect();
            if !gaps.is_empty() {
                by_patient.push((data.patient_label(row), gaps));
            }
        }
    }
    for name in &names {
        let values: Vec<Option<f64>> = layout
            .iter()
            .map(|(_, _, values)| {
                (*values)?
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, v)| *v)
                    .filter(|v| v.is_finite())
            })
            .collect();
        let gaps = values.iter().filter(|v| v.is_none()).count();
        if gaps > 0 {
            missing.push(format!("`{name}` {gaps}"));
        }
        data.set_column(Column::numeric(name.clone(), values));
    }
    data.feature_departures = names
        .iter()
        .filter_map(|name| {
            let why = match &request.families {
                None => features::study::departure_from_pyradiomics(name),
                Some(_) => request.settings.departure_from_pyradiomics(name),
            };
            why.map(|why| (name.clone(), why))
        })
        .collect();
    data.features = names.clone();
    data.standardization = None;
    let description = match &request.families {
        None => "the study's 55 features".to_string(),
        Some(families) => format!(
            "{} features ({})",
            names.len(),
            families
                .iter()
                .map(|f| f.key())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let grey = match discretisation {
        Discretisation::BinCount(bins) => format!("{bins} bins"),
        Discretisation::BinWidth(width) | Discretisation::IbsiBinWidth(width) => {
            format!("bin width {width}")
        }
    };
    output.push(Text::info(format!(
        "extracted {description} for {} of {} patients ({}, phase {}, {grey}) in {:.2} s; they are the data's features now",
        images.patients.len() - failed.len(),
        images.patients.len(),
        if request.planar { "2-D, largest tumour slice" } else { "3-D" },
        request
            .phase
            .map_or("2 (1 for single-phase images)".to_string(), |p| p.to_string()),
        started.elapsed().as_secs_f64()
    )));
    output.method(super::methods::extraction(
        &description,
        images.patients.len() - failed.len(),
        if request.planar {
            "2-D, on the slice where the tumour is largest"
        } else {
            "3-D, the whole tumour"
        },
        &request
            .phase
            .map_or("2, or 1 of single-phase images".to_string(), |p| {
                p.to_string()
            }),
        &grey,
    ));
    let steps = context.state.preprocessing.describe();
    if !steps.is_empty() {
        let splines = context
            .state
            .preprocessing
            .resample
            .as_ref()
            .is_some_and(|r| r.interpolator == crate::preprocess::resample::Interpolator::BSpline);
        output.method(super::methods::preprocessing(
            &steps.join("; then "),
            splines,
        ));
    }
    let asked_shape = request
        .families
        .as_ref()
        .is_some_and(|families| families.contains(&Family::Shape));
    if asked_shape && !flat.is_empty() {
        output.push(Text::info(format!(
            "3-D shape features are left out for the 2-D images ({}): they have no slice thickness (PyRadiomics leaves them out for 2-D input too)",
            flat.join(", ")
        )));
    }
    let steps = request.preprocessing.describe();
    if !steps.is_empty() {
        output.push(Text::info(format!(
            "pre-processed as PyRadiomics would with the same settings: {}",
            steps.join("; then ")
        )));
    }
    let discretised = request.families.as_ref().is_none_or(|families| {
        families
            .iter()
            .any(|f| !matches!(f, Family::Shape | Family::Shape2D))
    });
    if let Some(text) = super::region_report::lesions(&several, request.lesions) {
        output.push(text);
    }
    if discretised {
        let regions: Vec<(&str, (f64, f64))> = images
            .patients
            .iter()
            .zip(&ranges)
            .filter_map(|(p, range)| range.map(|range| (p.id.as_str(), range)))
            .collect();
        for text in super::region_report::grey_levels(&regions, request.settings.discretisation) {
            output.push(text);
        }
    }
    if !failed.is_empty() {
        output.push(Text::warning(format!(
            "{} patients have no features: {}",
            failed.len(),
            failed
                .iter()
                .take(5)
                .cloned()
                .collect::<Vec<_>>()
                .join("; ")
        )));
    }
    if !missing.is_empty() {
        let shown: Vec<String> = by_patient
            .iter()
            .take(8)
            .map(|(id, gaps)| format!("{id}: {}", gaps.join(", ")))
            .collect();
        output.push(Text::warning(format!(
            "missing values (not computable for the region, e.g. texture of a one-pixel tumour): {}; by patient: {}{}",
            missing.join(", "),
            shown.join("; "),
            if by_patient.len() > 8 { format!("; and {} more patients", by_patient.len() - 8) } else { String::new() }
        )));
    }
    context.state.extraction = Some(std::sync::Arc::new(Request { names, ..request }));
    Ok(output)
}

/// The rows of the table features go into: per row, the patient's row in the table, the lesion's
/// number (with `lesions=each`: one row per lesion, largest first) and its features (`None` for a
/// patient without features, who keeps one row of missing values).
type RowLayout<'r> = Vec<(usize, Option<usize>, Option<&'r Values>)>;

fn row_layout<'r>(
    ids: &[String],
    position: &std::collections::HashMap<&str, usize>,
    results: &'r [Result<Extracted, Failure>],
    lesions: LesionChoice,
) -> RowLayout<'r> {
    let mut layout = Vec::with_capacity(ids.len());
    for (row, id) in ids.iter().enumerate() {
        let extracted = position
            .get(id.as_str())
            .and_then(|&i| results[i].as_ref().ok());
        match extracted {
            Some(e) if lesions == LesionChoice::Each => {
                layout.extend(
                    e.rows
                        .iter()
                        .enumerate()
                        .map(|(k, v)| (row, Some(k + 1), Some(v))),
                );
            }
            Some(e) => layout.push((row, None, e.rows.first())),
            None => layout.push((row, None, None)),
        }
    }
    layout
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_family_word_is_a_family_or_a_set() {
        for word in super::FAMILY_WORDS {
            let key = if word == "shape2d" { "shape2D" } else { word };
            assert!(
                matches!(word, "study" | "all") || crate::features::Family::from_key(key).is_some(),
                "{word}"
            );
        }
    }
}
