//! NRRD files (`.nrrd` with attached data, or a detached `.nhdr` header naming its data file;
//! raw or gzip encoding), 3-D and 4-D (a non-spatial `list` or `time` axis, first or last, holding
//! the phases). Writes NRRD0004, gzip, LPS.
//!
//! # References
//! Teem NRRD format specification, version 5 (teem.sourceforge.net/nrrd/format.html): field
//! spellings of `type`, `space`, `space directions`, `space origin`, `encoding`, `endian`.
//!
//! # Remarks
//! A detached header's data file must be one file in the header's folder or below it (no `..`,
//! no absolute path, no `LIST` or numbered series); bzip2/ASCII encodings and `byte skip` /
//! `line skip` are refused with a message naming the field. A voxel spacing must be given
//! (`space directions` or `spacings`) and be a positive number: it is never assumed to be 1 mm.

use super::samples::{
    ImageError, SampleType, decode, decode_f64, encode_le, fits_i16, gunzip_promised, gzip,
    io_message, promised_bytes, voxel_count,
};
use super::volume::Geometry;
use ndarray::{Array4, ArrayView4};
use std::path::{Component, Path, PathBuf};

/// What an NRRD file holds.
pub struct NrrdImage {
    pub voxels: Array4<f32>,
    pub geometry: Geometry,
    /// The stored type.
    pub samples: SampleType,
    /// The voxels as doubles, when the file stores doubles.
    pub exact: Option<Array4<f64>>,
}

pub fn read(path: &Path) -> Result<NrrdImage, ImageError> {
    let bytes = std::fs::read(path).map_err(|e| ImageError::new(path, io_message(&e)))?;
    let folder = path.parent().unwrap_or(Path::new("."));
    parse_in(&bytes, Some(folder)).map_err(|message| ImageError::new(path, message))
}

/// Where a detached header's data file is: `name` inside `folder`, refusing a path that leaves it.
fn data_file(folder: &Path, name: &str) -> Result<PathBuf, String> {
    if name.eq_ignore_ascii_case("LIST") || name.contains('%') || name.contains(' ') {
        return Err(format!(
            "`data file: {name}` names several files; radnomo reads a detached header with one data file"
        ));
    }
    let relative = Path::new(name);
    if relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return Err(format!(
            "`data file: {name}` points outside the header's folder; it must be a file beside the header (or below it)"
        ));
    }
    let path = folder.join(relative);
    // A link inside the folder must not lead out of it either.
    if let (Ok(real), Ok(real_folder)) = (path.canonicalize(), folder.canonicalize())
        && !real.starts_with(&real_folder)
    {
        return Err(format!(
            "`data file: {name}` is a link to {}, outside the header's folder",
            real.display()
        ));
    }
    Ok(path)
}

fn sample_type(name: &str) -> Result<SampleType, String> {
    let name = name.trim().to_ascii_lowercase();
    Ok(match name.as_str() {
        "signed char" | "int8" | "int8_t" => SampleType::I8,
        "uchar" | "unsigned char" | "uint8" | "uint8_t" => SampleType::U8,
        "short" | "short int" | "signed short" | "signed short int" | "int16" | "int16_t" => {
            SampleType::I16
        }
        "ushort" | "unsigned short" | "unsigned short int" | "uint16" | "uint16_t" => {
            SampleType::U16
        }
        "int" | "signed int" | "int32" | "int32_t" => SampleType::I32,
        "uint" | "unsigned int" | "uint32" | "uint32_t" => SampleType::U32,
        "longlong"
        | "long long"
        | "long long int"
        | "signed long long"
        | "signed long long int"
        | "int64"
        | "int64_t" => SampleType::I64,
        "ulonglong" | "unsigned long long" | "unsigned long long int" | "uint64" | "uint64_t" => {
            SampleType::U64
        }
        "float" => SampleType::F32,
        "double" => SampleType::F64,
        other => return Err(format!("unsupported NRRD type `{other}`")),
    })
}

/// `(1.5,0,0)` → `[1.5, 0, 0]`; `none` → `None`.
fn vector(text: &str) -> Result<Option<Vec<f64>>, String> {
    let text = text.trim();
    if text == "none" {
        return Ok(None);
    }
    let inner = text
        .strip_prefix('(')
        .and_then(|t| t.strip_suffix(')'))
        .ok_or_else(|| format!("`{text}` is not a vector such as (1,0,0)"))?;
    inner
        .split(',')
        .map(|n| {
            n.trim()
                .parse::<f64>()
                .map_err(|_| format!("`{n}` in `{text}` is not a number"))
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// Splits `(a,b,c) none (d,e,f)` into its vectors.
fn vectors(text: &str) -> Result<Vec<Option<Vec<f64>>>, String> {
    let mut out = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("none") {
            out.push(None);
            rest = after.trim_start();
        } else {
            let end = rest
                .find(')')
                .ok_or_else(|| format!("unclosed vector in `{text}`"))?;
            out.push(vector(&rest[..=end])?);
            rest = rest[end + 1..].trim_start();
        }
    }
    Ok(out)
}

/// Parses an NRRD file with attached data (a detached header is refused: it needs its folder).
pub fn parse(bytes: &[u8]) -> Result<NrrdImage, String> {
    parse_in(bytes, None)
}

/// Parses an NRRD file whose detached data file, if any, is looked for in `folder`.
fn parse_in(bytes: &[u8], folder: Option<&Path>) -> Result<NrrdImage, String> {
    if !bytes.starts_with(b"NRRD000") {
        return Err("not an NRRD file: it does not start with `NRRD000`".to_string());
    }
    let mut at = 0;
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut first = true;
    loop {
        let end = bytes[at..]
            .iter()
            .position(|&b| b == b'\n')
            .ok_or("the header has no blank line before the data")?;
        let line = String::from_utf8_lossy(&bytes[at..at + end])
            .trim_end_matches('\r')
            .to_string();
        at += end + 1;
        if first {
            first = false;
            continue;
        }
        if line.is_empty() {
            break;
        }
        if line.starts_with('#') || line.contains(":=") {
            continue;
        }
        if let Some((key, value)) = line.split_once(": ") {
            fields.push((key.trim().to_ascii_lowercase(), value.trim().to_string()));
        } else {
            return Err(format!("header line `{line}` is not `field: value`"));
        }
    }
    let field = |name: &str| {
        fields
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, v)| v.as_str())
    };
    let detached = match (field("data file").or(field("datafile")), folder) {
        (Some(name), Some(folder)) => Some(data_file(folder, name)?),
        (Some(_), None) => {
            return Err("a detached header (`data file`) read without its folder".into());
        }
        (None, _) => None,
    };
    for skip in ["byte skip", "byteskip", "line skip", "lineskip"] {
        if field(skip).is_some_and(|v| v.trim() != "0") {
            return Err(format!(
                "`{skip}` is not supported; the data must start right after the header"
            ));
        }
    }
    let sample = sample_type(field("type").ok_or("the header has no `type`")?)?;
    let dimension: usize = field("dimension")
        .ok_or("the header has no `dimension`")?
        .parse()
        .map_err(|_| "`dimension` is not a whole number")?;
    let sizes: Vec<usize> = field("sizes")
        .ok_or("the header has no `sizes`")?
        .split_whitespace()
        .map(|s| {
            s.parse()
                .map_err(|_| format!("size `{s}` is not a whole number"))
        })
        .collect::<Result<_, _>>()?;
    if sizes.len() != dimension {
        return Err(format!(
            "`sizes` has {} values for dimension {dimension}",
            sizes.len()
        ));
    }
    if !(2..=4).contains(&dimension) {
        return Err(format!(
            "a {dimension}-D image where a 2-D slice, a 3-D volume or a 4-D series was expected"
        ));
    }
    let directions = match field("space directions") {
        Some(text) => vectors(text)?,
        None => {
            let text = field("spacings").ok_or(
                "the header gives no voxel spacing (`space directions` or `spacings`); radnomo does not assume 1 mm",
            )?;
            // `nan` marks the non-spatial axis; anything else must be a positive size.
            let mut spatial_axis = 0;
            text.split_whitespace()
                .map(|s| {
                    let value: f64 = s
                        .parse()
                        .map_err(|_| format!("`spacings` value `{s}` is not a number"))?;
                    if value.is_nan() {
                        return Ok(None);
                    }
                    if !(value.is_finite() && value > 0.0) || spatial_axis >= 3 {
                        return Err(format!(
                            "`spacings` value `{s}` is not a voxel size (a positive number of mm)"
                        ));
                    }
                    let mut d = vec![0.0; 3];
                    d[spatial_axis] = value;
                    spatial_axis += 1;
                    Ok(Some(d))
                })
                .collect::<Result<Vec<_>, String>>()?
        }
    };
    if directions.len() != dimension {
        return Err(format!(
            "`space directions` has {} entries for dimension {dimension}",
            directions.len()
        ));
    }
    let spatial: Vec<usize> = (0..dimension)
        .filter(|&a| directions[a].is_some())
        .collect();
    // Two spatial axes: a 2-D image, one slice with no thickness.
    let planar = spatial.len() == 2;
    if !(2..=3).contains(&spatial.len()) {
        return Err(format!(
            "{} spatial axes; radnomo reads 2-D slices and 3-D volumes",
            spatial.len()
        ));
    }
    let list_axis = (0..dimension).find(|a| directions[*a].is_none());
    if list_axis == Some(1) || list_axis == Some(2) {
        return Err("the non-spatial axis must be the first or the last".to_string());
    }
    let space = field("space")
        .unwrap_or("left-posterior-superior")
        .to_ascii_lowercase();
    let flip = match space.as_str() {
        "left-posterior-superior" | "lps" | "scanner-xyz" | "3d-right-handed" => [1.0, 1.0, 1.0],
        "right-anterior-superior" | "ras" => [-1.0, -1.0, 1.0],
        "left-anterior-superior" | "las" => [1.0, -1.0, 1.0],
        other => return Err(format!("unsupported space `{other}`")),
    };
    let mut spacing = [1.0; 3];
    let mut direction = [[0.0; 3]; 3];
    for (c, &axis) in spatial.iter().enumerate() {
        let mut v = directions[axis].clone().expect("spatial axis has a vector");
        // A 2-D space (`space dimension: 2`) has 2 components: the plane is z = 0.
        if planar && v.len() == 2 {
            v.push(0.0);
        }
        if v.len() != 3 {
            return Err(format!(
                "a space direction has {} components, not 3",
                v.len()
            ));
        }
        let norm = v.iter().map(|x| x * x).sum::<f64>().sqrt();
        if norm == 0.0 || !norm.is_finite() {
            return Err(format!(
                "the space direction of axis {} has length {norm}: the voxel spacing is unknown",
                axis + 1
            ));
        }
        spacing[c] = norm;
        for r in 0..3 {
            direction[r][c] = flip[r] * v[r] / norm;
        }
    }
    if planar {
        // The slice axis completes the grid: the plane's normal.
        let (a, b) = (
            [direction[0][0], direction[1][0], direction[2][0]],
            [direction[0][1], direction[1][1], direction[2][1]],
        );
        let normal = super::volume::plane_normal(a, b)
            .ok_or("the two space directions are parallel: not a plane")?;
        for r in 0..3 {
            direction[r][2] = normal[r];
        }
    }
    let origin = match field("space origin") {
        Some(text) => {
            let mut v = vector(text)?.ok_or("`space origin` is none")?;
            if planar && v.len() == 2 {
                v.push(0.0);
            }
            if v.len() != 3 {
                return Err("`space origin` does not have 3 components".to_string());
            }
            [flip[0] * v[0], flip[1] * v[1], flip[2] * v[2]]
        }
        None => [0.0; 3],
    };
    let little = !matches!(field("endian"), Some("big"));
    let count = voxel_count(&sizes)?;
    let expected = promised_bytes(0, count, sample)?;
    let stored;
    let payload = match &detached {
        Some(path) => {
            stored = std::fs::read(path)
                .map_err(|e| format!("its data file {}: {}", path.display(), io_message(&e)))?;
            &stored[..]
        }
        None => &bytes[at..],
    };
    let data = match field("encoding").unwrap_or("raw") {
        "raw" if payload.len() > expected => {
            return Err(format!(
                "the data holds {} bytes, more than the {expected} its header promises; are `sizes` and `type` right?",
                payload.len()
            ));
        }
        "raw" => payload.to_vec(),
        "gzip" | "gz" => gunzip_promised(payload, expected)?,
        other => return Err(format!("unsupported NRRD encoding `{other}` (raw or gzip)")),
    };
    let slices = if planar { 1 } else { sizes[spatial[2]] };
    let [columns, rows] = [sizes[spatial[0]], sizes[spatial[1]]];
    let phases = list_axis.map_or(1, |a| sizes[a]);
    let dims = [phases, slices, rows, columns];
    let (voxels, exact) = if sample == SampleType::F64 {
        let exact = arrange(decode_f64(&data, sample, little, count)?, list_axis, dims);
        (exact.mapv(|v| v as f32), Some(exact))
    } else {
        let values = decode(&data, sample, little, count)?;
        (arrange(values, list_axis, dims), None)
    };
    Ok(NrrdImage {
        voxels,
        samples: sample,
        exact,
        geometry: Geometry {
            spacing,
            origin,
            direction,
            planar,
        },
    })
}

/// Decoded values as `[phase][slice][row][column]`; `list_axis` 0 means interleaved, phase fastest.
fn arrange<T: Clone>(values: Vec<T>, list_axis: Option<usize>, dims: [usize; 4]) -> Array4<T> {
    let [phases, slices, rows, columns] = dims;
    match list_axis {
        Some(0) => {
            // Interleaved: read as [slice][row][column][phase] and move the axis.
            let interleaved =
                ndarray::Array4::from_shape_vec((slices, rows, columns, phases), values)
                    .expect("length checked by decode");
            interleaved
                .permuted_axes([3, 0, 1, 2])
                .as_standard_layout()
                .into_owned()
        }
        _ => Array4::from_shape_vec((phases, slices, rows, columns), values)
            .expect("length checked by decode"),
    }
}

/// Writes a gzip NRRD; a 4-D file has the phases as its last (`list`) axis.
pub fn write(
    path: &Path,
    voxels: ArrayView4<'_, f32>,
    geometry: &Geometry,
    mask: bool,
) -> Result<(), ImageError> {
    std::fs::write(path, encode(voxels, geometry, mask))
        .map_err(|e| ImageError::new(path, io_message(&e)))
}

pub fn encode(voxels: ArrayView4<'_, f32>, geometry: &Geometry, mask: bool) -> Vec<u8> {
    let shape = voxels.shape();
    let (phases, slices, rows, columns) = (shape[0], shape[1], shape[2], shape[3]);
    let values: Vec<f32> = voxels.as_standard_layout().iter().copied().collect();
    let (sample, type_name) = if mask {
        (SampleType::U8, "uchar")
    } else if fits_i16(&values) {
        (SampleType::I16, "short")
    } else {
        (SampleType::F32, "float")
    };
    let four = phases > 1;
    let vector = |c: usize| {
        let v: Vec<String> = (0..3)
            .map(|r| format!("{}", geometry.direction[r][c] * geometry.spacing[c]))
            .collect();
        format!("({})", v.join(","))
    };
    let mut header = String::from("NRRD0004\n# written by radnomo\n");
    header += &format!(
        "type: {type_name}\ndimension: {}\n",
        if four { 4 } else { 3 }
    );
    header += "space: left-posterior-superior\n";
    header += &format!(
        "sizes: {columns} {rows} {slices}{}\n",
        if four {
            format!(" {phases}")
        } else {
            String::new()
        }
    );
    header += &format!(
        "space directions: {} {} {}{}\n",
        vector(0),
        vector(1),
        vector(2),
        if four { " none" } else { "" }
    );
    header += &format!(
        "kinds: domain domain domain{}\n",
        if four { " list" } else { "" }
    );
    header += "endian: little\nencoding: gzip\n";
    header += &format!(
        "space origin: ({},{},{})\n\n",
        geometry.origin[0], geometry.origin[1], geometry.origin[2]
    );
    let mut bytes = header.into_bytes();
    bytes.extend(gzip(&encode_le(&values, sample)));
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phase_count(image: &NrrdImage) -> usize {
        image.voxels.len_of(ndarray::Axis(0))
    }

    #[test]
    fn round_trips_three_and_four_d() {
        let geometry = Geometry {
            spacing: [0.5, 0.75, 3.0],
            origin: [1.0, -2.0, 3.5],
            direction: [[-1.0, 0.0, 0.0], [0.0, -1.0, 0.0], [0.0, 0.0, 1.0]],
            planar: false,
        };
        for phases in [1, 4] {
            let voxels = Array4::from_shape_fn((phases, 2, 3, 4), |(p, k, j, i)| {
                (p * 97 + k * 31 + j * 7 + i) as f32
            });
            let image = parse(&encode(voxels.view(), &geometry, false)).unwrap();
            assert_eq!(phase_count(&image), phases);
            assert_eq!(image.voxels, voxels);
            assert!(image.geometry.agrees_with(&geometry).is_ok());
        }
    }

    #[test]
    fn interleaved_vectors_become_phases_and_ras_becomes_lps() {
        let mut text = b"NRRD0004\ntype: uchar\ndimension: 4\nspace: right-anterior-superior\n\
sizes: 2 3 1 1\nspace directions: none (2,0,0) (0,2,0) (0,0,2)\nendian: little\nencoding: raw\n\
space origin: (10,20,30)\n\n"
            .to_vec();
        text.extend([1u8, 2, 3, 4, 5, 6]);
        let image = parse(&text).unwrap();
        assert_eq!(image.voxels.shape(), &[2, 1, 1, 3]);
        assert_eq!(image.voxels[[0, 0, 0, 2]], 5.0);
        assert_eq!(image.voxels[[1, 0, 0, 0]], 2.0);
        assert_eq!(image.geometry.origin, [-10.0, -20.0, 30.0]);
        assert_eq!(image.geometry.direction[0][0], -1.0);
        assert_eq!(image.geometry.spacing, [2.0, 2.0, 2.0]);
    }

    #[test]
    fn a_2d_image_is_one_slice_with_no_thickness() {
        // As SimpleITK writes a 2-D image: a 2-D space, 2-component vectors.
        let mut text = b"NRRD0004\ntype: short\ndimension: 2\nspace dimension: 2\nsizes: 3 2\n\
space directions: (0.5,0) (0,0.75)\nendian: little\nencoding: raw\nspace origin: (-4,6)\n\n"
            .to_vec();
        text.extend((1i16..=6).flat_map(|v| v.to_le_bytes()));
        let image = parse(&text).unwrap();
        assert_eq!(image.voxels.shape(), &[1, 1, 2, 3]);
        assert_eq!(image.voxels[[0, 0, 1, 2]], 6.0);
        assert!(image.geometry.planar);
        assert_eq!(image.geometry.spacing[..2], [0.5, 0.75]);
        assert_eq!(image.geometry.origin, [-4.0, 6.0, 0.0]);
        assert_eq!(image.geometry.direction[2][2], 1.0, "the plane's normal");
    }

    #[test]
    fn refuses_what_it_cannot_read_with_the_reason() {
        assert!(parse(b"P5 2 2").err().unwrap().contains("not an NRRD"));
        let detached = b"NRRD0004\ntype: short\ndimension: 3\nsizes: 1 1 1\ndata file: x.raw\n\n";
        assert!(parse(detached).err().unwrap().contains("detached"));
        let line = b"NRRD0004\ntype: short\ndimension: 1\nsizes: 1\n\n";
        assert!(parse(line).err().unwrap().contains("1-D image"));
        let unmeasured = b"NRRD0004\ntype: short\ndimension: 2\nsizes: 1 1\n\n";
        assert!(
            parse(unmeasured)
                .err()
                .unwrap()
                .contains("no voxel spacing")
        );
        let short =
            b"NRRD0004\ntype: short\ndimension: 3\nsizes: 2 2 2\nspacings: 1 1 1\nencoding: raw\n\n\x01\x00";
        assert!(parse(short).err().unwrap().contains("cut short"));
    }
}
