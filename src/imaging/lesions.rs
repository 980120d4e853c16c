//! Lesions of a mask: its connected components, voxels joined through faces, edges or corners
//! (26-connectivity in 3-D), so that a multifocal tumour's lesions can be told apart — kept as one
//! region, or only the largest.
//!
//! # References
//! Rosenfeld & Pfaltz, "Sequential operations in digital picture processing", J. ACM 13 (1966)
//! (connected-component labelling); the 26-neighbourhood as in ITK's ConnectedComponentImageFilter
//! with FullyConnected on.

use super::volume::Mask;
use ndarray::Array3;
use std::collections::VecDeque;

/// The connected components of `mask`'s foreground: a component number per voxel (0 outside,
/// 1… in the order their first voxel is met in memory order) and each component's size.
pub fn components(mask: &Mask) -> (Array3<u32>, Vec<usize>) {
    let shape = mask.labels.dim();
    let mut numbers = Array3::<u32>::zeros(shape);
    let mut sizes = Vec::new();
    let mut queue = VecDeque::new();
    for ((k, j, i), &v) in mask.labels.indexed_iter() {
        if v == 0 || numbers[[k, j, i]] != 0 {
            continue;
        }
        let number = sizes.len() as u32 + 1;
        numbers[[k, j, i]] = number;
        queue.push_back((k, j, i));
        let mut size = 0;
        while let Some((k, j, i)) = queue.pop_front() {
            size += 1;
            for dk in -1i64..=1 {
                for dj in -1i64..=1 {
                    for di in -1i64..=1 {
                        let (nk, nj, ni) = (k as i64 + dk, j as i64 + dj, i as i64 + di);
                        if nk < 0 || nj < 0 || ni < 0 {
                            continue;
                        }
                        let at = (nk as usize, nj as usize, ni as usize);
                        if at.0 >= shape.0 || at.1 >= shape.1 || at.2 >= shape.2 {
                            continue;
                        }
                        if mask.labels[at] != 0 && numbers[at] == 0 {
                            numbers[at] = number;
                            queue.push_back(at);
                        }
                    }
                }
            }
        }
        sizes.push(size);
    }
    (numbers, sizes)
}

/// The mask's largest lesion (the first met, of equal ones) as a 0/1 mask, and how many lesions
/// the mask has.
pub fn largest(mask: &Mask) -> (Mask, usize) {
    let (numbers, sizes) = components(mask);
    let Some(best) = sizes
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(&a.0)))
        .map(|(n, _)| n as u32 + 1)
    else {
        return (mask.clone(), 0);
    };
    (
        Mask::new(numbers.mapv(|n| u8::from(n == best)), mask.geometry),
        sizes.len(),
    )
}

/// Every lesion as a 0/1 mask, largest first (of equal ones, the first met in memory order):
/// lesion 1 is the largest.
pub fn each(mask: &Mask) -> Vec<Mask> {
    let (numbers, sizes) = components(mask);
    let mut order: Vec<usize> = (0..sizes.len()).collect();
    order.sort_by(|&a, &b| sizes[b].cmp(&sizes[a]).then(a.cmp(&b)));
    order
        .into_iter()
        .map(|n| {
            let number = n as u32 + 1;
            Mask::new(numbers.mapv(|v| u8::from(v == number)), mask.geometry)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::imaging::volume::Geometry;

    #[test]
    fn lesions_touching_at_a_corner_are_one_and_apart_are_two() {
        let mut labels = Array3::<u8>::zeros((3, 5, 5));
        // A 2 × 2 × 1 lesion, one voxel touching it at a corner, and a 3-voxel lesion apart.
        labels[[0, 0, 0]] = 1;
        labels[[0, 0, 1]] = 1;
        labels[[0, 1, 0]] = 1;
        labels[[0, 1, 1]] = 1;
        labels[[1, 2, 2]] = 1;
        labels[[2, 4, 2]] = 1;
        labels[[2, 4, 3]] = 1;
        labels[[2, 4, 4]] = 1;
        let mask = Mask::new(labels, Geometry::new([1.0; 3], [0.0; 3]));
        let (_, sizes) = components(&mask);
        assert_eq!(sizes, vec![5, 3]);
        let (kept, count) = largest(&mask);
        assert_eq!(count, 2);
        assert_eq!(kept.count(), 5);
        assert_eq!(kept.labels[[1, 2, 2]], 1);
        assert_eq!(kept.labels[[2, 4, 3]], 0);
        let lesions = each(&mask);
        assert_eq!(
            lesions.iter().map(Mask::count).collect::<Vec<_>>(),
            [5, 3],
            "largest first"
        );
        assert_eq!(lesions[1].labels[[2, 4, 4]], 1);
    }
}
