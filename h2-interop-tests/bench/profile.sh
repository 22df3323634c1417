#!/usr/bin/env bash
# Profiles the h2mux demo server under one of run.sh's h2load scenarios and prints its hot spots.
# Run after run.sh has built the server jar.
#
#   h2-interop-tests/bench/profile.sh [--scenario S] [--seconds N] [--warmup N]
#                                     [--profiler jfr|async] [--event E] [--out DIR]
#
#   --scenario S   a scenario of run.sh by CSV name or number: s1 (default) s2 s3 s4 s6 s7 s8,
#                  e.g. s2 or s2_get_c16_m16 (h2mux answers the small GETs from /bytes/12)
#   --seconds N    how long to record (default 20)
#   --warmup N     seconds of the same load before recording, for the JIT (default 10)
#   --profiler P   jfr (default): JDK Flight Recorder, settings=profile; writes
#                  profile-<s>.jfr and profile-<s>.txt (jfr summary, hot methods by self and
#                  total samples, by package and by thread; jfr_top.py).
#                  async: async-profiler (tools.profiler:async-profiler from Maven Central,
#                  fetched once into bench/target/ by Maven), loaded into the server through
#                  jcmd; writes profile-<s>-<event>.html (a flame graph: Java, JVM and kernel
#                  frames) and profile-<s>-<event>.txt (its hottest stacks and methods)
#   --event E      async-profiler's event: cpu (default; perf events, with kernel frames),
#                  ctimer (CPU time by timer, where the kernel or a container forbids perf
#                  events), wall (every thread, running or not: where threads wait), alloc
#                  (allocation sites), lock (contended locks)
#   --out DIR      where files go (default: a temporary directory)
#
# Environment: JVM_OPTS (server JVM flags, as in run.sh), ASYNC_PROFILER_VERSION (default 4.6).
# The server listens on 127.0.0.1, on a port it picks, and is killed by its PID.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=scenarios.sh
. "$here/scenarios.sh"

scenario_arg=s1 seconds=20 warmup=10 profiler=jfr event=cpu out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --scenario) scenario_arg="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --profiler) profiler="$2"; shift 2 ;;
    --event) event="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    *) echo "profile.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
scenario=$(scenario_named "$scenario_arg") || {
  echo "profile.sh: unknown scenario $scenario_arg; one of ${H2LOAD_SCENARIOS[*]}" >&2; exit 2; }
case "$profiler" in jfr|async) ;; *) echo "profile.sh: --profiler jfr|async" >&2; exit 2 ;; esac
case "$event" in cpu|ctimer|wall|alloc|lock) ;; *) echo "profile.sh: --event cpu|ctimer|wall|alloc|lock" >&2; exit 2 ;; esac
for v in "$seconds" "$warmup"; do
  case "$v" in ''|*[!0-9]*) echo "profile.sh: --seconds and --warmup take whole numbers" >&2; exit 2 ;; esac
done
short="${scenario%%_*}"

[ -n "$out" ] || out="$(mktemp -d /tmp/h2mux-profile.XXXXXX)"
mkdir -p "$out"; out="$(cd "$out" && pwd)"
JAVA_HOME="$("$root/.ci/find-jdk")" || exit 1
java="$JAVA_HOME/bin/java"
server_jar="$root/h2-server/target/h2-server.jar"
[ -f "$server_jar" ] || { echo "profile.sh: build first (run.sh does)" >&2; exit 1; }
command -v h2load >/dev/null || { echo "profile.sh: needs h2load (Debian: nghttp2-client)" >&2; exit 1; }

# async-profiler ships its native library for Linux inside its Maven Central jar.
async_lib=""
if [ "$profiler" = async ]; then
  version="${ASYNC_PROFILER_VERSION:-4.6}"
  case "$(uname -m)" in
    x86_64) platform=linux-x64 ;;
    aarch64) platform=linux-arm64 ;;
    *) echo "profile.sh: async-profiler has no library for $(uname -m)" >&2; exit 1 ;;
  esac
  cache="$here/target/async-profiler-$version"
  async_lib="$cache/$platform/libasyncProfiler.so"
  if [ ! -f "$async_lib" ]; then
    echo "profile.sh: fetching tools.profiler:async-profiler:$version (Maven)" >&2
    mkdir -p "$cache"
    mvn -q -B -Dstyle.color=never org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      -Dartifact="tools.profiler:async-profiler:$version:jar" -DoutputDirectory="$cache" >&2 ||
      { echo "profile.sh: could not fetch async-profiler $version" >&2; exit 1; }
    (cd "$cache" && "$JAVA_HOME/bin/jar" xf "async-profiler-$version.jar" "$platform/libasyncProfiler.so") ||
      { echo "profile.sh: async-profiler $version's jar has no $platform library" >&2; exit 1; }
  fi
fi

post_body="$out/post-16k.bin"
head -c 16384 /dev/urandom > "$post_body"
log="$out/server.log"
jvm_flags=()
if [ "$profiler" = jfr ]; then jvm_flags+=(-XX:+FlightRecorder); else jvm_flags+=(-XX:+EnableDynamicAgentLoading); fi
# shellcheck disable=SC2086
"$java" ${JVM_OPTS:-} "${jvm_flags[@]}" -jar "$server_jar" --port 0 > "$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null' EXIT
port=""
for _ in $(seq 1 150); do
  port=$(sed -n 's#.*listening on http://127\.0\.0\.1:\([0-9]*\).*#\1#p' "$log" | head -1)
  [ -n "$port" ] && break; kill -0 "$pid" 2>/dev/null || break; sleep 0.1
done
[ -n "$port" ] || { echo "profile.sh: server did not start" >&2; cat "$log" >&2; exit 1; }
n=$(scenario_count "$scenario")
h2load_args "$scenario" h2mux "http://127.0.0.1:$port" "$n" "$post_body"
load() { h2load "${H2LOAD_ARGS[@]}" | grep -E '^(finished|requests:|status codes:)' >&2; }
echo "profile.sh: h2mux pid $pid on 127.0.0.1:$port; warming up ${warmup}s with h2load ${H2LOAD_ARGS[*]}" >&2
end=$((SECONDS + warmup))
load
while [ $SECONDS -lt $end ]; do load; done

# async-profiler's commands go through jcmd, one quoted string (jcmd would split at "="); the
# agent answers "return code: 0" when it took the command.
async() {
  local said
  said=$("$JAVA_HOME/bin/jcmd" "$pid" JVMTI.agent_load "$async_lib" "\"$1\"" 2>&1)
  grep -q 'return code: 0' <<< "$said" && return 0
  echo "profile.sh: async-profiler refused \"$1\": $said" >&2; tail -3 "$log" >&2
  return 1
}

if [ "$profiler" = jfr ]; then
  recording="$out/profile-$short.jfr"
  "$JAVA_HOME/bin/jcmd" "$pid" JFR.start name="$short" settings=profile duration="${seconds}s" \
    filename="$recording" >&2
else
  recording="$out/profile-$short-$event.html"
  interval=""
  case "$event" in cpu|ctimer|wall) interval=",interval=1ms" ;; esac
  async "start,event=$event$interval" || { echo "profile.sh: async-profiler did not start" >&2; exit 1; }
fi
end=$((SECONDS + seconds))
while [ $SECONDS -lt $end ]; do load; done

report="$out/profile-$short$([ "$profiler" = async ] && echo "-$event").txt"
header="# h2mux demo server under h2load ${H2LOAD_ARGS[*]} ($scenario); ${seconds}s of"
if [ "$profiler" = jfr ]; then
  for _ in $(seq 1 100); do [ -s "$recording" ] && break; sleep 0.2; done
  sleep 1
  {
    echo "$header JFR (settings=profile)"
    echo "# $(date -u +%Y-%m-%dT%H:%MZ); $(nproc) x $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1); $("$java" -version 2>&1 | head -1)"
    echo
    "$JAVA_HOME/bin/jfr" summary "$recording" | sed -n '1,12p'
    echo
    "$JAVA_HOME/bin/jfr" print --json --events jdk.ExecutionSample "$recording" |
      python3 "$here/jfr_top.py"
  } > "$report"
else
  # The flame graph of everything recorded, then the same samples as text (which stops it).
  async "dump,file=$recording" || exit 1
  async "stop,file=$report.tmp,traces=15,flat=30" || exit 1
  for _ in $(seq 1 50); do [ -s "$report.tmp" ] && break; sleep 0.2; done
  {
    echo "$header async-profiler (event=$event)"
    echo "# $(date -u +%Y-%m-%dT%H:%MZ); $(nproc) x $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1); $("$java" -version 2>&1 | head -1)"
    echo "# flame graph: $recording"
    echo
    cat "$report.tmp"
  } > "$report"
  rm -f "$report.tmp"
fi
rm -f "$post_body"
cat "$report"
echo "profile.sh: wrote $report and $recording" >&2
