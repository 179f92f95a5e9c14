#!/usr/bin/env bash
# Builds <repo>/.venv-forest with scikit-learn for the forest benchmark (bench/forest.bench.ts) and
# for re-computing the stored scikit-learn reference figures (test/models/fixtures/sklearn-forest-f1.json).
# Not used by the tests. Idempotent: does nothing when the pinned version is already there.
set -euo pipefail

SKLEARN_VERSION="${SKLEARN_VERSION:-1.5.2}"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$REPO_ROOT/.venv-forest"
PYTHON="${PYTHON:-python3}"

have() {
  "$VENV/bin/python" -c "import sys, importlib.metadata as m; sys.exit(0 if m.version('scikit-learn') == sys.argv[1] else 1)" "$SKLEARN_VERSION" 2>/dev/null
}

if [[ -x "$VENV/bin/python" ]] && have; then
  echo "setup-forest-venv: scikit-learn $SKLEARN_VERSION already in $VENV"
  exit 0
fi
[[ -x "$VENV/bin/python" ]] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --disable-pip-version-check --quiet "scikit-learn==$SKLEARN_VERSION"
have || { echo "setup-forest-venv: ERROR: scikit-learn not importable in $VENV" >&2; exit 1; }
echo "setup-forest-venv: ready in $VENV"
