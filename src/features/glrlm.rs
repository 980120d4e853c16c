//! Grey-level run-length matrix (GLRLM) features: runs of equal grey level along each of the 13
//! directions (4 on a one-slice region), inside the mask; features per direction, averaged.
//!
//! # Formula
//! R(i, j) = number of runs at grey level g_i of length j; N_r = Σ R, N_p = Σ j R(i, j),
//! r_i = Σ_j R(i, j), c_j = Σ_i R(i, j). ShortRunEmphasis Σ c_j/j² / N_r, LongRunEmphasis
//! Σ c_j j² / N_r, GrayLevelNonUniformity Σ r_i² / N_r (Normalized: / N_r²),
//! RunLengthNonUniformity Σ c_j² / N_r (Normalized: / N_r²), RunPercentage N_r / N_p,
//! GrayLevelVariance and RunVariance of r_i/N_r over g_i and of c_j/N_r over j, RunEntropy
//! −Σ (R/N_r) log₂(R/N_r + ε), Low/HighGrayLevelRunEmphasis Σ r_i g_i^{∓2} / N_r, and the four
//! joint emphases Σ R g_i^{±2} j^{±2} / N_r.
//!
//! # References
//! Galloway, CGIP 4:172-179 (1975); Chu, Sehgal & Greenleaf, PRL 11:415-419 (1990);
//! Dasarathy & Holder, PRL 12:497-502 (1991); IBSI 1 §3.7 (22OV, W4KF, R5YN, OVBL, W92Y, IC23,
//! 9ZK5, 8CE5, SR0R, HJ9O, V3SW, G3QZ, HTZT, GD3A, IVPO, 3KUM); PyRadiomics 3.0.1 `glrlm.py`.
//!
//! # Remarks
//! A direction along which no line holds more than one voxel of the region (the through-plane
//! directions of a one-slice region) is left out, as PyRadiomics does.

use super::neighbours::{directions_within, lines};
use super::{Aggregation, Discretised, EPSILON, aggregate};

/// Run-length counts `[level index][length − 1]` of each direction that has a line of two or
/// more region voxels.
pub fn matrices(levels: &Discretised) -> Vec<Vec<Vec<f64>>> {
    let g = levels.present.len();
    let index = levels.index_of_level();
    let shape = levels.levels.shape().to_vec();
    let longest = shape.iter().copied().max().unwrap_or(1);
    let mut out = Vec::new();
    let standard = levels.levels.as_standard_layout();
    let values = standard.as_slice().expect("a standard-layout grid");
    for direction in directions_within(&shape) {
        let mut runs = vec![vec![0.0; longest]; g];
        let mut multiple = false;
        let (starts, shift) = lines(&shape, direction);
        for (start, length_of_line) in starts {
            let (mut current, mut length, mut elements) = (0u32, 0usize, 0usize);
            for t in 0..length_of_line {
                let level = values[(start as isize + t as isize * shift) as usize];
                if level != 0 {
                    elements += 1;
                }
                if level != current {
                    if current != 0 {
                        runs[index[current as usize]][length - 1] += 1.0;
                    }
                    current = level;
                    length = usize::from(level != 0);
                } else if level != 0 {
                    length += 1;
                }
            }
            if current != 0 {
                runs[index[current as usize]][length - 1] += 1.0;
            }
            multiple |= elements > 1;
        }
        if multiple {
            out.push(runs);
        }
    }
    out
}

pub fn features(levels: &Discretised, aggregation: Aggregation) -> Vec<(&'static str, f64)> {
    let value: Vec<f64> = levels.present.iter().map(|&l| f64::from(l)).collect();
    let with_runs: Vec<Vec<Vec<f64>>> = matrices(levels)
        .into_iter()
        .filter(|runs| runs.iter().flatten().sum::<f64>() > 0.0)
        .collect();
    aggregate(&with_runs, aggregation, |runs| one_direction(runs, &value))
}

/// Features of one count matrix `[level index][length − 1]`; shared with the size-zone and
/// dependence matrices, whose formulas are the same with zones or dependences for runs.
pub fn emphases(matrix: &[Vec<f64>], value: &[f64]) -> Emphases {
    let total: f64 = matrix.iter().flatten().sum();
    let by_level: Vec<f64> = matrix.iter().map(|row| row.iter().sum()).collect();
    let lengths = matrix.first().map_or(0, Vec::len);
    let by_length: Vec<f64> = (0..lengths)
        .map(|j| matrix.iter().map(|row| row[j]).sum())
        .collect();
    // One pass over the occupied cells (an empty cell adds nothing to any of these sums).
    let mut joint = [0.0f64; 9]; // short, long, low, high, short-low, short-high, long-low, long-high, voxels
    let mut entropy = 0.0;
    for (i, row) in matrix.iter().enumerate() {
        let g2 = value[i] * value[i];
        for (j, &r) in row.iter().enumerate() {
            if r == 0.0 {
                continue;
            }
            let length = (j + 1) as f64;
            let j2 = length * length;
            for (sum, weight) in joint.iter_mut().zip([
                1.0 / j2,
                j2,
                1.0 / g2,
                g2,
                1.0 / (g2 * j2),
                g2 / j2,
                j2 / g2,
                g2 * j2,
                length,
            ]) {
                *sum += r * weight;
            }
            let p = r / total;
            entropy -= p * (p + EPSILON).log2();
        }
    }
    let [
        short,
        long,
        low_level,
        high_level,
        short_low,
        short_high,
        long_low,
        long_high,
        voxels,
    ] = joint.map(|sum| sum / total);
    let level_share: Vec<f64> = by_level.iter().map(|r| r / total).collect();
    let length_share: Vec<f64> = by_length.iter().map(|c| c / total).collect();
    let mean_level: f64 = level_share.iter().zip(value).map(|(p, g)| p * g).sum();
    let mean_length: f64 = length_share
        .iter()
        .enumerate()
        .map(|(j, p)| p * (j + 1) as f64)
        .sum();
    Emphases {
        total,
        short,
        long,
        level_nonuniformity: by_level.iter().map(|r| r * r).sum::<f64>() / total,
        length_nonuniformity: by_length.iter().map(|c| c * c).sum::<f64>() / total,
        level_variance: level_share
            .iter()
            .zip(value)
            .map(|(p, g)| p * (g - mean_level).powi(2))
            .sum(),
        length_variance: length_share
            .iter()
            .enumerate()
            .map(|(j, p)| p * ((j + 1) as f64 - mean_length).powi(2))
            .sum(),
        entropy,
        low_level,
        high_level,
        short_low,
        short_high,
        long_low,
        long_high,
        voxels: voxels * total,
    }
}

/// The sums every run/zone/dependence family is made of.
pub struct Emphases {
    pub total: f64,
    pub short: f64,
    pub long: f64,
    pub level_nonuniformity: f64,
    pub length_nonuniformity: f64,
    pub level_variance: f64,
    pub length_variance: f64,
    pub entropy: f64,
    pub low_level: f64,
    pub high_level: f64,
    pub short_low: f64,
    pub short_high: f64,
    pub long_low: f64,
    pub long_high: f64,
    /// Σ j R(i, j): voxels covered.
    pub voxels: f64,
}

fn one_direction(runs: &[Vec<f64>], value: &[f64]) -> Vec<(&'static str, f64)> {
    let e = emphases(runs, value);
    vec![
        ("ShortRunEmphasis", e.short),
        ("LongRunEmphasis", e.long),
        ("GrayLevelNonUniformity", e.level_nonuniformity),
        (
            "GrayLevelNonUniformityNormalized",
            e.level_nonuniformity / e.total,
        ),
        ("RunLengthNonUniformity", e.length_nonuniformity),
        (
            "RunLengthNonUniformityNormalized",
            e.length_nonuniformity / e.total,
        ),
        ("RunPercentage", e.total / e.voxels),
        ("GrayLevelVariance", e.level_variance),
        ("RunVariance", e.length_variance),
        ("RunEntropy", e.entropy),
        ("LowGrayLevelRunEmphasis", e.low_level),
        ("HighGrayLevelRunEmphasis", e.high_level),
        ("ShortRunLowGrayLevelEmphasis", e.short_low),
        ("ShortRunHighGrayLevelEmphasis", e.short_high),
        ("LongRunLowGrayLevelEmphasis", e.long_low),
        ("LongRunHighGrayLevelEmphasis", e.long_high),
    ]
}
