//! DICOM series: a folder of single-frame slices (uncompressed transfer syntaxes) becomes a
//! multi-phase volume (`dicom_export.rs` writes such folders).
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

use super::dicom_object::{Entry, PhaseKey, Slice, read_object};
use super::dicom_slices::{Placed, check_positions};
pub use super::dicom_slices::{Skipped, describe_skipped};
use super::samples::{ImageError, SampleType};
use super::volume::Geometry;
use ndarray::Array4;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What ties other objects to a series: its Frame of Reference and its slices' SOP Instance UIDs
/// (what an RT structure set or a segmentation refers to).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SeriesIdentity {
    pub series: String,
    pub frame_of_reference: Option<String>,
    pub instances: std::collections::HashSet<String>,
}

impl SeriesIdentity {
    /// Refuses an outline (an RT structure set, a segmentation) made on another scan or series:
    /// one whose Frames of Reference (when it names any) do not include this series', or that
    /// refers to images that are not its slices.
    pub fn check_drawn_on(&self, frames: &[String], images: &[String]) -> Result<(), String> {
        if let Some(frame) = &self.frame_of_reference
            && !frames.is_empty()
            && !frames.contains(frame)
        {
            return Err(format!(
                "its outlines are in Frame of Reference {}, the image's is {frame}: they were drawn on another scan",
                frames.join(", ")
            ));
        }
        let foreign: Vec<&String> = images
            .iter()
            .filter(|uid| !self.instances.contains(*uid))
            .collect();
        if let Some(first) = foreign.first() {
            return Err(format!(
                "it refers to {} image(s) that are not slices of the series {} (first: {first}); it was drawn on another series",
                foreign.len(),
                self.series
            ));
        }
        Ok(())
    }
}

/// What a series folder holds.
pub struct DicomSeries {
    pub voxels: Array4<f32>,
    pub geometry: Geometry,
    /// The slices' stored type after rescaling (doubles when the slices differ).
    pub samples: SampleType,
    /// The voxels as doubles, when a rescale gives fractions.
    pub exact: Option<Array4<f64>>,
    pub identity: SeriesIdentity,
    /// Files of the folder that are not image slices of the series, left out.
    pub skipped: Vec<Skipped>,
}

/// Whether the file has the DICOM preamble magic (`DICM` at byte 128).
pub fn looks_like_dicom(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 132];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok_and(|_| &head[128..132] == b"DICM")
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
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != crate::FILES_RECORD))
        .collect();
    files.sort();
    let mut skipped = Vec::new();
    let mut slices = Vec::new();
    for file in files {
        if !looks_like_dicom(&file) {
            skipped.push(Skipped {
                file,
                reason: "not a DICOM file (no DICM marker at byte 128)".into(),
            });
            continue;
        }
        match read_object(&file).map_err(|message| ImageError::new(&file, message))? {
            Entry::Slice(slice) => slices.push(*slice),
            Entry::Skipped(reason) => skipped.push(Skipped { file, reason }),
        }
    }
    if slices.is_empty() {
        return Err(fail(if skipped.is_empty() {
            "no DICOM files in this folder".into()
        } else {
            format!(
                "no DICOM image slices in this folder; {}",
                describe_skipped(&skipped)
            )
        }));
    }
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
    let placed: Vec<Vec<Placed<'_>>> = ordered
        .iter()
        .map(|phase| {
            phase
                .iter()
                .map(|s| Placed {
                    distance: dot(s.position, normal),
                    file: &s.file,
                })
                .collect()
        })
        .collect();
    let (reference, step) = check_positions(folder, &placed, normal)?;
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
    // Doubles for the whole series when any slice rescales to fractions.
    let exact = slices.iter().any(|s| s.exact.is_some()).then(|| {
        let mut exact = Array4::zeros(voxels.raw_dim());
        for (p, phase) in ordered.iter().enumerate() {
            for (k, s) in phase.iter().enumerate() {
                let values: Vec<f64> = match &s.exact {
                    Some(values) => values.clone(),
                    None => s.pixels.iter().map(|&v| f64::from(v)).collect(),
                };
                let source = ndarray::Array2::from_shape_vec((rows, columns), values)
                    .expect("pixel count checked");
                exact.slice_mut(ndarray::s![p, k, .., ..]).assign(&source);
            }
        }
        exact
    });
    let mut direction = [[0.0; 3]; 3];
    for r in 0..3 {
        direction[r] = [row_direction[r], column_direction[r], normal[r]];
    }
    let geometry = Geometry {
        planar: false,
        // Pixel Spacing is (between rows, between columns).
        spacing: [
            first.pixel_spacing[1],
            first.pixel_spacing[0],
            step.unwrap_or(1.0),
        ],
        origin: ordered[0][0].position,
        direction,
    };
    let identity = SeriesIdentity {
        series: first.series.clone(),
        frame_of_reference: first.frame_of_reference.clone(),
        instances: slices.iter().map(|s| s.instance.clone()).collect(),
    };
    let samples = if slices.iter().all(|s| s.samples == first.samples) {
        first.samples
    } else {
        SampleType::F64
    };
    Ok(DicomSeries {
        voxels,
        samples,
        exact,
        geometry,
        identity,
        skipped,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::imaging::dicom_export::write_series;
    use dicom_dictionary_std::tags;

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
    fn missing_slices_are_named_by_index_position_and_phase() {
        let (voxels, geometry) = series();
        let dir = temp("missing");
        write_series(&dir, voxels.view(), &geometry, "P0001", 7).unwrap();
        // Slice 2 (z = -6 mm) missing from phase 1 only: phase 1 is blamed, not phase 2.
        std::fs::remove_file(dir.join("phase01_slice0002.dcm")).unwrap();
        let error = read_series(&dir).err().unwrap().message;
        assert_eq!(
            error,
            "missing slice: phase 1 lacks slice 2 of 4 (z = -6.000 mm); the other phases have it"
        );
        std::fs::remove_file(dir.join("phase03_slice0004.dcm")).unwrap();
        let error = read_series(&dir).err().unwrap().message;
        assert_eq!(
            error,
            "missing slices: phase 1 lacks slice 2 of 4 (z = -6.000 mm); phase 3 lacks slice 4 of 4 (z = -3.000 mm); the other phases have them"
        );
        // Missing from every phase: named by the slices on either side.
        write_series(&dir, voxels.view(), &geometry, "P0001", 7).unwrap();
        for p in 1..=3 {
            std::fs::remove_file(dir.join(format!("phase{p:02}_slice0002.dcm"))).unwrap();
        }
        let error = read_series(&dir).err().unwrap().message;
        assert_eq!(
            error,
            "missing slice: a 3.000 mm gap between slice 1 (z = -7.500 mm) and slice 2 (z = -4.500 mm), where slices are 1.500 mm apart; no phase has it"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_phase_on_other_positions_is_named() {
        let (voxels, geometry) = series();
        let dir = temp("shifted");
        write_series(&dir, voxels.view(), &geometry, "P0001", 7).unwrap();
        let shifted = temp("shifted-source");
        let moved = Geometry::new([0.586, 0.6, 1.5], [-40.0, 20.0, -7.0]);
        write_series(&shifted, voxels.view(), &moved, "P0001", 7).unwrap();
        for k in 1..=4 {
            let name = format!("phase02_slice{k:04}.dcm");
            std::fs::rename(shifted.join(&name), dir.join(&name)).unwrap();
        }
        let error = read_series(&dir).err().unwrap().message;
        assert_eq!(
            error,
            "phase 2 has 4 slice position(s) no other phase has, the first at z = -7.000 mm; its slice positions differ from phase 1's (4 slices from z = -7.500 mm)"
        );
        std::fs::remove_dir_all(&dir).unwrap();
        std::fs::remove_dir_all(&shifted).unwrap();
    }

    /// A DICOM object without pixel data, of the given storage class.
    fn write_object(path: &Path, sop_class: &str, modality: &str) {
        use dicom_core::{DataElement, VR};
        use dicom_object::{FileMetaTableBuilder, InMemDicomObject};
        let mut object = InMemDicomObject::new_empty();
        object.put(DataElement::new(tags::SOP_CLASS_UID, VR::UI, sop_class));
        object.put(DataElement::new(tags::SOP_INSTANCE_UID, VR::UI, "2.25.1"));
        object.put(DataElement::new(tags::MODALITY, VR::CS, modality));
        let meta = FileMetaTableBuilder::new()
            .media_storage_sop_class_uid(sop_class)
            .media_storage_sop_instance_uid("2.25.1")
            .transfer_syntax("1.2.840.10008.1.2.1");
        object.with_meta(meta).unwrap().write_to_file(path).unwrap();
    }

    #[test]
    fn objects_that_are_not_slices_are_left_out_and_listed() {
        let (voxels, geometry) = series();
        let dir = temp("others");
        write_series(&dir, voxels.view(), &geometry, "P0001", 7).unwrap();
        write_object(
            &dir.join("report.dcm"),
            "1.2.840.10008.5.1.4.1.1.88.22",
            "SR",
        );
        write_object(&dir.join("ps.dcm"), "1.2.840.10008.5.1.4.1.1.11.1", "PR");
        write_object(&dir.join("odd.dcm"), "1.2.840.10008.5.1.4.1.1.9.1.1", "ECG");
        std::fs::write(dir.join("notes.txt"), "seen by Dr A").unwrap();
        std::fs::write(dir.join(".DS_Store"), [0u8; 300]).unwrap();
        std::fs::write(dir.join(crate::FILES_RECORD), "").unwrap();
        let read = read_series(&dir).unwrap();
        assert_eq!(read.voxels, voxels);
        let skipped: Vec<(String, &str)> = read
            .skipped
            .iter()
            .map(|s| {
                let name = s.file.file_name().unwrap().to_string_lossy().to_string();
                (name, s.reason.as_str())
            })
            .collect();
        let not_dicom = "not a DICOM file (no DICM marker at byte 128)";
        assert_eq!(
            skipped,
            [
                (".DS_Store".to_string(), not_dicom),
                ("notes.txt".to_string(), not_dicom),
                (
                    "odd.dcm".to_string(),
                    "no pixel data (modality ECG, SOP class 1.2.840.10008.5.1.4.1.1.9.1.1)"
                ),
                ("ps.dcm".to_string(), "a presentation state"),
                ("report.dcm".to_string(), "a structured report"),
            ]
        );
        assert!(
            describe_skipped(&read.skipped)
                .starts_with("left out 5 files that are not image slices: .DS_Store (not a DICOM"),
        );
        // A folder of reports only says what it holds.
        let reports = temp("reports");
        std::fs::create_dir_all(&reports).unwrap();
        write_object(
            &reports.join("rt.dcm"),
            "1.2.840.10008.5.1.4.1.1.481.3",
            "RTSTRUCT",
        );
        let error = read_series(&reports).err().unwrap().message;
        assert_eq!(
            error,
            "no DICOM image slices in this folder; left out 1 file that is not an image slice: rt.dcm (an RT structure set: to use its contours, put it in rois/<id>.dcm or give it to `load case` with `roi=`)"
        );
        std::fs::remove_dir_all(&dir).unwrap();
        std::fs::remove_dir_all(&reports).unwrap();
    }

    #[test]
    fn mixed_series_are_refused() {
        let (voxels, geometry) = series();
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
        std::fs::remove_dir_all(&mixed).unwrap();
    }
}
