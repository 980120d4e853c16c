//! Writing NIfTI-1 files (`.nii`, `.nii.gz`): `i16` when the values are whole numbers that fit,
//! else `f32`; `u8` for masks; the grid as sform and qform, LPS turned back into RAS.
//!
//! # References
//! NIfTI-1 header `nifti1.h` (nifti.nimh.nih.gov/nifti-1); the matrix → quaternion conversion of
//! `nifti1_io.c` (`mat44_to_quatern`).

// 3 × 3 matrix code reads best with row and column indices.
#![allow(clippy::needless_range_loop)]

use super::samples::{ImageError, SampleType, encode_le, fits_i16, gzip, io_message};
use super::volume::Geometry;
use std::path::Path;

/// Writes `voxels` (phases × slices × rows × columns; a 3-D file when there is one phase) as
/// NIfTI-1, gzipped when the name ends in `.gz`. `mask` stores `u8`.
pub fn write(
    path: &Path,
    voxels: ndarray::ArrayView4<'_, f32>,
    geometry: &Geometry,
    mask: bool,
) -> Result<(), ImageError> {
    let bytes = encode(voxels, geometry, mask);
    let bytes = if path.extension().is_some_and(|e| e == "gz") {
        gzip(&bytes)
    } else {
        bytes
    };
    std::fs::write(path, bytes).map_err(|e| ImageError::new(path, io_message(&e)))
}

/// The bytes of a NIfTI-1 file.
pub fn encode(voxels: ndarray::ArrayView4<'_, f32>, geometry: &Geometry, mask: bool) -> Vec<u8> {
    let shape = voxels.shape();
    let (phases, slices, rows, columns) = (shape[0], shape[1], shape[2], shape[3]);
    let values: Vec<f32> = voxels.as_standard_layout().iter().copied().collect();
    let (sample, datatype, bitpix) = if mask {
        (SampleType::U8, 2i16, 8i16)
    } else if fits_i16(&values) {
        (SampleType::I16, 4, 16)
    } else {
        (SampleType::F32, 16, 32)
    };
    let mut h = vec![0u8; 352];
    let put = |h: &mut Vec<u8>, at: usize, b: &[u8]| h[at..at + b.len()].copy_from_slice(b);
    put(&mut h, 0, &348i32.to_le_bytes());
    let rank: i16 = if phases > 1 { 4 } else { 3 };
    let dims = [
        rank,
        columns as i16,
        rows as i16,
        slices as i16,
        phases as i16,
        1,
        1,
        1,
    ];
    for (d, value) in dims.iter().enumerate() {
        put(&mut h, 40 + 2 * d, &value.to_le_bytes());
    }
    put(&mut h, 70, &datatype.to_le_bytes());
    put(&mut h, 72, &bitpix.to_le_bytes());
    // RAS affine: LPS negated in x and y.
    let mut ras = [[0.0f64; 3]; 3];
    for r in 0..3 {
        for c in 0..3 {
            let sign = if r < 2 { -1.0 } else { 1.0 };
            ras[r][c] = sign * geometry.direction[r][c];
        }
    }
    let origin = [-geometry.origin[0], -geometry.origin[1], geometry.origin[2]];
    let (quatern, qfac) = rotation_to_quaternion(ras);
    let pixdim = [
        qfac,
        geometry.spacing[0],
        geometry.spacing[1],
        geometry.spacing[2],
        1.0,
        1.0,
        1.0,
        1.0,
    ];
    for (d, value) in pixdim.iter().enumerate() {
        put(&mut h, 76 + 4 * d, &(*value as f32).to_le_bytes());
    }
    put(&mut h, 108, &352f32.to_le_bytes());
    put(&mut h, 112, &1f32.to_le_bytes());
    h[123] = 2 | 8; // mm, seconds
    put(&mut h, 148, b"radnomo");
    put(&mut h, 252, &1i16.to_le_bytes());
    put(&mut h, 254, &1i16.to_le_bytes());
    for (q, value) in quatern.iter().chain(origin.iter()).enumerate() {
        put(&mut h, 256 + 4 * q, &(*value as f32).to_le_bytes());
    }
    for r in 0..3 {
        for c in 0..3 {
            let value = ras[r][c] * geometry.spacing[c];
            put(&mut h, 280 + 16 * r + 4 * c, &(value as f32).to_le_bytes());
        }
        put(&mut h, 280 + 16 * r + 12, &(origin[r] as f32).to_le_bytes());
    }
    put(&mut h, 344, b"n+1\0");
    h.extend(encode_le(&values, sample));
    h
}

/// The quaternion (b, c, d) and qfac of a direction matrix, as `mat44_to_quatern` in
/// `nifti1_io.c`: a reflection is moved into qfac = −1 on the third column.
fn rotation_to_quaternion(mut m: [[f64; 3]; 3]) -> ([f64; 3], f64) {
    let det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
        - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
        + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    let qfac = if det < 0.0 {
        for row in &mut m {
            row[2] = -row[2];
        }
        -1.0
    } else {
        1.0
    };
    let trace = m[0][0] + m[1][1] + m[2][2];
    let (a, b, c, d);
    if trace > 0.5 {
        a = 0.5 * (1.0 + trace).sqrt();
        b = 0.25 * (m[2][1] - m[1][2]) / a;
        c = 0.25 * (m[0][2] - m[2][0]) / a;
        d = 0.25 * (m[1][0] - m[0][1]) / a;
    } else {
        let xd = 1.0 + m[0][0] - m[1][1] - m[2][2];
        let yd = 1.0 + m[1][1] - m[0][0] - m[2][2];
        let zd = 1.0 + m[2][2] - m[0][0] - m[1][1];
        if xd > 1.0 {
            b = 0.5 * xd.sqrt();
            c = 0.25 * (m[0][1] + m[1][0]) / b;
            d = 0.25 * (m[0][2] + m[2][0]) / b;
            a = 0.25 * (m[2][1] - m[1][2]) / b;
        } else if yd > 1.0 {
            c = 0.5 * yd.sqrt();
            b = 0.25 * (m[0][1] + m[1][0]) / c;
            d = 0.25 * (m[1][2] + m[2][1]) / c;
            a = 0.25 * (m[0][2] - m[2][0]) / c;
        } else {
            d = 0.5 * zd.sqrt();
            b = 0.25 * (m[0][2] + m[2][0]) / d;
            c = 0.25 * (m[1][2] + m[2][1]) / d;
            a = 0.25 * (m[1][0] - m[0][1]) / d;
        }
    }
    let sign = if a < 0.0 { -1.0 } else { 1.0 };
    ([sign * b, sign * c, sign * d], qfac)
}
