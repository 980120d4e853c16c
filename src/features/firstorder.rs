//! First-order statistics of the intensities inside the region.
//!
//! # Formula
//! With x₁…x_N the intensities, x̄ their mean, m_r = (1/N) Σ (x_k − x̄)^r and q_g the share of
//! voxels at grey level g: Energy Σ (x_k + c)², TotalEnergy = Energy × voxel volume, Entropy
//! −Σ q_g log₂(q_g + ε), Uniformity Σ q_g², Mean, Median, Minimum, Maximum, Range, 10th/90th
//! percentiles and interquartile range (linear interpolation, numpy's default), MeanAbsoluteDeviation
//! (1/N) Σ |x_k − x̄|, RobustMeanAbsoluteDeviation the same over the values between the 10th and 90th
//! percentiles, RootMeanSquared √((1/N) Σ (x_k + c)²), Variance m₂, Skewness m₃/m₂^{3/2},
//! Kurtosis m₄/m₂² (0 for a flat region).
//!
//! # References
//! PyRadiomics 3.0.1 `firstorder.py`; IBSI 1 §3.3 (N8CA, TLU2, Q4LE, Y12H, 1GSF, 84IY, 2OJQ, 4FUA,
//! 1128, 5ZWQ, ECT3, KE2A, IPH6, BJ5W).
//!
//! # Remarks
//! Kurtosis is PyRadiomics's (not excess); under the IBSI convention it is IBSI's IPH6, the excess
//! kurtosis m₄/m₂² − 3 (NaN for a flat region). Variance and its square root
//! divide by N, as PyRadiomics and IBSI do; the study's MATLAB (Aerts) preset divides by N − 1
//! (see `study.rs`). c is the `shift` setting (PyRadiomics's voxelArrayShift, default 0).

use super::{Convention, Discretised, EPSILON, Region, Settings};
use crate::stats::summary::quantile;

pub fn features(
    region: &Region,
    levels: &Discretised,
    settings: &Settings,
) -> Vec<(&'static str, f64)> {
    let shift = settings.shift;
    let values = region.values();
    let n = values.len() as f64;
    let mut sorted = values.clone();
    sorted.sort_by(f64::total_cmp);
    let mean = values.iter().sum::<f64>() / n;
    let moment = |r: i32| values.iter().map(|x| (x - mean).powi(r)).sum::<f64>() / n;
    let (m2, m3, m4) = (moment(2), moment(3), moment(4));
    let energy: f64 = values.iter().map(|x| (x + shift).powi(2)).sum();
    let voxel_volume: f64 = region.spacing.iter().product();
    let counts = levels.counts();
    let shares: Vec<f64> = counts.iter().map(|&c| c as f64 / n).collect();
    let p10 = quantile(&sorted, 0.1);
    let p90 = quantile(&sorted, 0.9);
    let robust: Vec<f64> = values
        .iter()
        .copied()
        .filter(|&x| x >= p10 && x <= p90)
        .collect();
    let robust_mean = robust.iter().sum::<f64>() / robust.len() as f64;
    let (min, max) = (sorted[0], sorted[sorted.len() - 1]);
    vec![
        ("Energy", energy),
        ("TotalEnergy", energy * voxel_volume),
        (
            "Entropy",
            -shares.iter().map(|q| q * (q + EPSILON).log2()).sum::<f64>(),
        ),
        ("Minimum", min),
        ("10Percentile", p10),
        ("90Percentile", p90),
        ("Maximum", max),
        ("Mean", mean),
        ("Median", quantile(&sorted, 0.5)),
        (
            "InterquartileRange",
            quantile(&sorted, 0.75) - quantile(&sorted, 0.25),
        ),
        ("Range", max - min),
        (
            "MeanAbsoluteDeviation",
            values.iter().map(|x| (x - mean).abs()).sum::<f64>() / n,
        ),
        (
            "RobustMeanAbsoluteDeviation",
            robust.iter().map(|x| (x - robust_mean).abs()).sum::<f64>() / robust.len() as f64,
        ),
        ("RootMeanSquared", (energy / n).sqrt()),
        ("Skewness", if m2 == 0.0 { 0.0 } else { m3 / m2.powf(1.5) }),
        (
            "Kurtosis",
            match (settings.convention, m2 == 0.0) {
                (Convention::PyRadiomics, true) => 0.0,
                (Convention::PyRadiomics, false) => m4 / (m2 * m2),
                (Convention::Ibsi, true) => f64::NAN,
                (Convention::Ibsi, false) => m4 / (m2 * m2) - 3.0,
            },
        ),
        ("Variance", m2),
        ("Uniformity", shares.iter().map(|q| q * q).sum()),
    ]
}
