#!/usr/bin/env bash
# The test command (README "Run the tests"): installs what the tests need, then runs the format
# check, clippy with warnings as errors, and every test.
set -euo pipefail
cd "$(dirname "$0")/.."

# The REPL test drives the real terminal UI through tmux.
if ! command -v tmux >/dev/null 2>&1; then
  echo "installing tmux for the REPL test" >&2
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq tmux >/dev/null;
  else sudo apt-get update -qq && sudo apt-get install -y -qq tmux >/dev/null; fi
fi

cargo fmt --check
cargo clippy --all-targets --all-features -- -D warnings
cargo test --all-features
# The Jupyter kernel under jupyter_client and jupyter_kernel_test (makes its own Python venv).
bash tests/jupyter/run.sh
# The study notebook in JupyterLab in headless Chromium; screenshots the nomogram cell.
bash tests/jupyterlab/run.sh
