#!/usr/bin/env bash
# Mutation testing of the core modules (mutmut; not in CI): each module is mutated in its own copy and every
# mutant runs the tests of that module that reach it. Prints and writes the score table.
#   bash tools/mutation_test.sh               # every module (under 30 min on 2 cores)
#   bash tools/mutation_test.sh head bar      # some of them (names: --list)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
STAMP="$VENV/.mmrot3d-mutation-installed"
want="$(sha256sum requirements/mutation.txt | cut -d' ' -f1)"
if [ "$(cat "$STAMP" 2>/dev/null)" != "$want" ]; then
    echo "[mutation] installing requirements/mutation.txt"
    python -m pip install -q --disable-pip-version-check --no-deps -r requirements/mutation.txt
    echo "$want" > "$STAMP"
fi
# One torch thread per mutant: mutmut runs one mutant per core.
export OMP_NUM_THREADS=1
exec python tools/mutation_test.py "$@"
