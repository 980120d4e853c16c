//! `report`: a paper's skeleton written from the session — Methods from what ran, Results
//! tables with the session's own numbers, numbered figures, the appendix; HTML in one file,
//! Markdown with its figures beside it; wrong endings and existing files refused.

use crate::cli::tempfile_folder;
use crate::support::{Run, root};

const SESSION: &str = "load table \"DEMO\" outcome=aln split=cohort
describe by=aln columns=age,grade,lnmri,rad median=rad
combined = fit grade+lnmri+rad
roc combined boot=0
validate combined boot=20 seed=3
dca combined boot=0";

fn session(report: &str) -> String {
    let demo = root().join("examples/data/demo.csv");
    format!(
        "{}\n{report}",
        SESSION.replace("DEMO", &demo.display().to_string())
    )
}

/// The AUC and DeLong interval of `combined` in `cohort`, from `roc`'s own JSON table.
fn auc_of(run: &crate::support::Finished, cohort: &str) -> (f64, f64, f64) {
    for line in run.json_lines() {
        for result in line["results"].as_array().into_iter().flatten() {
            if result["name"] != "roc" {
                continue;
            }
            for row in result["rows"].as_array().unwrap() {
                if row[1]["value"] == cohort {
                    return (
                        row[3]["value"].as_f64().unwrap(),
                        row[4]["low"].as_f64().unwrap(),
                        row[4]["high"].as_f64().unwrap(),
                    );
                }
            }
        }
    }
    panic!("no ROC row for {cohort}");
}

#[test]
fn the_html_report_is_a_papers_skeleton_with_the_sessions_own_numbers() {
    let folder = tempfile_folder("report-html");
    let run = Run::args([
        "--format",
        "json",
        "-e",
        &session("report study.html title=\"ALN nomogram\""),
    ])
    .in_dir(&folder)
    .succeeds();
    let page = std::fs::read_to_string(folder.join("study.html")).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("<h1>ALN nomogram</h1>"));
    assert!(page.contains("· radnomo 0.1.0</p>"), "date and version");
    for heading in [
        "Summary",
        "Methods",
        "Results",
        "References",
        "Appendix: the session",
    ] {
        assert!(page.contains(&format!("<h2>{heading}</h2>")), "{heading}");
    }
    // Methods come from what ran, with its settings and the patients it counted.
    assert!(page.contains("<h3>Patients and data</h3>"));
    assert!(page.contains("432 patients (160 with <code>aln</code> = 1): 296 in the training cohort (106 with <code>aln</code> = 1) and 136 in the validation cohort (54 with <code>aln</code> = 1)"));
    assert!(page.contains("<code>combined</code>: A multivariable logistic regression model, aln ~ grade + lnmri + rad, was fitted by maximum likelihood on the 296 training patients"));
    assert!(page.contains("validated internally by 20 bootstrap replicates (seed 3"));
    assert!(
        !page.contains("<h3>Segmentation</h3>"),
        "nothing that did not run"
    );
    // DeLong is cited once and numbered where first cited; the list holds each work once.
    let delong = "DeLong ER, DeLong DM, Clarke-Pearson DL.";
    assert_eq!(page.matches(delong).count(), 1);
    assert!(page.contains("<li id=\"ref-1\">"));
    // Results: Table 1, the model, the performance table with roc's own AUC and interval.
    assert!(page.contains("<caption>Table 1. Characteristics by <code>aln</code></caption>"));
    assert!(page.contains("Model <code>combined</code>: aln ~ grade + lnmri + rad</caption>"));
    for cohort in ["training", "validation"] {
        let (auc, low, high) = auc_of(&run, cohort);
        let cell = format!("{auc:.3} ({low:.3}–{high:.3})");
        assert!(page.contains(&cell), "{cohort} AUC {cell} in the report");
        assert!(
            page.contains(&format!("in the {cohort} cohort")),
            "summary names the {cohort} AUC"
        );
    }
    assert!(page.contains("Optimism-corrected C-index by the bootstrap: <code>combined</code> 0."));
    // Figures: numbered in order, each drawn once (inline SVG), the appendix pointing to them.
    let figures = page.matches("<figure id=\"figure-").count();
    assert_eq!(figures, 4, "two ROC and two decision-curve plots");
    assert_eq!(page.matches("<svg").count(), figures);
    for n in 1..=figures {
        assert!(page.contains(&format!("<b>Figure {n}.</b>")));
        assert!(page.contains(&format!("<a href=\"#figure-{n}\">Figure {n}</a>")));
    }
    // Captions and notes show code, not backticks; the statements are kept verbatim.
    let captions: Vec<&str> = page
        .split("<caption>")
        .skip(1)
        .map(|rest| rest.split("</caption>").next().unwrap())
        .collect();
    assert!(captions.len() >= 6);
    assert!(captions.iter().all(|c| !c.contains('`')), "{captions:?}");
    assert!(page.contains("<pre class=\"statement\">combined = fit grade+lnmri+rad</pre>"));
    // Self-contained: no link leaves the page.
    assert!(!page.contains("src=\""));
    assert!(page.matches("href=\"").count() == page.matches("href=\"#").count());
}

#[test]
fn warnings_keep_their_label_in_the_appendix() {
    let folder = tempfile_folder("report-warning");
    let demo = root().join("examples/data/demo.csv");
    Run::script(&format!(
        "load table \"{}\" outcome=aln split=cohort\nclinical = fit age+size_mm+grade+multifocal+lnmri+er+pr+her2+ki67+bmi+rad cohort=valid\nreport r.html",
        demo.display()
    ))
    .in_dir(&folder)
    .succeeds();
    let page = std::fs::read_to_string(folder.join("r.html")).unwrap();
    assert!(
        page.contains("<p class=\"warning\"><b>Warning:</b> "),
        "the events-per-candidate warning is labelled"
    );
    assert!(page.contains("raised 1 warning, each kept beside its statement"));
}

#[test]
fn the_markdown_report_writes_its_figures_beside_it_and_never_over_a_file() {
    let folder = tempfile_folder("report-markdown");
    Run::script(&session("report study.md"))
        .in_dir(&folder)
        .succeeds()
        .stdout_has("to study.md, its figures to study-figures");
    let text = std::fs::read_to_string(folder.join("study.md")).unwrap();
    assert!(text.starts_with("# Radiomics nomogram for `aln`\n"));
    assert!(text.contains("## Methods\n\n### Patients and data\n"));
    assert!(text.contains("![Figure 4](study-figures/figure-4.svg)"));
    assert!(text.contains("## Appendix: the session\n\n```\nload table"));
    assert!(text.contains("```\nroc combined boot=0\n```"));
    for n in 1..=4 {
        for ending in ["svg", "png"] {
            let file = folder.join(format!("study-figures/figure-{n}.{ending}"));
            assert!(std::fs::metadata(&file).unwrap().len() > 1000, "{file:?}");
        }
    }
    // A figure someone else wrote is not overwritten, and the Markdown is not half-written.
    let other = tempfile_folder("report-markdown-other");
    std::fs::create_dir_all(other.join("study-figures")).unwrap();
    std::fs::write(other.join("study-figures/figure-2.png"), "mine").unwrap();
    Run::script(&session("report study.md"))
        .in_dir(&other)
        .fails()
        .stderr_has("figure-2.png");
    assert_eq!(
        std::fs::read_to_string(other.join("study-figures/figure-2.png")).unwrap(),
        "mine"
    );
    assert!(!other.join("study.md").exists());
}

#[test]
fn a_report_is_html_or_markdown_and_says_so() {
    let folder = tempfile_folder("report-ending");
    Run::script("load cohort n=6\nreport study.txt")
        .in_dir(&folder)
        .fails()
        .stderr_has("`study.txt`: a report is written as .html")
        .stderr_has("-e:2:8");
    assert!(!folder.join("study.txt").exists());
}

#[test]
fn the_rigor_check_judges_what_the_session_ran_and_names_the_remedy() {
    let folder = tempfile_folder("report-rigor");
    // A signature chosen on the training patients, validated as if given, no calibration, no
    // robustness analysis.
    let signature = "load cohort n=80\nsegment\nextract\nlasso cv=5 seed=3\nm = fit rad\nvalidate m boot=20 seed=1";
    Run::script(&format!("{signature}\nreport a.html"))
        .in_dir(&folder)
        .succeeds()
        .stdout_has("│ Data-driven selection repeated inside validation ┆ to address")
        .stdout_has("run `validate MODEL pipeline=yes`")
        .stdout_has("│ Calibration assessed                             ┆ to address")
        .stdout_has("│ Feature robustness assessed                      ┆ to address")
        .stdout_has("│ External validation                              ┆ to address");
    let page = std::fs::read_to_string(folder.join("a.html")).unwrap();
    assert!(page.contains("<h2>Rigor check</h2>"));
    // The same session with the selection repeated, calibration and robustness: done, with the
    // statement that did it.
    Run::script(&format!(
        "{signature}\nvalidate m pipeline=yes boot=20 seed=1\ncalibrate m boot=20 seed=1\nrobustness n=3 seed=1\nreport b.html"
    ))
    .in_dir(&folder)
    .succeeds()
    .stdout_has("┆ done       ┆ `validate m pipeline=yes boot=20 seed=1` repeats the selection")
    .stdout_has("┆ done       ┆ `calibrate m boot=20 seed=1`")
    .stdout_has("┆ done       ┆ `robustness n=3 seed=1`");
    // Tabular data with no selection: the selection checks do not apply.
    let demo = root().join("examples/data/demo.csv");
    Run::script(&format!(
        "load table \"{}\" outcome=aln split=cohort\nm = fit grade+rad\nreport c.html",
        demo.display()
    ))
    .in_dir(&folder)
    .succeeds()
    .stdout_has("┆ not applicable ┆ no LASSO signature or forward selection ran");
}
