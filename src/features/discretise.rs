//! Grey-level discretisation: intensities inside the mask become levels 1, 2, … .
//!
//! # Formula
//! Fixed bin width w (PyRadiomics): edges e_k = L + k·w from L = min − (min mod w) while below
//! max + 2w; level = #{k : e_k ≤ x} (numpy `digitize`), so bins are anchored at 0.
//! Fixed bin count N: edges = `numpy.histogram(x, N)` edges (a linspace from min to max) with the
//! last edge + 1; level as above, so the maximum falls in bin N.
//! IBSI fixed bin size w: level = ⌊(x − min)/w⌋ + 1 (anchored at the region's minimum).
//!
//! # References
//! PyRadiomics 3.0.1 `imageoperations.getBinEdges`/`binImage`; IBSI 1 §2.7 (fixed bin size,
//! fixed bin number).
//!
//! # Remarks
//! A flat region falls in one bin: PyRadiomics's bin-width edges always span two bins, and its
//! bin-count edges are widened to x ± 0.5 (as `numpy.histogram` does).

use super::Region;
use ndarray::Array3;

/// How intensities become grey levels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Discretisation {
    /// PyRadiomics `binWidth`: bins of this width anchored at 0.
    BinWidth(f64),
    /// PyRadiomics/IBSI `binCount`: this many equal bins from the minimum to the maximum.
    BinCount(usize),
    /// IBSI fixed bin size: bins of this width anchored at the region's minimum.
    IbsiBinWidth(f64),
}

/// A region's grey levels.
#[derive(Debug, Clone)]
pub struct Discretised {
    /// Level of each voxel of the region (0 outside the mask).
    pub levels: Array3<u32>,
    /// The levels present, ascending.
    pub present: Vec<u32>,
    /// The highest level present (PyRadiomics's `Ng`).
    pub highest: u32,
}

/// `numpy.arange(start, stop, step)`: ⌈(stop − start)/step⌉ values start + k·step.
fn arange(start: f64, stop: f64, step: f64) -> Vec<f64> {
    let count = ((stop - start) / step).ceil().max(0.0) as usize;
    let delta = (start + step) - start;
    (0..count).map(|k| start + k as f64 * delta).collect()
}

/// `numpy.histogram(values, bins)[1]`: `linspace(min, max, bins + 1)`, widened by ½ on each side
/// for a flat region.
fn histogram_edges(min: f64, max: f64, bins: usize) -> Vec<f64> {
    let (first, last) = if min == max {
        (min - 0.5, max + 0.5)
    } else {
        (min, max)
    };
    let step = (last - first) / bins as f64;
    let mut edges: Vec<f64> = (0..=bins).map(|k| k as f64 * step + first).collect();
    edges[bins] = last;
    edges
}

/// Python's `a % b` for b > 0: the result has the sign of b.
fn python_mod(a: f64, b: f64) -> f64 {
    let r = a % b;
    if r != 0.0 && (r < 0.0) != (b < 0.0) {
        r + b
    } else {
        r
    }
}

/// The bin edges PyRadiomics uses for these intensities.
pub fn edges(values: &[f64], discretisation: Discretisation) -> Vec<f64> {
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    match discretisation {
        Discretisation::BinWidth(width) => {
            let low = min - python_mod(min, width);
            let edges = arange(low, max + 2.0 * width, width);
            if edges.len() == 1 {
                vec![edges[0] - 0.5, edges[0] + 0.5]
            } else {
                edges
            }
        }
        Discretisation::BinCount(bins) => {
            let mut edges = histogram_edges(min, max, bins);
            *edges.last_mut().expect("bins >= 1") += 1.0;
            edges
        }
        Discretisation::IbsiBinWidth(_) => Vec::new(),
    }
}

impl Discretised {
    pub fn new(region: &Region, discretisation: Discretisation) -> Discretised {
        let values = region.values();
        let level_of: Box<dyn Fn(f64) -> u32> = match discretisation {
            Discretisation::IbsiBinWidth(width) => {
                let min = values.iter().copied().fold(f64::INFINITY, f64::min);
                Box::new(move |x| ((x - min) / width).floor() as u32 + 1)
            }
            _ => {
                let edges = edges(&values, discretisation);
                // numpy.digitize, increasing edges: the number of edges at or below x.
                Box::new(move |x| edges.partition_point(|&e| e <= x) as u32)
            }
        };
        let levels = Array3::from_shape_fn(region.mask.dim(), |index| {
            if region.mask[index] {
                level_of(region.image[index])
            } else {
                0
            }
        });
        let mut seen: Vec<u32> = levels.iter().copied().filter(|&l| l > 0).collect();
        seen.sort_unstable();
        seen.dedup();
        let highest = seen.last().copied().unwrap_or(0);
        Discretised {
            levels,
            present: seen,
            highest,
        }
    }

    /// Voxel count at each present level, in `present` order.
    pub fn counts(&self) -> Vec<usize> {
        let mut counts = vec![0usize; self.highest as usize + 1];
        for &l in &self.levels {
            counts[l as usize] += 1;
        }
        self.present.iter().map(|&l| counts[l as usize]).collect()
    }

    /// Index of each level in `present` (for dense matrices over present levels only).
    pub fn index_of_level(&self) -> Vec<usize> {
        let mut index = vec![usize::MAX; self.highest as usize + 1];
        for (i, &l) in self.present.iter().enumerate() {
            index[l as usize] = i;
        }
        index
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bin_width_edges_are_anchored_at_zero_as_pyradiomics_documents() {
        // PyRadiomics's example: values 54..166, width 25 → edges 50, 75, …, 175 (and 200 < 166 + 50).
        let edges = edges(&[54.0, 166.0], Discretisation::BinWidth(25.0));
        assert_eq!(edges, vec![50.0, 75.0, 100.0, 125.0, 150.0, 175.0, 200.0]);
        let flat = super::edges(&[50.0, 50.0], Discretisation::BinWidth(25.0));
        assert_eq!(flat, vec![50.0, 75.0]);
    }

    #[test]
    fn bin_count_puts_the_maximum_in_the_last_bin() {
        let edges = edges(&[0.0, 10.0], Discretisation::BinCount(4));
        assert_eq!(edges, vec![0.0, 2.5, 5.0, 7.5, 11.0]);
    }
}
