#!/usr/bin/env bash
# The Python package's suite: a fresh virtual environment (target/py-venv)
# with pinned test tools from the package registries, the package built
# from python/ with one `pip install ./python` (maturin, release build, in
# the workspace's target/), then pytest (tests and the docstrings'
# examples) and mypy --strict on the stubs and the pure-Python modules.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
# The environment (override with PY_VENV, e.g. for a cold run elsewhere).
VENV="${PY_VENV:-$PWD/target/py-venv}"
if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV"
fi
PY="$VENV/bin/python"
# The maturin build backend runs the `maturin` of the environment.
export PATH="$VENV/bin:$PATH"
"$PY" -m pip install --quiet --disable-pip-version-check \
  "maturin==1.9.6" "pytest==8.4.2" "hypothesis==6.140.2" "pandas==2.3.3" \
  "dask[distributed]==2025.9.1" "mypy==1.18.2" "pandas-stubs==2.3.2.250926"
"$PY" -m pip install --quiet --disable-pip-version-check --no-build-isolation ./python
# Doctests run on the installed package (--pyargs), not the source tree.
# Hypothesis draws from a fixed seed (HYPOTHESIS_SEED, set by scripts/test.sh).
"$PY" -m pytest -q -p no:cacheprovider ${HYPOTHESIS_SEED:+--hypothesis-seed="$HYPOTHESIS_SEED"} \
  --doctest-modules python/tests --pyargs critical_minerals
"$PY" -m mypy --strict python/critical_minerals python/tests/test_typing.py
