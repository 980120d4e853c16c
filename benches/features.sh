#!/usr/bin/env bash
# radnomo's feature extraction against PyRadiomics 3.0.1, same cases, same machine, same run
# (benches/features.rs and benches/pyradiomics_timing.py; both in process, median of RUNS):
#   breast1_3d   PyRadiomics's breast1 case, 3-D, all seven families, bin width 25
#   slice96_2d   a 96 x 96 synthetic DCE slice with a ~2,000-pixel ROI, the study's four families
# and prints each time with the ratio PyRadiomics / radnomo.
# PyRadiomics comes from $PYRADIOMICS_PYTHON if set, else from a venv made in target/bench-venv
# with the recipe of tests/fixtures/pyradiomics/make_reference.py (needs the package index).
# Usage: bash benches/features.sh [RUNS]   (default 15)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-15}
python=${PYRADIOMICS_PYTHON:-}
if [ -z "$python" ]; then
  venv=target/bench-venv
  if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import radiomics' 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet numpy setuptools wheel versioneer SimpleITK PyWavelets pykwalify six
    "$venv/bin/pip" install --quiet --no-build-isolation pyradiomics==3.0.1
  fi
  python=$venv/bin/python
fi
dir=target/bench-data/features
ours=$(cargo bench --quiet --bench features -- "$runs" "$dir" 2>/dev/null | grep -E '^[a-z_0-9]+ ')
theirs=$("$python" benches/pyradiomics_timing.py "$runs" "$dir")
echo "$ours"
echo "$theirs"
for case in breast1_3d slice96_2d; do
  a=$(echo "$ours" | awk -v k="radnomo_${case}_ms" '$1 == k { print $2 }')
  b=$(echo "$theirs" | awk -v k="pyradiomics_${case}_ms" '$1 == k { print $2 }')
  echo "ratio_${case} $(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.1f", b / a }')"
done
