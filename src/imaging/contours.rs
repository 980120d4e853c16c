//! A mask plane's outline as closed polygons along the pixel edges that separate its foreground
//! from its background: the contours an RT structure set is written with.
//!
//! Every edge between a foreground pixel and a background pixel (or the plane's border) is taken,
//! directed so that the foreground lies on its left; the edges are chained into closed loops and
//! collinear corners are dropped. A pixel centre is never on such an edge (it lies half a pixel
//! from each), so the even-odd rule — a centre inside an odd number of loops is foreground — gives
//! back exactly the plane the loops were drawn from, whatever a reader does with centres on an
//! edge, and however the loops are split where two pixels touch only at a corner: the parity of
//! the crossings of a ray depends on the set of edges alone.
//!
//! # References
//! Foley, van Dam et al., Computer Graphics: Principles and Practice, 2nd ed., §3.6 (the
//! even-odd rule); DICOM PS3.3 C.8.8.6 (CLOSED_PLANAR contours, an inner one being a hole).

use ndarray::ArrayView2;

/// A corner of the pixel lattice: `(row, column)`; pixel `(j, i)` spans corners `(j, i)` to
/// `(j + 1, i + 1)`, so corner `(r, c)` is at continuous pixel index `(c − ½, r − ½)`.
pub type Corner = [usize; 2];

/// The four directions an edge can run, as bits of a corner's set of outgoing edges.
const UP: u8 = 1;
const DOWN: u8 = 2;
const LEFT: u8 = 4;
const RIGHT: u8 = 8;

fn step(corner: Corner, direction: u8) -> Corner {
    let [r, c] = corner;
    match direction {
        UP => [r - 1, c],
        DOWN => [r + 1, c],
        LEFT => [r, c - 1],
        _ => [r, c + 1],
    }
}

/// The directions after a left turn, straight on and a right turn, in that order (rows grow
/// downwards, so with the foreground on the left an outer loop runs counter-clockwise on screen).
fn turns(direction: u8) -> [u8; 3] {
    match direction {
        UP => [LEFT, UP, RIGHT],
        DOWN => [RIGHT, DOWN, LEFT],
        LEFT => [DOWN, LEFT, UP],
        _ => [UP, RIGHT, DOWN],
    }
}

/// The closed loops outlining the `true` pixels of `plane` (rows × columns), each a list of its
/// corners without repeating the first; loops are found in row-major order of their first
/// corner, so the result is the same on every run.
pub fn pixel_edge_loops(plane: ArrayView2<'_, bool>) -> Vec<Vec<Corner>> {
    let (rows, columns) = plane.dim();
    let width = columns + 1;
    let mut outgoing = vec![0u8; (rows + 1) * width];
    let at = |r: usize, c: usize| r * width + c;
    let inside = |j: isize, i: isize| {
        j >= 0
            && i >= 0
            && (j as usize) < rows
            && (i as usize) < columns
            && plane[[j as usize, i as usize]]
    };
    let mut edges = 0usize;
    for ((j, i), &set) in plane.indexed_iter() {
        if !set {
            continue;
        }
        let (sj, si) = (j as isize, i as isize);
        // Foreground on the left of each edge: the top side runs left, the left side down, the
        // bottom side right and the right side up.
        if !inside(sj - 1, si) {
            outgoing[at(j, i + 1)] |= LEFT;
            edges += 1;
        }
        if !inside(sj, si - 1) {
            outgoing[at(j, i)] |= DOWN;
            edges += 1;
        }
        if !inside(sj + 1, si) {
            outgoing[at(j + 1, i)] |= RIGHT;
            edges += 1;
        }
        if !inside(sj, si + 1) {
            outgoing[at(j + 1, i + 1)] |= UP;
            edges += 1;
        }
    }
    let mut loops = Vec::new();
    let mut next_start = 0;
    while edges > 0 {
        while outgoing[next_start] == 0 {
            next_start += 1;
        }
        let start = [next_start / width, next_start % width];
        let first = [UP, DOWN, LEFT, RIGHT]
            .into_iter()
            .find(|d| outgoing[next_start] & d != 0)
            .unwrap_or(UP);
        let mut corners = vec![start];
        let mut corner = start;
        let mut direction = first;
        loop {
            outgoing[at(corner[0], corner[1])] &= !direction;
            edges -= 1;
            corner = step(corner, direction);
            if corner == start {
                break;
            }
            // Every corner has as many edges in as out, so a walk can only end where it began.
            let leaving = outgoing[at(corner[0], corner[1])];
            let Some(next) = turns(direction).into_iter().find(|d| leaving & d != 0) else {
                break;
            };
            if next != direction {
                corners.push(corner);
            }
            direction = next;
        }
        // The start is a corner of the loop unless the loop arrives in the direction it left.
        if corners.len() > 1 && direction == first {
            corners.remove(0);
        }
        loops.push(corners);
    }
    loops
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;

    /// The even-odd fill of loops at the pixel centres (the reader's rule).
    fn fill(loops: &[Vec<Corner>], rows: usize, columns: usize) -> Array2<bool> {
        Array2::from_shape_fn((rows, columns), |(j, i)| {
            let (y, x) = (j as f64 + 0.5, i as f64 + 0.5);
            let mut odd = false;
            for corners in loops {
                for (a, b) in corners.iter().zip(corners.iter().cycle().skip(1)) {
                    let (ya, xa) = (a[0] as f64, a[1] as f64);
                    let (yb, xb) = (b[0] as f64, b[1] as f64);
                    if (ya > y) != (yb > y) && x < xa + (y - ya) / (yb - ya) * (xb - xa) {
                        odd = !odd;
                    }
                }
            }
            odd
        })
    }

    fn plane(rows: &[&str]) -> Array2<bool> {
        Array2::from_shape_fn((rows.len(), rows[0].len()), |(j, i)| {
            rows[j].as_bytes()[i] == b'#'
        })
    }

    #[test]
    fn one_pixel_is_a_square_of_four_corners() {
        let loops = pixel_edge_loops(plane(&["...", ".#.", "..."]).view());
        assert_eq!(loops, vec![vec![[1, 1], [2, 1], [2, 2], [1, 2]]]);
    }

    #[test]
    fn a_ring_is_an_outer_loop_and_a_hole_and_collinear_corners_are_dropped() {
        let ring = plane(&["#####", "#...#", "#...#", "#####"]);
        let loops = pixel_edge_loops(ring.view());
        assert_eq!(loops.len(), 2);
        assert!(loops.iter().all(|l| l.len() == 4), "{loops:?}");
        assert_eq!(fill(&loops, 4, 5), ring);
    }

    #[test]
    fn pixels_touching_at_a_corner_and_shapes_on_the_border_fill_back_exactly() {
        let shapes = [
            plane(&["#.", ".#"]),
            plane(&[".#", "#."]),
            plane(&["#.#.#", ".#.#.", "#.#.#", "##.##", "#####"]),
            plane(&["###", "#.#", "###", "..#", "###"]),
            plane(&["....", "...."]),
        ];
        for shape in shapes {
            let loops = pixel_edge_loops(shape.view());
            let (rows, columns) = shape.dim();
            assert_eq!(fill(&loops, rows, columns), shape, "{loops:?}");
        }
    }

    #[test]
    fn random_planes_fill_back_exactly() {
        let mut rng = crate::rng::Rng::for_item(7, 0);
        for _ in 0..200 {
            let shape = Array2::from_shape_fn((9, 11), |_| rng.next_u64().is_multiple_of(3));
            let loops = pixel_edge_loops(shape.view());
            assert_eq!(fill(&loops, 9, 11), shape);
            // Every loop closes with axis-parallel sides.
            for corners in &loops {
                for (a, b) in corners.iter().zip(corners.iter().cycle().skip(1)) {
                    assert!(a[0] == b[0] || a[1] == b[1], "{a:?} -> {b:?}");
                }
            }
        }
    }
}
