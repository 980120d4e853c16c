//! What a statement adds to a report's Methods: a sentence in the section a paper would put it in,
//! with the works the method follows. Commands write these beside what they show; only `report`
//! reads them, so the Methods describe what the session actually ran, with its real settings.

use super::references::Reference;

/// The Methods section a sentence belongs in, in a paper's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    Patients,
    Images,
    Segmentation,
    Features,
    Signature,
    Models,
    Validation,
    Statistics,
}

impl Section {
    pub const ALL: [Section; 8] = [
        Section::Patients,
        Section::Images,
        Section::Segmentation,
        Section::Features,
        Section::Signature,
        Section::Models,
        Section::Validation,
        Section::Statistics,
    ];

    pub fn heading(self) -> &'static str {
        match self {
            Section::Patients => "Patients and data",
            Section::Images => "Images and pre-processing",
            Section::Segmentation => "Segmentation",
            Section::Features => "Radiomics features",
            Section::Signature => "Radiomics signature",
            Section::Models => "Model development",
            Section::Validation => "Performance and validation",
            Section::Statistics => "Statistical analysis",
        }
    }
}

/// One sentence (or a few) of Methods. `text` may hold `code` spans in backticks.
#[derive(Debug, Clone, PartialEq)]
pub struct Method {
    pub section: Section,
    pub text: String,
    pub references: Vec<&'static Reference>,
}

impl Method {
    pub fn new(section: Section, text: impl Into<String>) -> Method {
        Method {
            section,
            text: text.into(),
            references: Vec::new(),
        }
    }

    /// Cites `references` after the sentence.
    pub fn citing(mut self, references: &[&'static Reference]) -> Method {
        self.references.extend_from_slice(references);
        self
    }
}
