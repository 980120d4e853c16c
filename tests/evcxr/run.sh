#!/usr/bin/env bash
# Optional check, not part of the test command (building evcxr_jupyter takes about 15 minutes on
# two cores): radnomo as a library in evcxr_jupyter, the Rust Jupyter kernel. Builds
# evcxr_jupyter into target/evcxr, gives it a kernelspec in target/evcxr/jupyter, and runs
# check.py under jupyter_client: `:dep radnomo` with the `evcxr` feature, then cells whose
# values must arrive as rich execute_results (HTML tables, the ROC curve as inline SVG).
# Usage: bash tests/evcxr/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/jupyter/venv.sh
root=target/evcxr
if [ ! -x "$root/bin/evcxr_jupyter" ]; then
  cargo install --quiet --locked evcxr_jupyter --root "$root"
fi
spec="$root/jupyter/kernels/rust"
mkdir -p "$spec"
printf '{"argv": ["%s", "--control_file", "{connection_file}"], "display_name": "Rust", "language": "rust"}\n' \
  "$PWD/$root/bin/evcxr_jupyter" > "$spec/kernel.json"
JUPYTER_PATH="$PWD/$root/jupyter" "$venv/bin/python" tests/evcxr/check.py "$PWD"
