"""PyRadiomics's side of benches/features.sh: the same cases as benches/features.rs, in process
(image and mask read into SimpleITK images beforehand), median of RUNS.

Usage: python pyradiomics_timing.py RUNS DIR   (DIR holds slice96_image.nrrd / slice96_mask.nrrd,
written by `cargo bench --bench features`). Needs PyRadiomics 3.0.1 (see
tests/fixtures/pyradiomics/make_reference.py for the install recipe).
"""
import logging
import os
import statistics
import sys
import time

import radiomics
import SimpleITK as sitk
from radiomics import featureextractor

radiomics.setVerbosity(logging.ERROR)
runs, folder = int(sys.argv[1]), sys.argv[2]
cases_dir = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "pyradiomics-cases")


def timed(image_path, mask_path, families, **settings):
    image, mask = sitk.ReadImage(image_path), sitk.ReadImage(mask_path)
    extractor = featureextractor.RadiomicsFeatureExtractor(
        label=1, binWidth=25, voxelArrayShift=0, additionalInfo=False, **settings)
    extractor.disableAllFeatures()
    for family in families:
        extractor.enableFeatureClassByName(family)
    times, count = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        result = extractor.execute(image, mask)
        times.append(time.perf_counter() - start)
        count = sum(1 for key in result if key.startswith("original_"))
    return statistics.median(times), count


breast, breast_count = timed(
    os.path.join(cases_dir, "breast1_image.nrrd"), os.path.join(cases_dir, "breast1_label.nrrd"),
    ["firstorder", "shape", "glcm", "glrlm", "glszm", "gldm", "ngtdm"])
resampled, resampled_count = timed(
    os.path.join(cases_dir, "breast1_image.nrrd"), os.path.join(cases_dir, "breast1_label.nrrd"),
    ["firstorder", "shape", "glcm", "glrlm", "glszm", "gldm", "ngtdm"],
    resampledPixelSpacing=[1, 1, 1], interpolator="sitkBSpline")
slice96, slice_count = timed(
    os.path.join(folder, "slice96_image.nrrd"), os.path.join(folder, "slice96_mask.nrrd"),
    ["firstorder", "shape2D", "glcm", "glrlm"], force2D=True, force2Ddimension=0)
print(f"pyradiomics_breast1_3d_features {breast_count}")
print(f"pyradiomics_breast1_3d_ms {breast * 1e3:.3f}")
print(f"pyradiomics_breast1_resampled_3d_features {resampled_count}")
print(f"pyradiomics_breast1_resampled_3d_ms {resampled * 1e3:.3f}")
print(f"pyradiomics_slice96_2d_features {slice_count}")
print(f"pyradiomics_slice96_2d_ms {slice96 * 1e3:.3f}")
