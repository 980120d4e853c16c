"""SimpleITK's N4 on the two cross-check slices of tests/fixtures/bias, the settings of
make_reference.py (four levels of at most 50 iterations), SimpleITK's default threads; prints
the median of RUNS per slice in milliseconds. Called by benches/bias.sh."""
import sys
import time
from pathlib import Path

import SimpleITK as sitk

runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
folder = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "bias"
for id_ in ["P0001", "P0002"]:
    image = sitk.ReadImage(str(folder / f"{id_}_image.nii.gz"), sitk.sitkFloat32)[:, :, 0]
    mask = sitk.ReadImage(str(folder / f"{id_}_mask.nii.gz"), sitk.sitkUInt8)[:, :, 0]
    times = []
    for _ in range(runs):
        corrector = sitk.N4BiasFieldCorrectionImageFilter()
        corrector.SetMaximumNumberOfIterations([50] * 4)
        start = time.perf_counter()
        corrector.Execute(image, mask)
        times.append(time.perf_counter() - start)
    times.sort()
    print(f"simpleitk_{id_}_ms {times[len(times) // 2] * 1e3:.1f}")
