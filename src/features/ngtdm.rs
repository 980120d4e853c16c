//! Neighbouring grey-tone difference matrix (NGTDM) features.
//!
//! # Formula
//! For each voxel at grey level g with at least one neighbour (26-neighbourhood, 8 on a one-slice
//! region) in the mask: |g − mean of those neighbours' levels|; s_i sums it over the voxels at
//! level g_i (a voxel without neighbours adds 0), n_i counts them, N_vp = Σ n_i, p_i = n_i/N_vp,
//! N_gp = levels present. Coarseness 1/Σ p_i s_i (10⁶ when the sum is 0); Contrast
//! [Σ_ij p_i p_j (g_i − g_j)² / (N_gp(N_gp − 1))] Σ s_i / N_vp; Busyness Σ p_i s_i / Σ_ij
//! |g_i p_i − g_j p_j|; Complexity Σ_ij |g_i − g_j| (p_i s_i + p_j s_j)/(p_i + p_j) / N_vp;
//! Strength Σ_ij (p_i + p_j)(g_i − g_j)² / Σ s_i — each 0 when its divisor is 0.
//!
//! # References
//! Amadasun & King, IEEE SMC 19:1264-1274 (1989); IBSI 1 §3.10 (QCDE, 65HE, NQ30, HDEZ, 1X9X);
//! PyRadiomics 3.0.1 `ngtdm.py`.

use super::Discretised;
use super::neighbours::{neighbours_within, step};

pub fn features(levels: &Discretised) -> Vec<(&'static str, f64)> {
    let index = levels.index_of_level();
    let shape = levels.levels.shape().to_vec();
    let neighbours: Vec<[isize; 3]> = neighbours_within(&shape).collect();
    let g = levels.present.len();
    let mut n = vec![0.0; g];
    let mut s = vec![0.0; g];
    for ((k, j, i), &level) in levels.levels.indexed_iter() {
        if level == 0 {
            continue;
        }
        let (mut count, mut sum) = (0.0, 0.0);
        for &offset in &neighbours {
            if let Some(next) = step([k, j, i], offset, &shape) {
                let other = levels.levels[next];
                if other != 0 {
                    count += 1.0;
                    sum += f64::from(other);
                }
            }
        }
        let difference = if count == 0.0 {
            0.0
        } else {
            (f64::from(level) - sum / count).abs()
        };
        n[index[level as usize]] += 1.0;
        s[index[level as usize]] += difference;
    }
    let value: Vec<f64> = levels.present.iter().map(|&l| f64::from(l)).collect();
    let total: f64 = n.iter().sum();
    let p: Vec<f64> = n.iter().map(|c| c / total).collect();
    let present = p.iter().filter(|&&v| v > 0.0).count() as f64;
    let pairs = || (0..g).flat_map(|i| (0..g).map(move |j| (i, j)));
    let ps: f64 = p.iter().zip(&s).map(|(p, s)| p * s).sum();
    let s_total: f64 = s.iter().sum();
    let coarseness = if ps == 0.0 { 1e6 } else { 1.0 / ps };
    let contrast = if present * (present - 1.0) == 0.0 {
        0.0
    } else {
        pairs()
            .map(|(i, j)| p[i] * p[j] * (value[i] - value[j]).powi(2))
            .sum::<f64>()
            * s_total
            / total
            / (present * (present - 1.0))
    };
    let spread: f64 = pairs()
        .map(|(i, j)| (value[i] * p[i] - value[j] * p[j]).abs())
        .sum();
    let busyness = if spread == 0.0 { 0.0 } else { ps / spread };
    let complexity = pairs()
        .filter(|&(i, j)| p[i] + p[j] > 0.0)
        .map(|(i, j)| (value[i] - value[j]).abs() * (p[i] * s[i] + p[j] * s[j]) / (p[i] + p[j]))
        .sum::<f64>()
        / total;
    let strength = if s_total == 0.0 {
        0.0
    } else {
        pairs()
            .map(|(i, j)| (p[i] + p[j]) * (value[i] - value[j]).powi(2))
            .sum::<f64>()
            / s_total
    };
    vec![
        ("Coarseness", coarseness),
        ("Contrast", contrast),
        ("Busyness", busyness),
        ("Complexity", complexity),
        ("Strength", strength),
    ]
}
