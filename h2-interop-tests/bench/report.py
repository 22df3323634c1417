#!/usr/bin/env python3
"""Turns the benchmark harness's raw rows into its reports (standard library only).

Reads results.csv (scenario,peer,round,value,unit) and meta.txt (key=value lines), writes to
--out:
  results.csv  every measurement, stamped with the machine, JDK and date in '#' lines
  summary.csv  the median per scenario and peer, the number of rounds, and h2mux / peer
  targets.csv  issue 14's targets: each ratio's median, its min-max over rounds, met or not
  summary.md   the same as Markdown tables, for docs/BENCHMARKS.md (also printed)
  results.svg  grouped bars per scenario, each normalized to h2mux = 1.0, with labels
"""
import argparse
import csv
import html
import os
import statistics

import targets

# Scenario id -> (title, higher is better)
SCENARIOS = {
    "s1_get_c1_m100": ("1. GET / small page, 1 conn x 100 streams", True),
    "s1_get_c1_m100_cpu": ("1c. server CPU per request, scenario 1", False),
    "s2_get_c16_m16": ("2. GET / small page, 16 conns x 16 streams", True),
    "s2_get_c16_m16_cpu": ("2c. server CPU per request, scenario 2", False),
    "s3_1MiB_c1_m10": ("3. GET 1 MiB, 1 conn x 10 streams", True),
    "s3_1MiB_c1_m10_cpu": ("3c. server CPU per MiB, scenario 3", False),
    "s4_echo16k_c4_m16": ("4. POST echo 16 KiB, 4 conns x 16", True),
    "s4_echo16k_c4_m16_cpu": ("4c. server CPU per request, scenario 4", False),
    "s5_peak_rss": ("5a. peak RSS during 1-4", False),
    "s5_idle_rss_per_conn": ("5b. RSS per idle h2 connection", False),
    "s5_peak_rss_suite": ("5c. peak RSS after the whole suite (1-4, 6-8)", False),
    "s6_h1_get_c16": ("6. HTTP/1.1 GET /, 16 conns keep-alive", True),
    "s6_h1_get_c16_cpu": ("6c. server CPU per request, scenario 6", False),
    "s7_echo16k_c1_m100": ("7. POST echo 16 KiB, 1 conn x 100 streams", True),
    "s7_echo16k_c1_m100_cpu": ("7c. server CPU per request, scenario 7", False),
    "s8_latency_c1_m10_p50": ("8. latency p50, GET / small, 1 conn x 10 streams", False),
    "s8_latency_c1_m10_p99": ("8. latency p99, GET / small, 1 conn x 10 streams", False),
    "s8_latency_c1_m10_p999": ("8. latency p99.9, GET / small, 1 conn x 10 streams", False),
    "client_get_rps@nghttpd": ("C1. client: 100k GETs, 100 in flight -> nghttpd", True),
    "client_get_rps@h2mux": ("C1. client: 100k GETs, 100 in flight -> h2mux", True),
    "client_download_MBps@nghttpd": ("C2. client: 1 GiB download <- nghttpd", True),
    "client_download_MBps@h2mux": ("C2. client: 1 GiB download <- h2mux", True),
    "client_download_first_MBps@nghttpd":
        ("C2a. client: first 1 GiB download in a fresh JVM <- nghttpd", True),
    "client_download_first_MBps@h2mux":
        ("C2a. client: first 1 GiB download in a fresh JVM <- h2mux", True),
}
SERVER_PEERS = ["h2mux", "jetty", "netty", "netty41", "nghttpd", "h2o"]
CLIENT_PEERS = ["h2mux", "jdk", "okhttp", "jetty", "h2load", "curl"]
COLORS = {
    "h2mux": "#d62728", "jetty": "#1f77b4", "netty": "#2ca02c", "netty41": "#98df8a",
    "nghttpd": "#9467bd", "h2o": "#8c564b", "jdk": "#ff7f0e", "okhttp": "#17becf",
    "h2load": "#bcbd22", "curl": "#7f7f7f",
}


def read_meta(path):
    meta = {}
    with open(path) as f:
        for line in f:
            if "=" in line:
                k, v = line.rstrip("\n").split("=", 1)
                meta[k] = v
    return meta


def stamp_lines(meta):
    versions = [f"{k[len('version_'):]} {v}" for k, v in sorted(meta.items())
                if k.startswith("version_")]
    return [
        f"machine: {meta.get('nproc', '?')} x {meta.get('cpu', '?')}",
        f"jdk: {meta.get('jdk', '?')}; server JVM flags: {meta.get('jvm_opts', '?')}",
        f"date: {meta.get('date', '?')}; {meta.get('mode', '')}; load average before/after: "
        f"{meta.get('loadavg_before', '?')} / {meta.get('loadavg_after', '?')}",
        f"tools: {meta.get('h2load', '')}; {meta.get('nghttpd', '')}; {meta.get('h2o', '')}; "
        f"{meta.get('curl', '')}; h2o mruby (POST echo): {meta.get('h2o_mruby', '?')}",
    ] + ([f"Java peers: {', '.join(versions)} (netty = Netty 4.2, netty41 = Netty 4.1)"]
         if versions else []) + ([f"note: {meta['note']}"] if meta.get("note") else [])


def fmt(v):
    if v is None:
        return "N/A"
    if v >= 1000:
        return f"{v:,.0f}"
    if v >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--meta", required=True)
    ap.add_argument("--results", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    meta = read_meta(args.meta)
    stamp = stamp_lines(meta)

    rows = []
    with open(args.results) as f:
        for row in csv.DictReader(line for line in f if not line.startswith("#")):
            rows.append(row)

    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "results.csv"), "w", newline="", encoding="utf-8") as f:
        for line in stamp:
            f.write(f"# {line}\n")
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["scenario", "peer", "round", "value", "unit"])
        for r in rows:
            w.writerow([r["scenario"], r["peer"], r["round"], r["value"], r["unit"]])

    # Medians per (scenario, peer); NA rows count as missing.
    values, units, order, per_round = {}, {}, [], {}
    for r in rows:
        key = (r["scenario"], r["peer"])
        if r["scenario"] not in order:
            order.append(r["scenario"])
        # An NA row of a server that did not start carries unit "-": keep the real unit.
        if r["unit"] not in ("", "-") or r["scenario"] not in units:
            units[r["scenario"]] = r["unit"]
        values.setdefault(key, [])
        try:
            values[key].append(float(r["value"]))
            per_round.setdefault(key, {})[r["round"]] = float(r["value"])
        except ValueError:
            pass
    order.sort(key=lambda s: list(SCENARIOS).index(s) if s in SCENARIOS else 99)

    def peers_of(scenario):
        known = CLIENT_PEERS if scenario.startswith("client_") else SERVER_PEERS
        present = [p for (s, p) in values if s == scenario]
        return [p for p in known if p in present] + sorted(p for p in present if p not in known)

    medians = {}
    for key, vs in values.items():
        medians[key] = statistics.median(vs) if vs else None

    summary = []
    for s in order:
        base = medians.get((s, "h2mux"))
        for p in peers_of(s):
            m = medians.get((s, p))
            ratio = base / m if base and m else None
            summary.append((s, p, m, units[s], len(values[(s, p)]), ratio))
    with open(os.path.join(args.out, "summary.csv"), "w", newline="", encoding="utf-8") as f:
        for line in stamp:
            f.write(f"# {line}\n")
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["scenario", "peer", "median", "unit", "rounds", "h2mux_over_peer"])
        for s, p, m, u, n, ratio in summary:
            w.writerow([s, p, "NA" if m is None else f"{m:.1f}", u, n,
                        "NA" if ratio is None else f"{ratio:.3f}"])

    # Markdown: one row per scenario, one column per peer, plus the ratios.
    md = []
    for side, peers in (("server", SERVER_PEERS), ("client", CLIENT_PEERS)):
        scen = [s for s in order if s.startswith("client_") == (side == "client")]
        if not scen:
            continue
        others = [p for p in peers if p != "h2mux"]
        head = ["scenario", "unit", "better"] + peers + [f"h2mux/{p}" for p in others]
        md.append("| " + " | ".join(head) + " |")
        md.append("|" + "---|" * len(head))
        for s in scen:
            title, higher = SCENARIOS.get(s, (s, True))
            cells = [title, units[s], "higher" if higher else "lower"]
            cells += [fmt(medians.get((s, p))) if (s, p) in values else "—" for p in peers]
            base = medians.get((s, "h2mux"))
            for p in others:
                m = medians.get((s, p))
                cells.append(f"{base / m:.2f}" if base and m else "—")
            md.append("| " + " | ".join(cells) + " |")
        md.append("")
    md.append("Medians over the rounds; h2mux/peer > 1 means h2mux measured more (better for"
              " rates, worse for memory, CPU time and latency). — = not run, N/A = failed or"
              " unsupported. h2mux answers the small GETs from /bytes/12 (12 bytes, like the"
              " others' /).")
    md.append("")
    checked = targets.evaluate(per_round, units)
    targets.write_csv(os.path.join(args.out, "targets.csv"), checked, stamp)
    md += targets.markdown(checked)
    md.append("")
    md += [f"- {line}" for line in stamp]
    with open(os.path.join(args.out, "summary.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(md) + "\n")
    print("\n".join(md))

    write_svg(os.path.join(args.out, "results.svg"), order, peers_of, medians, units, stamp)


def write_svg(path, order, peers_of, medians, units, stamp):
    """Grouped bars, one group per scenario, each bar = peer median / h2mux median."""
    groups = []
    for s in order:
        base = medians.get((s, "h2mux"))
        bars = [(p, medians.get((s, p))) for p in peers_of(s)]
        groups.append((s, base, bars))
    cap = 3.0  # ratios above the cap are drawn clipped, with their number on top
    bar_w, gap, left, top, plot_h = 22, 34, 70, 120, 300
    width = left + sum(len(b) * bar_w + gap for _, _, b in groups) + 190
    height = top + plot_h + 150
    out = []
    e = html.escape
    out.append(f'<text x="{left}" y="24" font-size="16" font-weight="bold">h2mux benchmarks: '
               'median per scenario, normalized to h2mux = 1.0</text>')
    stamp_rows = [part for line in stamp for part in wrap(line, 170)]
    top += max(0, len(stamp_rows) - 5) * 14
    height += max(0, len(stamp_rows) - 5) * 14
    for i, line in enumerate(stamp_rows):
        out.append(f'<text x="{left}" y="{44 + 14 * i}" fill="#444">{e(line)}</text>')
    out.insert(0, f'<rect width="{width}" height="{height}" fill="white"/>')
    out.insert(0, f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
               f'font-family="DejaVu Sans, Arial, sans-serif" font-size="11">')
    y0 = top + plot_h

    def y(ratio):
        return y0 - min(ratio, cap) / cap * plot_h

    for t in [0, 0.5, 1, 1.5, 2, 2.5, 3]:
        yy = y(t)
        color = "#000" if t == 1 else "#ddd"
        out.append(f'<line x1="{left}" x2="{width - 180}" y1="{yy:.1f}" y2="{yy:.1f}" '
                   f'stroke="{color}" stroke-dasharray="{"" if t in (0, 1) else "3,3"}"/>')
        out.append(f'<text x="{left - 6}" y="{yy + 4:.1f}" text-anchor="end">{t:g}x</text>')
    x = left + gap / 2
    for s, base, bars in groups:
        title, higher = SCENARIOS.get(s, (s, True))
        gx = x
        for p, m in bars:
            color = COLORS.get(p, "#bbb")
            if base and m:
                ratio = m / base
                yy = y(ratio)
                out.append(f'<rect x="{x:.1f}" y="{yy:.1f}" width="{bar_w - 3}" '
                           f'height="{y0 - yy:.1f}" fill="{color}"><title>{e(p)}: {fmt(m)} '
                           f'{e(units[s])} ({ratio:.2f}x h2mux)</title></rect>')
                label = f"{ratio:.2f}" + ("▲" if ratio > cap else "")
                out.append(f'<text x="{x + bar_w / 2 - 1.5:.1f}" y="{yy - 4:.1f}" font-size="9" '
                           f'text-anchor="middle" transform="rotate(-60 {x + bar_w / 2 - 1.5:.1f} '
                           f'{yy - 4:.1f})">{label}</text>')
            else:
                out.append(f'<text x="{x + bar_w / 2 - 1.5:.1f}" y="{y0 - 4}" font-size="8" '
                           f'text-anchor="middle" fill="#999">n/a</text>')
            x += bar_w
        mid = (gx + x) / 2
        lines = wrap(title, 22) + [f"h2mux: {fmt(base)} {units[s]}",
                                   "higher is better" if higher else "lower is better"]
        for i, line in enumerate(lines):
            out.append(f'<text x="{mid:.1f}" y="{y0 + 16 + 12 * i}" text-anchor="middle" '
                       f'font-size="9.5" fill="{"#000" if i < len(lines) - 2 else "#555"}">'
                       f'{e(line)}</text>')
        x += gap
    # Legend
    lx, ly = width - 170, top
    seen = []
    for _, _, bars in groups:
        for p, _ in bars:
            if p not in seen:
                seen.append(p)
    out.append(f'<text x="{lx}" y="{ly - 8}" font-weight="bold">peer (server or client)</text>')
    for i, p in enumerate(seen):
        out.append(f'<rect x="{lx}" y="{ly + 16 * i}" width="12" height="12" '
                   f'fill="{COLORS.get(p, "#bbb")}"/>')
        out.append(f'<text x="{lx + 18}" y="{ly + 10 + 16 * i}">{e(p)}</text>')
    out.append(f'<text x="{lx}" y="{ly + 16 * len(seen) + 20}" font-size="9" fill="#555">'
               f'bars clipped at {cap:g}x (▲)</text>')
    out.append("</svg>")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


def wrap(text, width):
    words, lines, cur = text.split(), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    if cur:
        lines.append(cur)
    return lines


if __name__ == "__main__":
    main()
