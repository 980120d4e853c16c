#!/usr/bin/env bash
# The bootstrap validation of the whole pipeline (`validate combined pipeline=yes`) against the
# same loop in R (cv.glmnet + glm on each bootstrap sample: tests/fixtures/pipeline/make_reference.R
# --time), in the same run, on tests/fixtures/models/paper.csv (296 training patients x 55
# features; LASSO at thresh 1e-7 in both, 10 folds, lambda.min). radnomo's time is the whole
# command (loading the table, the original lasso and fit, and the model-only validation, about
# 0.5 s, included); R's the replicates alone.
# Usage: bash benches/pipeline.sh [B]   (default 200). Needs R with glmnet (Debian:
# r-base-core r-cran-glmnet r-cran-jsonlite).
set -euo pipefail
cd "$(dirname "$0")/.."
replicates=${1:-200}
cargo build --quiet --release --bin radnomo
script="load table tests/fixtures/models/paper.csv outcome=aln split=cohort features=f??; lasso foldid=fold thresh=1e-7; combined = fit grade+multifocal+lnmri+rad; validate combined pipeline=yes boot=$replicates seed=1"
start=$(date +%s.%N)
target/release/radnomo -e "$script" >/dev/null
ours=$(echo "$(date +%s.%N) - $start" | bc)
theirs=$(Rscript tests/fixtures/pipeline/make_reference.R --time "$replicates" | awk '{print $2}')
echo "replicates $replicates"
echo "radnomo_seconds $ours"
echo "r_seconds $theirs"
echo "ratio $(echo "scale=2; $theirs / $ours" | bc)"
