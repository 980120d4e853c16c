//! Writes the inputs of the N4 cross-check (`tests/fixtures/bias/`): for two synthetic patients,
//! phase 2 of the slice where the ROI is largest, and its tissue mask, as 2-D NIfTI files.
//! `tests/fixtures/bias/make_reference.py` then runs SimpleITK's N4 on them.
//!
//!     cargo run --release --example n4_reference_inputs -- tests/fixtures/bias

use radnomo::imaging::bias::tissue_mask;
use radnomo::imaging::io::{Format, write_image, write_mask};
use radnomo::imaging::synthetic::SyntheticCohort;
use radnomo::imaging::{Geometry, Mask};
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let folder = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "tests/fixtures/bias".into()),
    );
    std::fs::create_dir_all(&folder)?;
    let cohort = SyntheticCohort::default();
    for index in [0, 1] {
        let patient = cohort.patient(index);
        let k = patient.roi().largest_slice().ok_or("empty ROI")?;
        let image = patient.phase_slice(k, 2);
        let mask = tissue_mask(image.view());
        let geometry: Geometry = patient.geometry();
        let id = patient.id();
        let voxels = image
            .clone()
            .insert_axis(ndarray::Axis(0))
            .insert_axis(ndarray::Axis(0));
        write_image(
            &folder.join(format!("{id}_image.nii.gz")),
            Format::Nifti,
            voxels.view(),
            &geometry,
            &id,
            0,
        )
        .map_err(|e| e.to_string())?;
        write_mask(
            &folder.join(format!("{id}_mask.nii.gz")),
            &Mask::new(mask.clone().insert_axis(ndarray::Axis(0)), geometry),
        )
        .map_err(|e| e.to_string())?;
        println!(
            "{id}: slice {} of phase 2, {} tissue pixels",
            k + 1,
            mask.iter().filter(|&&m| m != 0).count()
        );
    }
    Ok(())
}
