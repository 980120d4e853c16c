//! Writing a volume as a DICOM series: one single-frame MR object per phase and slice, so that
//! exported cohorts open in any viewer and read back through `dicom.rs`.
//!
//! # References
//! DICOM PS3.3 C.7.6.2 (Image Plane module), C.7.6.3 (Image Pixel), C.11.1 (Modality LUT:
//! rescale), C.8.3.1 (MR Image: Temporal Position Identifier); PS3.5 B.2 and ITU-T X.667 (UIDs
//! under the 2.25 root).

use super::dicom_build::{
    EXPLICIT_LITTLE, ExportedStudy, MR_IMAGE, decimal, decimals, put, strings, write_part10,
};
use super::samples::ImageError;
use super::volume::Geometry;
use dicom_core::{PrimitiveValue, VR};
use dicom_dictionary_std::tags;
use dicom_object::InMemDicomObject;
use ndarray::ArrayView4;
use std::path::Path;

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
    let study = ExportedStudy::new(patient_id, seed, slices);
    let orientation = geometry.image_orientation();
    for p in 0..phases {
        for k in 0..slices {
            let instance = study.instance(p, k);
            let position = geometry.position([0.0, 0.0, k as f64]);
            let mut object = InMemDicomObject::new_empty();
            study.put_patient_and_study(&mut object);
            put(&mut object, tags::SOP_CLASS_UID, VR::UI, MR_IMAGE);
            put(
                &mut object,
                tags::SOP_INSTANCE_UID,
                VR::UI,
                instance.as_str(),
            );
            put(
                &mut object,
                tags::SERIES_INSTANCE_UID,
                VR::UI,
                study.series.as_str(),
            );
            put(
                &mut object,
                tags::FRAME_OF_REFERENCE_UID,
                VR::UI,
                study.frame_of_reference.as_str(),
            );
            put(&mut object, tags::MODALITY, VR::CS, "MR");
            // The Type 1 and 2 attributes of the MR Image IOD (PS3.3 A.4) that radnomo has no
            // value for are present and empty, as Type 2 allows; the Type 1 ones of the MR
            // Image module say what the image is: derived, research mode, no sequence variant.
            for (tag, vr) in [
                (tags::LATERALITY, VR::CS),
                (tags::PATIENT_POSITION, VR::CS),
                (tags::POSITION_REFERENCE_INDICATOR, VR::LO),
                (tags::MANUFACTURER, VR::LO),
                (tags::SCAN_OPTIONS, VR::CS),
                (tags::MR_ACQUISITION_TYPE, VR::CS),
                (tags::REPETITION_TIME, VR::DS),
                (tags::ECHO_TIME, VR::DS),
                (tags::ECHO_TRAIN_LENGTH, VR::IS),
            ] {
                put(&mut object, tag, vr, PrimitiveValue::Empty);
            }
            put(&mut object, tags::SERIES_NUMBER, VR::IS, "1");
            put(
                &mut object,
                tags::IMAGE_TYPE,
                VR::CS,
                strings(&["DERIVED", "PRIMARY", "OTHER"]),
            );
            put(&mut object, tags::SCANNING_SEQUENCE, VR::CS, "RM");
            put(&mut object, tags::SEQUENCE_VARIANT, VR::CS, "NONE");
            put(
                &mut object,
                tags::SERIES_DESCRIPTION,
                VR::LO,
                "DCE-MRI (radnomo export)",
            );
            put(
                &mut object,
                tags::INSTANCE_NUMBER,
                VR::IS,
                ((p * slices + k + 1) as i32).to_string().as_str(),
            );
            put(
                &mut object,
                tags::ACQUISITION_NUMBER,
                VR::IS,
                ((p + 1) as i32).to_string().as_str(),
            );
            put(
                &mut object,
                tags::TEMPORAL_POSITION_IDENTIFIER,
                VR::IS,
                ((p + 1) as i32).to_string().as_str(),
            );
            put(
                &mut object,
                tags::NUMBER_OF_TEMPORAL_POSITIONS,
                VR::IS,
                (phases as i32).to_string().as_str(),
            );
            put(
                &mut object,
                tags::IMAGE_POSITION_PATIENT,
                VR::DS,
                decimals(position),
            );
            put(
                &mut object,
                tags::IMAGE_ORIENTATION_PATIENT,
                VR::DS,
                decimals(orientation),
            );
            put(
                &mut object,
                tags::PIXEL_SPACING,
                VR::DS,
                decimals([geometry.spacing[1], geometry.spacing[0]]),
            );
            put(
                &mut object,
                tags::SLICE_THICKNESS,
                VR::DS,
                decimal(geometry.spacing[2]).as_str(),
            );
            put(
                &mut object,
                tags::SAMPLES_PER_PIXEL,
                VR::US,
                PrimitiveValue::from(1u16),
            );
            put(
                &mut object,
                tags::PHOTOMETRIC_INTERPRETATION,
                VR::CS,
                "MONOCHROME2",
            );
            put(
                &mut object,
                tags::ROWS,
                VR::US,
                PrimitiveValue::from(rows as u16),
            );
            put(
                &mut object,
                tags::COLUMNS,
                VR::US,
                PrimitiveValue::from(columns as u16),
            );
            put(
                &mut object,
                tags::BITS_ALLOCATED,
                VR::US,
                PrimitiveValue::from(16u16),
            );
            put(
                &mut object,
                tags::BITS_STORED,
                VR::US,
                PrimitiveValue::from(16u16),
            );
            put(
                &mut object,
                tags::HIGH_BIT,
                VR::US,
                PrimitiveValue::from(15u16),
            );
            put(
                &mut object,
                tags::PIXEL_REPRESENTATION,
                VR::US,
                PrimitiveValue::from(1u16),
            );
            put(&mut object, tags::RESCALE_INTERCEPT, VR::DS, "0");
            put(
                &mut object,
                tags::RESCALE_SLOPE,
                VR::DS,
                format!("{slope:.12e}").as_str(),
            );
            let plane = voxels.slice(ndarray::s![p, k, .., ..]);
            let stored: Vec<u8> = plane
                .iter()
                .flat_map(|&v| ((f64::from(v) / slope).round() as i16).to_le_bytes())
                .collect();
            put(
                &mut object,
                tags::PIXEL_DATA,
                VR::OW,
                PrimitiveValue::from(stored),
            );
            let path = folder.join(format!("phase{:02}_slice{:04}.dcm", p + 1, k + 1));
            write_part10(object, (MR_IMAGE, &instance), EXPLICIT_LITTLE, &path)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use dicom_object::open_file;

    /// The attributes dciodvfy found missing before they were written (Type 1 must have a value);
    /// tests/fixtures/dicom-export/check_conformance.sh runs dciodvfy itself.
    #[test]
    fn an_exported_slice_has_every_attribute_the_mr_image_iod_requires() {
        let folder = std::env::temp_dir().join(format!("radnomo-export-{}", std::process::id()));
        let voxels =
            ndarray::Array4::from_shape_fn((1, 2, 3, 4), |(_, k, j, i)| (k + j + i) as f32);
        let geometry = Geometry::new([0.5, 0.5, 2.0], [0.0; 3]);
        write_series(&folder, voxels.view(), &geometry, "P0001", 1).unwrap();
        let object = open_file(folder.join("phase01_slice0001.dcm")).unwrap();
        let type_2 = [
            tags::PATIENT_NAME,
            tags::PATIENT_BIRTH_DATE,
            tags::PATIENT_SEX,
            tags::STUDY_DATE,
            tags::STUDY_TIME,
            tags::REFERRING_PHYSICIAN_NAME,
            tags::STUDY_ID,
            tags::ACCESSION_NUMBER,
            tags::SERIES_NUMBER,
            tags::LATERALITY,
            tags::PATIENT_POSITION,
            tags::POSITION_REFERENCE_INDICATOR,
            tags::MANUFACTURER,
            tags::SCAN_OPTIONS,
            tags::MR_ACQUISITION_TYPE,
            tags::REPETITION_TIME,
            tags::ECHO_TIME,
            tags::ECHO_TRAIN_LENGTH,
        ];
        for tag in type_2 {
            assert!(
                object.element_opt(tag).unwrap().is_some(),
                "{tag} is absent"
            );
        }
        let value = |tag| object.element(tag).unwrap().to_str().unwrap().to_string();
        assert_eq!(value(tags::IMAGE_TYPE), "DERIVED\\PRIMARY\\OTHER");
        assert_eq!(value(tags::SCANNING_SEQUENCE), "RM");
        assert_eq!(value(tags::SEQUENCE_VARIANT), "NONE");
        std::fs::remove_dir_all(&folder).unwrap();
    }
}
