//! Pre-processing against PyRadiomics 3.0.1 and SimpleITK (tests/fixtures/preprocess/, written by
//! make_reference.py beside it): resampled images and masks voxel by voxel, and every 3-D feature
//! after resampling, normalisation and re-segmentation, alone and together, and with a mask on
//! another grid than its image's brought onto it (`resample mask=image`, PyRadiomics's
//! `correctMask`).

use crate::support::{read, root};
use radnomo::imaging::io::{read_image, read_mask};
use radnomo::preprocess::{
    Intensities, Interpolator, MaskInterpolation, Normalization, Preprocessing, Resampling,
};
use serde_json::Value;

/// Resampled intensities: 1e-5 (the bar). The points are placed with ITK's own arithmetic,
/// so integer images (truncated after interpolation, as ITK casts) come out identical — a
/// difference there would be a whole unit; B-spline sums in another order differ by ~1e-12.
const RESAMPLED: f64 = 1e-5;

#[test]
fn resampled_images_and_masks_equal_simpleitks() {
    let reference: Value =
        serde_json::from_str(&read("tests/fixtures/preprocess/resampled.json")).unwrap();
    let cases = root().join("tests/fixtures/pyradiomics-cases");
    let fixtures = root().join("tests/fixtures/preprocess/resampled");
    let mut compared = 0;
    for case in reference["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let volume = read_image(&cases.join(case["image"].as_str().unwrap())).unwrap();
        let label = case["label"].as_u64().unwrap() as u8;
        let mask = read_mask(&cases.join(case["mask"].as_str().unwrap()))
            .unwrap()
            .select(label);
        let spacing: Vec<f64> = case["spacing"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        let steps = Preprocessing {
            normalize: case["normalize_scale"].as_f64().map(|scale| Normalization {
                scale,
                outliers: None,
            }),
            resample: Some(Resampling {
                spacing: [spacing[0], spacing[1], spacing[2]],
                interpolator: match case["interpolator"].as_str().unwrap() {
                    "bspline" => Interpolator::BSpline,
                    "linear" => Interpolator::Linear,
                    _ => Interpolator::Nearest,
                },
                pad: 5,
                mask: MaskInterpolation::Nearest,
            }),
            resegment: None,
            masks_onto_images: false,
        };
        let ours = steps
            .prepare(
                Intensities::Single(volume.phase(0)),
                volume.samples,
                mask.labels.view(),
                &mask.geometry,
            )
            .unwrap();
        let image = read_image(&fixtures.join(format!("{name}_image.nrrd"))).unwrap();
        let theirs_mask = read_mask(&fixtures.join(format!("{name}_mask.nrrd"))).unwrap();
        assert_eq!(ours.image.shape(), &image.shape()[..], "{name}: size");
        for axis in 0..3 {
            let origin = case["origin"][axis].as_f64().unwrap();
            assert!(
                (ours.geometry.origin[axis] - origin).abs() < 1e-6,
                "{name}: origin {:?} vs {origin}",
                ours.geometry.origin
            );
            assert!((ours.geometry.spacing[axis] - image.geometry.spacing[axis]).abs() < 1e-9);
        }
        let differing_mask = ours
            .mask
            .iter()
            .zip(theirs_mask.labels.iter())
            .filter(|(a, b)| (**a != 0) != (**b != 0))
            .count();
        assert_eq!(differing_mask, 0, "{name}: mask voxels differ");
        // The fixture holds the image in its own type; doubles (a normalised image) are read
        // back as f32 today, so those are compared to f32's precision (2^-23 relative) too.
        let stored_as_double = case["pixel_type"]
            .as_str()
            .unwrap()
            .contains("64-bit float");
        for (a, b) in ours.image.iter().zip(image.phase(0).iter()) {
            let b = f64::from(*b);
            let tolerance = if stored_as_double {
                RESAMPLED.max(b.abs() * f64::from(f32::EPSILON))
            } else {
                RESAMPLED
            };
            assert!((a - b).abs() <= tolerance, "{name}: {a} vs SimpleITK's {b}");
            compared += 1;
        }
    }
    assert!(compared > 100_000, "{compared} voxels compared");
}

/// Features after pre-processing: 1e-6 relative, as every other comparison with PyRadiomics
/// (tests/integration/features_vs_pyradiomics.rs), 1e-9 absolute near zero.
const RELATIVE: f64 = 1e-6;
const ABSOLUTE: f64 = 1e-9;

#[test]
fn features_after_resampling_normalising_and_resegmenting_equal_pyradiomics() {
    let reference: Value =
        serde_json::from_str(&read("tests/fixtures/preprocess/features.json")).unwrap();
    let cases = root().join("tests/fixtures/pyradiomics-cases");
    let dir = crate::cli::tempfile_folder("preprocess-features");
    let mut compared = 0;
    let mut failures = Vec::new();
    for configuration in reference["configurations"].as_array().unwrap() {
        let name = configuration["name"].as_str().unwrap();
        let csv = dir.join(format!("{name}.csv"));
        crate::support::Run::script(&format!(
            "{}; load case \"{}\" \"{}\" label={}; {}; extract all dim=3d binwidth={}; export features \"{}\"",
            configuration["before_load"].as_str().unwrap(),
            cases.join(configuration["image"].as_str().unwrap()).display(),
            cases.join(configuration["mask"].as_str().unwrap()).display(),
            configuration["label"],
            configuration["commands"].as_str().unwrap(),
            configuration["bin_width"],
            csv.display()
        ))
        .succeeds();
        let text = std::fs::read_to_string(&csv).unwrap();
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        let row: Vec<&str> = lines.next().unwrap().split(',').collect();
        for (key, theirs) in configuration["features"].as_object().unwrap() {
            let theirs = theirs.as_f64().unwrap();
            let Some(at) = header.iter().position(|h| h == key) else {
                failures.push(format!("{name}: {key} missing"));
                continue;
            };
            let ours: f64 = row[at].parse().unwrap_or(f64::NAN);
            if !((ours - theirs).abs() <= ABSOLUTE.max(RELATIVE * theirs.abs())
                || (ours.is_nan() && theirs.is_nan()))
            {
                failures.push(format!("{name}: {key} = {ours}, PyRadiomics {theirs}"));
            }
            compared += 1;
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {compared} differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // 8 configurations × 107 features (first order 18, shape 14, GLCM 24, GLRLM 16, GLSZM 16,
    // GLDM 14, NGTDM 5).
    assert_eq!(compared, 8 * 107);
}

#[test]
fn pre_processing_steps_are_explicit_refused_when_incomplete_and_said_by_extract() {
    use crate::support::Run;
    Run::script("resample")
        .fails()
        .stderr_has("give `spacing=…`, or `off` to stop the step");
    Run::script("resample off spacing=1,1,1")
        .fails()
        .stderr_has("`off` stops the step");
    Run::script("resample spacing=1,1")
        .fails()
        .stderr_has("spacing");
    Run::script("resegment range=1,2,3")
        .fails()
        .stderr_has("range");
    Run::script("resample spacing=1,-1,1")
        .fails()
        .stderr_has("-1");
    // Each step is said when it is set, and again by every extraction; `off` takes it away.
    let cases = root().join("tests/fixtures/pyradiomics-cases");
    Run::script(&format!(
        "load case \"{0}/breast1_image.nrrd\" \"{0}/breast1_label.nrrd\"; \
         normalize scale=100 outliers=3; resample spacing=1,1,1 interpolator=linear; \
         resegment range=-3,3 mode=sigma; normalize off; extract firstorder dim=3d",
        cases.display()
    ))
    .succeeds()
    .stdout_has("`extract` now: normalised to z-scores over the whole image × 100, clipped at ±3 sd; then resampled to 1 × 1 × 1 mm (linear); then re-segmented to mean ± 3 sd")
    .stdout_has("pre-processed as PyRadiomics would with the same settings: resampled to 1 × 1 × 1 mm (linear); then re-segmented to mean ± 3 sd");
    // A mask off its image's grid is refused with what differs and the command that would
    // bring it onto the image's grid; asked for, it is brought and the note says so.
    let other = root().join("tests/fixtures/preprocess/resampled/breast1_mask_other_grid.nrrd");
    Run::script(&format!(
        "load case \"{}/breast1_image.nrrd\" \"{}\"",
        cases.display(),
        other.display()
    ))
    .fails()
    .stderr_has("the mask does not lie on the image's grid: shape 45 × 120 × 21 (columns × rows × slices) vs 60 × 160 × 40; spacing 0.664062 × 0.664062 × 2.1 mm vs 0.5 × 0.5 × 1.05 mm")
    .stderr_has("`resample mask=image`, then `load case` again");
    Run::script(&format!(
        "resample mask=image; load case \"{}/breast1_image.nrrd\" \"{}\"",
        cases.display(),
        other.display()
    ))
    .succeeds()
    .stdout_has("the mask was brought onto the image's grid by nearest neighbour");
    // Families that give nothing on these regions say why (2-D shape of a 3-D region).
    Run::script(&format!(
        "load case \"{0}/breast1_image.nrrd\" \"{0}/breast1_label.nrrd\"; extract shape2d dim=3d",
        cases.display()
    ))
    .fails()
    .stderr_has("2-D shape features are computed on one slice: use `dim=2d`");
    // A spacing so coarse that no centre of the new grid falls in the region says so.
    Run::script(&format!(
        "load case \"{0}/breast1_image.nrrd\" \"{0}/breast1_label.nrrd\"; \
         resample spacing=100,100,100; extract firstorder dim=3d",
        cases.display()
    ))
    .fails()
    .stderr_has("breast1_image: resampled to 100 × 100 × 100 mm, the region keeps no voxel");
    // A spacing that would need more voxels than memory allows refuses the command (not just
    // the patient), naming the patient whose region showed it.
    Run::script(&format!(
        "load case \"{0}/breast1_image.nrrd\" \"{0}/breast1_label.nrrd\"; \
         resample spacing=0.01,0.01,0.01; extract firstorder dim=3d",
        cases.display()
    ))
    .fails()
    .stderr_has("breast1_image: resampling to 0.01 × 0.01 × 0.01 mm gives the region a grid of")
    .stderr_has("choose a coarser spacing");
}

/// IBSI's mask resampling (`mask_interpolator=linear`): on breast1's 1 mm grid, trilinear
/// interpolation of the 0/1 mask kept where it reaches 0.5 equals SimpleITK's linear resampling
/// of the mask thresholded at 0.5, voxel for voxel; it is not PyRadiomics's nearest neighbour.
#[test]
fn masks_resampled_linearly_at_one_half_equal_simpleitks() {
    let cases = root().join("tests/fixtures/pyradiomics-cases");
    let volume = read_image(&cases.join("breast1_image.nrrd")).unwrap();
    let mask = read_mask(&cases.join("breast1_label.nrrd")).unwrap();
    let resample = |mask_interpolation| {
        Preprocessing {
            resample: Some(Resampling {
                spacing: [1.0, 1.0, 1.0],
                interpolator: Interpolator::BSpline,
                pad: 5,
                mask: mask_interpolation,
            }),
            ..Preprocessing::default()
        }
        .prepare(
            Intensities::Single(volume.phase(0)),
            volume.samples,
            mask.labels.view(),
            &mask.geometry,
        )
        .unwrap()
        .mask
    };
    let (linear, nearest) = (
        resample(MaskInterpolation::Linear),
        resample(MaskInterpolation::Nearest),
    );
    let theirs =
        read_mask(&root().join("tests/fixtures/preprocess/resampled/breast1_1mm_mask_linear.nrrd"))
            .unwrap();
    assert_eq!(linear.shape(), theirs.labels.shape());
    let differing = linear
        .iter()
        .zip(theirs.labels.iter())
        .filter(|(a, b)| (**a != 0) != (**b != 0))
        .count();
    assert_eq!(differing, 0);
    let count = |m: &ndarray::Array3<u8>| m.iter().filter(|v| **v != 0).count();
    assert_ne!(linear, nearest, "two methods");
    assert!(count(&linear) > 100, "{}", count(&linear));
}
