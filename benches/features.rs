//! `cargo bench --bench features -- RUNS DIR`: radnomo's feature extraction per case, in
//! process (image and mask already in memory), median of RUNS (default 7), for the comparison
//! with PyRadiomics that `benches/features.sh` runs:
//! - `breast1_3d`: PyRadiomics's breast1 case in 3-D, all seven families, bin width 25;
//! - `breast1_resampled_3d`: the same after resampling to 1 × 1 × 1 mm by cubic B-spline
//!   (PyRadiomics's `resampledPixelSpacing`, `interpolator: sitkBSpline`), resampling timed too;
//! - `slice96_2d`: a 96 × 96 slice of a synthetic patient's phase 2 with a disc ROI of about
//!   2,000 pixels, the study's four families (first order, 2-D shape, GLCM, GLRLM), bin width 25.
//!
//! The slice case is written to DIR as NRRD so that PyRadiomics reads the very same pixels.

use ndarray::{Array3, Array4};
use radnomo::features::{Family, Region, Settings, extract};
use radnomo::imaging::io::{Format, read_image, read_mask, write_image, write_mask};
use radnomo::imaging::synthetic::SyntheticCohort;
use radnomo::imaging::{Geometry, Mask, Volume};
use radnomo::preprocess::{
    Intensities, Interpolator, MaskInterpolation, Preprocessing, Resampling,
};
use std::path::Path;

mod timing;
use timing::median_seconds;

/// Writes the 96 × 96 synthetic slice and its disc ROI; returns their paths.
fn write_slice_case(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let patient = SyntheticCohort::default().patient(0);
    let truth = patient.truth();
    let k = truth.largest_slice().expect("a tumour");
    let [_, rows, columns] = patient.shape();
    let plane = patient.phantom.render_phase(k, 1);
    // The tumour's centroid on that slice, and a 96 × 96 window around it.
    let (mut sum_r, mut sum_c, mut n) = (0.0, 0.0, 0.0);
    for ((r, c), &label) in truth.slice(k).indexed_iter() {
        if label != 0 {
            sum_r += r as f64;
            sum_c += c as f64;
            n += 1.0;
        }
    }
    let (centre_r, centre_c) = (sum_r / n, sum_c / n);
    let top = (centre_r as usize).saturating_sub(48).min(rows - 96);
    let left = (centre_c as usize).saturating_sub(48).min(columns - 96);
    let image = Array4::from_shape_fn((1, 1, 96, 96), |(_, _, r, c)| {
        plane[(top + r) * columns + left + c]
    });
    // A disc of radius 25.2 pixels: π · 25.2² ≈ 1,995 pixels.
    let mask = Array3::from_shape_fn((1, 96, 96), |(_, r, c)| {
        let (dr, dc) = ((top + r) as f64 - centre_r, (left + c) as f64 - centre_c);
        u8::from(dr * dr + dc * dc <= 25.2 * 25.2)
    });
    let geometry = Geometry::new(truth.geometry.spacing, [0.0; 3]);
    std::fs::create_dir_all(dir).expect("a writable folder");
    let (image_path, mask_path) = (
        dir.join("slice96_image.nrrd"),
        dir.join("slice96_mask.nrrd"),
    );
    write_image(
        &image_path,
        Format::Nrrd,
        image.view(),
        &geometry,
        "slice96",
        0,
    )
    .expect("image written");
    write_mask(&mask_path, &Mask::new(mask, geometry)).expect("mask written");
    (image_path, mask_path)
}

fn time_case(runs: usize, image: &Volume, mask: &Mask, families: &[Family]) -> (f64, usize) {
    let settings = Settings::default();
    let mut count = 0;
    let seconds = median_seconds(runs, || {
        let region = Region::new(image.phase(0), mask.labels.view(), image.geometry.spacing)
            .expect("a region");
        count = extract(&region, families, &settings).unwrap().len();
    });
    (seconds, count)
}

/// Resampling to 1 mm (B-spline) and extraction, from the image as read.
fn time_resampled_case(
    runs: usize,
    image: &Volume,
    mask: &Mask,
    families: &[Family],
) -> (f64, usize) {
    let steps = Preprocessing {
        resample: Some(Resampling {
            spacing: [1.0, 1.0, 1.0],
            interpolator: Interpolator::BSpline,
            pad: 5,
            mask: MaskInterpolation::Nearest,
        }),
        ..Preprocessing::default()
    };
    let settings = Settings::default();
    let resampled = || {
        steps
            .regions(
                Intensities::Single(image.phase(0)),
                image.samples,
                mask.labels.view(),
                &mask.geometry,
                false,
            )
            .expect("resampled")
            .expect("a region")
    };
    let mut count = 0;
    let seconds = median_seconds(runs, || {
        count = extract(&resampled().drawn, families, &settings)
            .unwrap()
            .len();
    });
    let resampling_only = median_seconds(runs, || {
        resampled();
    });
    println!(
        "radnomo_breast1_resampling_only_ms {:.3}",
        resampling_only * 1e3
    );
    (seconds, count)
}

fn main() {
    let mut args = std::env::args().skip(1).filter(|a| !a.starts_with('-'));
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(7);
    let dir = args
        .next()
        .unwrap_or_else(|| "target/bench-data/features".into());
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cases = root.join("tests/fixtures/pyradiomics-cases");
    let breast_image = read_image(&cases.join("breast1_image.nrrd")).expect("breast1 image");
    let breast_mask = read_mask(&cases.join("breast1_label.nrrd"))
        .expect("breast1 mask")
        .select(1);
    let three_d = [
        Family::FirstOrder,
        Family::Shape,
        Family::Glcm,
        Family::Glrlm,
        Family::Glszm,
        Family::Gldm,
        Family::Ngtdm,
    ];
    let (breast, breast_count) = time_case(runs, &breast_image, &breast_mask, &three_d);
    let (resampled, resampled_count) =
        time_resampled_case(runs, &breast_image, &breast_mask, &three_d);
    let (image_path, mask_path) = write_slice_case(Path::new(&dir));
    let slice_image = read_image(&image_path).expect("slice image");
    let slice_mask = read_mask(&mask_path).expect("slice mask");
    let study_families = [
        Family::FirstOrder,
        Family::Shape2D,
        Family::Glcm,
        Family::Glrlm,
    ];
    let (slice, slice_count) = time_case(runs, &slice_image, &slice_mask, &study_families);
    println!("breast1_3d_voxels {}", breast_mask.count());
    println!("breast1_3d_features {breast_count}");
    println!("radnomo_breast1_3d_ms {:.3}", breast * 1e3);
    println!("breast1_resampled_3d_features {resampled_count}");
    println!("radnomo_breast1_resampled_3d_ms {:.3}", resampled * 1e3);
    println!("slice96_2d_pixels {}", slice_mask.count());
    println!("slice96_2d_features {slice_count}");
    println!("radnomo_slice96_2d_ms {:.3}", slice * 1e3);
}
