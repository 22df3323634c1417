#!/usr/bin/env bash
# Bytes the demo server allocates per stream reset by the peer right after its HEADERS, from JFR:
# the heap used before each collection minus after the previous one (jdk.GCHeapSummary, exact; a
# full GC is forced at the start and end of each recording), and the estimate of the
# jdk.ObjectAllocationSample weights, whose top allocation sites say where it goes. Two runs of
# ROUNDS connections each, one with PAIRS HEADERS+RST_STREAM pairs per connection and one with a
# single pair, so connection setup cancels out. Each is preceded by the same run unrecorded (class
# loading, JIT). Not part of the test suite; docs/SECURITY.md has the figures. Usage, from the
# repository root after `mvn -B -q -DskipTests package`:
#
#   h2-interop-tests/abuse/measure-allocation.sh [PAIRS [ROUNDS [JAR]]]
set -eu
PAIRS=${1:-200}; ROUNDS=${2:-2000}; JAR=${3:-h2-server/target/h2-server.jar}
JDK="$(.ci/find-jdk)"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

record() { # $1 = pairs per connection, $2 = recording file
  "$JDK/bin/java" -jar "$JAR" --port 0 > "$WORK/log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 100); do grep -q listening "$WORK/log" && break; sleep 0.1; done
  local port
  port=$(sed -n 's/.*127.0.0.1:\([0-9]*\).*/\1/p' "$WORK/log" | head -1)
  local attack=("$JDK/bin/java" h2-interop-tests/abuse/Attack.java --port "$port"
    --attack rapid-reset --pairs "$1" --rounds "$ROUNDS" --seconds 300)
  "${attack[@]}" > /dev/null
  "$JDK/bin/jcmd" "$pid" JFR.start name=a settings=profile filename="$2" > /dev/null
  "$JDK/bin/jcmd" "$pid" GC.run > /dev/null
  "${attack[@]}"
  "$JDK/bin/jcmd" "$pid" GC.run > /dev/null
  "$JDK/bin/jcmd" "$pid" JFR.stop name=a > /dev/null
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

record "$PAIRS" "$WORK/many.jfr"
record 1 "$WORK/one.jfr"
python3 - "$JDK" "$WORK" "$PAIRS" "$ROUNDS" <<'PY'
import json, subprocess, sys
jdk, work, pairs, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
def events(name, event, depth=1):
    out = subprocess.check_output([jdk + "/bin/jfr", "print", "--json", "--stack-depth", str(depth),
                                   "--events", event, f"{work}/{name}.jfr"])
    return json.loads(out)["recording"]["events"]
def allocated(name):
    # heap used before each GC minus after the one before it: all allocation between the two
    # forced collections
    gcs = {}
    for e in events(name, "jdk.GCHeapSummary"):
        v = e["values"]
        gcs.setdefault(v["gcId"], {})[v["when"]] = v["heapUsed"]
    ids = sorted(i for i in gcs if "Before GC" in gcs[i] and "After GC" in gcs[i])
    exact = sum(gcs[b]["Before GC"] - gcs[a]["After GC"] for a, b in zip(ids, ids[1:]))
    sampled = sum(e["values"]["weight"] for e in events(name, "jdk.ObjectAllocationSample"))
    return exact, sampled
many, many_sampled = allocated("many")
one, one_sampled = allocated("one")
streams = (pairs - 1) * rounds
print(f"{pairs} resets x {rounds} connections: {many / 1e6:.0f} MB; 1 x {rounds}: {one / 1e6:.0f} MB")
print(f"per connection: {one / rounds:.0f} B; per reset stream: {(many - one) / streams:.0f} B "
      f"(allocation samples estimate {(many_sampled - one_sampled) / streams:.0f} B)")
sites = {}
for e in events("many", "jdk.ObjectAllocationSample", 8):
    frames = (e["values"].get("stackTrace") or {}).get("frames", [])
    site = next((f["method"]["type"]["name"] + "." + f["method"]["name"] for f in frames
                 if f["method"]["type"]["name"].startswith("dev/h2mux")), "(other)")
    sites[site] = sites.get(site, 0) + e["values"]["weight"]
for site, weight in sorted(sites.items(), key=lambda kv: -kv[1])[:8]:
    print(f"  {weight / many_sampled:4.0%}  {site}")
PY
