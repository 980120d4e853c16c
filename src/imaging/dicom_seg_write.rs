//! Writing a mask as a binary DICOM Segmentation of radnomo's exported series: one segment per
//! label, one frame per slice a segment has voxels on (no empty frames), each frame naming the
//! slice it was derived from; one bit per pixel, packed across frames, first pixel in the lowest
//! bit.
//!
//! # References
//! DICOM PS3.3 A.51 (Segmentation IOD), C.8.20.1 (Segmentation Series), C.8.20.2 (Segmentation
//! Image: Segment Sequence, its category and type codes), C.7.6.16 (Multi-frame Functional Groups:
//! Pixel Measures, Plane Orientation, Plane Position, Frame Content, Derivation Image, Segment
//! Identification), C.7.6.17 (Multi-frame Dimension), C.12.2 (Common Instance Reference), C.7.5.2
//! (Enhanced General Equipment); PS3.5 8.1.1 (one-bit pixel data); PS3.16 CID 7150/7151 (SNOMED CT
//! codes for the segmented property). highdicom reads what this writes in the tests.

use super::dicom_build::{
    EXPLICIT_LITTLE, ExportedStudy, MR_IMAGE, Region, code, decimal, decimals, put, put_sequence,
    reference, strings, write_part10,
};
use super::dicom_seg::SEGMENTATION;
use super::samples::ImageError;
use super::volume::Mask;
use dicom_core::{PrimitiveValue, Tag, VR};
use dicom_dictionary_std::tags;
use dicom_object::InMemDicomObject;
use ndarray::Axis;
use std::path::Path;

/// An item holding one element.
fn item_with(tag: Tag, vr: VR, value: impl Into<PrimitiveValue>) -> InMemDicomObject {
    let mut item = InMemDicomObject::new_empty();
    put(&mut item, tag, vr, value);
    item
}

/// A tag as the AT value of a Dimension Index Pointer.
fn pointer(tag: Tag) -> PrimitiveValue {
    PrimitiveValue::Tags(std::iter::once(tag).collect())
}

/// Writes the `regions` of `mask` (on the exported series' grid) as a binary segmentation at
/// `path`, its frames derived from the slices of phase `phase` (from 0) of `study`'s series;
/// `created` is the content date and time (DICOM DA, TM).
pub fn write(
    path: &Path,
    mask: &Mask,
    regions: &[Region],
    (study, phase): (&ExportedStudy, usize),
    created: (&str, &str),
) -> Result<(), ImageError> {
    let geometry = &mask.geometry;
    let (slices, rows, columns) = mask.labels.dim();
    let instance = study.derived_uid(20);
    let dimensions = study.derived_uid(22);
    let mut object = InMemDicomObject::new_empty();
    study.put_patient_and_study(&mut object);
    let o = &mut object;
    put(o, tags::SOP_CLASS_UID, VR::UI, SEGMENTATION);
    put(o, tags::SOP_INSTANCE_UID, VR::UI, instance.as_str());
    put(o, tags::MODALITY, VR::CS, "SEG");
    put(
        o,
        tags::SERIES_INSTANCE_UID,
        VR::UI,
        study.derived_uid(21).as_str(),
    );
    put(o, tags::SERIES_NUMBER, VR::IS, "3");
    put(
        o,
        tags::SERIES_DESCRIPTION,
        VR::LO,
        "Segmentation (radnomo export)",
    );
    put(
        o,
        tags::FRAME_OF_REFERENCE_UID,
        VR::UI,
        study.frame_of_reference.as_str(),
    );
    put(
        o,
        tags::POSITION_REFERENCE_INDICATOR,
        VR::LO,
        PrimitiveValue::Empty,
    );
    put(o, tags::MANUFACTURER, VR::LO, "radnomo");
    put(o, tags::MANUFACTURER_MODEL_NAME, VR::LO, "radnomo");
    put(o, tags::DEVICE_SERIAL_NUMBER, VR::LO, "none");
    put(
        o,
        tags::SOFTWARE_VERSIONS,
        VR::LO,
        env!("CARGO_PKG_VERSION"),
    );
    put(o, tags::INSTANCE_NUMBER, VR::IS, "1");
    put(
        o,
        tags::IMAGE_TYPE,
        VR::CS,
        strings(&["DERIVED", "PRIMARY"]),
    );
    put(o, tags::CONTENT_LABEL, VR::CS, "SEGMENTATION");
    put(o, tags::CONTENT_DESCRIPTION, VR::LO, PrimitiveValue::Empty);
    put(o, tags::CONTENT_CREATOR_NAME, VR::PN, PrimitiveValue::Empty);
    put(o, tags::CONTENT_DATE, VR::DA, created.0);
    put(o, tags::CONTENT_TIME, VR::TM, created.1);
    put(o, tags::SAMPLES_PER_PIXEL, VR::US, 1u16);
    put(o, tags::PHOTOMETRIC_INTERPRETATION, VR::CS, "MONOCHROME2");
    put(o, tags::ROWS, VR::US, rows as u16);
    put(o, tags::COLUMNS, VR::US, columns as u16);
    put(o, tags::BITS_ALLOCATED, VR::US, 1u16);
    put(o, tags::BITS_STORED, VR::US, 1u16);
    put(o, tags::HIGH_BIT, VR::US, 0u16);
    put(o, tags::PIXEL_REPRESENTATION, VR::US, 0u16);
    put(o, tags::LOSSY_IMAGE_COMPRESSION, VR::CS, "00");
    put(o, tags::SEGMENTATION_TYPE, VR::CS, "BINARY");

    let segments = regions
        .iter()
        .enumerate()
        .map(|(n, region)| {
            let mut segment = InMemDicomObject::new_empty();
            put(&mut segment, tags::SEGMENT_NUMBER, VR::US, (n + 1) as u16);
            put(
                &mut segment,
                tags::SEGMENT_LABEL,
                VR::LO,
                region.name.as_str(),
            );
            put(&mut segment, tags::SEGMENT_ALGORITHM_TYPE, VR::CS, "MANUAL");
            let category = code("49755003", "SCT", "Morphologically Abnormal Structure");
            put_sequence(
                &mut segment,
                tags::SEGMENTED_PROPERTY_CATEGORY_CODE_SEQUENCE,
                vec![category],
            );
            let kind = code("108369006", "SCT", "Neoplasm");
            put_sequence(
                &mut segment,
                tags::SEGMENTED_PROPERTY_TYPE_CODE_SEQUENCE,
                vec![kind],
            );
            segment
        })
        .collect();
    put_sequence(o, tags::SEGMENT_SEQUENCE, segments);

    let orientation = geometry.image_orientation();
    let mut measures = InMemDicomObject::new_empty();
    put(
        &mut measures,
        tags::PIXEL_SPACING,
        VR::DS,
        decimals([geometry.spacing[1], geometry.spacing[0]]),
    );
    put(
        &mut measures,
        tags::SLICE_THICKNESS,
        VR::DS,
        decimal(geometry.spacing[2]).as_str(),
    );
    put(
        &mut measures,
        tags::SPACING_BETWEEN_SLICES,
        VR::DS,
        decimal(geometry.spacing[2]).as_str(),
    );
    let mut shared = InMemDicomObject::new_empty();
    put_sequence(&mut shared, tags::PIXEL_MEASURES_SEQUENCE, vec![measures]);
    let plane = item_with(
        tags::IMAGE_ORIENTATION_PATIENT,
        VR::DS,
        decimals(orientation),
    );
    put_sequence(&mut shared, tags::PLANE_ORIENTATION_SEQUENCE, vec![plane]);
    put_sequence(o, tags::SHARED_FUNCTIONAL_GROUPS_SEQUENCE, vec![shared]);

    let mut frames = Vec::new();
    let mut bits: Vec<bool> = Vec::new();
    for (n, region) in regions.iter().enumerate() {
        for (k, plane) in mask.labels.axis_iter(Axis(0)).enumerate() {
            if !plane.iter().any(|&l| l == region.label) {
                continue;
            }
            bits.extend(plane.iter().map(|&l| l == region.label));
            let mut groups = InMemDicomObject::new_empty();
            let index = PrimitiveValue::U32([(n + 1) as u32, (k + 1) as u32].into_iter().collect());
            put_sequence(
                &mut groups,
                tags::FRAME_CONTENT_SEQUENCE,
                vec![item_with(tags::DIMENSION_INDEX_VALUES, VR::UL, index)],
            );
            let position = geometry.position([0.0, 0.0, k as f64]);
            put_sequence(
                &mut groups,
                tags::PLANE_POSITION_SEQUENCE,
                vec![item_with(
                    tags::IMAGE_POSITION_PATIENT,
                    VR::DS,
                    decimals(position),
                )],
            );
            let mut source = reference(MR_IMAGE, &study.instance(phase, k));
            // The frame lies on its source slice pixel for pixel (PS3.3 C.7.6.1.1.5).
            put(
                &mut source,
                tags::SPATIAL_LOCATIONS_PRESERVED,
                VR::CS,
                "YES",
            );
            put_sequence(
                &mut source,
                tags::PURPOSE_OF_REFERENCE_CODE_SEQUENCE,
                vec![code(
                    "121322",
                    "DCM",
                    "Source image for image processing operation",
                )],
            );
            let mut derivation = InMemDicomObject::new_empty();
            put_sequence(
                &mut derivation,
                tags::DERIVATION_CODE_SEQUENCE,
                vec![code("113076", "DCM", "Segmentation")],
            );
            put_sequence(&mut derivation, tags::SOURCE_IMAGE_SEQUENCE, vec![source]);
            put_sequence(
                &mut groups,
                tags::DERIVATION_IMAGE_SEQUENCE,
                vec![derivation],
            );
            put_sequence(
                &mut groups,
                tags::SEGMENT_IDENTIFICATION_SEQUENCE,
                vec![item_with(
                    tags::REFERENCED_SEGMENT_NUMBER,
                    VR::US,
                    (n + 1) as u16,
                )],
            );
            frames.push(groups);
        }
    }
    put(
        o,
        tags::NUMBER_OF_FRAMES,
        VR::IS,
        frames.len().to_string().as_str(),
    );
    put_sequence(o, tags::PER_FRAME_FUNCTIONAL_GROUPS_SEQUENCE, frames);

    // Frames are indexed by segment, then by the position of the slice they lie on.
    put_sequence(
        o,
        tags::DIMENSION_ORGANIZATION_SEQUENCE,
        vec![item_with(
            tags::DIMENSION_ORGANIZATION_UID,
            VR::UI,
            dimensions.as_str(),
        )],
    );
    let dimension = |index: Tag, group: Tag, label: &str| {
        let mut item = InMemDicomObject::new_empty();
        put(
            &mut item,
            tags::DIMENSION_ORGANIZATION_UID,
            VR::UI,
            dimensions.as_str(),
        );
        put(
            &mut item,
            tags::DIMENSION_INDEX_POINTER,
            VR::AT,
            pointer(index),
        );
        put(
            &mut item,
            tags::FUNCTIONAL_GROUP_POINTER,
            VR::AT,
            pointer(group),
        );
        put(&mut item, tags::DIMENSION_DESCRIPTION_LABEL, VR::LO, label);
        item
    };
    put_sequence(
        o,
        tags::DIMENSION_INDEX_SEQUENCE,
        vec![
            dimension(
                tags::REFERENCED_SEGMENT_NUMBER,
                tags::SEGMENT_IDENTIFICATION_SEQUENCE,
                "Segment Number",
            ),
            dimension(
                tags::IMAGE_POSITION_PATIENT,
                tags::PLANE_POSITION_SEQUENCE,
                "Image Position Patient",
            ),
        ],
    );

    let mut series = item_with(tags::SERIES_INSTANCE_UID, VR::UI, study.series.as_str());
    // Every slice of the phase is a source of the segmentation, with or without a frame (as
    // highdicom lists them), so a reader can ask for any slice and get its empty plane.
    let sources = (0..slices)
        .map(|k| reference(MR_IMAGE, &study.instance(phase, k)))
        .collect();
    put_sequence(&mut series, tags::REFERENCED_INSTANCE_SEQUENCE, sources);
    put_sequence(o, tags::REFERENCED_SERIES_SEQUENCE, vec![series]);

    let mut packed = vec![0u8; bits.len().div_ceil(8).next_multiple_of(2)];
    for (n, _) in bits.iter().enumerate().filter(|(_, b)| **b) {
        packed[n / 8] |= 1 << (n % 8);
    }
    put(o, tags::PIXEL_DATA, VR::OB, PrimitiveValue::from(packed));
    write_part10(object, (SEGMENTATION, &instance), EXPLICIT_LITTLE, path)
}
