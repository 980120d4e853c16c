//! Progress of long steps in a notebook: one display (a bar) that updates in place through
//! `update_display_data`, instead of a flood of stream lines. Like the terminal's bar it appears
//! only once a step has run for a while; when the step ends the display is replaced by one line
//! saying how many items took how long, so the executed notebook keeps a record of it.

use crate::session::Progress;
use serde_json::{Value, json};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::mpsc::UnboundedSender;

/// Steps shorter than this show nothing.
const QUIET_FOR: Duration = Duration::from_millis(500);
/// At most this many updates a second reach the notebook.
const UPDATE_EVERY: Duration = Duration::from_millis(250);

/// iopub messages for the cell being run: (message type, content).
pub type Outlet = UnboundedSender<(&'static str, Value)>;

#[derive(Default)]
pub struct NotebookProgress {
    /// Where the running cell's messages go; `None` between cells.
    outlet: Mutex<Option<Outlet>>,
    step: Mutex<Option<Step>>,
    done: AtomicU64,
    displays: AtomicU64,
}

struct Step {
    label: String,
    total: u64,
    started: Instant,
    /// The display's id once it is shown, and when it was last updated.
    shown: Option<(String, Instant)>,
}

impl NotebookProgress {
    /// Progress from now on goes to the cell whose messages `outlet` carries.
    pub fn attach(&self, outlet: Outlet) {
        *self.outlet.lock().unwrap_or_else(|p| p.into_inner()) = Some(outlet);
    }

    /// The cell has ended; its outlet is dropped (so the cell's message stream can end).
    pub fn detach(&self) {
        *self.outlet.lock().unwrap_or_else(|p| p.into_inner()) = None;
        *self.step.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }

    fn send(&self, kind: &'static str, display_id: &str, data: Value) {
        if let Some(outlet) = self
            .outlet
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
        {
            let _ = outlet.send((
                kind,
                json!({"data": data, "metadata": {}, "transient": {"display_id": display_id}}),
            ));
        }
    }
}

/// The bar as text/plain and text/html.
fn bar(label: &str, done: u64, total: u64) -> Value {
    const WIDTH: u64 = 30;
    let filled = (done * WIDTH).checked_div(total).unwrap_or(0).min(WIDTH) as usize;
    let plain = format!(
        "{label} [{}{}] {done}/{total}",
        "=".repeat(filled),
        " ".repeat(WIDTH as usize - filled)
    );
    let html = format!(
        "<div><progress value=\"{done}\" max=\"{total}\" style=\"width:20em\"></progress> {} \
         {done}/{total}</div>",
        crate::render::html::escape(label)
    );
    json!({"text/plain": plain, "text/html": html})
}

/// The line that replaces the bar when the step ends.
fn summary(label: &str, done: u64, total: u64, took: Duration) -> Value {
    let text = if done >= total {
        format!("{label}: {total} in {:.1} s", took.as_secs_f64())
    } else {
        format!("{label}: stopped after {done} of {total}")
    };
    json!({"text/plain": text})
}

impl Progress for NotebookProgress {
    fn start(&self, label: &str, total: u64) {
        self.done.store(0, Ordering::SeqCst);
        *self.step.lock().unwrap_or_else(|p| p.into_inner()) = Some(Step {
            label: label.to_string(),
            total,
            started: Instant::now(),
            shown: None,
        });
    }

    fn advance(&self) {
        let done = self.done.fetch_add(1, Ordering::SeqCst) + 1;
        let mut guard = self.step.lock().unwrap_or_else(|p| p.into_inner());
        let Some(step) = guard.as_mut() else { return };
        match &mut step.shown {
            None if step.started.elapsed() >= QUIET_FOR => {
                let id = format!(
                    "radnomo-progress-{}-{}",
                    std::process::id(),
                    self.displays.fetch_add(1, Ordering::SeqCst)
                );
                self.send("display_data", &id, bar(&step.label, done, step.total));
                step.shown = Some((id, Instant::now()));
            }
            Some((id, updated)) if updated.elapsed() >= UPDATE_EVERY => {
                self.send(
                    "update_display_data",
                    id,
                    bar(&step.label, done, step.total),
                );
                *updated = Instant::now();
            }
            _ => {}
        }
    }

    fn finish(&self) {
        let step = self.step.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(Step {
            label,
            total,
            started,
            shown: Some((id, _)),
        }) = step
        {
            let done = self.done.load(Ordering::SeqCst);
            let data = summary(&label, done, total, started.elapsed());
            self.send("update_display_data", &id, data);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quick_step_shows_nothing() {
        let progress = NotebookProgress::default();
        let (outlet, mut received) = tokio::sync::mpsc::unbounded_channel();
        progress.attach(outlet);
        progress.start("segmenting", 3);
        (0..3).for_each(|_| progress.advance());
        progress.finish();
        progress.detach();
        assert!(received.try_recv().is_err());
    }

    #[test]
    fn a_long_step_shows_one_display_that_updates_and_ends_with_a_summary() {
        let progress = NotebookProgress::default();
        let (outlet, mut received) = tokio::sync::mpsc::unbounded_channel();
        progress.attach(outlet);
        progress.start("bootstrap", 4);
        progress.advance();
        std::thread::sleep(QUIET_FOR);
        progress.advance();
        std::thread::sleep(UPDATE_EVERY);
        progress.advance();
        progress.advance();
        progress.finish();
        progress.detach();
        let messages: Vec<(&str, Value)> =
            std::iter::from_fn(|| received.try_recv().ok()).collect();
        let kinds: Vec<&str> = messages.iter().map(|(kind, _)| *kind).collect();
        assert_eq!(
            kinds,
            ["display_data", "update_display_data", "update_display_data"]
        );
        let ids: Vec<&Value> = messages
            .iter()
            .map(|(_, content)| &content["transient"]["display_id"])
            .collect();
        assert!(ids.iter().all(|id| *id == ids[0] && id.is_string()));
        assert_eq!(
            messages[0].1["data"]["text/plain"],
            format!("bootstrap [{}{}] 2/4", "=".repeat(15), " ".repeat(15))
        );
        assert_eq!(
            messages[1].1["data"]["text/plain"],
            format!("bootstrap [{}{}] 3/4", "=".repeat(22), " ".repeat(8))
        );
        assert!(
            messages[2].1["data"]["text/plain"]
                .as_str()
                .unwrap()
                .starts_with("bootstrap: 4 in ")
        );
    }

    #[test]
    fn a_stopped_step_says_where_it_stopped() {
        assert_eq!(
            summary("segmenting", 7, 432, Duration::from_secs(2))["text/plain"],
            "segmenting: stopped after 7 of 432"
        );
    }
}
