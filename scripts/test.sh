#!/usr/bin/env bash
# The README's test command: every test of the repository, Rust and Python.
# Rust: unit, integration, property and doc tests of every workspace crate.
# Python: scripts/test_python.sh builds the package into its own virtual
# environment (from the package registries) and runs its pytest suite.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --workspace
if [ -x scripts/test_python.sh ]; then
  scripts/test_python.sh
fi
