//! `plot COLUMN kind=waterfall|box`: a score by outcome as radiomics papers show the rad-score —
//! a waterfall of every patient's value, sorted, coloured by group; box plots of each group in
//! each cohort (quartiles, whiskers to the furthest value within 1.5 IQR of the box, Tukey 1977;
//! values beyond drawn as points).

use crate::output::{Axis, Layer, Legend, Plot, Series};
use crate::stats::summary::median_and_quartiles;

/// One outcome group of one cohort: its legend label, palette colour and values.
pub(super) struct Group {
    pub label: String,
    pub colour: usize,
    pub values: Vec<f64>,
}

/// One bar per patient, tallest first, from zero to the patient's value.
pub(super) fn waterfall(name: &str, stem: &str, title: &str, groups: &[Group]) -> Plot {
    let mut all: Vec<(f64, usize)> = groups
        .iter()
        .enumerate()
        .flat_map(|(g, group)| group.values.iter().map(move |&v| (v, g)))
        .collect();
    all.sort_by(|a, b| b.0.total_cmp(&a.0));
    let layers = groups
        .iter()
        .enumerate()
        .map(|(g, group)| Layer::Bars {
            series: Series {
                label: group.label.clone(),
                colour: group.colour,
            },
            bars: all
                .iter()
                .enumerate()
                .filter(|(_, (_, owner))| *owner == g)
                .map(|(i, (v, _))| (i as f64 + 0.1, i as f64 + 0.9, *v))
                .collect(),
        })
        .collect();
    Plot {
        name: format!("waterfall-{stem}"),
        title: title.to_string(),
        x: Axis {
            range: Some((0.0, all.len().max(1) as f64)),
            ..Axis::new(format!("patients, ordered by {name}"))
        },
        y: Axis::new(name),
        layers,
        size: (760, 440),
        legend: Legend::UpperRight,
    }
}

/// A box per group, side by side, each named on the x axis.
pub(super) fn boxes(name: &str, stem: &str, title: &str, groups: &[(String, Group)]) -> Plot {
    let mut layers = Vec::new();
    let mut categories = Vec::new();
    for (place, (category, group)) in groups.iter().enumerate() {
        categories.push(category.clone());
        let mut values = group.values.clone();
        values.retain(|v| v.is_finite());
        if values.is_empty() {
            continue;
        }
        values.sort_by(f64::total_cmp);
        let (median, q1, q3) = median_and_quartiles(&values);
        let fence = 1.5 * (q3 - q1);
        let low = values
            .iter()
            .copied()
            .find(|&v| v >= q1 - fence)
            .unwrap_or(q1);
        let high = values
            .iter()
            .rev()
            .copied()
            .find(|&v| v <= q3 + fence)
            .unwrap_or(q3);
        let x = place as f64;
        let (left, right) = (x - 0.3, x + 0.3);
        let segments = vec![
            [(left, q1), (right, q1)],
            [(left, q3), (right, q3)],
            [(left, q1), (left, q3)],
            [(right, q1), (right, q3)],
            [(left, median), (right, median)],
            [(x, q3), (x, high)],
            [(x, q1), (x, low)],
            [(x - 0.12, high), (x + 0.12, high)],
            [(x - 0.12, low), (x + 0.12, low)],
        ];
        let series = Series {
            label: if groups[..place].iter().any(|(_, g)| g.label == group.label) {
                String::new()
            } else {
                group.label.clone()
            },
            colour: group.colour,
        };
        layers.push(Layer::Segments {
            series: series.clone(),
            segments,
        });
        let outside: Vec<(f64, f64)> = values
            .iter()
            .filter(|&&v| v < low || v > high)
            .map(|&v| (x, v))
            .collect();
        if !outside.is_empty() {
            layers.push(Layer::Points {
                series: Series {
                    label: String::new(),
                    colour: group.colour,
                },
                points: outside,
            });
        }
    }
    Plot {
        name: format!("box-{stem}"),
        title: title.to_string(),
        x: Axis {
            range: Some((-0.6, categories.len() as f64 - 0.4)),
            categories,
            ..Axis::new("")
        },
        y: Axis::new(name),
        layers,
        size: (640, 480),
        legend: Legend::UpperRight,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_waterfall_orders_patients_by_value_and_colours_them_by_group() {
        let groups = [
            Group {
                label: "1".into(),
                colour: 1,
                values: vec![0.5, -1.0],
            },
            Group {
                label: "0".into(),
                colour: 0,
                values: vec![2.0, -0.2],
            },
        ];
        let plot = waterfall("rad", "rad", "t", &groups);
        let Layer::Bars { bars, .. } = &plot.layers[0] else {
            panic!()
        };
        // Order: 2.0 (group 0), 0.5, -0.2, -1.0: group 1 holds places 1 and 3.
        assert_eq!(bars, &vec![(1.1, 1.9, 0.5), (3.1, 3.9, -1.0)]);
    }

    #[test]
    fn whiskers_reach_the_furthest_value_within_one_and_a_half_iqr() {
        // Quartiles (type 7) of 1..=8 and 30: 3 and 7; fences at −3 and 13; 30 is drawn alone.
        let values: Vec<f64> = (1..=8).map(f64::from).chain([30.0]).collect();
        let plot = boxes(
            "x",
            "x",
            "t",
            &[(
                "a".into(),
                Group {
                    label: "a".into(),
                    colour: 0,
                    values,
                },
            )],
        );
        let Layer::Segments { segments, .. } = &plot.layers[0] else {
            panic!()
        };
        assert_eq!(segments[0], [(-0.3, 3.0), (0.3, 3.0)]);
        assert_eq!(segments[5], [(0.0, 7.0), (0.0, 8.0)], "upper whisker to 8");
        let Layer::Points { points, .. } = &plot.layers[1] else {
            panic!()
        };
        assert_eq!(points, &vec![(0.0, 30.0)]);
    }
}
