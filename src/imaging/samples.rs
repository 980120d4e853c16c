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
/// lose precision as `f32` does; [`decode_f64`] keeps doubles whole.
pub fn decode(
    bytes: &[u8],
    sample: SampleType,
    little_endian: bool,
    count: usize,
) -> Result<Vec<f32>, String> {
    decode_map(bytes, sample, little_endian, count, |v| v as f32)
}

/// Decodes `count` samples from `bytes` into `f64`: exact for every type but 64-bit integers
/// beyond 2^53.
pub fn decode_f64(
    bytes: &[u8],
    sample: SampleType,
    little_endian: bool,
    count: usize,
) -> Result<Vec<f64>, String> {
    decode_map(bytes, sample, little_endian, count, |v| v)
}

/// Decodes each sample to `f64` (exact for every type up to 32 bits and for doubles) and maps it.
fn decode_map<T>(
    bytes: &[u8],
    sample: SampleType,
    little_endian: bool,
    count: usize,
    map: impl Fn(f64) -> T,
) -> Result<Vec<T>, String> {
    let width = sample.bytes();
    let needed = count
        .checked_mul(width)
        .ok_or_else(|| format!("{count} voxels of {width} bytes overflow"))?;
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
                    map((if little_endian {
                        <$t>::from_le_bytes(array)
                    } else {
                        <$t>::from_be_bytes(array)
                    }) as f64)
                })
                .collect()
        };
    }
    Ok(match sample {
        SampleType::U8 => bytes[..count].iter().map(|&b| map(f64::from(b))).collect(),
        SampleType::I8 => bytes[..count]
            .iter()
            .map(|&b| map(f64::from(b as i8)))
            .collect(),
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

/// The most voxels one image file may hold: 2³⁰ (4 GiB as `f32`), far above any MR series.
pub const MAX_VOXELS: usize = 1 << 30;

/// The number of voxels of a grid of these sizes, refused when it overflows or passes
/// [`MAX_VOXELS`] — before anything is allocated for it.
pub fn voxel_count(sizes: &[usize]) -> Result<usize, String> {
    let count = sizes
        .iter()
        .try_fold(1usize, |n, &s| n.checked_mul(s))
        .filter(|&n| n <= MAX_VOXELS);
    count.ok_or_else(|| {
        let sizes: Vec<String> = sizes.iter().map(|s| s.to_string()).collect();
        format!(
            "the header's sizes {} make more than {MAX_VOXELS} voxels; radnomo reads no image that large",
            sizes.join(" × ")
        )
    })
}

/// The bytes `count` samples of `sample` take after `offset`, or why that is not a size.
pub fn promised_bytes(offset: usize, count: usize, sample: SampleType) -> Result<usize, String> {
    count
        .checked_mul(sample.bytes())
        .and_then(|data| data.checked_add(offset))
        .ok_or_else(|| format!("the voxel data's size overflows (offset {offset}, {count} voxels)"))
}

/// Reads a file, gunzipped when it starts with the gzip magic, in two steps: its first `head`
/// bytes (fewer in a shorter file), from which `promised` works out how many bytes the whole file
/// holds; then those bytes and no more. A file that holds more is refused, so a small gzip stream
/// that inflates to gigabytes never does, and nothing is allocated that the file does not hold.
pub fn read_promised(
    path: &Path,
    head: usize,
    promised: impl FnOnce(&[u8]) -> Result<usize, String>,
) -> Result<Vec<u8>, ImageError> {
    let fail = |message: String| ImageError::new(path, message);
    let mut file = std::fs::File::open(path).map_err(|e| fail(io_message(&e)))?;
    let mut magic = [0u8; 2];
    let gzipped =
        file.read(&mut magic).map_err(|e| fail(io_message(&e)))? == 2 && magic == [0x1f, 0x8b];
    use std::io::Seek;
    file.rewind().map_err(|e| fail(io_message(&e)))?;
    let reader: Box<dyn Read> = if gzipped {
        Box::new(GzDecoder::new(std::io::BufReader::new(file)))
    } else {
        Box::new(std::io::BufReader::new(file))
    };
    let what = if gzipped {
        "the gzip stream"
    } else {
        "the file"
    };
    read_stream_promised(reader, head, promised, what).map_err(fail)
}

/// [`read_promised`] on a stream.
fn read_stream_promised(
    mut reader: impl Read,
    head: usize,
    promised: impl FnOnce(&[u8]) -> Result<usize, String>,
    what: &str,
) -> Result<Vec<u8>, String> {
    let damaged = |e: std::io::Error| format!("{what} is damaged or cut short ({e})");
    let mut bytes = Vec::new();
    (&mut reader)
        .take(head as u64)
        .read_to_end(&mut bytes)
        .map_err(damaged)?;
    let total = promised(&bytes)?;
    if total > bytes.len() {
        (&mut reader)
            .take((total - bytes.len()) as u64)
            .read_to_end(&mut bytes)
            .map_err(damaged)?;
    }
    if bytes.len() >= total {
        let mut more = [0u8; 1];
        if reader.read(&mut more).map_err(damaged)? > 0 {
            return Err(format!(
                "the file holds more than the {total} bytes its header promises; are its sizes or \
                 sample type right?"
            ));
        }
    }
    Ok(bytes)
}

/// Inflates a whole gzip stream (for data whose size the caller bounds otherwise).
pub fn gunzip(raw: &[u8]) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    GzDecoder::new(raw)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("the gzip stream is damaged or cut short ({e})"))?;
    Ok(bytes)
}

/// Inflates a gzip stream of which exactly `expected` bytes are promised; more is refused.
pub fn gunzip_promised(raw: &[u8], expected: usize) -> Result<Vec<u8>, String> {
    read_stream_promised(GzDecoder::new(raw), 0, |_| Ok(expected), "the gzip stream")
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
        assert_eq!(gunzip_promised(&gzip(&bytes), bytes.len()).unwrap(), bytes);
    }
}
