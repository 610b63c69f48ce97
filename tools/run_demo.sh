#!/usr/bin/env bash
# README command 1: the whole main job on a fresh machine (tools/benchmark.py synthetic).
#   bash tools/run_demo.sh [tools/demo.py options]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source tools/env.sh
exec python tools/demo.py "$@"
