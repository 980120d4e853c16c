//! The `radnomo` binary end to end: scripts from -e, files and stdin; exit codes; errors with
//! carets; the JSON interface; golden renderings in tests/golden/.

use crate::support::{Run, assert_golden, read};
use radnomo::Session;
use radnomo::output::{Cell, Item};

const DESCRIBE: &str =
    "load table examples/data/demo.csv outcome=aln split=cohort; describe by=aln";

#[test]
fn piped_statements_print_table_one() {
    let run = Run::args(Vec::<&str>::new()).stdin(DESCRIBE).succeeds();
    run.stdout_has("Characteristics by `aln`")
        .stdout_has("Training (n=296)")
        .stdout_has("aln = 1 (n=106)")
        .stdout_has("13 (12.3%)");
    assert_golden("tests/golden/describe.txt", &run.stdout);
}

#[test]
fn json_gives_the_same_numbers_as_the_library() {
    let run = Run::args(["--format", "json", "-e", DESCRIBE]).succeeds();
    let documents = run.json_lines();
    assert_eq!(documents.len(), 2, "one document per statement");
    assert!(documents.iter().all(|d| d["ok"] == true));
    assert_eq!(documents[1]["statement"], "describe by=aln");
    let tests = documents[1]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "tests")
        .unwrap();
    let output = Session::new().execute(DESCRIBE).unwrap();
    let Some(Item::Table(table)) = output
        .items
        .iter()
        .find(|i| matches!(i, Item::Table(t) if t.name == "tests"))
    else {
        panic!("no tests table");
    };
    for (row, json_row) in table.rows.iter().zip(tests["rows"].as_array().unwrap()) {
        if let Cell::PValue { value, .. } = row[5] {
            assert_eq!(
                json_row[5]["value"].as_f64().unwrap(),
                value,
                "full precision in JSON"
            );
        }
    }
}

#[test]
fn a_bad_argument_value_fails_with_a_caret_under_it() {
    let run = Run::script("split train=lots").fails();
    assert_eq!(run.status, 1);
    assert_golden("tests/golden/error-bad-fraction.txt", &run.stderr);
    run.stderr_has("`train` expects a fraction between 0 and 1 (or a percentage), not `lots`");
}

#[test]
fn an_unknown_command_suggests_the_nearest() {
    let run = Run::script("descrbe").fails();
    run.stderr_has("unknown command `descrbe`; did you mean `describe`?");
    assert_golden("tests/golden/error-unknown-command.txt", &run.stderr);
}

#[test]
fn unknown_arguments_and_columns_suggest_the_nearest() {
    Run::script("describe bye=aln")
        .fails()
        .stderr_has("`describe` has no argument `bye`; did you mean `by`?");
    Run::script("load table examples/data/demo.csv outcome=anl")
        .fails()
        .stderr_has("no column `anl`; did you mean `aln`?");
    let run =
        Run::script("load table examples/data/demo.csv outcome=aln\ndescribe by=multifocl").fails();
    run.stderr_has("-e:2:13")
        .stderr_has("did you mean `multifocal`?");
}

#[test]
fn errors_in_json_are_documents_with_position() {
    let run = Run::args(["--format", "json", "-e", "help\nfrobnicate"]).fails();
    let documents = run.json_lines();
    let error = documents.last().unwrap();
    assert_eq!(error["ok"], false);
    assert_eq!(error["error"]["kind"], "unknown_command");
    assert_eq!(error["error"]["position"]["line"], 2);
    assert_eq!(error["error"]["position"]["column"], 1);
}

#[test]
fn a_data_error_names_the_file_and_line() {
    let folder = tempfile_folder("bad-csv");
    std::fs::write(folder.join("bad.csv"), "id,aln,cohort\nP1,1,train\nP2,0\n").unwrap();
    Run::script("load table bad.csv outcome=aln")
        .in_dir(&folder)
        .fails()
        .stderr_has("bad.csv, line 3: 2 fields, but the header has 3 columns");
    std::fs::write(
        folder.join("split.csv"),
        "id,aln,cohort\nP1,1,train\nP2,0,later\n",
    )
    .unwrap();
    Run::script("load table split.csv outcome=aln split=cohort")
        .in_dir(&folder)
        .fails()
        .stderr_has("split.csv, line 3, patient P2: `cohort` is `later`");
}

#[test]
fn check_validates_without_running() {
    let folder = tempfile_folder("check");
    std::fs::write(
        folder.join("ok.rad"),
        "load table missing.csv outcome=aln\ndescribe by=aln\n",
    )
    .unwrap();
    Run::args(["check", "ok.rad"])
        .in_dir(&folder)
        .succeeds()
        .stdout_has("2 statements, all well-formed");
    std::fs::write(
        folder.join("bad.rad"),
        "load table x.csv outcome=aln\nsplit train=2\n",
    )
    .unwrap();
    Run::args(["check", "bad.rad"])
        .in_dir(&folder)
        .fails()
        .stderr_has("bad.rad:2:13");
}

#[test]
fn save_writes_a_script_that_runs_again() {
    let folder = tempfile_folder("save");
    let data = crate::support::root().join("examples/data/demo.csv");
    let script = format!(
        "load table \"{}\" outcome=aln\nsplit train=0.7 seed=7\nhelp\ndescribe cohort=train columns=age\nsave again.rad",
        data.display()
    );
    let first = Run::script(&script).in_dir(&folder).succeeds();
    let saved = std::fs::read_to_string(folder.join("again.rad")).unwrap();
    assert!(
        !saved.contains("help") && saved.contains("split train=0.7 seed=7"),
        "{saved}"
    );
    let again = Run::args(["run", "again.rad"]).in_dir(&folder).succeeds();
    let table = |text: &str| text[text.find("Characteristics").unwrap()..].to_string();
    assert_eq!(
        table(&again.stdout),
        table(&first.stdout[..first.stdout.find("wrote").unwrap()])
    );
}

#[test]
fn plots_are_written_as_svg_and_png_with_their_paths_printed() {
    let folder = tempfile_folder("plots");
    let data = crate::support::root().join("examples/data/demo.csv");
    let run = Run::script(&format!(
        "set plots=figures; load table \"{}\" outcome=aln; plot age; plot grade",
        data.display()
    ))
    .in_dir(&folder)
    .succeeds();
    run.stdout_has("figures/plot-age-by-aln.svg")
        .stdout_has("figures/plot-grade-by-aln.png");
    let svg = std::fs::read_to_string(folder.join("figures/plot-grade-by-aln.svg")).unwrap();
    assert!(
        svg.contains(">grade<") || svg.contains("grade"),
        "axis label drawn"
    );
    let png = std::fs::read(folder.join("figures/plot-age-by-aln.png")).unwrap();
    assert_eq!(&png[..4], b"\x89PNG");
}

#[test]
fn the_readme_language_reference_matches_the_command_table() {
    let readme = read("README.md");
    for spec in radnomo::session::commands::COMMANDS {
        let usage = format!("`{}`", spec.usage());
        assert!(
            readme.contains(&usage),
            "README lacks the usage line {usage}"
        );
        assert!(
            readme.contains(spec.summary),
            "README lacks the summary of `{}`",
            spec.name
        );
    }
}

/// A fresh folder under the target directory for one test.
pub fn tempfile_folder(name: &str) -> std::path::PathBuf {
    let folder = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).unwrap();
    folder
}

#[test]
fn separation_is_named_and_firth_gives_finite_estimates() {
    let data = crate::support::root().join("tests/fixtures/models/separated.csv");
    let load = format!("load table \"{}\" outcome=y", data.display());
    Run::script(&format!("{load}\nfit x+noise"))
        .succeeds()
        .stdout_has("warning: complete separation of `y`: `x` (every patient with the event has a higher value than every patient without it), so maximum-likelihood estimates do not exist")
        .stdout_has("refit with `firth=yes`");
    let firth = Run::script(&format!("{load}\nfit x+noise firth=yes")).succeeds();
    firth.stdout_has("Firth's penalised logistic regression: y ~ x + noise");
    assert!(!firth.stdout.contains("separation"), "{}", firth.stdout);
}

#[test]
fn a_stored_model_is_shown_by_name_and_listed_by_vars() {
    let run = Run::script(
        "load table examples/data/demo.csv outcome=aln split=cohort\ncombined = fit grade+multifocal+lnmri+rad\ncombined\nvars",
    )
    .succeeds();
    assert_eq!(
        run.stdout
            .matches("Logistic regression: aln ~ grade + multifocal + lnmri + rad")
            .count(),
        2
    );
    run.stdout_has("│ combined ┆ model ┆ aln ~ grade + multifocal + lnmri + rad │");
}

#[test]
fn table_one_leaves_the_radiomics_features_out_unless_named() {
    let data = crate::support::root().join("tests/fixtures/models/paper.csv");
    let load = format!(
        "load table \"{}\" outcome=aln split=cohort features=f??",
        data.display()
    );
    let run = Run::script(&format!("{load}\ndescribe cohort=train")).succeeds();
    run.stdout_has("grade, n (%)");
    assert!(!run.stdout.contains("f01, mean"), "{}", run.stdout);
    Run::script(&format!("{load}\ndescribe cohort=train columns=f01"))
        .succeeds()
        .stdout_has("f01, mean ± sd");
}

#[test]
fn hosmer_and_dca_report_groups_and_ranges() {
    let run = Run::script(
        "load table examples/data/demo.csv outcome=aln split=cohort\nclinical = fit grade+multifocal+lnmri\nhosmer clinical\ndca clinical cohort=valid",
    )
    .succeeds();
    // The clinical model's tied risks collapse the deciles to 8 and 7 groups (as in R).
    run.stdout_has("│ training   ┆ 296 ┆             8 ┆ 6.694 ┆  8 ┆ 0.570 │")
        .stdout_has("validation: 7 groups formed")
        .stdout_has("│ clinical ┆ validation ┆ 0.13–0.75")
        .stdout_has("radnomo-out/dca-validation.svg");
}

#[test]
fn hosmer_takes_exactly_one_model() {
    Run::script("load table examples/data/demo.csv outcome=aln split=cohort\na = fit grade\nb = fit rad\nhosmer a b")
        .fails()
        .stderr_has("name one stored model, not 2");
}

#[test]
fn print_shows_its_text_is_saved_and_clear_leaves_files_and_pipes_alone() {
    let folder = tempfile_folder("print-and-clear");
    let saved = folder.join("steps.rad");
    let run = Run::script(&format!(
        "print \"Step 1: the data\"\nprint training cohort only\nclear\nsave \"{}\"",
        saved.display()
    ))
    .succeeds();
    run.stdout_has("Step 1: the data\n")
        .stdout_has("training cohort only\n");
    assert!(
        !run.stdout.contains('\x1b'),
        "no escape codes into a pipe: {:?}",
        run.stdout
    );
    let script = std::fs::read_to_string(&saved).unwrap();
    assert!(script.contains("print \"Step 1: the data\"\n"), "{script}");
    assert!(
        !script.lines().any(|line| line == "clear"),
        "clear changes nothing, so it is not saved: {script}"
    );
    Run::script("print").fails().stderr_has("text");
}

#[test]
fn extract_reports_the_grey_levels_and_names_regions_outside_16_to_128() {
    // The built-in cohort's first 20 true tumours on phase 2 with the default bin width 25.
    Run::script("load cohort n=20\nextract glcm mask=truth")
        .succeeds()
        .stdout_has("grey levels per region with bin width 25: median 20 (range 6–59); IBSI and PyRadiomics advise 16–128")
        .stdout_has("warning: 6 regions span fewer than 16 (P0009 6, P0011 7, P0005 10, P0018 10, P0010 13, P0020 14)")
        .stdout_has("`binwidth=15` gives the median region about 32 levels");
    // A fixed number of bins, or shape alone, has nothing to report.
    let fixed = Run::script("load cohort n=20\nextract glcm mask=truth bins=32").succeeds();
    assert!(
        !fixed.stdout.contains("grey levels per region"),
        "{}",
        fixed.stdout
    );
    let shape = Run::script("load cohort n=20\nextract shape2d mask=truth").succeeds();
    assert!(
        !shape.stdout.contains("grey levels per region"),
        "{}",
        shape.stdout
    );
}
