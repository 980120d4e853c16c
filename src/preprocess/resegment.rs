//! Re-segmentation: the region keeps only the voxels whose intensity lies in a range (IBSI 1,
//! section 2.6 "Re-segmentation"; PyRadiomics 3.0.1 `imageoperations.resegmentMask` with
//! `resegmentRange` and `resegmentMode`). The range is closed: T_low ≤ x ≤ T_high; with one
//! threshold, x ≥ T_low. Thresholds are intensities (`absolute`), fractions of the region's
//! maximum (`relative`) or numbers of standard deviations from the region's mean (`sigma`, with
//! the population standard deviation as numpy's `std`; IBSI's outlier filtering is
//! `sigma` with −3, 3).

use ndarray::{Array3, ArrayView3};

/// How the thresholds are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThresholdMode {
    Absolute,
    Relative,
    Sigma,
}

/// `resegment range=LOW[,HIGH] [mode=absolute|relative|sigma]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Resegmentation {
    /// One (lower) or two thresholds, as given.
    pub thresholds: Vec<f64>,
    pub mode: ThresholdMode,
}

impl Resegmentation {
    /// In words, for notes: "intensities 0 to 500", "mean ± 3 sd".
    pub fn describe(&self) -> String {
        let mut t = self.thresholds.clone();
        t.sort_by(f64::total_cmp);
        match (self.mode, t.as_slice()) {
            (ThresholdMode::Sigma, [low, high]) if *low == -*high => {
                format!("mean ± {} sd", high)
            }
            (ThresholdMode::Sigma, [low, high]) => format!("mean {low:+} sd to mean {high:+} sd"),
            (ThresholdMode::Sigma, [low]) => format!("at least mean {low:+} sd"),
            (ThresholdMode::Relative, [low, high]) => {
                format!("{low} to {high} times the region's maximum")
            }
            (ThresholdMode::Relative, [low]) => {
                format!("at least {low} times the region's maximum")
            }
            (ThresholdMode::Absolute, [low, high]) => format!("intensities {low} to {high}"),
            (_, [low]) => format!("intensities of at least {low}"),
            _ => String::new(),
        }
    }
}

/// The region's mask with the voxels outside the range removed; `Err` when one voxel or none is
/// left (the features need at least two), with the numbers.
pub fn resegment(
    image: ArrayView3<'_, f64>,
    mask: ArrayView3<'_, bool>,
    resegmentation: &Resegmentation,
) -> Result<Array3<bool>, String> {
    let inside: Vec<f64> = image
        .iter()
        .zip(mask.iter())
        .filter(|(_, m)| **m)
        .map(|(v, _)| *v)
        .collect();
    let mut sorted = resegmentation.thresholds.clone();
    sorted.sort_by(f64::total_cmp);
    let thresholds: Vec<f64> = match resegmentation.mode {
        ThresholdMode::Absolute => sorted,
        ThresholdMode::Relative => {
            let max = inside.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            sorted.iter().map(|t| max * t).collect()
        }
        ThresholdMode::Sigma => {
            let n = inside.len() as f64;
            let mean = inside.iter().sum::<f64>() / n;
            let sd = (inside.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n).sqrt();
            sorted.iter().map(|t| mean + sd * t).collect()
        }
    };
    let low = thresholds[0];
    let high = thresholds.get(1).copied().unwrap_or(f64::INFINITY);
    let kept = ndarray::Zip::from(image)
        .and(mask)
        .map_collect(|v, m| *m && *v >= low && *v <= high);
    let count = kept.iter().filter(|k| **k).count();
    if count <= 1 {
        return Err(format!(
            "re-segmentation ({}) leaves {count} of the region's {} voxels; features need at least 2",
            resegmentation.describe(),
            inside.len()
        ));
    }
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn region() -> (Array3<f64>, Array3<bool>) {
        let image =
            Array3::from_shape_vec((1, 1, 6), vec![0.0, 10.0, 20.0, 30.0, 40.0, 1000.0]).unwrap();
        let mut mask = Array3::from_elem((1, 1, 6), true);
        mask[[0, 0, 0]] = false;
        (image, mask)
    }

    #[test]
    fn the_range_is_closed_and_one_threshold_is_a_lower_bound() {
        let (image, mask) = region();
        let two = Resegmentation {
            thresholds: vec![40.0, 10.0],
            mode: ThresholdMode::Absolute,
        };
        let kept = resegment(image.view(), mask.view(), &two).unwrap();
        assert_eq!(
            kept.iter().copied().collect::<Vec<_>>(),
            [false, true, true, true, true, false]
        );
        let one = Resegmentation {
            thresholds: vec![30.0],
            mode: ThresholdMode::Absolute,
        };
        let kept = resegment(image.view(), mask.view(), &one).unwrap();
        assert_eq!(kept.iter().filter(|k| **k).count(), 3);
    }

    #[test]
    fn sigma_uses_the_regions_mean_and_population_sd() {
        let (image, mask) = region();
        // Region 10, 20, 30, 40, 1000: mean 220, population sd √(761000 / 5) = 390.13 (the n − 1
        // sd, 436.2, would keep 10 and 20 as well).
        let outliers = Resegmentation {
            thresholds: vec![-0.5, 0.5],
            mode: ThresholdMode::Sigma,
        };
        // Keeps 220 ± 195.06 = 24.9 … 415.1: 30 and 40.
        let kept = resegment(image.view(), mask.view(), &outliers).unwrap();
        assert_eq!(kept.iter().filter(|k| **k).count(), 2);
        assert_eq!(outliers.describe(), "mean ± 0.5 sd");
    }

    #[test]
    fn a_range_that_leaves_one_voxel_is_refused_with_the_count() {
        let (image, mask) = region();
        let relative = Resegmentation {
            thresholds: vec![0.9],
            mode: ThresholdMode::Relative,
        };
        let why = resegment(image.view(), mask.view(), &relative).unwrap_err();
        assert!(why.contains("leaves 1 of the region's 5 voxels"), "{why}");
    }
}
