//! DICOM RT structure sets: the radiologist's outlines as closed planar contours in patient
//! coordinates, turned into a mask on the grid of the image they were drawn on.
//!
//! A structure is rasterised slice by slice. Each contour's points are taken to the image's
//! continuous voxel indices; the contour must lie in one slice of the grid. A voxel whose centre
//! lies on a contour (within 10⁻⁴ voxel) belongs to the structure: a contour drawn through the
//! centres of the boundary voxels — as tools that turn masks into contours (rt-utils, OpenCV)
//! draw them, around holes too — gives back the mask it was drawn from. Any other voxel belongs to
//! it when an odd number of the slice's contours enclose its centre (the even-odd rule: a contour
//! inside another is a hole), by the scan-line crossing count on its row.
//!
//! plastimatch (`convert --xor-contours`) counts a centre on an edge by the half-open rule instead
//! (kept on the left and upper edges, dropped on the right and lower ones), so the two agree
//! wherever no contour passes through a voxel centre, and differ on exactly those voxels otherwise.
//!
//! # References
//! DICOM PS3.3 C.8.8.5 (Structure Set module), C.8.8.6 (ROI Contour module: ContourData in mm,
//! ContourGeometricType); A.19 (RT Structure Set IOD). Foley, van Dam et al., Computer Graphics:
//! Principles and Practice, 2nd ed., §3.6 (scan-line polygon filling, the half-open rule).
//! plastimatch `convert --xor-contours` is the reference the tests compare with.

use super::dicom_values::{items, open_of_class, text};
use super::samples::ImageError;
use super::volume::{Geometry, Mask};
use dicom_dictionary_std::tags;
use ndarray::Array3;
use std::path::Path;

/// The SOP Class UID of RT Structure Set Storage.
pub const RT_STRUCTURE_SET: &str = "1.2.840.10008.5.1.4.1.1.481.3";

/// An RT structure set as read: what it refers to and its structures.
#[derive(Debug, Clone, PartialEq)]
pub struct StructureSet {
    /// The Frame of Reference UIDs its contours are in.
    pub frames_of_reference: Vec<String>,
    /// The SOP Instance UIDs of the images its contours name.
    pub referenced_images: Vec<String>,
    pub structures: Vec<Structure>,
}

/// One structure (ROI): its number and name and its contours.
#[derive(Debug, Clone, PartialEq)]
pub struct Structure {
    pub number: i64,
    pub name: String,
    pub contours: Vec<Contour>,
}

/// One contour: its geometric type and its points in patient coordinates (mm).
#[derive(Debug, Clone, PartialEq)]
pub struct Contour {
    pub geometric_type: String,
    pub points: Vec<[f64; 3]>,
}

/// Reads the structures of an RT structure set file.
pub fn read(path: &Path) -> Result<StructureSet, ImageError> {
    let fail = |message: String| ImageError::new(path, message);
    let object = open_of_class(path, RT_STRUCTURE_SET, "an RT structure set")?;
    let mut frames_of_reference = Vec::new();
    let mut referenced_images = Vec::new();
    for frame in items(&object, tags::REFERENCED_FRAME_OF_REFERENCE_SEQUENCE) {
        frames_of_reference.extend(text(frame, tags::FRAME_OF_REFERENCE_UID));
        for study in items(frame, tags::RT_REFERENCED_STUDY_SEQUENCE) {
            for series in items(study, tags::RT_REFERENCED_SERIES_SEQUENCE) {
                for image in items(series, tags::CONTOUR_IMAGE_SEQUENCE) {
                    referenced_images.extend(text(image, tags::REFERENCED_SOP_INSTANCE_UID));
                }
            }
        }
    }
    let mut structures: Vec<Structure> = items(&object, tags::STRUCTURE_SET_ROI_SEQUENCE)
        .iter()
        .map(|roi| {
            let number = text(roi, tags::ROI_NUMBER)
                .and_then(|n| n.parse().ok())
                .ok_or_else(|| fail("a structure has no ROI Number".into()))?;
            if let Some(frame) = text(roi, tags::REFERENCED_FRAME_OF_REFERENCE_UID)
                && !frames_of_reference.contains(&frame)
            {
                frames_of_reference.push(frame);
            }
            Ok(Structure {
                number,
                name: text(roi, tags::ROI_NAME).unwrap_or_default(),
                contours: Vec::new(),
            })
        })
        .collect::<Result<_, ImageError>>()?;
    for roi in items(&object, tags::ROI_CONTOUR_SEQUENCE) {
        let number: i64 = text(roi, tags::REFERENCED_ROI_NUMBER)
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| fail("a contour set names no Referenced ROI Number".into()))?;
        let structure = structures
            .iter_mut()
            .find(|s| s.number == number)
            .ok_or_else(|| {
                fail(format!(
                    "contours for ROI number {number}, which no structure has"
                ))
            })?;
        for (c, contour) in items(roi, tags::CONTOUR_SEQUENCE).iter().enumerate() {
            let values = contour
                .element_opt(tags::CONTOUR_DATA)
                .ok()
                .flatten()
                .and_then(|e| e.to_multi_float64().ok())
                .unwrap_or_default();
            if values.len() % 3 != 0 || values.iter().any(|v| !v.is_finite()) {
                return Err(fail(format!(
                    "structure `{}`, contour {}: Contour Data holds {} values, not finite (x, y, z) triples",
                    structure.name,
                    c + 1,
                    values.len()
                )));
            }
            for image in items(contour, tags::CONTOUR_IMAGE_SEQUENCE) {
                referenced_images.extend(text(image, tags::REFERENCED_SOP_INSTANCE_UID));
            }
            structure.contours.push(Contour {
                geometric_type: text(contour, tags::CONTOUR_GEOMETRIC_TYPE).unwrap_or_default(),
                points: values.chunks(3).map(|p| [p[0], p[1], p[2]]).collect(),
            });
        }
    }
    referenced_images.sort();
    referenced_images.dedup();
    Ok(StructureSet {
        frames_of_reference,
        referenced_images,
        structures,
    })
}

impl StructureSet {
    /// The structure called `name` (any letter case), or the only one; else an error listing the
    /// names.
    pub fn structure(&self, name: Option<&str>) -> Result<&Structure, String> {
        let names = || {
            self.structures
                .iter()
                .map(|s| format!("`{}`", s.name))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match name {
            Some(name) => {
                let found: Vec<&Structure> = self
                    .structures
                    .iter()
                    .filter(|s| s.name.eq_ignore_ascii_case(name.trim()))
                    .collect();
                match found.as_slice() {
                    [one] => Ok(one),
                    [] => Err(format!(
                        "no structure called `{name}`; the structure set has {}",
                        names()
                    )),
                    _ => Err(format!(
                        "{} structures are called `{name}` (ROI numbers {}); rename one",
                        found.len(),
                        found
                            .iter()
                            .map(|s| s.number.to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                }
            }
            None => match self.structures.as_slice() {
                [one] => Ok(one),
                [] => Err("the structure set holds no structure".into()),
                _ => Err(format!(
                    "the structure set has {} structures — {}; choose one with `roi=NAME`",
                    self.structures.len(),
                    names()
                )),
            },
        }
    }
}

/// How far (in slices) a contour may lie from a slice of the grid and still be on it.
const SLICE_TOLERANCE: f64 = 0.1;

/// Voxel centres closer than this to a contour (in voxels) lie on it.
const ON_CONTOUR: f64 = 1e-4;

/// Flips, in `parity` (rows × columns), the pixels whose centres lie inside the polygon given by
/// its vertices in continuous (column, row) indices (the crossing count on each row, an edge
/// spanning the half-open [lower, upper) rows), and marks in `on_edge` those whose centres lie on
/// one of its edges.
fn fill_polygon(
    parity: &mut ndarray::ArrayViewMut2<'_, u8>,
    on_edge: &mut ndarray::ArrayViewMut2<'_, u8>,
    polygon: &[(f64, f64)],
) {
    let (rows, columns) = parity.dim();
    let mut vertices = polygon.to_vec();
    if vertices.len() > 1 && vertices.first() == vertices.last() {
        vertices.pop();
    }
    let n = vertices.len();
    let last_row = rows as f64 - 1.0;
    let last_column = columns as f64 - 1.0;
    // Centres on an edge: row by row, only the columns the edge passes near, so an edge costs
    // about its length in pixels.
    for e in 0..n {
        let (a, b) = (vertices[e], vertices[(e + 1) % n]);
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let length = dx * dx + dy * dy;
        let low_row = (a.1.min(b.1) - ON_CONTOUR).ceil().max(0.0);
        let high_row = (a.1.max(b.1) + ON_CONTOUR).floor().min(last_row);
        let mut row = low_row;
        while row <= high_row {
            // The part of the edge within ON_CONTOUR of this row.
            let (t0, t1) = if dy.abs() > 0.0 {
                let t0 = (row - ON_CONTOUR - a.1) / dy;
                let t1 = (row + ON_CONTOUR - a.1) / dy;
                (t0.min(t1).max(0.0), t0.max(t1).min(1.0))
            } else {
                (0.0, 1.0)
            };
            let (x0, x1) = (a.0 + t0 * dx, a.0 + t1 * dx);
            let mut column = (x0.min(x1) - ON_CONTOUR).ceil().max(0.0);
            let high_column = (x0.max(x1) + ON_CONTOUR).floor().min(last_column);
            while column <= high_column {
                let t = if length > 0.0 {
                    (((column - a.0) * dx + (row - a.1) * dy) / length).clamp(0.0, 1.0)
                } else {
                    0.0
                };
                let (px, py) = (a.0 + t * dx - column, a.1 + t * dy - row);
                if px * px + py * py <= ON_CONTOUR * ON_CONTOUR {
                    on_edge[[row as usize, column as usize]] = 1;
                }
                column += 1.0;
            }
            row += 1.0;
        }
    }
    // Crossings, bucketed by row: an edge meets the rows in [lower y, upper y).
    let mut crossings: Vec<Vec<f64>> = vec![Vec::new(); rows];
    for e in 0..n {
        let (a, b) = (vertices[e], vertices[(e + 1) % n]);
        let (low, high) = if a.1 < b.1 { (a, b) } else { (b, a) };
        if low.1 == high.1 {
            continue;
        }
        let first = low.1.ceil().max(0.0);
        let mut row = first;
        while row < high.1 && row <= last_row {
            let x = low.0 + (row - low.1) * (high.0 - low.0) / (high.1 - low.1);
            crossings[row as usize].push(x);
            row += 1.0;
        }
    }
    // A centre is inside when an odd number of crossings lie at or left of it: columns from
    // each odd crossing (included) to the next (excluded).
    for (row, xs) in crossings.iter_mut().enumerate() {
        if xs.is_empty() {
            continue;
        }
        xs.sort_by(f64::total_cmp);
        for pair in xs.chunks(2) {
            let start = pair[0].ceil().max(0.0);
            let end = pair
                .get(1)
                .map_or(columns as f64, |x| x.ceil().min(columns as f64));
            let mut column = start;
            while column < end {
                parity[[row, column as usize]] ^= 1;
                column += 1.0;
            }
        }
    }
}

/// Rasterises `structure` on the grid of an image (`geometry`, `shape` = slices × rows ×
/// columns): 1 inside, 0 outside. Contours other than closed planar ones (points, open lines) are
/// not areas and are counted apart; the count is returned with the mask.
pub fn rasterise(
    structure: &Structure,
    geometry: &Geometry,
    shape: [usize; 3],
) -> Result<(Mask, usize), String> {
    if geometry.continuous_index(geometry.origin)[0].is_nan() {
        return Err("the image's direction matrix is singular".into());
    }
    let index_of = |p: &[f64; 3]| geometry.continuous_index(*p);
    let mut parity = Array3::<u8>::zeros(shape);
    let mut on_edge = Array3::<u8>::zeros(shape);
    let mut not_areas = 0;
    for (c, contour) in structure.contours.iter().enumerate() {
        if contour.geometric_type != "CLOSED_PLANAR" {
            not_areas += 1;
            continue;
        }
        if contour.points.len() < 3 {
            continue;
        }
        let indices: Vec<[f64; 3]> = contour.points.iter().map(index_of).collect();
        let k = indices.iter().map(|i| i[2]).sum::<f64>() / indices.len() as f64;
        let slice = k.round();
        let spread = indices.iter().map(|i| (i[2] - k).abs()).fold(0.0, f64::max);
        let position = contour.points[0][2];
        if spread > SLICE_TOLERANCE || (k - slice).abs() > SLICE_TOLERANCE {
            return Err(format!(
                "structure `{}`, contour {} (z = {position:.3} mm) does not lie on a slice of the image: it is at slice index {k:.2}; was it drawn on another series?",
                structure.name,
                c + 1
            ));
        }
        if slice < 0.0 || slice >= shape[0] as f64 {
            return Err(format!(
                "structure `{}`, contour {} (z = {position:.3} mm) lies outside the image's {} slices (at slice index {slice})",
                structure.name,
                c + 1,
                shape[0]
            ));
        }
        let polygon: Vec<(f64, f64)> = indices.iter().map(|i| (i[0], i[1])).collect();
        let at = ndarray::Axis(0);
        fill_polygon(
            &mut parity.index_axis_mut(at, slice as usize),
            &mut on_edge.index_axis_mut(at, slice as usize),
            &polygon,
        );
    }
    let labels = parity | on_edge;
    Ok((Mask::new(labels, *geometry), not_areas))
}

/// The mask of structure `roi` of the structure set at `path` on an image's grid, checked against
/// the image's series when it is a DICOM series (`identity`): same Frame of Reference, and every
/// image the contours name one of its slices. Returns the mask and what was said of it.
pub fn read_mask(
    path: &Path,
    roi: Option<&str>,
    geometry: &Geometry,
    shape: [usize; 3],
    identity: Option<&super::dicom::SeriesIdentity>,
) -> Result<(Mask, Vec<String>), ImageError> {
    let set = read(path)?;
    let fail = |message: String| ImageError::new(path, message);
    if let Some(identity) = identity {
        identity
            .check_drawn_on(&set.frames_of_reference, &set.referenced_images)
            .map_err(fail)?;
    }
    let structure = set.structure(roi).map_err(fail)?;
    let (mask, not_areas) = rasterise(structure, geometry, shape).map_err(fail)?;
    let mut notes = Vec::new();
    if not_areas > 0 {
        notes.push(format!(
            "{}: structure `{}` has {not_areas} contour(s) that are points or open lines, not areas; they were left out",
            path.display(),
            structure.name
        ));
    }
    if mask.count() == 0 {
        return Err(fail(format!(
            "structure `{}` covers no voxel centre of the image",
            structure.name
        )));
    }
    Ok((mask, notes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(z: f64, low: f64, high: f64) -> Contour {
        Contour {
            geometric_type: "CLOSED_PLANAR".into(),
            points: vec![
                [low, low, z],
                [high, low, z],
                [high, high, z],
                [low, high, z],
            ],
        }
    }

    #[test]
    fn voxels_whose_centres_lie_on_a_contour_belong_to_it() {
        // A square through the centres 1 and 4 (1 mm pixels): columns and rows 1 to 4.
        let structure = Structure {
            number: 1,
            name: "s".into(),
            contours: vec![square(0.0, 1.0, 4.0)],
        };
        let geometry = Geometry::new([1.0, 1.0, 2.0], [0.0; 3]);
        let (mask, _) = rasterise(&structure, &geometry, [1, 6, 6]).unwrap();
        let inside: Vec<(usize, usize)> = mask
            .labels
            .indexed_iter()
            .filter(|(_, v)| **v == 1)
            .map(|((_, j, i), _)| (j, i))
            .collect();
        let expected: Vec<(usize, usize)> =
            (1..5).flat_map(|j| (1..5).map(move |i| (j, i))).collect();
        assert_eq!(inside, expected);
    }

    #[test]
    fn an_inner_contour_is_a_hole_and_contours_are_placed_by_z() {
        let structure = Structure {
            number: 1,
            name: "ring".into(),
            contours: vec![square(4.0, -0.5, 7.5), square(4.0, 1.5, 5.5)],
        };
        let geometry = Geometry::new([1.0, 1.0, 2.0], [0.0; 3]);
        let (mask, _) = rasterise(&structure, &geometry, [3, 8, 8]).unwrap();
        assert_eq!(mask.area_by_slice(), vec![0, 0, 64 - 16]);
        assert_eq!(mask.labels[[2, 3, 3]], 0);
        assert_eq!(mask.labels[[2, 0, 0]], 1);
        // Between two slices: refused, naming the structure and the position.
        let between = Structure {
            number: 1,
            name: "off".into(),
            contours: vec![square(3.0, 0.5, 2.5)],
        };
        let error = rasterise(&between, &geometry, [3, 8, 8]).unwrap_err();
        assert!(
            error.starts_with("structure `off`, contour 1 (z = 3.000 mm) does not lie on a slice of the image: it is at slice index 1.50"),
            "{error}"
        );
    }

    #[test]
    fn structures_are_chosen_by_name_in_any_case() {
        let set = StructureSet {
            frames_of_reference: vec![],
            referenced_images: vec![],
            structures: vec![
                Structure {
                    number: 1,
                    name: "GTV".into(),
                    contours: vec![],
                },
                Structure {
                    number: 2,
                    name: "Nodes".into(),
                    contours: vec![],
                },
            ],
        };
        assert_eq!(set.structure(Some("gtv")).unwrap().number, 1);
        assert_eq!(
            set.structure(None).unwrap_err(),
            "the structure set has 2 structures — `GTV`, `Nodes`; choose one with `roi=NAME`"
        );
        assert_eq!(
            set.structure(Some("CTV")).unwrap_err(),
            "no structure called `CTV`; the structure set has `GTV`, `Nodes`"
        );
    }
}
