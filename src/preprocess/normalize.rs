//! Intensity normalisation as PyRadiomics 3.0.1 does it (`imageoperations.normalizeImage`, the
//! settings `normalize`, `normalizeScale` and `removeOutliers`): every voxel of the image — not
//! only the region — is centred on the image's mean and divided by its standard deviation (ITK's
//! `NormalizeImageFilter`, whose `StatisticsImageFilter` uses the n − 1 variance); values beyond
//! ±`outliers` are then clipped to it, and the result multiplied by `scale`:
//! f(x) = s · clip((x − μ) / σ, −n, n). The result is held in doubles, as SimpleITK's; the image is not copied: the statistics are
//! found in one pass each and applied to the voxels resampling or the region reads.

/// `normalize [scale=S] [outliers=N]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Normalization {
    /// Multiplies the normalised values (PyRadiomics's `normalizeScale`, 1 by default).
    pub scale: f64,
    /// Clip normalised values to ±this many standard deviations (`removeOutliers`).
    pub outliers: Option<f64>,
}

/// An image's mean and standard deviation, found once, applied value by value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Normalizer {
    mean: f64,
    inverse_sd: f64,
    normalization: Normalization,
}

impl Normalization {
    /// The mean and n − 1 standard deviation of every value `each` visits (called twice: the
    /// mean, then the squared deviations); `Err` when the image has one value only.
    pub fn fit(&self, each: impl Fn(&mut dyn FnMut(f64))) -> Result<Normalizer, String> {
        let (mut n, mut sum) = (0usize, 0.0);
        each(&mut |v| {
            n += 1;
            sum += v;
        });
        let mean = sum / n as f64;
        let mut squares = 0.0;
        each(&mut |v| squares += (v - mean) * (v - mean));
        let sd = (squares / (n as f64 - 1.0)).sqrt();
        if !(sd > 0.0 && sd.is_finite()) {
            return Err(format!(
                "the image has one intensity only ({mean}); normalising divides by its standard deviation, which is 0"
            ));
        }
        Ok(Normalizer {
            mean,
            inverse_sd: 1.0 / sd,
            normalization: *self,
        })
    }
}

impl Normalizer {
    /// s · clip((x − μ) / σ, −n, n).
    pub fn apply(&self, value: f64) -> f64 {
        let mut z = (value - self.mean) * self.inverse_sd;
        if let Some(limit) = self.normalization.outliers {
            z = z.clamp(-limit, limit);
        }
        z * self.normalization.scale
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_become_z_scores_clipped_then_scaled() {
        // 0, 1, 4, 5: mean 2.5, and the n − 1 standard deviation.
        let values = [0.0, 1.0, 4.0, 5.0];
        let sd = (values.iter().map(|v| (v - 2.5f64).powi(2)).sum::<f64>() / 3.0).sqrt();
        let normalizer = Normalization {
            scale: 100.0,
            outliers: Some(1.0),
        }
        .fit(|f| values.iter().for_each(|v| f(*v)))
        .unwrap();
        assert_eq!(
            normalizer.apply(0.0),
            -100.0,
            "clipped at −1 sd, then × 100"
        );
        assert!((normalizer.apply(1.0) - 100.0 * (1.0 - 2.5) / sd).abs() < 1e-12);
        assert_eq!(normalizer.apply(5.0), 100.0);
    }

    #[test]
    fn a_flat_image_is_refused() {
        let plain = Normalization {
            scale: 1.0,
            outliers: None,
        };
        let refused = plain.fit(|f| (0..8).for_each(|_| f(7.0))).unwrap_err();
        assert!(refused.contains("one intensity"), "{refused}");
    }
}
