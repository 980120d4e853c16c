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
use std::fmt;

/// The most grey levels one region may be given. Beyond it the texture matrices stop meaning
/// anything (each voxel its own level) and the bin edges alone would take gigabytes.
pub const MAX_BINS: f64 = 100_000.0;

/// The most grey levels one region may hold for texture features: a co-occurrence matrix per
/// direction holds their square and MCC takes the eigenvalues of each (512 levels: 2 MiB a
/// matrix, well under a second for 13 directions). IBSI and PyRadiomics advise 16–128.
pub const MAX_TEXTURE_LEVELS: usize = 512;

/// Which limit a discretisation passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// [`MAX_BINS`] on the bins it makes.
    Bins,
    /// [`MAX_TEXTURE_LEVELS`] on the levels present, for the texture families.
    TextureLevels,
}

/// A discretisation that would give a region more grey levels than the features can hold.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TooManyBins {
    /// The number of bins it would give, or of levels present.
    pub bins: f64,
    /// The region's intensity range.
    pub min: f64,
    pub max: f64,
    pub discretisation: Discretisation,
    pub limit: Limit,
}

impl fmt::Display for TooManyBins {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let how = match self.discretisation {
            Discretisation::BinWidth(w) | Discretisation::IbsiBinWidth(w) => {
                format!("bin width {w}")
            }
            Discretisation::BinCount(n) => format!("{n} bins"),
        };
        if self.limit == Limit::TextureLevels {
            write!(
                f,
                "{how} leaves {} distinct grey levels in the region (intensities {}–{}); texture \
                 features take at most {MAX_TEXTURE_LEVELS} (16–128 is usual: a larger bin width, or `bins=`)",
                self.bins, self.min, self.max
            )
        } else {
            write!(
                f,
                "{how} gives {:.3e} grey levels for the intensity range {}–{}; at most {} are allowed \
                 (a larger bin width, or `bins=`)",
                self.bins, self.min, self.max, MAX_BINS
            )
        }
    }
}

impl std::error::Error for TooManyBins {}

/// How many bins `discretisation` makes of intensities from `min` to `max`, counted without
/// building them (the count of [`edges`] less one, or IBSI's ⌊(max − min)/w⌋ + 1).
pub fn bin_count(min: f64, max: f64, discretisation: Discretisation) -> f64 {
    match discretisation {
        Discretisation::BinWidth(width) => {
            let low = min - python_mod(min, width);
            ((max + 2.0 * width - low) / width).ceil().max(2.0) - 1.0
        }
        Discretisation::BinCount(bins) => bins as f64,
        Discretisation::IbsiBinWidth(width) => ((max - min) / width).floor() + 1.0,
    }
}

/// The grey levels a region with intensities from `min` to `max` spans: ⌊max/w⌋ − ⌊min/w⌋ + 1
/// for a bin width w anchored at 0 (PyRadiomics's Ng when every bin between is present), the
/// bin count for a fixed number of bins, ⌊(max − min)/w⌋ + 1 for IBSI's width from the minimum.
pub fn levels_spanned(min: f64, max: f64, discretisation: Discretisation) -> f64 {
    match discretisation {
        Discretisation::BinWidth(width) => (max / width).floor() - (min / width).floor() + 1.0,
        Discretisation::BinCount(bins) => bins as f64,
        Discretisation::IbsiBinWidth(width) => ((max - min) / width).floor() + 1.0,
    }
}

/// Refuses a discretisation that would give `values` more than [`MAX_BINS`] levels (or whose
/// count is not a number: a non-finite intensity or width).
pub fn check_bin_count(values: &[f64], discretisation: Discretisation) -> Result<(), TooManyBins> {
    if values.is_empty() {
        return Ok(());
    }
    let (min, max) = intensity_range(values);
    let bins = bin_count(min, max, discretisation);
    if bins.is_finite() && bins <= MAX_BINS {
        Ok(())
    } else {
        Err(TooManyBins {
            bins,
            min,
            max,
            discretisation,
            limit: Limit::Bins,
        })
    }
}

/// The smallest and largest of `values` (∞, −∞ for none).
pub fn intensity_range(values: &[f64]) -> (f64, f64) {
    values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(min, max), &v| {
            (min.min(v), max.max(v))
        })
}

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
    /// The region's intensity range.
    pub range: (f64, f64),
    /// How the levels were made.
    pub discretisation: Discretisation,
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
    let (min, max) = intensity_range(values);
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
    /// The region's grey levels; refused when they would be more than [`MAX_BINS`].
    pub fn new(
        region: &Region,
        discretisation: Discretisation,
    ) -> Result<Discretised, TooManyBins> {
        let values = region.values();
        check_bin_count(&values, discretisation)?;
        let level_of: Box<dyn Fn(f64) -> u32> = match discretisation {
            Discretisation::IbsiBinWidth(width) => {
                let (min, _) = intensity_range(&values);
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
        Ok(Discretised {
            levels,
            present: seen,
            highest,
            range: intensity_range(&values),
            discretisation,
        })
    }

    /// Refuses more than [`MAX_TEXTURE_LEVELS`] levels present (before any texture matrix).
    pub fn check_texture_levels(&self) -> Result<(), TooManyBins> {
        if self.present.len() <= MAX_TEXTURE_LEVELS {
            return Ok(());
        }
        Err(TooManyBins {
            bins: self.present.len() as f64,
            min: self.range.0,
            max: self.range.1,
            discretisation: self.discretisation,
            limit: Limit::TextureLevels,
        })
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
    fn the_bin_count_is_the_number_of_edges_less_one() {
        for (values, d) in [
            (vec![54.0, 166.0], Discretisation::BinWidth(25.0)),
            (vec![50.0, 50.0], Discretisation::BinWidth(25.0)),
            (vec![-3.7, 912.25], Discretisation::BinWidth(0.5)),
            (vec![0.0, 10.0], Discretisation::BinCount(4)),
        ] {
            let counted = bin_count(values[0], values[1], d);
            assert_eq!(
                counted,
                (edges(&values, d).len() - 1) as f64,
                "{values:?} {d:?}"
            );
        }
        assert_eq!(bin_count(2.0, 9.9, Discretisation::IbsiBinWidth(2.0)), 4.0);
    }

    #[test]
    fn a_tiny_bin_width_is_refused_before_anything_is_allocated() {
        let error = check_bin_count(&[0.0, 3696.0], Discretisation::BinWidth(1e-9)).unwrap_err();
        assert!(
            (error.bins - 3.696e12).abs() / 3.696e12 < 1e-6,
            "{}",
            error.bins
        );
        let message = error.to_string();
        assert!(message.contains("bin width 0.000000001"), "{message}");
        assert!(
            message.contains("3.696e12") && message.contains("0–3696"),
            "{message}"
        );
        assert!(check_bin_count(&[0.0, 3696.0], Discretisation::BinWidth(0.04)).is_ok());
        // A width that leaves the arithmetic (1e-300 over a range of 1e10) is refused too.
        assert!(check_bin_count(&[0.0, 1e10], Discretisation::BinWidth(1e-300)).is_err());
    }

    #[test]
    fn bin_count_puts_the_maximum_in_the_last_bin() {
        let edges = edges(&[0.0, 10.0], Discretisation::BinCount(4));
        assert_eq!(edges, vec![0.0, 2.5, 5.0, 7.5, 11.0]);
    }
}
