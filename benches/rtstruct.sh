#!/usr/bin/env bash
# Reading an RT structure set and rasterising it on its series, radnomo against plastimatch in
# the same run, on tests/fixtures/rtstruct (10 slices of 40 x 48, four structures): plastimatch
# `convert --xor-contours` writes every structure's mask; radnomo's `load case` reads the series
# and rasterises one structure, four times in one process (the series read four times). Both
# are whole processes, timed from start to exit; medians of RUNS (default 20).
# Needs plastimatch (Debian package `plastimatch`).
# Usage: bash benches/rtstruct.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
cargo build --release --quiet
binary=target/release/radnomo
fixture=tests/fixtures/rtstruct
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
median_ms() {
  local times=()
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000 )))
  done
  local sorted=($(printf '%s\n' "${times[@]}" | sort -n))
  awk -v us="${sorted[$(( runs / 2 ))]}" 'BEGIN { printf "%.1f", us / 1000 }'
}
script=""
for roi in GTV Nodes Tiny Ellipse; do
  script+="load case $fixture/series $fixture/rtss.dcm roi=$roi; "
done
ours=$(median_ms "$binary" -e "$script")
theirs=$(median_ms plastimatch convert --input "$fixture/rtss.dcm" --referenced-ct "$fixture/series" \
  --output-prefix "$out/masks" --prefix-format nrrd --xor-contours)
echo "radnomo_4_structures_ms $ours"
echo "plastimatch_4_structures_ms $theirs"
echo "speedup $(awk -v a="$ours" -v b="$theirs" 'BEGIN { printf "%.1f", b / a }')"
