#!/usr/bin/env bash
# Installs the Debian packages AccelForge needs (only the missing ones), then configures and
# builds a Release build in build/. Sourced by run.sh and test.sh.
set -euo pipefail
AF_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
AF_PACKAGES=(cmake ninja-build g++ pkg-config libyaml-cpp-dev libgtest-dev libgmock-dev
  libbenchmark-dev libcli11-dev nlohmann-json3-dev verilator libsystemc-dev yosys iverilog)

af_missing=()
for p in "${AF_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || af_missing+=("$p")
done
if [ ${#af_missing[@]} -gt 0 ]; then
  echo "setup: installing ${af_missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq -o DPkg::Lock::Timeout=600 \
    "${af_missing[@]}" >&2
fi

cmake -S "$AF_ROOT" -B "$AF_ROOT/build" -G Ninja -DCMAKE_BUILD_TYPE=Release >&2
cmake --build "$AF_ROOT/build" -j "$(nproc)" >&2
