//! `cargo bench --bench images -- RUNS`: the synthetic cohort's costs, in process, median of RUNS
//! (default 5): drawing 432 patients (records and tumour parameters, no pixels), rendering the
//! phase-2 slice with the largest ROI for all 432 (what the study's 2-D pipeline needs), and
//! rendering all 432 full 9-phase series with ROI and true masks, and the study's 55 features of
//! all 432 (regions prepared beforehand). `benches/images.sh` adds peak
//! memory and the export/read-back times.

use radnomo::features::{Discretisation, Discretised, Region};
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
    let n = cohort.size;
    let draw = median_seconds(runs, || {
        let patients: Vec<_> = (0..n).into_par_iter().map(|i| cohort.patient(i)).collect();
        assert_eq!(patients.len(), n);
    });
    let patients: Vec<_> = (0..n).map(|i| cohort.patient(i)).collect();
    let slices = median_seconds(runs, || {
        let total: usize = patients
            .par_iter()
            .map(|p| {
                let k = p.roi().largest_slice().expect("an ROI");
                p.phantom.render_phase(k, 1).len()
            })
            .sum();
        assert_eq!(total, n * 160 * 160);
    });
    let full = median_seconds(runs.min(3), || {
        let voxels: usize = patients
            .par_iter()
            .map(|p| p.volume().voxels.len() + p.roi().count() + p.truth().count())
            .sum();
        assert!(voxels > 0);
    });
    // The study's 55 features on the phase-2 slice where the true tumour is largest, regions
    // prepared beforehand: the feature computation alone.
    let regions: Vec<Region> = patients
        .par_iter()
        .map(|p| {
            let truth = p.truth();
            let k = truth.largest_slice().expect("a tumour");
            let [_, rows, columns] = p.shape();
            let plane =
                ndarray::Array3::from_shape_vec((1, rows, columns), p.phantom.render_phase(k, 1))
                    .unwrap();
            Region::new(
                plane.view(),
                truth.labels.slice(ndarray::s![k..k + 1, .., ..]),
                truth.geometry.spacing,
            )
            .unwrap()
        })
        .collect();
    let features = median_seconds(runs, || {
        let count: usize = regions
            .par_iter()
            .map(|region| {
                let levels = Discretised::new(region, Discretisation::BinWidth(25.0)).unwrap();
                radnomo::features::study::features(region, &levels).len()
            })
            .sum();
        assert_eq!(count, n * 55);
    });
    println!("threads {}", rayon::current_num_threads());
    println!("study_55_features_432_s {features:.4}");
    println!("draw_432_patients_s {draw:.4}");
    println!("phase2_largest_slice_432_s {slices:.4}");
    println!("full_series_432_s {full:.3}");
}
