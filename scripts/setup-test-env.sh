#!/usr/bin/env bash
# Installs what the test suite needs beyond npm packages, idempotently:
#   - Debian packages: graphviz (dot, to check DOT output), chromium (UI tests) and redis-server
#     (queue tests), when missing;
#   - MLflow in a project-local virtualenv (.venv), for the lineage tests against a real server.
# Fails loudly: a missing tool must fail the tests, not skip them.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v dot >/dev/null 2>&1 || need+=(graphviz)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# Real Redis for the queue tests (synth worker / materialize --queue).
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ]; then
    echo "setup: installing Debian packages: ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "setup: missing Debian packages: ${need[*]} (run: sudo apt-get install ${need[*]})" >&2
    exit 1
  fi
fi

if [ -f scripts/setup-mlflow.sh ]; then
  bash scripts/setup-mlflow.sh
fi

# SDMetrics in its own venv (.venv-sdmetrics), for the test that checks `sdmetrics_quality`
# against the real SDMetrics QualityReport.
bash scripts/setup-sdmetrics.sh
