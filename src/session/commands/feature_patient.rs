//! One patient's features for `extract`: the tumour mask chosen, the image read (and
//! pre-processed when `resample`, `normalize` or `resegment` asked for it), the region cut and its
//! features computed.

use crate::features::{self, Discretised, Family, Region, Settings};
use crate::imaging::Mask;
use crate::imaging::cohort::{CohortPatient, PatientImages};
use crate::imaging::perturbation::{Draw, add_noise_within, extent, noise_sd};
use crate::imaging::samples::SampleType;
use crate::preprocess::{Intensities, PrepareError, Preprocessing, Regions};
use ndarray::Axis;

/// What to compute for each patient.
#[derive(Clone, Debug)]
pub struct Request {
    pub(super) segmentation: Option<std::sync::Arc<crate::session::state::Segmentation>>,
    pub(super) families: Option<Vec<Family>>,
    pub(super) settings: Settings,
    pub(super) planar: bool,
    pub(super) phase: Option<usize>,
    pub(super) mask: MaskChoice,
    /// How a mask's lesions are taken.
    pub(super) lesions: LesionChoice,
    /// The session's bias correction, applied as images are read.
    pub(super) bias: Option<std::sync::Arc<crate::imaging::bias::BiasCorrection>>,
    /// The session's pre-processing (`resample`, `normalize`, `resegment`).
    pub(super) preprocessing: Preprocessing,
    /// The feature columns this request wrote (set once `extract` has run).
    pub(super) names: Vec<String>,
}

/// `lesions=all|largest|each`.
#[derive(Clone, Copy, PartialEq, Debug)]
pub(super) enum LesionChoice {
    /// Every lesion together, as one region.
    All,
    /// Only the largest lesion.
    Largest,
    /// Each lesion on its own: one row of features per lesion.
    Each,
}

#[derive(Clone, Copy, PartialEq, Debug)]
pub(super) enum MaskChoice {
    Auto,
    Truth,
    Roi,
}

/// The mask `choice` asks for, or why there is none. `auto` prefers what `segment` drew (one
/// slice), then masks loaded with the cohort.
fn tumour_mask(patient: &CohortPatient, request: &Request) -> Result<Mask, String> {
    if request.mask == MaskChoice::Auto
        && let Some(mask) = request
            .segmentation
            .as_ref()
            .and_then(|s| s.mask(&patient.id))
    {
        if !request.planar {
            return Err(
                "`segment` draws one slice; use `dim=2d`, or load 3-D masks with the cohort".into(),
            );
        }
        return Ok(mask);
    }
    match request.mask {
        MaskChoice::Truth => patient
            .truth()
            .ok_or_else(|| "no true tumour mask (only the synthetic cohort has one)".to_string()),
        MaskChoice::Roi => patient
            .roi()
            .map_err(|e| e.to_string())?
            .ok_or_else(|| "no ROI".to_string()),
        MaskChoice::Auto => patient.given_mask().map_err(|e| e.to_string())?.ok_or_else(|| {
            "no tumour mask: run `segment`, load masks with the cohort (masks/<id>), or use `mask=truth` on the synthetic cohort"
                .to_string()
        }),
    }
}

/// Why a patient has no features.
pub(super) enum Failure {
    /// Something about this patient (no mask, an unreadable file): the patient is left out.
    Skipped(String),
    /// The settings cannot run on this patient's region at all: the command is refused.
    TooManyBins(features::discretise::TooManyBins),
    /// A pre-processing setting cannot run on this patient's region: the command is refused.
    Setting(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Skipped(reason) => f.write_str(reason),
            Failure::TooManyBins(why) => why.fmt(f),
            Failure::Setting(why) => f.write_str(why),
        }
    }
}

impl From<String> for Failure {
    fn from(reason: String) -> Failure {
        Failure::Skipped(reason)
    }
}

impl From<&str> for Failure {
    fn from(reason: &str) -> Failure {
        Failure::Skipped(reason.to_string())
    }
}

/// One patient's features, by name.
pub(super) type Values = Vec<(String, f64)>;

/// One patient's features — one row, or one per lesion with `lesions=each` (largest lesion
/// first) — with the intensity range of its regions and how many lesions its mask has.
pub(super) struct Extracted {
    pub(super) rows: Vec<Values>,
    pub(super) range: (f64, f64),
    pub(super) lesions: usize,
    /// The image is 2-D (no slice thickness): 3-D shape was left out.
    pub(super) planar: bool,
}

/// One patient's features, or why there are none.
pub(super) fn patient_features(
    patient: &CohortPatient,
    request: &Request,
) -> Result<Extracted, Failure> {
    let (masks, lesions) = chosen_masks(patient, request)?;
    // Every lesion's mask is on the patient's grid.
    let grid = &masks[0];
    if grid.geometry.planar && !request.planar {
        return Err(
            "a 2-D image (one slice, no slice thickness): 3-D features need a thickness; use `dim=2d`"
                .into(),
        );
    }
    // Images from files are read whole, once per patient, in double precision when the file
    // held doubles; with no pre-processing the synthetic cohort renders only the slice a lesion's
    // 2-D analysis needs.
    let synthetic = matches!(patient.images, PatientImages::Synthetic { .. });
    let image = (!synthetic || !request.preprocessing.is_empty())
        .then(|| PatientImage::read(patient, request, grid, None))
        .transpose()?;
    let mut rows = Vec::with_capacity(masks.len());
    let mut range = (f64::INFINITY, f64::NEG_INFINITY);
    for lesion in &masks {
        let (values, (low, high)) = match &image {
            Some(image) => {
                let (intensities, samples) = image.intensities();
                prepared_features(request, lesion, intensities, samples)?
            }
            None => rendered_features(patient, request, lesion)?,
        };
        rows.push(values);
        range = (range.0.min(low), range.1.max(high));
    }
    Ok(Extracted {
        rows,
        range,
        lesions,
        planar: grid.geometry.planar,
    })
}

/// The masks `request` asks for (all lesions as one, the largest, or each) and how many lesions
/// the patient's mask has.
fn chosen_masks(patient: &CohortPatient, request: &Request) -> Result<(Vec<Mask>, usize), Failure> {
    let mask = tumour_mask(patient, request)?;
    let (masks, lesions) = match request.lesions {
        LesionChoice::All => {
            let count = crate::imaging::lesions::components(&mask).1.len();
            (vec![mask], count)
        }
        LesionChoice::Largest => {
            let (largest, count) = crate::imaging::lesions::largest(&mask);
            (vec![largest], count)
        }
        LesionChoice::Each => {
            let each = crate::imaging::lesions::each(&mask);
            let count = each.len();
            (each, count)
        }
    };
    if masks.is_empty() {
        return Err("the tumour mask is empty".into());
    }
    Ok((masks, lesions))
}

/// One patient's features under each perturbation `draws` makes of its region (and image), for
/// `robustness`: the image read once, then per draw the mask perturbed and, when the draw adds
/// noise, Gaussian noise at the image's own noise level (Immerkær's estimate over the slices the
/// region covers) added to a copy in double precision. Every lesion together, or the largest.
pub(super) fn perturbed_features(
    patient: &CohortPatient,
    request: &Request,
    draws: &[Draw],
) -> Result<Vec<Values>, Failure> {
    let (masks, _) = chosen_masks(patient, request)?;
    let mask = &masks[0];
    if mask.geometry.planar && !request.planar {
        return Err("a 2-D image: 3-D features need a thickness; use `dim=2d`".into());
    }
    // Without pre-processing only the region's slices and their neighbours (which a 3-D dilation
    // reaches) are read.
    let slices = (0..mask.shape()[0])
        .filter(|&k| mask.labels.index_axis(Axis(0), k).iter().any(|&v| v != 0))
        .fold(None, |range: Option<(usize, usize)>, k| {
            Some(range.map_or((k, k), |(a, _)| (a, k)))
        });
    let only = slices
        .filter(|_| request.preprocessing.is_empty())
        .map(|(a, b)| (a.saturating_sub(1), b + 1));
    let image = PatientImage::read(patient, request, mask, only)?;
    let (intensities, samples) = image.intensities();
    let original = intensities.block(std::array::from_fn(|a| (0, mask.shape()[a] - 1)), None);
    let covered: Vec<usize> = if request.planar {
        mask.largest_slice().into_iter().collect()
    } else {
        (0..mask.shape()[0])
            .filter(|&k| mask.labels.index_axis(Axis(0), k).iter().any(|&v| v != 0))
            .collect()
    };
    let planes: Vec<_> = covered
        .iter()
        .map(|&k| original.index_axis(Axis(0), k))
        .collect();
    let sd = noise_sd(&planes);
    draws
        .iter()
        .map(|draw| {
            let perturbed = draw.mask(mask, request.planar);
            let values = match draw.noise {
                Some(seed) => {
                    // Features see only the region's voxels unless pre-processing reads around
                    // them (resampling's taps, normalisation's whole image): noise goes where it
                    // can matter.
                    let window = if request.preprocessing.is_empty() {
                        extent(&perturbed)
                    } else {
                        None
                    };
                    let mut noisy = original.clone();
                    add_noise_within(&mut noisy, window, sd, seed);
                    prepared_features(
                        request,
                        &perturbed,
                        Intensities::Double(noisy.view()),
                        SampleType::F64,
                    )
                }
                None => prepared_features(request, &perturbed, intensities, samples),
            };
            values.map(|(values, _)| values)
        })
        .collect()
}

/// The features of one region (all lesions, the largest, or one) of a synthetic patient with no
/// pre-processing, from the slice (or volume) rendered for it, and its intensity range.
fn rendered_features(
    patient: &CohortPatient,
    request: &Request,
    mask: &Mask,
) -> Result<(Values, (f64, f64)), Failure> {
    let k = mask.largest_slice().ok_or("the tumour mask is empty")?;
    let spacing = mask.geometry.spacing;
    let region = if request.planar {
        let plane = patient
            .phase_slice(request.phase, k, mask, request.bias.as_deref())?
            .insert_axis(Axis(0));
        Region::new(
            plane.view(),
            mask.labels.slice(ndarray::s![k..k + 1, .., ..]),
            spacing,
        )
    } else {
        let image = patient.phase_image(request.phase, mask, request.bias.as_deref())?;
        Region::new(image.view(), mask.labels.view(), spacing)
    }
    .ok_or("the tumour mask is empty")?;
    let range = features::discretise::intensity_range(&region.values());
    compute(&region, None, request, false)
        .map(|values| (values, range))
        .map_err(Failure::TooManyBins)
}

/// The features of `region`; shape families from `drawn` instead when the region was
/// re-segmented (shape describes the region as drawn, as PyRadiomics's default). A 2-D image
/// (`planar_image`) has no 3-D shape: it has no slice thickness (PyRadiomics leaves 3-D shape out
/// for 2-D input too).
fn compute(
    region: &Region,
    drawn: Option<&Region>,
    request: &Request,
    planar_image: bool,
) -> Result<Values, features::discretise::TooManyBins> {
    let shape_of = drawn.unwrap_or(region);
    match &request.families {
        None => {
            let study = |region: &Region| {
                Discretised::new(region, request.settings.discretisation).and_then(|levels| {
                    levels.check_texture_levels()?;
                    Ok(features::study::features(region, &levels))
                })
            };
            let mut values = study(region)?;
            if let Some(drawn) = drawn {
                let shapes = study(drawn)?;
                for (name, value) in values.iter_mut() {
                    if name.starts_with("shape2D_")
                        && let Some((_, v)) = shapes.iter().find(|(n, _)| n == name)
                    {
                        *value = *v;
                    }
                }
            }
            Ok(values)
        }
        Some(families) => {
            let (shapes, others): (Vec<Family>, Vec<Family>) = families
                .iter()
                .filter(|f| !(planar_image && **f == Family::Shape))
                .partition(|f| matches!(f, Family::Shape | Family::Shape2D));
            let mut values = features::extract(region, &others, &request.settings)?;
            values.extend(features::extract(shape_of, &shapes, &request.settings)?);
            Ok(values)
        }
    }
}

/// The phase a patient's regions are cut from, read once for all its lesions.
enum PatientImage {
    /// A synthetic patient's phase, rendered slice by slice (its grid is the mask's by
    /// construction) rather than all nine phases.
    Rendered(ndarray::Array3<f32>),
    /// Bias-corrected: the correction computes in `f32`.
    Corrected(ndarray::Array3<f32>),
    /// The series as read — the file's doubles when it held doubles — and the phase (1-based).
    Read(crate::imaging::Volume, usize),
}

impl PatientImage {
    /// The patient's phase on `mask`'s grid; a synthetic patient's rendered only on the slices
    /// `only` (inclusive) when given — the rest stay 0 — for analyses that read no others.
    fn read(
        patient: &CohortPatient,
        request: &Request,
        mask: &Mask,
        only: Option<(usize, usize)>,
    ) -> Result<Self, Failure> {
        if matches!(patient.images, PatientImages::Synthetic { .. }) {
            let [slices, rows, columns] = mask.shape();
            let mut phase = ndarray::Array3::<f32>::zeros((slices, rows, columns));
            let (first, last) = only.unwrap_or((0, slices.saturating_sub(1)));
            for k in first..=last.min(slices.saturating_sub(1)) {
                let plane = patient.phase_slice(request.phase, k, mask, request.bias.as_deref())?;
                phase.index_axis_mut(Axis(0), k).assign(&plane);
            }
            return Ok(PatientImage::Rendered(phase));
        }
        let (phase, volume) = patient.checked_volume(request.phase, mask)?;
        Ok(match request.bias.as_deref() {
            Some(bias) => {
                let raw = volume.voxels.index_axis(Axis(0), phase - 1).to_owned();
                PatientImage::Corrected(bias.correct_volume(&patient.id, phase, raw))
            }
            None => PatientImage::Read(volume, phase),
        })
    }

    /// The voxels and the type they were stored as.
    fn intensities(&self) -> (Intensities<'_>, SampleType) {
        match self {
            PatientImage::Rendered(phase) | PatientImage::Corrected(phase) => {
                (Intensities::Single(phase.view()), SampleType::F32)
            }
            PatientImage::Read(volume, phase) => match &volume.exact {
                Some(exact) => (
                    Intensities::Double(exact.index_axis(Axis(0), phase - 1)),
                    volume.samples,
                ),
                None => (Intensities::Single(volume.phase(phase - 1)), volume.samples),
            },
        }
    }
}

/// The features of the regions `image` and `mask` give after the session's pre-processing (a
/// 2-D analysis takes the largest slice of the resampled mask), and their intensity range.
fn prepared_features(
    request: &Request,
    mask: &Mask,
    image: Intensities<'_>,
    samples: SampleType,
) -> Result<(Values, (f64, f64)), Failure> {
    let Regions { drawn, resegmented } = request
        .preprocessing
        .regions(
            image,
            samples,
            mask.labels.view(),
            &mask.geometry,
            request.planar,
        )
        .map_err(|e| match e {
            PrepareError::Patient(why) => Failure::Skipped(why),
            PrepareError::Setting(why) => Failure::Setting(why),
        })?
        .ok_or("the tumour mask is empty")?;
    let region = resegmented.as_ref().unwrap_or(&drawn);
    let range = features::discretise::intensity_range(&region.values());
    let drawn = resegmented.is_some().then_some(&drawn);
    compute(region, drawn, request, mask.geometry.planar)
        .map(|values| (values, range))
        .map_err(Failure::TooManyBins)
}
