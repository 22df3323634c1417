#!/usr/bin/env bash
# h2mux benchmarks side by side with Jetty 12, Netty 4.2, Netty 4.1, nghttpd and h2o. One command:
#
#   h2-interop-tests/bench/run.sh [--rounds N] [--quick] [--only server|client|jmh] [--jmh]
#                                 [--out DIR] [--rebuild] [--no-build]
#
#   --rounds N   measured rounds (default 5, as issue 14 judges its targets); scenarios run
#                interleaved: every peer runs scenario A, then every peer B, ...; then again
#   --quick      tiny counts and 1 round: a smoke of the whole harness (about 1 min once built);
#                writes to a temporary directory unless --out is given
#   --only X     run only the server side (h2load against servers), the client side (Java
#                clients against nghttpd and h2mux) or the JMH microbenchmarks
#   --jmh        also run the JMH microbenchmarks (docs/bench/jmh.csv)
#   --out DIR    where results go (default docs/bench, or a temporary directory with --quick)
#   --rebuild    build everything even if the jars look up to date; --no-build: never build
#
# Environment: JVM_OPTS (flags for every server JVM, default none), H2LOAD_THREADS (default 1).
# Servers listen on 127.0.0.1 only, on ports picked at run time; each is killed by its PID.
# See docs/BENCHMARKS.md for what each scenario measures; report.py prints the issue-14 targets.
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=scenarios.sh
. "$here/scenarios.sh"

rounds=5 quick=0 only=all jmh=0 out="" build=auto
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --quick) quick=1; shift ;;
    --only) only="$2"; shift 2 ;;
    --jmh) jmh=1; shift ;;
    --out) out="$2"; shift 2 ;;
    --rebuild) build=always; shift ;;
    --no-build) build=never; shift ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$only" in all|server|client|jmh) ;; *) echo "run.sh: --only server|client|jmh" >&2; exit 2 ;; esac
[ "$only" = jmh ] && jmh=1
[ "$quick" = 1 ] && rounds=1

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
t_start=$(date +%s)

# ---------------------------------------------------------------------------------------------
# Counts. Full runs take scenario_count (scenarios.sh); --quick shrinks everything to a smoke.
if [ "$quick" = 1 ]; then
  IDLE_N=200 WARM_SCALE=0 CLIENT_REQ=2000 CLIENT_DL=$((16 * 1024 * 1024))
else
  IDLE_N=5000 WARM_SCALE=1 CLIENT_REQ=100000 CLIENT_DL=$((1024 * 1024 * 1024))
fi
requests_of() { # $1 scenario: its request count in this run
  if [ "$quick" = 1 ]; then
    case "$1" in s3_*) echo 40 ;; s4_*|s7_*) echo 1000 ;; s8_*) echo 2000 ;; *) echo 5000 ;; esac
  else
    scenario_count "$1"
  fi
}
H2LOAD_THREADS="${H2LOAD_THREADS:-1}"
JVM_OPTS="${JVM_OPTS:-}"

if [ -z "$out" ]; then
  if [ "$quick" = 1 ]; then out="$(mktemp -d /tmp/h2mux-bench-quick.XXXXXX)"; else out="$root/docs/bench"; fi
fi
mkdir -p "$out"
out="$(cd "$out" && pwd)"

# ---------------------------------------------------------------------------------------------
# JDK >= 21 (the same search as .ci/run), raised file limit, tools.
JAVA_HOME="$("$root/.ci/find-jdk")" || exit 1
export JAVA_HOME
java="$JAVA_HOME/bin/java"
hard=$(ulimit -Hn)
if [ "$hard" = unlimited ] || [ "$hard" -gt 65536 ]; then ulimit -n 65536; else ulimit -n "$hard"; fi
if [ "$(ulimit -n)" -lt $((IDLE_N * 2 + 1000)) ]; then
  log "warning: ulimit -n is $(ulimit -n); $IDLE_N idle connections may not fit"
fi

apt_updated=0
need_tool() { # $1 command, $2 Debian package
  command -v "$1" >/dev/null 2>&1 && return 0
  local sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  if [ "$apt_updated" = 0 ]; then $sudo_cmd apt-get update -qq >/dev/null 2>&1; apt_updated=1; fi
  if apt-cache policy "$2" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    log "installing $2 (for $1)"
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "$2" >/dev/null 2>&1 \
      || log "could not install $2"
  else
    log "$2 is not in this machine's Debian archive: continuing without $1"
  fi
  command -v "$1" >/dev/null 2>&1
}
have_h2load=0 have_nghttpd=0 have_h2o=0 have_wrk=0 have_curl=0 have_h2o_mruby=0
need_tool h2load nghttp2-client && have_h2load=1
need_tool nghttpd nghttp2-server && have_nghttpd=1
need_tool h2o h2o && have_h2o=1
need_tool wrk wrk && have_wrk=1
need_tool curl curl && have_curl=1
# h2o's file handler answers POST with 405; its echo needs mruby (Debian's h2o has it; a build
# without it gets no echo rows rather than a comparison with its 405 answers).
[ "$have_h2o" = 1 ] && h2o -v 2>&1 | grep -qi '^mruby: *yes' && have_h2o_mruby=1
if [ "$only" != jmh ] && [ "$only" != client ] && [ "$have_h2load" = 0 ]; then
  log "h2load is required for the server scenarios"; exit 1
fi

# ---------------------------------------------------------------------------------------------
# Builds: the demo server and client (root reactor, installed into the local Maven repo), then
# the benchmark-only projects, which are not modules of the root reactor.
server_jar="$root/h2-server/target/h2-server.jar"
peers_dir="$here/peers"
peers_jar="$peers_dir/target/h2mux-bench-peers.jar"
netty41_dir="$here/peers-netty41"
netty41_jar="$netty41_dir/target/h2mux-bench-netty41.jar"
jmh_dir="$here/jmh"
jmh_jar="$jmh_dir/target/h2mux-jmh.jar"
client_jar_m2="$HOME/.m2/repository/dev/h2mux/h2-client/0.1.0-SNAPSHOT/h2-client-0.1.0-SNAPSHOT.jar"

stale() { # $1 artifact, $2... source dirs/files: true if the artifact is missing or older
  local artifact="$1"; shift
  [ -f "$artifact" ] || return 0
  [ -n "$(find "$@" -newer "$artifact" -type f 2>/dev/null | head -1)" ]
}
mvn_q() { # quiet Maven; drops the JDK's Unsafe warnings and the blank colour-reset lines
  mvn -q -B -Dstyle.color=never "$@" 2>&1 | sed 's/\x1b\[[0-9;]*m//g' | grep -v -E 'WARNING: |^[[:space:]]*$'
  return "${PIPESTATUS[0]}"
}

if [ "$build" != never ]; then
  root_srcs=("$root/pom.xml" "$root"/h2-core/src/main "$root"/h2-core/pom.xml "$root"/h2-server/src/main "$root"/h2-server/pom.xml)
  [ -d "$root/h2-client/src/main" ] && root_srcs+=("$root/h2-client/src/main" "$root/h2-client/pom.xml")
  if [ "$build" = always ] || stale "$server_jar" "${root_srcs[@]}" || { [ -d "$root/h2-client/src/main" ] && stale "$client_jar_m2" "${root_srcs[@]}"; }; then
    log "building h2mux (mvn install -DskipTests at the root)"
    (cd "$root" && mvn_q install -DskipTests) || { log "root build failed"; exit 1; }
  fi
  if [ "$only" != jmh ] && { [ "$build" = always ] || stale "$peers_jar" "$peers_dir/pom.xml" "$peers_dir/src" "$server_jar"; }; then
    log "building the benchmark peers"
    # clean: the shade plugin otherwise re-shades its own previous output, whose stale
    # h2mux classes win over the freshly installed ones
    mvn_q -f "$peers_dir/pom.xml" clean package || { log "peers build failed"; exit 1; }
  fi
  if [ "$only" != jmh ] && { [ "$build" = always ] || stale "$netty41_jar" "$netty41_dir/pom.xml" "$netty41_dir/src" "$peers_dir/src/shared"; }; then
    log "building the Netty 4.1 peer"
    mvn_q -f "$netty41_dir/pom.xml" clean package || { log "Netty 4.1 peer build failed"; exit 1; }
  fi
  if [ "$jmh" = 1 ] && { [ "$build" = always ] || stale "$jmh_jar" "$jmh_dir/pom.xml" "$jmh_dir/src" "$server_jar"; }; then
    log "building the JMH benchmarks"
    mvn_q -f "$jmh_dir/pom.xml" clean package || { log "jmh build failed"; exit 1; }
  fi
fi
[ -f "$server_jar" ] || { log "missing $server_jar"; exit 1; }
[ "$only" = jmh ] || [ -f "$peers_jar" ] || { log "missing $peers_jar"; exit 1; }
have_netty41=1
[ -f "$netty41_jar" ] || { [ "$only" = jmh ] || log "missing $netty41_jar: no netty41 column"; have_netty41=0; }

# ---------------------------------------------------------------------------------------------
# Work area, clean-up, results.
work="$(mktemp -d /tmp/h2mux-bench.XXXXXX)"
chmod 755 "$work" # h2o drops privileges to nobody and must read the docroot
declare -A PID PORT
started_pids=()
cleanup() {
  local p
  for p in "${started_pids[@]}"; do
    kill "$p" 2>/dev/null && log "stopped pid $p"
  done
  sleep 0.3
  for p in "${started_pids[@]}"; do kill -9 "$p" 2>/dev/null; done
  [ -n "${KEEP_WORK:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

results="$work/results.csv"
echo "scenario,peer,round,value,unit" > "$results"
record() { echo "$1,$2,$3,$4,$5" >> "$results"; }

# The docroot the native servers serve: / is 12 bytes, /bytes/N are files of N bytes.
docroot="$work/docroot"
mkdir -p "$docroot/bytes"
printf 'hello h2mux\n' > "$docroot/index.html"
head -c 1048576 /dev/zero | tr '\0' 'x' > "$docroot/bytes/1048576"
for n in $((64 * 1024 * 1024)) "$CLIENT_DL"; do
  [ -f "$docroot/bytes/$n" ] || truncate -s "$n" "$docroot/bytes/$n" # sparse: served from page cache
  # Read once now: the first read of a fresh file fills the page cache, and whichever client
  # downloaded first from nghttpd paid for it (~0.4 GB/s, against 1-2 GB/s for every later one).
  cat "$docroot/bytes/$n" > /dev/null
done
post_body="$work/post-16k.bin"
head -c 16384 /dev/urandom > "$post_body"
chmod -R a+rX "$docroot"
cp "$here/h2o-echo.rb" "$work/h2o-echo.rb" && chmod a+r "$work/h2o-echo.rb"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Waits until PID itself listens on PORT (so we never measure someone else's server).
wait_listening() { # $1 pid $2 port
  local i
  for i in $(seq 1 100); do
    kill -0 "$1" 2>/dev/null || return 1
    ss -Hltnp "sport = :$2" 2>/dev/null | grep -q "pid=$1," && return 0
    sleep 0.1
  done
  return 1
}

# Starts server $1 under the key $2 (default: $1); sets PID[key] and PORT[key].
start_server() {
  local name="$1" key="${2:-$1}" port="" pid i lpid=""
  local logf="$work/${key}.log"
  case "$name" in
    h2mux)
      # shellcheck disable=SC2086
      "$java" $JVM_OPTS -jar "$server_jar" --port 0 > "$logf" 2>&1 &
      pid=$!
      for i in $(seq 1 150); do
        port=$(sed -n 's#.*listening on http://127\.0\.0\.1:\([0-9]*\).*#\1#p' "$logf" | head -1)
        [ -n "$port" ] && break; kill -0 "$pid" 2>/dev/null || break; sleep 0.1
      done ;;
    jetty|netty|netty41)
      # shellcheck disable=SC2086
      if [ "$name" = netty41 ]; then
        "$java" $JVM_OPTS -jar "$netty41_jar" --port 0 > "$logf" 2>&1 &
      else
        "$java" $JVM_OPTS -jar "$peers_jar" "$name" --port 0 > "$logf" 2>&1 &
      fi
      pid=$!
      for i in $(seq 1 150); do
        port=$(sed -n 's/^LISTENING \([0-9]*\)$/\1/p' "$logf" | head -1)
        [ -n "$port" ] && break; kill -0 "$pid" 2>/dev/null || break; sleep 0.1
      done ;;
    nghttpd)
      port=$(free_port)
      nghttpd --no-tls --echo-upload -a 127.0.0.1 -n "$(nproc)" -d "$docroot" "$port" > "$logf" 2>&1 &
      pid=$! ;;
    h2o)
      port=$(free_port)
      local echo_conf=""
      if [ "$have_h2o_mruby" = 1 ]; then
        echo_conf="      /echo:
        mruby.handler-file: $work/h2o-echo.rb"
      fi
      cat > "$work/h2o-$key.conf" <<EOF
listen:
  host: 127.0.0.1
  port: $port
num-threads: $(nproc)
max-connections: 20000
http2-idle-timeout: 300
hosts:
  default:
    paths:
$echo_conf
      /:
        file.dir: $docroot
EOF
      h2o -c "$work/h2o-$key.conf" > "$logf" 2>&1 &
      pid=$!
      # Measure and kill the process that listens (h2o may run its server in a child).
      for i in $(seq 1 50); do
        lpid=$(ss -Hltnp "sport = :$port" 2>/dev/null | sed -n 's/.*pid=\([0-9]*\),.*/\1/p' | head -1)
        [ -n "$lpid" ] && break; sleep 0.1
      done
      if [ -n "${lpid:-}" ] && [ "$lpid" != "$pid" ]; then started_pids+=("$pid"); pid=$lpid; fi ;;
  esac
  started_pids+=("$pid")
  if [ -z "$port" ] || ! wait_listening "$pid" "$port"; then
    log "$name did not start (see below)"; tail -5 "$logf" >&2
    kill "$pid" 2>/dev/null
    return 1
  fi
  PID[$key]=$pid PORT[$key]=$port
  # The Java peers name their library version ("VERSION netty 4.1.141.Final"): into the stamp.
  local version
  version=$(sed -n 's/^VERSION [^ ]* \(.*\)$/\1/p' "$logf" | head -1)
  if [ -n "$version" ] && ! grep -q "^version_$name=" "$work/meta.txt" 2>/dev/null; then
    echo "version_$name=$version" >> "$work/meta.txt"
  fi
  log "$name listening on 127.0.0.1:$port (pid $pid)${version:+, $version}"
}

# Restarts server $1 under key $2 if it died (this machine is shared: say so in the log).
ensure_alive() { # $1 name, $2 key
  local pid="${PID[$2]:-}"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then return 0; fi
  log "WARNING: $1 (pid ${pid:-none}) is gone; starting it again"
  echo "restarted=$1 $(date +%H:%M:%S)" >> "$work/meta.txt"
  start_server "$1" "$2"
}

stop_server() { # $1 key
  local pid="${PID[$1]:-}"
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null
  unset "PID[$1]" "PORT[$1]"
}

status_kib() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status" 2>/dev/null; } # $1 pid $2 field

# h2load run; prints "value unit" for req/s (or MB/s with $1 = mbps), or nothing on failure.
h2load_run() { # $1 req|mbps, $2 label, rest: h2load arguments
  local metric="$1" label="$2"; shift 2
  local o="$work/h2load.out"
  timeout 300 h2load -t "$H2LOAD_THREADS" "$@" > "$o" 2>&1
  local ok failed
  ok=$(sed -n 's/^requests: .* \([0-9]*\) succeeded, \([0-9]*\) failed.*/\1/p' "$o")
  failed=$(sed -n 's/^requests: .* \([0-9]*\) succeeded, \([0-9]*\) failed.*/\2/p' "$o")
  # Every answer must be a 2xx: h2load counts a 405 or 404 as "succeeded".
  local ok2xx
  ok2xx=$(sed -n 's/^status codes: \([0-9]*\) 2xx.*/\1/p' "$o")
  if [ -z "$ok" ] || [ "$ok" = 0 ] || [ "${failed:-1}" != 0 ] || [ "${ok2xx:-0}" != "$ok" ]; then
    log "$label: h2load failed or had failures (succeeded=${ok:-?} failed=${failed:-?} 2xx=${ok2xx:-?})"
    grep -E 'finished|requests:|status codes|error|Error' "$o" | head -5 >&2
    return 1
  fi
  if [ "$metric" = req ]; then
    sed -n 's/^finished in [^,]*, \([0-9.]*\) req\/s.*/\1/p' "$o"
  else
    # "finished in 1.2s, 1666.1 req/s, 1.63GB/s": bytes per second, as MB/s (10^6).
    sed -n 's/^finished in [^,]*, [^,]*, \([0-9.]*\)\([KMG]*\)B\/s.*/\1 \2/p' "$o" |
      awk '{ m = $2 == "G" ? 1000 : $2 == "M" ? 1 : $2 == "K" ? 0.001 : 0.000001; printf "%.1f\n", $1 * m }'
  fi
}

# CPU time (user + system, all threads) a process has used so far, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null; } # $1 pid
clk_tck=$(getconf CLK_TCK)

# One server scenario against one peer; records a row (or an NA row), and the server's CPU
# time per request (per MiB for scenario 3) as "<scenario>_cpu". The rate depends on how the
# server and h2load share the two cores; the CPU time says how much work the server did for it.
scenario() { # $1 scenario id, $2 key, $3 round ("warm" = unmeasured)
  if ! ensure_alive "$2" "$2"; then
    [ "$3" = warm ] && return 0
    if [ "$1" = s8_latency_c1_m10 ]; then
      local q
      for q in p50 p99 p999; do record "$1_$q" "$2" "$3" NA us; done
    else
      record "$1" "$2" "$3" NA -
    fi
    return 0
  fi
  local s="$1" key="$2" r="$3" url="http://127.0.0.1:${PORT[$2]}" v="" unit=req/s scale=1 n
  local pid="${PID[$2]}" t0 t1 cpu_unit=us/req cpu_per=1000000 metric=req
  [ "$r" = warm ] && scale=$((WARM_SCALE == 1 ? 2 : 4))
  n=$(( $(requests_of "$s") / scale ))
  h2load_args "$s" "$key" "$url" "$n" "$post_body"
  if [ "$s" = s8_latency_c1_m10 ]; then latency_scenario "$key" "$r" "$n"; return 0; fi
  # Scenario 3 is measured in MB/s, its CPU time per MiB.
  if [ "$s" = s3_1MiB_c1_m10 ]; then metric=mbps unit=MB/s cpu_unit=ms/MiB cpu_per=1000; fi
  t0=$(cpu_ticks "$pid")
  v=$(h2load_run "$metric" "$s $key" "${H2LOAD_ARGS[@]}")
  t1=$(cpu_ticks "$pid")
  [ "$r" = warm ] && return 0
  record "$s" "$key" "$r" "${v:-NA}" "$unit"
  local cpu=NA
  if [ -n "$v" ] && [ -n "$t0" ] && [ -n "$t1" ]; then
    cpu=$(awk -v d=$((t1 - t0)) -v hz="$clk_tck" -v n="$n" -v per="$cpu_per" 'BEGIN { printf "%.2f", d / hz / n * per }')
  fi
  record "${s}_cpu" "$key" "$r" "$cpu" "$cpu_unit"
  log "round $r $s $key: ${v:-NA} $unit, server CPU $cpu $cpu_unit"
}

# Latency: a fixed count of small GETs on one connection with 10 streams in flight, unthrottled
# (a closed loop: each answer lets the next request go), every request's latency logged by
# h2load; records p50, p99 and p99.9 in microseconds (latency.py: nearest rank, all of them).
latency_scenario() { # $1 key, $2 round ("warm" = unmeasured), $3 request count; H2LOAD_ARGS set
  local key="$1" r="$2" n="$3" v p50 p99 p999 lat="$work/latency.log"
  rm -f "$lat"
  v=$(h2load_run req "s8_latency_c1_m10 $key" --log-file="$lat" "${H2LOAD_ARGS[@]}")
  [ "$r" = warm ] && return 0
  p50=NA p99=NA p999=NA
  if [ -n "$v" ]; then
    read -r p50 p99 p999 < <(python3 "$here/latency.py" "$lat" "$n" || echo NA NA NA)
  fi
  record s8_latency_c1_m10_p50 "$key" "$r" "$p50" us
  record s8_latency_c1_m10_p99 "$key" "$r" "$p99" us
  record s8_latency_c1_m10_p999 "$key" "$r" "$p999" us
  log "round $r s8_latency_c1_m10 $key: ${v:-NA} req/s; p50 $p50 us, p99 $p99 us, p99.9 $p999 us"
}

# Opens IDLE_N idle HTTP/2 connections to server $2 (peer name $1); records RSS per connection.
idle_test() { # $1 peer, $2 key
  local s="$1" key="$2" pid="${PID[$2]}" port="${PORT[$2]}" before after ready acked alive per idle_pid
  # One request first, so that lazily initialised paths are not counted per connection.
  curl -s --http2-prior-knowledge -o /dev/null "http://127.0.0.1:$port$(small_path "$s")" 2>/dev/null
  local settle=2
  [ "$quick" = 1 ] && settle=0.3
  sleep "$settle"
  before=$(status_kib "$pid" VmRSS)
  : > "$work/idle.out"
  "$java" -jar "$peers_jar" idle --port "$port" --count "$IDLE_N" --hold 300 > "$work/idle.out" 2>&1 &
  idle_pid=$!
  started_pids+=("$idle_pid")
  for _ in $(seq 1 900); do grep -q '^READY' "$work/idle.out" && break; kill -0 "$idle_pid" 2>/dev/null || break; sleep 0.1; done
  sleep "$settle"
  after=$(status_kib "$pid" VmRSS)
  ready=$(grep '^READY' "$work/idle.out" || echo "READY 0 ?")
  acked=$(echo "$ready" | sed -n 's/.*acked=\([0-9]*\).*/\1/p')
  alive=$(ss -Htn state established "dport = :$port" 2>/dev/null | wc -l)
  kill "$idle_pid" 2>/dev/null; wait "$idle_pid" 2>/dev/null
  if [ -n "$before" ] && [ -n "$after" ] && [ "${alive:-0}" -gt 0 ]; then
    per=$(awk -v a="$after" -v b="$before" -v n="$alive" 'BEGIN { printf "%.1f", (a - b) / n }')
    record s5_idle_rss_per_conn "$s" all "$per" KiB
    log "idle $s: $ready; $alive open when measured; RSS $before -> $after KiB: $per KiB per connection"
  else
    record s5_idle_rss_per_conn "$s" all NA KiB
    log "idle $s: no measurement ($ready, alive=$alive)"
  fi
  [ "${acked:-0}" = "$IDLE_N" ] || log "idle $s: only ${acked:-0} of $IDLE_N connections got the server's SETTINGS"
}

# ---------------------------------------------------------------------------------------------
# Machine stamp.
cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
jdk_version=$("$java" -version 2>&1 | head -1 | sed 's/"//g')
bench_date=$(date -u +%Y-%m-%dT%H:%MZ)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
{
  echo "date=$bench_date"
  echo "nproc=$(nproc)"
  echo "cpu=$cpu_model"
  echo "jdk=$jdk_version"
  echo "jvm_opts=${JVM_OPTS:-(defaults)}"
  echo "h2load=$(h2load --version 2>/dev/null | head -1)"
  echo "nghttpd=$(nghttpd --version 2>/dev/null | head -1)"
  echo "h2o=$(h2o --version 2>/dev/null | head -1)"
  echo "curl=$(curl --version 2>/dev/null | head -1 | cut -d' ' -f1-2)"
  echo "h2o_mruby=$([ "$have_h2o_mruby" = 1 ] && echo yes || echo no)"
  echo "mode=$([ "$quick" = 1 ] && echo quick || echo full) rounds=$rounds"
  echo "loadavg_before=$load_before"
} > "$work/meta.txt"
log "machine: $(nproc) x $cpu_model; $jdk_version; load average $load_before"

servers=(h2mux jetty netty)
[ "$have_netty41" = 1 ] && servers+=(netty41)
[ "$have_nghttpd" = 1 ] && servers+=(nghttpd)
[ "$have_h2o" = 1 ] && servers+=(h2o)

# ---------------------------------------------------------------------------------------------
# Server side: h2load against every server, interleaved in rounds.
if [ "$only" = all ] || [ "$only" = server ]; then
  live=()
  for s in "${servers[@]}"; do start_server "$s" && live+=("$s"); done
  # Two groups of rounds, so that 5a stays what it was (peak RSS over scenarios 1-4) while the
  # later scenarios came in; inside each, every peer runs a scenario before the next one starts.
  first_scenarios=(s1_get_c1_m100 s2_get_c16_m16 s3_1MiB_c1_m10 s4_echo16k_c4_m16)
  later_scenarios=(s7_echo16k_c1_m100 s8_latency_c1_m10 s6_h1_get_c16)
  # Whether peer $1 runs scenario $2: nghttpd speaks no HTTP/1.1; h2o echoes only with mruby.
  runs() {
    case "$1:$2" in
      nghttpd:s6_*) return 1 ;;
      h2o:s4_*|h2o:s7_*) [ "$have_h2o_mruby" = 1 ] ;;
      *) return 0 ;;
    esac
  }

  [ "$quick" = 1 ] || log "warm-up (unmeasured): every scenario once against each JVM server"
  for s in "${live[@]}"; do
    [ "$quick" = 1 ] && break
    case "$s" in h2mux|jetty|netty|netty41)
      for sc in "${first_scenarios[@]}" "${later_scenarios[@]}"; do scenario "$sc" "$s" warm; done ;;
    esac
  done

  peak_rss() { # $1 scenario name: every live server's VmHWM (the high-water mark since start)
    local s hwm
    for s in "${live[@]}"; do
      hwm=$(status_kib "${PID[$s]}" VmHWM)
      [ -n "$hwm" ] && record "$1" "$s" all "$(awk -v k="$hwm" 'BEGIN { printf "%.1f", k / 1024 }')" MiB
      log "$1 $s: ${hwm:-?} KiB"
    done
  }
  for group in first later; do
    if [ "$group" = first ]; then
      group_scenarios=("${first_scenarios[@]}")
    else
      group_scenarios=("${later_scenarios[@]}")
    fi
    for r in $(seq 1 "$rounds"); do
      for sc in "${group_scenarios[@]}"; do
        for s in "${live[@]}"; do
          runs "$s" "$sc" && scenario "$sc" "$s" "$r"
        done
      done
    done
    # 5a after scenarios 1-4; 5c after the whole suite (before the idle test, which in --quick
    # runs uses these same servers).
    if [ "$group" = first ]; then peak_rss s5_peak_rss; else peak_rss s5_peak_rss_suite; fi
  done
  # Idle connections: RSS before and after IDLE_N idle HTTP/2 connections, on a fresh server
  # (in --quick runs on the server that just ran the scenarios, to save the start-ups).
  for s in "${servers[@]}"; do
    if [ "$quick" = 1 ]; then
      [ -n "${PID[$s]:-}" ] && idle_test "$s" "$s"
    elif start_server "$s" "idle-$s"; then
      idle_test "$s" "idle-$s"
      stop_server "idle-$s"
    fi
  done
  for s in "${live[@]}"; do stop_server "$s"; done
  if [ "$have_h2o" = 1 ] && [ "$have_h2o_mruby" = 0 ]; then # no echo without mruby: N/A rows
    record s4_echo16k_c4_m16 h2o - NA req/s
    record s7_echo16k_c1_m100 h2o - NA req/s
  fi
fi

# ---------------------------------------------------------------------------------------------
# Client side: Java clients against nghttpd and the h2mux server, with native references: h2load
# for the small GETs (against nghttpd) and curl for the download.
if [ "$only" = all ] || [ "$only" = client ]; then
  targets=(h2mux)
  [ "$have_nghttpd" = 1 ] && targets=(nghttpd h2mux)
  live_targets=()
  for t in "${targets[@]}"; do start_server "$t" "client-$t" && live_targets+=("$t"); done
  # One unmeasured download from each fresh server first: a fresh nghttpd served its first
  # 1 GiB at ~0.45 GB/s, and the first client in the order (h2mux) paid for it every run.
  if [ "$have_curl" = 1 ]; then
    for t in "${live_targets[@]}"; do
      curl -s --http2-prior-knowledge -o /dev/null "http://127.0.0.1:${PORT[client-$t]}/bytes/$CLIENT_DL" || true
    done
  fi
  clients=(h2mux jdk okhttp jetty)
  for r in $(seq 1 "$rounds"); do
    for t in "${live_targets[@]}"; do
      for c in "${clients[@]}"; do
        ensure_alive "$t" "client-$t" || continue
        url="http://127.0.0.1:${PORT[client-$t]}"
        if [ "$c" = jdk ] && [ "$t" = nghttpd ]; then
          # nghttpd speaks no HTTP/1.1, so no h2c Upgrade; the JDK client has no prior knowledge.
          record "client_get_rps@$t" "$c" "$r" NA req/s
          record "client_download_first_MBps@$t" "$c" "$r" NA MB/s
          record "client_download_MBps@$t" "$c" "$r" NA MB/s
          continue
        fi
        if ! timeout 600 "$java" -jar "$peers_jar" client --base "$url" --target "$t" --client "$c" \
            --path "$(small_path "$t")" --requests "$CLIENT_REQ" --inflight 100 \
            --download "$CLIENT_DL" --round "$r" --out "$results" > "$work/client.out" 2>&1; then
          log "client $c against $t failed:"; grep -a -v '^\[' "$work/client.out" | head -5 >&2
          record "client_get_rps@$t" "$c" "$r" NA req/s
          record "client_download_first_MBps@$t" "$c" "$r" NA MB/s
          record "client_download_MBps@$t" "$c" "$r" NA MB/s
        else
          grep -E 'req/s|MB/s|missing' "$work/client.out" | sed 's/^/    /' >&2
        fi
      done
      # h2load as the native client of C1: the same count, one connection, 100 streams in flight.
      # Against nghttpd only (against h2mux it would be scenario 1 again); no warm-up to give.
      if [ "$t" = nghttpd ] && ensure_alive "$t" "client-$t"; then
        url="http://127.0.0.1:${PORT[client-$t]}"
        v=$(h2load_run req "C1 h2load -> $t" -n "$CLIENT_REQ" -c 1 -m 100 "$url/")
        record "client_get_rps@$t" h2load "$r" "${v:-NA}" req/s
        log "round $r h2load (client) against $t: ${v:-NA} req/s"
      fi
      if [ "$have_curl" = 1 ] && ensure_alive "$t" "client-$t"; then
        url="http://127.0.0.1:${PORT[client-$t]}"
        speed=$(timeout 600 curl -s --http2-prior-knowledge -o /dev/null -w '%{speed_download}' "$url/bytes/$CLIENT_DL")
        v=$(awk -v b="$speed" 'BEGIN { if (b > 0) printf "%.1f", b / 1e6; else print "NA" }')
        # curl has no JIT to warm: its one measurement stands in both download rows.
        record "client_download_first_MBps@$t" curl "$r" "$v" MB/s
        record "client_download_MBps@$t" curl "$r" "$v" MB/s
        log "round $r curl download from $t: $v MB/s"
      fi
    done
  done
  for t in "${live_targets[@]}"; do stop_server "client-$t"; done
fi

# ---------------------------------------------------------------------------------------------
# JMH microbenchmarks of the frame codec and HPACK.
if [ "$jmh" = 1 ]; then
  jmh_args=(-rf csv -rff "$work/jmh.csv")
  [ "$quick" = 1 ] && jmh_args+=(-f 1 -wi 1 -i 1 -w 200ms -r 200ms)
  log "JMH microbenchmarks"
  if "$java" -jar "$jmh_jar" "${jmh_args[@]}" > "$work/jmh.out" 2>&1; then
    sed -n '/^Benchmark /,$p' "$work/jmh.out" | grep -v '^$' >&2
    cp "$work/jmh.csv" "$out/jmh.csv"
  else
    log "JMH failed"; tail -20 "$work/jmh.out" >&2
  fi
fi

# ---------------------------------------------------------------------------------------------
# Report: results.csv (every measurement), summary.csv (medians, ratios), results.svg.
echo "loadavg_after=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$work/meta.txt"
echo "duration_s=$(( $(date +%s) - t_start ))" >> "$work/meta.txt"
if [ "$only" != jmh ]; then
  python3 "$here/report.py" --meta "$work/meta.txt" --results "$results" --out "$out" || exit 1
fi
log "done in $(( $(date +%s) - t_start )) s; results in $out"
