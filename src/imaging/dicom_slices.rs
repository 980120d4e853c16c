//! How the files of a DICOM series folder become slices: objects that are not image slices
//! (reports, presentation states, RT structure sets, segmentations, stray files) are named and left
//! out, and the slices' positions are checked phase by phase — a missing slice is named by its
//! index and position and blamed on the phases that lack it.
//!
//! # References
//! DICOM PS3.4 Annex B.5 (standard SOP classes); PS3.3 C.7.6.2 (Image Plane module).

use super::samples::ImageError;
use std::path::{Path, PathBuf};

/// A file of a series folder that is not one of its image slices, and why it was left out.
#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    pub file: PathBuf,
    pub reason: String,
}

/// Storage classes that travel with images but hold none to read as a slice, by SOP Class UID
/// prefix (DICOM PS3.4 Annex B.5, the standard SOP classes).
/// An entry names its class and the classes below it (`…1.1.88` covers `…1.1.88.11`); the first
/// match is taken.
const NON_IMAGE_CLASSES: [(&str, &str); 10] = [
    ("1.2.840.10008.5.1.4.1.1.88.59", "a key object selection"),
    ("1.2.840.10008.5.1.4.1.1.88", "a structured report"),
    ("1.2.840.10008.5.1.4.1.1.11", "a presentation state"),
    (
        "1.2.840.10008.5.1.4.1.1.104",
        "an encapsulated document (PDF, CDA)",
    ),
    (
        "1.2.840.10008.5.1.4.1.1.481.3",
        "an RT structure set: to use its contours, put it in rois/<id>.dcm or give it to `load case` with `roi=`",
    ),
    ("1.2.840.10008.5.1.4.1.1.481", "an RT object"),
    (
        "1.2.840.10008.5.1.4.1.1.66.4",
        "a segmentation (DICOM-SEG): to use it, put it in rois/<id>.dcm or masks/<id>.dcm, or give it to `load case` with `roi=`",
    ),
    (
        "1.2.840.10008.5.1.4.1.1.66",
        "a raw-data, registration or fiducials object",
    ),
    (
        "1.2.840.10008.5.1.4.1.1.7",
        "a secondary capture (a picture of a screen, not an acquisition)",
    ),
    ("1.2.840.10008.1.3.10", "a DICOMDIR (a media directory)"),
];

/// One sentence for the files left out: "left out 2 files that are not image slices: a (why), b (why)".
pub fn describe_skipped(skipped: &[Skipped]) -> String {
    let listed: Vec<String> = skipped
        .iter()
        .map(|s| {
            let name = s.file.file_name().unwrap_or_default().to_string_lossy();
            format!("{name} ({})", s.reason)
        })
        .collect();
    format!(
        "left out {} {}: {}",
        skipped.len(),
        if skipped.len() == 1 {
            "file that is not an image slice"
        } else {
            "files that are not image slices"
        },
        listed.join(", ")
    )
}

/// What kind of non-image object a SOP Class UID names, if it names one.
pub(super) fn non_image_class(sop_class: &str) -> Option<&'static str> {
    let uid = sop_class.trim_end_matches(['\0', ' ']);
    NON_IMAGE_CLASSES
        .iter()
        .find(|(class, _)| {
            uid.strip_prefix(class)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
        })
        .map(|(_, what)| *what)
}

/// A slice as its position is checked: its distance along the slice normal (mm) and its file.
pub(super) struct Placed<'a> {
    pub distance: f64,
    pub file: &'a Path,
}

/// Distances closer than this (mm) are one slice position.
const SAME_POSITION: f64 = 1e-3;

/// A slice position for a message: `z = …` for axial slices, else the distance along the normal.
fn describe_position(distance: f64, normal: [f64; 3]) -> String {
    if normal[2].abs() > 0.9 {
        format!("z = {:.3} mm", distance * normal[2].signum())
    } else {
        format!("{distance:.3} mm along the slice normal")
    }
}

/// Checks that every phase has a slice at every position and that positions are evenly spaced;
/// returns the positions (mm along the normal) and the slice spacing (none for one slice).
///
/// A slice missing from some phases is named with its index and position and blamed on those
/// phases; a gap missing from every phase is named by the slices on either side.
pub(super) fn check_positions(
    folder: &Path,
    ordered: &[Vec<Placed<'_>>],
    normal: [f64; 3],
) -> Result<(Vec<f64>, Option<f64>), ImageError> {
    let number = |p: usize| {
        if ordered.len() > 1 {
            format!(" of phase {}", p + 1)
        } else {
            String::new()
        }
    };
    for (p, phase) in ordered.iter().enumerate() {
        if let Some(pair) = phase
            .windows(2)
            .find(|w| w[1].distance - w[0].distance < SAME_POSITION)
        {
            return Err(ImageError::new(
                pair[1].file,
                format!(
                    "two slices{} at the same position ({}; the other is {}); is this two series?",
                    number(p),
                    describe_position(pair[0].distance, normal),
                    pair[0].file.display()
                ),
            ));
        }
    }
    // Every position any phase has, in order.
    let mut grid: Vec<f64> = ordered.iter().flatten().map(|s| s.distance).collect();
    grid.sort_by(f64::total_cmp);
    grid.dedup_by(|b, a| *b - *a < SAME_POSITION);
    let has = |phase: &[Placed<'_>], at: f64| {
        phase
            .iter()
            .any(|s| (s.distance - at).abs() < SAME_POSITION)
    };
    let mut lacking = Vec::new();
    for (p, phase) in ordered.iter().enumerate() {
        for (k, at) in grid.iter().enumerate() {
            if !has(phase, *at) {
                lacking.push((p, k, *at));
            }
        }
    }
    // A phase holding positions no other phase has is shifted or from elsewhere, not short of
    // slices: name it, beside a phase that has none of those positions.
    let holders = |at: f64| ordered.iter().filter(|phase| has(phase, at)).count();
    if ordered.len() > 1 {
        for (p, phase) in ordered.iter().enumerate() {
            let own: Vec<f64> = phase
                .iter()
                .map(|s| s.distance)
                .filter(|at| holders(*at) == 1)
                .collect();
            if let Some(first) = own.first() {
                let other = if p == 0 { 1 } else { 0 };
                return Err(ImageError::new(
                    folder,
                    format!(
                        "phase {} has {} slice position(s) no other phase has, the first at {}; its slice positions differ from phase {}'s ({} slices from {})",
                        p + 1,
                        own.len(),
                        describe_position(*first, normal),
                        other + 1,
                        ordered[other].len(),
                        describe_position(ordered[other][0].distance, normal),
                    ),
                ));
            }
        }
    }
    if !lacking.is_empty() {
        let listed: Vec<String> = lacking
            .iter()
            .take(5)
            .map(|(p, k, at)| {
                format!(
                    "phase {} lacks slice {} of {} ({})",
                    p + 1,
                    k + 1,
                    grid.len(),
                    describe_position(*at, normal)
                )
            })
            .collect();
        let more = lacking.len().saturating_sub(listed.len());
        return Err(ImageError::new(
            folder,
            format!(
                "missing slice{}: {}{}; the other phases have {}",
                if lacking.len() > 1 { "s" } else { "" },
                listed.join("; "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                },
                if lacking.len() > 1 { "them" } else { "it" }
            ),
        ));
    }
    // Missing slices only widen gaps, so the narrowest gap is the slice spacing.
    let step = grid.windows(2).map(|w| w[1] - w[0]).reduce(f64::min);
    if let Some(step) = step {
        for (k, w) in grid.windows(2).enumerate() {
            let gap = w[1] - w[0];
            if gap - step > 0.1 * step {
                return Err(ImageError::new(
                    folder,
                    format!(
                        "missing slice{}: a {gap:.3} mm gap between slice {} ({}) and slice {} ({}), where slices are {step:.3} mm apart{}",
                        if gap > 2.5 * step { "s" } else { "" },
                        k + 1,
                        describe_position(w[0], normal),
                        k + 2,
                        describe_position(w[1], normal),
                        if ordered.len() > 1 {
                            "; no phase has it"
                        } else {
                            ""
                        }
                    ),
                ));
            }
        }
    }
    Ok((grid, step))
}
