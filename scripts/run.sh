#!/usr/bin/env bash
# The run command (README): installs what is missing, builds, and starts ordersvc on
# its embedded default: SQLite under ./data, bundled plugins, no other servers,
# REST on 8004 and gRPC on 50054. Ctrl-C stops it cleanly. Extra arguments go to
# ordersvc (try --help); environment variables override config/ordersvc.properties.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

"$root/scripts/install-deps.sh"
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
cmake --preset release -DORDERSVC_BUILD_TESTS=OFF >/dev/null
cmake --build --preset release --target ordersvc ordersvc-plugin ordersvc_bundled_plugins

exec "$root/build/release/host/ordersvc" "$@"
