#!/usr/bin/env bash
# Jupyter kernel figures with the release binary: start to ready and a `describe` round trip
# (benches/kernel_timing.py; medians over RUNS kernels, 20 round trips each). Uses the venv of
# tests/jupyter/run.sh (made there if missing) with the kernelspec pointed at the release build,
# and puts the debug kernelspec back afterwards.
# Usage: bash benches/kernel.sh [RUNS]   (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
. tests/jupyter/venv.sh
cargo build --quiet --release --bin radnomo
target/release/radnomo kernel install --prefix "$venv" >/dev/null
trap 'target/debug/radnomo kernel install --prefix "$venv" >/dev/null 2>&1 || true' EXIT
"$venv/bin/python" benches/kernel_timing.py "${1:-5}"
