//! What a session remembers between commands. Cloned before each input so a failing input can
//! be undone whole (data columns are shared behind `Arc`, so the clone is cheap).

use crate::data::Dataset;
use crate::imaging::bias::BiasCorrection;
use crate::imaging::cohort::ImageCohort;
use crate::imaging::{Geometry, Mask};
use crate::output::Item;
use ndarray::Array2;
use std::collections::BTreeMap;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Debug, Clone, Default)]
pub struct State {
    /// The loaded table: clinical factors, outcome, split and, once extracted, features.
    pub data: Option<Dataset>,
    /// The images of the loaded cohort, patient by patient (read or rendered when needed).
    pub images: Option<Arc<ImageCohort>>,
    /// The bias correction `correct bias` set up: images are corrected as they are read.
    pub bias: Option<Arc<BiasCorrection>>,
    /// The tumour masks `segment` drew, by patient id.
    pub segmentation: Option<Arc<Segmentation>>,
    /// What `extract` does to images and masks first (`resample`, `normalize`, `resegment`).
    pub preprocessing: crate::preprocess::Preprocessing,
    /// Results stored by `name = command`.
    pub variables: BTreeMap<String, Item>,
    /// How each LASSO signature column was made (`lasso`), by column name, so that validation
    /// can make it again on bootstrap samples.
    pub signatures: BTreeMap<String, RecordedSignature>,
    /// How `select forward` chose each selected model's terms, by the model's `selected_by`.
    pub selections: BTreeMap<String, RecordedSelection>,
    /// What the last `extract` computed, so `robustness` can compute it again on perturbed
    /// regions.
    /// Cleared when data are loaded.
    pub extraction: Option<Arc<crate::session::commands::ExtractionRequest>>,
    pub settings: Settings,
    /// Statements that ran without error, in order.
    pub history: Vec<HistoryEntry>,
}

impl State {
    /// The stored results that are models, by name.
    pub fn models(&self) -> impl Iterator<Item = (&str, &crate::output::Model)> {
        self.variables.iter().filter_map(|(name, item)| match item {
            Item::Model(model) => Some((name.as_str(), model)),
            _ => None,
        })
    }

    /// The stored model called `name`.
    pub fn model(&self, name: &str) -> Option<&crate::output::Model> {
        match self.variables.get(name) {
            Some(Item::Model(model)) => Some(model),
            _ => None,
        }
    }
}

/// A signature column as `lasso` made it: its steps and the scores it wrote (a column changed
/// since no longer matches them, and its steps are then not replayed).
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedSignature {
    pub steps: crate::stats::pipeline::SignatureSteps,
    pub scores: Vec<Option<f64>>,
    /// The candidates (indices into `steps.features`) the signature kept.
    pub kept: Vec<usize>,
    /// The column the folds came from, when `lasso foldid=` fixed them.
    pub fixed_folds: Option<String>,
}

/// A forward selection as it ran: its candidate terms, criterion and patients (those complete in
/// every candidate).
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedSelection {
    pub scope: Vec<crate::stats::design::TermRequest>,
    pub criterion: crate::stats::selection::Criterion,
    pub rows: Vec<usize>,
}

/// A statement as typed, whether `save` replays it, and what it gave (for `report`).
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEntry {
    pub text: String,
    /// The command's name (`validate`, `select forward`).
    pub command: &'static str,
    /// The name a result was stored under (`combined` in `combined = fit …`).
    pub target: Option<String>,
    pub replayable: bool,
    pub output: crate::output::Output,
}

/// Settings changed with `set`.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Where plots are written.
    pub plots: PathBuf,
    /// The seed used by random steps that are not given one.
    pub seed: u64,
    /// Significant digits of plain numbers in tables.
    pub digits: usize,
    /// Formats, resolution and width of plot files.
    pub figures: crate::output::FigureSettings,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            plots: PathBuf::from("radnomo-out"),
            seed: 2021,
            digits: 4,
            figures: crate::output::FigureSettings::default(),
        }
    }
}

/// What `segment` produced, by patient id.
#[derive(Debug, Clone, PartialEq)]
pub struct Segmentation {
    /// The DCE phase segmented (1-based).
    pub phase: usize,
    pub slices: HashMap<String, SegmentedSlice>,
    /// Patients segmented again by hand (`segment patient=ID …`), in order.
    pub adjusted: Vec<String>,
}

/// One patient's segmentation: the slice (0-based), the mask on it, and the grid it lies on.
#[derive(Debug, Clone, PartialEq)]
pub struct SegmentedSlice {
    pub slice: usize,
    pub plane: Array2<u8>,
    pub shape: [usize; 3],
    pub geometry: Geometry,
}

impl Segmentation {
    /// Patient `id`'s segmentation as a mask on its image's grid (empty off the slice).
    pub fn mask(&self, id: &str) -> Option<Mask> {
        let segmented = self.slices.get(id)?;
        let mut mask = Mask::empty(segmented.shape, segmented.geometry);
        mask.labels
            .index_axis_mut(ndarray::Axis(0), segmented.slice)
            .assign(&segmented.plane);
        Some(mask)
    }
}
