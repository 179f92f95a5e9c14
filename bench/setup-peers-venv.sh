#!/usr/bin/env bash
# Builds <repo>/.venv-peers with DVC and Dagster for the side-by-side benchmark (bench/peers.bench.ts).
# A venv of its own: neither tool belongs in the MLflow/SDMetrics venv the tests use.
# Not used by the tests. Idempotent: does nothing when the pinned versions are already there.
set -euo pipefail

DVC_VERSION="${DVC_VERSION:-3.67.1}"
DAGSTER_VERSION="${DAGSTER_VERSION:-1.13.28}"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$REPO_ROOT/.venv-peers"
PYTHON="${PYTHON:-python3}"

have() {
  "$VENV/bin/python" - "$DVC_VERSION" "$DAGSTER_VERSION" <<'PY' 2>/dev/null
import sys, importlib.metadata as m
sys.exit(0 if m.version("dvc") == sys.argv[1] and m.version("dagster") == sys.argv[2] else 1)
PY
}

if [[ -x "$VENV/bin/python" ]] && have && [[ -x "$VENV/bin/dvc" && -x "$VENV/bin/dagster" ]]; then
  echo "setup-peers-venv: dvc $DVC_VERSION and dagster $DAGSTER_VERSION already in $VENV"
  exit 0
fi
[[ -x "$VENV/bin/python" ]] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --disable-pip-version-check --quiet "dvc==$DVC_VERSION" "dagster==$DAGSTER_VERSION"
have || { echo "setup-peers-venv: ERROR: dvc/dagster not importable in $VENV" >&2; exit 1; }
echo "setup-peers-venv: ready in $VENV"
