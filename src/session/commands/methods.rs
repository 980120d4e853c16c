//! The Methods sentence each command adds to a report: what it did, with the settings it ran with
//! and the works it follows. Commands call these with the values they used; the prose lives here
//! so the Methods read as one text and can be edited in one place.

use crate::data::{Cohort, Dataset};
use crate::output::references::{self, Reference};
use crate::output::{Method, Section};

fn method(section: Section, text: String, cite: &[&'static Reference]) -> Method {
    Method::new(section, text).citing(cite)
}

/// How many patients, events and cohorts `data` holds: "432 patients (160 with `aln` = 1): 296
/// in the training cohort (106 with `aln` = 1) and 136 in the validation cohort (54 …)".
pub(super) fn patient_counts(data: &Dataset) -> String {
    let counted = |rows: &[usize], noun: &str| -> String {
        let events = data.outcome.as_deref().and_then(|outcome| {
            let column = data.column(outcome)?;
            let (positive, _, label, _) = data.binary_groups(column, rows).ok()?;
            Some(format!(" ({} with `{outcome}` = {label})", positive.len()))
        });
        format!("{}{noun}{}", rows.len(), events.unwrap_or_default())
    };
    let all = counted(&data.rows_of(None), " patients");
    if data.cohorts.is_none() {
        return all;
    }
    format!(
        "{all}: {} and {}",
        counted(
            &data.rows_of(Some(Cohort::Training)),
            " in the training cohort"
        ),
        counted(
            &data.rows_of(Some(Cohort::Validation)),
            " in the validation cohort"
        )
    )
}

/// `load cohort` without a folder: the synthetic cohort.
pub(super) fn synthetic_cohort(data: &Dataset, seed: u64) -> Method {
    method(
        Section::Patients,
        format!(
            "The analysis ran on radnomo's built-in synthetic DCE-MRI cohort (seed {seed}) of {}. Each simulated breast-cancer patient has the clinical factors of the published study's Table 1, nine DCE phases, a radiologist-style region of interest and the true tumour mask. The cohort is simulated, not acquired: its images carry a known, imperfect signal, for teaching and testing.",
            patient_counts(data)
        ),
        &[],
    )
}

/// `load cohort DIR`: a cohort folder.
pub(super) fn cohort_folder(data: &Dataset, path: &str) -> Method {
    method(
        Section::Patients,
        format!(
            "Clinical data and images were read from `{path}`: {}.",
            patient_counts(data)
        ),
        &[],
    )
}

/// `load table FILE`.
pub(super) fn clinical_table(data: &Dataset, path: &str) -> Method {
    method(
        Section::Patients,
        format!(
            "Clinical data were read from `{path}` ({} columns): {}.",
            data.columns.len(),
            patient_counts(data)
        ),
        &[],
    )
}

/// `split`.
pub(super) fn split(data: &Dataset, how: &str) -> Method {
    method(
        Section::Patients,
        format!("Patients were split {how}: {}.", patient_counts(data)),
        &[],
    )
}

/// `correct bias`.
pub(super) fn bias_correction(
    phases: &str,
    corrected: usize,
    patients: usize,
    settings: &str,
) -> Method {
    method(
        Section::Images,
        format!(
            "Intensity non-uniformity was corrected with N4 on {phases} of each patient's analysis slice ({corrected} of {patients} patients; {settings}); radnomo's N4 equals SimpleITK's N4BiasFieldCorrectionImageFilter to 1e-6."
        ),
        &[&references::N4, &references::SIMPLEITK],
    )
}

/// The pre-processing (`normalize`, `resample`, `resegment`) in force when `extract` ran.
/// `splines`: images were resampled by cubic B-splines (cited then).
pub(super) fn preprocessing(description: &str, splines: bool) -> Method {
    let text = format!(
        "Before feature extraction, images were pre-processed in PyRadiomics's order: {description}."
    );
    let with_splines: &[&'static Reference] = &[&references::PYRADIOMICS, &references::BSPLINE];
    method(
        Section::Images,
        text,
        if splines {
            with_splines
        } else {
            &with_splines[..1]
        },
    )
}

/// `segment`.
pub(super) fn segmentation(
    phase: usize,
    threshold: &str,
    connectivity: u8,
    holes_filled: bool,
    segmented: usize,
    dice: Option<f64>,
) -> Method {
    method(
        Section::Segmentation,
        format!(
            "Tumours were segmented on phase {phase}, on the slice where the region of interest is largest: {} inside the region of interest, region growing ({connectivity}-connected) from the brightest spot{}, for {segmented} patients.{}",
            if threshold == "otsu" { "Otsu's threshold".to_string() } else { format!("a threshold of {threshold}") },
            if holes_filled { ", holes filled so a necrotic core stays in the tumour" } else { "" },
            dice.map_or(String::new(), |d| format!(" Agreement with the true tumour masks was measured by the Dice coefficient (median {d:.3})."))
        ),
        &[&references::OTSU, &references::DICE],
    )
}

/// `extract`.
pub(super) fn extraction(
    description: &str,
    patients: usize,
    geometry: &str,
    phase: &str,
    grey: &str,
) -> Method {
    method(
        Section::Features,
        format!(
            "{} were computed for {patients} patients ({geometry}; phase {phase}) with the IBSI's definitions, intensities discretised with {grey}; radnomo's values equal PyRadiomics 3.0.1's on its test cases and the IBSI's reference values on its phantom, and any feature that departs from PyRadiomics is named with the reason.",
            capitalised(description)
        ),
        &[&references::IBSI, &references::PYRADIOMICS],
    )
}

/// `standardize` (on its own or before `lasso`).
pub(super) fn standardization(features: usize, fitted_on: &str) -> Method {
    method(
        Section::Signature,
        format!(
            "The {features} features were z-scored with the {fitted_on} patients' mean and standard deviation, applied unchanged to every other patient."
        ),
        &[],
    )
}

/// `lasso … stability=N`.
pub(super) fn stability(replicates: usize, seed: u64) -> Method {
    method(
        Section::Signature,
        format!(
            "Stability of the selection was measured by repeating the z-scoring and the cross-validated LASSO on {replicates} bootstrap samples of the patients (seed {seed}, fresh folds each time) and counting how often each feature was kept."
        ),
        &[&references::STABILITY],
    )
}

/// `nomogram`.
pub(super) fn nomogram(formula: &str) -> Method {
    method(
        Section::Models,
        format!(
            "A nomogram was drawn for {formula}: each predictor's points scaled so that the widest spans 0 to 100, total points mapped to the predicted risk, as R's rms nomogram."
        ),
        &[&references::NOMOGRAM, &references::RMS],
    )
}

/// `compare A B`.
pub(super) fn compare(a: &str, b: &str) -> Method {
    method(
        Section::Validation,
        format!("The AUCs of {a} and {b} were compared with DeLong's paired test (two-sided)."),
        &[&references::DELONG, &references::PROC],
    )
}

/// `calibrate MODEL`.
pub(super) fn calibration(
    model: &str,
    (replicates, seed): (usize, u64),
    pipeline: Option<usize>,
    validation: bool,
) -> Method {
    method(
        Section::Validation,
        format!(
            "Calibration of {model} was assessed by the calibration curve (observed risk smoothed by lowess against predicted risk) corrected for optimism by {replicates} bootstrap replicates (seed {seed}, as rms's calibrate){}{} and by the Hosmer–Lemeshow test with ten groups.",
            pipeline.map_or(String::new(), |replays| format!(
                ", and again by {replays} bootstrap replicates that repeat every data-driven step that made the model"
            )),
            if validation {
                ", by the validation cohort's curve with its calibration intercept and slope,"
            } else {
                ""
            },
        ),
        &[
            &references::RMS,
            &references::LOWESS,
            &references::HOSMER_LEMESHOW,
            &references::CALIBRATION,
        ],
    )
}

/// `validate MODEL`.
pub(super) fn validation(model: &str, (replicates, seed): (usize, u64), pipeline: bool) -> Method {
    method(
        Section::Validation,
        format!(
            "{model} was validated internally by {replicates} bootstrap replicates (seed {seed}, as rms's validate): the optimism of the C-index (Somers' Dxy), Nagelkerke's R², the calibration slope and intercept and the Brier score was estimated and subtracted from their apparent values{}.",
            if pipeline {
                ", repeating on each replicate every data-driven step that made the model (z-scoring, the LASSO's choice of λ and features, forward selection)"
            } else {
                ""
            },
        ),
        &[&references::OPTIMISM, &references::RMS],
    )
}

/// `hosmer MODEL`.
pub(super) fn hosmer(model: &str, groups: usize) -> Method {
    method(
        Section::Validation,
        format!(
            "Goodness of fit of {model} was tested by the Hosmer–Lemeshow test with {groups} groups."
        ),
        &[&references::HOSMER_LEMESHOW],
    )
}

/// `dca`.
pub(super) fn decision_curves(
    models: &str,
    (low, high): (f64, f64),
    bands: Option<(usize, u64)>,
) -> Method {
    method(
        Section::Validation,
        format!(
            "Clinical usefulness of {models} was assessed by decision curve analysis: net benefit against treating all and treating none over threshold probabilities {low} to {high}{}.",
            bands.map_or(String::new(), |(replicates, seed)| format!(
                ", with bootstrap 95% bands ({replicates} replicates, seed {seed})"
            ))
        ),
        &[&references::DECISION_CURVE],
    )
}

/// `cv MODEL`.
pub(super) fn cross_validation(
    model: &str,
    (folds, repeats, seed): (usize, usize, u64),
    pipeline: bool,
) -> Method {
    method(
        Section::Validation,
        format!(
            "{model} was also assessed by {repeats} repeat{} of {folds}-fold cross-validation stratified by outcome (seed {seed}){}.",
            if repeats == 1 { "" } else { "s" },
            if pipeline {
                ", the LASSO signature made again inside each training part"
            } else {
                ", its terms taken as given"
            }
        ),
        &[&references::NESTED_CV],
    )
}

/// `robustness`.
pub(super) fn robustness(
    perturbations: &str,
    (replicates, seed): (usize, u64),
    dropped: Option<f64>,
) -> Method {
    method(
        Section::Features,
        format!(
            "Robustness of each feature was measured by image perturbation ({perturbations}; {replicates} perturbed copies per patient, seed {seed}) and the one-way intraclass correlation ICC(1,1) across the copies, read as Koo and Li advise (≥ 0.9 excellent, 0.75–0.9 good, 0.5–0.75 moderate){}.",
            dropped.map_or(String::new(), |t| format!(
                "; features with ICC(1,1) below {t} were left out of the analysis"
            ))
        ),
        &[
            &references::PERTURBATION,
            &references::ICC,
            &references::ICC_GUIDE,
        ],
    )
}

/// `samplesize`.
pub(super) fn sample_size(parameters: usize, prevalence: f64, r2: f64, required: usize) -> Method {
    method(
        Section::Statistics,
        format!(
            "The minimum sample size for a model of {parameters} parameters was computed by Riley et al.'s criteria (outcome prevalence {prevalence:.3}, anticipated Cox–Snell R² {r2:.3}): {required} patients."
        ),
        &[&references::SAMPLE_SIZE],
    )
}

/// `describe`.
pub(super) fn describe(by: &str) -> Method {
    method(
        Section::Statistics,
        format!(
            "Characteristics were compared by `{by}`: continuous variables with Student's t test (mean ± SD) or the Wilcoxon–Mann–Whitney test (median and IQR), categorical ones with Pearson's chi-squared test, or Fisher's exact test where an expected count was below 5; two-sided p < 0.05 was considered significant."
        ),
        &[&references::MANN_WHITNEY, &references::R],
    )
}

/// What `lasso` chose, for its sentence.
pub(super) struct SignatureChoice<'a> {
    pub patients: usize,
    pub cohort: &'a str,
    pub left_out: usize,
    pub alpha: f64,
    pub features: usize,
    pub standardized_on: &'a str,
    pub folds: &'a str,
    pub measure: &'a str,
    pub one_se: bool,
    pub lambda: &'a str,
    pub kept: &'a str,
    pub name: &'a str,
    pub event: &'a str,
}

/// `lasso`.
pub(super) fn signature(choice: &SignatureChoice<'_>) -> Method {
    let c = choice;
    method(
        Section::Signature,
        format!(
            "The radiomics signature was built on the {} {} patients{} by {} logistic regression (alpha {}) over {} features z-scored with the {} mean and standard deviation; λ was chosen by cross-validation ({}) on the {} at the {} rule (λ = {}), which kept {}. The rad-score `{}` is the signature's linear predictor (log-odds of {}), computed for every patient with the training coefficients unchanged.",
            c.patients,
            c.cohort,
            if c.left_out > 0 {
                format!(" ({} left out for missing values)", c.left_out)
            } else {
                String::new()
            },
            if c.alpha == 1.0 {
                "LASSO-penalised"
            } else {
                "elastic-net-penalised"
            },
            c.alpha,
            c.features,
            c.standardized_on,
            c.folds,
            c.measure,
            if c.one_se {
                "one-standard-error"
            } else {
                "minimum"
            },
            c.lambda,
            c.kept,
            c.name,
            c.event,
        ),
        &[&references::LASSO, &references::GLMNET],
    )
}

/// `fit`.
pub(super) fn fit(formula: &str, firth: bool, patients: usize, cohort: &str) -> Method {
    let text = format!(
        "A multivariable logistic regression model, {formula}, was fitted by {} on the {patients} {cohort} patients with complete values; odds ratios are given with profile-likelihood 95% intervals.",
        if firth {
            "Firth's penalised likelihood"
        } else {
            "maximum likelihood"
        },
    );
    let firth_reference: &[&'static Reference] = &[&references::FIRTH];
    method(
        Section::Models,
        text,
        if firth { firth_reference } else { &[] },
    )
}

/// `univariate`.
pub(super) fn univariate(candidates: &str, outcome: &str, cohort: &str) -> Method {
    method(
        Section::Models,
        format!(
            "Each candidate ({candidates}) was first related to `{outcome}` alone by univariable logistic regression on the {cohort} cohort (odds ratios with Wald 95% intervals)."
        ),
        &[],
    )
}

/// `select forward`.
pub(super) fn forward_selection(
    criterion: &str,
    candidates: &str,
    patients: usize,
    formula: &str,
) -> Method {
    method(
        Section::Models,
        format!(
            "Clinical factors were chosen by forward selection ({criterion}) among {candidates} on the {patients} patients with complete values, giving {formula}."
        ),
        &[&references::AKAIKE],
    )
}

/// `roc`.
pub(super) fn discrimination(
    predictors: &str,
    bootstrap: Option<(usize, u64)>,
    split: bool,
) -> Method {
    method(
        Section::Validation,
        format!(
            "Discrimination of {predictors} was measured by the area under the ROC curve (AUC) with DeLong's 95% confidence interval{}; each predictor's threshold was chosen by Youden's J{} and sensitivity, specificity, accuracy, PPV and NPV are given at it with exact Clopper–Pearson intervals.",
            bootstrap.map_or(String::new(), |(replicates, seed)| format!(
                " and a stratified bootstrap interval ({replicates} replicates, seed {seed})"
            )),
            if split {
                " on the training cohort and applied unchanged to the validation cohort"
            } else {
                ""
            }
        ),
        &[
            &references::DELONG,
            &references::YOUDEN,
            &references::CLOPPER_PEARSON,
            &references::PROC,
        ],
    )
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or(String::new(), |first| {
        first.to_uppercase().chain(chars).collect()
    })
}
