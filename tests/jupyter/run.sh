#!/usr/bin/env bash
# The Jupyter kernel under real clients: makes a Python venv in target/jupyter-venv (jupyter_client,
# jupyter_kernel_test, nbclient, pytest; needs the package index the first time), installs radnomo's
# kernelspec into it (pointing at the debug binary `cargo test` builds), and runs
# tests/jupyter/test_kernel.py with pytest from a scratch folder (so kernels write their plots
# there, never into the repository): the client test suite, own protocol checks, and every
# notebook in notebooks/ executed with nbclient.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/jupyter/venv.sh
cargo build --quiet --bin radnomo
target/debug/radnomo kernel install --prefix "$venv" >/dev/null
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
root=$PWD
ln -s "$root/tests" "$root/examples" "$scratch/"
(cd "$scratch" && "$root/$venv/bin/python" -m pytest -q -p no:cacheprovider "$root/tests/jupyter/test_kernel.py")
