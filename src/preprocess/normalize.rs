//! Intensity normalisation as PyRadiomics 3.0.1 does it (`imageoperations.normalizeImage`, the
//! settings `normalize`, `normalizeScale` and `removeOutliers`): every voxel of the image — not
//! only the region — is centred on the image's mean and divided by its standard deviation (ITK's
//! `NormalizeImageFilter`, whose `StatisticsImageFilter` uses the n − 1 variance); values beyond
//! ±`outliers` are then clipped to it, and the result multiplied by `scale`:
//! f(x) = s · clip((x − μ) / σ, −n, n). The result is held in doubles, as SimpleITK's.

use ndarray::Array3;

/// `normalize [scale=S] [outliers=N]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Normalization {
    /// Multiplies the normalised values (PyRadiomics's `normalizeScale`, 1 by default).
    pub scale: f64,
    /// Clip normalised values to ±this many standard deviations (`removeOutliers`).
    pub outliers: Option<f64>,
}

/// Normalises `image` in place; `Err` when it has one value only (no spread to divide by).
pub fn normalize(image: &mut Array3<f64>, normalization: &Normalization) -> Result<(), String> {
    let n = image.len() as f64;
    let mean = image.iter().sum::<f64>() / n;
    let squares: f64 = image.iter().map(|v| (v - mean) * (v - mean)).sum();
    let sd = (squares / (n - 1.0)).sqrt();
    if !(sd > 0.0 && sd.is_finite()) {
        return Err(format!(
            "the image has one intensity only ({mean}); normalising divides by its standard deviation, which is 0"
        ));
    }
    let scale = 1.0 / sd;
    image.mapv_inplace(|v| {
        let mut z = (v - mean) * scale;
        if let Some(limit) = normalization.outliers {
            z = z.clamp(-limit, limit);
        }
        z * normalization.scale
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_become_z_scores_clipped_then_scaled() {
        // 0, 1, 4, 5: mean 2.5, and the n − 1 standard deviation.
        let values = [0.0, 1.0, 4.0, 5.0];
        let mut image = Array3::from_shape_vec((1, 2, 2), values.to_vec()).unwrap();
        let sd = (values.iter().map(|v| (v - 2.5f64).powi(2)).sum::<f64>() / 3.0).sqrt();
        normalize(
            &mut image,
            &Normalization {
                scale: 100.0,
                outliers: Some(1.0),
            },
        )
        .unwrap();
        assert_eq!(image[[0, 0, 0]], -100.0, "clipped at −1 sd, then × 100");
        assert!((image[[0, 0, 1]] - 100.0 * (1.0 - 2.5) / sd).abs() < 1e-12);
        assert_eq!(image[[0, 1, 1]], 100.0);
    }

    #[test]
    fn a_flat_image_is_refused() {
        let mut image = Array3::from_elem((2, 2, 2), 7.0);
        let plain = Normalization {
            scale: 1.0,
            outliers: None,
        };
        assert!(
            normalize(&mut image, &plain)
                .unwrap_err()
                .contains("one intensity")
        );
    }
}
