//! 2-D shape of a one-slice region: the contour by marching squares (vertices at pixel-edge
//! midpoints), its enclosed area and length, the largest vertex distance, and the principal axes
//! of the pixel centres.
//!
//! # Formula
//! MeshSurface A (area inside the contour, shoelace), PixelSurface N·Δx·Δy, Perimeter P (contour
//! length), PerimeterSurfaceRatio P/A, Sphericity 2√(πA)/P, MaximumDiameter the largest distance
//! between contour vertices, Major/MinorAxisLength 4√λ_max, 4√λ_min with λ the eigenvalues of the
//! 1/N covariance of the pixel centres (mm), Elongation √(λ_min/λ_max).
//!
//! # References
//! Lorensen & Cline, SIGGRAPH 1987 (marching cubes; squares are its 2-D case); PyRadiomics 3.0.1
//! `shape2D.py` and `cshape.c` (`calculate_coefficients2D`); IBSI 1 §3.1 (3-D analogues).
//!
//! # Remarks
//! The two saddle configurations (diagonal corners in) are split so the inside corners stay apart,
//! as PyRadiomics does. SphericalDisproportion (the study's) is 1/Sphericity; see `study.rs`.
//! The longest chord is searched among the first and last vertex of each row, which gives
//! PyRadiomics's all-pairs maximum without its quadratic cost.

use super::Region;

/// Midpoints of the square's edges as (row, column) offsets: top, right, bottom, left.
const EDGE_MIDPOINTS: [(f64, f64); 4] = [(0.0, 0.5), (0.5, 1.0), (1.0, 0.5), (0.5, 0.0)];

/// Contour segments of a square whose corners (top-left, top-right, bottom-right, bottom-left)
/// are in the region by the bits of `case`, as pairs of edges. Each segment joins the two edges
/// where the corner state changes, oriented so the region is on the same side of every segment —
/// the one table this numbering and orientation allow (the standard marching-squares table).
fn segments(case: u8) -> &'static [(usize, usize)] {
    match case {
        1 => &[(3, 0)],
        2 => &[(0, 1)],
        3 => &[(3, 1)],
        4 => &[(1, 2)],
        5 => &[(1, 2), (3, 0)],
        6 => &[(0, 2)],
        7 => &[(3, 2)],
        8 => &[(2, 3)],
        9 => &[(2, 0)],
        10 => &[(0, 1), (2, 3)],
        11 => &[(2, 1)],
        12 => &[(1, 3)],
        13 => &[(1, 0)],
        14 => &[(0, 3)],
        _ => &[],
    }
}

pub fn features(region: &Region) -> Vec<(&'static str, f64)> {
    let plane = region.mask.index_axis(ndarray::Axis(0), 0);
    let (rows, columns) = plane.dim();
    let (dy, dx) = (region.spacing[1], region.spacing[0]);
    // Padded by one pixel so every border square is visited.
    let inside = |r: isize, c: isize| {
        r >= 0
            && c >= 0
            && (r as usize) < rows
            && (c as usize) < columns
            && plane[[r as usize, c as usize]]
    };
    let (mut perimeter, mut twice_area) = (0.0, 0.0);
    // The first and last contour vertex of each row line, by the line's half-pixel index: a
    // vertex between two others on a line is never an end of the longest chord.
    type Point = (f64, f64);
    let mut row_ends: std::collections::BTreeMap<isize, (Point, Point)> =
        std::collections::BTreeMap::new();
    let mut add_vertex = |line: isize, point: (f64, f64)| {
        let ends = row_ends.entry(line).or_insert((point, point));
        if point.1 < ends.0.1 {
            ends.0 = point;
        }
        if point.1 > ends.1.1 {
            ends.1 = point;
        }
    };
    for r in -1..rows as isize {
        for c in -1..columns as isize {
            let corners = [
                inside(r, c),
                inside(r, c + 1),
                inside(r + 1, c + 1),
                inside(r + 1, c),
            ];
            let case = corners
                .iter()
                .enumerate()
                .fold(0u8, |acc, (bit, &on)| acc | (u8::from(on) << bit));
            if case == 0 || case == 15 {
                continue;
            }
            let point = |edge: usize| {
                let (or, oc) = EDGE_MIDPOINTS[edge];
                ((r as f64 + 1.0 + or) * dy, (c as f64 + 1.0 + oc) * dx)
            };
            for &(from, to) in segments(case) {
                let (a, b) = (point(from), point(to));
                twice_area += a.0 * b.1 - b.0 * a.1;
                perimeter += ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
            }
            // Each vertex once: the left and bottom edges' midpoints, owned by this square.
            let flipped = if case > 7 { case ^ 15 } else { case };
            if flipped & 1 != 0 {
                add_vertex(2 * r + 3, point(3));
            }
            if flipped & 4 != 0 {
                add_vertex(2 * r + 4, point(2));
            }
        }
    }
    let area = twice_area / 2.0;
    let vertices: Vec<(f64, f64)> = row_ends.values().flat_map(|&(a, b)| [a, b]).collect();
    let mut diameter_squared: f64 = 0.0;
    for (n, a) in vertices.iter().enumerate() {
        for b in &vertices[..n] {
            diameter_squared = diameter_squared.max((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2));
        }
    }
    let centres: Vec<(f64, f64)> = plane
        .indexed_iter()
        .filter(|(_, on)| **on)
        .map(|((r, c), _)| (r as f64 * dy, c as f64 * dx))
        .collect();
    let n = centres.len() as f64;
    let (mr, mc) = centres
        .iter()
        .fold((0.0, 0.0), |(a, b), p| (a + p.0 / n, b + p.1 / n));
    let (mut srr, mut scc, mut src) = (0.0, 0.0, 0.0);
    for (r, c) in &centres {
        srr += (r - mr) * (r - mr) / n;
        scc += (c - mc) * (c - mc) / n;
        src += (r - mr) * (c - mc) / n;
    }
    let half_trace = (srr + scc) / 2.0;
    let root = (((srr - scc) / 2.0).powi(2) + src * src).sqrt();
    let clean = |v: f64| if v < 0.0 && v > -1e-10 { 0.0 } else { v };
    let (small, large) = (clean(half_trace - root), clean(half_trace + root));
    let axis = |v: f64| if v < 0.0 { f64::NAN } else { 4.0 * v.sqrt() };
    vec![
        ("MeshSurface", area),
        ("PixelSurface", n * dx * dy),
        ("Perimeter", perimeter),
        ("PerimeterSurfaceRatio", perimeter / area),
        (
            "Sphericity",
            2.0 * (std::f64::consts::PI * area).sqrt() / perimeter,
        ),
        ("MaximumDiameter", diameter_squared.sqrt()),
        ("MajorAxisLength", axis(large)),
        ("MinorAxisLength", axis(small)),
        (
            "Elongation",
            if small < 0.0 || large < 0.0 {
                f64::NAN
            } else {
                (small / large).sqrt()
            },
        ),
    ]
}
