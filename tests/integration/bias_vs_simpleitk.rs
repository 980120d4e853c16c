//! N4 against SimpleITK's `N4BiasFieldCorrectionImageFilter` on two synthetic slices
//! (`tests/fixtures/bias/`: inputs from `examples/n4_reference_inputs.rs`, outputs from
//! `make_reference.py`; versions in `reference.json`).
//!
//! Tolerances: the corrected images must correlate at 0.99 or better inside the tissue mask (the
//! acceptance figure), and since both follow the same steps (histogram sharpening with the same
//! constants, the same one-level B-spline fit per iteration, the same lattice refinement and
//! stopping rule) every tissue pixel is also held to 1e-5: in the log field (absolute) and in
//! the corrected image (relative). Measured: about 1e-6 for both — ITK keeps its images in
//! single precision (float32 carries ~6e-8 relative, and 200 iterations accumulate it), radnomo
//! in double.

use super::support::root;
use radnomo::imaging::bias::{N4Options, n4};
use radnomo::imaging::io::{read_image, read_mask};
use radnomo::stats::summary::correlation;
use std::path::Path;

fn plane(path: &Path) -> ndarray::Array2<f32> {
    let volume = read_image(path).unwrap();
    volume
        .voxels
        .index_axis(ndarray::Axis(0), 0)
        .index_axis(ndarray::Axis(0), 0)
        .to_owned()
}

#[test]
fn n4_matches_simpleitk_on_two_synthetic_slices() {
    let folder = root().join("tests/fixtures/bias");
    for id in ["P0001", "P0002"] {
        let image = plane(&folder.join(format!("{id}_image.nii.gz")));
        let mask = read_mask(&folder.join(format!("{id}_mask.nii.gz"))).unwrap();
        let mask = mask.labels.index_axis(ndarray::Axis(0), 0).to_owned();
        let theirs_corrected = plane(&folder.join(format!("{id}_corrected.nii.gz")));
        let theirs_log = plane(&folder.join(format!("{id}_log_field.nii.gz")));
        // SimpleITK's settings: four fitting levels (ITK's own default is one).
        let options = N4Options {
            levels: 4,
            ..N4Options::default()
        };
        let outcome = n4(image.view(), mask.view(), &options).unwrap();
        let ours_corrected = outcome.field.correct(image.view());
        let ours_log = outcome.field.log_field(image.dim());
        let inside: Vec<usize> = mask
            .iter()
            .enumerate()
            .filter(|(_, m)| **m != 0)
            .map(|(i, _)| i)
            .collect();
        let pick = |values: Vec<f64>| -> Vec<f64> { inside.iter().map(|&i| values[i]).collect() };
        let (a, b) = (
            pick(ours_corrected.iter().map(|&v| f64::from(v)).collect()),
            pick(theirs_corrected.iter().map(|&v| f64::from(v)).collect()),
        );
        let r = correlation(&a, &b);
        let (la, lb) = (
            pick(ours_log.iter().copied().collect()),
            pick(theirs_log.iter().map(|&v| f64::from(v)).collect()),
        );
        let worst_log = la
            .iter()
            .zip(&lb)
            .map(|(x, y)| (x - y).abs())
            .fold(0.0, f64::max);
        let worst_relative = a
            .iter()
            .zip(&b)
            .map(|(x, y)| ((x - y) / y).abs())
            .fold(0.0, f64::max);
        eprintln!(
            "{id}: corrected r = {r:.6}, largest |Δ log field| = {worst_log:.2e}, largest relative \
             difference of corrected pixels = {worst_relative:.2e}, iterations {:?}",
            outcome.iterations
        );
        assert!(r >= 0.99, "{id}: correlation {r}");
        assert!(worst_log < 1e-5, "{id}: log field differs by {worst_log}");
        assert!(
            worst_relative < 1e-5,
            "{id}: corrected pixels differ by {worst_relative} (relative)"
        );
        // Both stop the first three levels early and run all 50 iterations at the finest.
        assert_eq!(outcome.iterations[3], 50, "{id}");
    }
}
