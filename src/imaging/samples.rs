//! Voxel sample types shared by the file formats: decoding raw bytes of any of the usual integer
//! and float types into `f32`, and encoding `f32` back as `i16` or `f32`, with the byte order the
//! header states. Also small helpers every reader needs (gzip detection, a read error type).

use flate2::read::GzDecoder;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

/// A problem with one image file: which file and what is wrong with it.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageError {
    pub path: PathBuf,
    pub message: String,
}

impl ImageError {
    pub fn new(path: &Path, message: impl Into<String>) -> ImageError {
        ImageError {
            path: path.to_path_buf(),
            message: message.into(),
        }
    }
}

impl fmt::Display for ImageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

/// A stored sample type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SampleType {
    U8,
    I8,
    U16,
    I16,
    U32,
    I32,
    U64,
    I64,
    F32,
    F64,
}

impl SampleType {
    pub fn bytes(self) -> usize {
        match self {
            SampleType::U8 | SampleType::I8 => 1,
            SampleType::U16 | SampleType::I16 => 2,
            SampleType::U32 | SampleType::I32 | SampleType::F32 => 4,
            SampleType::U64 | SampleType::I64 | SampleType::F64 => 8,
        }
    }
}

/// Decodes `count` samples from `bytes` into `f32`. 64-bit integers beyond 2^24 and `f64`
/// lose precision as `f32` does; MR intensities never come near.
pub fn decode(
    bytes: &[u8],
    sample: SampleType,
    little_endian: bool,
    count: usize,
) -> Result<Vec<f32>, String> {
    let width = sample.bytes();
    let needed = count * width;
    if bytes.len() < needed {
        return Err(format!(
            "the voxel data is cut short: {} bytes for {count} voxels of {width} bytes ({} expected)",
            bytes.len(),
            needed
        ));
    }
    let chunks = bytes[..needed].chunks_exact(width);
    macro_rules! read {
        ($t:ty) => {
            chunks
                .map(|c| {
                    let array = c.try_into().expect("chunk of the sample width");
                    (if little_endian {
                        <$t>::from_le_bytes(array)
                    } else {
                        <$t>::from_be_bytes(array)
                    }) as f32
                })
                .collect()
        };
    }
    Ok(match sample {
        SampleType::U8 => bytes[..count].iter().map(|&b| f32::from(b)).collect(),
        SampleType::I8 => bytes[..count].iter().map(|&b| f32::from(b as i8)).collect(),
        SampleType::U16 => read!(u16),
        SampleType::I16 => read!(i16),
        SampleType::U32 => read!(u32),
        SampleType::I32 => read!(i32),
        SampleType::U64 => read!(u64),
        SampleType::I64 => read!(i64),
        SampleType::F32 => read!(f32),
        SampleType::F64 => read!(f64),
    })
}

/// Whether every value is a whole number that fits `i16` — then files store it as `i16`.
pub fn fits_i16(values: &[f32]) -> bool {
    values
        .iter()
        .all(|&v| v.fract() == 0.0 && (f32::from(i16::MIN)..=f32::from(i16::MAX)).contains(&v))
}

/// Little-endian bytes of `values` as `sample` (`I16`, `U8` or `F32`), which the caller has
/// checked the values fit.
pub fn encode_le(values: &[f32], sample: SampleType) -> Vec<u8> {
    match sample {
        SampleType::I16 => values
            .iter()
            .flat_map(|&v| (v as i16).to_le_bytes())
            .collect(),
        SampleType::U8 => values.iter().map(|&v| v as u8).collect(),
        _ => values.iter().flat_map(|&v| v.to_le_bytes()).collect(),
    }
}

/// The file's bytes, gunzipped when they start with the gzip magic.
pub fn read_maybe_gzipped(path: &Path) -> Result<Vec<u8>, ImageError> {
    let raw = std::fs::read(path).map_err(|e| ImageError::new(path, io_message(&e)))?;
    if raw.starts_with(&[0x1f, 0x8b]) {
        gunzip(&raw).map_err(|message| ImageError::new(path, message))
    } else {
        Ok(raw)
    }
}

pub fn gunzip(raw: &[u8]) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    GzDecoder::new(raw)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("the gzip stream is damaged or cut short ({e})"))?;
    Ok(bytes)
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    use flate2::Compression;
    use flate2::write::GzEncoder;
    use std::io::Write;
    let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
    // Writing into a Vec cannot fail.
    encoder.write_all(bytes).expect("gzip into memory");
    encoder.finish().expect("gzip into memory")
}

/// An I/O error in words, without Rust's "(os error 2)".
pub fn io_message(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_every_type_in_both_byte_orders() {
        let le = [0x01, 0x80];
        assert_eq!(
            decode(&le, SampleType::I16, true, 1).unwrap(),
            vec![-32767.0]
        );
        assert_eq!(decode(&le, SampleType::U16, false, 1).unwrap(), vec![384.0]);
        assert_eq!(decode(&[255], SampleType::I8, true, 1).unwrap(), vec![-1.0]);
        let f = 1.5f64.to_be_bytes();
        assert_eq!(decode(&f, SampleType::F64, false, 1).unwrap(), vec![1.5]);
        let error = decode(&le, SampleType::F32, true, 1).unwrap_err();
        assert!(error.contains("cut short"), "{error}");
    }

    #[test]
    fn i16_round_trip_and_fit() {
        let values = [0.0, -3.0, 32767.0];
        assert!(fits_i16(&values));
        assert!(!fits_i16(&[0.5]));
        assert!(!fits_i16(&[40000.0]));
        let bytes = encode_le(&values, SampleType::I16);
        assert_eq!(decode(&bytes, SampleType::I16, true, 3).unwrap(), values);
        assert_eq!(gunzip(&gzip(&bytes)).unwrap(), bytes);
    }
}
