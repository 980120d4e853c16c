//! The command table: every command radnomo knows, declared once. `help`, argument checking,
//! completion and highlighting read this table; each command's code lives in the file of its
//! group.

mod bias;
mod calibration;
mod case;
mod classification;
mod cohort;
mod cohort_export;
mod cross_validation;
mod data;
mod decision;
mod describe;
mod feature_export;
mod feature_patient;
mod features;
mod lasso;
mod lasso_plots;
pub(crate) mod meta;
mod methods;
mod models;
pub(crate) mod nomogram;
mod nomogram_drawing;
mod nomogram_html;
mod outcome;
mod patient_report;
mod pipeline_validation;
mod plot;
mod plot_distribution;
mod preprocess;
mod region_report;
mod rigor;
mod robustness;
mod samplesize;
mod segment;
mod selection_validation;
mod show;
mod show_features;
mod split;
mod stability;
mod validation;

use super::spec::CommandSpec;

/// What an `extract` computed (kept in the session for `robustness`).
pub use feature_patient::Request as ExtractionRequest;

/// Every command, in the order `help` lists them within their group.
pub static COMMANDS: &[CommandSpec] = &[
    data::LOAD_TABLE,
    cohort::LOAD_COHORT,
    case::LOAD_CASE,
    cohort_export::EXPORT_COHORT,
    split::SPLIT,
    data::VARS,
    show::SHOW_COHORT,
    show::SHOW_PATIENT,
    show::SHOW_KINETICS,
    bias::CORRECT_BIAS,
    segment::SEGMENT,
    preprocess::NORMALIZE,
    preprocess::RESAMPLE,
    preprocess::RESEGMENT,
    features::EXTRACT,
    show_features::SHOW_FEATURES,
    feature_export::EXPORT_FEATURES,
    describe::DESCRIBE,
    robustness::ROBUSTNESS,
    plot::PLOT,
    lasso::STANDARDIZE,
    lasso::LASSO,
    models::FIT,
    models::UNIVARIATE,
    models::SELECT_FORWARD,
    nomogram::NOMOGRAM,
    nomogram::PREDICT,
    validation::ROC,
    validation::COMPARE,
    calibration::HOSMER,
    calibration::CALIBRATE,
    calibration::VALIDATE,
    cross_validation::CV,
    decision::DCA,
    samplesize::SAMPLESIZE,
    meta::HELP,
    meta::PRINT,
    meta::CLEAR,
    meta::SET,
    meta::HISTORY,
    meta::SAVE,
    meta::REPORT,
    #[cfg(test)]
    tests::PANICS,
];

/// The declaration called `name` (`describe`, `load table`).
pub fn find(name: &str) -> Option<&'static CommandSpec> {
    COMMANDS.iter().find(|spec| spec.name == name)
}

#[cfg(test)]
pub(crate) mod tests {
    //! A command that panics, so the session's panic boundary can be tested.
    use super::CommandSpec;
    use crate::session::spec::Group;

    pub const PANICS: CommandSpec = CommandSpec {
        name: "panics",
        summary: "panics (tests only)",
        help: "Loads nothing and panics, to show the session survives.",
        examples: &["panics"],
        arguments: &[],
        group: Group::Session,
        replayable: true,
        run: |context, _| {
            context.state.settings.digits = 99;
            panic!("deliberate test panic")
        },
    };
}
