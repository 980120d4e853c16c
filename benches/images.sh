#!/usr/bin/env bash
# The synthetic cohort's figures for BENCHMARKS.md:
#  - in-process costs (benches/images.rs): drawing 432 patients, rendering the phase-2 slice of
#    each, rendering every full 9-phase series;
#  - peak memory (max RSS, /usr/bin/time) of `load cohort` for n=432 and n=10000: lazy generation
#    keeps it flat;
#  - exporting the 432 patients as NIfTI and reading the folder back with `load cohort DIR`
#    (median of RUNS reads).
# Usage: bash benches/images.sh [RUNS]   (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
cargo build --release --quiet
binary=target/release/radnomo
cargo bench --quiet --bench images -- "$runs" 2>/dev/null | grep -E '^[a-z_0-9]+ '
for n in 432 10000; do
  rss=$( { /usr/bin/time -f '%M' "$binary" -e "load cohort n=$n" >/dev/null; } 2>&1 | tail -1)
  echo "load_cohort_n${n}_peak_rss_mib $(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }')"
done
dir=target/bench-data/cohort-432
rm -rf "$dir"
start=$(date +%s%N)
"$binary" -e "load cohort; export cohort $dir" >/dev/null
end=$(date +%s%N)
echo "export_432_nifti_s $(awk -v ns=$((end - start)) 'BEGIN { printf "%.2f", ns / 1e9 }')"
echo "export_432_size_mib $(du -sm "$dir" | cut -f1)"
times=()
for _ in $(seq "$runs"); do
  start=$(date +%s%N)
  "$binary" -e "load cohort $dir" >/dev/null
  end=$(date +%s%N)
  times+=($(( (end - start) / 1000000 )))
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
echo "read_back_432_s $(awk -v ms="${sorted[$(( runs / 2 ))]}" 'BEGIN { printf "%.2f", ms / 1000 }')"
rss=$( { /usr/bin/time -f '%M' "$binary" -e "load cohort $dir" >/dev/null; } 2>&1 | tail -1)
echo "read_back_432_peak_rss_mib $(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }')"
