#!/usr/bin/env bash
# Jupyter kernel figures with the release binary: start to ready and a `describe` round trip
# (benches/kernel_timing.py; medians over RUNS kernels, 20 round trips each). Uses the venv of
# tests/jupyter/run.sh (made there if missing) with the kernelspec pointed at the release build,
# and puts the debug kernelspec back afterwards.
# Usage: bash benches/kernel.sh [RUNS]   (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/jupyter-venv
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import jupyter_client' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet jupyter_client==8.* jupyter_kernel_test nbclient nbformat pytest pyzmq
fi
cargo build --quiet --release --bin radnomo
target/release/radnomo kernel install --prefix "$venv" >/dev/null
trap 'target/debug/radnomo kernel install --prefix "$venv" >/dev/null 2>&1 || true' EXIT
"$venv/bin/python" benches/kernel_timing.py "${1:-5}"
