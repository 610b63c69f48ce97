#!/usr/bin/env bash
# Mutation testing of the core modules (mutmut; not in CI): each module is mutated in its own copy and every
# mutant runs the tests of that module that reach it. Prints and writes the score table.
#   bash tests/mutation/run.sh               # every module
#   bash tests/mutation/run.sh head bar      # some of them (names: --list)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../tools/env.sh"
cd "$ROOT"
install_extra mutation
# One torch thread per mutant: mutmut runs one mutant per core.
export OMP_NUM_THREADS=1
exec python tests/mutation/run.py "$@"
