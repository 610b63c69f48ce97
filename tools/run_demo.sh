#!/usr/bin/env bash
# The demo on a fresh machine: sets up .venv/, then generates data, pretrains, fine-tunes both arms and
# reports (tools/benchmark.py synthetic, through tools/demo.py).
#   bash tools/run_demo.sh [tools/demo.py options]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source tools/env.sh
exec python tools/demo.py "$@"
