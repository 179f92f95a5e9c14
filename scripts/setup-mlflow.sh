#!/usr/bin/env bash
# Installs the pinned MLflow tracking server into <repo>/.venv, for the lineage tests and local use.
# Usage: bash scripts/setup-mlflow.sh          (MLFLOW_VERSION=3.x.y overrides the pin)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
# MLflow 3 needs Python >= 3.10.
exec bash "$here/setup-venv.sh" mlflow "${MLFLOW_VERSION:-3.17.2}" "$root/.venv" 3.10
