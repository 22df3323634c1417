#!/usr/bin/env python3
"""Latency percentiles from an h2load --log-file (standard library only).

    latency.py LOG [EXPECTED_ROWS]

h2load writes one tab-separated row per request: start time (microseconds since the epoch),
HTTP status, microseconds until the end of the response. Prints "p50 p99 p99.9" in
microseconds, each the nearest-rank percentile over every row: the smallest latency that at
least that share of the requests did not exceed. Fails (exit 1, message on stderr) when the log
has a row that is not a 2xx answer, a malformed row, or not EXPECTED_ROWS rows: a percentile
over requests that failed or were cut short would not compare servers.
"""
import sys

# p50, p99, p99.9 in thousandths: whole numbers, so that the rank is exact (in floating point,
# 0.999 * 1000 is a hair above 999 and its ceiling 1000).
PER_MILLE = (500, 990, 999)


def nearest_rank(sorted_values, per_mille):
    """The value at rank ceil(per_mille/1000 * n), 1-based, of an ascending non-empty list."""
    rank = max(1, -(-per_mille * len(sorted_values) // 1000))
    return sorted_values[rank - 1]


def read_latencies(path):
    latencies = []
    with open(path) as f:
        for number, line in enumerate(f, 1):
            fields = line.split("\t")
            if len(fields) < 3:
                raise ValueError(f"{path}:{number}: expected 3 tab-separated columns")
            status, micros = fields[1], fields[2]
            if not status.strip().startswith("2"):
                raise ValueError(f"{path}:{number}: status {status.strip()}, not 2xx")
            latencies.append(int(micros))
    return latencies


def main(argv):
    if len(argv) not in (2, 3):
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    try:
        latencies = read_latencies(argv[1])
    except (OSError, ValueError) as e:
        print(f"latency.py: {e}", file=sys.stderr)
        return 1
    if len(argv) == 3 and len(latencies) != int(argv[2]):
        print(f"latency.py: {len(latencies)} rows, expected {argv[2]}", file=sys.stderr)
        return 1
    if not latencies:
        print("latency.py: no rows", file=sys.stderr)
        return 1
    latencies.sort()
    print(" ".join(str(nearest_rank(latencies, p)) for p in PER_MILLE))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
