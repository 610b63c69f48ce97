#!/usr/bin/env bash
# Mutation testing of the core modules (mutmut; not in CI): each module is mutated in its own copy and every
# mutant runs the tests of that module that reach it. Prints and writes the score table.
#   bash tests/mutation/run.sh               # every module
#   bash tests/mutation/run.sh head bar      # some of them (names: --list)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../tools/env.sh"
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
exec python tests/mutation/run.py "$@"
