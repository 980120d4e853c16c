#!/usr/bin/env bash
# Repeated 10-fold cross-validation of the final fit and of the whole pipeline (`cv combined`)
# against the same loop in R (glm, and cv.glmnet + glm inside each fold:
# tests/fixtures/pipeline/make_cv_reference.R --time), in the same run, on
# tests/fixtures/models/paper.csv (296 training patients x 55 features; LASSO at thresh 1e-7,
# 10 inner folds, lambda.min). radnomo's time is the whole command (loading the table, the
# original lasso and fit, about 0.5 s, included); R's the repeats alone.
# Usage: bash benches/cv.sh [REPEATS]   (default 20). Needs R with glmnet (Debian:
# r-base-core r-cran-glmnet r-cran-jsonlite).
set -euo pipefail
cd "$(dirname "$0")/.."
repeats=${1:-20}
cargo build --quiet --release --bin radnomo
script="load table tests/fixtures/models/paper.csv outcome=aln split=cohort features=f??; lasso foldid=fold thresh=1e-7; combined = fit grade+multifocal+lnmri+rad; cv combined repeats=$repeats seed=1"
start=$(date +%s.%N)
target/release/radnomo -e "$script" >/dev/null
ours=$(echo "$(date +%s.%N) - $start" | bc)
theirs=$(Rscript tests/fixtures/pipeline/make_cv_reference.R --time "$repeats" | awk '{print $2}')
echo "repeats $repeats"
echo "radnomo_seconds $ours"
echo "r_seconds $theirs"
echo "ratio $(echo "scale=2; $theirs / $ours" | bc)"
