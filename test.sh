#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite with ctest.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/setup.sh
cd build
ctest --output-on-failure -j "$(nproc)" --timeout 1500 "$@"
