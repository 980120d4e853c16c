//! Cross-implementation and end-to-end tests, in one binary (one link, shared helpers).

mod bias;
mod bias_vs_simpleitk;
mod calibration_vs_r;
mod cli;
mod clinical_inputs;
mod corpus;
mod describe_vs_r;
mod examples;
mod features_vs_ibsi;
mod features_vs_pyradiomics;
mod icc_vs_psych;
mod images;
mod models_vs_r;
mod nomogram_vs_r;
mod outlines_export;
mod pipeline_validation;
mod preprocess_vs_pyradiomics;
mod refusals;
mod repl;
mod robustness;
mod roc_vs_r;
mod rtstruct_vs_plastimatch;
mod samplesize_vs_pmsampsize;
mod seg_vs_highdicom;
mod segmentation;
mod support;
