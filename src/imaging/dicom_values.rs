//! Reading values out of a parsed DICOM object, for the readers of RT structure sets and
//! segmentations: an element's text, numbers and sequence items, and opening a file that must be
//! of one storage class (read once, its lengths checked before parsing, `dicom_guard.rs`).

use super::samples::ImageError;
use dicom_core::Tag;
use dicom_object::mem::InMemElement;
use dicom_object::{DefaultDicomObject, InMemDicomObject};
use std::path::Path;

/// Opens `path`, which must be of SOP class `class` (`what` names it in the message).
pub(super) fn open_of_class(
    path: &Path,
    class: &str,
    what: &str,
) -> Result<DefaultDicomObject, ImageError> {
    let fail = |message: String| ImageError::new(path, message);
    let object = super::dicom_guard::open_checked(path).map_err(fail)?;
    let found = object.meta().media_storage_sop_class_uid.clone();
    if found.trim_end_matches(['\0', ' ']) != class {
        return Err(fail(format!(
            "not {what} (SOP class {})",
            found.trim_end_matches('\0')
        )));
    }
    Ok(object)
}

pub(super) fn element(object: &InMemDicomObject, tag: Tag) -> Option<&InMemElement> {
    object.element_opt(tag).ok().flatten()
}

/// An element's value as trimmed text.
pub(super) fn text(object: &InMemDicomObject, tag: Tag) -> Option<String> {
    element(object, tag)
        .and_then(|e| e.to_str().ok())
        .map(|s| s.trim().trim_end_matches('\0').to_string())
}

/// A sequence's items (none when absent).
pub(super) fn items(object: &InMemDicomObject, tag: Tag) -> &[InMemDicomObject] {
    element(object, tag).and_then(|e| e.items()).unwrap_or(&[])
}

/// An element's values as numbers.
pub(super) fn numbers(object: &InMemDicomObject, tag: Tag) -> Option<Vec<f64>> {
    element(object, tag).and_then(|e| e.to_multi_float64().ok())
}
