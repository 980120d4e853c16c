//! `resample`, `normalize`, `resegment`: the pre-processing `extract` applies to every patient's
//! image and mask, each step chosen explicitly and said in every extraction's note.

use crate::error::{Error, ErrorKind};
use crate::output::{Output, Text};
use crate::preprocess::{
    Interpolator, MaskInterpolation, Normalization, Preprocessing, Resampling, Resegmentation,
    ThresholdMode,
};
use crate::session::args::Arguments;
use crate::session::context::Context;
use crate::session::spec::{ArgKind, ArgSpec, CommandSpec, Group};

const OFF: ArgSpec = ArgSpec::positional("off", ArgKind::Choice(&["off"]), "`off` stops this step");

pub const RESAMPLE: CommandSpec = CommandSpec {
    name: "resample",
    summary: "resample images and masks to a new voxel spacing before features are extracted",
    help: "From now on `extract` resamples each patient's image and mask to `spacing` (mm along the \
columns, rows and slices; 0 keeps an axis's spacing, so `spacing=1,1,0` resamples in-plane only), as \
PyRadiomics does with `resampledPixelSpacing` and `interpolator`: the new grid is aligned to the \
image's first voxel corner and covers the mask's bounding box plus `pad` new voxels each way (5, \
PyRadiomics's `padDistance`); an axis along which the mask spans one voxel keeps its spacing. The \
image is interpolated by a cubic B-spline (`interpolator=bspline`, SimpleITK's default), \
`linear` or `nearest`, and stays in its stored type (an integer image is truncated to integers, as \
SimpleITK does); the mask is resampled by nearest neighbour, as PyRadiomics does, or with \
`mask_interpolator=linear` as IBSI recommends (trilinear interpolation of the 0/1 mask, kept where \
it reaches 0.5). When the spacing already is the one \
asked for, nothing is resampled. Resampling makes texture features comparable between patients \
scanned at different resolutions (IBSI asks for isotropic voxels in 3-D); the values equal \
PyRadiomics 3.0.1's with the same settings. `resample off` stops it.\n\n\
Nothing is resampled unless asked: a mask whose grid differs from its image's is refused, naming \
what differs. `resample mask=image` asks for it: from then on `load case` and `load cohort` bring \
such a mask onto its image's grid by nearest neighbour, as PyRadiomics's `correctMask` does — \
provided its region lies within the image (else it is refused: it was drawn on another image) — \
and say so for each patient.",
    examples: &[
        "resample spacing=1,1,1",
        "resample spacing=0.5,0.5,0 interpolator=linear",
        "resample mask=image",
        "resample off",
    ],
    arguments: &[
        OFF,
        ArgSpec::keyword(
            "mask",
            ArgKind::Choice(&["image"]),
            "bring masks off their image's grid onto it when loaded",
        ),
        ArgSpec::keyword(
            "spacing",
            ArgKind::Numbers {
                min: 0.0,
                max: 100.0,
                fewest: 3,
                most: 3,
                names: "X,Y,Z",
            },
            "the new voxel size in mm (0 keeps an axis)",
        ),
        ArgSpec::keyword(
            "interpolator",
            ArgKind::Choice(&["bspline", "linear", "nearest"]),
            "how image values between voxel centres are found",
        )
        .default("bspline"),
        ArgSpec::keyword(
            "mask_interpolator",
            ArgKind::Choice(&["nearest", "linear"]),
            "masks by nearest neighbour (PyRadiomics) or linear ≥ 0.5 (IBSI)",
        )
        .default("nearest"),
        ArgSpec::keyword(
            "pad",
            ArgKind::WholeNumber { min: 0, max: 100 },
            "new voxels kept around the mask's bounding box",
        )
        .default("5"),
    ],
    group: Group::Images,
    replayable: true,
    run: resample,
};

pub const NORMALIZE: CommandSpec = CommandSpec {
    name: "normalize",
    summary: "normalise each image's intensities to z-scores before features are extracted",
    help: "From now on `extract` normalises each patient's whole image (every voxel, not only the \
region) to z-scores, (x − mean) / sd with the n − 1 standard deviation, optionally clips them at \
±`outliers` standard deviations, and multiplies them by `scale` — PyRadiomics's `normalize`, \
`removeOutliers` and `normalizeScale`, whose values it equals. MR intensities have no fixed scale \
(they differ between scanners, coils and patients), so normalising before a fixed bin width makes \
the grey levels comparable; with z-scores, a bin width of 25 needs `scale=100` or so (each bin a \
quarter of a standard deviation). Normalisation runs before any resampling. `normalize off` \
stops it.",
    examples: &[
        "normalize scale=100",
        "normalize scale=100 outliers=3",
        "normalize off",
    ],
    arguments: &[
        OFF,
        ArgSpec::keyword(
            "scale",
            ArgKind::Number {
                min: 1e-6,
                max: 1e6,
            },
            "multiplies the z-scores",
        )
        .default("1"),
        ArgSpec::keyword(
            "outliers",
            ArgKind::Number {
                min: 1e-6,
                max: 1e6,
            },
            "clip z-scores beyond this many standard deviations",
        ),
    ],
    group: Group::Images,
    replayable: true,
    run: normalize,
};

pub const RESEGMENT: CommandSpec = CommandSpec {
    name: "resegment",
    summary: "keep only the region's voxels within an intensity range",
    help: "From now on `extract` removes from each patient's region the voxels whose intensity lies \
outside `range` (IBSI's re-segmentation; PyRadiomics's `resegmentRange` and `resegmentMode`): with \
two numbers the closed range LOW ≤ x ≤ HIGH, with one the values from LOW up. `mode=absolute` reads \
them as intensities (after any normalisation and resampling), `relative` as fractions of the \
region's largest value, `sigma` as standard deviations from the region's mean — `resegment \
range=-3,3 mode=sigma` is IBSI's outlier filtering. Shape features keep the region as drawn; the \
other families use the re-segmented one, as PyRadiomics does by default. A range that leaves fewer \
than 2 voxels is refused, naming the patient. `resegment off` stops it.",
    examples: &[
        "resegment range=-3,3 mode=sigma",
        "resegment range=0,500",
        "resegment range=0.5 mode=relative",
        "resegment off",
    ],
    arguments: &[
        OFF,
        ArgSpec::keyword(
            "range",
            ArgKind::Numbers {
                min: -1e12,
                max: 1e12,
                fewest: 1,
                most: 2,
                names: "LOW[,HIGH]",
            },
            "the intensities kept",
        ),
        ArgSpec::keyword(
            "mode",
            ArgKind::Choice(&["absolute", "relative", "sigma"]),
            "how the range is read",
        )
        .default("absolute"),
    ],
    group: Group::Images,
    replayable: true,
    run: resegment,
};

/// `off` given together with a setting, or neither given.
fn check_off(arguments: &Arguments, context: &Context<'_>, setting: &str) -> Result<bool, Error> {
    let off = arguments.given("off");
    if off == arguments.given(setting) {
        let message = if off {
            format!("`off` stops the step; give it without `{setting}=`")
        } else {
            format!("give `{setting}=…`, or `off` to stop the step")
        };
        return Err(Error::at(
            ErrorKind::Invalid { message },
            arguments.span(setting).unwrap_or(context.span),
        ));
    }
    Ok(off)
}

/// What `extract` will do now, as a note.
fn summary(steps: &Preprocessing) -> Text {
    let described = steps.describe();
    Text::info(if described.is_empty() {
        "`extract` now uses the images as read (no pre-processing)".to_string()
    } else {
        format!("`extract` now: {}", described.join("; then "))
    })
}

fn resample(context: &mut Context<'_>, arguments: &Arguments) -> Result<Output, Error> {
    let off = arguments.given("off");
    if off && arguments.given("mask") {
        return Err(Error::at(
            ErrorKind::Invalid {
                message: "`off` stops the step; give it without `mask=`".into(),
            },
            arguments.span("mask").unwrap_or(context.span),
        ));
    }
    if off {
        context.state.preprocessing.masks_onto_images = false;
    }
    if arguments.given("mask") {
        context.state.preprocessing.masks_onto_images = true;
        if !arguments.given("spacing") {
            return Ok(Output::item(Text::info(
                "`load case` and `load cohort` now bring a mask off its image's grid onto it by nearest neighbour (as PyRadiomics's correctMask), and say so; `resample off` stops it",
            )));
        }
    }
    context.state.preprocessing.resample = if check_off(arguments, context, "spacing")? {
        None
    } else {
        let spacing = arguments.numbers("spacing");
        Some(Resampling {
            spacing: [spacing[0], spacing[1], spacing[2]],
            interpolator: match arguments.text("interpolator") {
                Some("linear") => Interpolator::Linear,
                Some("nearest") => Interpolator::Nearest,
                _ => Interpolator::BSpline,
            },
            pad: arguments.integer("pad").unwrap_or(5) as usize,
            mask: match arguments.text("mask_interpolator") {
                Some("linear") => MaskInterpolation::Linear,
                _ => MaskInterpolation::Nearest,
            },
        })
    };
    Ok(Output::item(summary(&context.state.preprocessing)))
}

fn normalize(context: &mut Context<'_>, arguments: &Arguments) -> Result<Output, Error> {
    let off = arguments.given("off");
    if off && (arguments.given("scale") || arguments.given("outliers")) {
        return Err(Error::at(
            ErrorKind::Invalid {
                message: "`off` stops normalising; give it alone".into(),
            },
            arguments.span("off").unwrap_or(context.span),
        ));
    }
    context.state.preprocessing.normalize = (!off).then(|| Normalization {
        scale: arguments.number("scale").unwrap_or(1.0),
        outliers: arguments.number("outliers"),
    });
    Ok(Output::item(summary(&context.state.preprocessing)))
}

fn resegment(context: &mut Context<'_>, arguments: &Arguments) -> Result<Output, Error> {
    let off = check_off(arguments, context, "range")?;
    context.state.preprocessing.resegment = (!off).then(|| Resegmentation {
        thresholds: arguments.numbers("range"),
        mode: match arguments.text("mode") {
            Some("relative") => ThresholdMode::Relative,
            Some("sigma") => ThresholdMode::Sigma,
            _ => ThresholdMode::Absolute,
        },
    });
    Ok(Output::item(summary(&context.state.preprocessing)))
}
