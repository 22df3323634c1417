#!/usr/bin/env bash
# Profiles the h2mux demo server under scenario 1 (h2load -c 1 -m 100 GET /) with JDK Flight
# Recorder and prints its hot spots. Run after run.sh has built the server jar.
#
#   h2-interop-tests/bench/profile.sh [--seconds N] [--out DIR]
#
# Writes DIR/profile-s1.jfr, DIR/profile-s1.txt (jfr summary + top frames); DIR defaults to
# a temporary directory. The server listens on 127.0.0.1, on a port it picks; killed by PID.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
seconds=20 out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) echo "profile.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -n "$out" ] || out="$(mktemp -d /tmp/h2mux-profile.XXXXXX)"
mkdir -p "$out"; out="$(cd "$out" && pwd)"
JAVA_HOME="$("$root/.ci/find-jdk")" || exit 1
java="$JAVA_HOME/bin/java"
server_jar="$root/h2-server/target/h2-server.jar"
[ -f "$server_jar" ] || { echo "profile.sh: build first (run.sh does)" >&2; exit 1; }

log="$out/server.log"
"$java" -XX:+FlightRecorder -jar "$server_jar" --port 0 > "$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null' EXIT
port=""
for _ in $(seq 1 150); do
  port=$(sed -n 's#.*listening on http://127\.0\.0\.1:\([0-9]*\).*#\1#p' "$log" | head -1)
  [ -n "$port" ] && break; sleep 0.1
done
[ -n "$port" ] || { echo "profile.sh: server did not start" >&2; cat "$log" >&2; exit 1; }
url="http://127.0.0.1:$port/"
echo "profile.sh: h2mux pid $pid on $url; warming up" >&2
h2load -n 200000 -c 1 -m 100 "$url" | grep -E '^finished' >&2

jfr_file="$out/profile-s1.jfr"
"$JAVA_HOME/bin/jcmd" "$pid" JFR.start name=s1 settings=profile duration="${seconds}s" filename="$jfr_file" >&2
end=$((SECONDS + seconds + 1))
while [ $SECONDS -lt $end ]; do
  h2load -n 200000 -c 1 -m 100 "$url" | grep -E '^finished' >&2
done
for _ in $(seq 1 100); do [ -s "$jfr_file" ] && break; sleep 0.2; done
sleep 1

report="$out/profile-s1.txt"
{
  echo "# h2mux demo server under h2load -n 200000 -c 1 -m 100 $url (${seconds}s of JFR, settings=profile)"
  echo "# $(date -u +%Y-%m-%dT%H:%MZ); $(nproc) x $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1); $("$java" -version 2>&1 | head -1)"
  echo
  "$JAVA_HOME/bin/jfr" summary "$jfr_file" | sed -n '1,12p'
  echo
  "$JAVA_HOME/bin/jfr" print --json --events jdk.ExecutionSample "$jfr_file" |
    python3 "$here/jfr_top.py"
} > "$report"
cat "$report"
echo "profile.sh: wrote $report and $jfr_file" >&2
