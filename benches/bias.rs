//! `cargo bench --bench bias -- RUNS`: bias correction and segmentation of the 432 synthetic
//! patients' analysis slices (phase 2, the slice where the ROI is largest), in process, median of
//! RUNS (default 5). The slices and ROIs are rendered beforehand (rendering is the synthetic
//! generator's cost, measured by `benches/images.rs`), so the figures are the processing alone:
//! N4 with `correct bias`'s defaults, the segmentation `segment` runs, and both in turn. Also N4
//! with SimpleITK's four-level settings on the two cross-check slices of `tests/fixtures/bias`,
//! the figure `benches/bias.sh` sets beside SimpleITK's.

use radnomo::imaging::bias::{N4Options, estimate, n4};
use radnomo::imaging::io::{read_image, read_mask};
use radnomo::imaging::segment::{SegmentOptions, segment_slice};
use radnomo::imaging::synthetic::SyntheticCohort;
use rayon::prelude::*;

mod timing;
use timing::median_seconds;

fn main() {
    let runs: usize = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .and_then(|a| a.parse().ok())
        .unwrap_or(5);
    let cohort = SyntheticCohort::default();
    let slices: Vec<_> = (0..cohort.size)
        .into_par_iter()
        .map(|i| {
            let patient = cohort.patient(i);
            let roi = patient.roi();
            let k = roi
                .largest_slice()
                .expect("every synthetic patient has an ROI");
            (
                patient.phase_slice(k, 2),
                roi.labels.index_axis(ndarray::Axis(0), k).to_owned(),
            )
        })
        .collect();
    // `correct bias`'s defaults.
    let command = N4Options {
        shrink: 4,
        iterations: 30,
        convergence: 0.0,
        ..N4Options::default()
    };
    let segmenting = SegmentOptions::default();
    let correct_all = || -> Vec<_> {
        slices
            .par_iter()
            .map(|(image, _)| {
                estimate(image.view(), &command)
                    .unwrap()
                    .field
                    .correct(image.view())
            })
            .collect()
    };
    let bias = median_seconds(runs, || {
        assert_eq!(correct_all().len(), slices.len());
    });
    let segment = median_seconds(runs, || {
        let pixels: usize = slices
            .par_iter()
            .map(|(image, roi)| segment_slice(image.view(), roi.view(), &segmenting).pixels)
            .sum();
        assert!(pixels > 0);
    });
    let both = median_seconds(runs, || {
        let pixels: usize = slices
            .par_iter()
            .map(|(image, roi)| {
                let corrected = estimate(image.view(), &command)
                    .unwrap()
                    .field
                    .correct(image.view());
                segment_slice(corrected.view(), roi.view(), &segmenting).pixels
            })
            .sum();
        assert!(pixels > 0);
    });
    println!("threads {}", rayon::current_num_threads());
    println!("n4_432_ms {:.1}", bias * 1e3);
    println!("segment_432_ms {:.1}", segment * 1e3);
    println!("n4_and_segment_432_ms {:.1}", both * 1e3);

    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bias");
    let simpleitk = N4Options {
        levels: 4,
        ..N4Options::default()
    };
    for id in ["P0001", "P0002"] {
        let image = read_image(&folder.join(format!("{id}_image.nii.gz"))).unwrap();
        let image = image
            .voxels
            .index_axis(ndarray::Axis(0), 0)
            .index_axis(ndarray::Axis(0), 0)
            .to_owned();
        let mask = read_mask(&folder.join(format!("{id}_mask.nii.gz"))).unwrap();
        let mask = mask.labels.index_axis(ndarray::Axis(0), 0).to_owned();
        let seconds = median_seconds(runs, || {
            n4(image.view(), mask.view(), &simpleitk).unwrap();
        });
        println!("n4_simpleitk_settings_{id}_ms {:.1}", seconds * 1e3);
    }
}
