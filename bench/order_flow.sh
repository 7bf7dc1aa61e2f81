#!/usr/bin/env bash
# The order-flow benchmark: complete flows (guest cart, two items, checkout as a signed-in
# customer, cash payment, status "confirmed") against a release ordersvc on PostgreSQL,
# at several concurrencies (bench/order_flow_bench.cpp); then GET /api/v1/orders/{id}
# with wrk; then, for scale, the bare writes of one order with pgbench on the same
# database. Reports CPU per process, SQL statements per flow (pg_stat_statements) and
# the load on the machine; prints the report and writes it to
# bench/results/order_flow-<date>.txt. Measures; asserts nothing.
#
#   bench/order_flow.sh [DURATION_SECONDS]          (default 20, per concurrency)
#
# Environment (all optional):
#   CONCURRENCIES="1 8 32"  WARMUP=3        flows per concurrency: WARMUP s, then DURATION s
#   HTTP_MAX_THREADS=48                     ordersvc worker threads. Poco serves a keep-alive
#                                           connection on one thread until it closes, so
#                                           fewer threads than connections starve the rest
#                                           (8 threads at concurrency 32: client time-outs)
#   DATABASE_POOL_SIZE=40 DATABASE_MAX_OVERFLOW=0
#                                           more than the requests in flight: a request may
#                                           hold two pooled connections at once (checkout
#                                           and cart pricing look up the organization and the
#                                           catalog on a second one), so a pool no larger than
#                                           the concurrency can stall for the 5 s pool time-out
#                                           and answer 503 (pool 8 or 16 at concurrency 32)
#   ORDERSVC_BENCH_PG_URL=postgresql://...  reuse this database (dedicate it to the bench:
#                                           it is migrated and filled with orders); default:
#                                           a private PostgreSQL from tests/support/servers.sh
#   CART_MODE=guest|customer                who owns the carts (see bench/order_flow_bench.cpp)
#   SKIP_WRK=1 SKIP_PGBENCH=1               leave out those parts (for quick sweeps)
#   PROFILE=1                               one more run at the largest concurrency under
#                                           `perf record` (system-wide, and ordersvc with DWARF
#                                           call graphs); the hot spots go in the report
#   RESULTS_FILE=path                       where the report goes (default bench/results/...)
#   ORDERSVC_PRELOAD=lib.so                 LD_PRELOAD for ordersvc (experiments without
#                                           rebuilding it; named in the report)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
duration=${1:-20}
warmup=${WARMUP:-3}
read -ra concurrencies <<<"${CONCURRENCIES:-1 8 32}"
http_threads=${HTTP_MAX_THREADS:-48}
pool_size=${DATABASE_POOL_SIZE:-40}
pool_overflow=${DATABASE_MAX_OVERFLOW:-0}
cart_mode=${CART_MODE:-guest}
stamp=$(date +%Y%m%d-%H%M%S)
results_file=${RESULTS_FILE:-$root/bench/results/order_flow-$stamp.txt}

# postgresql brings pgbench and pg_stat_statements; linux-perf is only needed for PROFILE=1.
"$root/scripts/install-deps.sh" wrk postgresql curl procps
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
cmake --preset release -S "$root" >/dev/null
cmake --build --preset release --target ordersvc ordersvc_bundled_plugins ordersvc_order_flow_bench >/dev/null
binary="$root/build/release/host/ordersvc"
generator="$root/build/release/bench/ordersvc_order_flow_bench"
servers="$root/tests/support/servers.sh"

work=$(mktemp -d /tmp/ordersvc-order-flow.XXXXXX)
svc_pid=""
own_pg=""
cleanup() {
  if [[ -n $svc_pid ]] && kill -0 "$svc_pid" 2>/dev/null; then
    kill -TERM "$svc_pid" 2>/dev/null || true
    wait "$svc_pid" 2>/dev/null || true
  fi
  [[ -n $own_pg ]] && "$servers" stop-pg "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

report=$work/report.txt
say() { echo "$*" | tee -a "$report"; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
clk_tck=$(getconf CLK_TCK)
ms_per_tick=$(awk -v hz="$clk_tck" 'BEGIN { print 1000 / hz }')

# --- CPU accounting: "total system" ticks (user+system, and system alone) of one process,
# of the PostgreSQL server, and of the whole machine, so each phase can say who used the
# cores and how much of it went to the kernel (syscalls, TCP over loopback, switches).
proc_ticks() { awk '{ print $14 + $15, $15 }' "/proc/$1/stat" 2>/dev/null || echo 0 0; }
pg_ticks() {   # postmaster and its children (backends live as long as the pooled connections)
  [[ -n $own_pg ]] || { echo 0 0; return; }
  local pm
  pm=$(head -1 "$work/pg/data/postmaster.pid")
  { awk '{ print $14 + $15 + $16 + $17, $15 + $17 }' "/proc/$pm/stat"
    for child in $(ps -o pid= --ppid "$pm"); do proc_ticks "$child"; done
  } | awk '{ t += $1; s += $2 } END { print t + 0, s + 0 }'
}
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat; }
# cores TICKS SECONDS; kernel_share TOTAL SYSTEM
cores() { awk -v t="$1" -v hz="$clk_tck" -v s="$2" 'BEGIN { printf "%.2f", t / hz / s }'; }
kernel_share() { awk -v t="$1" -v s="$2" 'BEGIN { printf "%.0f%%", (t > 0 ? 100 * s / t : 0) }'; }
usage() {   # LABEL TOTAL0 SYS0 TOTAL1 SYS1 SECONDS
  echo "$1 $(cores $(($4 - $2)) "$6") ($(kernel_share $(($4 - $2)) $(($5 - $3))) kernel)"
}

# --- PostgreSQL.
if [[ -n ${ORDERSVC_BENCH_PG_URL:-} ]]; then
  pg_url=$ORDERSVC_BENCH_PG_URL
else
  own_pg=1
  "$servers" start-pg "$work/pg" >/dev/null
  # pg_stat_statements, for statements per flow; needs a restart to load.
  echo "shared_preload_libraries = 'pg_stat_statements'" >>"$work/pg/data/postgresql.conf"
  pg_url=$("$servers" restart-pg "$work/pg")
fi
psql "$pg_url" -XqAc 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements' >/dev/null 2>&1 || true
have_pgss=$(psql "$pg_url" -XtAc 'SELECT 1 FROM pg_stat_statements LIMIT 1' >/dev/null 2>&1 && echo 1 || echo "")
pg_settings=$(psql "$pg_url" -XtAc "SELECT string_agg(name || '=' || setting, ' ' ORDER BY name) FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'shared_buffers', 'max_connections')")

# --- ordersvc.
(cd "$work" && LD_PRELOAD="${ORDERSVC_PRELOAD:-}" DATA_DIR="$work/data" DATABASE_URL="$pg_url" BOOTSTRAP_FILE="$root/config/bootstrap.json" \
   HTTP_PORT=0 GRPC_PORT=0 HTTP_BIND_ADDRESS=127.0.0.1 GRPC_BIND_ADDRESS=127.0.0.1 LOG_LEVEL=warn \
   JOBS_INTERVAL_SECONDS=0 RATE_LIMIT_CLIENT_PER_MINUTE=0 RATE_LIMIT_ORG_PER_MINUTE=0 HTTP_MAX_THREADS="$http_threads" DATABASE_POOL_SIZE="$pool_size" \
   DATABASE_MAX_OVERFLOW="$pool_overflow" exec "$binary" --ready-file="$work/ready.json" >"$work/ordersvc.log" 2>&1) &
svc_pid=$!
for ((i = 0; i < 600; i++)); do
  [[ -s $work/ready.json ]] && break
  kill -0 "$svc_pid" 2>/dev/null || { echo "ordersvc exited during start-up:" >&2; tail -20 "$work/ordersvc.log" >&2; exit 1; }
  sleep 0.05
done
[[ -s $work/ready.json ]] || { echo "ordersvc not ready after 30 s" >&2; exit 1; }
port=$(sed -E 's/.*"http_port":([0-9]+).*/\1/' "$work/ready.json")
base=http://127.0.0.1:$port
token() { (cd "$work" && DATA_DIR="$work/data" "$binary" --issue-token="$1"); }

# Stock that cannot run out: every stock row of the demo catalog to 10^9 (a flow takes 2).
manager=$(token order.manager@demo)
for row in v_tee_m/santiago v_tee_l/santiago v_mug/santiago v_mug/valparaiso v_coffee/santiago; do
  curl -fsS -o /dev/null -X PUT -H "Authorization: Bearer $manager" -H 'Content-Type: application/json' \
    -d '{"on_hand": 1000000000}' "$base/api/v1/admin/stock/$row"
done

# One load generator is one customer address: fraud rules would hold its payments for
# review after a few (their own cost is in the flow all the same: the assessment runs).
curl -fsS -o /dev/null -X PUT -H "Authorization: Bearer $manager" -H 'Content-Type: application/json' \
  -d '{"version": 0, "rules": {"enabled": false}}' "$base/api/v1/fraud-rules"

commit=$(git -C "$root" rev-parse --short HEAD)
git -C "$root" diff --quiet HEAD -- host plugins bench 2>/dev/null || commit+=" (with uncommitted changes)"
say "order-flow benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $commit"
say "machine: nproc $(nproc), $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), load average before $(loadavg)"
say "ordersvc: RelWithDebInfo, LOG_LEVEL=warn, HTTP_MAX_THREADS=$http_threads, DATABASE_POOL_SIZE=$pool_size," \
    "DATABASE_MAX_OVERFLOW=$pool_overflow, JOBS_INTERVAL_SECONDS=0, rate limits off (one load generator is one client), carts: $cart_mode${ORDERSVC_PRELOAD:+, LD_PRELOAD=$ORDERSVC_PRELOAD}"
say "PostgreSQL 15 ${own_pg:+(private, servers.sh) }$pg_settings"
say "each concurrency: ${warmup} s warm-up, then ${duration} s measured; one keep-alive connection and one customer per client"
say ""

pgss_reset() { [[ -z $have_pgss ]] || psql "$pg_url" -XqAc 'SELECT pg_stat_statements_reset()' >/dev/null; }
pgss_calls() {   # statements executed since the reset (BEGIN/COMMIT included), without our own
  [[ -n $have_pgss ]] || { echo 0; return; }
  psql "$pg_url" -XtAc "SELECT COALESCE(SUM(calls), 0) FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%'"
}
confirmed() { psql "$pg_url" -XtAc "SELECT count(*) FROM orders WHERE status = 'confirmed'"; }

declare -A flows_per_s
run_flows() {   # CONCURRENCY [extra generator args...]
  local c=$1 out m0 mt0 m1 mt1 svc0 svcs0 svc1 svcs1 pg0 pgs0 pg1 pgs1 o0 o1 stmts
  shift
  pgss_reset
  o0=$(confirmed)
  read -r m0 mt0 < <(machine_ticks)
  read -r svc0 svcs0 < <(proc_ticks "$svc_pid"); read -r pg0 pgs0 < <(pg_ticks)
  out=$("$generator" --port="$port" --jwt-secret-file="$work/data/jwt.secret" --concurrency="$c" \
          --duration="$duration" --warmup="$warmup" --cart-mode="$cart_mode" --order-file="$work/order.txt" "$@")
  read -r m1 mt1 < <(machine_ticks)
  read -r svc1 svcs1 < <(proc_ticks "$svc_pid"); read -r pg1 pgs1 < <(pg_ticks)
  o1=$(confirmed); stmts=$(pgss_calls)
  grep -v '^RESULT' <<<"$out" | tee -a "$report"
  local result; result=$(grep '^RESULT' <<<"$out")
  flows_per_s[$c]=$(sed -E 's/.*flows_per_s=([0-9.]+).*/\1/' <<<"$result")
  local client; client=$(sed -E 's/.*client_cpu_s=([0-9.]+).*/\1/' <<<"$result")
  local phase; phase=$(awk -v a="$duration" -v b="$warmup" 'BEGIN { print a + b }')
  say "  CPU over the phase (cores of $(nproc)): $(usage ordersvc "$svc0" "$svcs0" "$svc1" "$svcs1" "$phase")," \
      "$([[ -n $own_pg ]] && usage postgres "$pg0" "$pgs0" "$pg1" "$pgs1" "$phase" || echo "postgres n/a"), load generator" \
      "$(awk -v s="$client" -v d="$duration" 'BEGIN { printf "%.2f", s / d }'), whole machine" \
      "$(awk -v b=$((m1 - m0)) -v t=$((mt1 - mt0)) -v n="$(nproc)" 'BEGIN { printf "%.2f", b / t * n }')"
  # Per flow over the whole phase (warm-up and the last flows included): every flow of
  # the phase confirmed one order.
  local n=$((o1 - o0 > 0 ? o1 - o0 : 1))
  per() { awk -v v="$1" -v n="$n" -v k="$2" -v f="$3" 'BEGIN { printf f, v * k / n }'; }
  say "  per flow ($n orders confirmed in the phase): ordersvc CPU $(per $((svc1 - svc0)) "$ms_per_tick" '%.2f') ms," \
      "postgres CPU $([[ -n $own_pg ]] && echo "$(per $((pg1 - pg0)) "$ms_per_tick" '%.2f') ms" || echo n/a)," \
      "$([[ -n $have_pgss ]] && per "$stmts" 1 '%.0f' || echo n/a) SQL statements (BEGIN/COMMIT included)"
  last_phase_orders=$n
  say ""
}

# The service may die under load (Poco 1.11 tears its OpenSSL initializer down when the
# last Crypto object goes away, and concurrent JWT checks race on that: SIGABRT within
# seconds of wrk below); then the report says so and keeps the end of its log.
svc_alive() {
  [[ -n $svc_pid ]] || return 1
  kill -0 "$svc_pid" 2>/dev/null && return 0
  local status=0
  wait "$svc_pid" 2>/dev/null || status=$?
  svc_pid=""
  say "!! ordersvc exited with status $status$( ((status > 128)) && echo " (signal $((status - 128)))") during the last phase" \
      "(numbers measured after that are void); end of its log:"
  tail -n 15 "$work/ordersvc.log" | sed 's/^/   | /' | tee -a "$report"
  say ""
  return 1
}

say "== complete flows (create cart, 2 items, checkout, pay; confirmed)"
for c in "${concurrencies[@]}"; do if svc_alive; then run_flows "$c"; fi; done
if [[ -n $have_pgss && -n ${last_phase_orders:-} ]]; then
  say "== SQL per flow at concurrency ${concurrencies[-1]}: the 15 most frequent statements (calls per flow, mean ms in PostgreSQL)"
  psql "$pg_url" -XtA -F $'\t' -c "SELECT round(calls::numeric / $last_phase_orders, 1), round(mean_exec_time::numeric, 3),
        left(regexp_replace(query, '\s+', ' ', 'g'), 90) FROM pg_stat_statements
        WHERE query NOT LIKE '%pg_stat%' AND query NOT LIKE 'SELECT count(*) FROM orders%'
        ORDER BY calls DESC, total_exec_time DESC LIMIT 15" |
    awk -F'\t' '{ printf "  %5s  %7s  %s\n", $1, $2, $3 }' | tee -a "$report"
  # Time inside PostgreSQL includes waiting for row locks: the hot rows (the order-number
  # counter, the stock of the two variants) show up here.
  say "   and the 5 with the most time in PostgreSQL (calls per flow, mean ms, ms per flow):"
  psql "$pg_url" -XtA -F $'\t' -c "SELECT round(calls::numeric / $last_phase_orders, 1), round(mean_exec_time::numeric, 3),
        round((total_exec_time / $last_phase_orders)::numeric, 2), left(regexp_replace(query, '\s+', ' ', 'g'), 80)
        FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat%' ORDER BY total_exec_time DESC LIMIT 5" |
    awk -F'\t' '{ printf "  %5s  %7s  %6s  %s\n", $1, $2, $3, $4 }' | tee -a "$report"
  say ""
fi

if [[ -n ${PROFILE:-} ]] && command -v perf >/dev/null && svc_alive; then
  c=${concurrencies[-1]}
  say "== profile: ${duration} s at concurrency $c; perf record system-wide (cpu-clock, 499 Hz) and, at the same"
  say "   time, on ordersvc alone with DWARF call graphs (99 Hz)"
  "$generator" --port="$port" --jwt-secret-file="$work/data/jwt.secret" --concurrency="$c" --duration="$duration" \
    --warmup=1 --cart-mode="$cart_mode" >"$work/profile-run.txt" &
  gen=$!
  sleep 1
  perf record -a -g -F 499 -o "$work/perf-all.data" -- sleep "$duration" >/dev/null 2>&1 &
  perf_all=$!
  perf record --call-graph dwarf,16384 -F 99 -p "$svc_pid" -o "$work/perf-svc.data" -- sleep "$duration" >/dev/null 2>&1 || true
  wait "$perf_all" || true
  wait "$gen" || true
  say "  $(head -1 "$work/profile-run.txt")"
  pg_pids=""
  [[ -n $own_pg ]] && pg_pids=$(ps -o pid= --ppid "$(head -1 "$work/pg/data/postmaster.pid")" | tr -d ' ' | paste -sd,)
  share() { perf report -i "$work/perf-all.data" --no-children "$@" --sort comm --stdio 2>/dev/null |
              awk '/^ +[0-9.]+%/ { s += $1 } END { printf "%.0f%%", s }'; }
  say "  share of all samples (2 CPUs): ordersvc $(share --pid="$svc_pid"), this PostgreSQL" \
      "$([[ -n $pg_pids ]] && share --pid="$pg_pids" || echo n/a), load generator $(share --comm=ordersvc_order_); the rest is other work on the machine"
  if [[ -n $pg_pids ]]; then
    say "  PostgreSQL, top symbols (self, share of its samples):"
    { perf report -i "$work/perf-all.data" --no-children --pid="$pg_pids" --sort symbol --percentage relative --stdio 2>/dev/null |
        grep -E '^ +[0-9.]+%' | head -12 | cut -c1-90 | sed 's/^/   /' | tee -a "$report"; } || true
  fi
  say "  ordersvc, inclusive time of selected frames (share of its samples):"
  { perf report -i "$work/perf-svc.data" --children --sort symbol -g none --percentage relative --stdio 2>/dev/null |
      grep -E '^ +[0-9.]+% +[0-9.]+%' | grep -v -E 'lambda|__invoke|_Function_handler|std::function|\(inlined\)' |
      grep -E 'ordersvc::(services|storage|integrations|api)::[A-Za-z]+::[A-Za-z]+|Poco::Data::(StatementImpl::(execute|compile|bind)|PostgreSQL::(StatementExecutor::(prepare|execute)|SessionHandle::(deallocate|commit)))|Poco::JWT::Signer|Poco::JSON::Parser::parse|\] (__libc_send|__GI___poll|__libc_recv|_int_malloc)$' |
      awk '{ $2 = ""; print }' | head -28 | cut -c1-120 | sed 's/^/   /' | tee -a "$report"; } || true
  say ""
fi

if [[ -z ${SKIP_WRK:-} && -s $work/order.txt ]] && svc_alive; then
  read -r order_id order_token <"$work/order.txt"
  say "== GET /api/v1/orders/{id}: wrk, 32 connections, 2 threads, ${duration} s, the owning customer's token"
  read -r m0 mt0 < <(machine_ticks); read -r svc0 svcs0 < <(proc_ticks "$svc_pid"); read -r pg0 pgs0 < <(pg_ticks)
  { wrk -t2 -c32 -d"${duration}s" --latency -H "Authorization: Bearer $order_token" "$base/api/v1/orders/$order_id" |
      grep -E 'Latency|Req/Sec|requests in|Requests/sec|Non-2xx|Socket errors|^ +(50|75|90|99)%' | sed 's/^/  /' | tee -a "$report"; } || true
  read -r m1 mt1 < <(machine_ticks); read -r svc1 svcs1 < <(proc_ticks "$svc_pid"); read -r pg1 pgs1 < <(pg_ticks)
  if svc_alive; then
    say "  CPU (cores): $(usage ordersvc "$svc0" "$svcs0" "$svc1" "$svcs1" "$duration")," \
        "$([[ -n $own_pg ]] && usage postgres "$pg0" "$pgs0" "$pg1" "$pgs1" "$duration" || echo "postgres n/a"), whole machine" \
        "$(awk -v b=$((m1 - m0)) -v t=$((mt1 - mt0)) -v n="$(nproc)" 'BEGIN { printf "%.2f", b / t * n }') (wrk included)"
    say ""
  fi
fi

# The service stops here so that pgbench has the machine to itself, as ordersvc had.
if svc_alive; then kill -TERM "$svc_pid"; wait "$svc_pid" || true; svc_pid=""; fi

if [[ -z ${SKIP_PGBENCH:-} ]]; then
  # The bare writes of one order, in the service's own tables, as 5 transactions and 18
  # statements (the service runs 6 write transactions for a flow; its reads are left out):
  # cart, item, item, checkout (number, order, 2 lines, 2 stock reservations, timeline,
  # outbox, cart closed), payment (payment, order confirmed, 2 stock confirmations,
  # timeline, outbox). Prepared statements; the same two hot stock rows and one shared
  # order-number row as the service contends on.
  psql "$pg_url" -XqAc "INSERT INTO order_number_sequences (organization_id, year, last_value) VALUES ('demo', 1999, 0)
                        ON CONFLICT DO NOTHING"
  cat >"$work/order_writes.sql" <<'SQL'
\set id random(1, 999999999999) * 1000 + :client_id
\set now 1700000000000
INSERT INTO carts (organization_id, id, token_hash, currency, status, version, created_at_ms, updated_at_ms, expires_at_ms) VALUES ('demo', 'pgb_c' || :id::bigint, 'h', 'CLP', 'active', 1, :now, :now, :now);
INSERT INTO cart_items (organization_id, cart_id, id, variant_id, sku, name, tax_class, unit_price_minor, quantity, weight_grams, created_at_ms) VALUES ('demo', 'pgb_c' || :id::bigint, 'ci1', 'v_tee_m', 'TEE-M', 'Polera algodón - M', 'standard', 9990, 1, 200, :now);
INSERT INTO cart_items (organization_id, cart_id, id, variant_id, sku, name, tax_class, unit_price_minor, quantity, weight_grams, created_at_ms) VALUES ('demo', 'pgb_c' || :id::bigint, 'ci2', 'v_coffee', 'COF-1KG', 'Café de grano 1 kg', 'standard', 15990, 1, 1000, :now);
BEGIN;
UPDATE order_number_sequences SET last_value = last_value + 1 WHERE organization_id = 'demo' AND year = 1999;
INSERT INTO orders (organization_id, id, order_number, cart_id, customer_id, placed_by, order_type, status, currency, subtotal_minor, discount_minor, shipping_minor, tax_minor, total_minor, prices_include_tax, items_count, shipping_method, shipping_address, billing_address, payment_method, reservation_id, reservation_expires_at_ms, version, created_at_ms, updated_at_ms) VALUES ('demo', 'pgb_o' || :id::bigint, 'PGB-' || :id::bigint, 'pgb_c' || :id::bigint, 'bench', 'customer-bench', 'online', 'pending', 'CLP', 25980, 0, 4990, 4945, 30970, 1, 2, 'standard', '{"name":"Bench Customer","line1":"Av. Providencia 1234","city":"Santiago","region":"RM","country":"CL"}', '{"name":"Bench Customer","line1":"Av. Providencia 1234","city":"Santiago","region":"RM","country":"CL"}', 'cash', 'pgb_r' || :id::bigint, :now, 1, :now, :now);
INSERT INTO order_items (organization_id, order_id, line_no, variant_id, sku, name, tax_class, quantity, unit_price_minor, discount_minor, tax_minor, total_minor) VALUES ('demo', 'pgb_o' || :id::bigint, 1, 'v_tee_m', 'TEE-M', 'Polera algodón - M', 'standard', 1, 9990, 0, 1595, 9990);
INSERT INTO order_items (organization_id, order_id, line_no, variant_id, sku, name, tax_class, quantity, unit_price_minor, discount_minor, tax_minor, total_minor) VALUES ('demo', 'pgb_o' || :id::bigint, 2, 'v_coffee', 'COF-1KG', 'Café de grano 1 kg', 'standard', 1, 15990, 0, 2553, 15990);
UPDATE stock_levels SET reserved = reserved + 1, updated_at_ms = :now WHERE organization_id = 'demo' AND variant_id = 'v_coffee' AND warehouse_id = 'santiago';
UPDATE stock_levels SET reserved = reserved + 1, updated_at_ms = :now WHERE organization_id = 'demo' AND variant_id = 'v_tee_m' AND warehouse_id = 'santiago';
INSERT INTO order_timeline (organization_id, order_id, seq, at_ms, actor, action, from_status, to_status) VALUES ('demo', 'pgb_o' || :id::bigint, 1, :now, 'customer-bench', 'place', 'cart', 'pending');
INSERT INTO outbox_events (id, organization_id, event_type, occurred_at_ms, data) VALUES ('pgb_e1_' || :id::bigint, 'demo', 'order.placed', :now, '{"order_id":"x","order_number":"PGB","status":"pending","total_minor":30970,"currency":"CLP"}');
UPDATE carts SET status = 'checked_out', version = 2, updated_at_ms = :now WHERE organization_id = 'demo' AND id = 'pgb_c' || :id::bigint;
COMMIT;
BEGIN;
INSERT INTO payments (organization_id, id, order_id, instance_id, payment_method, amount_minor, currency, status, provider_reference, created_at_ms, updated_at_ms) VALUES ('demo', 'pgb_p' || :id::bigint, 'pgb_o' || :id::bigint, 'cash', 'cash', 30970, 'CLP', 'succeeded', 'cash_x', :now, :now);
UPDATE orders SET status = 'confirmed', paid_minor = 30970, payment_attempts = 1, version = 3, updated_at_ms = :now WHERE organization_id = 'demo' AND id = 'pgb_o' || :id::bigint;
UPDATE stock_levels SET on_hand = on_hand - 1, reserved = reserved - 1, updated_at_ms = :now WHERE organization_id = 'demo' AND variant_id = 'v_coffee' AND warehouse_id = 'santiago';
UPDATE stock_levels SET on_hand = on_hand - 1, reserved = reserved - 1, updated_at_ms = :now WHERE organization_id = 'demo' AND variant_id = 'v_tee_m' AND warehouse_id = 'santiago';
INSERT INTO order_timeline (organization_id, order_id, seq, at_ms, actor, action, from_status, to_status) VALUES ('demo', 'pgb_o' || :id::bigint, 2, :now, 'customer-bench', 'payment_succeeded', 'payment_pending', 'confirmed');
INSERT INTO outbox_events (id, organization_id, event_type, occurred_at_ms, data) VALUES ('pgb_e2_' || :id::bigint, 'demo', 'payment.succeeded', :now, '{"payment_id":"x","order_id":"x","status":"succeeded","amount_minor":30970,"currency":"CLP"}');
COMMIT;
SQL
  say "== pgbench: the bare writes of one order (5 transactions, 18 statements, prepared), same database"
  declare -A pgbench_tps
  for c in "${concurrencies[@]}"; do
    out=$(pgbench -n -M prepared -c "$c" -j "$((c < 2 ? c : 2))" -T "$duration" -f "$work/order_writes.sql" "$pg_url" 2>&1) || {
      say "  pgbench at concurrency $c failed:"; sed 's/^/    /' <<<"$out" | tail -5 | tee -a "$report"; continue; }
    pgbench_tps[$c]=$(sed -nE 's/^tps = ([0-9.]+).*/\1/p' <<<"$out" | head -1 | xargs printf '%.1f')
    say "  concurrency $c: ${pgbench_tps[$c]} flows/s, latency average $(sed -nE 's/^latency average = (.*)/\1/p' <<<"$out"), failed $(sed -nE 's/^number of failed transactions: ([0-9]+).*/\1/p' <<<"$out")"
  done
  say ""
  say "== ordersvc flows/s / pgbench flows/s (the same writes without the service)"
  for c in "${concurrencies[@]}"; do
    [[ -n ${pgbench_tps[$c]:-} && -n ${flows_per_s[$c]:-} ]] || continue
    say "  concurrency $c: ${flows_per_s[$c]} / ${pgbench_tps[$c]} = $(awk -v a="${flows_per_s[$c]}" -v b="${pgbench_tps[$c]}" 'BEGIN { printf "%.3f", a / b }')"
  done
  say ""
fi

say "load average after $(loadavg)"
mkdir -p "$(dirname "$results_file")"
cp "$report" "$results_file"
echo "report written to $results_file"
