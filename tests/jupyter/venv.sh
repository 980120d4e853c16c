# Sourced by tests/jupyter/run.sh and benches/kernel.sh: makes the Python venv for Jupyter
# clients in target/jupyter-venv (jupyter_client, jupyter_kernel_test, nbclient, nbformat,
# pytest; needs the package index the first time) and sets $venv.
venv=target/jupyter-venv
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import jupyter_kernel_test, pytest, nbclient, nbformat' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet jupyter_client==8.* jupyter_kernel_test nbclient nbformat pytest pyzmq
fi
