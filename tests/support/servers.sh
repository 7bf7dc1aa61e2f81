#!/usr/bin/env bash
# Private PostgreSQL 15 / Redis / RabbitMQ instances on 127.0.0.1 for the ordersvc tests.
#
#   servers.sh start-all STATE_DIR   start all three afresh, write STATE_DIR/env (export lines)
#   servers.sh stop-all  STATE_DIR   stop whatever start-all started there; always exits 0
#   servers.sh start-pg DIR          standalone cluster in DIR; prints its URL, nothing else
#   servers.sh stop-pg DIR           fast shutdown, data and port are kept for a later start-pg
#   servers.sh restart-pg DIR        stop-pg + start-pg (prints the URL)
#   servers.sh start-rabbitmq DIR    standalone broker in DIR; prints its AMQP URL, nothing else.
#                                    Again after stop-rabbitmq: same ports, credentials and data
#                                    (durable exchanges, queues and persistent messages survive)
#   servers.sh stop-rabbitmq DIR     stops that broker (also the one start-all runs in
#                                    STATE_DIR/rabbitmq); ports and data are kept
#   servers.sh start-redis DIR       standalone Redis in DIR (again on the same port if DIR had
#                                    one; no-op if it runs); prints its URL, nothing else
#   servers.sh stop-redis DIR        shutdown without saving; the port is kept for start-redis
#
# Every file a server writes lives under STATE_DIR / DIR. Runs as root, without systemd.
set -euo pipefail
shopt -s inherit_errexit   # so failures inside $(...) abort, too

PG_BIN=/usr/lib/postgresql/15/bin
RMQ_BIN=/usr/lib/rabbitmq/bin
SELF=$(readlink -f "${BASH_SOURCE[0]}")
# Lock + reservation list shared by every concurrent run on this machine.
PORT_FILE=/tmp/ordersvc-test-ports

log() { echo "servers.sh: $*" >&2; }
die() { log "$*"; exit 1; }
tail_log() { log "---- tail of $1 ----"; tail -n 40 "$1" >&2 2>/dev/null || true; }
as_pg() { runuser -u postgres -- "$@"; }
# ps, not kill -0: a zombie that init has not reaped yet counts as gone.
alive() { local st; st=$(ps -o stat= -p "${1:-x}" 2>/dev/null) && [[ $st != Z* ]]; }

# Prints a free loopback port. Ports come from below the kernel's ephemeral range so an
# outgoing connection cannot grab one between now and the server's bind, and each pick is
# recorded for 10 minutes under a lock so parallel runs never hand out the same port.
pick_port() {
  local lo=20000 hi=45000 eph now p i live
  read -r eph _ </proc/sys/net/ipv4/ip_local_port_range
  if (( eph > lo + 1000 && eph <= hi )); then hi=$((eph - 1)); fi
  exec 9<>"$PORT_FILE"
  flock -w 60 9 || die "cannot lock $PORT_FILE"
  now=$(date +%s)
  live=$(awk -v now="$now" 'NF == 2 && $2 > now - 600' "$PORT_FILE")
  for ((i = 0; i < 500; i++)); do
    p=$((lo + (RANDOM * 32768 + RANDOM) % (hi - lo + 1)))
    awk -v p="$p" '$1 == p { found = 1 } END { exit !found }' <<<"$live" && continue
    [[ -z $(ss -Htan "sport = :$p") ]] || continue   # any state, TIME_WAIT included
    printf '%s\n%s %s\n' "$live" "$p" "$now" | sed '/^$/d' >"$PORT_FILE"
    echo "$p"
    return 0
  done
  die "no free port found in $lo-$hi"
}

# TERM a pid we recorded (only if it still is the expected program), KILL after 15 s.
kill_recorded() {
  local pid=$1 comm=$2 i
  alive "$pid" && [[ $(cat "/proc/$pid/comm" 2>/dev/null) == "$comm"* ]] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 150; i++)); do alive "$pid" || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

# ---------------------------------------------------------------- PostgreSQL
pg_start() {   # DIR -> prints URL
  local dir port sock i p="" part parts
  mkdir -p "$1"; dir=$(readlink -f "$1")
  # postgres must traverse every parent: mktemp -d makes 0700 root directories.
  IFS=/ read -ra parts <<<"${dir#/}"
  for part in "${parts[@]}"; do p+="/$part"; as_pg test -x "$p" || chmod o+x "$p"; done
  chown postgres:postgres "$dir"; chmod 755 "$dir"
  [[ -s $dir/port ]] || { port=$(pick_port); echo "$port" >"$dir/port"; }
  port=$(<"$dir/port")

  if [[ ! -f $dir/data/PG_VERSION ]]; then
    rm -rf "$dir/data"
    # ordersvc is the bootstrap superuser, so tests may create their own databases.
    install -o postgres -m 600 /dev/null "$dir/pwfile"
    echo ordersvc >"$dir/pwfile"
    if ! as_pg "$PG_BIN/initdb" -D "$dir/data" -U ordersvc --pwfile="$dir/pwfile" -E UTF8 \
        --locale=C.UTF-8 --auth-local=trust --auth-host=scram-sha-256 --no-sync \
        >"$dir/initdb.log" 2>&1; then
      tail_log "$dir/initdb.log"; rm -f "$dir/pwfile"; return 1
    fi
    rm -f "$dir/pwfile"
    # Unix socket paths are limited to 107 bytes; nothing here needs the socket anyway.
    sock=$dir; (( ${#dir} > 90 )) && sock=""
    # Settings live in the config (not pg_ctl -o) so any later pg_ctl start/restart keeps them.
    cat >>"$dir/data/postgresql.conf" <<EOF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$sock'
fsync = off
full_page_writes = off
synchronous_commit = off
max_connections = 200
EOF
  fi

  if ! as_pg "$PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1 &&
     ! as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 -s start >&2; then
    tail_log "$dir/postgres.log"; return 1
  fi
  local admin="postgresql://ordersvc:ordersvc@127.0.0.1:$port/postgres" has_db=""
  for ((i = 0; i < 100; i++)); do
    has_db=$(PGCONNECT_TIMEOUT=5 psql "$admin" -XtAc "select count(*) from pg_database where datname = 'ordersvc'" 2>/dev/null) && break
    sleep 0.1
  done
  [[ -n $has_db ]] || { log "PostgreSQL on port $port does not answer"; tail_log "$dir/postgres.log"; return 1; }
  [[ $has_db != 0 ]] || psql "$admin" -XqAc 'create database ordersvc owner ordersvc' >&2
  echo "postgresql://ordersvc:ordersvc@127.0.0.1:$port/ordersvc"
}

pg_stop() {   # DIR; tolerant
  local data="$1/data"
  [[ -f $data/postmaster.pid ]] || return 0
  as_pg "$PG_BIN/pg_ctl" -D "$data" -m fast -w -t 60 -s stop >&2 ||
    as_pg "$PG_BIN/pg_ctl" -D "$data" -m immediate -w -t 30 -s stop >&2 || true
}

# ---------------------------------------------------------------- Redis
redis_start() {   # DIR; reuses DIR/port when there is one (a restart)
  local d=$1 port i
  mkdir -p "$d"
  [[ -s $d/port ]] || { port=$(pick_port); echo "$port" >"$d/port"; }
  port=$(<"$d/port")
  alive "$(cat "$d/redis.pid" 2>/dev/null || true)" && return 0
  redis-server --port "$port" --bind 127.0.0.1 --daemonize yes --dir "$d" --pidfile "$d/redis.pid" \
    --save '' --appendonly no --logfile "$d/redis.log" >&2 || { tail_log "$d/redis.log"; return 1; }
  for ((i = 0; i < 100; i++)); do
    [[ $(redis-cli -p "$port" ping 2>/dev/null) == PONG ]] && return 0
    sleep 0.1
  done
  log "Redis on port $port does not answer"; tail_log "$d/redis.log"; return 1
}

redis_stop() {   # DIR; tolerant
  local d=$1 pid
  [[ -f $d/port ]] || return 0
  pid=$(cat "$d/redis.pid" 2>/dev/null || true)
  alive "$pid" || return 0
  redis-cli -p "$(<"$d/port")" shutdown nosave >/dev/null 2>&1 || true
  kill_recorded "$pid" redis-server
}

# ---------------------------------------------------------------- RabbitMQ
rport() { sed -n "s/^$2=//p" "$1/ports"; }

# The node's private environment; the CLI needs exactly the same as the server.
rmq_env() {
  local d=$1 node dist epmd
  node=$(rport "$d" NODE_PORT); dist=$(rport "$d" DIST_PORT); epmd=$(rport "$d" EPMD_PORT)
  export HOME="$d/home" RABBITMQ_NODENAME="ordersvc-test-$node@localhost" \
    RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$node" RABBITMQ_DIST_PORT="$dist" \
    ERL_EPMD_ADDRESS=127.0.0.1 ERL_EPMD_PORT="$epmd" RABBITMQ_MNESIA_BASE="$d/mnesia" \
    RABBITMQ_LOG_BASE="$d/log" RABBITMQ_PID_FILE="$d/rabbit.pid" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$d/enabled_plugins" \
    RABBITMQ_CONF_ENV_FILE="$d/rabbitmq-env.conf" RABBITMQ_CONFIG_FILE="$d/rabbitmq.conf" \
    RABBITMQ_ADVANCED_CONFIG_FILE="$d/advanced.config" ERL_CRASH_DUMP="$d/erl_crash.dump" \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
}
rmq() { local d=$1; shift; (rmq_env "$d"; exec "$@"); }

rmq_launch() {   # DIR; returns at once, rmq_wait finishes the job
  local d=$1 node dist epmd
  mkdir -p "$d/home" "$d/mnesia" "$d/log"
  # A relaunch in the same DIR keeps its ports (so clients reconnect to the same URL),
  # and with the node name (which holds the port) its mnesia data.
  if [[ ! -s $d/ports ]]; then
    node=$(pick_port); dist=$(pick_port); epmd=$(pick_port)
    printf 'NODE_PORT=%s\nDIST_PORT=%s\nEPMD_PORT=%s\n' "$node" "$dist" "$epmd" >"$d/ports"
  fi
  echo '[].' >"$d/enabled_plugins"
  : >"$d/rabbitmq-env.conf"   # keeps /etc/rabbitmq/rabbitmq-env.conf out of the picture
  # Low disk limit: a busy build disk must not make the broker block publishers mid-test.
  echo 'disk_free_limit.absolute = 1MB' >"$d/rabbitmq.conf"
  # Cookie written up front: server and CLI start together and would race to create it.
  if [[ ! -s $d/home/.erlang.cookie ]]; then
    (umask 077; head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$d/home/.erlang.cookie")
    chmod 400 "$d/home/.erlang.cookie"
  fi
  # Not via rmq(): its extra subshell would linger as the broker's parent. Here the
  # background subshell itself becomes the broker (setsid needs no fork: not a group leader).
  (rmq_env "$d"; cd "$d"; exec setsid "$RMQ_BIN/rabbitmq-server") >"$d/server.out" 2>&1 </dev/null &
  echo $! >"$d/launcher.pid"
}

rmq_wait() {   # DIR
  local d=$1 w port
  # Same no-extra-subshell trick, so that $w is the CLI's VM and killing it leaves nothing.
  (rmq_env "$d"; exec "$RMQ_BIN/rabbitmqctl" wait --timeout 120 "$d/rabbit.pid") >"$d/wait.log" 2>&1 &
  w=$!
  while alive "$w"; do
    # If the broker already died, don't sit out the whole 120 s timeout.
    alive "$(<"$d/launcher.pid")" || { kill "$w" 2>/dev/null || true; break; }
    sleep 0.3
  done
  if ! wait "$w"; then
    log "RabbitMQ did not start"; tail_log "$d/wait.log"; tail_log "$d/server.out"
    tail_log "$d/log/ordersvc-test-$(rport "$d" NODE_PORT)@localhost.log"
    return 1
  fi
  port=$(rport "$d" NODE_PORT)   # belt and braces: the AMQP listener really accepts
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { log "AMQP port $port refuses connections"; return 1; }
}

rmq_stop() {   # DIR; tolerant
  local d=$1 pid
  [[ -f $d/ports ]] || return 0
  pid=$(cat "$d/rabbit.pid" 2>/dev/null || true)
  # Only talk to the node while it runs: a CLI call would otherwise spawn a fresh epmd.
  if alive "$pid"; then
    rmq "$d" timeout 90 "$RMQ_BIN/rabbitmqctl" stop "$d/rabbit.pid" >>"$d/stop.log" 2>&1 || true
    kill_recorded "$pid" beam
  fi
  kill_recorded "$(cat "$d/launcher.pid" 2>/dev/null || true)" rabbitmq-server
  rmq "$d" epmd -kill >/dev/null 2>&1 || true
  # epmd daemonizes out of our process tree (and -kill refuses while any node is still
  # registered), so find it by its private port.
  for pid in $(ss -Hltnp "sport = :$(rport "$d" EPMD_PORT)" | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u); do
    kill_recorded "$pid" epmd
  done
}

rmq_url() { echo "amqp://guest:guest@127.0.0.1:$(rport "$1" NODE_PORT)/%2f"; }

rmq_start() {   # DIR -> prints URL; a broker already running there is left as it is
  local d
  mkdir -p "$1"; d=$(readlink -f "$1")
  if [[ -s $d/ports ]] && alive "$(cat "$d/rabbit.pid" 2>/dev/null || true)"; then
    rmq_url "$d"; return 0
  fi
  rmq_launch "$d"
  rmq_wait "$d" || { rmq_stop "$d"; return 1; }
  rmq_url "$d"
}

# ---------------------------------------------------------------- all
stop_all() {
  local s=$1
  rmq_stop "$s/rabbitmq" || true
  redis_stop "$s/redis" || true
  pg_stop "$s/pg" || true
}

start_all() {
  local s t0=$EPOCHREALTIME pg_url
  mkdir -p "$1"
  s=$(readlink -f "$1")
  chmod 755 "$s"
  # A reused STATE_DIR starts clean: leftovers of an earlier run are stopped and wiped.
  stop_all "$s"
  rm -rf "${s:?}/pg" "$s/redis" "$s/rabbitmq" "$s/env"
  STARTING=$s
  trap 'rc=$?; if ((rc != 0)); then log "start-all failed, stopping what was started"; stop_all "$STARTING"; fi' EXIT
  trap 'exit 130' INT TERM
  # The broker boots slowest (seconds), so it starts first and the others come up meanwhile.
  rmq_launch "$s/rabbitmq"
  pg_url=$(pg_start "$s/pg")
  redis_start "$s/redis"
  rmq_wait "$s/rabbitmq"
  local amqp redis
  amqp=$(rport "$s/rabbitmq" NODE_PORT); redis=$(<"$s/redis/port")
  cat >"$s/env" <<EOF
export ORDERSVC_TEST_PG_URL='$pg_url'
export ORDERSVC_TEST_PG_ADMIN_URL='${pg_url%/ordersvc}/postgres'
export ORDERSVC_TEST_REDIS_URL='redis://127.0.0.1:$redis'
export ORDERSVC_TEST_AMQP_URL='$(rmq_url "$s/rabbitmq")'
export ORDERSVC_TEST_SERVERS_SCRIPT='$SELF'
EOF
  log "ready in $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s:" \
    "pg $(<"$s/pg/port") redis $redis amqp $amqp"
  trap - EXIT INT TERM
}

usage() { die "usage: $0 {start-all|stop-all|start-pg|stop-pg|restart-pg|start-rabbitmq|stop-rabbitmq|start-redis|stop-redis} DIR"; }
(( $# == 2 )) || usage
case $1 in
  start-all) start_all "$2" ;;
  stop-all) stop_all "$2"; exit 0 ;;
  start-pg) pg_start "$2" ;;
  stop-pg) pg_stop "$2" ;;
  restart-pg) pg_stop "$2"; pg_start "$2" ;;
  start-rabbitmq) rmq_start "$2" ;;
  stop-rabbitmq) rmq_stop "$(readlink -f "$2")" ;;
  start-redis) redis_start "$2"; echo "redis://127.0.0.1:$(<"$2/port")" ;;
  stop-redis) redis_stop "$2" ;;
  *) usage ;;
esac
