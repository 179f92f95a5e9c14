#!/usr/bin/env bash
# Installs the pinned SDMetrics into <repo>/.venv-sdmetrics, so the `sdmetrics_quality` test can
# compare the project's score with the real SDMetrics QualityReport. A venv of its own: SDMetrics'
# pandas/plotly pins must not move the MLflow venv (.venv).
# Usage: bash scripts/setup-sdmetrics.sh      (SDMETRICS_VERSION=0.x.y, SDMETRICS_VENV=DIR override)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
exec bash "$here/setup-venv.sh" sdmetrics "${SDMETRICS_VERSION:-0.32.0}" "${SDMETRICS_VENV:-$root/.venv-sdmetrics}"
