//! DICOM series: a folder of single-frame slices (uncompressed transfer syntaxes) becomes a
//! multi-phase volume; a volume can be written back as such a folder.
//!
//! Slices are ordered by their position along the slice normal (the cross product of the two
//! Image Orientation (Patient) vectors, dotted with Image Position (Patient)); phases are told apart
//! by Temporal Position Identifier (0020,0100), else Acquisition Number (0020,0012), else
//! Acquisition Time (0008,0032). Rescale Slope/Intercept are applied.
//!
//! # References
//! DICOM PS3.3 C.7.6.2 (Image Plane module), C.7.6.3 (Image Pixel), C.11.1 (Modality LUT:
//! rescale), C.8.3.1 (MR Image: Temporal Position Identifier).
//!
//! # Remarks
//! Refused with a message, never guessed: several series in one folder, missing or duplicated slice
//! positions, phases with different slice counts or positions, multi-frame objects, colour images,
//! and compressed pixel data.

use super::samples::{ImageError, SampleType, decode};
use super::volume::Geometry;
use dicom_core::value::Value;
use dicom_core::{DataElement, PrimitiveValue, VR};
use dicom_dictionary_std::tags;
use dicom_object::{FileMetaTableBuilder, InMemDicomObject, open_file};
use ndarray::{Array4, ArrayView4};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What a series folder holds.
pub struct DicomSeries {
    pub voxels: Array4<f32>,
    pub geometry: Geometry,
}

/// One slice as read.
struct Slice {
    file: PathBuf,
    series: String,
    phase_key: PhaseKey,
    position: [f64; 3],
    orientation: [f64; 6],
    pixel_spacing: [f64; 2],
    rows: usize,
    columns: usize,
    pixels: Vec<f32>,
}

#[derive(Debug, Clone, PartialEq, PartialOrd)]
struct PhaseKey {
    temporal_position: Option<f64>,
    acquisition_number: Option<f64>,
    acquisition_time: Option<String>,
}

/// Whether the file has the DICOM preamble magic (`DICM` at byte 128).
pub fn looks_like_dicom(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 132];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok_and(|_| &head[128..132] == b"DICM")
}

fn read_slice(path: &Path) -> Result<Slice, String> {
    let object = open_file(path).map_err(|e| format!("not readable as DICOM ({e})"))?;
    let get = |tag| object.element_opt(tag).ok().flatten();
    let text = |tag| {
        get(tag)
            .and_then(|e| e.to_str().ok())
            .map(|s| s.trim().to_string())
    };
    let number = |tag| get(tag).and_then(|e| e.to_float64().ok());
    let numbers = |tag, name: &str, n: usize| -> Result<Vec<f64>, String> {
        let values = get(tag)
            .and_then(|e| e.to_multi_float64().ok())
            .ok_or_else(|| format!("it has no {name}"))?;
        if values.len() == n {
            Ok(values)
        } else {
            Err(format!("its {name} has {} values, not {n}", values.len()))
        }
    };
    let whole = |tag, name: &str| -> Result<usize, String> {
        get(tag)
            .and_then(|e| e.to_int::<u32>().ok())
            .map(|v| v as usize)
            .ok_or_else(|| format!("it has no {name}"))
    };
    if number(tags::NUMBER_OF_FRAMES).is_some_and(|frames| frames > 1.0) {
        return Err(
            "multi-frame (enhanced) DICOM is not supported; export single-frame slices".into(),
        );
    }
    if whole(tags::SAMPLES_PER_PIXEL, "Samples per Pixel").unwrap_or(1) != 1 {
        return Err("a colour image; radnomo reads greyscale MR".into());
    }
    let rows = whole(tags::ROWS, "Rows")?;
    let columns = whole(tags::COLUMNS, "Columns")?;
    let bits = whole(tags::BITS_ALLOCATED, "Bits Allocated")?;
    let signed = whole(tags::PIXEL_REPRESENTATION, "Pixel Representation").unwrap_or(0) == 1;
    let sample = match (bits, signed) {
        (8, false) => SampleType::U8,
        (8, true) => SampleType::I8,
        (16, false) => SampleType::U16,
        (16, true) => SampleType::I16,
        (32, false) => SampleType::U32,
        (32, true) => SampleType::I32,
        _ => return Err(format!("{bits}-bit pixels are not supported")),
    };
    let pixel_element = get(tags::PIXEL_DATA).ok_or("it has no Pixel Data")?;
    let raw = match pixel_element.value() {
        Value::PixelSequence(_) => {
            return Err(format!(
                "its pixel data are compressed (transfer syntax {}); decompress the series first, e.g. with `gdcmconv --raw` or `dcmdjpeg`",
                object.meta().transfer_syntax().trim_end_matches('\0')
            ));
        }
        _ => pixel_element
            .to_bytes()
            .map_err(|e| format!("its Pixel Data cannot be read ({e})"))?,
    };
    let mut pixels = decode(&raw, sample, true, rows * columns)?;
    let slope = number(tags::RESCALE_SLOPE).unwrap_or(1.0) as f32;
    let intercept = number(tags::RESCALE_INTERCEPT).unwrap_or(0.0) as f32;
    if slope != 1.0 || intercept != 0.0 {
        for v in &mut pixels {
            *v = *v * slope + intercept;
        }
    }
    let position = numbers(tags::IMAGE_POSITION_PATIENT, "Image Position (Patient)", 3)?;
    let orientation = numbers(
        tags::IMAGE_ORIENTATION_PATIENT,
        "Image Orientation (Patient)",
        6,
    )?;
    let spacing = numbers(tags::PIXEL_SPACING, "Pixel Spacing", 2)?;
    Ok(Slice {
        file: path.to_path_buf(),
        series: text(tags::SERIES_INSTANCE_UID).unwrap_or_default(),
        phase_key: PhaseKey {
            temporal_position: number(tags::TEMPORAL_POSITION_IDENTIFIER),
            acquisition_number: number(tags::ACQUISITION_NUMBER),
            acquisition_time: text(tags::ACQUISITION_TIME),
        },
        position: [position[0], position[1], position[2]],
        orientation: orientation.try_into().expect("6 values checked"),
        pixel_spacing: [spacing[0], spacing[1]],
        rows,
        columns,
        pixels,
    })
}

fn cross(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    [
        a[1] * b[2] - a[2] * b[1],
        a[2] * b[0] - a[0] * b[2],
        a[0] * b[1] - a[1] * b[0],
    ]
}

fn dot(a: [f64; 3], b: [f64; 3]) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

/// Reads every DICOM file in `folder` as one series.
pub fn read_series(folder: &Path) -> Result<DicomSeries, ImageError> {
    let fail = |message: String| ImageError::new(folder, message);
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .map_err(|e| fail(super::samples::io_message(&e)))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && looks_like_dicom(p))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(fail("no DICOM files in this folder".into()));
    }
    let slices: Vec<Slice> = files
        .iter()
        .map(|f| read_slice(f).map_err(|message| ImageError::new(f, message)))
        .collect::<Result<_, _>>()?;
    let series: std::collections::BTreeSet<&str> =
        slices.iter().map(|s| s.series.as_str()).collect();
    if series.len() > 1 {
        return Err(fail(format!(
            "mixed series: {} Series Instance UIDs in one folder ({}); put each series in a folder of its own",
            series.len(),
            series.iter().cloned().collect::<Vec<_>>().join(", ")
        )));
    }
    let first = &slices[0];
    for s in &slices {
        if (s.rows, s.columns) != (first.rows, first.columns) {
            return Err(ImageError::new(
                &s.file,
                format!(
                    "{} × {} pixels, while {} has {} × {}",
                    s.columns,
                    s.rows,
                    first.file.display(),
                    first.columns,
                    first.rows
                ),
            ));
        }
        if s.orientation
            .iter()
            .zip(first.orientation)
            .any(|(a, b)| (a - b).abs() > 1e-4)
        {
            return Err(ImageError::new(
                &s.file,
                "its orientation differs from the other slices'",
            ));
        }
    }
    let row_direction = [
        first.orientation[0],
        first.orientation[1],
        first.orientation[2],
    ];
    let column_direction = [
        first.orientation[3],
        first.orientation[4],
        first.orientation[5],
    ];
    let normal = cross(row_direction, column_direction);

    // Phases: the first key that varies across the slices.
    let keys: [fn(&PhaseKey) -> String; 3] = [
        |k| {
            k.temporal_position
                .map(|v| format!("{v:020.3}"))
                .unwrap_or_default()
        },
        |k| {
            k.acquisition_number
                .map(|v| format!("{v:020.3}"))
                .unwrap_or_default()
        },
        |k| k.acquisition_time.clone().unwrap_or_default(),
    ];
    let key = keys
        .iter()
        .find(|key| {
            let distinct: std::collections::BTreeSet<String> =
                slices.iter().map(|s| key(&s.phase_key)).collect();
            distinct.len() > 1
        })
        .copied();
    let mut phases: BTreeMap<String, Vec<&Slice>> = BTreeMap::new();
    for s in &slices {
        phases
            .entry(key.map(|k| k(&s.phase_key)).unwrap_or_default())
            .or_default()
            .push(s);
    }
    let mut ordered: Vec<Vec<&Slice>> = phases.into_values().collect();
    for phase in &mut ordered {
        phase.sort_by(|a, b| dot(a.position, normal).total_cmp(&dot(b.position, normal)));
    }
    let reference: Vec<f64> = ordered[0].iter().map(|s| dot(s.position, normal)).collect();
    for (p, phase) in ordered.iter().enumerate() {
        if phase.len() != reference.len() {
            return Err(fail(format!(
                "phase {} has {} slices, phase 1 has {}: slices are missing",
                p + 1,
                phase.len(),
                reference.len()
            )));
        }
        for (s, expected) in phase.iter().zip(&reference) {
            if (dot(s.position, normal) - expected).abs() > 1e-3 {
                return Err(ImageError::new(
                    &s.file,
                    format!(
                        "phase {} slice positions differ from phase 1's ({:.3} mm vs {:.3} mm)",
                        p + 1,
                        dot(s.position, normal),
                        expected
                    ),
                ));
            }
        }
    }
    let gaps: Vec<f64> = reference.windows(2).map(|w| w[1] - w[0]).collect();
    // Missing slices only widen gaps, so the narrowest gap is the slice spacing.
    let step = gaps
        .iter()
        .copied()
        .filter(|g| *g >= 1e-3)
        .fold(f64::INFINITY, f64::min);
    for (g, gap) in gaps.iter().enumerate() {
        if *gap < 1e-3 {
            return Err(ImageError::new(
                &ordered[0][g + 1].file,
                format!(
                    "two slices at the same position {:.3} mm in one phase (with {}); is this two series?",
                    reference[g],
                    ordered[0][g].file.display()
                ),
            ));
        }
        if (gap - step).abs() > 0.1 * step {
            return Err(fail(format!(
                "missing slice: a {gap:.3} mm gap between positions {:.3} and {:.3} mm, where slices are {step:.3} mm apart",
                reference[g],
                reference[g + 1]
            )));
        }
    }
    let (rows, columns) = (first.rows, first.columns);
    let mut voxels = Array4::zeros((ordered.len(), reference.len(), rows, columns));
    for (p, phase) in ordered.iter().enumerate() {
        for (k, s) in phase.iter().enumerate() {
            let target = voxels.slice_mut(ndarray::s![p, k, .., ..]);
            let source = ndarray::ArrayView2::from_shape((rows, columns), &s.pixels)
                .expect("pixel count checked");
            let mut target = target;
            target.assign(&source);
        }
    }
    let mut direction = [[0.0; 3]; 3];
    for r in 0..3 {
        direction[r] = [row_direction[r], column_direction[r], normal[r]];
    }
    let geometry = Geometry {
        // Pixel Spacing is (between rows, between columns).
        spacing: [
            first.pixel_spacing[1],
            first.pixel_spacing[0],
            if step.is_finite() { step } else { 1.0 },
        ],
        origin: ordered[0][0].position,
        direction,
    };
    Ok(DicomSeries { voxels, geometry })
}

/// A UID under the 2.25 root (ITU-T X.667) from a seed, so exports are reproducible.
fn uid(seed: u64, part: u64) -> String {
    let mut rng = crate::rng::Rng::for_item(seed, part);
    format!(
        "2.25.{}{:019}",
        rng.next_u64() >> 1,
        rng.next_u64() % 10_000_000_000_000_000_000
    )
}

/// Writes a volume as a folder of single-frame MR slices (Explicit VR Little Endian, signed
/// 16-bit with Rescale Slope when the values are not whole numbers in range), one file per phase
/// and slice, phases numbered by Temporal Position Identifier.
pub fn write_series(
    folder: &Path,
    voxels: ArrayView4<'_, f32>,
    geometry: &Geometry,
    patient_id: &str,
    seed: u64,
) -> Result<(), ImageError> {
    std::fs::create_dir_all(folder).map_err(|e| ImageError::new(folder, e.to_string()))?;
    let shape = voxels.shape();
    let (phases, slices, rows, columns) = (shape[0], shape[1], shape[2], shape[3]);
    let largest = voxels.iter().fold(0f32, |m, v| m.max(v.abs()));
    let whole = voxels.iter().all(|v| v.fract() == 0.0) && largest <= 32767.0;
    let slope = if whole || largest == 0.0 {
        1.0
    } else {
        f64::from(largest) / 32000.0
    };
    let study = uid(seed, 1);
    let series = uid(seed, 2);
    let frame = uid(seed, 3);
    let d = geometry.direction;
    let orientation = [d[0][0], d[1][0], d[2][0], d[0][1], d[1][1], d[2][1]];
    for p in 0..phases {
        for k in 0..slices {
            let instance = uid(seed, 1000 + (p * slices + k) as u64);
            let position = geometry.position([0.0, 0.0, k as f64]);
            let mut object = InMemDicomObject::new_empty();
            let mut put = |tag, vr, value: PrimitiveValue| {
                object.put(DataElement::new(tag, vr, value));
            };
            put(
                tags::SOP_CLASS_UID,
                VR::UI,
                "1.2.840.10008.5.1.4.1.1.4".into(),
            );
            put(tags::SOP_INSTANCE_UID, VR::UI, instance.as_str().into());
            put(tags::STUDY_INSTANCE_UID, VR::UI, study.as_str().into());
            put(tags::SERIES_INSTANCE_UID, VR::UI, series.as_str().into());
            put(tags::FRAME_OF_REFERENCE_UID, VR::UI, frame.as_str().into());
            put(tags::MODALITY, VR::CS, "MR".into());
            put(tags::PATIENT_ID, VR::LO, patient_id.into());
            put(
                tags::SERIES_DESCRIPTION,
                VR::LO,
                "DCE-MRI (radnomo export)".into(),
            );
            put(
                tags::INSTANCE_NUMBER,
                VR::IS,
                ((p * slices + k + 1) as i32).to_string().as_str().into(),
            );
            put(
                tags::ACQUISITION_NUMBER,
                VR::IS,
                ((p + 1) as i32).to_string().as_str().into(),
            );
            put(
                tags::TEMPORAL_POSITION_IDENTIFIER,
                VR::IS,
                ((p + 1) as i32).to_string().as_str().into(),
            );
            put(
                tags::NUMBER_OF_TEMPORAL_POSITIONS,
                VR::IS,
                (phases as i32).to_string().as_str().into(),
            );
            put(
                tags::IMAGE_POSITION_PATIENT,
                VR::DS,
                PrimitiveValue::Strs(position.iter().map(|v| format!("{v:.6}")).collect()),
            );
            put(
                tags::IMAGE_ORIENTATION_PATIENT,
                VR::DS,
                PrimitiveValue::Strs(orientation.iter().map(|v| format!("{v:.8}")).collect()),
            );
            put(
                tags::PIXEL_SPACING,
                VR::DS,
                PrimitiveValue::Strs(
                    [geometry.spacing[1], geometry.spacing[0]]
                        .iter()
                        .map(|v| format!("{v:.6}"))
                        .collect(),
                ),
            );
            put(
                tags::SLICE_THICKNESS,
                VR::DS,
                format!("{:.6}", geometry.spacing[2]).as_str().into(),
            );
            put(tags::SAMPLES_PER_PIXEL, VR::US, PrimitiveValue::from(1u16));
            put(
                tags::PHOTOMETRIC_INTERPRETATION,
                VR::CS,
                "MONOCHROME2".into(),
            );
            put(tags::ROWS, VR::US, PrimitiveValue::from(rows as u16));
            put(tags::COLUMNS, VR::US, PrimitiveValue::from(columns as u16));
            put(tags::BITS_ALLOCATED, VR::US, PrimitiveValue::from(16u16));
            put(tags::BITS_STORED, VR::US, PrimitiveValue::from(16u16));
            put(tags::HIGH_BIT, VR::US, PrimitiveValue::from(15u16));
            put(
                tags::PIXEL_REPRESENTATION,
                VR::US,
                PrimitiveValue::from(1u16),
            );
            put(tags::RESCALE_INTERCEPT, VR::DS, "0".into());
            put(
                tags::RESCALE_SLOPE,
                VR::DS,
                format!("{slope:.12e}").as_str().into(),
            );
            let plane = voxels.slice(ndarray::s![p, k, .., ..]);
            let stored: Vec<u8> = plane
                .iter()
                .flat_map(|&v| ((f64::from(v) / slope).round() as i16).to_le_bytes())
                .collect();
            put(tags::PIXEL_DATA, VR::OW, PrimitiveValue::from(stored));
            let meta = FileMetaTableBuilder::new()
                .media_storage_sop_class_uid("1.2.840.10008.5.1.4.1.1.4")
                .media_storage_sop_instance_uid(instance.as_str())
                .transfer_syntax("1.2.840.10008.1.2.1");
            let path = folder.join(format!("phase{:02}_slice{:04}.dcm", p + 1, k + 1));
            object
                .with_meta(meta)
                .map_err(|e| ImageError::new(&path, e.to_string()))?
                .write_to_file(&path)
                .map_err(|e| ImageError::new(&path, e.to_string()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series() -> (Array4<f32>, Geometry) {
        let voxels = Array4::from_shape_fn((3, 4, 5, 6), |(p, k, j, i)| {
            (p * 500 + k * 40 + j * 7 + i) as f32 - 100.0
        });
        let geometry = Geometry::new([0.586, 0.6, 1.5], [-40.0, 20.0, -7.5]);
        (voxels, geometry)
    }

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("radnomo-dicom-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn a_written_series_reads_back_with_phases_and_geometry() {
        let (voxels, geometry) = series();
        let dir = temp("roundtrip");
        write_series(&dir, voxels.view(), &geometry, "P0001", 7).unwrap();
        let read = read_series(&dir).unwrap();
        assert_eq!(read.voxels, voxels);
        assert!(
            read.geometry.agrees_with(&geometry).is_ok(),
            "{:?}",
            read.geometry
        );
        // Rescale: fractional values come back within the stored precision.
        let fractional = voxels.mapv(|v| v / 3.0);
        write_series(&dir, fractional.view(), &geometry, "P0001", 7).unwrap();
        let read = read_series(&dir).unwrap();
        let worst = read
            .voxels
            .iter()
            .zip(fractional.iter())
            .map(|(a, b)| (a - b).abs())
            .fold(0f32, f32::max);
        assert!(worst < 0.01, "{worst}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn missing_slices_and_mixed_series_are_refused() {
        let (voxels, geometry) = series();
        let dir = temp("missing");
        write_series(&dir, voxels.view(), &geometry, "P0001", 7).unwrap();
        for p in 1..=3 {
            std::fs::remove_file(dir.join(format!("phase{p:02}_slice0002.dcm"))).unwrap();
        }
        let error = read_series(&dir).err().unwrap().message;
        assert!(
            error.starts_with("missing slice: a 3.000 mm gap"),
            "{error}"
        );
        std::fs::remove_file(dir.join("phase02_slice0003.dcm")).unwrap();
        let error = read_series(&dir).err().unwrap().message;
        assert!(
            error.contains("phase 2 has 2 slices, phase 1 has 3"),
            "{error}"
        );
        let mixed = temp("mixed");
        write_series(&mixed, voxels.view(), &geometry, "P0001", 7).unwrap();
        write_series(&mixed.join("other"), voxels.view(), &geometry, "P0002", 8).unwrap();
        std::fs::rename(
            mixed.join("other/phase01_slice0001.dcm"),
            mixed.join("zz.dcm"),
        )
        .unwrap();
        let error = read_series(&mixed).err().unwrap().message;
        assert!(
            error.starts_with("mixed series: 2 Series Instance UIDs"),
            "{error}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
        std::fs::remove_dir_all(&mixed).unwrap();
    }
}
