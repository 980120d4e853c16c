#!/usr/bin/env bash
# Bias correction and segmentation of the 432 synthetic analysis slices (benches/bias.rs), and N4
# at SimpleITK's settings beside SimpleITK itself on the two cross-check slices, same run,
# alternating the tools over ROUNDS so a noisy neighbour slows both alike; medians of RUNS within
# a round, medians over rounds for the ratios.
# SimpleITK comes from $SIMPLEITK_PYTHON if set, else from a venv made in target/bench-venv-sitk
# (needs the package index).
# Usage: bash benches/bias.sh [RUNS] [ROUNDS]   (defaults 5 and 3)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
rounds=${2:-3}
python=${SIMPLEITK_PYTHON:-}
if [ -z "$python" ]; then
  venv=target/bench-venv-sitk
  if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import SimpleITK' 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet numpy SimpleITK
  fi
  python=$venv/bin/python
fi
cargo bench --quiet --bench bias --no-run 2>/dev/null
table=$(mktemp)
for round in $(seq "$rounds"); do
  ours=$(cargo bench --quiet --bench bias -- "$runs" 2>/dev/null | grep -E '^[a-z_0-9A-Z]+ ')
  theirs=$("$python" benches/simpleitk_n4_timing.py "$runs")
  echo "$ours" | sed "s/^/$round /" >>"$table"
  echo "$theirs" | sed "s/^/$round /" >>"$table"
done
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
for key in n4_432_ms segment_432_ms n4_and_segment_432_ms; do
  echo "$key $(awk -v k="$key" '$2 == k { print $3 }' "$table" | median)"
done
for id in P0001 P0002; do
  a=$(awk -v k="n4_simpleitk_settings_${id}_ms" '$2 == k { print $3 }' "$table" | median)
  b=$(awk -v k="simpleitk_${id}_ms" '$2 == k { print $3 }' "$table" | median)
  r=$(for round in $(seq "$rounds"); do
        x=$(awk -v k="n4_simpleitk_settings_${id}_ms" -v r="$round" '$1 == r && $2 == k { print $3 }' "$table")
        y=$(awk -v k="simpleitk_${id}_ms" -v r="$round" '$1 == r && $2 == k { print $3 }' "$table")
        awk -v x="$x" -v y="$y" 'BEGIN { printf "%.1f\n", y / x }'
      done | median)
  echo "radnomo_n4_${id}_ms $a"
  echo "simpleitk_n4_${id}_ms $b"
  echo "ratio_${id} $r"
done
rm -f "$table"
