#!/usr/bin/env bash
# The test command (README, .ci/run): installs what is missing, builds, starts real
# PostgreSQL, Redis and RabbitMQ servers on free loopback ports in a temporary
# directory, runs the whole ctest suite, then the unit and storage tests again under
# AddressSanitizer + UndefinedBehaviorSanitizer. The servers are stopped on every exit
# path; the exit status is non-zero if anything failed.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

started=$(date +%s)
"$root/scripts/install-deps.sh" --with-tests

# One ccache for both build trees (see TOOLCHAIN.md).
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1

echo "== build (release) =="
cmake --preset release -DORDERSVC_BUILD_TESTS=ON >/dev/null
cmake --build --preset release

state=$(mktemp -d /tmp/ordersvc-test-servers.XXXXXX)
cleanup() {
  "$root/tests/support/servers.sh" stop-all "$state" || true
  rm -rf "$state"
}
trap cleanup EXIT INT TERM

# The providers' published contracts (OpenAPI documents, fixtures) live beside the project
# in ../shared/specs and are never copied in. A clone elsewhere finds them beside the
# repository it was cloned from.
if [[ -z "${ORDERSVC_SHARED_SPECS_DIR:-}" ]]; then
  origin=$(git -C "$root" remote get-url origin 2>/dev/null || true)
  for candidate in "$root/../shared/specs" "${origin:+$origin/../shared/specs}"; do
    if [[ -n "$candidate" && -d "$candidate/payments" ]]; then
      export ORDERSVC_SHARED_SPECS_DIR=$(cd "$candidate" && pwd)
      break
    fi
  done
fi
echo "== shared specs: ${ORDERSVC_SHARED_SPECS_DIR:-not found (the payment contract tests will fail)} =="

echo "== start PostgreSQL, Redis, RabbitMQ =="
"$root/tests/support/servers.sh" start-all "$state"
# shellcheck disable=SC1091
source "$state/env"

failed=0
echo "== ctest (release): unit and integration =="
ctest --preset release -j 2 --timeout 600 || failed=1

# The asan tree builds only the unit, storage, redis, gRPC adapter, plugin and tool test
# executables (and the bundled plugins with the conformance tool), so its
# "unit|integration" label filter runs exactly those (the service tests, which
# start the release binary as a separate process, are not built there).
echo "== build (asan) =="
cmake --preset asan -DORDERSVC_BUILD_TESTS=ON >/dev/null
cmake --build --preset asan --target ordersvc_unit_tests ordersvc_storage_tests ordersvc_redis_tests ordersvc_grpc_tests \
  ordersvc_plugin_host_tests ordersvc_plugin_tests ordersvc_tool_tests ordersvc-plugin ordersvc_plugin_cash \
  ordersvc_plugin_stripe ordersvc_plugin_paypal ordersvc_plugin_mercadopago ordersvc_plugin_pos_card \
  ordersvc_plugin_local ordersvc_plugin_rate_table ordersvc_payment_plugin_tests
echo "== ctest (asan): the unit and integration tests built in the asan tree =="
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
ctest --preset asan -j 2 --timeout 600 || failed=1

echo "== test command finished in $(( $(date +%s) - started )) s: $([[ $failed == 0 ]] && echo PASSED || echo FAILED) =="
exit "$failed"
