//! The one timing rule every benchmark uses: run a step `runs` times and take the median of the
//! wall times (the machine is shared, so a median of several is the figure worth reporting).

use std::time::Instant;

/// Median wall time of `runs` runs of `step`, in seconds.
pub fn median_seconds(runs: usize, mut step: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..runs.max(1))
        .map(|_| {
            let start = Instant::now();
            step();
            start.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}
