#!/usr/bin/env bash
# Installs the pinned SDMetrics into <repo>/.venv-sdmetrics, so the `sdmetrics_quality` test can
# compare the project's score with the real SDMetrics QualityReport. A venv of its own: SDMetrics'
# pandas/plotly pins must not move the MLflow venv (.venv).
# Idempotent: does nothing when the pinned version is already installed.
# Usage: bash scripts/setup-sdmetrics.sh      (SDMETRICS_VERSION=0.x.y overrides the pin)
set -euo pipefail

SDMETRICS_VERSION="${SDMETRICS_VERSION:-0.32.0}"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${SDMETRICS_VENV:-$REPO_ROOT/.venv-sdmetrics}"
PYTHON="${PYTHON:-python3}"

fail() {
  echo "setup-sdmetrics: ERROR: $*" >&2
  exit 1
}

installed_version() {
  "$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("sdmetrics"))' 2>/dev/null || true
}

if [[ -x "$VENV/bin/python" && "$(installed_version)" == "$SDMETRICS_VERSION" ]]; then
  echo "setup-sdmetrics: sdmetrics $SDMETRICS_VERSION already installed in $VENV"
  exit 0
fi

command -v "$PYTHON" >/dev/null 2>&1 || fail "'$PYTHON' not found. Install Python >= 3.9 or set PYTHON=/path/to/python3."
if [[ ! -x "$VENV/bin/python" ]]; then
  echo "setup-sdmetrics: creating $VENV"
  "$PYTHON" -m venv "$VENV" || fail "could not create the virtualenv $VENV (on Debian/Ubuntu: apt-get install python3-venv)."
fi

echo "setup-sdmetrics: installing sdmetrics==$SDMETRICS_VERSION into $VENV"
"$VENV/bin/python" -m pip install --disable-pip-version-check --quiet "sdmetrics==$SDMETRICS_VERSION" \
  || fail "pip could not install sdmetrics==$SDMETRICS_VERSION (is PyPI reachable? see pip's output above)."

got="$(installed_version)"
[[ "$got" == "$SDMETRICS_VERSION" ]] || fail "after install, $VENV reports sdmetrics '${got:-nothing}', expected $SDMETRICS_VERSION."
echo "setup-sdmetrics: sdmetrics $got ready in $VENV"
