//! The report as Markdown with its figures beside it (SVG for the screen, PNG for word
//! processors), for researchers who draft in Markdown, Quarto or pandoc.

use super::{Block, Document};
use crate::output::{Item, TextStyle};
use crate::render::markdown::table;
use crate::render::model::coefficient_table;
use crate::render::plot::{png, svg};

/// A file the report needs beside it: its name inside the figures folder and its bytes.
pub struct FigureFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The Markdown text and the figure files; `folder` is the figures folder's name as the text
/// links to it (relative to the Markdown file).
pub fn document(
    document: &Document<'_>,
    digits: usize,
    folder: &str,
) -> Result<(String, Vec<FigureFile>), String> {
    let about = document.about;
    let mut out = format!(
        "# {}\n\n{} · radnomo {}\n\n## Summary\n\n",
        about.title, about.date, about.version
    );
    for sentence in &document.summary {
        out.push_str(&format!("{sentence}\n\n"));
    }
    out.push_str("## Methods\n\n");
    for (section, paragraphs) in &document.methods {
        out.push_str(&format!("### {}\n\n", section.heading()));
        for paragraph in paragraphs {
            let cites: Vec<String> = paragraph.cites.iter().map(|n| n.to_string()).collect();
            if cites.is_empty() {
                out.push_str(&format!("{}\n\n", paragraph.text));
            } else {
                out.push_str(&format!("{} [{}]\n\n", paragraph.text, cites.join(", ")));
            }
        }
    }
    out.push_str("## Results\n\n");
    for block in &document.results {
        match block {
            Block::Heading(heading) => out.push_str(&format!("### {heading}\n\n")),
            Block::Table { number, table: t } => {
                let mut numbered = t.clone();
                numbered.title = format!("Table {number}. {}", t.title);
                out.push_str(&table(&numbered, digits));
                out.push_str("\n\n");
            }
        }
    }
    let mut files = Vec::new();
    if !document.figures.is_empty() {
        out.push_str("### Figures\n\n");
    }
    for figure in &document.figures {
        let stem = format!("figure-{}", figure.number);
        files.push(FigureFile {
            name: format!("{stem}.svg"),
            bytes: svg(figure.plot)?.into_bytes(),
        });
        files.push(FigureFile {
            name: format!("{stem}.png"),
            bytes: png(figure.plot)?,
        });
        out.push_str(&format!(
            "![Figure {n}]({folder}/{stem}.svg)\n\n**Figure {n}.** {}. From `{}`.\n\n",
            figure.plot.title,
            figure.statement,
            n = figure.number,
        ));
    }
    if !document.checks.is_empty() {
        out.push_str("## Rigor check\n\n");
        for check in document.checks {
            out.push_str(&table(check, digits));
            out.push_str("\n\n");
        }
    }
    if !document.references.is_empty() {
        out.push_str("## References\n\n");
        for (index, reference) in document.references.iter().enumerate() {
            out.push_str(&format!("{}. {}\n", index + 1, reference.citation));
        }
        out.push('\n');
    }
    out.push_str("## Appendix: the session\n\n");
    for entry in document.entries {
        out.push_str(&format!("```\n{}\n```\n\n", entry.statement));
        for item in &entry.output.items {
            match item {
                Item::Table(t) => out.push_str(&table(t, digits)),
                Item::Model(model) => out.push_str(&table(&coefficient_table(model), digits)),
                Item::Plot(plot) => match document.figure_of(plot) {
                    Some(n) => out.push_str(&format!("Figure {n}: {}", plot.title)),
                    None => out.push_str(&plot.title),
                },
                Item::Text(text) => match text.style {
                    TextStyle::Warning => out.push_str(&format!("> **Warning:** {}", text.text)),
                    TextStyle::Info => out.push_str(&text.text),
                    TextStyle::Help => out.push_str(&format!("```\n{}\n```", text.text)),
                },
            }
            out.push_str("\n\n");
        }
    }
    out.push_str("## Settings\n\n");
    for (name, value) in &about.settings {
        out.push_str(&format!("- {name}: {value}\n"));
    }
    Ok((out, files))
}
