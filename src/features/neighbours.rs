//! The neighbourhoods texture matrices are built on: the 13 directions of a 3-D grid at distance 1
//! (one of each opposite pair) and the 26 neighbours. Offsets are (slice, row, column). On a
//! one-slice region the 9 directions leaving the slice find no neighbours, which is how 2-D
//! analysis falls out of the 3-D code.
//!
//! # References
//! IBSI 1 §3.6 (GLCM directions, Chebyshev distance 1); PyRadiomics 3.0.1 `cmatrices.c`
//! (`build_angles`).

/// One offset of each opposite pair at Chebyshev distance 1.
pub const DIRECTIONS: [[isize; 3]; 13] = [
    [0, 0, 1],
    [0, 1, -1],
    [0, 1, 0],
    [0, 1, 1],
    [1, -1, -1],
    [1, -1, 0],
    [1, -1, 1],
    [1, 0, -1],
    [1, 0, 0],
    [1, 0, 1],
    [1, 1, -1],
    [1, 1, 0],
    [1, 1, 1],
];

/// The 26 neighbour offsets (both signs of each direction).
pub fn all_neighbours() -> impl Iterator<Item = [isize; 3]> {
    DIRECTIONS.iter().flat_map(|d| [*d, [-d[0], -d[1], -d[2]]])
}

/// `index + offset` if it lies inside `shape`.
#[inline]
pub fn step(index: [usize; 3], offset: [isize; 3], shape: &[usize]) -> Option<[usize; 3]> {
    let mut out = [0usize; 3];
    for axis in 0..3 {
        let v = index[axis] as isize + offset[axis];
        if v < 0 || v >= shape[axis] as isize {
            return None;
        }
        out[axis] = v as usize;
    }
    Some(out)
}
