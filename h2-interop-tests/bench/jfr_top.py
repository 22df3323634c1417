#!/usr/bin/env python3
"""Reads `jfr print --json --events jdk.ExecutionSample` on stdin; prints the hottest methods.

Self time: the top frame of each sample. Total time: every method anywhere on the stack
(counted once per sample). Also the self time grouped by package, to see where time goes:
h2mux, the JDK's I/O, HPACK, collections, locks.
"""
import collections
import json
import re
import sys

data = json.load(sys.stdin)
events = data.get("recording", {}).get("events", [])
self_counts = collections.Counter()
total_counts = collections.Counter()
pkg_counts = collections.Counter()
threads = collections.Counter()
n = 0


def name(frame):
    m = frame.get("method", {})
    t = m.get("type", {}).get("name", "?")
    return f"{t}.{m.get('name', '?')}"


for e in events:
    st = e.get("values", {}).get("stackTrace") or {}
    frames = st.get("frames") or []
    if not frames:
        continue
    n += 1
    top = name(frames[0])
    self_counts[top] += 1
    cls = top.rsplit(".", 1)[0]
    pkg_counts[cls.rsplit(".", 1)[0] if "." in cls else cls] += 1
    seen = set()
    for f in frames:
        k = name(f)
        if k not in seen:
            seen.add(k)
            total_counts[k] += 1
    th = e.get("values", {}).get("sampledThread") or {}
    tname = th.get("javaName") or th.get("osName") or "?"
    threads[re.sub(r"(?<=[-#])\d+", "N", tname)] += 1

print(f"execution samples: {n}")
print("\ntop 25 methods by self samples (top of stack):")
for k, c in self_counts.most_common(25):
    print(f"  {100 * c / n:5.1f}%  {c:6d}  {k}")
print("\ntop 30 methods by total samples (anywhere on the stack):")
for k, c in total_counts.most_common(30):
    print(f"  {100 * c / n:5.1f}%  {c:6d}  {k}")
print("\nself samples by package:")
for k, c in pkg_counts.most_common(15):
    print(f"  {100 * c / n:5.1f}%  {c:6d}  {k}")
print("\nsamples by thread (numbers in names as N):")
for k, c in threads.most_common(10):
    print(f"  {100 * c / n:5.1f}%  {c:6d}  {k}")
