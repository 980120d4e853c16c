//! The LASSO's two figures (the study's Fig. 4), drawn as glmnet's `plot.cv.glmnet` and
//! `plot.glmnet` read: the cross-validated measure with the number of features kept along the
//! top, the two λ in distinct styles; the coefficient paths scaled to the region around the
//! chosen λ, the signature's features coloured and named at the right edge, the others grey.

use crate::output::{Anchor, Axis, Label, Layer, Legend, Plot, Series};
use crate::stats::lasso::{CrossValidation, LassoPath, Measure};

/// How many feature counts are written along the top of the CV plot.
const COUNTS_ALONG_TOP: usize = 12;

/// Fig. 4A: the CV measure against log λ with ±1 SE bars, the number of features kept at λ
/// along the top (as glmnet), λ min solid and λ 1se dashed.
pub(super) fn cv_plot(cv: &CrossValidation, measure: Measure) -> Plot {
    let label = match measure {
        Measure::Deviance => "binomial deviance",
        Measure::Auc => "AUC",
        Measure::Class => "misclassification error",
    };
    let points: Vec<(f64, f64, f64, f64)> = cv
        .lambdas
        .iter()
        .zip(cv.mean.iter().zip(&cv.standard_error))
        .map(|(l, (m, s))| (l.ln(), *m, m - s, m + s))
        .collect();
    let finite = |v: f64| v.is_finite();
    let low = points
        .iter()
        .map(|p| p.2)
        .filter(|v| finite(*v))
        .fold(f64::INFINITY, f64::min);
    let high = points
        .iter()
        .map(|p| p.3)
        .filter(|v| finite(*v))
        .fold(f64::NEG_INFINITY, f64::max);
    let mut layers = vec![
        Layer::ErrorBars {
            series: Series {
                label: format!("CV {label} ± 1 SE"),
                colour: 1,
            },
            points: points.clone(),
        },
        Layer::VerticalLine {
            series: Series {
                label: format!("λ min ({} features)", cv.nonzero[cv.index_min]),
                colour: 0,
            },
            x: cv.lambda_min().ln(),
            dashed: false,
        },
        Layer::VerticalLine {
            series: Series {
                label: format!("λ 1se ({} features)", cv.nonzero[cv.index_1se]),
                colour: 2,
            },
            x: cv.lambda_1se().ln(),
            dashed: true,
        },
    ];
    let y = if low.is_finite() && high > low {
        // Room above the bars for the counts.
        let span = high - low;
        Some((low - 0.04 * span, high + 0.14 * span))
    } else {
        None
    };
    if let Some((_, top)) = y {
        let step = (points.len() / COUNTS_ALONG_TOP).max(1);
        let labels = (0..points.len())
            .step_by(step)
            .map(|i| Label {
                text: cv.nonzero[i].to_string(),
                at: (points[i].0, top - 0.04 * (top - low)),
                alternative: None,
                anchor: Anchor::Middle,
                size: 11,
                optional: true,
            })
            .collect();
        layers.push(Layer::Labels {
            series: Series {
                label: String::new(),
                colour: 7,
            },
            labels,
        });
    }
    Plot {
        name: "lasso-cv".to_string(),
        title: format!("LASSO: cross-validated {label}"),
        x: Axis::new("log(λ)   (along the top: features kept)"),
        y: Axis {
            range: y,
            ..Axis::new(label)
        },
        layers,
        size: (760, 480),
        // The curve's minimum, what a reader looks for, is rarely at the lower left.
        legend: Legend::LowerLeft,
    }
}

/// Fig. 4B: each feature's coefficient along log λ, with the chosen λ marked. The y-range is
/// the coefficients' extent from the chosen λ to one e-fold of λ below it (beyond, the paths of
/// an unpenalised fit run far off and are cut at the frame); the signature's features are
/// coloured and named at the right edge at their chosen values, the others grey.
pub(super) fn path_plot(
    features: &[String],
    path: &LassoPath,
    cv: &CrossValidation,
    index: usize,
) -> Plot {
    let logs: Vec<f64> = path.lambdas.iter().map(|l| l.ln()).collect();
    let chosen = cv.lambdas[index].ln();
    let chosen_beta = &path.coefficients[index];
    let signature: Vec<usize> = (0..features.len())
        .filter(|&j| chosen_beta[j] != 0.0)
        .collect();
    let near: Vec<f64> = logs
        .iter()
        .zip(&path.coefficients)
        .filter(|(x, _)| **x >= chosen - 1.0)
        .flat_map(|(_, b)| b.iter().copied())
        .filter(|v| v.is_finite())
        .collect();
    let low = near.iter().copied().fold(0.0f64, f64::min);
    let high = near.iter().copied().fold(0.0f64, f64::max);
    let pad = 0.08 * (high - low).max(1e-9);
    let right = logs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let left = logs.iter().copied().fold(f64::INFINITY, f64::min);
    let line = |j: usize, colour: usize| Layer::Line {
        series: Series {
            label: String::new(),
            colour,
        },
        points: logs
            .iter()
            .zip(&path.coefficients)
            .map(|(x, b)| (*x, b[j]))
            .collect(),
        dashed: false,
    };
    // Grey first, so the signature's lines are drawn over them.
    let mut layers: Vec<Layer> = (0..features.len())
        .filter(|j| !signature.contains(j) && path.coefficients.iter().any(|b| b[*j] != 0.0))
        .map(|j| line(j, 8))
        .collect();
    layers.extend(signature.iter().enumerate().map(|(k, &j)| line(j, k)));
    layers.push(Layer::VerticalLine {
        series: Series {
            label: format!("chosen λ ({} features)", cv.nonzero[index]),
            colour: 7,
        },
        x: chosen,
        dashed: true,
    });
    let label_step = 0.06 * (high - low + 2.0 * pad);
    for (k, &j) in signature.iter().enumerate() {
        let at = (right, chosen_beta[j]);
        layers.push(Layer::Labels {
            series: Series {
                label: String::new(),
                colour: k,
            },
            labels: vec![Label {
                text: features[j].clone(),
                at,
                alternative: Some((
                    right,
                    at.1 + label_step * if at.1 >= 0.0 { 1.0 } else { -1.0 },
                )),
                anchor: Anchor::End,
                size: 11,
                optional: false,
            }],
        });
    }
    Plot {
        name: "lasso-path".to_string(),
        title: "LASSO coefficient paths".to_string(),
        x: Axis {
            range: Some((left, right)),
            ..Axis::new("log(λ)")
        },
        y: Axis {
            range: Some((low - pad, high + pad)),
            ..Axis::new("coefficient (z-scored feature)")
        },
        layers,
        size: (760, 480),
        legend: Legend::LowerRight,
    }
}
