//! Grey-level dependence matrix (GLDM) features: for each voxel, how many of its 26 neighbours
//! (8 on a one-slice region) in the mask have the same grey level (α = 0).
//!
//! # Formula
//! D(i, j) = number of voxels at grey level g_i with j − 1 dependent neighbours; N_z = Σ D = voxels.
//! The emphases are those of the GLRLM (`glrlm::emphases`) with dependences for runs.
//!
//! # References
//! Sun & Wee, CGIP 23:341-352 (1983); IBSI 1 §3.11 (NGLDM, with α = 0 and δ = 1:
//! SODN, IMOQ, FP8K, 5SPA, Z87G, OKJI, 1PFV, ...); PyRadiomics 3.0.1 `gldm.py`.

use super::Discretised;
use super::glrlm::emphases;
use super::neighbours::{neighbours_within, step};

/// Dependence counts `[level index][dependence − 1]`.
pub fn matrix(levels: &Discretised) -> Vec<Vec<f64>> {
    let index = levels.index_of_level();
    let shape = levels.levels.shape().to_vec();
    let neighbours: Vec<[isize; 3]> = neighbours_within(&shape).collect();
    let mut matrix = vec![vec![0.0; neighbours.len() + 1]; levels.present.len()];
    for ((k, j, i), &level) in levels.levels.indexed_iter() {
        if level == 0 {
            continue;
        }
        let dependent = neighbours
            .iter()
            .filter_map(|&o| step([k, j, i], o, &shape))
            .filter(|&n| levels.levels[n] == level)
            .count();
        matrix[index[level as usize]][dependent] += 1.0;
    }
    matrix
}

pub fn features(levels: &Discretised) -> Vec<(&'static str, f64)> {
    let value: Vec<f64> = levels.present.iter().map(|&l| f64::from(l)).collect();
    let e = emphases(&matrix(levels), &value);
    vec![
        ("SmallDependenceEmphasis", e.short),
        ("LargeDependenceEmphasis", e.long),
        ("GrayLevelNonUniformity", e.level_nonuniformity),
        ("DependenceNonUniformity", e.length_nonuniformity),
        (
            "DependenceNonUniformityNormalized",
            e.length_nonuniformity / e.total,
        ),
        ("GrayLevelVariance", e.level_variance),
        ("DependenceVariance", e.length_variance),
        ("DependenceEntropy", e.entropy),
        ("LowGrayLevelEmphasis", e.low_level),
        ("HighGrayLevelEmphasis", e.high_level),
        ("SmallDependenceLowGrayLevelEmphasis", e.short_low),
        ("SmallDependenceHighGrayLevelEmphasis", e.short_high),
        ("LargeDependenceLowGrayLevelEmphasis", e.long_low),
        ("LargeDependenceHighGrayLevelEmphasis", e.long_high),
    ]
}
