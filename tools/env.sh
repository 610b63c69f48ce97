#!/usr/bin/env bash
# Source me: creates or reuses the project virtualenv at .venv/ and installs the pinned lock.
# Re-installs only when requirements/lock.txt, requirements/torchvision.txt (the tests' torchvision, kept off
# site-packages: see that file) or setup.py changed since the last install (or the
# editable install's links mmrot3d/.mim/{configs,tools} are missing).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
STAMP="$VENV/.mmrot3d-installed"
want="$(cat "$ROOT/requirements/lock.txt" "$ROOT/requirements/torchvision.txt" "$ROOT/setup.py" | sha256sum | cut -d' ' -f1)"
if [ ! -x "$VENV/bin/python" ]; then
    echo "[env] creating $VENV"
    python3.11 -m venv "$VENV" 2>/dev/null || python3 -m venv "$VENV"
fi
if [ "$(cat "$STAMP" 2>/dev/null)" != "$want" ] || [ ! -e "$ROOT/mmrot3d/.mim/configs" ]; then
    echo "[env] installing pinned dependencies (requirements/lock.txt)"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-deps -r "$ROOT/requirements/lock.txt"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e "$ROOT"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-deps --upgrade --target "$VENV/torchvision" \
        -r "$ROOT/requirements/torchvision.txt"
    echo "$want" > "$STAMP"
fi
export PATH="$VENV/bin:$PATH"
# install_extra NAME: requirements/NAME.txt (a tool's own pins beyond the lock) into .venv, again only when it changed.
install_extra() {
    local file="$ROOT/requirements/$1.txt" stamp="$VENV/.mmrot3d-$1-installed" want
    want="$(sha256sum "$file" | cut -d' ' -f1)"
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        echo "[$1] installing requirements/$1.txt"
        "$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-deps -r "$file"
        echo "$want" > "$stamp"
    fi
}
# Tests and the demo must not depend on how many threads a noisy machine would pick.
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-2}"
