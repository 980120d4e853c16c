//! The report as one self-contained HTML page: figures are inline SVG, the style is in the page,
//! nothing is fetched, so it opens anywhere and prints as a paper's draft.

use super::{Block, Document};
use crate::output::{Item, TextStyle};
use crate::render::html::{escape, inline, table};
use crate::render::model::coefficient_table;
use crate::render::plot::svg;

pub fn page(document: &Document<'_>, digits: usize) -> String {
    let about = document.about;
    let mut body = format!(
        "<header>\n<h1>{}</h1>\n<p class=\"byline\">{} · radnomo {}</p>\n</header>\n",
        inline(&about.title),
        escape(&about.date),
        escape(about.version)
    );
    body.push_str("<section id=\"summary\">\n<h2>Summary</h2>\n");
    for sentence in &document.summary {
        body.push_str(&format!("<p>{}</p>\n", inline(sentence)));
    }
    body.push_str("</section>\n<section id=\"methods\">\n<h2>Methods</h2>\n");
    for (section, paragraphs) in &document.methods {
        body.push_str(&format!("<h3>{}</h3>\n", section.heading()));
        for paragraph in paragraphs {
            body.push_str(&format!(
                "<p>{}{}</p>\n",
                inline(&paragraph.text),
                citation(&paragraph.cites)
            ));
        }
    }
    body.push_str("</section>\n<section id=\"results\">\n<h2>Results</h2>\n");
    for block in &document.results {
        match block {
            Block::Heading(heading) => body.push_str(&format!("<h3>{heading}</h3>\n")),
            Block::Table { number, table: t } => {
                let mut numbered = t.clone();
                numbered.title = format!("Table {number}. {}", t.title);
                body.push_str(&table(&numbered, digits));
                body.push('\n');
            }
        }
    }
    if !document.figures.is_empty() {
        body.push_str("<h3>Figures</h3>\n");
    }
    for figure in &document.figures {
        let picture = svg(figure.plot).unwrap_or_else(|message| {
            format!(
                "<p class=\"warning\">the figure could not be drawn: {}</p>",
                escape(&message)
            )
        });
        body.push_str(&format!(
            "<figure id=\"figure-{n}\">{picture}<figcaption><b>Figure {n}.</b> {}. <span class=\"from\">From <code>{}</code>.</span></figcaption></figure>\n",
            inline(&figure.plot.title),
            escape(figure.statement),
            n = figure.number,
        ));
    }
    body.push_str("</section>\n");
    if !document.checks.is_empty() {
        body.push_str("<section id=\"rigor\">\n<h2>Rigor check</h2>\n");
        for check in document.checks {
            body.push_str(&table(check, digits));
            body.push('\n');
        }
        body.push_str("</section>\n");
    }
    if !document.references.is_empty() {
        body.push_str("<section id=\"references\">\n<h2>References</h2>\n<ol>\n");
        for (index, reference) in document.references.iter().enumerate() {
            body.push_str(&format!(
                "<li id=\"ref-{}\">{}</li>\n",
                index + 1,
                escape(reference.citation)
            ));
        }
        body.push_str("</ol>\n</section>\n");
    }
    body.push_str(&appendix(document, digits));
    let settings: String = about
        .settings
        .iter()
        .map(|(name, value)| {
            format!(
                "<tr><th style=\"text-align:left\">{}</th><td style=\"text-align:left\">{}</td></tr>",
                escape(name),
                escape(value)
            )
        })
        .collect();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"generator\" content=\"radnomo {version}\">\n<title>{title}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n{body}<h3>Settings</h3>\n<table class=\"radnomo settings\">{settings}</table>\n</body>\n</html>\n",
        title = escape(&about.title),
        version = escape(about.version),
    )
}

/// `[1, 2]` after a sentence, each number linking to its reference.
fn citation(cites: &[usize]) -> String {
    if cites.is_empty() {
        return String::new();
    }
    let links: Vec<String> = cites
        .iter()
        .map(|n| format!("<a href=\"#ref-{n}\">{n}</a>"))
        .collect();
    format!(" <span class=\"cite\">[{}]</span>", links.join(", "))
}

/// Every statement with what it gave; figures point to their number, warnings are labelled.
fn appendix(document: &Document<'_>, digits: usize) -> String {
    let mut out = String::from(
        "<section id=\"appendix\">\n<h2>Appendix: the session</h2>\n<p>Every statement that ran, in order, with its output.</p>\n",
    );
    for entry in document.entries {
        out.push_str(&format!(
            "<div class=\"entry\">\n<pre class=\"statement\">{}</pre>\n",
            escape(entry.statement)
        ));
        for item in &entry.output.items {
            match item {
                Item::Table(t) => out.push_str(&table(t, digits)),
                Item::Model(model) => out.push_str(&table(&coefficient_table(model), digits)),
                Item::Plot(plot) => match document.figure_of(plot) {
                    Some(n) => out.push_str(&format!(
                        "<p class=\"figure-link\"><a href=\"#figure-{n}\">Figure {n}</a>: {}</p>",
                        inline(&plot.title)
                    )),
                    None => out.push_str(&format!("<p>{}</p>", inline(&plot.title))),
                },
                Item::Text(text) => match text.style {
                    TextStyle::Warning => out.push_str(&format!(
                        "<p class=\"warning\"><b>Warning:</b> {}</p>",
                        inline(&text.text)
                    )),
                    TextStyle::Info => {
                        out.push_str(&format!("<p class=\"info\">{}</p>", inline(&text.text)))
                    }
                    TextStyle::Help => {
                        out.push_str(&format!("<pre class=\"help\">{}</pre>", escape(&text.text)))
                    }
                },
            }
            out.push('\n');
        }
        out.push_str("</div>\n");
    }
    out.push_str("</section>\n");
    out
}

const STYLE: &str = "body { font-family: Georgia, 'Times New Roman', serif; max-width: 64em; margin: 2em auto; padding: 0 1em; color: #1a1a1a; line-height: 1.45; }
h1 { font-size: 1.7em; margin-bottom: .2em; }
h2 { border-bottom: 1px solid #999; padding-bottom: .15em; margin-top: 2em; }
h3 { margin-top: 1.4em; }
.byline { color: #555; margin-top: 0; }
code, pre { font-family: 'DejaVu Sans Mono', Menlo, Consolas, monospace; font-size: .88em; }
code { background: #f2f2f2; padding: 0 .2em; border-radius: 2px; }
pre.statement { background: #f2f2f2; padding: .45em .6em; border-left: 3px solid #0072b2; white-space: pre-wrap; }
pre.help { white-space: pre-wrap; }
table.radnomo { border-collapse: collapse; margin: 1em 0; font-family: 'DejaVu Sans', Arial, sans-serif; font-size: .84em; border-top: 2px solid #222; border-bottom: 2px solid #222; }
table.radnomo thead { border-bottom: 1px solid #222; }
table.radnomo th, table.radnomo td { padding: .2em .6em; vertical-align: top; }
table.radnomo td[style*=right] { white-space: nowrap; }
table.radnomo caption { text-align: left; font-weight: bold; padding-bottom: .3em; font-family: Georgia, serif; font-size: 1.1em; }
table.settings { border: none; }
p.radnomo-note { margin: -.6em 0 .8em; color: #444; font-family: 'DejaVu Sans', Arial, sans-serif; }
figure { margin: 1.5em 0; page-break-inside: avoid; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: .95em; margin-top: .3em; }
figcaption .from { color: #666; }
.cite a { text-decoration: none; }
p.info { color: #333; margin: .3em 0; }
p.warning { background: #fff8e1; border-left: 3px solid #e69f00; padding: .35em .6em; margin: .4em 0; }
p.figure-link { margin: .3em 0; }
div.entry { margin-bottom: 1.2em; }
@media print { pre.statement { border-left-color: #888; } p.warning { background: none; } }
";
