//! The nomogram as a drawing: one row per scale (points, each predictor, total points, linear
//! predictor, risk), laid out in points units so the renderer only places lines and text.

use crate::output::{Anchor, Axis, Label, Layer, Legend, Model, Plot, Series};
use crate::stats::nomogram::{Nomogram, TickValue, format_number};

/// Pixels per character of a 13-pixel label, for the width of the name column.
const CHARACTER_WIDTH: f64 = 7.4;
const WIDTH: u32 = 940;
const ROW_HEIGHT: u32 = 48;
/// Tick height and label offsets, in rows.
const TICK: f64 = 0.14;
const MINOR_TICK: f64 = 0.08;
const ABOVE: f64 = 0.34;
const BELOW: f64 = -0.3;

/// One scale of the drawing: its name and its ticks (position in points units, label, whether
/// the label may be left out for room).
struct Row {
    name: String,
    ticks: Vec<(f64, String, bool)>,
    minor: Vec<f64>,
}

/// The drawing of a nomogram: lines, ticks and labels in points units (x) and rows (y).
/// `name` is the plot's file stem.
pub fn drawing(name: &str, model: &Model, nomogram: &Nomogram) -> Plot {
    let total_top = nomogram
        .total_points
        .last()
        .copied()
        .unwrap_or(100.0)
        .max(1e-9);
    // The total-points scale is drawn over the same 0–100 width as the points scale.
    let squeeze = 100.0 / total_top;
    let inside = |p: f64| (-1e-9..=total_top + 1e-9).contains(&p);
    let mut rows = vec![Row {
        name: "Points".into(),
        ticks: (0..=10)
            .map(|k| (k as f64 * 10.0, format_number(k as f64 * 10.0), false))
            .collect(),
        minor: (0..10).map(|k| k as f64 * 10.0 + 5.0).collect(),
    }];
    for axis in &nomogram.axes {
        let categorical = axis
            .ticks
            .iter()
            .any(|t| matches!(t.value, TickValue::Level(_)));
        let last = axis.ticks.len().saturating_sub(1);
        rows.push(Row {
            name: axis.name.clone(),
            ticks: axis
                .ticks
                .iter()
                .enumerate()
                .map(|(k, t)| {
                    (
                        t.points,
                        t.value.label(),
                        !categorical && k != 0 && k != last,
                    )
                })
                .collect(),
            minor: Vec::new(),
        });
    }
    let last_total = nomogram.total_points.len().saturating_sub(1);
    rows.push(Row {
        name: "Total points".into(),
        ticks: nomogram
            .total_points
            .iter()
            .enumerate()
            .map(|(k, &t)| (t * squeeze, format_number(t), k != 0 && k != last_total))
            .collect(),
        minor: nomogram
            .total_points
            .windows(2)
            .map(|w| 0.5 * (w[0] + w[1]) * squeeze)
            .collect(),
    });
    rows.push(Row {
        name: "Linear predictor".into(),
        ticks: nomogram
            .linear_predictor
            .iter()
            .filter(|t| inside(t.points))
            .map(|t| (t.points * squeeze, format_number(t.value), true))
            .collect(),
        minor: Vec::new(),
    });
    rows.push(Row {
        name: format!("Risk of {} = {}", model.outcome, model.positive_label),
        ticks: nomogram
            .risk
            .iter()
            .filter(|t| inside(t.points))
            .map(|t| (t.points * squeeze, format_number(t.value), true))
            .collect(),
        minor: Vec::new(),
    });

    let longest = rows
        .iter()
        .map(|r| r.name.chars().count())
        .max()
        .unwrap_or(6) as f64;
    let name_pixels = longest * CHARACTER_WIDTH + 24.0;
    let drawn_pixels = f64::from(WIDTH) - 28.0;
    let right = 104.0;
    let left = name_pixels * right / (drawn_pixels - name_pixels);

    let ink = Series {
        label: String::new(),
        colour: 7,
    };
    let mut segments = Vec::new();
    let mut names = Vec::new();
    let mut first_labels = Vec::new();
    let mut other_labels = Vec::new();
    for (index, row) in rows.iter().enumerate() {
        let y = -(index as f64);
        names.push(Label {
            text: row.name.clone(),
            at: (-3.0, y),
            alternative: None,
            anchor: Anchor::End,
            size: 13,
            optional: false,
        });
        let positions: Vec<f64> = row.ticks.iter().map(|t| t.0).collect();
        let low = positions.iter().copied().fold(f64::INFINITY, f64::min);
        let high = positions.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if low.is_finite() && high > low {
            segments.push([(low, y), (high, y)]);
        }
        for &x in &row.minor {
            segments.push([(x, y), (x, y + MINOR_TICK)]);
        }
        for (x, text, optional) in &row.ticks {
            segments.push([(*x, y), (*x, y + TICK)]);
            let label = Label {
                text: text.clone(),
                at: (*x, y + ABOVE),
                alternative: Some((*x, y + BELOW)),
                anchor: Anchor::Middle,
                size: 12,
                optional: *optional,
            };
            // Labels that must show are placed first, so the optional ones give way to them.
            if *optional {
                other_labels.push(label);
            } else {
                first_labels.push(label);
            }
        }
    }
    let count = rows.len() as f64;
    Plot {
        name: name.to_string(),
        title: format!("Nomogram: {}", model.formula),
        x: Axis {
            range: Some((-left, right)),
            hidden: true,
            ..Axis::new("points")
        },
        y: Axis {
            range: Some((-(count - 1.0) - 0.6, 0.7)),
            hidden: true,
            ..Axis::new("")
        },
        layers: vec![
            Layer::Segments {
                series: ink.clone(),
                segments,
            },
            Layer::Labels {
                series: ink.clone(),
                labels: names,
            },
            Layer::Labels {
                series: ink.clone(),
                labels: first_labels,
            },
            Layer::Labels {
                series: ink,
                labels: other_labels,
            },
        ],
        size: (WIDTH, 70 + ROW_HEIGHT * rows.len() as u32),
        legend: Legend::UpperRight,
    }
}
