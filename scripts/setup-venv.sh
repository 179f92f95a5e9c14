#!/usr/bin/env bash
# Installs one pinned PyPI package into a project-local virtualenv, idempotently: does nothing when
# the venv already has that version. Shared by setup-mlflow.sh and setup-sdmetrics.sh.
# Usage: bash scripts/setup-venv.sh PACKAGE VERSION VENV_DIR [MIN_PYTHON]   (MIN_PYTHON e.g. 3.10)
set -euo pipefail

PACKAGE="$1"
VERSION="$2"
VENV="$3"
MIN_PYTHON="${4:-3.9}"
PYTHON="${PYTHON:-python3}"
TAG="setup-$PACKAGE"

fail() {
  echo "$TAG: ERROR: $*" >&2
  exit 1
}

installed_version() {
  "$VENV/bin/python" -c "import importlib.metadata as m; print(m.version('$PACKAGE'))" 2>/dev/null || true
}

if [[ -x "$VENV/bin/python" && "$(installed_version)" == "$VERSION" ]]; then
  echo "$TAG: $PACKAGE $VERSION already installed in $VENV"
  exit 0
fi

command -v "$PYTHON" >/dev/null 2>&1 || fail "'$PYTHON' not found. Install Python >= $MIN_PYTHON or set PYTHON=/path/to/python3."
"$PYTHON" -c "import sys; sys.exit(0 if sys.version_info >= tuple(map(int, '$MIN_PYTHON'.split('.'))) else 1)" \
  || fail "$("$PYTHON" --version 2>&1) is too old: $PACKAGE $VERSION needs Python >= $MIN_PYTHON. Set PYTHON=/path/to/python3.11."

if [[ ! -x "$VENV/bin/python" ]]; then
  echo "$TAG: creating $VENV"
  "$PYTHON" -m venv "$VENV" || fail "could not create the virtualenv $VENV (on Debian/Ubuntu: apt-get install python3-venv)."
fi

echo "$TAG: installing $PACKAGE==$VERSION into $VENV (takes a few minutes the first time)"
"$VENV/bin/python" -m pip install --disable-pip-version-check --quiet --upgrade pip \
  || fail "could not upgrade pip in $VENV (is PyPI reachable?)."
"$VENV/bin/python" -m pip install --disable-pip-version-check --quiet "$PACKAGE==$VERSION" \
  || fail "pip could not install $PACKAGE==$VERSION (is PyPI reachable? see pip's output above)."

got="$(installed_version)"
[[ "$got" == "$VERSION" ]] || fail "after install, $VENV reports $PACKAGE '${got:-nothing}', expected $VERSION."
echo "$TAG: $PACKAGE $got ready in $VENV"
