//! 3-D shape of a region from its voxels: volume and the principal axes of the voxel centres.
//!
//! # Formula
//! VoxelVolume N·ΔxΔyΔz; with λ₁ ≤ λ₂ ≤ λ₃ the eigenvalues of the 1/N covariance of the voxel
//! centres (mm): MajorAxisLength 4√λ₃, MinorAxisLength 4√λ₂, LeastAxisLength 4√λ₁,
//! Elongation √(λ₂/λ₃), Flatness √(λ₁/λ₃).
//!
//! # References
//! PyRadiomics 3.0.1 `shape.py`; IBSI 1 §3.1 (YNOF, TDIC, P9VJ, 7J51, Q3CK, N17B).
//!
//! # Remarks
//! The mesh-based 3-D features (MeshVolume, SurfaceArea, Sphericity, SurfaceVolumeRatio and the
//! maximum diameters) need a marching-cubes triangulation matching PyRadiomics's; they are not
//! computed yet.

use super::Region;
use crate::stats::linalg::symmetric_eigenvalues;

pub fn features(region: &Region) -> Vec<(&'static str, f64)> {
    let [dx, dy, dz] = region.spacing;
    let centres: Vec<[f64; 3]> = region
        .mask
        .indexed_iter()
        .filter(|(_, on)| **on)
        .map(|((k, j, i), _)| [k as f64 * dz, j as f64 * dy, i as f64 * dx])
        .collect();
    let n = centres.len() as f64;
    let mut mean = [0.0; 3];
    for c in &centres {
        for a in 0..3 {
            mean[a] += c[a] / n;
        }
    }
    let mut covariance = vec![vec![0.0; 3]; 3];
    for c in &centres {
        for a in 0..3 {
            for b in 0..3 {
                covariance[a][b] += (c[a] - mean[a]) * (c[b] - mean[b]) / n;
            }
        }
    }
    let clean = |v: f64| if v < 0.0 && v > -1e-10 { 0.0 } else { v };
    let l: Vec<f64> = symmetric_eigenvalues(covariance)
        .into_iter()
        .map(clean)
        .collect();
    let axis = |v: f64| if v < 0.0 { f64::NAN } else { 4.0 * v.sqrt() };
    vec![
        ("VoxelVolume", n * dx * dy * dz),
        ("MajorAxisLength", axis(l[2])),
        ("MinorAxisLength", axis(l[1])),
        ("LeastAxisLength", axis(l[0])),
        ("Elongation", (l[1] / l[2]).sqrt()),
        ("Flatness", (l[0] / l[2]).sqrt()),
    ]
}
