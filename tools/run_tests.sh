#!/usr/bin/env bash
# The test suite as CI runs it: sets up .venv/, then runs every test.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
# One test process per core, at most 4 (each holds torch and MMAction2: ~1.5 GB); conftest.py gives each
# process its share of the cores as torch threads. A test file runs in one process (its module fixtures are
# built once), files are handed out in collection order, where conftest.py puts the slow ones first.
# Arguments after ours win (e.g. `-n 0`, `-m "not slow"`).
workers=$(nproc)
exec python -m pytest -q -n $(( workers < 4 ? workers : 4 )) --dist loadfile --no-loadscope-reorder "$@"
