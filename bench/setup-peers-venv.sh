#!/usr/bin/env bash
# Builds <repo>/.venv-peers with DVC and Dagster for the side-by-side benchmark (bench/peers.bench.ts).
# A venv of its own: neither tool belongs in the MLflow/SDMetrics venv the tests use.
# Not used by the tests. Idempotent (scripts/setup-venv.sh does nothing when a pinned version is there).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$REPO_ROOT/.venv-peers"
bash "$REPO_ROOT/scripts/setup-venv.sh" dvc "${DVC_VERSION:-3.67.1}" "$VENV" 3.9
bash "$REPO_ROOT/scripts/setup-venv.sh" dagster "${DAGSTER_VERSION:-1.13.28}" "$VENV" 3.10
