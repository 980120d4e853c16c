#!/usr/bin/env bash
# The study notebook in a real JupyterLab, in headless Chromium: installs Debian's chromium if it
# is missing, makes a venv with JupyterLab in target/jupyterlab-venv and playwright-core in
# tests/jupyterlab/node_modules (from package-lock.json), installs radnomo's kernelspec into the
# venv, starts JupyterLab on a copy of notebooks/, runs every cell of 01-study.ipynb through the
# browser (tests/jupyterlab/check.mjs) and saves a screenshot of the nomogram cell in
# target/jupyterlab/nomogram.png. Then opens the report of a session on the demo table in the
# same browser (tests/jupyterlab/report.mjs) and saves its first screen in
# target/jupyterlab/report.png; and uses the interactive nomogram of the same session
# (tests/jupyterlab/nomogram.mjs), its risks checked against `predict` and R.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v chromium >/dev/null 2>&1; then
  echo "installing chromium for the JupyterLab check" >&2
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null;
  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi
fi
venv=target/jupyterlab-venv
if [ ! -x "$venv/bin/jupyter-lab" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet jupyterlab==4.6.6
fi
(cd tests/jupyterlab && npm ci --no-audit --no-fund --silent)

cargo build --quiet --bin radnomo
target/debug/radnomo kernel install --prefix "$venv" >/dev/null

work=target/jupyterlab
rm -rf "$work" && mkdir -p "$work/notebooks" "$work/home"
cp notebooks/*.ipynb "$work/notebooks/"
# No "Jupyter news?" prompt over the outputs.
settings="$work/home/config/lab/user-settings/@jupyterlab/apputils-extension"
mkdir -p "$settings" && echo '{"fetchNews": "false"}' >"$settings/notification.jupyterlab-settings"
token=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
root=()
if [ "$(id -u)" = 0 ]; then root=(--allow-root); fi
HOME="$PWD/$work/home" JUPYTER_CONFIG_DIR="$PWD/$work/home/config" "$venv/bin/jupyter-lab" \
  "${root[@]}" --no-browser --ip=127.0.0.1 --port="$port" \
  --IdentityProvider.token="$token" --ServerApp.root_dir="$PWD/$work/notebooks" \
  --LabApp.news_url=None --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate \
  >"$work/lab.log" 2>&1 &
lab=$!
trap 'kill $lab 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/api/status?token=$token" >/dev/null && break
  kill -0 $lab 2>/dev/null || { echo "JupyterLab did not start:" >&2; tail -20 "$work/lab.log" >&2; exit 1; }
  sleep 0.5
done
LAB_URL="http://127.0.0.1:$port" LAB_TOKEN="$token" SCREENSHOT="$PWD/$work/nomogram.png" \
  node tests/jupyterlab/check.mjs || { echo "--- JupyterLab log" >&2; tail -40 "$work/lab.log" >&2; exit 1; }

# The report, as a reader opens it.
mkdir -p "$work/report"
(cd "$work/report" && "$OLDPWD/target/debug/radnomo" -e "load table \"$OLDPWD/examples/data/demo.csv\" outcome=aln split=cohort
describe by=aln columns=age,size_mm,grade,multifocal,lnmri,rad median=rad
clinical = fit grade+multifocal+lnmri cohort=train
combined = fit grade+multifocal+lnmri+rad
nomogram combined
roc clinical combined boot=0
calibrate combined boot=50 seed=1
validate combined boot=50 seed=1
dca combined clinical boot=0
report study.html" >/dev/null)
REPORT="$PWD/$work/report/study.html" SCREENSHOT="$PWD/$work/report.png" node tests/jupyterlab/report.mjs

# The interactive nomogram, used as a reader would: its risks against `predict`'s.
predictions=$(cd "$work/report" && "$OLDPWD/target/debug/radnomo" --format json -e "load table \"$OLDPWD/examples/data/demo.csv\" outcome=aln split=cohort
combined = fit grade+multifocal+lnmri+rad
nomogram combined html=nomogram.html patient=P0007 overwrite=yes
predict combined grade=3 multifocal=yes lnmri=no rad=-0.721
predict combined grade=1 multifocal=no lnmri=no rad=-3
predict combined grade=2 multifocal=yes lnmri=yes rad=1.2" | python3 -c '
import json, sys
risks = []
for line in sys.stdin:
    for result in json.loads(line).get("results", []):
        if result.get("name") == "prediction":
            risks.append(result["rows"][-1][2]["value"])
print(json.dumps(risks))')
NOMOGRAM="$PWD/$work/report/nomogram.html" PREDICTIONS="$predictions" \
  REFERENCE="$PWD/tests/fixtures/nomogram/interactive_reference.json" \
  SCREENSHOT="$PWD/$work/interactive-nomogram.png" node tests/jupyterlab/nomogram.mjs
