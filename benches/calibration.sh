#!/usr/bin/env bash
# radnomo's bootstrap calibration, validation and ROC interval against rms and pROC, timed in
# the same run on the same model (the combined model of examples/data/demo.csv's training cohort).
# Usage: bash benches/calibration.sh [RUNS]   (default 5; medians)
# Needs R with rms and pROC (Debian: r-base-core r-cran-rms r-cran-proc).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
cargo bench --quiet --bench calibration -- 1 >/dev/null 2>&1 || true
reference=$(Rscript benches/calibration_reference.R "$runs")
ours=$(cargo bench --quiet --bench calibration -- "$runs" 2>/dev/null | grep -E '^(calibrate|validate|roc_boot)')
single=$(RAYON_NUM_THREADS=1 cargo bench --quiet --bench calibration -- "$runs" 2>/dev/null | grep -E '^(calibrate|validate|roc_boot)')
echo "R is single-threaded; radnomo on all cores and on one (RAYON_NUM_THREADS=1)"
echo "task                          R_s  radnomo_s  R/radnomo  radnomo_1t_s  R/radnomo_1t"
for task in calibrate validate roc_boot; do
  case $task in
    calibrate) label="calibrate B=1000 (rms)";;
    validate) label="validate B=1000 (rms)";;
    roc_boot) label="AUC bootstrap 2000 (pROC)";;
  esac
  r=$(echo "$reference" | awk -v t="$task" '$1 == t {print $2}')
  o=$(echo "$ours" | awk -v t="$task" '$1 == t {print $2}')
  s=$(echo "$single" | awk -v t="$task" '$1 == t {print $2}')
  awk -v l="$label" -v r="$r" -v o="$o" -v s="$s" \
    'BEGIN { printf "%-26s %7.3f  %9.4f  %9.1f  %12.4f  %12.1f\n", l, r, o, r / o, s, r / s }'
done
