//! Figures as journals want them: the rad-score's box plots equal ggplot2's statistics (R's
//! `quantile(type = 7)`, Tukey's 1.5 IQR whiskers; script and fixture in `tests/fixtures/plots/`,
//! compared to 1e-12: the same arithmetic on the CSV's decimal values), the waterfall holds every
//! patient in order, decision curves take dcurves's y-range, and a category is refused.

use crate::support::{Run, root};

fn plots(script: &str) -> Vec<serde_json::Value> {
    let run = Run::args(["--format", "json", "-e", script]).succeeds();
    run.json_lines()
        .into_iter()
        .flat_map(|line| line["results"].as_array().cloned().unwrap_or_default())
        .filter(|r| r["kind"] == "plot")
        .collect()
}

fn demo() -> String {
    root().join("examples/data/demo.csv").display().to_string()
}

#[test]
fn box_plots_equal_ggplot2s_statistics() {
    let folder = crate::cli::tempfile_folder("figures-box");
    let script = format!(
        "load table \"{}\" outcome=aln split=cohort\nset plots=\"{}\"\nplot rad kind=box",
        demo(),
        folder.display()
    );
    let plot = plots(&script).remove(0);
    let reference: serde_json::Value = serde_json::from_str(&crate::support::read(
        root().join("tests/fixtures/plots/box_reference.json"),
    ))
    .unwrap();
    let boxes: Vec<&serde_json::Value> = plot["layers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["layer"] == "segments")
        .collect();
    assert_eq!(boxes.len(), 4);
    let categories = plot["x"]["categories"].as_array().unwrap();
    for (place, (layer, expected)) in boxes.iter().zip(reference.as_array().unwrap()).enumerate() {
        let cohort = if expected["cohort"] == "train" {
            "training"
        } else {
            "validation"
        };
        assert_eq!(
            categories[place],
            format!("{cohort}: aln = {}", expected["aln"]),
            "boxes in the fixture's order"
        );
        let segment =
            |k: usize, end: usize, axis: usize| layer["segments"][k][end][axis].as_f64().unwrap();
        let close =
            |ours: f64, theirs: &serde_json::Value| (ours - theirs.as_f64().unwrap()).abs() < 1e-12;
        assert!(close(segment(0, 0, 1), &expected["q1"]), "{cohort} q1");
        assert!(close(segment(1, 0, 1), &expected["q3"]), "{cohort} q3");
        assert!(
            close(segment(4, 0, 1), &expected["median"]),
            "{cohort} median"
        );
        assert!(
            close(segment(5, 1, 1), &expected["whisker_high"]),
            "{cohort} upper whisker"
        );
        assert!(
            close(segment(6, 1, 1), &expected["whisker_low"]),
            "{cohort} lower whisker"
        );
    }
    // The one outlier R finds (training, aln = 1) is the one point drawn.
    let points: Vec<&serde_json::Value> = plot["layers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["layer"] == "points")
        .collect();
    let outliers: Vec<f64> = reference
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| match &g["outliers"] {
            serde_json::Value::Array(values) => values.iter().filter_map(|v| v.as_f64()).collect(),
            value => value.as_f64().into_iter().collect::<Vec<_>>(),
        })
        .collect();
    let drawn: Vec<f64> = points
        .iter()
        .flat_map(|l| {
            l["points"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p[1].as_f64().unwrap())
        })
        .collect();
    assert_eq!(drawn, outliers);
}

#[test]
fn the_waterfall_draws_every_patient_of_each_cohort_tallest_first() {
    let folder = crate::cli::tempfile_folder("figures-waterfall");
    let script = format!(
        "load table \"{}\" outcome=aln split=cohort\nset plots=\"{}\"\nplot rad kind=waterfall",
        demo(),
        folder.display()
    );
    let plots = plots(&script);
    assert_eq!(plots.len(), 2, "one per cohort");
    for (plot, patients) in plots.iter().zip([296, 136]) {
        let mut bars: Vec<(f64, f64)> = plot["layers"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|l| l["bars"].as_array().unwrap().clone())
            .map(|b| (b[0].as_f64().unwrap(), b[2].as_f64().unwrap()))
            .collect();
        assert_eq!(bars.len(), patients);
        bars.sort_by(|a, b| a.0.total_cmp(&b.0));
        assert!(bars.windows(2).all(|w| w[0].1 >= w[1].1), "tallest first");
    }
    assert!(folder.join("waterfall-rad-validation.svg").exists());
}

#[test]
fn decision_curves_take_dcurvess_range_and_a_category_is_not_a_score() {
    let folder = crate::cli::tempfile_folder("figures-dca");
    let script = format!(
        "load table \"{}\" outcome=aln split=cohort\nset plots=\"{}\"\nm = fit grade+rad\ndca m boot=0",
        demo(),
        folder.display()
    );
    let plots = plots(&script);
    // dcurves: y from −10% of the prevalence to the prevalence (106/296 and 54/136 events).
    for (plot, prevalence) in plots.iter().zip([106.0 / 296.0, 54.0 / 136.0]) {
        let range = &plot["y"]["range"];
        assert!((range[0].as_f64().unwrap() + 0.1 * prevalence).abs() < 1e-12);
        assert!((range[1].as_f64().unwrap() - prevalence).abs() < 1e-12);
    }
    Run::script(&format!(
        "load table \"{}\" outcome=aln\nplot grade kind=box",
        demo()
    ))
    .fails()
    .stderr_has("`kind=box` draws a numeric score such as the rad-score; `grade` holds categories")
    .stderr_has("-e:2:17");
}

#[test]
fn the_interactive_nomogram_is_one_page_and_refuses_what_it_cannot_do() {
    let folder = crate::cli::tempfile_folder("figures-interactive");
    let session = |last: &str| {
        format!(
            "load table \"{}\" outcome=aln split=cohort\nset plots=\"{}\"\nm = fit grade+lnmri+rad\n{last}",
            demo(),
            folder.display()
        )
    };
    Run::script(&session("nomogram m html=n.html patient=P0007"))
        .in_dir(&folder)
        .succeeds()
        .stdout_has("wrote the interactive nomogram to n.html");
    let page = std::fs::read_to_string(folder.join("n.html")).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(
        !page.contains("src=") && !page.contains("href="),
        "nothing fetched"
    );
    assert!(
        page.contains("\"patient\":[\"P0007\",[\"3\",\"no\",\"-0.721\"]]"),
        "P0007's values"
    );
    // Intercept, grade, lnmri: yes, rad — four estimable coefficients, a 4 × 4 covariance.
    let data = page
        .split("id=\"nomogram-data\">")
        .nth(1)
        .and_then(|rest| rest.split("</script>").next())
        .unwrap();
    let json: serde_json::Value = serde_json::from_str(data).unwrap();
    assert_eq!(json["coefficients"].as_array().unwrap().len(), 4);
    let covariance = json["covariance"].as_array().unwrap();
    assert_eq!(covariance.len(), 4);
    for (i, row) in covariance.iter().enumerate() {
        assert!(row[i].as_f64().unwrap() > 0.0);
        for (j, value) in row.as_array().unwrap().iter().enumerate() {
            assert_eq!(*value, covariance[j][i], "symmetric");
        }
    }
    // A file that is there is not replaced; a patient needs the page; the page is HTML.
    std::fs::write(folder.join("mine.html"), "mine").unwrap();
    Run::script(&session("nomogram m html=mine.html"))
        .in_dir(&folder)
        .fails()
        .stderr_has("mine.html");
    assert_eq!(
        std::fs::read_to_string(folder.join("mine.html")).unwrap(),
        "mine"
    );
    Run::script(&session("nomogram m patient=P0007"))
        .in_dir(&folder)
        .fails()
        .stderr_has("`patient=` draws a patient on the interactive nomogram; give `html=FILE` too");
    Run::script(&session("nomogram m html=n.txt"))
        .in_dir(&folder)
        .fails()
        .stderr_has("the interactive nomogram is an HTML page");
    Run::script(&session("nomogram m html=n2.html patient=P9999"))
        .in_dir(&folder)
        .fails()
        .stderr_has("P9999");
}

#[test]
fn figures_are_written_in_the_formats_resolution_and_width_set() {
    let folder = crate::cli::tempfile_folder("figures-formats");
    Run::script(&format!(
        "load table \"{}\" outcome=aln split=cohort\nset plots=\"{}\" figures=pdf,tiff dpi=300 width=85\nm = fit grade+rad\nroc m boot=0 cohort=valid",
        demo(),
        folder.display()
    ))
    .succeeds()
    .stdout_has("│ figures ┆ pdf,tiff")
    .stdout_has("│ width   ┆ 85 mm");
    assert!(
        !folder.join("roc-validation.svg").exists(),
        "only the formats asked"
    );
    let pdf = std::fs::read(folder.join("roc-validation.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-1.7"));
    // 85 mm = 240.94 pt wide.
    assert!(String::from_utf8_lossy(&pdf).contains("/MediaBox [0 0 240.9449 "));
    let tiff = std::fs::read(folder.join("roc-validation.tiff")).unwrap();
    // Little-endian TIFF; 85 mm at 300 dpi is 1004 pixels wide (read from the ImageWidth tag by
    // an independent look at the first directory).
    assert_eq!(&tiff[..4], b"II*\0");
    let directory = u32::from_le_bytes(tiff[4..8].try_into().unwrap()) as usize;
    let entries = u16::from_le_bytes(tiff[directory..directory + 2].try_into().unwrap()) as usize;
    let tag = |wanted: u16| {
        (0..entries).find_map(|k| {
            let at = directory + 2 + 12 * k;
            let id = u16::from_le_bytes(tiff[at..at + 2].try_into().unwrap());
            (id == wanted).then(|| u32::from_le_bytes(tiff[at + 8..at + 12].try_into().unwrap()))
        })
    };
    assert_eq!(tag(256), Some(1004), "ImageWidth");
    assert_eq!(tag(259), Some(5), "Compression: LZW");
    for bad in ["set figures=jpeg", "set dpi=50", "set width=5"] {
        Run::script(bad).fails();
    }
}
