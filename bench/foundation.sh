#!/usr/bin/env bash
# Foundation numbers for the README: binary size, time from start to ready, idle RSS,
# and /health requests per second at 32 connections (wrk, from Debian). Builds the
# release binary if needed and runs it on the embedded default (SQLite in a temp dir)
# on a free loopback port. Prints numbers; asserts nothing.
#
#   bench/foundation.sh [DURATION_SECONDS]   (default 10)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
duration=${1:-10}
"$root/scripts/install-deps.sh" wrk
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
cmake --preset release -S "$root" >/dev/null
cmake --build --preset release --target ordersvc >/dev/null
binary="$root/build/release/host/ordersvc"

work=$(mktemp -d /tmp/ordersvc-bench.XXXXXX)
pid=""
cleanup() {
  [[ -n $pid ]] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

echo "binary size: $(stat -c %s "$binary" | numfmt --to=iec) ($(stat -c %s "$binary") bytes, with debug info); stripped: $(strip -o "$work/stripped" "$binary" && stat -c %s "$work/stripped" | numfmt --to=iec)"

# Start to ready: from exec until the ready file appears (database opened, migrations
# applied, both servers listening). Five runs on a fresh data directory each.
samples=()
for i in 1 2 3 4 5; do
  rm -rf "$work/data" "$work/ready.json"
  t0=$(date +%s%N)
  (cd "$work" && DATA_DIR="$work/data" HTTP_PORT=0 GRPC_PORT=0 LOG_LEVEL=warn \
     exec "$binary" --ready-file="$work/ready.json" >"$work/out.log" 2>&1) &
  pid=$!
  until [[ -f $work/ready.json ]]; do sleep 0.002; done
  t1=$(date +%s%N)
  samples+=($(( (t1 - t0) / 1000000 )))
  kill -TERM "$pid"; wait "$pid" || true; pid=""
done
echo "start to ready (ms, fresh SQLite each run): ${samples[*]}"

(cd "$work" && DATA_DIR="$work/data" HTTP_PORT=0 GRPC_PORT=0 LOG_LEVEL=warn \
   exec "$binary" --ready-file="$work/ready.json" >"$work/out.log" 2>&1) &
pid=$!
rm -f "$work/ready.json"
until [[ -f $work/ready.json ]]; do sleep 0.01; done
port=$(sed -E 's/.*"http_port":([0-9]+).*/\1/' "$work/ready.json")
sleep 2
echo "idle RSS: $(awk '/VmRSS/ {print $2 " " $3}' /proc/$pid/status)"

echo "wrk: GET /health, 32 connections, 2 threads, ${duration}s"
wrk -t2 -c32 -d"${duration}s" --latency "http://127.0.0.1:$port/health" | sed 's/^/  /'
echo "RSS after load: $(awk '/VmRSS/ {print $2 " " $3}' /proc/$pid/status)"
