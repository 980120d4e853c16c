//! 3-D shape of a region: its marching-cubes surface (see `mesh.rs`) and the principal axes of
//! its voxel centres.
//!
//! # Formula
//! With V the mesh volume and A the mesh surface area: MeshVolume V, SurfaceArea A,
//! SurfaceVolumeRatio A/V, Sphericity (36πV²)^⅓ / A; Maximum3DDiameter and
//! Maximum2DDiameterSlice/Column/Row the largest vertex distances overall and within planes of
//! equal z, y, x. VoxelVolume N·ΔxΔyΔz; with λ₁ ≤ λ₂ ≤ λ₃ the eigenvalues of the 1/N covariance
//! of the voxel centres (mm): MajorAxisLength 4√λ₃, MinorAxisLength 4√λ₂, LeastAxisLength 4√λ₁,
//! Elongation √(λ₂/λ₃), Flatness √(λ₁/λ₃).
//!
//! # References
//! PyRadiomics 3.0.1 `shape.py`; IBSI 1 §3.1 (RNU0, YNOF, C0JK, 2PR5, QCFX, L0JK, TDIC, P9VJ,
//! 7J51, Q3CK, N17B).
//!
//! # Remarks
//! Under the IBSI convention the covariance divides by N − 1, as IBSI's reference values do.
//! PyRadiomics's deprecated Compactness1, Compactness2 and SphericalDisproportion are not
//! computed (they are functions of Sphericity). The slice, column and row diameters are
//! PyRadiomics's: planes of equal z (axial), y (coronal) and x (sagittal).

use super::mesh;
use super::{Convention, Region};
use crate::stats::linalg::symmetric_eigenvalues;

pub fn features(region: &Region, convention: Convention) -> Vec<(&'static str, f64)> {
    let [dx, dy, dz] = region.spacing;
    let centres: Vec<[f64; 3]> = region
        .mask
        .indexed_iter()
        .filter(|(_, on)| **on)
        .map(|((k, j, i), _)| [k as f64 * dz, j as f64 * dy, i as f64 * dx])
        .collect();
    let n = centres.len() as f64;
    // PyRadiomics's covariance divides by N, IBSI's reference values by N − 1.
    let divisor = match convention {
        Convention::PyRadiomics => n,
        Convention::Ibsi => n - 1.0,
    };
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
                covariance[a][b] += (c[a] - mean[a]) * (c[b] - mean[b]) / divisor;
            }
        }
    }
    let clean = |v: f64| if v < 0.0 && v > -1e-10 { 0.0 } else { v };
    let l: Vec<f64> = symmetric_eigenvalues(covariance)
        .into_iter()
        .map(clean)
        .collect();
    let axis = |v: f64| if v < 0.0 { f64::NAN } else { 4.0 * v.sqrt() };
    let mesh = mesh::measure(&region.mask, region.spacing);
    let (area, volume) = (mesh.surface_area, mesh.volume);
    vec![
        ("MeshVolume", volume),
        ("VoxelVolume", n * dx * dy * dz),
        ("SurfaceArea", area),
        ("SurfaceVolumeRatio", area / volume),
        (
            "Sphericity",
            (36.0 * std::f64::consts::PI * volume * volume).cbrt() / area,
        ),
        ("Maximum3DDiameter", mesh.maximum_3d_diameter),
        ("Maximum2DDiameterSlice", mesh.maximum_2d_diameter_slice),
        ("Maximum2DDiameterColumn", mesh.maximum_2d_diameter_column),
        ("Maximum2DDiameterRow", mesh.maximum_2d_diameter_row),
        ("MajorAxisLength", axis(l[2])),
        ("MinorAxisLength", axis(l[1])),
        ("LeastAxisLength", axis(l[0])),
        ("Elongation", (l[1] / l[2]).sqrt()),
        ("Flatness", (l[0] / l[2]).sqrt()),
    ]
}
