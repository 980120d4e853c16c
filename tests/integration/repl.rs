//! The REPL in a real terminal: tmux runs `radnomo`, `send-keys` types and `capture-pane` reads
//! the screen. Shows completion, Shift-Tab help, highlighting, a parse error with its caret, multi-line input,
//! history hints, and that Ctrl-C — at the prompt or during a long command — leaves the session
//! alive with its data.

use std::process::Command;
use std::time::{Duration, Instant};

struct Terminal {
    name: String,
}

impl Terminal {
    fn start(name: &str, history: &std::path::Path) -> Terminal {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", name])
            .output();
        let binary = env!("CARGO_BIN_EXE_radnomo");
        let status = Command::new("tmux")
            .args(["new-session", "-d", "-s", name, "-x", "150", "-y", "50"])
            .arg(format!("RADNOMO_HISTORY={} {binary}", history.display()))
            .current_dir(crate::support::workdir())
            .status()
            .expect("tmux is installed (scripts/test.sh installs it)");
        assert!(status.success());
        let terminal = Terminal {
            name: name.to_string(),
        };
        terminal.wait_for("Ctrl-D leaves");
        terminal
    }

    fn keys(&self, keys: &[&str]) {
        let status = Command::new("tmux")
            .args(["send-keys", "-t", &self.name])
            .args(keys)
            .status()
            .unwrap();
        assert!(status.success());
    }

    fn type_text(&self, text: &str) {
        let status = Command::new("tmux")
            .args(["send-keys", "-t", &self.name, "-l", text])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// The screen, with colours as escape sequences when `colours`.
    fn screen(&self, colours: bool) -> String {
        let mut command = Command::new("tmux");
        command.args(["capture-pane", "-p", "-t", &self.name, "-S", "-"]);
        if colours {
            command.arg("-e");
        }
        String::from_utf8_lossy(&command.output().unwrap().stdout).to_string()
    }

    fn wait_for(&self, text: &str) -> String {
        self.wait_until(|screen| screen.contains(text), text)
    }

    fn wait_until(&self, ready: impl Fn(&str) -> bool, what: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen(false);
            if ready(&screen) {
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "timed out waiting for {what:?}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn clear_line(&self) {
        self.keys(&["C-a", "C-k"]);
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.name])
            .output();
    }
}

#[test]
fn the_repl_completes_highlights_continues_and_survives_ctrl_c() {
    let history = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("repl-history");
    let _ = std::fs::remove_file(&history);
    let terminal = Terminal::start("radnomo-repl-test", &history);

    // Tab completes a command word.
    terminal.type_text("desc");
    terminal.keys(&["Tab"]);
    terminal.wait_for("radnomo> describe");
    terminal.clear_line();

    // Shift-Tab explains the word under the cursor and leaves the line as typed.
    terminal.type_text("extract glcm_Contrast");
    terminal.keys(&["BTab"]);
    terminal.wait_for("glcm_Contrast — a feature of the glcm family");
    terminal.wait_for("radnomo> extract glcm_Contrast");
    terminal.clear_line();

    // A parse error shows the line, a caret and what was expected; the REPL goes on.
    terminal.type_text("split train=lots");
    terminal.keys(&["Enter"]);
    let screen = terminal.wait_for("expected a fraction");
    assert!(
        screen.contains("1 | split train=lots\n  |             ^^^^"),
        "{screen}"
    );

    // Load data; then a line ending in `\` asks for more and runs when complete.
    terminal.type_text("load table examples/data/demo.csv outcome=aln split=cohort");
    terminal.keys(&["Enter"]);
    terminal.wait_for("Columns of examples/data/demo.csv");
    terminal.type_text("describe columns=age \\");
    terminal.keys(&["Enter"]);
    terminal.wait_for("    ...>");
    terminal.type_text("cohort=train");
    terminal.keys(&["Enter"]);
    terminal.wait_for("age, mean ± sd");

    // Completion of argument values and column names reads the loaded data.
    terminal.type_text("plot multif");
    terminal.keys(&["Tab"]);
    terminal.wait_for("radnomo> plot multifocal");
    terminal.clear_line();

    // Highlighting: a known command is green, an unknown one red, a key cyan; a continued line
    // keeps its roles (above, `cohort` on the second line was a key, not a new command).
    let screen = terminal.screen(true);
    assert!(screen.contains("\u{1b}[36mcohort"), "{screen:?}");
    terminal.type_text("describe by=aln");
    terminal.wait_until_coloured(
        "\u{1b}[1m\u{1b}[32mdescribe\u{1b}[0m\u{1b}[39m\u{1b}[49m \u{1b}[36mby",
    );
    terminal.clear_line();
    terminal.type_text("descrbe");
    terminal.wait_until_coloured("\u{1b}[1m\u{1b}[31mdescrbe");
    terminal.clear_line();

    // Ctrl-C at the prompt drops the line, not the session: the data are still there.
    terminal.type_text("this line is abandoned");
    terminal.keys(&["C-c"]);
    // Wait for the fresh prompt, and a moment for reedline to be reading again.
    terminal.wait_until(
        |screen| screen.trim_end().lines().last() == Some("radnomo>"),
        "a fresh prompt after Ctrl-C",
    );
    std::thread::sleep(Duration::from_millis(200));
    terminal.type_text("vars");
    terminal.keys(&["Enter"]);
    let screen = terminal.wait_until(
        |s| s.matches("Columns of examples/data/demo.csv").count() >= 2,
        "vars after Ctrl-C",
    );
    assert!(screen.contains("outcome"));

    // Ctrl-C during a long command cancels it; the session keeps its data, without the result.
    terminal.type_text("load table tests/fixtures/models/wide.csv outcome=y features=x*");
    terminal.keys(&["Enter"]);
    terminal.wait_for("Columns of tests/fixtures/models/wide.csv");
    terminal.type_text("lasso cv=20 thresh=1e-15");
    terminal.keys(&["Enter"]);
    std::thread::sleep(Duration::from_millis(400));
    terminal.keys(&["C-c"]);
    terminal.wait_for("cancelled; the session is as it was before the command");
    terminal.wait_until(
        |screen| screen.trim_end().lines().last() == Some("radnomo>"),
        "the prompt after cancelling",
    );
    std::thread::sleep(Duration::from_millis(200));
    terminal.type_text("vars");
    terminal.keys(&["Enter"]);
    let screen = terminal.wait_until(
        |s| {
            s.matches("Columns of tests/fixtures/models/wide.csv")
                .count()
                >= 2
        },
        "vars after the cancelled lasso",
    );
    let after = &screen[screen
        .rfind("Columns of tests/fixtures/models/wide.csv")
        .unwrap()..];
    assert!(
        after.contains("│ x001") && !after.contains("│ rad "),
        "{after}"
    );

    // History: the file has the statements, and typing a prefix hints the latest match.
    terminal.type_text("load t");
    terminal.wait_until(
        |screen| {
            screen.trim_end().lines().last()
                == Some("radnomo> load table tests/fixtures/models/wide.csv outcome=y features=x*")
        },
        "the history hint on the prompt line",
    );
    terminal.clear_line();
    terminal.keys(&["C-d"]);
    std::thread::sleep(Duration::from_millis(300));
    let saved = std::fs::read_to_string(&history).unwrap_or_default();
    assert!(
        saved.contains("describe columns=age"),
        "history file:\n{saved}"
    );
}

impl Terminal {
    fn wait_until_coloured(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen(true);
            if screen.contains(text) {
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "timed out waiting for {text:?}; screen:\n{screen:?}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}
