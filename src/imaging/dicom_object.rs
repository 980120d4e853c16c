//! One file of a DICOM series folder read: an image slice with what placing it needs (series,
//! instance, frame of reference, phase keys, position, orientation, spacing, pixels rescaled), or
//! the reason it is not one (a report, a presentation state, a file that is not DICOM).

use super::dicom_slices::non_image_class;
use super::samples::{SampleType, decode_f64};
use dicom_core::value::Value;
use dicom_dictionary_std::tags;
use std::path::{Path, PathBuf};

/// One slice as read.
pub(super) struct Slice {
    pub(super) file: PathBuf,
    pub(super) series: String,
    pub(super) instance: String,
    pub(super) frame_of_reference: Option<String>,
    pub(super) phase_key: PhaseKey,
    pub(super) position: [f64; 3],
    pub(super) orientation: [f64; 6],
    pub(super) pixel_spacing: [f64; 2],
    pub(super) rows: usize,
    pub(super) columns: usize,
    pub(super) pixels: Vec<f32>,
    /// The stored type after rescaling: integers stay integers under a whole-number slope and
    /// intercept (as 32-bit, wide enough for any rescaled 16-bit value); otherwise doubles.
    pub(super) samples: SampleType,
    /// The rescaled pixels as doubles, when the rescale gives fractions.
    pub(super) exact: Option<Vec<f64>>,
}

#[derive(Debug, Clone, PartialEq, PartialOrd)]
pub(super) struct PhaseKey {
    pub(super) temporal_position: Option<f64>,
    pub(super) acquisition_number: Option<f64>,
    pub(super) acquisition_time: Option<String>,
}

/// What one file of a series folder turned out to be.
pub(super) enum Entry {
    Slice(Box<Slice>),
    Skipped(String),
}

pub(super) fn read_object(path: &Path) -> Result<Entry, String> {
    let object = super::dicom_guard::open_checked(path)?;
    let get = |tag| object.element_opt(tag).ok().flatten();
    let text = |tag| {
        get(tag)
            .and_then(|e| e.to_str().ok())
            .map(|s| s.trim().to_string())
    };
    let sop_class = text(tags::SOP_CLASS_UID)
        .unwrap_or_else(|| object.meta().media_storage_sop_class_uid.clone());
    if let Some(what) = non_image_class(&sop_class) {
        return Ok(Entry::Skipped(what.to_string()));
    }
    if get(tags::PIXEL_DATA).is_none() {
        let modality = text(tags::MODALITY).filter(|m| !m.is_empty());
        return Ok(Entry::Skipped(format!(
            "no pixel data ({}SOP class {})",
            modality
                .map(|m| format!("modality {m}, "))
                .unwrap_or_default(),
            sop_class.trim_end_matches('\0')
        )));
    }
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
    // Rescaled in doubles, as ITK (GDCM) does; a fractional rescale keeps the doubles.
    let mut exact = decode_f64(&raw, sample, true, rows * columns)?;
    let slope = number(tags::RESCALE_SLOPE).unwrap_or(1.0);
    let intercept = number(tags::RESCALE_INTERCEPT).unwrap_or(0.0);
    let samples = if slope == 1.0 && intercept == 0.0 {
        sample
    } else if slope.fract() == 0.0 && intercept.fract() == 0.0 {
        SampleType::I32
    } else {
        SampleType::F64
    };
    if slope != 1.0 || intercept != 0.0 {
        exact.iter_mut().for_each(|v| *v = *v * slope + intercept);
    }
    let pixels: Vec<f32> = exact.iter().map(|&v| v as f32).collect();
    let exact = (samples == SampleType::F64).then_some(exact);
    let position = numbers(tags::IMAGE_POSITION_PATIENT, "Image Position (Patient)", 3)?;
    let orientation = numbers(
        tags::IMAGE_ORIENTATION_PATIENT,
        "Image Orientation (Patient)",
        6,
    )?;
    let spacing = numbers(tags::PIXEL_SPACING, "Pixel Spacing", 2)?;
    Ok(Entry::Slice(Box::new(Slice {
        file: path.to_path_buf(),
        series: text(tags::SERIES_INSTANCE_UID).unwrap_or_default(),
        instance: text(tags::SOP_INSTANCE_UID).unwrap_or_default(),
        frame_of_reference: text(tags::FRAME_OF_REFERENCE_UID).filter(|f| !f.is_empty()),
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
        samples,
        exact,
    })))
}
