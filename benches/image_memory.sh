#!/usr/bin/env bash
# Peak memory (max RSS) of reading a clinical-size image and extracting from it, for an integer
# image and the same values stored as float64: 512 x 512 x 100 voxels (26.2 million), a
# 60 x 60 x 20 mm ellipsoid mask, `load case IMAGE MASK; extract firstorder glcm dim=3d`.
# Images are written by python3's standard library into target/bench-data/memory.
# Usage: bash benches/image_memory.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --release --bin radnomo
dir=target/bench-data/memory
mkdir -p "$dir"
python3 - "$dir" <<'PY'
import array, sys
out = sys.argv[1]
columns, rows, slices = 512, 512, 100
def write(name, kind, row_of):
    header = (f"NRRD0004\ntype: {kind}\ndimension: 3\nspace: left-posterior-superior\n"
              f"sizes: {columns} {rows} {slices}\nspace directions: (0.7,0,0) (0,0.7,0) (0,0,2)\n"
              "kinds: domain domain domain\nendian: little\nencoding: raw\nspace origin: (0,0,0)\n\n")
    with open(f"{out}/{name}.nrrd", "wb") as f:
        f.write(header.encode())
        for k in range(slices):
            for j in range(rows):
                f.write(row_of(k, j))
values = array.array("h", [(i * 37) % 4000 for i in range(columns)])
write("int16", "short", lambda k, j: values.tobytes())
doubles = array.array("d", values)
write("float64", "double", lambda k, j: doubles.tobytes())
def mask_row(k, j):
    return bytes(1 if ((k - 50) / 10) ** 2 + ((j - 256) / 43) ** 2 + ((i - 256) / 43) ** 2 <= 1 else 0
                 for i in range(columns))
write("mask", "unsigned char", mask_row)
PY
for kind in int16 float64; do
  /usr/bin/time -f "$kind max_rss_mb %M" target/release/radnomo -e \
    "load case $dir/$kind.nrrd $dir/mask.nrrd; extract firstorder glcm dim=3d" 2>&1 >/dev/null \
    | awk '/max_rss_mb/ { printf "%s %s %.0f\n", $1, $2, $3 / 1024 }'
done
