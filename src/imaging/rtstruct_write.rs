//! Writing a mask as a DICOM RT structure set drawn on radnomo's exported series: one structure
//! per label, one CLOSED_PLANAR contour per loop of pixel edges around it on each slice
//! (`contours.rs`), so any reader that fills contours by the even-odd rule at voxel centres gets
//! the mask back voxel for voxel.
//!
//! # References
//! DICOM PS3.3 A.19 (RT Structure Set IOD), C.8.8.1 (RT Series), C.7.4.1 (Frame of Reference), C.8.8.5 (Structure Set: the
//! referenced frame of reference, study, series and contour images), C.8.8.6 (ROI Contour),
//! C.8.8.8 (RT ROI Observations). plastimatch reads what this writes in the tests.

use super::contours::pixel_edge_loops;
use super::dicom_build::{
    ExportedStudy, IMPLICIT_LITTLE, MR_IMAGE, Region, decimals, put, put_sequence, reference,
    strings, write_part10,
};
use super::rtstruct::RT_STRUCTURE_SET;
use super::samples::ImageError;
use super::volume::Mask;
use dicom_core::{PrimitiveValue, VR};
use dicom_dictionary_std::tags;
use dicom_object::InMemDicomObject;
use ndarray::Axis;
use std::path::Path;

/// The Referenced SOP Class UID a structure set gives its study (PS3.3 C.8.8.5.3: Detached Study
/// Management, retired but still the one named).
const STUDY_REFERENCE_CLASS: &str = "1.2.840.10008.3.1.2.3.1";

/// Writes the `regions` of `mask` (on the exported series' grid) as an RT structure set at
/// `path`, its contours naming the slices of phase `phase` (from 0) of `study`'s series.
pub fn write(
    path: &Path,
    mask: &Mask,
    regions: &[Region],
    study: &ExportedStudy,
    phase: usize,
) -> Result<(), ImageError> {
    let geometry = &mask.geometry;
    let slices = mask.labels.len_of(Axis(0));
    let instance = study.derived_uid(10);
    let mut object = InMemDicomObject::new_empty();
    study.put_patient_and_study(&mut object);
    put(&mut object, tags::SOP_CLASS_UID, VR::UI, RT_STRUCTURE_SET);
    put(
        &mut object,
        tags::SOP_INSTANCE_UID,
        VR::UI,
        instance.as_str(),
    );
    put(&mut object, tags::MODALITY, VR::CS, "RTSTRUCT");
    put(
        &mut object,
        tags::SERIES_INSTANCE_UID,
        VR::UI,
        study.derived_uid(11).as_str(),
    );
    put(&mut object, tags::SERIES_NUMBER, VR::IS, "2");
    put(
        &mut object,
        tags::SERIES_DESCRIPTION,
        VR::LO,
        "Outlines (radnomo export)",
    );
    put(
        &mut object,
        tags::OPERATORS_NAME,
        VR::PN,
        PrimitiveValue::Empty,
    );
    put(
        &mut object,
        tags::FRAME_OF_REFERENCE_UID,
        VR::UI,
        study.frame_of_reference.as_str(),
    );
    put(
        &mut object,
        tags::POSITION_REFERENCE_INDICATOR,
        VR::LO,
        PrimitiveValue::Empty,
    );
    put(&mut object, tags::MANUFACTURER, VR::LO, "radnomo");
    put(&mut object, tags::INSTANCE_NUMBER, VR::IS, "1");
    put(&mut object, tags::STRUCTURE_SET_LABEL, VR::SH, "radnomo");
    put(
        &mut object,
        tags::STRUCTURE_SET_DATE,
        VR::DA,
        PrimitiveValue::Empty,
    );
    put(
        &mut object,
        tags::STRUCTURE_SET_TIME,
        VR::TM,
        PrimitiveValue::Empty,
    );

    let slice_reference = |k: usize| reference(MR_IMAGE, &study.instance(phase, k));
    let mut series = InMemDicomObject::new_empty();
    put(
        &mut series,
        tags::SERIES_INSTANCE_UID,
        VR::UI,
        study.series.as_str(),
    );
    put_sequence(
        &mut series,
        tags::CONTOUR_IMAGE_SEQUENCE,
        (0..slices).map(slice_reference).collect(),
    );
    let mut referenced_study = reference(STUDY_REFERENCE_CLASS, &study.study);
    put_sequence(
        &mut referenced_study,
        tags::RT_REFERENCED_SERIES_SEQUENCE,
        vec![series],
    );
    let mut frame = InMemDicomObject::new_empty();
    put(
        &mut frame,
        tags::FRAME_OF_REFERENCE_UID,
        VR::UI,
        study.frame_of_reference.as_str(),
    );
    put_sequence(
        &mut frame,
        tags::RT_REFERENCED_STUDY_SEQUENCE,
        vec![referenced_study],
    );
    put_sequence(
        &mut object,
        tags::REFERENCED_FRAME_OF_REFERENCE_SEQUENCE,
        vec![frame],
    );

    let mut structures = Vec::new();
    let mut contours_of = Vec::new();
    let mut observations = Vec::new();
    for (n, region) in regions.iter().enumerate() {
        let number = (n + 1).to_string();
        let mut roi = InMemDicomObject::new_empty();
        put(&mut roi, tags::ROI_NUMBER, VR::IS, number.as_str());
        put(
            &mut roi,
            tags::REFERENCED_FRAME_OF_REFERENCE_UID,
            VR::UI,
            study.frame_of_reference.as_str(),
        );
        put(&mut roi, tags::ROI_NAME, VR::LO, region.name.as_str());
        put(&mut roi, tags::ROI_GENERATION_ALGORITHM, VR::CS, "MANUAL");
        structures.push(roi);

        let mut contours = Vec::new();
        for (k, plane) in mask.labels.axis_iter(Axis(0)).enumerate() {
            let inside = plane.mapv(|l| l == region.label);
            for corners in pixel_edge_loops(inside.view()) {
                let points = corners.iter().flat_map(|&[r, c]| {
                    geometry.position([c as f64 - 0.5, r as f64 - 0.5, k as f64])
                });
                let mut contour = InMemDicomObject::new_empty();
                put(
                    &mut contour,
                    tags::CONTOUR_NUMBER,
                    VR::IS,
                    (contours.len() + 1).to_string().as_str(),
                );
                put_sequence(
                    &mut contour,
                    tags::CONTOUR_IMAGE_SEQUENCE,
                    vec![slice_reference(k)],
                );
                put(
                    &mut contour,
                    tags::CONTOUR_GEOMETRIC_TYPE,
                    VR::CS,
                    "CLOSED_PLANAR",
                );
                put(
                    &mut contour,
                    tags::NUMBER_OF_CONTOUR_POINTS,
                    VR::IS,
                    corners.len().to_string().as_str(),
                );
                put(&mut contour, tags::CONTOUR_DATA, VR::DS, decimals(points));
                contours.push(contour);
            }
        }
        let mut roi_contour = InMemDicomObject::new_empty();
        put(
            &mut roi_contour,
            tags::REFERENCED_ROI_NUMBER,
            VR::IS,
            number.as_str(),
        );
        put(
            &mut roi_contour,
            tags::ROI_DISPLAY_COLOR,
            VR::IS,
            strings(&["255", "0", "0"]),
        );
        if !contours.is_empty() {
            put_sequence(&mut roi_contour, tags::CONTOUR_SEQUENCE, contours);
        }
        contours_of.push(roi_contour);

        let mut observation = InMemDicomObject::new_empty();
        put(
            &mut observation,
            tags::OBSERVATION_NUMBER,
            VR::IS,
            number.as_str(),
        );
        put(
            &mut observation,
            tags::REFERENCED_ROI_NUMBER,
            VR::IS,
            number.as_str(),
        );
        put(
            &mut observation,
            tags::RTROI_INTERPRETED_TYPE,
            VR::CS,
            "GTV",
        );
        put(
            &mut observation,
            tags::ROI_INTERPRETER,
            VR::PN,
            PrimitiveValue::Empty,
        );
        observations.push(observation);
    }
    put_sequence(&mut object, tags::STRUCTURE_SET_ROI_SEQUENCE, structures);
    put_sequence(&mut object, tags::ROI_CONTOUR_SEQUENCE, contours_of);
    put_sequence(&mut object, tags::RTROI_OBSERVATIONS_SEQUENCE, observations);
    write_part10(object, (RT_STRUCTURE_SET, &instance), IMPLICIT_LITTLE, path)
}
