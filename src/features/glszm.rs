//! Grey-level size-zone matrix (GLSZM) features: zones are 26-connected (8-connected on a
//! one-slice region) groups of equal grey level.
//!
//! # Formula
//! S(i, j) = number of zones at grey level g_i of size j; N_z = Σ S, N_p = Σ j S = voxels.
//! The emphases are those of the GLRLM (`glrlm::emphases`) with zones for runs; ZonePercentage
//! N_z / N_p.
//!
//! # References
//! Thibault et al., Proc. PRIP 2009; IBSI 1 §3.8 (P001, 48P8, JNSA, Y1RO, 4JP3, VB3A, 5AJT, 3NSA,
//! RNSO, 3T6U, 4QPH, 6VBR, Q1AG, 1LTW, D6SZ, BYLA); PyRadiomics 3.0.1 `glszm.py`.

use super::Discretised;
use super::glrlm::emphases;
use super::neighbours::{neighbours_within, step};

/// Zone counts `[level index][size − 1]`.
pub fn matrix(levels: &Discretised) -> Vec<Vec<f64>> {
    let g = levels.present.len();
    let index = levels.index_of_level();
    let shape = levels.levels.shape().to_vec();
    let neighbours: Vec<[isize; 3]> = neighbours_within(&shape).collect();
    let mut seen = ndarray::Array3::from_elem(levels.levels.dim(), false);
    let mut zones: Vec<(usize, usize)> = Vec::new();
    let mut stack = Vec::new();
    for ((k, j, i), &level) in levels.levels.indexed_iter() {
        if level == 0 || seen[[k, j, i]] {
            continue;
        }
        seen[[k, j, i]] = true;
        stack.push([k, j, i]);
        let mut size = 0;
        while let Some(voxel) = stack.pop() {
            size += 1;
            for &offset in &neighbours {
                if let Some(next) = step(voxel, offset, &shape)
                    && !seen[next]
                    && levels.levels[next] == level
                {
                    seen[next] = true;
                    stack.push(next);
                }
            }
        }
        zones.push((index[level as usize], size));
    }
    let largest = zones.iter().map(|z| z.1).max().unwrap_or(1);
    let mut matrix = vec![vec![0.0; largest]; g];
    for (level, size) in zones {
        matrix[level][size - 1] += 1.0;
    }
    matrix
}

pub fn features(levels: &Discretised) -> Vec<(&'static str, f64)> {
    let value: Vec<f64> = levels.present.iter().map(|&l| f64::from(l)).collect();
    let e = emphases(&matrix(levels), &value);
    vec![
        ("SmallAreaEmphasis", e.short),
        ("LargeAreaEmphasis", e.long),
        ("GrayLevelNonUniformity", e.level_nonuniformity),
        (
            "GrayLevelNonUniformityNormalized",
            e.level_nonuniformity / e.total,
        ),
        ("SizeZoneNonUniformity", e.length_nonuniformity),
        (
            "SizeZoneNonUniformityNormalized",
            e.length_nonuniformity / e.total,
        ),
        ("ZonePercentage", e.total / e.voxels),
        ("GrayLevelVariance", e.level_variance),
        ("ZoneVariance", e.length_variance),
        ("ZoneEntropy", e.entropy),
        ("LowGrayLevelZoneEmphasis", e.low_level),
        ("HighGrayLevelZoneEmphasis", e.high_level),
        ("SmallAreaLowGrayLevelEmphasis", e.short_low),
        ("SmallAreaHighGrayLevelEmphasis", e.short_high),
        ("LargeAreaLowGrayLevelEmphasis", e.long_low),
        ("LargeAreaHighGrayLevelEmphasis", e.long_high),
    ]
}
