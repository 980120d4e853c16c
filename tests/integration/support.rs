//! A small builder for running the `radnomo` binary and checking what it printed:
//! `Run::args(["-e", "help"]).succeeds().stdout_has("describe")`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The repository root (tests run with it as the working directory).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The working folder of every run of the binary: a scratch folder under the target's temporary
/// folder that sees the repository's `examples`, `tests` and `notebooks` through links, so the
/// relative paths tests use resolve, while whatever a run writes (plots in `radnomo-out/`, reports,
/// saved scripts) stays out of the repository and out of a user's `radnomo-out/`.
pub fn workdir() -> PathBuf {
    static WORKDIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    WORKDIR
        .get_or_init(|| {
            let folder = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("workdir");
            std::fs::create_dir_all(&folder).unwrap();
            for name in ["examples", "tests", "notebooks"] {
                let link = folder.join(name);
                if std::fs::symlink_metadata(&link).is_err() {
                    std::os::unix::fs::symlink(root().join(name), &link).unwrap();
                }
            }
            folder
        })
        .clone()
}

pub fn read(path: impl AsRef<Path>) -> String {
    let path = root().join(path);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A number as the R reference scripts write it: a string from `sprintf("%.17g")` (`Inf` and
/// `-Inf` included) or a JSON number.
pub fn r_number(value: &serde_json::Value) -> f64 {
    match value.as_str() {
        Some("Inf") => f64::INFINITY,
        Some("-Inf") => f64::NEG_INFINITY,
        Some(text) => text
            .parse()
            .unwrap_or_else(|_| panic!("`{text}` is not a number")),
        None => value.as_f64().expect("a number"),
    }
}

/// An array of [`r_number`]s.
pub fn r_numbers(value: &serde_json::Value) -> Vec<f64> {
    value
        .as_array()
        .expect("an array")
        .iter()
        .map(r_number)
        .collect()
}

/// Whether two sets of bootstrap estimates (one per seed, from different random generators) agree
/// in distribution: their means within four standard errors of the difference, plus 1e-4 for
/// values that hardly vary between seeds.
pub fn agree_in_distribution(ours: &[f64], theirs: &[f64]) -> bool {
    use radnomo::stats::summary::{mean, variance};
    let se = (variance(ours) / ours.len() as f64 + variance(theirs) / theirs.len() as f64).sqrt();
    (mean(ours) - mean(theirs)).abs() <= 4.0 * se + 1e-4
}

/// Whether two shares counted by different random generators (`k1` of `n1` and `k2` of `n2`:
/// how often a feature or term was selected) agree: within 4.5 standard errors of the difference
/// of two binomial proportions, pooled (compared for tens of features: about a 1-in-10⁴ chance
/// of a false alarm).
pub fn proportions_agree((k1, n1): (f64, f64), (k2, n2): (f64, f64)) -> bool {
    let pooled = (k1 + k2) / (n1 + n2);
    let se = (pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)).sqrt();
    (k1 / n1 - k2 / n2).abs() <= 4.5 * se + 1e-9
}

/// Compares `actual` with the file at `path`; with `BLESS=1` in the environment, writes it instead.
pub fn assert_golden(path: impl AsRef<Path>, actual: &str) {
    let path = root().join(path);
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with BLESS=1 to create it)", path.display()));
    if expected != actual {
        panic!(
            "{} differs (BLESS=1 rewrites it)\n--- expected\n{expected}\n--- actual\n{actual}",
            path.display()
        );
    }
}

pub struct Run {
    command: Command,
    stdin: Option<String>,
}

pub struct Finished {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn args<I, S>(args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut command = Command::new(env!("CARGO_BIN_EXE_radnomo"));
        command
            .args(args)
            .current_dir(workdir())
            .env("NO_COLOR", "1");
        Run {
            command,
            stdin: None,
        }
    }

    /// `radnomo -e SCRIPT`
    pub fn script(script: &str) -> Run {
        Run::args(["-e", script])
    }

    pub fn stdin(mut self, text: &str) -> Run {
        self.stdin = Some(text.to_string());
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Run {
        self.command.env(key, value);
        self
    }

    pub fn in_dir(mut self, dir: &Path) -> Run {
        self.command.current_dir(dir);
        self
    }

    pub fn finish(mut self) -> Finished {
        self.command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = self.command.spawn().expect("radnomo runs");
        let input = self.stdin.take().unwrap_or_default();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        let output = child.wait_with_output().unwrap();
        Finished {
            status: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).to_string(),
            stderr: String::from_utf8_lossy(&output.stderr).to_string(),
        }
    }

    pub fn succeeds(self) -> Finished {
        let finished = self.finish();
        assert_eq!(
            finished.status, 0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            finished.stdout, finished.stderr
        );
        finished
    }

    pub fn fails(self) -> Finished {
        let finished = self.finish();
        assert_ne!(
            finished.status, 0,
            "expected failure\nstdout:\n{}",
            finished.stdout
        );
        finished
    }
}

impl Finished {
    pub fn stdout_has(&self, text: &str) -> &Finished {
        assert!(
            self.stdout.contains(text),
            "stdout lacks {text:?}:\n{}",
            self.stdout
        );
        self
    }

    pub fn stdout_lacks(&self, text: &str) -> &Finished {
        assert!(
            !self.stdout.contains(text),
            "stdout has {text:?}:\n{}",
            self.stdout
        );
        self
    }

    pub fn stderr_has(&self, text: &str) -> &Finished {
        assert!(
            self.stderr.contains(text),
            "stderr lacks {text:?}:\n{}",
            self.stderr
        );
        self
    }

    /// Every line of standard output parsed as one JSON document.
    pub fn json_lines(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .map(|line| {
                serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"))
            })
            .collect()
    }
}

/// Runs `script` on one thread and on two (`RAYON_NUM_THREADS`), asserts that their standard
/// output is the same from the first line holding `from` on (lines before it may give times),
/// and gives the two-thread run.
pub fn same_on_one_and_two_threads(script: &str, from: &str) -> Finished {
    let run = |threads: &str| {
        Run::script(script)
            .env("RAYON_NUM_THREADS", threads)
            .succeeds()
    };
    let (one, two) = (run("1"), run("2"));
    let tail = |stdout: &str| {
        let at = stdout
            .find(from)
            .unwrap_or_else(|| panic!("no {from:?} in\n{stdout}"));
        stdout[at..].to_string()
    };
    assert_eq!(
        tail(&one.stdout),
        tail(&two.stdout),
        "one thread and two differ"
    );
    two
}

/// Runs `steps` then `export features` on one thread and on two (`RAYON_NUM_THREADS`), asserts
/// the two feature tables are the same text, and gives that text and the two-thread run's
/// standard output.
pub fn features_on_one_and_two_threads(name: &str, steps: &str) -> (String, String) {
    let dir = crate::cli::tempfile_folder(name);
    let mut tables = Vec::new();
    let mut stdout = String::new();
    for threads in ["1", "2"] {
        let csv = dir.join(format!("features-{threads}.csv"));
        let finished = Run::script(&format!("{steps}; export features \"{}\"", csv.display()))
            .env("RAYON_NUM_THREADS", threads)
            .succeeds();
        stdout = finished.stdout;
        tables.push(std::fs::read_to_string(&csv).unwrap());
    }
    assert_eq!(tables[0], tables[1], "{steps}: one thread and two differ");
    (tables.swap_remove(0), stdout)
}
