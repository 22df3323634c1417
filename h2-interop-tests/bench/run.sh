#!/usr/bin/env bash
# h2mux benchmarks side by side with Jetty, Netty, nghttpd and h2o. One command:
#
#   h2-interop-tests/bench/run.sh [--rounds N] [--quick] [--only server|client|jmh] [--jmh]
#                                 [--out DIR] [--rebuild] [--no-build]
#
#   --rounds N   measured rounds (default 3); scenarios run interleaved, A B C D E, A B C D E...
#   --quick      tiny counts and 1 round: a smoke of the whole harness (< 60 s once built);
#                writes to a temporary directory unless --out is given
#   --only X     run only the server side (h2load against servers), the client side (Java
#                clients against nghttpd and h2mux) or the JMH microbenchmarks
#   --jmh        also run the JMH microbenchmarks (docs/bench/jmh.csv)
#   --out DIR    where results go (default docs/bench, or a temporary directory with --quick)
#   --rebuild    build everything even if the jars look up to date; --no-build: never build
#
# Environment: JVM_OPTS (flags for every server JVM, default none), H2LOAD_THREADS (default 1).
# Servers listen on 127.0.0.1 only, on ports picked at run time; each is killed by its PID.
# See docs/BENCHMARKS.md for what each scenario measures.
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

rounds=3 quick=0 only=all jmh=0 out="" build=auto
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
# Counts. Full runs follow the issue; --quick shrinks everything to a smoke.
if [ "$quick" = 1 ]; then
  S1_N=5000 S2_N=5000 S3_N=40 S4_N=1000 S6_N=5000 IDLE_N=200
  WARM_SCALE=0 CLIENT_REQ=2000 CLIENT_DL=$((16 * 1024 * 1024))
else
  S1_N=200000 S2_N=200000 S3_N=2000 S4_N=50000 S6_N=200000 IDLE_N=5000
  WARM_SCALE=1 CLIENT_REQ=100000 CLIENT_DL=$((1024 * 1024 * 1024))
fi
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
have_h2load=0 have_nghttpd=0 have_h2o=0 have_wrk=0 have_curl=0
need_tool h2load nghttp2-client && have_h2load=1
need_tool nghttpd nghttp2-server && have_nghttpd=1
need_tool h2o h2o && have_h2o=1
need_tool wrk wrk && have_wrk=1
need_tool curl curl && have_curl=1
if [ "$only" != jmh ] && [ "$only" != client ] && [ "$have_h2load" = 0 ]; then
  log "h2load is required for the server scenarios"; exit 1
fi

# ---------------------------------------------------------------------------------------------
# Builds: the demo server and client (root reactor, installed into the local Maven repo), then
# the benchmark-only projects, which are not modules of the root reactor.
server_jar="$root/h2-server/target/h2-server.jar"
peers_dir="$here/peers"
peers_jar="$peers_dir/target/h2mux-bench-peers.jar"
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
  if [ "$jmh" = 1 ] && { [ "$build" = always ] || stale "$jmh_jar" "$jmh_dir/pom.xml" "$jmh_dir/src" "$server_jar"; }; then
    log "building the JMH benchmarks"
    mvn_q -f "$jmh_dir/pom.xml" clean package || { log "jmh build failed"; exit 1; }
  fi
fi
[ -f "$server_jar" ] || { log "missing $server_jar"; exit 1; }
[ "$only" = jmh ] || [ -f "$peers_jar" ] || { log "missing $peers_jar"; exit 1; }

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
    jetty|netty)
      # shellcheck disable=SC2086
      "$java" $JVM_OPTS -jar "$peers_jar" "$name" --port 0 > "$logf" 2>&1 &
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
  log "$name listening on 127.0.0.1:$port (pid $pid)"
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
  if [ -z "$ok" ] || [ "$ok" = 0 ] || [ "${failed:-1}" != 0 ]; then
    log "$label: h2load failed or had failures (succeeded=${ok:-?} failed=${failed:-?})"
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
  ensure_alive "$2" "$2" || { record "$1" "$2" "$3" NA -; return 0; }
  local s="$1" key="$2" r="$3" url="http://127.0.0.1:${PORT[$2]}" v="" unit scale=1 n
  local pid="${PID[$2]}" t0 t1 cpu_unit=us/req cpu_per=1000000
  [ "$r" = warm ] && scale=$((WARM_SCALE == 1 ? 2 : 4))
  t0=$(cpu_ticks "$pid")
  case "$s" in
    s1_get_c1_m100)  unit=req/s; n=$((S1_N / scale)); v=$(h2load_run req "$s $key" -n "$n" -c 1 -m 100 "$url/") ;;
    s2_get_c16_m16)  unit=req/s; n=$((S2_N / scale)); v=$(h2load_run req "$s $key" -n "$n" -c 16 -m 16 "$url/") ;;
    s3_1MiB_c1_m10)  unit=MB/s;  n=$((S3_N / scale)); v=$(h2load_run mbps "$s $key" -n "$n" -c 1 -m 10 "$url/bytes/1048576")
                     cpu_unit=ms/MiB cpu_per=1000 ;;
    s4_echo16k_c4_m16) unit=req/s; n=$((S4_N / scale)); v=$(h2load_run req "$s $key" -d "$post_body" -n "$n" -c 4 -m 16 "$url/echo") ;;
    s6_h1_get_c16)   unit=req/s; n=$((S6_N / scale)); v=$(h2load_run req "$s $key" --h1 -n "$n" -c 16 -m 1 "$url/") ;;
  esac
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

# Opens IDLE_N idle HTTP/2 connections to server $2 (peer name $1); records RSS per connection.
idle_test() { # $1 peer, $2 key
  local s="$1" key="$2" pid="${PID[$2]}" port="${PORT[$2]}" before after ready acked alive per idle_pid
  # One request first, so that lazily initialised paths are not counted per connection.
  curl -s --http2-prior-knowledge -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null
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
  echo "mode=$([ "$quick" = 1 ] && echo quick || echo full) rounds=$rounds"
  echo "loadavg_before=$load_before"
} > "$work/meta.txt"
log "machine: $(nproc) x $cpu_model; $jdk_version; load average $load_before"

servers=(h2mux jetty netty)
[ "$have_nghttpd" = 1 ] && servers+=(nghttpd)
[ "$have_h2o" = 1 ] && servers+=(h2o)

# ---------------------------------------------------------------------------------------------
# Server side: h2load against every server, interleaved in rounds.
if [ "$only" = all ] || [ "$only" = server ]; then
  live=()
  for s in "${servers[@]}"; do start_server "$s" && live+=("$s"); done
  h2_scenarios=(s1_get_c1_m100 s2_get_c16_m16 s3_1MiB_c1_m10 s4_echo16k_c4_m16)

  [ "$quick" = 1 ] || log "warm-up (unmeasured): every scenario once against each JVM server"
  for s in "${live[@]}"; do
    [ "$quick" = 1 ] && break
    case "$s" in h2mux|jetty|netty)
      for sc in "${h2_scenarios[@]}" s6_h1_get_c16; do scenario "$sc" "$s" warm; done ;;
    esac
  done

  for r in $(seq 1 "$rounds"); do
    for sc in "${h2_scenarios[@]}"; do
      for s in "${live[@]}"; do
        # h2o's file handler answers POST with 405; its echo would need mruby: not measured.
        [ "$s" = h2o ] && [ "$sc" = s4_echo16k_c4_m16 ] && continue
        scenario "$sc" "$s" "$r"
      done
    done
  done
  # Peak RSS over the HTTP/2 scenarios 1-4 (VmHWM is the high-water mark since start).
  for s in "${live[@]}"; do
    hwm=$(status_kib "${PID[$s]}" VmHWM)
    [ -n "$hwm" ] && record s5_peak_rss "$s" all "$(awk -v k="$hwm" 'BEGIN { printf "%.1f", k / 1024 }')" MiB
    log "peak RSS $s: $hwm KiB"
  done
  # HTTP/1.1 keep-alive, against the servers that speak it (nghttpd does not).
  for r in $(seq 1 "$rounds"); do
    for s in "${live[@]}"; do
      [ "$s" = nghttpd ] && continue
      scenario s6_h1_get_c16 "$s" "$r"
    done
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
  if [ "$have_h2o" = 1 ]; then record s4_echo16k_c4_m16 h2o - NA req/s; fi # h2o's echo would need mruby
fi

# ---------------------------------------------------------------------------------------------
# Client side: Java clients (and curl for the download) against nghttpd and the h2mux server.
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
            --requests "$CLIENT_REQ" --inflight 100 --download "$CLIENT_DL" --round "$r" \
            --out "$results" > "$work/client.out" 2>&1; then
          log "client $c against $t failed:"; grep -a -v '^\[' "$work/client.out" | head -5 >&2
          record "client_get_rps@$t" "$c" "$r" NA req/s
          record "client_download_first_MBps@$t" "$c" "$r" NA MB/s
          record "client_download_MBps@$t" "$c" "$r" NA MB/s
        else
          grep -E 'req/s|MB/s|missing' "$work/client.out" | sed 's/^/    /' >&2
        fi
      done
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
