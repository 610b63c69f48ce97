#!/usr/bin/env bash
# The GPU acceptance run (performance/gpu_acceptance.py: the test suite, the benchmark end to end under both
# launchers, the throughput figures) on a bare GPU machine: python3 with torch and numpy, no internet, run
# from the repository root with the wheels of performance/gpu_wheels.txt in .whl/ (bash performance/gpu_wheels.sh;
# the device tool: carry=['.whl']):
#     bash performance/gpu_device.sh "$OUT"                       # <= 6 min on one H200; $OUT/acceptance.md
#     bash performance/gpu_device.sh OUT --device cpu --smoke     # its dry run on a CPU machine
set -euo pipefail
OUT="${1:?usage: bash performance/gpu_device.sh OUT_DIR [performance.gpu_acceptance options]}"
shift
SITE="${SITE:-/tmp/site}"
mkdir -p "$OUT"
nvidia-smi 2>&1 | tee "$OUT/nvidia-smi.txt" || echo "(no nvidia-smi)"
if ! ls .whl/*.whl >/dev/null 2>&1; then
    echo "error: no wheels in $PWD/.whl/: run 'bash performance/gpu_wheels.sh' where PyPI is reachable" \
         "and bring .whl/ along" >&2
    exit 2
fi
rm -rf "$SITE"
# configs/ and tools/ are found through mmrot3d/.mim, which installing the package creates (setup.py);
# this bare checkout is used through PYTHONPATH, so link them the way an editable install does.
mkdir -p mmrot3d/.mim
for name in configs tools model-index.yml; do ln -sfn "../../$name" "mmrot3d/.mim/$name"; done
python3 -m pip install -q --no-index --no-deps --no-compile --target "$SITE" .whl/*.whl
export PYTHONPATH="$SITE:$PWD" PYTHONUNBUFFERED=1
python3 -m performance.gpu_acceptance --out "$OUT" "$@"
