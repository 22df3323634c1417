"""Issue 14's speed targets, checked against one run's measurements (used by report.py).

Each target compares two measurements, a numerator and a denominator, each a (scenario, peer)
pair, or holds one measurement to an absolute bound. For a ratio:
  median      the ratio of the two medians over the rounds: the h2mux/peer figure of the
              summary tables, and what "met in the median of a run" reads
  min-max     the smallest and largest per-round ratio, each of the same round's two values
              (rounds where either is missing are left out); where no round misses either, the
              median always lies between them
  rounds met  in how many of those rounds the per-round ratio met the target
Peak RSS is measured once per run (round "all"), so its min-max is its one value.
"""
import csv
import statistics

AT_LEAST, AT_MOST = ">=", "<="

# (label, numerator, denominator or None for an absolute bound, AT_LEAST/AT_MOST, bound).
# "Netty" in issue 14's table is Netty 4.1 (the netty41 peer).
TARGETS = [
    ("1. GET small, 1 conn × 100 streams: ≥ 1.0× h2o",
     ("s1_get_c1_m100", "h2mux"), ("s1_get_c1_m100", "h2o"), AT_LEAST, 1.0),
    ("2. GET small, 16 conns × 16 streams: ≥ 1.3× Netty 4.1",
     ("s2_get_c16_m16", "h2mux"), ("s2_get_c16_m16", "netty41"), AT_LEAST, 1.3),
    ("2. GET small, 16 conns × 16 streams: ≥ 0.8× h2o",
     ("s2_get_c16_m16", "h2mux"), ("s2_get_c16_m16", "h2o"), AT_LEAST, 0.8),
    ("2c. server CPU per request in scenario 2: ≤ 1.5 µs",
     ("s2_get_c16_m16_cpu", "h2mux"), None, AT_MOST, 1.5),
    ("3. 1 MiB responses, 1 conn × 10 streams: ≥ 1.0× nghttpd",
     ("s3_1MiB_c1_m10", "h2mux"), ("s3_1MiB_c1_m10", "nghttpd"), AT_LEAST, 1.0),
    ("7. POST /echo 16 KiB, 1 conn × 100 streams: ≥ 1.0× h2o",
     ("s7_echo16k_c1_m100", "h2mux"), ("s7_echo16k_c1_m100", "h2o"), AT_LEAST, 1.0),
    ("8. latency 1 conn × 10 streams: p99 ≤ Netty 4.1's",
     ("s8_latency_c1_m10_p99", "h2mux"), ("s8_latency_c1_m10_p99", "netty41"), AT_MOST, 1.0),
    ("8. latency 1 conn × 10 streams: p99.9 ≤ 2× p99",
     ("s8_latency_c1_m10_p999", "h2mux"), ("s8_latency_c1_m10_p99", "h2mux"), AT_MOST, 2.0),
    ("6. HTTP/1.1 keep-alive GET, 16 conns: ≥ 1.2× Netty 4.1",
     ("s6_h1_get_c16", "h2mux"), ("s6_h1_get_c16", "netty41"), AT_LEAST, 1.2),
    ("6. HTTP/1.1 keep-alive GET, 16 conns: ≥ 0.7× h2o",
     ("s6_h1_get_c16", "h2mux"), ("s6_h1_get_c16", "h2o"), AT_LEAST, 0.7),
    ("5c. peak RSS after the suite: ≤ 0.5× Netty 4.1's",
     ("s5_peak_rss_suite", "h2mux"), ("s5_peak_rss_suite", "netty41"), AT_MOST, 0.5),
    ("C1. client, 100k GETs over 1 conn → nghttpd: ≥ 2× the Jetty client",
     ("client_get_rps@nghttpd", "h2mux"), ("client_get_rps@nghttpd", "jetty"), AT_LEAST, 2.0),
    ("C1. client, 100k GETs over 1 conn → nghttpd: ≥ 0.5× h2load",
     ("client_get_rps@nghttpd", "h2mux"), ("client_get_rps@nghttpd", "h2load"), AT_LEAST, 0.5),
    ("C2. client, 1 GiB download ← nghttpd: ≥ 1.0× curl",
     ("client_download_MBps@nghttpd", "h2mux"), ("client_download_MBps@nghttpd", "curl"),
     AT_LEAST, 1.0),
    ("C2. client, 1 GiB download ← h2mux: ≥ 1.0× curl",
     ("client_download_MBps@h2mux", "h2mux"), ("client_download_MBps@h2mux", "curl"),
     AT_LEAST, 1.0),
]


def meets(value, goal, bound):
    return value >= bound if goal == AT_LEAST else value <= bound


def evaluate(per_round, units):
    """per_round: {(scenario, peer): {round: value}} without missing values.

    Returns one dict per target: label, what (the ratio or the measurement), absolute, median,
    low, high, rounds, rounds_met, goal, bound, met (True/False/None when not measured),
    missing (the measurements that were absent), unit.
    """
    results = []
    for label, num, den, goal, bound in TARGETS:
        r = {"label": label, "goal": goal, "bound": bound, "absolute": den is None,
             "median": None, "low": None, "high": None, "rounds": 0, "rounds_met": 0,
             "met": None, "unit": units.get(num[0], "")}
        nums = per_round.get(num, {})
        dens = per_round.get(den, {}) if den else None
        r["what"] = num[1] if den is None else describe(num, den)
        measured = [(num, nums)] + ([(den, dens)] if den else [])
        r["missing"] = [f"{p} {sc}" for (sc, p), have in measured if not have]
        if nums and (den is None or dens):
            if den is None:
                per = list(nums.values())
                r["median"] = statistics.median(per)
            else:
                paired = [k for k in nums if k in dens and dens[k] != 0]
                per = [nums[k] / dens[k] for k in paired]
                m = statistics.median(dens.values())
                r["median"] = statistics.median(nums.values()) / m if m else None
            if per:
                r["low"], r["high"], r["rounds"] = min(per), max(per), len(per)
                r["rounds_met"] = sum(1 for v in per if meets(v, goal, bound))
            if r["median"] is not None:
                r["met"] = meets(r["median"], goal, bound)
        results.append(r)
    return results


def describe(num, den):
    if num[0] == den[0]:
        return f"{num[1]} / {den[1]}"
    if num[1] == den[1]:
        return f"{short_metric(num[0])} / {short_metric(den[0])}"
    return f"{num[1]} {num[0]} / {den[1]} {den[0]}"


def short_metric(scenario):
    """s8_latency_c1_m10_p999 -> p99.9."""
    tail = scenario.rsplit("_", 1)[-1]
    return {"p999": "p99.9"}.get(tail, tail)


def number(v, absolute, unit):
    return f"{v:.2f} {unit}" if absolute else f"{v:.2f}×"


def span(low, high, absolute, unit):
    return f"{low:.2f}–{high:.2f} {unit}" if absolute else f"{low:.2f}–{high:.2f}×"


def markdown(results):
    lines = ["| target (issue 14) | ratio | median | min–max over rounds | rounds met | met |",
             "|---|---|---|---|---|---|"]
    for r in results:
        if r["median"] is None:
            missing = ", ".join(r["missing"]) or "a measurement"
            cells = [r["label"], r["what"], "N/A", "—", "—", f"N/A: no {missing}"]
        else:
            med = number(r["median"], r["absolute"], r["unit"])
            low_high = span(r["low"], r["high"], r["absolute"], r["unit"]) if r["rounds"] else "—"
            cells = [r["label"], r["what"], med, low_high, f"{r['rounds_met']} of {r['rounds']}",
                     "yes" if r["met"] else "no"]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("median: the ratio of the two medians (the h2mux/peer columns above); min–max:"
                 " the per-round ratios, each of one round's two values; met: the median"
                 " meets the target.")
    return lines


def write_csv(path, results, stamp):
    with open(path, "w", newline="", encoding="utf-8") as f:
        for line in stamp:
            f.write(f"# {line}\n")
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["target", "ratio", "median", "min", "max", "rounds", "rounds_met", "goal",
                    "bound", "met"])
        for r in results:
            def v(x):
                return "NA" if x is None else f"{x:.3f}"
            w.writerow([r["label"], r["what"], v(r["median"]), v(r["low"]), v(r["high"]),
                        r["rounds"], r["rounds_met"], r["goal"], f"{r['bound']:g}",
                        "NA" if r["met"] is None else ("yes" if r["met"] else "no")])
