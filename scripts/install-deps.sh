#!/usr/bin/env bash
# Installs the Debian 12 packages ordersvc needs to build, run and test.
# Idempotent: when every package is already installed it only asks dpkg and exits
# (well under a second), so both README commands can call it every time.
set -euo pipefail

# Build and run.
BUILD_PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config dpkg-dev git
  libpoco-dev libpq-dev libssl-dev
  libboost-dev libboost-filesystem-dev
  libprotobuf-dev protobuf-compiler libgrpc++-dev protobuf-compiler-grpc
  libspdlog-dev libfmt-dev librabbitmq-dev rapidjson-dev
)
# Tests: the real servers the suite starts, the test frameworks, and promtool.
TEST_PACKAGES=(
  libgtest-dev libgmock-dev libbenchmark-dev
  postgresql redis-server rabbitmq-server prometheus
  curl procps iproute2
  python3-jsonschema
)

# Usage: install-deps.sh [--with-tests] [EXTRA_PACKAGE...]  (bench asks for wrk)
want=("${BUILD_PACKAGES[@]}")
for arg in "$@"; do
  if [[ "$arg" == "--with-tests" ]]; then
    want+=("${TEST_PACKAGES[@]}")
  else
    want+=("$arg")
  fi
done

missing=()
for pkg in "${want[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done

if (( ${#missing[@]} == 0 )); then
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "install-deps: missing packages: ${missing[*]}" >&2
  echo "install-deps: run as root (or install them yourself) and try again" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt_opts=(-y --no-install-recommends -o DPkg::Lock::Timeout=600)
if ! apt-get install "${apt_opts[@]}" "${missing[@]}"; then
  apt-get update -o DPkg::Lock::Timeout=600
  apt-get install "${apt_opts[@]}" "${missing[@]}"
fi
# The Debian packages start nothing here (no systemd); the test script starts its own
# servers on free loopback ports, so nothing else is configured.
