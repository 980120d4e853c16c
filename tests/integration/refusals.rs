//! What radnomo refuses, and how it says so: malformed image files (each made here, by the code
//! beside its test), settings that would exhaust memory, and files that are not radnomo's to
//! overwrite. Every refusal names the file and the field or value, and the session goes on.

use crate::cli::tempfile_folder;
use crate::support::Run;
use radnomo::imaging::io::read_image;
use radnomo::imaging::nifti;
use radnomo::imaging::samples::gzip;
use radnomo::imaging::volume::Geometry;
use std::path::Path;

fn small_nifti() -> Vec<u8> {
    let voxels =
        ndarray::Array4::from_shape_fn((1, 2, 3, 4), |(_, k, j, i)| (k * 12 + j * 4 + i) as f32);
    nifti::encode(
        voxels.view(),
        &Geometry::new([0.5, 0.5, 2.0], [0.0; 3]),
        false,
    )
}

fn refusal(path: &Path) -> String {
    match read_image(path) {
        Ok(_) => panic!("{} was read", path.display()),
        Err(error) => error.to_string(),
    }
}

#[test]
fn a_small_gzip_that_inflates_past_its_header_is_refused_without_inflating_it() {
    let folder = tempfile_folder("refusals-bomb");
    // A valid 2 × 3 × 4 header and its 48 bytes, then 256 MiB of zeros: 250 KiB gzipped.
    let mut bytes = small_nifti();
    bytes.resize(bytes.len() + (256 << 20), 0);
    let path = folder.join("bomb.nii.gz");
    std::fs::write(&path, gzip(&bytes)).unwrap();
    assert!(std::fs::metadata(&path).unwrap().len() < 2 << 20);
    let message = refusal(&path);
    assert!(
        message.contains("bomb.nii.gz: the file holds more than the 400 bytes its header promises"),
        "{message}"
    );
    // The same file without the zeros reads.
    std::fs::write(&path, gzip(&small_nifti())).unwrap();
    assert_eq!(read_image(&path).unwrap().voxels.len(), 24);
}

#[test]
fn sizes_that_overflow_or_pass_the_limit_are_refused_before_any_allocation() {
    let folder = tempfile_folder("refusals-sizes");
    let mut bytes = small_nifti();
    // dim = 4, 32767 × 32767 × 32767 × 32767: 1.2e18 voxels.
    bytes[40..42].copy_from_slice(&4i16.to_le_bytes());
    for d in 1..=4 {
        bytes[40 + 2 * d..42 + 2 * d].copy_from_slice(&32767i16.to_le_bytes());
    }
    let path = folder.join("huge.nii");
    std::fs::write(&path, &bytes).unwrap();
    let message = refusal(&path);
    assert!(
        message.contains("sizes 32767 × 32767 × 32767 × 32767 make more than 1073741824 voxels"),
        "{message}"
    );
}

#[test]
fn a_voxel_spacing_of_zero_negative_or_nan_is_refused_never_taken_as_one_mm() {
    let folder = tempfile_folder("refusals-spacing");
    for (value, shown) in [
        (0.0f32, "0"),
        (-1.5, "-1.5"),
        (f32::NAN, "NaN"),
        (f32::INFINITY, "inf"),
    ] {
        let mut bytes = small_nifti();
        // Neither sform nor qform: the voxel sizes alone give the grid.
        bytes[252..256].copy_from_slice(&[0; 4]);
        bytes[80..84].copy_from_slice(&value.to_le_bytes());
        let path = folder.join(format!("spacing-{shown}.nii"));
        std::fs::write(&path, &bytes).unwrap();
        let message = refusal(&path);
        assert!(
            message.contains(&format!(
                "pixdim[1] is {shown}: the voxel spacing is unknown"
            )),
            "{message}"
        );
    }
    // Through the sform: a zero column is refused, naming the sform.
    let mut bytes = small_nifti();
    for row in 0..3 {
        bytes[280 + 16 * row..284 + 16 * row].copy_from_slice(&0f32.to_le_bytes());
    }
    let path = folder.join("sform-zero.nii");
    std::fs::write(&path, &bytes).unwrap();
    let message = refusal(&path);
    assert!(
        message.contains("the voxel size along axis 1 from the sform"),
        "{message}"
    );
}

const NRRD_HEADER: &str =
    "NRRD0004\ntype: short\ndimension: 3\nsizes: 2 2 1\nencoding: raw\nendian: little\n";

fn short_bytes(values: &[i16]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

#[test]
fn a_detached_nrrd_header_reads_its_data_file_and_stays_in_its_folder() {
    let folder = tempfile_folder("refusals-nhdr");
    let data = short_bytes(&[1, 2, 3, 4]);
    std::fs::write(folder.join("image.raw"), &data).unwrap();
    let header = format!(
        "{NRRD_HEADER}space directions: (0.5,0,0) (0,0.5,0) (0,0,3)\ndata file: image.raw\n\n"
    );
    std::fs::write(folder.join("image.nhdr"), &header).unwrap();
    let attached = [
        format!("{NRRD_HEADER}space directions: (0.5,0,0) (0,0.5,0) (0,0,3)\n\n").into_bytes(),
        data.clone(),
    ]
    .concat();
    std::fs::write(folder.join("attached.nrrd"), attached).unwrap();
    let detached = read_image(&folder.join("image.nhdr")).unwrap();
    let same = read_image(&folder.join("attached.nrrd")).unwrap();
    assert_eq!(detached.voxels, same.voxels);
    assert_eq!(detached.geometry.spacing, [0.5, 0.5, 3.0]);
    for name in ["../image.raw", "/etc/passwd", "sub/../../x.raw"] {
        let header = format!("{NRRD_HEADER}spacings: 1 1 1\ndata file: {name}\n\n");
        std::fs::write(folder.join("escape.nhdr"), header).unwrap();
        let message = refusal(&folder.join("escape.nhdr"));
        assert!(
            message.contains("points outside the header's folder"),
            "{name}: {message}"
        );
    }
    // Nor through a link that sits in the folder.
    let outside = tempfile_folder("refusals-nhdr-outside");
    std::fs::write(outside.join("secret.raw"), &data).unwrap();
    std::os::unix::fs::symlink(outside.join("secret.raw"), folder.join("link.raw")).unwrap();
    let header = format!("{NRRD_HEADER}spacings: 1 1 1\ndata file: link.raw\n\n");
    std::fs::write(folder.join("link.nhdr"), header).unwrap();
    let message = refusal(&folder.join("link.nhdr"));
    assert!(
        message.contains("is a link to") && message.contains("outside the header's folder"),
        "{message}"
    );
}

#[test]
fn an_nrrd_without_a_spacing_or_with_a_bad_one_is_refused() {
    let folder = tempfile_folder("refusals-nrrd-spacing");
    let data = short_bytes(&[1, 2, 3, 4]);
    for (field, expected) in [
        ("", "the header gives no voxel spacing"),
        (
            "spacings: 1 -1 1\n",
            "`spacings` value `-1` is not a voxel size",
        ),
        (
            "spacings: 1 0 1\n",
            "`spacings` value `0` is not a voxel size",
        ),
        (
            "space directions: (0,0,0) (0,1,0) (0,0,1)\n",
            "the space direction of axis 1 has length 0",
        ),
    ] {
        let path = folder.join("bad.nrrd");
        std::fs::write(
            &path,
            [format!("{NRRD_HEADER}{field}\n").into_bytes(), data.clone()].concat(),
        )
        .unwrap();
        let message = refusal(&path);
        assert!(message.contains(expected), "{field}: {message}");
    }
    // More data than `sizes` promise: the sizes are wrong, not the reader's to guess.
    let path = folder.join("long.nrrd");
    std::fs::write(
        &path,
        [
            format!("{NRRD_HEADER}spacings: 1 1 1\n\n").into_bytes(),
            short_bytes(&[1; 8]),
        ]
        .concat(),
    )
    .unwrap();
    assert!(refusal(&path).contains("holds 16 bytes, more than the 8 its header promises"));
}

#[test]
fn a_bin_width_that_would_exhaust_memory_is_refused_with_the_numbers() {
    let failed = Run::script("load cohort n=6; extract mask=truth binwidth=0.000000001").fails();
    failed.stderr_has("P0001: bin width 0.000000001 gives ");
    failed.stderr_has("grey levels for the intensity range");
    failed.stderr_has("at most 100000 are allowed");
    Run::script("load cohort n=6; extract glcm mask=truth dim=3d binwidth=0.2")
        .fails()
        .stderr_has("distinct grey levels in the region")
        .stderr_has("texture features take at most 512");
    // The session survives the refusal (first-order features need no matrix).
    Run::script("load cohort n=6; extract firstorder mask=truth binwidth=0.2\nshow features")
        .succeeds()
        .stdout_has("firstorder_Entropy");
}

#[test]
fn files_radnomo_did_not_write_are_never_overwritten() {
    let folder = tempfile_folder("refusals-overwrite");
    let script = folder.join("analysis.rad");
    std::fs::write(&script, "# my own analysis\n").unwrap();
    let path = script.display().to_string();
    Run::script(&format!("load cohort n=6; save \"{path}\""))
        .fails()
        .stderr_has("exists and radnomo did not write it");
    assert_eq!(
        std::fs::read_to_string(&script).unwrap(),
        "# my own analysis\n"
    );
    Run::script(&format!(
        "load cohort n=6; save \"{path}\" overwrite=yes; save \"{path}\""
    ))
    .succeeds()
    .stdout_has("(overwriting the file that was there, as asked)")
    .stdout_has("(replacing radnomo's earlier file)");
    // A report into a folder that does not exist yet: the folder is made.
    let report = folder.join("new/deeper/report.html");
    Run::script(&format!("load cohort n=6; report \"{}\"", report.display())).succeeds();
    assert!(std::fs::read_to_string(&report).unwrap().contains("<html"));
    // A cohort export into a folder holding someone's files is refused; into its own, replaced.
    let cohort = folder.join("cohort");
    std::fs::create_dir_all(&cohort).unwrap();
    std::fs::write(cohort.join("notes.txt"), "mine").unwrap();
    Run::script(&format!(
        "load cohort n=3; export cohort \"{}\"",
        cohort.display()
    ))
    .fails()
    .stderr_has("holds files radnomo did not write (notes.txt)");
    std::fs::remove_file(cohort.join("notes.txt")).unwrap();
    let export = format!("load cohort n=3; export cohort \"{}\"", cohort.display());
    Run::script(&export).succeeds();
    Run::script(&format!("{export} layout=4d"))
        .succeeds()
        .stdout_has("replacing radnomo's earlier export (");
    assert!(!cohort.join("images/P0001/phase_1.nii.gz").exists());
    Run::script(&format!("load cohort \"{}\"", cohort.display()))
        .succeeds()
        .stdout_has("loaded 3 of 3 patients");
}

#[test]
fn damaged_clinical_cells_name_their_place_and_leave_only_their_patient_out() {
    let folder = tempfile_folder("refusals-clinical");
    let cohort = folder.join("cohort");
    Run::script(&format!(
        "load cohort n=8; export cohort \"{}\"",
        cohort.display()
    ))
    .succeeds();
    let clinical = cohort.join("clinical.csv");
    let text = std::fs::read_to_string(&clinical).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let age = lines[0].split(',').position(|c| c == "age").unwrap();
    let mut cells: Vec<String> = lines[4].split(',').map(String::from).collect();
    cells[age] = "n.d.".into();
    lines[4] = cells.join(",");
    std::fs::write(&clinical, lines.join("\n") + "\n").unwrap();
    let run = Run::script(&format!("load cohort \"{}\"", cohort.display())).succeeds();
    run.stdout_has("loaded 7 of 8 patients")
        .stdout_has("P0004")
        .stdout_has("clinical.csv, line 5, column `age`: `n.d.` is not a number");
    // In a table of its own, the same cell is an error naming line, column and value.
    Run::script(&format!(
        "load table \"{}\" outcome=aln",
        clinical.display()
    ))
    .fails()
    .stderr_has("line 5, column `age`: `n.d.` is not a number")
    .stderr_has("give `na=n.d.`");
    Run::script(&format!(
        "load table \"{}\" outcome=aln na=\"n.d.\"",
        clinical.display()
    ))
    .succeeds();
}

/// `examples/data/demo.csv` with its 0/1 outcome `aln` written with other codes.
fn recoded_demo(folder: &Path, name: &str, codes: [&str; 2]) -> String {
    let demo =
        std::fs::read_to_string(crate::support::root().join("examples/data/demo.csv")).unwrap();
    let mut lines = demo.lines();
    let header = lines.next().unwrap();
    let column = header.split(',').position(|c| c == "aln").unwrap();
    let mut text = format!("{header}\n");
    for line in lines {
        let mut cells: Vec<&str> = line.split(',').collect();
        cells[column] = match cells[column] {
            "0" => codes[0],
            "1" => codes[1],
            other => panic!("aln {other}"),
        };
        text += &(cells.join(",") + "\n");
    }
    let path = folder.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn an_outcome_not_coded_0_1_needs_its_event_named_and_every_model_says_it() {
    let folder = tempfile_folder("refusals-event");
    let words = recoded_demo(&folder, "words.csv", ["no", "yes"]);
    let spss = recoded_demo(&folder, "spss.csv", ["1", "2"]);
    Run::script(&format!("load table \"{words}\" outcome=aln"))
        .fails()
        .stderr_has("the outcome `aln` in")
        .stderr_has("has the values `no` and `yes`, coded neither 0/1 nor TRUE/FALSE")
        .stderr_has("`event=yes` or `event=no`");
    Run::script(&format!("load table \"{spss}\" outcome=aln"))
        .fails()
        .stderr_has("`event=2` or `event=1`");
    Run::script(&format!("load table \"{spss}\" outcome=aln event=3"))
        .fails()
        .stderr_has("`3` is not a value of the outcome `aln`; it has `1` and `2`");
    // The event decides the sign: lnmri's log-odds ratio is 1.164 for aln = 1 in the 0/1 table
    // (R's glm on examples/data/demo.csv), and -1.164 when the event is the other group.
    let fit = "split=cohort\nm = fit age + grade + lnmri\nunivariate lnmri\ndca m";
    let estimate = |stdout: &str| {
        let row = stdout
            .lines()
            .find(|l| l.contains("lnmri: yes vs no"))
            .unwrap();
        row.split('┆').nth(1).unwrap().trim().to_string()
    };
    let plain = Run::script(&format!(
        "load table examples/data/demo.csv outcome=aln {fit}"
    ))
    .succeeds();
    plain.stdout_has("event: aln = 1;");
    assert_eq!(estimate(&plain.stdout), "1.164");
    let named = Run::script(&format!(
        "load table \"{words}\" outcome=aln event=yes {fit}"
    ))
    .succeeds();
    named.stdout_has("event: aln = yes;");
    assert_eq!(estimate(&named.stdout), "1.164");
    let other = Run::script(&format!("load table \"{spss}\" outcome=aln event=1 {fit}")).succeeds();
    other.stdout_has("event: aln = 1; deviance");
    assert_eq!(estimate(&other.stdout), "-1.164");
    assert_eq!(
        other.stdout.matches("event: aln = 1").count(),
        3,
        "{}",
        other.stdout
    );
}

#[test]
fn separation_is_named_by_univariate_select_forward_and_the_bootstrap() {
    // demo.csv with `marker` = pos for the first 12 patients with aln = 1 (10 of them in the
    // training cohort) and neg for everyone else: quasi-complete separation.
    let folder = tempfile_folder("refusals-separation");
    let demo =
        std::fs::read_to_string(crate::support::root().join("examples/data/demo.csv")).unwrap();
    let mut lines = demo.lines();
    let header = lines.next().unwrap();
    let aln = header.split(',').position(|c| c == "aln").unwrap();
    let mut text = format!("{header},marker\n");
    let mut marked = 0;
    for line in lines {
        let event = line.split(',').nth(aln) == Some("1");
        let marker = if event && marked < 12 {
            marked += 1;
            "pos"
        } else {
            "neg"
        };
        text += &format!("{line},{marker}\n");
    }
    let path = folder.join("marker.csv");
    std::fs::write(&path, text).unwrap();
    let run = Run::script(&format!(
        "load table \"{}\" outcome=aln split=cohort\nunivariate age + marker\ns = select forward age + grade + marker\nvalidate s boot=40\nm = fit grade + age\nvalidate m boot=40",
        path.display()
    ))
    .succeeds();
    let separated = "quasi-complete separation of `aln`: all 10 patients with marker = pos have aln = 1, so maximum-likelihood estimates do not exist";
    run.stdout_has(&format!("warning: marker alone: {separated}; its OR, interval and p are where the iterations stopped"))
        .stdout_has("`fit marker firth=yes` gives finite ones")
        .stdout_has(&format!("warning: the selected model: {separated}; separated models win AIC"))
        .stdout_has("warning: 40 of 40 bootstrap refits were separated");
    // age alone, and the model without the marker, are not separated.
    assert!(!run.stdout.contains("age alone"), "{}", run.stdout);
    assert_eq!(
        run.stdout
            .matches("bootstrap refits were separated")
            .count(),
        1
    );
}

#[test]
fn a_split_or_a_segmentation_that_leaves_nothing_to_analyse_is_refused() {
    // 0.0001 of 160 events rounds to none in training; 0.9999 of 272 non-events to none in
    // validation.
    Run::script("load table examples/data/demo.csv outcome=aln\nsplit train=0.0001")
        .fails()
        .stderr_has(
            "train=0.0001 puts no patient with aln = 1 in the training cohort (0 patients there)",
        );
    Run::script("load table examples/data/demo.csv outcome=aln\nsplit train=0.9999")
        .fails()
        .stderr_has("puts no patient with aln = 1 in the validation cohort");
    // A threshold above every ROI's brightest pixel: refused, and the earlier result kept.
    let mut session = radnomo::Session::new();
    session.execute("load cohort n=6\nsegment").unwrap();
    let before = session.state().segmentation.clone().unwrap();
    let error = session
        .execute("segment threshold=99999")
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("these settings leave every patient's tumour mask empty, so nothing was changed (the earlier segmentation stays) — first: P0001: no pixel of the ROI reaches the threshold 99999 (its brightest is "),
        "{error}"
    );
    let after = session.state().segmentation.clone().unwrap();
    assert!(std::sync::Arc::ptr_eq(&before, &after));
    assert_eq!(after.slices.len(), 6);
}

#[test]
fn keep_going_runs_every_line_and_a_file_error_points_at_its_path() {
    let script = "print \"one\"\nsplit train=lots\nload case missing.nii b.nii\nprint \"two\"; print \"three\"\nload table examples/data/demo.csv \\\n  outcome=aln\ndescribe age by=nosuch\nvars\n";
    // A script stops at its first error.
    let stopped = Run::args(Vec::<&str>::new()).stdin(script).fails();
    assert!(stopped.stdout.contains("one") && !stopped.stdout.contains("two"));
    // With --keep-going every line runs, errors keep the input's line numbers, the exit is 1.
    let went_on = Run::args(["--keep-going"]).stdin(script).fails();
    for shown in [
        "one",
        "two",
        "three",
        "loaded 432 rows",
        "Columns of examples/data/demo.csv",
    ] {
        assert!(
            went_on.stdout.contains(shown),
            "{shown}: {}",
            went_on.stdout
        );
    }
    went_on
        .stderr_has(" --> <stdin>:2:13")
        .stderr_has("error: missing.nii: no such file\n --> <stdin>:3:11\n  |\n3 | load case missing.nii b.nii\n  |           ^^^^^^^^^^^")
        .stderr_has(" --> <stdin>:7:");
    assert_eq!(
        went_on.stderr.matches("error:").count(),
        3,
        "{}",
        went_on.stderr
    );
    // Every line good: exit 0.
    Run::args(["--keep-going"])
        .stdin("print \"a\"\nprint \"b\"\n")
        .succeeds()
        .stdout_has("b");
}
