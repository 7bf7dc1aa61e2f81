#!/usr/bin/env bash
# The payment benchmark: what the host adds to a Stripe payment, and how many Stripe
# webhooks two processes apply exactly once. Against a release ordersvc on a private
# PostgreSQL and a fast fake Stripe on loopback (bench/payment_bench.cpp, its own
# process); prints the report and writes it to bench/results/payments-<date>.txt.
#
#  1. Host overhead on the payment path:
#     (a) the mock's own latency: the exact POST /v1/payment_intents the stripe plugin
#         sends (captured from the plugin's first sale: form body, Bearer, Stripe-Version,
#         Idempotency-Key), replayed straight at the fake, a fresh connection per request
#         as the host's plugin HTTP client makes them (and, for scale, over keep-alive);
#     (b) POST /api/v1/orders/{id}/payments (stripe, payment_method_id pm_card_visa: one
#         gateway call, create + confirm) through ordersvc, on orders placed beforehand,
#         each answer checked "confirmed"/"captured";
#     at each of PAY_CONCURRENCIES, with the overhead b - a and the ratio b / a, and
#     where the time goes (ordersvc's own /metrics: route, plugin call, plugin HTTP).
#     With Prism installed (PRISM), (a) again against Prism serving Stripe's published
#     OpenAPI document (../shared/specs), for scale.
#  2. Webhooks exactly once under concurrency: WEBHOOK_EVENTS orders with a Stripe browser
#     session each (requires_action), then each order's signed payment_intent.succeeded
#     delivered twice at once to two ordersvc processes sharing the database, at each of
#     WEBHOOK_CONCURRENCIES (fresh orders per concurrency). Events/s and latency, then
#     the SQL check: webhook_inbox rows, payment.succeeded and order.confirmed events,
#     confirmed orders, captured payments and timeline entries, one per event. A check that
#     does not hold fails the script (exit 1, after writing the report).
#
#   bench/payments.sh
#
# Environment (all optional):
#   PAY_CONCURRENCIES="1 8"  PAY_ORDERS=500  PAY_WARMUP=20
#                                  (b): payments per concurrency (the first PAY_WARMUP not measured)
#   DIRECT_SECONDS=5                (a): seconds per run, after 1 s of warm-up
#   WEBHOOK_CONCURRENCIES="8 32"  WEBHOOK_EVENTS=2000    events per concurrency
#   PLACE_CONCURRENCY=8             clients placing the orders (not measured)
#   HTTP_MAX_THREADS=48 DATABASE_POOL_SIZE=40 DATABASE_MAX_OVERFLOW=0   per ordersvc process
#   PRISM=path/to/prism             default <repo>/.tools/node/node_modules/.bin/prism; SKIP_PRISM=1
#   ORDERSVC_BUILD_LOCK=/tmp/ordersvc-build.lock
#                                  the machine's build lock: the build runs under it, and so
#                                  does the measuring (builds would skew it), so the script
#                                  waits for other builders first
#   RESULTS_FILE=path              where the report goes (default bench/results/...)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
lock=${ORDERSVC_BUILD_LOCK:-/tmp/ordersvc-build.lock}

if [[ -z ${PAYBENCH_LOCKED:-} ]]; then
  "$root/scripts/install-deps.sh" postgresql curl procps
  export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
  if [[ ! -f $root/build/release/build.ninja ]]; then
    flock "$lock" cmake --preset release -S "$root" -DORDERSVC_BUILD_TESTS=ON >/dev/null
  fi
  flock "$lock" cmake --build "$root/build/release" -j2 \
    --target ordersvc ordersvc_plugin_stripe ordersvc_bundled_plugins ordersvc_payment_bench >/dev/null
  echo "payments.sh: built; measuring under $lock (waits for other builds to finish)" >&2
  # -o: the lock's descriptor is not inherited by what the script starts (PostgreSQL
  # daemonises), so it ends with this run.
  PAYBENCH_LOCKED=1 exec flock -o "$lock" "$0" "$@"
fi

read -ra pay_concurrencies <<<"${PAY_CONCURRENCIES:-1 8}"
read -ra webhook_concurrencies <<<"${WEBHOOK_CONCURRENCIES:-8 32}"
pay_orders=${PAY_ORDERS:-500}
pay_warmup=${PAY_WARMUP:-20}
direct_seconds=${DIRECT_SECONDS:-5}
webhook_events=${WEBHOOK_EVENTS:-2000}
place_concurrency=${PLACE_CONCURRENCY:-8}
http_threads=${HTTP_MAX_THREADS:-48}
pool_size=${DATABASE_POOL_SIZE:-40}
pool_overflow=${DATABASE_MAX_OVERFLOW:-0}
prism=${PRISM:-$root/.tools/node/node_modules/.bin/prism}
prism_spec=${ORDERSVC_SHARED_SPECS_DIR:-$root/../shared/specs}/payments/stripe/openapi/spec3.payment_intents-refunds-webhook_endpoints.prism-d2.json
stamp=$(date +%Y%m%d-%H%M%S)
results_file=${RESULTS_FILE:-$root/bench/results/payments-$stamp.txt}

binary="$root/build/release/host/ordersvc"
generator="$root/build/release/bench/ordersvc_payment_bench"
servers="$root/tests/support/servers.sh"
secret_key=sk_test_51PaybenchNeverRealKeyForBenchOnly000000000000
webhook_secret=whsec_paybenchSigningSecretNeverReal000000000

work=$(mktemp -d /tmp/ordersvc-payments.XXXXXX)
declare -A svc_pid svc_port
fake_pid="" prism_pid="" own_pg=""
stop_pid() { [[ -n ${1:-} ]] && kill -0 "$1" 2>/dev/null && { kill -TERM "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }; return 0; }
cleanup() {
  for name in "${!svc_pid[@]}"; do stop_pid "${svc_pid[$name]}"; done
  stop_pid "$fake_pid"
  stop_pid "$prism_pid"
  [[ -n $own_pg ]] && "$servers" stop-pg "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

report=$work/report.txt
say() { echo "$*" | tee -a "$report"; }
die() { say "!! $*"; exit 1; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
clk_tck=$(getconf CLK_TCK)
ms_per_tick=$(awk -v hz="$clk_tck" 'BEGIN { print 1000 / hz }')
result() { grep '^RESULT ' <<<"$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }   # OUTPUT KEY
calc() { awk "BEGIN { printf \"$1\", $2 }"; }                        # FORMAT EXPRESSION

# --- CPU accounting, as in order_flow.sh: user+system ticks of a process, of PostgreSQL
# (postmaster and its backends) and of the whole machine.
proc_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
pg_ticks() {
  [[ -n $own_pg ]] || { echo 0; return; }
  local pm; pm=$(head -1 "$work/pg/data/postmaster.pid")
  { awk '{ print $14 + $15 + $16 + $17 }' "/proc/$pm/stat"
    for child in $(ps -o pid= --ppid "$pm"); do proc_ticks "$child"; done
  } | awk '{ t += $1 } END { print t + 0 }'
}
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat; }
declare -A t0
cpu_start() {
  t0[a]=$(proc_ticks "${svc_pid[a]}"); t0[b]=$(proc_ticks "${svc_pid[b]:-0}"); t0[pg]=$(pg_ticks)
  t0[fake]=$(proc_ticks "$fake_pid"); t0[prism]=$(proc_ticks "${prism_pid:-0}")
  read -r t0[busy] t0[all] < <(machine_ticks); t0[wall]=$(date +%s.%N)
}
cpu_report() {   # CLIENT_CPU_SECONDS -> cpu_line ("ordersvc A x, ... cores" over the phase), d_* ticks
  local busy all wall
  read -r busy all < <(machine_ticks); wall=$(awk -v a="$(date +%s.%N)" -v b="${t0[wall]}" 'BEGIN { print a - b }')
  cores() { awk -v t="$1" -v hz="$clk_tck" -v s="$wall" 'BEGIN { printf "%.2f", t / hz / s }'; }
  d_a=$(($(proc_ticks "${svc_pid[a]}") - t0[a])); d_b=$(($(proc_ticks "${svc_pid[b]:-0}") - t0[b]))
  d_pg=$(($(pg_ticks) - t0[pg])); d_fake=$(($(proc_ticks "$fake_pid") - t0[fake]))
  local d_prism=$(($(proc_ticks "${prism_pid:-0}") - t0[prism]))
  local machine; machine=$(calc %.2f "$((busy - t0[busy])) / $((all - t0[all])) * $(nproc)")
  cpu_line="ordersvc A $(cores "$d_a")$([[ -n ${svc_pid[b]:-} ]] && echo ", ordersvc B $(cores "$d_b")"), postgres $(cores "$d_pg")," \
cpu_line+=" fake Stripe $(cores "$d_fake"),$([[ -n $prism_pid ]] && echo " Prism $(cores "$d_prism"),") load generator $(calc %.2f "$1 / $wall");"
  # The rest: other work on the machine (other builders' tests), kernel threads, interrupts.
  cpu_line+=" whole machine $machine (cores of $(nproc), over $(calc %.1f "$wall") s), of which the rest"
  cpu_line+=" $(calc %.2f "$machine - ($d_a + $d_b + $d_pg + $d_fake + $d_prism) / $clk_tck / $wall - $1 / $wall")"
}
per_item_cpu() {  # COUNT -> "ordersvc x ms, postgres y ms" per item, from the last cpu_report
  echo "ordersvc $(calc %.2f "($d_a + $d_b) * $ms_per_tick / $1") ms, postgres $(calc %.2f "$d_pg * $ms_per_tick / $1") ms"
}

# --- pg_stat_statements: statements per payment / per webhook.
pgss_reset() { [[ -z $have_pgss ]] || psql "$pg_url" -XqAc 'SELECT pg_stat_statements_reset()' >/dev/null; }
pgss_calls() {   # -> "statements execution_ms" since the reset
  [[ -n $have_pgss ]] || { echo "0 0"; return; }
  psql "$pg_url" -XtA -F ' ' -c "SELECT COALESCE(SUM(calls), 0), COALESCE(SUM(total_exec_time), 0) FROM pg_stat_statements
                                 WHERE query NOT LIKE '%pg_stat_statements%'"
}
per_item_sql() {   # "statements execution_ms" ITEMS
  local calls ms; read -r calls ms <<<"$1"
  [[ -n $have_pgss ]] || { echo "n/a SQL statements"; return; }
  echo "$(calc %.0f "$calls / $2") SQL statements (BEGIN/COMMIT included), executing $(calc %.2f "$ms / $2") ms in PostgreSQL (lock waits included)"
}

pgss_top() {   # ITEMS ITEM_NAME: the statements with the most time in PostgreSQL since the reset
  [[ -n $have_pgss ]] || return 0
  say "  the 6 statements with the most time in PostgreSQL (calls per $2, mean ms, ms per $2; row-lock waits included):"
  psql "$pg_url" -XtA -F $'\t' -c "SELECT round(calls::numeric / $1, 1), round(mean_exec_time::numeric, 3),
        round((total_exec_time / $1)::numeric, 2), left(regexp_replace(query, '\s+', ' ', 'g'), 90)
        FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat%' ORDER BY total_exec_time DESC LIMIT 6" |
    awk -F'\t' '{ printf "    %5s  %7s  %6s  %s\n", $1, $2, $3, $4 }' | tee -a "$report"
}

# --- ordersvc's own /metrics: sum and count of its latency histograms, to split the time.
scrape() {   # NAME -> FILE
  local name=$1 out=$work/metrics-$1-$RANDOM
  # The first line keeps the file non-empty: metric_mean counts files by their first line.
  { echo "# scrape"
    curl -fsS "http://127.0.0.1:${svc_port[$name]}/metrics" |
      grep -E '^ordersvc_(http_request|plugins_call|plugins_http_request)_duration_seconds_(sum|count)\{' || true
  } >"$out"
  echo "$out"
}
# METRIC_BASE FILTER(regex on the labels) BEFORE AFTER [BEFORE AFTER ...] -> "mean_ms count"
metric_mean() {
  local base=$1 filter=$2; shift 2
  local files=("$@")
  awk -v base="$base" -v filter="$filter" '
    FNR == 1 { file++ }
    { split($0, kv, "} "); series = kv[1] "}"; value = kv[2]
      if (index(series, base "_sum{") == 1 && series ~ filter) { if (file % 2) s -= value; else s += value }
      if (index(series, base "_count{") == 1 && series ~ filter) { if (file % 2) c -= value; else c += value } }
    END { printf "%.3f %d\n", (c > 0 ? s * 1000 / c : 0), c }' "${files[@]}"
}
fake_stats() { curl -fsS "http://127.0.0.1:$fake_port/__stats"; }
fake_mean_us() {   # BEFORE AFTER -> mean handler time per request, µs
  awk -v a="$1" -v b="$2" 'BEGIN { split(a, x, /[ =]/); split(b, y, /[ =]/); n = y[2] - x[2]
                                   printf "%.0f", (n > 0 ? (y[6] - x[6]) / n / 1000 : 0) }'
}

# --- PostgreSQL.
own_pg=1
"$servers" start-pg "$work/pg" >/dev/null
echo "shared_preload_libraries = 'pg_stat_statements'" >>"$work/pg/data/postgresql.conf"
pg_url=$("$servers" restart-pg "$work/pg")
psql "$pg_url" -XqAc 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements' >/dev/null 2>&1 || true
have_pgss=$(psql "$pg_url" -XtAc 'SELECT 1 FROM pg_stat_statements LIMIT 1' >/dev/null 2>&1 && echo 1 || echo "")
pg_settings=$(psql "$pg_url" -XtAc "SELECT string_agg(name || '=' || setting, ' ' ORDER BY name) FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'shared_buffers', 'max_connections')")

# --- The fake Stripe (its own process, so its CPU is its own).
mkdir -p "$work/fake"
"$generator" fake-stripe --port-file="$work/fake/port" --secret-key="$secret_key" --capture-file="$work/fake/sale.http" \
  >"$work/fake/out.log" 2>&1 &
fake_pid=$!
for ((i = 0; i < 100; i++)); do [[ -s $work/fake/port ]] && break; sleep 0.05; done
[[ -s $work/fake/port ]] || die "the fake Stripe did not start: $(cat "$work/fake/out.log")"
fake_port=$(<"$work/fake/port")

# --- ordersvc: A serves everything, B joins for the webhooks. Same database, same DATA_DIR
# (JWT secret and master key: B must open what A sealed).
start_svc() {   # NAME
  local name=$1 dir=$work/svc-$1 i
  mkdir -p "$dir"
  (cd "$dir" && DATA_DIR="$work/data" DATABASE_URL="$pg_url" BOOTSTRAP_FILE="$root/config/bootstrap.json" \
     HTTP_PORT=0 GRPC_PORT=0 HTTP_BIND_ADDRESS=127.0.0.1 GRPC_BIND_ADDRESS=127.0.0.1 LOG_LEVEL=warn \
     JOBS_INTERVAL_SECONDS=0 RATE_LIMIT_CLIENT_PER_MINUTE=0 RATE_LIMIT_ORG_PER_MINUTE=0 HTTP_MAX_THREADS="$http_threads" \
     DATABASE_POOL_SIZE="$pool_size" DATABASE_MAX_OVERFLOW="$pool_overflow" \
     exec "$binary" --ready-file="$dir/ready.json" >"$dir/ordersvc.log" 2>&1) &
  svc_pid[$name]=$!
  for ((i = 0; i < 600; i++)); do
    [[ -s $dir/ready.json ]] && break
    kill -0 "${svc_pid[$name]}" 2>/dev/null || die "ordersvc $name exited during start-up: $(tail -5 "$dir/ordersvc.log")"
    sleep 0.05
  done
  [[ -s $dir/ready.json ]] || die "ordersvc $name not ready after 30 s"
  svc_port[$name]=$(sed -E 's/.*"http_port":([0-9]+).*/\1/' "$dir/ready.json")
}
svc_alive() {   # NAME: dies loudly when that process is gone
  kill -0 "${svc_pid[$1]}" 2>/dev/null && return 0
  say "!! ordersvc $1 exited during the last phase; end of its log:"
  tail -n 15 "$work/svc-$1/ordersvc.log" | sed 's/^/   | /' | tee -a "$report"
  exit 1
}
start_svc a
base=http://127.0.0.1:${svc_port[a]}
token() { (cd "$work" && DATA_DIR="$work/data" "$binary" --issue-token="$1"); }
api() {   # TOKEN METHOD PATH BODY
  curl -fsS -o "$work/last-answer.json" -w '%{http_code}' -X "$2" -H "Authorization: Bearer $1" -H 'Content-Type: application/json' \
    -d "$4" "$base$3" >/dev/null || die "$2 $3 failed: $(cat "$work/last-answer.json" 2>/dev/null)"
}

manager=$(token order.manager@demo)
for row in v_tee_m/santiago v_tee_l/santiago v_mug/santiago v_mug/valparaiso v_coffee/santiago; do
  api "$manager" PUT "/api/v1/admin/stock/$row" '{"on_hand": 1000000000}'
done
# One load generator is one address: velocity rules would hold its payments for review.
api "$manager" PUT /api/v1/fraud-rules '{"version": 0, "rules": {"enabled": false}}'
# The stripe plugin for demo, pointed at the fake (base_url_override: platform admins only).
api "$(token order.admin)" PUT /api/v1/organizations/demo/plugins/stripe \
  "{\"plugin_id\":\"stripe\",\"version_range\":\"^1\",\"enabled\":true,\"config\":{\"secret_key\":\"$secret_key\",\"webhook_secret\":\"$webhook_secret\"},\"base_url_override\":\"http://127.0.0.1:$fake_port\"}"
start_svc b   # after the binding, so it loads it at start

commit=$(git -C "$root" rev-parse --short HEAD)
git -C "$root" diff --quiet HEAD -- host plugins bench 2>/dev/null || commit+=" (with uncommitted changes)"
say "payment benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $commit"
say "machine: nproc $(nproc), $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), load average before $(loadavg)"
say "ordersvc: RelWithDebInfo, LOG_LEVEL=warn, HTTP_MAX_THREADS=$http_threads, DATABASE_POOL_SIZE=$pool_size," \
    "DATABASE_MAX_OVERFLOW=$pool_overflow, JOBS_INTERVAL_SECONDS=0, rate limits off, fraud rules off (one load generator is one client)"
say "PostgreSQL 15 (private, servers.sh) $pg_settings"
say "Stripe: the stripe plugin (1.x, bundled) bound to demo with base_url_override to a fake Stripe on loopback" \
    "(bench/payment_bench.cpp fake-stripe: Poco HTTPServer, intents in memory, its own process)"
say ""

# --- Orders, placed before anything is measured.
say "== orders placed beforehand (not measured; guest cart, one item, variants in turn, checkout as a customer)"
n_pay=$((pay_orders * ${#pay_concurrencies[@]} + 1))
out=$("$generator" place --port="${svc_port[a]}" --jwt-secret-file="$work/data/jwt.secret" --count="$n_pay" \
        --concurrency="$place_concurrency" --orders-file="$work/pay-orders.txt") || { say "$out"; die "placing orders failed"; }
say "  card payments: $(head -1 <<<"$out")"
n_sessions=$((webhook_events * ${#webhook_concurrencies[@]}))
out=$("$generator" place --port="${svc_port[a]}" --jwt-secret-file="$work/data/jwt.secret" --count="$n_sessions" \
        --concurrency="$place_concurrency" --session --orders-file="$work/session-orders.txt") || { say "$out"; die "placing orders failed"; }
say "  webhooks: $(head -1 <<<"$out")"
# The first card payment runs the whole path once (and the fake records the plugin's
# request for (a)); it must confirm its order.
head -1 "$work/pay-orders.txt" >"$work/prime.txt"
out=$("$generator" pay --port="${svc_port[a]}" --orders-file="$work/prime.txt" --concurrency=1 --warmup=0)
[[ $(result "$out" confirmed) == 1 ]] || { say "$out"; die "a card payment through ordersvc did not confirm its order"; }
[[ -s $work/fake/sale.http ]] || die "the fake Stripe saw no sale"
say "  the plugin's sale, as the fake received it (replayed in (a); the key masked here):"
sed -E 's/(Bearer sk_test_)[A-Za-z0-9]+/\1.../' "$work/fake/sale.http" | sed 's/^/    | /' | tee -a "$report"
echo | tee -a "$report"

# --- 1. Host overhead.
say "== 1. Host overhead on the payment path"
declare -A direct_p50 direct_p90 direct_p99 direct_mean pay_p50 pay_p90 pay_p99 pay_mean
run_direct() {   # LABEL PORT CONCURRENCY CONNECTION
  local out; cpu_start
  out=$("$generator" direct --label="$1" --port="$2" --capture-file="$work/fake/sale.http" --concurrency="$3" \
          --connection="$4" --duration="$direct_seconds" --warmup=1)
  grep -v '^RESULT' <<<"$out" | tee -a "$report"
  cpu_report "$(result "$out" client_cpu_s)"
  say "  CPU: $cpu_line"
  last_direct=$out
}
say "-- (a) the fake Stripe alone: the plugin's POST /v1/payment_intents replayed, ${direct_seconds} s per run after 1 s warm-up"
for c in "${pay_concurrencies[@]}"; do
  s0=$(fake_stats)
  run_direct "fake Stripe" "$fake_port" "$c" fresh
  s1=$(fake_stats)
  direct_p50[$c]=$(result "$last_direct" lat_p50_ms); direct_p90[$c]=$(result "$last_direct" lat_p90_ms)
  direct_p99[$c]=$(result "$last_direct" lat_p99_ms); direct_mean[$c]=$(result "$last_direct" lat_mean_ms)
  say "  inside the fake's handler: $(fake_mean_us "$s0" "$s1") µs per request (mean)"
  run_direct "fake Stripe" "$fake_port" "$c" keep-alive
  say ""
done

say "-- (b) through ordersvc: POST /api/v1/orders/{id}/payments, stripe + pm_card_visa, $pay_orders payments per run" \
    "(first $pay_warmup not measured), one keep-alive connection and customer token per client"
offset=2
for c in "${pay_concurrencies[@]}"; do
  sed -n "${offset},$((offset + pay_orders - 1))p" "$work/pay-orders.txt" >"$work/pay-$c.txt"
  offset=$((offset + pay_orders))
  m0=$(scrape a); s0=$(fake_stats); pgss_reset; cpu_start
  out=$("$generator" pay --port="${svc_port[a]}" --orders-file="$work/pay-$c.txt" --concurrency="$c" --warmup="$pay_warmup")
  cpu_report "$(result "$out" client_cpu_s)"
  m1=$(scrape a); s1=$(fake_stats); stmts=$(pgss_calls)
  svc_alive a
  grep -v '^RESULT' <<<"$out" | tee -a "$report"
  n=$(result "$out" confirmed); ((n > 0)) || n=1
  say "  CPU: $cpu_line"
  say "  per payment: CPU $(per_item_cpu "$n"); $(per_item_sql "$stmts" "$n")"
  read -r route_ms route_n < <(metric_mean ordersvc_http_request_duration_seconds 'route="/api/v1/orders/.order_id./payments".*status="201"' "$m0" "$m1")
  read -r call_ms call_n < <(metric_mean ordersvc_plugins_call_duration_seconds 'operation="payment.sale"' "$m0" "$m1")
  read -r http_ms http_n < <(metric_mean ordersvc_plugins_http_request_duration_seconds 'plugin="stripe"' "$m0" "$m1")
  client_mean=$(result "$out" lat_mean_ms)
  say "  where the time goes (ms; the client's mean over the measured payments, ordersvc's /metrics over all $route_n):" \
      "client sees $client_mean; ordersvc's handler $route_ms;" \
      "of which the plugin call payment.sale $call_ms ($call_n); of which the plugin's HTTP request (connect, send, answer) $http_ms ($http_n);" \
      "of which the fake's handler $(calc %.3f "$(fake_mean_us "$s0" "$s1") / 1000")"
  pgss_top "$n" payment
  pay_p50[$c]=$(result "$out" lat_p50_ms); pay_p90[$c]=$(result "$out" lat_p90_ms)
  pay_p99[$c]=$(result "$out" lat_p99_ms); pay_mean[$c]=$client_mean
  say ""
done

say "-- overhead of the host per payment: (b) through ordersvc - (a) the fake alone (fresh connection per request), ms"
say "   $(printf '%-12s %-5s %9s %9s %9s %7s' concurrency "" "(a) fake" "(b) svc" "b - a" "b / a")"
for c in "${pay_concurrencies[@]}"; do
  for pct in p50 p90 p99 mean; do
    case $pct in
      p50) a=${direct_p50[$c]} b=${pay_p50[$c]} ;;
      p90) a=${direct_p90[$c]} b=${pay_p90[$c]} ;;
      p99) a=${direct_p99[$c]} b=${pay_p99[$c]} ;;
      mean) a=${direct_mean[$c]} b=${pay_mean[$c]} ;;
    esac
    say "   $(printf '%-12s %-5s %9.3f %9.3f %9.3f %7.1f' "$c" "$pct" "$a" "$b" "$(calc %.3f "$b - $a")" "$(calc %.3f "$b / $a")")"
  done
done
say ""

if [[ -z ${SKIP_PRISM:-} && -x $prism && -f $prism_spec ]] && command -v node >/dev/null; then
  prism_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  DO_NOT_TRACK=1 SCARF_ANALYTICS=false "$prism" mock -h 127.0.0.1 -p "$prism_port" "$prism_spec" >"$work/prism.log" 2>&1 &
  prism_pid=$!
  for ((i = 0; i < 600; i++)); do grep -q 'Prism is listening' "$work/prism.log" && break; sleep 0.1; done
  if grep -q 'Prism is listening' "$work/prism.log"; then
    say "-- (a) again against Prism $("$prism" --version 2>/dev/null) serving Stripe's published document" \
        "($(basename "$prism_spec")): the mock generated from the spec, for scale"
    for c in "${pay_concurrencies[@]}"; do
      run_direct "Prism" "$prism_port" "$c" fresh
      say "  vs (b) through ordersvc on the fake: p50 $(calc %.3f "${pay_p50[$c]}") ms; ratio Prism p50 / (b) p50 $(calc %.2f "$(result "$last_direct" lat_p50_ms) / ${pay_p50[$c]}")"
    done
    violations=$(grep -c -i 'violation' "$work/prism.log" || true)
    say "  Prism log lines naming a violation: $violations"
    say ""
  else
    say "-- Prism did not start; skipped ($(tail -2 "$work/prism.log" | tr '\n' ' '))"; say ""
  fi
  stop_pid "$prism_pid"; prism_pid=""
else
  say "-- Prism: not run (SKIP_PRISM, or no $prism / $prism_spec)"; say ""
fi

# --- 2. Webhooks exactly once.
say "== 2. Stripe webhooks exactly once: each order's signed payment_intent.succeeded delivered twice, both copies" \
    "at once (adjacent in the queue) to the two processes (A first for even events, B for odd), $webhook_events events" \
    "per run, fresh orders per run; a delivery answered other than 200 is retried (as Stripe would)"
violations=0
offset=1
total_events=0
declare -A wh_rate wh_p50 wh_p99
for c in "${webhook_concurrencies[@]}"; do
  sed -n "${offset},$((offset + webhook_events - 1))p" "$work/session-orders.txt" >"$work/sessions-$c.txt"
  offset=$((offset + webhook_events))
  ma0=$(scrape a); mb0=$(scrape b); pgss_reset; cpu_start
  out=$("$generator" webhooks --ports="${svc_port[a]},${svc_port[b]}" --orders-file="$work/sessions-$c.txt" \
          --concurrency="$c" --webhook-secret="$webhook_secret" --tag="c${c}_$stamp" --events-file="$work/events-$c.txt")
  cpu_report "$(result "$out" client_cpu_s)"
  ma1=$(scrape a); mb1=$(scrape b); stmts=$(pgss_calls)
  svc_alive a; svc_alive b
  grep -v '^RESULT' <<<"$out" | tee -a "$report"
  n=$(result "$out" events)
  total_events=$((total_events + n))
  say "  CPU: $cpu_line"
  say "  per event (2 deliveries): CPU $(per_item_cpu "$n"); $(per_item_sql "$stmts" "$n")"
  read -r route_ms route_n < <(metric_mean ordersvc_http_request_duration_seconds 'route="/api/v1/webhooks/' "$ma0" "$ma1" "$mb0" "$mb1")
  read -r call_ms call_n < <(metric_mean ordersvc_plugins_call_duration_seconds 'operation="payment.webhook_verify_and_parse"' "$ma0" "$ma1" "$mb0" "$mb1")
  say "  where the time goes (means over both processes, ms): client sees $(result "$out" lat_mean_ms);" \
      "ordersvc's handler $route_ms ($route_n deliveries), of which the plugin's verify_and_parse $call_ms ($call_n)"
  pgss_top "$n" event
  wh_rate[$c]=$(result "$out" events_per_s); wh_p50[$c]=$(result "$out" lat_p50_ms); wh_p99[$c]=$(result "$out" lat_p99_ms)

  # The check, in SQL, for this run's events, orders and payments.
  counts=$(psql "$pg_url" -X -v ON_ERROR_STOP=1 -qtA -F ' ' <<SQL
CREATE TEMP TABLE run_events (event_id text PRIMARY KEY, order_id text NOT NULL, payment_id text NOT NULL);
\copy run_events FROM '$work/events-$c.txt' WITH (FORMAT text, DELIMITER ' ')
CREATE TEMP TABLE run_outbox AS
  SELECT o.event_type, o.data::json->>'order_id' AS order_id FROM outbox_events o
  WHERE o.event_type IN ('payment.succeeded', 'order.confirmed')
    AND o.data::json->>'order_id' IN (SELECT order_id FROM run_events);
SELECT 'counts', (SELECT count(*) FROM run_events),
       (SELECT count(*) FROM webhook_inbox w JOIN run_events e USING (event_id) WHERE w.instance_id = 'stripe'),
       (SELECT count(*) FROM run_outbox WHERE event_type = 'payment.succeeded'),
       (SELECT count(DISTINCT order_id) FROM run_outbox WHERE event_type = 'payment.succeeded'),
       (SELECT count(*) FROM run_outbox WHERE event_type = 'order.confirmed'),
       (SELECT count(*) FROM orders o JOIN run_events e ON o.id = e.order_id WHERE o.status = 'confirmed'),
       (SELECT count(*) FROM payments p JOIN run_events e ON p.id = e.payment_id WHERE p.status = 'captured'),
       (SELECT count(*) FROM order_timeline t JOIN run_events e USING (order_id) WHERE t.action = 'payment_succeeded');
SQL
  ) || die "the SQL check failed to run"
  read -r _ events inbox succeeded succeeded_orders confirmed_events confirmed_orders captured timeline < <(grep '^counts ' <<<"$counts")
  check() {   # LABEL VALUE
    if [[ $2 == "$n" ]]; then say "    ok   $1: $2"; else say "    FAIL $1: $2, expected $n"; violations=$((violations + 1)); fi
  }
  say "  exactly once, by SQL after the run ($n events):"
  check "events of the run (loaded from the generator's list)" "$events"
  check "webhook_inbox rows for the run's events" "$inbox"
  check "outbox payment.succeeded for the run's orders" "$succeeded"
  check "  ... of distinct orders" "$succeeded_orders"
  check "outbox order.confirmed for the run's orders" "$confirmed_events"
  check "orders in status confirmed" "$confirmed_orders"
  check "payments in status captured" "$captured"
  check "timeline entries payment_succeeded" "$timeline"
  check "deliveries answered as applied (not duplicate)" "$(result "$out" applied)"
  check "deliveries answered X-Webhook-Duplicate: true" "$(result "$out" duplicates)"
  say ""
done
inbox_total=$(psql "$pg_url" -XtAc "SELECT count(*) FROM webhook_inbox")
say "  webhook_inbox holds $inbox_total rows after all runs (events sent: $total_events)"
[[ $inbox_total == "$total_events" ]] || { say "    FAIL webhook_inbox total"; violations=$((violations + 1)); }
say ""

say "== the services' logs (warn and above)"
for name in a b; do
  log=$work/svc-$name/ordersvc.log
  say "  ordersvc $name: $(grep -c -E '\b(WARN|ERROR|warn|error)\b' "$log" || true) lines at warn or above"
  grep -E '\b(WARN|ERROR|warn|error)\b' "$log" | sed -E 's/^[^ ]+ //; s/request_id=[^ ]+//; s/[0-9a-f-]{36}//g' | cut -c1-150 |
    sort | uniq -c | sort -rn | head -5 | sed 's/^/    /' | tee -a "$report" || true
done
say ""
say "load average after $(loadavg)"
mkdir -p "$(dirname "$results_file")"
cp "$report" "$results_file"
echo "report written to $results_file"
if ((violations > 0)); then
  echo "payments.sh: EXACTLY-ONCE CHECK FAILED ($violations checks); see $results_file" >&2
  exit 1
fi
