//! A fitted model as a result: what it was fitted to, its coefficients with their statistics, and
//! the fit's summary — enough to show it, store it and (later) predict from it.

use serde::Serialize;

/// A fitted logistic regression.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Model {
    /// `aln ~ grade + multifocal + lnmri + rad`
    pub formula: String,
    pub outcome: String,
    /// The outcome value modelled as the event.
    pub positive_label: String,
    pub terms: Vec<ModelTerm>,
    pub coefficients: Vec<Coefficient>,
    /// Which patients it was fitted on ("training", "all").
    pub cohort: String,
    pub n: usize,
    /// Patients left out for a missing value in a model variable.
    pub excluded: usize,
    pub deviance: f64,
    pub null_deviance: f64,
    pub aic: f64,
    pub iterations: usize,
    pub converged: bool,
    /// Fitted by Firth's penalised likelihood.
    pub firth: bool,
    pub notes: Vec<String>,
    /// How its terms were chosen, when a command chose them (`select forward`): a key into the
    /// session's record of the selection, so validation can repeat it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selected_by: Option<String>,
    /// Covariance of the coefficients, in `coefficients` order (`None` in an aliased
    /// coefficient's row and column): the intervals of a predicted risk.
    #[serde(skip)]
    pub covariance: Vec<Vec<Option<f64>>>,
}

/// A term and how it is coded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelTerm {
    /// `grade`, `factor(grade)`
    pub label: String,
    pub column: String,
    pub categorical: bool,
    /// Levels in the fitting data, the first the reference (categorical terms).
    pub levels: Vec<String>,
}

/// One coefficient.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coefficient {
    /// R's name: `(Intercept)`, `grade`, `multifocalyes`.
    pub name: String,
    /// What a reader sees: `multifocal: yes vs no`.
    pub label: String,
    /// Index into `terms`; `None` for the intercept.
    pub term: Option<usize>,
    pub level: Option<String>,
    /// `None` when aliased (collinear with earlier columns), as R's NA.
    pub estimate: Option<f64>,
    pub standard_error: Option<f64>,
    pub z: Option<f64>,
    pub p_value: Option<f64>,
    /// Wald 95% interval of the coefficient.
    pub wald_interval: Option<(f64, f64)>,
    /// Profile-likelihood 95% interval of the coefficient.
    pub profile_interval: Option<(f64, f64)>,
}
