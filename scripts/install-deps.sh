#!/usr/bin/env bash
# Installs the Debian 12 packages ordersvc needs to build, run and test.
# Idempotent: when every package is already installed it only asks dpkg (and, with
# --with-tests, reads the version of the Redocly CLI under .tools/) and exits
# (well under a second), so both README commands can call it every time.
set -euo pipefail

# Build and run.
BUILD_PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config dpkg-dev git
  libpoco-dev libpq-dev libssl-dev
  libboost-dev libboost-filesystem-dev
  libprotobuf-dev protobuf-compiler libgrpc++-dev protobuf-compiler-grpc
  libspdlog-dev libfmt-dev librabbitmq-dev rapidjson-dev
  curl jq  # the README's walk through the order API
)
# Tests: the real servers the suite starts, the test frameworks, and promtool.
TEST_PACKAGES=(
  libgtest-dev libgmock-dev libbenchmark-dev
  postgresql redis-server rabbitmq-server prometheus
  curl procps iproute2
  python3-jsonschema
  clang-format  # tests/format/check.sh: the tree stays as the root .clang-format says
)

# Tests from the npm registry, installed under .tools/ in the repository (ignored by git),
# never globally, pinned so every machine tests the same way; they need Node.js >= 20.19
# and npm (both on the machines this project runs on):
# - Redocly CLI lints api/openapi.json (ctest openapi.lint);
# - Prism serves mock providers generated from their published OpenAPI documents in
#   ../shared/specs (the payment plugins' contract tests);
# - Stripe's official Node library signs test webhooks (its generateTestHeaderString),
#   so our verification is checked against a signer nobody here wrote.
REDOCLY_VERSION=2.77.0
PRISM_VERSION=5.16.0
STRIPE_NODE_VERSION=23.1.0

# Usage: install-deps.sh [--with-tests] [EXTRA_PACKAGE...]  (bench asks for wrk)
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
want=("${BUILD_PACKAGES[@]}")
with_tests=0
for arg in "$@"; do
  if [[ "$arg" == "--with-tests" ]]; then
    want+=("${TEST_PACKAGES[@]}")
    with_tests=1
  else
    want+=("$arg")
  fi
done

# The npm test tools in .tools/node: skipped (a few file reads) when the pinned versions
# are there.
has_npm_package() {  # name version
  local manifest="$root/.tools/node/node_modules/$1/package.json"
  [[ -f "$manifest" ]] && grep -q "\"version\": *\"$2\"" "$manifest"
}
install_node_tools() {
  local prefix="$root/.tools/node"
  if has_npm_package @redocly/cli "$REDOCLY_VERSION" && has_npm_package @stoplight/prism-cli "$PRISM_VERSION" &&
     has_npm_package stripe "$STRIPE_NODE_VERSION" && [[ -x "$prefix/node_modules/.bin/redocly" ]] &&
     [[ -x "$prefix/node_modules/.bin/prism" ]]; then
    return 0
  fi
  if ! command -v npm >/dev/null 2>&1; then
    echo "install-deps: npm not found; the test tools (Redocly CLI, Prism, stripe) need Node.js >= 20.19 with npm" >&2
    return 1
  fi
  echo "install-deps: installing @redocly/cli@$REDOCLY_VERSION @stoplight/prism-cli@$PRISM_VERSION stripe@$STRIPE_NODE_VERSION into $prefix"
  mkdir -p "$prefix"
  # Prism pulls @scarf/scarf, an install-time telemetry package: told not to report.
  DO_NOT_TRACK=1 SCARF_ANALYTICS=false npm install --prefix "$prefix" --no-audit --no-fund --save-exact \
    --loglevel=error "@redocly/cli@$REDOCLY_VERSION" "@stoplight/prism-cli@$PRISM_VERSION" \
    "stripe@$STRIPE_NODE_VERSION"
}

missing=()
for pkg in "${want[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done

if (( ${#missing[@]} == 0 )); then
  (( with_tests )) && install_node_tools
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
(( with_tests )) && install_node_tools
exit 0
