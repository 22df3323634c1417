#!/usr/bin/env bash
# Starts the demo server (default JVM flags), optionally warms it up with h2load, then runs one
# attack of Attack.java against it and prints the server's RSS before, at its peak and after.
# Not part of the test suite (docs/SECURITY.md has the figures). Usage, from the repository root
# after `mvn -B -q -DskipTests package`:
#
#   h2-interop-tests/abuse/measure-rss.sh rapid-reset CONNECTIONS SECONDS WARMUP_SECONDS [JAR]
set -eu
ATTACK=$1; CONNECTIONS=$2; SECONDS_=$3; WARMUP=$4; JAR=${5:-h2-server/target/h2-server.jar}
JAVA="$(.ci/find-jdk)/bin/java"
LOG=$(mktemp)
"$JAVA" -jar "$JAR" --port 0 > "$LOG" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; rm -f "$LOG"' EXIT
for _ in $(seq 1 100); do grep -q listening "$LOG" && break; sleep 0.1; done
PORT=$(sed -n 's/.*127.0.0.1:\([0-9]*\).*/\1/p' "$LOG" | head -1)
echo "rss KiB at start: $(grep VmRSS /proc/$PID/status | tr -dc 0-9)"
if [ "$WARMUP" -gt 0 ]; then
  h2load -D "$WARMUP" -c 4 -m 10 "http://127.0.0.1:$PORT/" | grep -E '^requests:' | sed 's/^/warm-up /'
  echo "rss KiB after warm-up: $(grep VmRSS /proc/$PID/status | tr -dc 0-9)"
fi
"$JAVA" h2-interop-tests/abuse/Attack.java --port "$PORT" --attack "$ATTACK" \
  --connections "$CONNECTIONS" --seconds "$SECONDS_" --pid "$PID"
curl -s -o /dev/null -w "a good client after the attack: %{http_code}\n" \
  --http2-prior-knowledge "http://127.0.0.1:$PORT/"
