//! The neighbourhoods texture matrices are built on: the 13 directions of a 3-D grid at distance 1
//! (one of each opposite pair) and the 26 neighbours. Offsets are (slice, row, column). On a
//! one-slice region the 9 directions leaving the slice find no neighbours, which is how 2-D
//! analysis falls out of the 3-D code.
//!
//! # References
//! IBSI 1 §3.6 (GLCM directions, Chebyshev distance 1); PyRadiomics 3.0.1 `cmatrices.c`
//! (`build_angles`).

use ndarray::Array3;

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

/// The directions that can reach a neighbour inside `shape`: those that do not step along an
/// axis of extent 1 (on a one-slice region, the 4 in-plane ones). The others would find no
/// neighbour at all, so leaving them out changes no matrix and saves scanning the region for them.
pub fn directions_within(shape: &[usize]) -> impl Iterator<Item = [isize; 3]> + '_ {
    DIRECTIONS
        .into_iter()
        .filter(move |d| (0..3).all(|axis| d[axis] == 0 || shape[axis] > 1))
}

/// The neighbour offsets (both signs of each direction) that can stay inside `shape`.
pub fn neighbours_within(shape: &[usize]) -> impl Iterator<Item = [isize; 3]> + '_ {
    directions_within(shape).flat_map(|d| [d, [-d[0], -d[1], -d[2]]])
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

/// Calls `visit(a, b)` for every pair of grid values `a` at (k, j, i) and `b` at
/// (k, j, i) + `offset`, both inside `grid`, in the grid's (slice, row, column) order.
pub fn for_each_pair(grid: &Array3<u32>, offset: [isize; 3], mut visit: impl FnMut(u32, u32)) {
    let shape = grid.shape();
    // The index range along an axis for which index + step stays inside [0, extent).
    let range = |axis: usize| {
        let (extent, step) = (shape[axis] as isize, offset[axis]);
        (0.max(-step) as usize)..((extent - step.max(0)).max(0) as usize)
    };
    let standard = grid.as_standard_layout();
    let values = standard.as_slice().expect("a standard-layout grid");
    let (rows, columns) = (shape[1], shape[2]);
    let shift = offset[0] * (rows * columns) as isize + offset[1] * columns as isize + offset[2];
    for k in range(0) {
        for j in range(1) {
            let line = (k * rows + j) * columns;
            for i in range(2) {
                let at = line + i;
                visit(values[at], values[(at as isize + shift) as usize]);
            }
        }
    }
}

/// The lines of a grid of `shape` along `direction`: the flat (standard-layout) index of each
/// line's first voxel with the line's length, and the flat step from one voxel to the next.
pub fn lines(shape: &[usize], direction: [isize; 3]) -> (Vec<(usize, usize)>, isize) {
    let strides = [(shape[1] * shape[2]) as isize, shape[2] as isize, 1];
    let shift: isize = (0..3).map(|axis| direction[axis] * strides[axis]).sum();
    let mut starts = Vec::new();
    for k in 0..shape[0] {
        for j in 0..shape[1] {
            for i in 0..shape[2] {
                let index = [k, j, i];
                if step(index, [-direction[0], -direction[1], -direction[2]], shape).is_some() {
                    continue; // not the first voxel of its line
                }
                // Steps left along each axis before leaving the grid.
                let length = 1
                    + (0..3)
                        .map(|axis| match direction[axis] {
                            0 => usize::MAX,
                            d if d > 0 => shape[axis] - 1 - index[axis],
                            _ => index[axis],
                        })
                        .min()
                        .unwrap_or(0);
                let flat = (k * shape[1] + j) * shape[2] + i;
                starts.push((flat, length));
            }
        }
    }
    (starts, shift)
}
