#!/usr/bin/env bash
# Download the wheels of performance/gpu_wheels.txt into .whl/ (for Python 3.12 on x86-64 Linux), for
# performance/gpu_device.sh on a GPU machine without internet. .whl/ is not tracked: pass it along
# with the working tree (e.g. the device tool's carry=['.whl']).
set -euo pipefail
cd "$(dirname "$0")/.."
PYVER="${PYVER:-3.12}"
grep -v '^\s*#' performance/gpu_wheels.txt | grep -v '^\s*$' | while read -r req; do
    python3 -m pip download -q --no-deps --only-binary=:all: --python-version "$PYVER" --implementation cp \
        --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 \
        --platform manylinux1_x86_64 --platform any -d .whl "$req"
done
ls -l .whl
du -sh .whl
