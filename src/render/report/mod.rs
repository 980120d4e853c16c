//! A session as a paper's skeleton: title, date and version; a summary of the main results;
//! Methods written from what the session ran (each command's sentences, with the works they
//! follow numbered as references); Results with the tables a paper prints (Table 1, the
//! signature, the models with odds ratios, performance, validation) and every figure numbered
//! with its caption; the full session as an appendix, warnings labelled. [`Document`] gathers
//! this once; `html` and `markdown` write it for their medium.

pub mod html;
pub mod markdown;

use crate::output::references::{self, Reference};
use crate::output::{Cell, Item, Output, Plot, Section, Table};
use crate::render::model::coefficient_table;

/// A statement that ran, the name its result was stored under, and what it gave.
pub struct Entry<'a> {
    pub statement: &'a str,
    pub target: Option<&'a str>,
    pub output: &'a Output,
}

/// What the report says about itself.
pub struct About {
    pub title: String,
    /// `2026-12-06`
    pub date: String,
    pub version: &'static str,
    pub seed: u64,
    /// (name, value) pairs listed at the end.
    pub settings: Vec<(String, String)>,
}

/// A sentence of Methods with the numbers of the references it cites.
pub struct Paragraph {
    pub text: String,
    pub cites: Vec<usize>,
}

/// A block of Results.
pub enum Block {
    Heading(&'static str),
    /// A numbered table.
    Table {
        number: usize,
        table: Table,
    },
}

/// A numbered figure and the statement that drew it.
pub struct Figure<'a> {
    pub number: usize,
    pub plot: &'a Plot,
    pub statement: &'a str,
}

/// The report, ready to be written.
pub struct Document<'a> {
    pub about: &'a About,
    pub summary: Vec<String>,
    pub methods: Vec<(Section, Vec<Paragraph>)>,
    pub references: Vec<&'static Reference>,
    pub results: Vec<Block>,
    pub figures: Vec<Figure<'a>>,
    /// Checks of the study's rigor, shown after the Results.
    pub checks: &'a [Table],
    pub entries: &'a [Entry<'a>],
}

/// Tables a paper prints, by the machine name commands give them, under their Results heading.
const RESULT_TABLES: &[(&str, &[&str])] = &[
    ("Patients", &["table1"]),
    ("Radiomics signature", &["signature", "selection frequency"]),
    ("Model development", &["univariate", "selection"]),
    (
        "Performance and validation",
        &[
            "performance",
            "compare",
            "validation",
            "pipeline validation",
            "cross-validation",
            "calibration",
            "hosmer",
            "net benefit",
        ],
    ),
];

impl<'a> Document<'a> {
    pub fn new(about: &'a About, entries: &'a [Entry<'a>], checks: &'a [Table]) -> Document<'a> {
        let (methods, references) = methods(about, entries);
        let results = results(entries);
        let mut figures = Vec::new();
        for entry in entries {
            for item in &entry.output.items {
                if let Item::Plot(plot) = item {
                    figures.push(Figure {
                        number: figures.len() + 1,
                        plot,
                        statement: entry.statement,
                    });
                }
            }
        }
        Document {
            about,
            summary: summary(entries, &results),
            methods,
            references,
            results,
            figures,
            checks,
            entries,
        }
    }

    /// The figure number of a plot of the session (the appendix points to it).
    pub fn figure_of(&self, plot: &Plot) -> Option<usize> {
        self.figures
            .iter()
            .find(|f| std::ptr::eq(f.plot, plot))
            .map(|f| f.number)
    }
}

/// The Methods, section by section, and the works cited in order of first citation. A sentence
/// said twice (a command run again) is kept once; a model's sentence is prefixed by its name.
fn methods(
    about: &About,
    entries: &[Entry<'_>],
) -> (Vec<(Section, Vec<Paragraph>)>, Vec<&'static Reference>) {
    let mut cited: Vec<&'static Reference> = Vec::new();
    let mut number_of = |reference: &'static Reference| -> usize {
        match cited.iter().position(|r| std::ptr::eq(*r, reference)) {
            Some(i) => i + 1,
            None => {
                cited.push(reference);
                cited.len()
            }
        }
    };
    let mut sections = Vec::new();
    for section in Section::ALL {
        let mut paragraphs: Vec<Paragraph> = Vec::new();
        for entry in entries {
            for method in entry.output.methods.iter().filter(|m| m.section == section) {
                let text = match (entry.target, section) {
                    (Some(name), Section::Models) => format!("`{name}`: {}", method.text),
                    _ => method.text.clone(),
                };
                if paragraphs.iter().any(|p| p.text == text) {
                    continue;
                }
                let cites = method.references.iter().map(|r| number_of(r)).collect();
                paragraphs.push(Paragraph { text, cites });
            }
        }
        if section == Section::Statistics {
            let software: [&'static Reference; 2] = [&references::R, &references::PYRADIOMICS];
            paragraphs.push(Paragraph {
                text: format!(
                    "Every step ran in radnomo {} (session seed {}); its statistics are checked against R (stats, glmnet, rms, pROC), its features against PyRadiomics and the IBSI reference values, and its image filters against SimpleITK, in radnomo's test suite.",
                    about.version, about.seed
                ),
                cites: software.iter().map(|r| number_of(r)).collect(),
            });
        }
        if !paragraphs.is_empty() {
            sections.push((section, paragraphs));
        }
    }
    (sections, cited)
}

/// The Results tables: for each name, the last table of that name with a given title (a command
/// run again replaces its table), models as coefficient tables with their names, numbered in order.
fn results(entries: &[Entry<'_>]) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut number = 0;
    for (heading, names) in RESULT_TABLES {
        let mut chosen: Vec<Table> = Vec::new();
        for name in *names {
            let mut of_name: Vec<Table> = Vec::new();
            for table in entries.iter().flat_map(|e| tables_of(e.output)) {
                if table.name == *name {
                    of_name.retain(|t| t.title != table.title);
                    of_name.push(table.clone());
                }
            }
            chosen.extend(of_name);
            if *name == "selection" {
                chosen.extend(models(entries));
            }
        }
        if chosen.is_empty() {
            continue;
        }
        blocks.push(Block::Heading(heading));
        for table in chosen {
            number += 1;
            blocks.push(Block::Table { number, table });
        }
    }
    blocks
}

/// A statement's tables: those it shows and those only a report prints.
fn tables_of(output: &Output) -> impl Iterator<Item = &Table> {
    output
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Table(table) => Some(table),
            _ => None,
        })
        .chain(&output.results)
}

/// Each fitted model once (the last fit of a formula), titled with its name when it has one.
fn models(entries: &[Entry<'_>]) -> Vec<Table> {
    let mut tables: Vec<(String, Table)> = Vec::new();
    for entry in entries {
        for item in &entry.output.items {
            if let Item::Model(model) = item {
                let mut table = coefficient_table(model);
                if let Some(name) = entry.target {
                    table.title = format!("Model `{name}`: {}", model.formula);
                }
                tables.retain(|(formula, _)| *formula != model.formula);
                tables.push((model.formula.clone(), table));
            }
        }
    }
    tables.into_iter().map(|(_, table)| table).collect()
}

/// The main results in a few sentences: the signature, each predictor's AUC by cohort, the
/// optimism-corrected C-indices, and how many warnings the session raised.
fn summary(entries: &[Entry<'_>], results: &[Block]) -> Vec<String> {
    let tables: Vec<&Table> = results
        .iter()
        .filter_map(|b| match b {
            Block::Table { table, .. } => Some(table),
            Block::Heading(_) => None,
        })
        .collect();
    let mut sentences = Vec::new();
    if let Some(signature) = tables.iter().find(|t| t.name == "signature") {
        let features: Vec<String> = signature
            .rows
            .iter()
            .filter_map(|row| match row.first() {
                Some(Cell::Text { value }) if value != "(Intercept)" => Some(format!("`{value}`")),
                _ => None,
            })
            .collect();
        sentences.push(format!(
            "The radiomics signature kept {} feature{}: {}.",
            features.len(),
            if features.len() == 1 { "" } else { "s" },
            features.join(", ")
        ));
    }
    if let Some(performance) = tables.iter().find(|t| t.name == "performance") {
        let mut by_predictor: Vec<(String, Vec<String>)> = Vec::new();
        for row in &performance.rows {
            let (Some(Cell::Text { value: name }), Some(Cell::Text { value: cohort })) =
                (row.first(), row.get(1))
            else {
                continue;
            };
            let Some(Cell::Estimate { value, low, high }) = row.get(2) else {
                continue;
            };
            let said = format!("{value:.3} ({low:.3}–{high:.3}) in the {cohort} cohort");
            match by_predictor.iter_mut().find(|(n, _)| n == name) {
                Some((_, list)) => list.push(said),
                None => by_predictor.push((name.clone(), vec![said])),
            }
        }
        let parts: Vec<String> = by_predictor
            .iter()
            .map(|(name, said)| format!("`{name}` {}", said.join(", ")))
            .collect();
        if !parts.is_empty() {
            sentences.push(format!("AUC (95% CI): {}.", parts.join("; ")));
        }
    }
    let corrected: Vec<String> = tables
        .iter()
        .filter(|t| t.name == "validation")
        .filter_map(|t| {
            let row = t
                .rows
                .iter()
                .find(|r| matches!(r.first(), Some(Cell::Text { value }) if value == "C (AUC)"))?;
            let Some(Cell::Number { value }) = row.get(5) else {
                return None;
            };
            let model = t.title.strip_prefix("Bootstrap validation: ")?;
            let model = model.split(" (").next().unwrap_or(model);
            Some(format!("`{model}` {value:.3}"))
        })
        .collect();
    if !corrected.is_empty() {
        sentences.push(format!(
            "Optimism-corrected C-index by the bootstrap: {}.",
            corrected.join(", ")
        ));
    }
    let warnings = entries
        .iter()
        .flat_map(|e| &e.output.items)
        .filter(|item| {
            matches!(item, Item::Text(text) if text.style == crate::output::TextStyle::Warning)
        })
        .count();
    sentences.push(format!(
        "The session ran {} statement{} and raised {warnings} warning{}{}.",
        entries.len(),
        if entries.len() == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" },
        if warnings > 0 {
            ", each kept beside its statement in the appendix"
        } else {
            ""
        }
    ));
    sentences
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{Method, Text};

    fn about() -> About {
        About {
            title: "t".into(),
            date: "2026-01-01".into(),
            version: "0",
            seed: 1,
            settings: Vec::new(),
        }
    }

    #[test]
    fn methods_follow_the_papers_order_and_number_each_work_once() {
        let roc = Output::item(Text::info("x"))
            .with_method(Method::new(Section::Validation, "roc").citing(&[&references::DELONG]));
        let fit = Output::empty()
            .with_method(Method::new(Section::Models, "fit").citing(&[&references::FIRTH]));
        let again = Output::empty().with_method(
            Method::new(Section::Validation, "compare").citing(&[&references::DELONG]),
        );
        let entries = [
            Entry {
                statement: "roc m",
                target: None,
                output: &roc,
            },
            Entry {
                statement: "m = fit a",
                target: Some("m"),
                output: &fit,
            },
            Entry {
                statement: "roc m",
                target: None,
                output: &roc,
            },
            Entry {
                statement: "compare m n",
                target: None,
                output: &again,
            },
        ];
        let about = about();
        let document = Document::new(&about, &entries, &[]);
        let sections: Vec<Section> = document.methods.iter().map(|(s, _)| *s).collect();
        assert_eq!(
            sections,
            [Section::Models, Section::Validation, Section::Statistics]
        );
        assert_eq!(document.methods[0].1[0].text, "`m`: fit");
        // Firth first (Models comes first), DeLong once although cited by two sentences; the
        // repeated `roc` sentence is said once.
        assert!(std::ptr::eq(document.references[0], &references::FIRTH));
        assert!(std::ptr::eq(document.references[1], &references::DELONG));
        let validation = &document.methods[1].1;
        assert_eq!(validation.len(), 2);
        assert_eq!(
            (validation[0].cites.clone(), validation[1].cites.clone()),
            (vec![2], vec![2])
        );
        assert_eq!(
            document.references.len(),
            4,
            "Firth, DeLong, and the software paragraph's R and PyRadiomics"
        );
    }
}
