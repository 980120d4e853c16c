//! Building the DICOM objects radnomo exports: the identity an exported series shares with the
//! RT structure sets and segmentations drawn on it (study, frame of reference, instance UIDs,
//! reproducible from the export's seed), the modules every object carries, values within their
//! VR's limits, sequences and code items, and writing Part 10 files.
//!
//! # References
//! DICOM PS3.3 C.7.1.1 (Patient), C.7.2.1 (General Study), C.7.5.1 (General Equipment), 8.8 (Code
//! Sequence macro); PS3.5 6.2 (value representations), B.2 and ITU-T X.667 (UIDs under the 2.25
//! root); PS3.10 7.1 (file meta information).

use super::samples::ImageError;
use dicom_core::value::DataSetSequence;
use dicom_core::{DataElement, PrimitiveValue, Tag, VR};
use dicom_dictionary_std::tags;
use dicom_object::{FileMetaTableBuilder, InMemDicomObject};
use std::path::Path;

/// Explicit VR Little Endian.
pub const EXPLICIT_LITTLE: &str = "1.2.840.10008.1.2.1";
/// Implicit VR Little Endian: every value's length is 32-bit, which a long contour needs (a DS
/// value is limited to 64 KiB in explicit VR).
pub const IMPLICIT_LITTLE: &str = "1.2.840.10008.1.2";

/// A UID under the 2.25 root (ITU-T X.667) from a seed, so exports are reproducible.
fn uid(seed: u64, part: u64) -> String {
    let mut rng = crate::rng::Rng::for_item(seed, part);
    format!(
        "2.25.{}{:019}",
        rng.next_u64() >> 1,
        rng.next_u64() % 10_000_000_000_000_000_000
    )
}

/// The SOP Class UID of MR Image Storage.
pub const MR_IMAGE: &str = "1.2.840.10008.5.1.4.1.1.4";

/// The identifiers of one patient's exported study, from the export's seed: the image series and
/// the RT structure sets and segmentations drawn on it share its study and frame of reference.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportedStudy {
    seed: u64,
    pub patient_id: String,
    pub study: String,
    pub series: String,
    pub frame_of_reference: String,
    /// Slices per phase.
    pub slices: usize,
}

impl ExportedStudy {
    pub fn new(patient_id: &str, seed: u64, slices: usize) -> ExportedStudy {
        ExportedStudy {
            seed,
            patient_id: patient_id.to_string(),
            study: uid(seed, 1),
            series: uid(seed, 2),
            frame_of_reference: uid(seed, 3),
            slices,
        }
    }

    /// The SOP Instance UID of slice `slice` of phase `phase` (both from 0).
    pub fn instance(&self, phase: usize, slice: usize) -> String {
        uid(self.seed, 1000 + (phase * self.slices + slice) as u64)
    }

    /// A further UID of the study (a derived object's series or instance), `part` ≥ 4.
    pub fn derived_uid(&self, part: u64) -> String {
        uid(self.seed, part)
    }

    /// Puts the Patient and General Study modules (PS3.3 C.7.1.1, C.7.2.1) and the General
    /// Equipment manufacturer every exported object carries: the patient's id, the study's
    /// UID and number, and the Type 2 attributes radnomo has no value for, present and empty.
    pub fn put_patient_and_study(&self, object: &mut InMemDicomObject) {
        let mut put = |tag, vr, value: PrimitiveValue| {
            object.put(DataElement::new(tag, vr, value));
        };
        put(tags::PATIENT_ID, VR::LO, self.patient_id.as_str().into());
        put(tags::STUDY_INSTANCE_UID, VR::UI, self.study.as_str().into());
        put(tags::STUDY_ID, VR::SH, "1".into());
        for (tag, vr) in [
            (tags::PATIENT_NAME, VR::PN),
            (tags::PATIENT_BIRTH_DATE, VR::DA),
            (tags::PATIENT_SEX, VR::CS),
            (tags::STUDY_DATE, VR::DA),
            (tags::STUDY_TIME, VR::TM),
            (tags::REFERRING_PHYSICIAN_NAME, VR::PN),
            (tags::ACCESSION_NUMBER, VR::SH),
        ] {
            put(tag, vr, PrimitiveValue::Empty);
        }
    }
}

/// A decimal string of at most 16 characters (the DS limit, PS3.5 6.2): the shortest text that
/// reads back as the same f64 when it fits (spacings such as 0.5859375 survive a round trip), else
/// as many decimals as fit.
pub fn decimal(value: f64) -> String {
    let shortest = format!("{value}");
    if shortest.len() <= 16 {
        return shortest;
    }
    (0..=15)
        .rev()
        .map(|places| format!("{value:.places$}"))
        .find(|text| text.len() <= 16)
        .unwrap_or_else(|| format!("{value:.9e}"))
}

/// Writes `object` as a DICOM Part 10 file of SOP class `class` in `transfer_syntax`.
pub fn write_part10(
    object: InMemDicomObject,
    (class, instance): (&str, &str),
    transfer_syntax: &str,
    path: &Path,
) -> Result<(), ImageError> {
    let meta = FileMetaTableBuilder::new()
        .media_storage_sop_class_uid(class)
        .media_storage_sop_instance_uid(instance)
        .transfer_syntax(transfer_syntax);
    object
        .with_meta(meta)
        .map_err(|e| ImageError::new(path, e.to_string()))?
        .write_to_file(path)
        .map_err(|e| ImageError::new(path, e.to_string()))
}

/// Puts one element.
pub fn put(object: &mut InMemDicomObject, tag: Tag, vr: VR, value: impl Into<PrimitiveValue>) {
    object.put(DataElement::new(tag, vr, value.into()));
}

/// Puts a sequence of `items`.
pub fn put_sequence(object: &mut InMemDicomObject, tag: Tag, items: Vec<InMemDicomObject>) {
    object.put(DataElement::new(tag, VR::SQ, DataSetSequence::from(items)));
}

/// A Code Sequence macro item (PS3.3 8.8): code value, coding scheme, meaning.
pub fn code(value: &str, scheme: &str, meaning: &str) -> InMemDicomObject {
    let mut item = InMemDicomObject::new_empty();
    put(&mut item, tags::CODE_VALUE, VR::SH, value);
    put(&mut item, tags::CODING_SCHEME_DESIGNATOR, VR::SH, scheme);
    put(&mut item, tags::CODE_MEANING, VR::LO, meaning);
    item
}

/// A multi-valued text element (CS, IS and the like).
pub fn strings(values: &[&str]) -> PrimitiveValue {
    PrimitiveValue::Strs(values.iter().map(|v| v.to_string()).collect())
}

/// Several decimal strings.
pub fn decimals(values: impl IntoIterator<Item = f64>) -> PrimitiveValue {
    PrimitiveValue::Strs(values.into_iter().map(decimal).collect())
}

/// A referenced SOP item: class and instance (PS3.3 10.8, SOP Instance Reference macro).
pub fn reference(class: &str, instance: &str) -> InMemDicomObject {
    let mut item = InMemDicomObject::new_empty();
    put(&mut item, tags::REFERENCED_SOP_CLASS_UID, VR::UI, class);
    put(
        &mut item,
        tags::REFERENCED_SOP_INSTANCE_UID,
        VR::UI,
        instance,
    );
    item
}

/// One region of a mask written as a structure or segment: its label and its name.
#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    pub label: u8,
    pub name: String,
}

/// The regions of `mask`, one per label it holds: a mask holding label 1 alone is `role` (the
/// radiologist's "ROI", the "Tumour"), any other label `role label N`.
pub fn regions_of(mask: &super::volume::Mask, role: &str) -> Vec<Region> {
    let mut present = [false; 256];
    for &label in &mask.labels {
        present[label as usize] = true;
    }
    let labels: Vec<u8> = (1..=255u8).filter(|&l| present[l as usize]).collect();
    labels
        .iter()
        .map(|&label| Region {
            label,
            name: if labels == [1] {
                role.to_string()
            } else {
                format!("{role} label {label}")
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_fit_sixteen_characters_and_keep_what_they_can() {
        assert_eq!(decimal(0.5859375), "0.5859375");
        assert_eq!(decimal(-40.000000000000014), "-40.000000000000");
        assert_eq!(decimal(1.0 / 3.0), "0.33333333333333");
        assert_eq!(decimal(-123456.789), "-123456.789");
        assert_eq!(decimal(1e300).len(), 15);
        for v in [0.1, 2.5, -17.3, 1e-7, 123.456_789_012_3] {
            assert!(decimal(v).len() <= 16);
        }
    }

    #[test]
    fn a_mask_gives_one_region_per_label_named_by_its_role() {
        use crate::imaging::volume::{Geometry, Mask};
        let geometry = Geometry::new([1.0; 3], [0.0; 3]);
        let mask = |labels: &[u8]| {
            Mask::new(
                ndarray::Array3::from_shape_fn((1, 1, labels.len()), |(_, _, i)| labels[i]),
                geometry,
            )
        };
        let names = |labels: &[u8]| -> Vec<(u8, String)> {
            regions_of(&mask(labels), "ROI")
                .into_iter()
                .map(|r| (r.label, r.name))
                .collect()
        };
        assert_eq!(names(&[0, 1, 1]), [(1, "ROI".to_string())]);
        assert_eq!(names(&[0, 2]), [(2, "ROI label 2".to_string())]);
        assert_eq!(
            names(&[3, 0, 1, 3]),
            [
                (1, "ROI label 1".to_string()),
                (3, "ROI label 3".to_string())
            ]
        );
        assert!(names(&[0, 0]).is_empty());
    }
}
