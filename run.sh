#!/usr/bin/env bash
# Quick start: install what is missing, build, and run the default job (or the CLI with your
# arguments): ./run.sh [accelforge arguments...]
set -euo pipefail
cd "$(dirname "$0")"
source scripts/setup.sh
if [ $# -eq 0 ]; then
  exec ./build/accelforge eval --workload resnet18 --hw edge --mapping random --seed 1
fi
exec ./build/accelforge "$@"
