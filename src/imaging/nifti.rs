//! NIfTI-1 and NIfTI-2 single files (`.nii`, `.nii.gz`), 3-D and 4-D: reading any byte order and
//! the usual sample types; writing NIfTI-1 is in `nifti_write.rs` (`i16` when the values are whole numbers that fit,
//! else `f32`; `u8` for masks).
//!
//! # References
//! NIfTI-1 header `nifti1.h` and NIfTI-2 header `nifti2.h` (nifti.nimh.nih.gov/nifti-1, /nifti-2);
//! the quaternion ↔ matrix conversions of `nifti1_io.c` (`quatern_to_mat44`, `mat44_to_quatern`).
//!
//! # Remarks
//! NIfTI stores RAS+ coordinates; radnomo works in LPS like ITK, so x and y are negated on the way
//! in and out. The sform is used when its code is set (as nibabel does), else the qform, else the
//! voxel sizes alone. Two-file pairs (`.hdr`/`.img`) are refused with a message.

// 3 × 3 matrix code reads best with row and column indices.
#![allow(clippy::needless_range_loop)]

use super::samples::{
    ImageError, SampleType, decode, decode_f64, promised_bytes, read_promised, voxel_count,
};
use super::volume::Geometry;
use ndarray::Array4;
use std::path::Path;

pub use super::nifti_write::{encode, write};

/// What a NIfTI file holds: phases × slices × rows × columns, and where.
pub struct NiftiImage {
    pub voxels: Array4<f32>,
    pub geometry: Geometry,
    /// The stored type; `F32` (`F64` for doubles) when the header's scaling applies, as ITK reads it.
    pub samples: SampleType,
    /// The voxels as doubles, when the file stores doubles.
    pub exact: Option<Array4<f64>>,
}

/// Reads a `.nii` or `.nii.gz`.
///
/// The header is read first; the file is then read (or inflated) only as far as the header
/// promises, and refused when it holds more.
pub fn read(path: &Path) -> Result<NiftiImage, ImageError> {
    let bytes = read_promised(path, 544, |head| {
        let header = parse_header(head)?;
        let (_, count, sample) = data_layout(&header)?;
        promised_bytes(header.vox_offset, count, sample)
    })?;
    parse(&bytes).map_err(|message| ImageError::new(path, message))
}

/// The grid (`[columns, rows, slices, phases]`), voxel count and sample type a header declares,
/// each checked before anything is allocated for them.
fn data_layout(header: &Header) -> Result<([usize; 4], usize, SampleType), String> {
    let dims = volume_dims(&header.dims)?;
    Ok((dims, voxel_count(&dims)?, sample_type(header.datatype)?))
}

/// Header fields radnomo uses, whatever the version.
struct Header {
    dims: [i64; 8],
    datatype: i16,
    pixdim: [f64; 8],
    vox_offset: usize,
    scl_slope: f64,
    scl_inter: f64,
    qform_code: i32,
    sform_code: i32,
    quatern: [f64; 3],
    qoffset: [f64; 3],
    srow: [[f64; 4]; 3],
    /// Byte order, from which way the header size reads 348 or 540.
    little: bool,
}

struct Reader<'a> {
    bytes: &'a [u8],
    little: bool,
}

impl Reader<'_> {
    fn take<const N: usize>(&self, at: usize) -> [u8; N] {
        self.bytes[at..at + N]
            .try_into()
            .expect("inside the header")
    }
    fn i16(&self, at: usize) -> i16 {
        let b = self.take(at);
        if self.little {
            i16::from_le_bytes(b)
        } else {
            i16::from_be_bytes(b)
        }
    }
    fn i32(&self, at: usize) -> i32 {
        let b = self.take(at);
        if self.little {
            i32::from_le_bytes(b)
        } else {
            i32::from_be_bytes(b)
        }
    }
    fn i64(&self, at: usize) -> i64 {
        let b = self.take(at);
        if self.little {
            i64::from_le_bytes(b)
        } else {
            i64::from_be_bytes(b)
        }
    }
    fn f32(&self, at: usize) -> f64 {
        let b = self.take(at);
        f64::from(if self.little {
            f32::from_le_bytes(b)
        } else {
            f32::from_be_bytes(b)
        })
    }
    fn f64(&self, at: usize) -> f64 {
        let b = self.take(at);
        if self.little {
            f64::from_le_bytes(b)
        } else {
            f64::from_be_bytes(b)
        }
    }
}

fn parse_header(bytes: &[u8]) -> Result<Header, String> {
    if bytes.len() < 348 {
        return Err(format!(
            "not a NIfTI file: {} bytes, shorter than a header",
            bytes.len()
        ));
    }
    let size_le = i32::from_le_bytes(bytes[0..4].try_into().expect("4 bytes"));
    let size_be = i32::from_be_bytes(bytes[0..4].try_into().expect("4 bytes"));
    let (version, little) = match (size_le, size_be) {
        (348, _) => (1, true),
        (_, 348) => (1, false),
        (540, _) => (2, true),
        (_, 540) => (2, false),
        _ => return Err("not a NIfTI file: the header size is neither 348 nor 540".to_string()),
    };
    let r = Reader { bytes, little };
    if version == 1 {
        match &bytes[344..348] {
            b"n+1\0" => {}
            b"ni1\0" => {
                return Err("a two-file NIfTI pair (.hdr/.img) is not supported; save it as one .nii or .nii.gz".to_string());
            }
            _ => return Err("not a NIfTI file: wrong magic (expected `n+1`)".to_string()),
        }
        let mut dims = [0i64; 8];
        let mut pixdim = [0f64; 8];
        for d in 0..8 {
            dims[d] = i64::from(r.i16(40 + 2 * d));
            pixdim[d] = r.f32(76 + 4 * d);
        }
        let mut srow = [[0f64; 4]; 3];
        for (row, values) in srow.iter_mut().enumerate() {
            for (c, value) in values.iter_mut().enumerate() {
                *value = r.f32(280 + 16 * row + 4 * c);
            }
        }
        Ok(Header {
            little,
            dims,
            datatype: r.i16(70),
            pixdim,
            vox_offset: r.f32(108).max(352.0) as usize,
            scl_slope: r.f32(112),
            scl_inter: r.f32(116),
            qform_code: i32::from(r.i16(252)),
            sform_code: i32::from(r.i16(254)),
            quatern: [r.f32(256), r.f32(260), r.f32(264)],
            qoffset: [r.f32(268), r.f32(272), r.f32(276)],
            srow,
        })
    } else {
        if bytes.len() < 540 {
            return Err("the NIfTI-2 header is cut short".to_string());
        }
        if &bytes[4..8] != b"n+2\0" {
            return Err("not a NIfTI file: wrong magic (expected `n+2`)".to_string());
        }
        let mut dims = [0i64; 8];
        let mut pixdim = [0f64; 8];
        for d in 0..8 {
            dims[d] = r.i64(16 + 8 * d);
            pixdim[d] = r.f64(104 + 8 * d);
        }
        let mut srow = [[0f64; 4]; 3];
        for (row, values) in srow.iter_mut().enumerate() {
            for (c, value) in values.iter_mut().enumerate() {
                *value = r.f64(400 + 32 * row + 8 * c);
            }
        }
        Ok(Header {
            little,
            dims,
            datatype: r.i16(12),
            pixdim,
            vox_offset: r.i64(168).max(544) as usize,
            scl_slope: r.f64(176),
            scl_inter: r.f64(184),
            qform_code: r.i32(344),
            sform_code: r.i32(348),
            quatern: [r.f64(352), r.f64(360), r.f64(368)],
            qoffset: [r.f64(376), r.f64(384), r.f64(392)],
            srow,
        })
    }
}

fn sample_type(datatype: i16) -> Result<SampleType, String> {
    Ok(match datatype {
        2 => SampleType::U8,
        4 => SampleType::I16,
        8 => SampleType::I32,
        16 => SampleType::F32,
        64 => SampleType::F64,
        256 => SampleType::I8,
        512 => SampleType::U16,
        768 => SampleType::U32,
        1024 => SampleType::I64,
        1280 => SampleType::U64,
        other => {
            return Err(format!(
                "unsupported NIfTI data type {other} (complex or RGB?)"
            ));
        }
    })
}

/// `[columns, rows, slices, phases]` from `dim`, refusing what is not a 3-D or 4-D volume.
fn volume_dims(dims: &[i64; 8]) -> Result<[usize; 4], String> {
    let rank = dims[0];
    if !(1..=7).contains(&rank) {
        return Err(format!(
            "dim[0] is {rank}, not a number of dimensions from 1 to 7"
        ));
    }
    let rank = rank as usize;
    if dims[1..=rank].iter().any(|&d| d < 1) {
        return Err(format!(
            "a dimension is not positive: {:?}",
            &dims[1..=rank]
        ));
    }
    if rank < 2 {
        return Err(format!(
            "a {rank}-D image where a 2-D slice or a 3-D volume was expected"
        ));
    }
    if rank == 2 {
        return Ok([dims[1] as usize, dims[2] as usize, 1, 1]);
    }
    if rank > 4 && dims[5..=rank].iter().any(|&d| d > 1) {
        return Err(format!(
            "a {rank}-D image with more than one volume per time point (dims {:?})",
            &dims[1..=rank]
        ));
    }
    let phases = if rank >= 4 { dims[4] as usize } else { 1 };
    Ok([dims[1] as usize, dims[2] as usize, dims[3] as usize, phases])
}

/// The grid in LPS from the header's sform, qform or voxel sizes. A voxel size that is zero,
/// negative or not a number is refused, naming the field: it is never replaced by 1 mm.
fn geometry(h: &Header, planar: bool) -> Result<Geometry, String> {
    // A 2-D image's third axis is not measured: the plane's normal, 1 mm to complete the grid.
    let axes = if planar { 2 } else { 3 };
    let unknown = |field: String, value: f64| {
        format!(
            "{field} is {value}: the voxel spacing is unknown (it must be a positive number of mm)"
        )
    };
    let method = if h.sform_code > 0 {
        "the sform (srow_x, srow_y, srow_z)"
    } else {
        for axis in 1..=axes {
            let size = h.pixdim[axis];
            if !(size.is_finite() && size > 0.0) {
                return Err(unknown(format!("pixdim[{axis}]"), size));
            }
        }
        if h.qform_code == 0 {
            "pixdim"
        } else if h.quatern.iter().chain(&h.qoffset).any(|v| !v.is_finite()) {
            return Err("the qform's quaternion or offset is not a number".to_string());
        } else {
            "the qform"
        }
    };
    // Rows of the RAS affine's 3×3 part, and its translation.
    let (mut matrix, mut offset) = if h.sform_code > 0 {
        if h.srow.iter().flatten().any(|v| !v.is_finite()) {
            return Err(
                "the sform (srow_x, srow_y, srow_z) holds a value that is not a number".to_string(),
            );
        }
        let mut m = [[0.0; 3]; 3];
        for r in 0..3 {
            m[r].copy_from_slice(&h.srow[r][..3]);
        }
        (m, [h.srow[0][3], h.srow[1][3], h.srow[2][3]])
    } else if h.qform_code > 0 {
        let [b, c, d] = h.quatern;
        let a = (1.0 - (b * b + c * c + d * d)).max(0.0).sqrt();
        let rotation = [
            [
                a * a + b * b - c * c - d * d,
                2.0 * (b * c - a * d),
                2.0 * (b * d + a * c),
            ],
            [
                2.0 * (b * c + a * d),
                a * a + c * c - b * b - d * d,
                2.0 * (c * d - a * b),
            ],
            [
                2.0 * (b * d - a * c),
                2.0 * (c * d + a * b),
                a * a + d * d - b * b - c * c,
            ],
        ];
        let qfac = if h.pixdim[0] < 0.0 { -1.0 } else { 1.0 };
        let scale = [h.pixdim[1], h.pixdim[2], h.pixdim[3] * qfac];
        let mut m = [[0.0; 3]; 3];
        for r in 0..3 {
            for c in 0..3 {
                m[r][c] = rotation[r][c] * scale[c];
            }
        }
        (m, h.qoffset)
    } else {
        let mut m = [[0.0; 3]; 3];
        for (axis, row) in m.iter_mut().enumerate() {
            row[axis] = h.pixdim[axis + 1];
        }
        (m, [0.0; 3])
    };
    for r in 0..2 {
        for value in &mut matrix[r] {
            *value = -*value;
        }
        offset[r] = -offset[r];
    }
    let mut spacing = [0.0; 3];
    let mut direction = [[0.0; 3]; 3];
    if planar {
        let (a, b) = (
            [matrix[0][0], matrix[1][0], matrix[2][0]],
            [matrix[0][1], matrix[1][1], matrix[2][1]],
        );
        // Parallel in-plane axes leave the slice axis at 0, refused below.
        let normal = super::volume::plane_normal(a, b).unwrap_or([0.0; 3]);
        for r in 0..3 {
            matrix[r][2] = normal[r];
        }
    }
    for c in 0..3 {
        let norm = (0..3)
            .map(|r| matrix[r][c] * matrix[r][c])
            .sum::<f64>()
            .sqrt();
        if !(norm.is_finite() && norm > 0.0) {
            return Err(unknown(
                format!("the voxel size along axis {} from {method}", c + 1),
                norm,
            ));
        }
        spacing[c] = norm;
        for r in 0..3 {
            direction[r][c] = matrix[r][c] / norm;
        }
    }
    Ok(Geometry {
        spacing,
        origin: offset,
        direction,
        planar,
    })
}

/// Parses a whole (un-gzipped) NIfTI file.
pub fn parse(bytes: &[u8]) -> Result<NiftiImage, String> {
    let header = parse_header(bytes)?;
    let ([columns, rows, slices, phases], count, sample) = data_layout(&header)?;
    let start = header.vox_offset;
    if bytes.len() < start {
        return Err(format!(
            "the file ends before its voxel data (offset {start})"
        ));
    }
    if sample == SampleType::F64 {
        let mut values = decode_f64(&bytes[start..], sample, header.little, count)?;
        if header.scl_slope != 0.0 && header.scl_slope.is_finite() {
            let (slope, intercept) = (header.scl_slope, header.scl_inter);
            if slope != 1.0 || intercept != 0.0 {
                values.iter_mut().for_each(|v| *v = *v * slope + intercept);
            }
        }
        let exact = Array4::from_shape_vec((phases, slices, rows, columns), values)
            .expect("length checked by decode");
        return Ok(NiftiImage {
            voxels: exact.mapv(|v| v as f32),
            samples: sample,
            geometry: geometry(&header, header.dims[0] == 2)?,
            exact: Some(exact),
        });
    }
    let mut values = decode(&bytes[start..], sample, header.little, count)?;
    let mut samples = sample;
    if header.scl_slope != 0.0 && header.scl_slope.is_finite() {
        let (slope, intercept) = (header.scl_slope as f32, header.scl_inter as f32);
        if slope != 1.0 || intercept != 0.0 {
            if sample != SampleType::F64 {
                samples = SampleType::F32;
            }
            for v in &mut values {
                *v = *v * slope + intercept;
            }
        }
    }
    let voxels = Array4::from_shape_vec((phases, slices, rows, columns), values)
        .expect("length checked by decode");
    Ok(NiftiImage {
        voxels,
        samples,
        exact: None,
        geometry: geometry(&header, header.dims[0] == 2)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array4;

    fn sample_volume(phases: usize) -> (Array4<f32>, Geometry) {
        let voxels = Array4::from_shape_fn((phases, 3, 4, 5), |(p, k, j, i)| {
            (p * 1000 + k * 100 + j * 10 + i) as f32 - 50.0
        });
        let geometry = Geometry::new([0.586, 0.586, 1.5], [-12.5, 30.25, 7.0]);
        (voxels, geometry)
    }

    #[test]
    fn three_and_four_d_round_trip_values_and_geometry() {
        for phases in [1, 9] {
            let (voxels, geometry) = sample_volume(phases);
            let image = parse(&encode(voxels.view(), &geometry, false)).unwrap();
            assert_eq!(image.voxels, voxels);
            assert!(
                image.geometry.agrees_with(&geometry).is_ok(),
                "{:?}",
                image.geometry
            );
        }
        let (mut voxels, geometry) = sample_volume(1);
        voxels[[0, 0, 0, 0]] = 0.25;
        let image = parse(&encode(voxels.view(), &geometry, false)).unwrap();
        assert_eq!(
            image.voxels[[0, 0, 0, 0]],
            0.25,
            "stored as f32 when not whole"
        );
    }

    #[test]
    fn oblique_and_flipped_directions_survive_the_quaternion() {
        let (voxels, mut geometry) = sample_volume(1);
        let (s, c) = (0.3f64.sin(), 0.3f64.cos());
        geometry.direction = [[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, -1.0]];
        let mut bytes = encode(voxels.view(), &geometry, false);
        bytes[254] = 0; // sform off: the qform alone must carry the grid
        let image = parse(&bytes).unwrap();
        assert!(
            image.geometry.agrees_with(&geometry).is_ok(),
            "{:?}",
            image.geometry
        );
    }

    #[test]
    fn bad_headers_say_what_is_wrong() {
        let (voxels, geometry) = sample_volume(1);
        let good = encode(voxels.view(), &geometry, false);
        let mut magic = good.clone();
        magic[344..348].copy_from_slice(b"abcd");
        assert!(parse(&magic).err().unwrap().contains("wrong magic"));
        let mut line = good.clone();
        line[40..42].copy_from_slice(&1i16.to_le_bytes());
        assert!(
            parse(&line)
                .err()
                .unwrap()
                .contains("1-D image where a 2-D slice or a 3-D volume")
        );
        let short = &good[..good.len() - 10];
        assert!(parse(short).err().unwrap().contains("cut short"));
        assert!(parse(b"hello").err().unwrap().contains("not a NIfTI file"));
    }
}
