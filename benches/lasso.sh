#!/usr/bin/env bash
# radnomo's `lasso` cross-validation against R's cv.glmnet, timed in the same run on the same
# tables and folds: 296 x 55 (the study's size: the paper fixture, and the built-in cohort's
# features after correct bias) and 10,000 x 1,000.
# Usage: bash benches/lasso.sh [RUNS]   (default 5; the 10,000 x 1,000 table uses at most 3)
# Needs R with glmnet (Debian: r-base-core r-cran-glmnet).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
data=target/bench-data
mkdir -p "$data"
# The study's 55 features on the built-in cohort, after bias correction, as examples/study.rad has them.
cargo build --quiet --release --bin radnomo
target/release/radnomo -e "load cohort; correct bias; segment; extract; export features $data/synthetic.csv" >/dev/null
glmnet=$(Rscript benches/lasso_reference.R "$data" "$(( runs < 3 ? runs : 3 ))")
ours=$(cargo bench --quiet --bench lasso -- "$data" "$runs" 2>/dev/null | grep -E '^(paper|synthetic|wide)')
echo "glmnet at its default thresh 1e-7; radnomo at its default 1e-10, and at 1e-7 (like for like)"
echo "table       glmnet_s  radnomo_s  glmnet/radnomo"
for run in paper paper@1e-7 synthetic synthetic@1e-7 wide wide@1e-7; do
  table=${run%@*}
  g=$(echo "$glmnet" | awk -v t="$table" '$1 == t {print $2}')
  r=$(echo "$ours" | awk -v t="$run" '$1 == t {print $2}')
  awk -v t="$run" -v g="$g" -v r="$r" 'BEGIN { printf "%-11s %8.3f  %9.3f  %6.2f\n", t, g, r, g / r }'
done
