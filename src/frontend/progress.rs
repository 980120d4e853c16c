//! A progress bar on standard error for long steps in a terminal (indicatif). It appears only once
//! a step has run for about a second, so quick commands stay quiet; JSON and piped output never
//! get one (the frontend does not install it there).

use crate::session::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Steps shorter than this show no bar.
const QUIET_FOR: Duration = Duration::from_millis(1000);

#[derive(Default)]
pub struct TerminalProgress {
    step: Mutex<Option<Step>>,
    done: AtomicU64,
}

struct Step {
    label: String,
    total: u64,
    started: Instant,
    bar: Option<ProgressBar>,
}

impl Progress for TerminalProgress {
    fn start(&self, label: &str, total: u64) {
        self.done.store(0, Ordering::SeqCst);
        if let Ok(mut step) = self.step.lock() {
            *step = Some(Step {
                label: label.to_string(),
                total,
                started: Instant::now(),
                bar: None,
            });
        }
    }

    fn advance(&self) {
        let done = self.done.fetch_add(1, Ordering::SeqCst) + 1;
        let Ok(mut guard) = self.step.lock() else {
            return;
        };
        let Some(step) = guard.as_mut() else { return };
        if step.bar.is_none() && step.started.elapsed() >= QUIET_FOR {
            let bar = ProgressBar::with_draw_target(Some(step.total), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({eta} left)")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            bar.set_message(step.label.clone());
            step.bar = Some(bar);
        }
        if let Some(bar) = &step.bar {
            bar.set_position(done);
        }
    }

    fn finish(&self) {
        if let Ok(mut step) = self.step.lock()
            && let Some(step) = step.take()
            && let Some(bar) = step.bar
        {
            bar.finish_and_clear();
        }
    }
}
