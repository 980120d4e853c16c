#!/usr/bin/env bash
# Start-up time of `radnomo -e help` (release build): the median of RUNS runs, in milliseconds.
# Usage: bash benches/startup.sh [RUNS]   (default 50)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-50}
cargo build --release --quiet
binary=target/release/radnomo
"$binary" -e help >/dev/null   # warm the file cache
times=()
for _ in $(seq "$runs"); do
  start=$(date +%s%N)
  "$binary" -e help >/dev/null
  end=$(date +%s%N)
  times+=($(( (end - start) / 1000 )))
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
median=${sorted[$(( runs / 2 ))]}
low=${sorted[0]}
high=${sorted[$(( runs - 1 ))]}
printf 'radnomo -e help: median %d.%03d ms over %d runs (min %d.%03d, max %d.%03d)\n' \
  $((median / 1000)) $((median % 1000)) "$runs" $((low / 1000)) $((low % 1000)) $((high / 1000)) $((high % 1000))
