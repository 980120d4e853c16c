//! DICOM Segmentation objects (DICOM-SEG): segments stored as frames of a multi-frame image, each
//! frame one plane of one segment, placed by its Image Position (Patient). Frames are only where a
//! segment is; the planes without a frame are empty.
//!
//! A segment is read onto the grid of the image it was made on, never resampled: the frames must
//! share the image's orientation, pixel spacing, rows and columns, and each frame must lie on one
//! of its slices (in-plane offset zero). BINARY segmentations are one bit per pixel, packed across
//! frames with the first pixel in the lowest bit; FRACTIONAL ones one byte, the fraction being the
//! stored value over Maximum Fractional Value.
//!
//! # References
//! DICOM PS3.3 A.51 (Segmentation IOD), C.8.20.2 (Segmentation Image module: Segmentation Type,
//! Maximum Fractional Value), C.8.20.4 (Segment Description), C.7.6.16 (Multi-frame Functional
//! Groups: Plane Position, Plane Orientation, Pixel Measures, Segment Identification); PS3.5 8.1.1
//! (bit packing of 1-bit pixel data). highdicom's `Segmentation.get_pixels_by_source_instance` is
//! the reference the tests compare with.

use super::dicom::SeriesIdentity;
use super::dicom_values::{element, items, numbers, open_of_class, text};
use super::samples::ImageError;
use super::volume::{Geometry, Mask};
use dicom_core::Tag;
use dicom_core::value::Value;
use dicom_dictionary_std::tags;
use dicom_object::InMemDicomObject;
use ndarray::Array3;
use std::path::Path;

/// The SOP Class UID of Segmentation Storage.
pub const SEGMENTATION: &str = "1.2.840.10008.5.1.4.1.1.66.4";

/// One segment: its number and label.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub number: u16,
    pub label: String,
}

/// One frame: the segment it belongs to and where it lies.
#[derive(Debug, Clone, PartialEq)]
struct Frame {
    segment: u16,
    position: [f64; 3],
}

/// A segmentation as read.
#[derive(Debug, Clone, PartialEq)]
pub struct Segmentation {
    /// `None` for BINARY; the Maximum Fractional Value for FRACTIONAL.
    pub fractional: Option<f64>,
    pub segments: Vec<Segment>,
    pub frame_of_reference: Option<String>,
    pub referenced_images: Vec<String>,
    frames: Vec<Frame>,
    rows: usize,
    columns: usize,
    pixel_spacing: [f64; 2],
    orientation: [f64; 6],
    /// Per frame, rows × columns stored values, one byte each (0 or 1 for binary; the fraction
    /// is the value over Maximum Fractional Value for fractional ones).
    values: Vec<u8>,
}

/// A functional group's value: from the frame's own groups, else the shared ones.
fn group_value<'a>(
    frame: Option<&'a InMemDicomObject>,
    shared: Option<&'a InMemDicomObject>,
    sequence: Tag,
) -> Option<&'a InMemDicomObject> {
    frame
        .and_then(|f| items(f, sequence).first())
        .or_else(|| shared.and_then(|s| items(s, sequence).first()))
}

/// Reads a segmentation file.
pub fn read(path: &Path) -> Result<Segmentation, ImageError> {
    let fail = |message: String| ImageError::new(path, message);
    let object = open_of_class(path, SEGMENTATION, "a DICOM segmentation")?;
    let whole = |tag: Tag, name: &str| -> Result<usize, ImageError> {
        element(&object, tag)
            .and_then(|e| e.to_int::<u32>().ok())
            .map(|v| v as usize)
            .ok_or_else(|| fail(format!("it has no {name}")))
    };
    let rows = whole(tags::ROWS, "Rows")?;
    let columns = whole(tags::COLUMNS, "Columns")?;
    let count = whole(tags::NUMBER_OF_FRAMES, "Number of Frames")?;
    let bits = whole(tags::BITS_ALLOCATED, "Bits Allocated")?;
    let fractional = match text(&object, tags::SEGMENTATION_TYPE).as_deref() {
        Some("BINARY") => None,
        Some("FRACTIONAL") => {
            let max = element(&object, tags::MAXIMUM_FRACTIONAL_VALUE)
                .and_then(|e| e.to_float64().ok())
                .filter(|m| *m > 0.0)
                .ok_or_else(|| {
                    fail("a fractional segmentation without Maximum Fractional Value".into())
                })?;
            Some(max)
        }
        other => {
            return Err(fail(format!(
                "Segmentation Type {} (BINARY or FRACTIONAL expected)",
                other.unwrap_or("missing")
            )));
        }
    };
    let expected_bits = if fractional.is_some() { 8 } else { 1 };
    if bits != expected_bits {
        return Err(fail(format!(
            "{bits}-bit pixels in a {} segmentation",
            if fractional.is_some() {
                "fractional"
            } else {
                "binary"
            }
        )));
    }
    let segments: Vec<Segment> = items(&object, tags::SEGMENT_SEQUENCE)
        .iter()
        .map(|s| {
            Ok(Segment {
                number: element(s, tags::SEGMENT_NUMBER)
                    .and_then(|e| e.to_int::<u16>().ok())
                    .ok_or_else(|| fail("a segment has no Segment Number".into()))?,
                label: text(s, tags::SEGMENT_LABEL).unwrap_or_default(),
            })
        })
        .collect::<Result<_, ImageError>>()?;
    let shared = items(&object, tags::SHARED_FUNCTIONAL_GROUPS_SEQUENCE).first();
    let per_frame = items(&object, tags::PER_FRAME_FUNCTIONAL_GROUPS_SEQUENCE);
    if per_frame.len() != count {
        return Err(fail(format!(
            "{} per-frame functional groups for {count} frames",
            per_frame.len()
        )));
    }
    let first = per_frame.first();
    let measures = group_value(first, shared, tags::PIXEL_MEASURES_SEQUENCE)
        .and_then(|m| numbers(m, tags::PIXEL_SPACING))
        .filter(|v| v.len() == 2)
        .ok_or_else(|| fail("it has no Pixel Spacing".into()))?;
    let orientation = group_value(first, shared, tags::PLANE_ORIENTATION_SEQUENCE)
        .and_then(|o| numbers(o, tags::IMAGE_ORIENTATION_PATIENT))
        .filter(|v| v.len() == 6)
        .ok_or_else(|| fail("it has no Image Orientation (Patient)".into()))?;
    let mut referenced_images = Vec::new();
    let mut frames = Vec::with_capacity(count);
    for (f, groups) in per_frame.iter().enumerate() {
        let segment = group_value(Some(groups), shared, tags::SEGMENT_IDENTIFICATION_SEQUENCE)
            .and_then(|s| element(s, tags::REFERENCED_SEGMENT_NUMBER))
            .and_then(|e| e.to_int::<u16>().ok())
            .ok_or_else(|| fail(format!("frame {} names no segment", f + 1)))?;
        let position = group_value(Some(groups), None, tags::PLANE_POSITION_SEQUENCE)
            .and_then(|p| numbers(p, tags::IMAGE_POSITION_PATIENT))
            .filter(|v| v.len() == 3 && v.iter().all(|x| x.is_finite()))
            .ok_or_else(|| fail(format!("frame {} has no Image Position (Patient)", f + 1)))?;
        for derivation in items(groups, tags::DERIVATION_IMAGE_SEQUENCE) {
            for source in items(derivation, tags::SOURCE_IMAGE_SEQUENCE) {
                referenced_images.extend(text(source, tags::REFERENCED_SOP_INSTANCE_UID));
            }
        }
        frames.push(Frame {
            segment,
            position: [position[0], position[1], position[2]],
        });
    }
    referenced_images.sort();
    referenced_images.dedup();
    let pixels =
        element(&object, tags::PIXEL_DATA).ok_or_else(|| fail("it has no Pixel Data".into()))?;
    if matches!(pixels.value(), Value::PixelSequence(_)) {
        return Err(fail(format!(
            "its pixel data are compressed (transfer syntax {}); decompress it first, e.g. with `gdcmconv --raw`",
            object.meta().transfer_syntax().trim_end_matches('\0')
        )));
    }
    let bytes = pixels
        .to_bytes()
        .map_err(|e| fail(format!("its Pixel Data cannot be read ({e})")))?;
    let total = super::samples::voxel_count(&[count, rows, columns]).map_err(fail)?;
    let values: Vec<u8> = match fractional {
        None => {
            if bytes.len() < total.div_ceil(8) {
                return Err(fail(format!(
                    "its Pixel Data holds {} bytes; {count} frames of {rows} × {columns} one-bit pixels need {}",
                    bytes.len(),
                    total.div_ceil(8)
                )));
            }
            (0..total).map(|n| (bytes[n / 8] >> (n % 8)) & 1).collect()
        }
        Some(_) => {
            if bytes.len() < total {
                return Err(fail(format!(
                    "its Pixel Data holds {} bytes; {count} frames of {rows} × {columns} need {total}",
                    bytes.len()
                )));
            }
            bytes[..total].to_vec()
        }
    };
    Ok(Segmentation {
        fractional,
        segments,
        frame_of_reference: text(&object, tags::FRAME_OF_REFERENCE_UID).filter(|f| !f.is_empty()),
        referenced_images,
        frames,
        rows,
        columns,
        pixel_spacing: [measures[0], measures[1]],
        orientation: orientation.try_into().expect("6 values checked"),
        values,
    })
}

impl Segmentation {
    /// The segment `choice` names, by number or label (any letter case), or the only one.
    pub fn segment(&self, choice: Option<&str>) -> Result<&Segment, String> {
        let listed = || {
            self.segments
                .iter()
                .map(|s| format!("{} `{}`", s.number, s.label))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match choice.map(str::trim) {
            None => match self.segments.as_slice() {
                [one] => Ok(one),
                _ => Err(format!(
                    "the segmentation has {} segments — {}; choose one with `roi=NUMBER` or `roi=LABEL`",
                    self.segments.len(),
                    listed()
                )),
            },
            Some(choice) => {
                let found: Vec<&Segment> = self
                    .segments
                    .iter()
                    .filter(|s| {
                        choice.parse::<u16>().is_ok_and(|n| n == s.number)
                            || s.label.eq_ignore_ascii_case(choice)
                    })
                    .collect();
                match found.as_slice() {
                    [one] => Ok(one),
                    [] => Err(format!(
                        "no segment `{choice}`; the segmentation has {}",
                        listed()
                    )),
                    _ => Err(format!(
                        "{} segments answer to `{choice}`; give its number",
                        found.len()
                    )),
                }
            }
        }
    }

    /// The fractions of segment `number` on an image's grid (`shape` = slices × rows ×
    /// columns): 0 where it has no frame. Refused when the frames are not on that grid.
    pub fn fractions_on(
        &self,
        number: u16,
        geometry: &Geometry,
        shape: [usize; 3],
    ) -> Result<Array3<f32>, String> {
        let [slices, rows, columns] = shape;
        if (self.rows, self.columns) != (rows, columns) {
            return Err(format!(
                "its frames are {} × {} pixels, the image's slices {columns} × {rows}; radnomo never resamples",
                self.columns, self.rows
            ));
        }
        let image_orientation = geometry.image_orientation();
        if self
            .orientation
            .iter()
            .zip(image_orientation)
            .any(|(a, b)| (a - b).abs() > 1e-4)
        {
            return Err(format!(
                "its orientation {:?} is not the image's {image_orientation:?}; radnomo never resamples",
                self.orientation
            ));
        }
        // Pixel Spacing is (between rows, between columns).
        let [row_spacing, column_spacing] = self.pixel_spacing;
        if (row_spacing - geometry.spacing[1]).abs() > 1e-4 * geometry.spacing[1]
            || (column_spacing - geometry.spacing[0]).abs() > 1e-4 * geometry.spacing[0]
        {
            return Err(format!(
                "its pixel spacing {column_spacing} × {row_spacing} mm is not the image's {} × {} mm; radnomo never resamples",
                geometry.spacing[0], geometry.spacing[1]
            ));
        }
        let mut out = Array3::<f32>::zeros(shape);
        let plane = rows * columns;
        for (f, frame) in self.frames.iter().enumerate() {
            if frame.segment != number {
                continue;
            }
            let index = geometry.continuous_index(frame.position);
            let k = index[2].round();
            if index[0].abs() > 1e-3 || index[1].abs() > 1e-3 || (index[2] - k).abs() > 1e-3 {
                return Err(format!(
                    "frame {} (at {:.3}, {:.3}, {:.3} mm) is not on a slice of the image: it is at voxel ({:.3}, {:.3}, {:.3}); radnomo never resamples",
                    f + 1,
                    frame.position[0],
                    frame.position[1],
                    frame.position[2],
                    index[0],
                    index[1],
                    index[2]
                ));
            }
            if k < 0.0 || k >= slices as f64 {
                return Err(format!(
                    "frame {} lies at slice {k}, outside the image's {slices} slices",
                    f + 1
                ));
            }
            let values = &self.values[f * plane..(f + 1) * plane];
            let scale = self.fractional.unwrap_or(1.0);
            let mut target = out.index_axis_mut(ndarray::Axis(0), k as usize);
            for (t, v) in target.iter_mut().zip(values) {
                *t = t.max((f64::from(*v) / scale) as f32);
            }
        }
        Ok(out)
    }
}

/// The mask of segment `choice` of the segmentation at `path` on an image's grid, checked against
/// the image's series when given (`identity`: same Frame of Reference, source images among its
/// slices). A fractional segment needs `threshold`: a voxel is in the mask when its fraction is
/// at least that.
pub fn read_mask(
    path: &Path,
    choice: Option<&str>,
    threshold: Option<f64>,
    geometry: &Geometry,
    shape: [usize; 3],
    identity: Option<&SeriesIdentity>,
) -> Result<Mask, ImageError> {
    let fail = |message: String| ImageError::new(path, message);
    let segmentation = read(path)?;
    if let Some(identity) = identity {
        let frames: Vec<String> = segmentation.frame_of_reference.iter().cloned().collect();
        identity
            .check_drawn_on(&frames, &segmentation.referenced_images)
            .map_err(fail)?;
    }
    let segment = segmentation.segment(choice).map_err(fail)?;
    let fractions = segmentation
        .fractions_on(segment.number, geometry, shape)
        .map_err(fail)?;
    let cut = match (segmentation.fractional, threshold) {
        (None, None) => 0.5,
        (None, Some(_)) => {
            return Err(fail(
                "`threshold=` is for fractional segmentations; this one is binary".into(),
            ));
        }
        (Some(_), Some(t)) => t,
        (Some(_), None) => {
            return Err(fail(format!(
                "segment {} `{}` is fractional (probabilities or occupancy): say where the mask begins with `threshold=` (e.g. 0.5)",
                segment.number, segment.label
            )));
        }
    };
    let labels = fractions.mapv(|v| u8::from(f64::from(v) >= cut && v > 0.0));
    let mask = Mask::new(labels, *geometry);
    if mask.count() == 0 {
        return Err(fail(format!(
            "segment {} `{}` covers no voxel of the image",
            segment.number, segment.label
        )));
    }
    Ok(mask)
}
