#!/usr/bin/env bash
# Builds <repo>/.venv-bench for the realism benchmark (bench/realism.ts): SDMetrics (the judge),
# scikit-learn (TSTR) and SDV's GaussianCopulaSynthesizer (the baseline). Not used by the tests.
#
# SDV is installed with --no-deps plus what GaussianCopulaSynthesizer needs: `pip install sdv`
# pulls torch through ctgan/deepecho, which from PyPI on Linux brings the CUDA wheels (several GB)
# that the Gaussian copula never uses.
# Idempotent: does nothing when the pinned versions are already there.
set -euo pipefail

SDV_VERSION="${SDV_VERSION:-2.0.0}"
SDMETRICS_VERSION="${SDMETRICS_VERSION:-0.32.0}"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$REPO_ROOT/.venv-bench"
PYTHON="${PYTHON:-python3}"

have() {
  "$VENV/bin/python" - "$SDV_VERSION" "$SDMETRICS_VERSION" <<'PY' 2>/dev/null
import sys, importlib.metadata as m
ok = m.version("sdv") == sys.argv[1] and m.version("sdmetrics") == sys.argv[2] and m.version("scikit-learn")
sys.exit(0 if ok else 1)
PY
}

if [[ -x "$VENV/bin/python" ]] && have; then
  echo "setup-bench-venv: sdv $SDV_VERSION and sdmetrics $SDMETRICS_VERSION already in $VENV"
  exit 0
fi
[[ -x "$VENV/bin/python" ]] || "$PYTHON" -m venv "$VENV"
pip() { "$VENV/bin/python" -m pip install --disable-pip-version-check --quiet "$@"; }
pip "sdmetrics==$SDMETRICS_VERSION" scikit-learn
pip --no-deps "sdv==$SDV_VERSION"
# What sdv's GaussianCopulaSynthesizer imports (sdv's own requirements minus ctgan/deepecho/torch).
pip copulas rdt graphviz cloudpickle platformdirs tqdm pyyaml boto3 faker
have || { echo "setup-bench-venv: ERROR: sdv/sdmetrics not importable in $VENV" >&2; exit 1; }
echo "setup-bench-venv: ready in $VENV"
