#!/usr/bin/env bash
# Installs the pinned MLflow tracking server into <repo>/.venv, for the lineage tests and local use.
# Idempotent: does nothing when .venv/bin/mlflow already reports the pinned version.
# Usage: bash scripts/setup-mlflow.sh          (MLFLOW_VERSION=3.x.y overrides the pin)
set -euo pipefail

MLFLOW_VERSION="${MLFLOW_VERSION:-3.17.2}"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$REPO_ROOT/.venv"
PYTHON="${PYTHON:-python3}"

fail() {
  echo "setup-mlflow: ERROR: $*" >&2
  exit 1
}

installed_version() {
  # `mlflow --version` prints "mlflow, version X.Y.Z"
  "$VENV/bin/mlflow" --version 2>/dev/null | sed -n 's/.*version \([0-9][0-9.]*\).*/\1/p'
}

if [[ -x "$VENV/bin/mlflow" && "$(installed_version)" == "$MLFLOW_VERSION" ]]; then
  echo "setup-mlflow: mlflow $MLFLOW_VERSION already installed in $VENV"
  exit 0
fi

command -v "$PYTHON" >/dev/null 2>&1 || fail "'$PYTHON' not found. Install Python >= 3.10 (MLflow 3 needs it) or set PYTHON=/path/to/python3."
"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' \
  || fail "$("$PYTHON" --version 2>&1) is too old: MLflow $MLFLOW_VERSION needs Python >= 3.10. Set PYTHON=/path/to/python3.11."

if [[ ! -x "$VENV/bin/python" ]]; then
  echo "setup-mlflow: creating $VENV"
  "$PYTHON" -m venv "$VENV" || fail "could not create the virtualenv $VENV (on Debian/Ubuntu: apt-get install python3-venv)."
fi

echo "setup-mlflow: installing mlflow==$MLFLOW_VERSION into $VENV (takes a few minutes the first time)"
"$VENV/bin/python" -m pip install --disable-pip-version-check --quiet --upgrade pip \
  || fail "could not upgrade pip in $VENV (is PyPI reachable?)."
"$VENV/bin/python" -m pip install --disable-pip-version-check --quiet "mlflow==$MLFLOW_VERSION" \
  || fail "pip could not install mlflow==$MLFLOW_VERSION (is PyPI reachable? see pip's output above)."

got="$(installed_version)"
[[ "$got" == "$MLFLOW_VERSION" ]] \
  || fail "after install, '$VENV/bin/mlflow --version' reports '${got:-nothing}', expected $MLFLOW_VERSION."
echo "setup-mlflow: mlflow $got ready in $VENV"
