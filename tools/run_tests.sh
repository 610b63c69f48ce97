#!/usr/bin/env bash
# README command 2: set up .venv/ and run the whole test suite.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
exec python -m pytest -q "$@"
