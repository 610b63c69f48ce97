#!/usr/bin/env bash
# The linters of .ci/run: flake8, isort and yapf with the settings in setup.cfg.
#   bash tools/lint.sh          # check (exit 1 on any finding)
#   bash tools/lint.sh --fix    # rewrite the files in place (isort, yapf), then check
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
install_extra lint
PATHS=(mmrot3d mmrot3d_harness tools tests performance configs setup.py)
if [ "${1:-}" = "--fix" ]; then
    isort -q "${PATHS[@]}"
    yapf -i -r -p "${PATHS[@]}"
fi
flake8 "${PATHS[@]}"
isort --check-only --diff -q "${PATHS[@]}"
yapf --diff -r -p "${PATHS[@]}"
echo "[lint] clean"
