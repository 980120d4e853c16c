//! `lasso … stability=N`: how often each candidate feature is kept when the signature is made
//! again on bootstrap samples, as a table and a dot plot, the signature's own features marked.

use crate::error::{Error, ErrorKind};
use crate::output::{Axis, Cell, Layer, Legend, Output, Plot, Series, Table};
use crate::session::context::Context;
use crate::stats::linalg::Matrix;
use crate::stats::pipeline::SignatureSteps;
use crate::stats::stability::{SelectionStability, selection_stability};

/// Selection frequency from which a feature counts as stable (Meinshausen & Bühlmann's range is
/// 0.6–0.9; the middle is a common choice).
const STABLE: f64 = 0.75;

/// Features shown in the plot at most (the most often kept, and every one of the signature's).
const PLOTTED: usize = 30;

/// Runs the stability bootstrap of `steps` on the patients of `x` and `y` and returns its table
/// and plot; `signature` are the candidates the signature itself kept.
pub(super) fn stability_output(
    context: &Context<'_>,
    (x, y): (&Matrix, &[f64]),
    steps: &SignatureSteps,
    signature: &[usize],
    (replicates, seed): (usize, u64),
) -> Result<Output, Error> {
    let stop = context.replicate_callback("stability of the signature", replicates);
    let cancel = context.cancel.clone();
    let interrupted = move || cancel.is_cancelled();
    let result = selection_stability(x, y, steps, (replicates, seed), (&stop, &interrupted));
    drop(stop);
    context.progress.finish();
    let stability = result.map_err(|_| Error::new(ErrorKind::Cancelled))?;
    let mut output = selection_output(
        &stability,
        steps,
        signature,
        format!(
            "each sample repeats the z-scoring and the cross-validated choice of λ with fresh folds; seed {seed} (the samples `validate MODEL pipeline=yes seed={seed}` draws)"
        ),
    );
    output.method(super::methods::stability(replicates, seed));
    Ok(output)
}

/// The table and plot of selection frequencies, with `note` saying how the samples were made.
pub(super) fn selection_output(
    stability: &SelectionStability,
    steps: &SignatureSteps,
    signature: &[usize],
    note: String,
) -> Output {
    let order = ranked(stability, signature);
    let mut table = table(stability, steps, signature, &order);
    table.note(note);
    Output::item(table).with(plot(stability, steps, signature, &order))
}

/// Candidates by selection frequency (most often first), the signature's first among equals,
/// then by name order; those never kept and not in the signature are left out.
fn ranked(stability: &SelectionStability, signature: &[usize]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..stability.kept.len())
        .filter(|&j| stability.kept[j] > 0 || signature.contains(&j))
        .collect();
    order.sort_by(|&a, &b| {
        stability.kept[b]
            .cmp(&stability.kept[a])
            .then(signature.contains(&b).cmp(&signature.contains(&a)))
            .then(a.cmp(&b))
    });
    order
}

fn table(
    stability: &SelectionStability,
    steps: &SignatureSteps,
    signature: &[usize],
    order: &[usize],
) -> Table {
    let mut table = Table::new(
        "stability",
        format!(
            "Selection frequency over {} bootstrap samples",
            stability.replicates
        ),
    )
    .with_columns(["Feature", "Kept in", "In the signature"]);
    for &j in order {
        table.add_row(vec![
            Cell::text(&steps.features[j]),
            Cell::Count {
                count: stability.kept[j] as u64,
                total: stability.replicates as u64,
            },
            Cell::text(if signature.contains(&j) { "yes" } else { "" }),
        ]);
    }
    let never = stability.kept.len() - order.len();
    let stable_in_signature = signature
        .iter()
        .filter(|&&j| stability.frequency(j) >= STABLE)
        .count();
    let sizes = &stability.sizes;
    if let (Some(first), Some(last)) = (sizes.first(), sizes.last()) {
        table.note(format!(
            "each sample's signature kept {first}–{last} features (median {}); {stable_in_signature} of the signature's {} kept in at least {:.0}% of samples (stable, Meinshausen & Bühlmann 2010)",
            sizes[sizes.len() / 2],
            signature.len(),
            STABLE * 100.0
        ));
    }
    if never > 0 {
        table.note(format!("{never} other candidate features were never kept"));
    }
    table
}

/// A dot plot: one line per feature, its frequency as a dot on a bar from 0, the signature's in
/// their own colour, the stable threshold as a dashed line.
fn plot(
    stability: &SelectionStability,
    steps: &SignatureSteps,
    signature: &[usize],
    order: &[usize],
) -> Plot {
    let mut shown: Vec<usize> = order.iter().copied().take(PLOTTED).collect();
    for &j in order.iter().skip(PLOTTED) {
        if signature.contains(&j) {
            shown.push(j);
        }
    }
    // The most often kept at the top: category 0 is drawn at the bottom.
    shown.reverse();
    let categories: Vec<String> = shown.iter().map(|&j| steps.features[j].clone()).collect();
    let mut layers = Vec::new();
    for (in_signature, label, colour) in [(true, "in the signature", 1), (false, "not in it", 0)] {
        let rows: Vec<(usize, f64)> = shown
            .iter()
            .enumerate()
            .filter(|(_, j)| signature.contains(j) == in_signature)
            .map(|(at, &j)| (at, stability.frequency(j)))
            .collect();
        if rows.is_empty() {
            continue;
        }
        let series = Series {
            label: label.to_string(),
            colour,
        };
        layers.push(Layer::Segments {
            series: Series {
                label: String::new(),
                colour,
            },
            segments: rows
                .iter()
                .map(|&(at, f)| [(0.0, at as f64), (f, at as f64)])
                .collect(),
        });
        layers.push(Layer::Points {
            series,
            points: rows.iter().map(|&(at, f)| (f, at as f64)).collect(),
        });
    }
    layers.push(Layer::VerticalLine {
        series: Series {
            label: format!("stable ({:.0}%)", STABLE * 100.0),
            colour: 2,
        },
        x: STABLE,
        dashed: true,
    });
    let height = (120 + 18 * shown.len() as u32).clamp(320, 900);
    Plot {
        name: "lasso-stability".to_string(),
        title: format!(
            "Selection frequency over {} bootstrap samples",
            stability.replicates
        ),
        x: Axis {
            range: Some((0.0, 1.0)),
            ..Axis::new("share of samples keeping the feature")
        },
        y: Axis {
            range: Some((-0.7, shown.len() as f64 - 0.3)),
            categories,
            ..Axis::new("")
        },
        layers,
        size: (760, height),
        legend: Legend::LowerRight,
    }
}
