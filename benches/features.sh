#!/usr/bin/env bash
# radnomo's feature extraction against PyRadiomics 3.0.1, same cases, same machine, same run
# (benches/features.rs and benches/pyradiomics_timing.py; both in process, median of RUNS):
#   breast1_3d   PyRadiomics's breast1 case, 3-D, all seven families, bin width 25
#   breast1_resampled_3d   the same resampled to 1 x 1 x 1 mm by B-spline (resampling timed)
#   slice96_2d   a 96 x 96 synthetic DCE slice with a ~2,000-pixel ROI, the study's four families
# and prints each time with the ratio PyRadiomics / radnomo.
# PyRadiomics comes from $PYRADIOMICS_PYTHON if set, else from a venv made in target/bench-venv
# with the recipe of tests/fixtures/pyradiomics/make_reference.py (needs the package index).
# Usage: bash benches/features.sh [RUNS] [ROUNDS]   (defaults 15 and 5)
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
rounds=${2:-5}
cargo bench --quiet --bench features --no-run 2>/dev/null
# Rounds alternate the two tools, so a noisy neighbour on the machine slows both alike; each
# round's figure is a median of RUNS, and the ratios reported are the medians over the rounds.
table=$(mktemp)
for round in $(seq "$rounds"); do
  ours=$(cargo bench --quiet --bench features -- "$runs" "$dir" 2>/dev/null | grep -E '^[a-z_0-9]+ ')
  theirs=$("$python" benches/pyradiomics_timing.py "$runs" "$dir")
  if [ "$round" = 1 ]; then echo "$ours" | grep -v '_ms '; echo "$theirs" | grep -v '_ms '; fi
  for case in breast1_3d breast1_resampled_3d slice96_2d; do
    a=$(echo "$ours" | awk -v k="radnomo_${case}_ms" '$1 == k { print $2 }')
    b=$(echo "$theirs" | awk -v k="pyradiomics_${case}_ms" '$1 == k { print $2 }')
    echo "$case $a $b" >>"$table"
  done
done
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
for case in breast1_3d breast1_resampled_3d slice96_2d; do
  a=$(awk -v c="$case" '$1 == c { print $2 }' "$table" | median)
  b=$(awk -v c="$case" '$1 == c { print $3 }' "$table" | median)
  r=$(awk -v c="$case" '$1 == c { printf "%.1f\n", $3 / $2 }' "$table" | median)
  range=$(awk -v c="$case" '$1 == c { printf "%.1f\n", $3 / $2 }' "$table" | sort -n | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo "-" hi }')
  echo "radnomo_${case}_ms $a"
  echo "pyradiomics_${case}_ms $b"
  echo "ratio_${case} $r (rounds: $range)"
done
rm -f "$table"
