#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Summarize bench-compare.sh runs: a table on stdout; with doc output on,
doc/bench/compare.json, doc/img/compare.png (gnuplot) and the section between
the compare markers of doc/performance.md.

Usage: compare-report.py RESULTS_DIR DURATION REPS UDP_RATE WRITE_DOC
"""
import datetime
import glob
import json
import os
import re
import subprocess
import sys

from vmmio_report import TOP, fmt_stat, machine, pct, ping_rtts, stats

ORDER = ["pmd-modern-mmap", "pmd-modern-pread", "pmd-modern-uio", "pmd-legacy-mmap", "bridge",
         "dpdk-pci"]
LABEL = {
    "pmd-modern-mmap": "PMD modern mmap",
    "pmd-modern-pread": "PMD modern pread",
    "pmd-modern-uio": "PMD modern UIO",
    "pmd-legacy-mmap": "PMD legacy mmap",
    "bridge": "kernel bridge",
    "dpdk-pci": "DPDK net_virtio PCI",
}
SHORT = {
    "pmd-modern-mmap": "PMD-mmap",
    "pmd-modern-pread": "PMD-pread",
    "pmd-modern-uio": "PMD-UIO",
    "pmd-legacy-mmap": "PMD-legacy",
    "bridge": "bridge",
    "dpdk-pci": "DPDK-PCI",
}
# key, label, format, higher is better (for ratios), ratio shown
METRICS = [
    ("tcp1", "TCP 1 stream Mbit/s", "%.0f", True),
    ("tcp4", "TCP 4 streams Mbit/s", "%.0f", True),
    ("tcp1_retr", "TCP 1 stream retransmits", "%.0f", None),
    ("udp_kpps", "UDP 64 B forwarded kpps", "%.1f", True),
    ("udp_loss", "UDP 64 B loss %", "%.1f", None),
    ("rtt_p50", "ping RTT p50 ms", "%.3f", False),
    ("rtt_p99", "ping RTT p99 ms", "%.3f", False),
    ("cpu_idle", "guest CPU idle phase %", "%.1f", None),
    ("cpu_tcp1", "guest CPU TCP 1 stream %", "%.1f", None),
    ("cpu_udp", "guest CPU UDP %", "%.1f", None),
]


def load(path):
    try:
        return json.load(open(path))
    except (OSError, ValueError):
        return None


def one_run(d):
    r = {}
    for name in ("tcp1", "tcp4"):
        j = load(os.path.join(d, name + ".json"))
        try:
            r[name] = j["end"]["sum_received"]["bits_per_second"] / 1e6
            if name == "tcp1":
                r["tcp1_retr"] = j["end"]["sum_sent"].get("retransmits", 0)
        except (TypeError, KeyError):
            pass
    j = load(os.path.join(d, "udp.json"))
    try:
        s = j["end"]["sum"]
        got = s["packets"] - s["lost_packets"]
        r["udp_kpps"] = got / s["seconds"] / 1e3
        r["udp_loss"] = s["lost_percent"]
    except (TypeError, KeyError, ZeroDivisionError):
        pass
    rtts = ping_rtts(os.path.join(d, "ping.txt"))
    if rtts:
        r["rtt_p50"] = pct(rtts, 0.5)
        r["rtt_p99"] = pct(rtts, 0.99)
    try:
        text = open(os.path.join(d, "console"), errors="replace").read()
    except OSError:
        text = ""
    acc = {}
    for ph, b, t in re.findall(r"GUEST-CPU phase=(\w+) busy=(\d+) total=(\d+)", text):
        a = acc.setdefault(ph, [0, 0])
        a[0] += int(b)
        a[1] += int(t)
    for ph in ("idle", "tcp1", "udp"):
        if acc.get(ph, [0, 0])[1] > 0:
            r["cpu_" + ph] = 100.0 * acc[ph][0] / acc[ph][1]
    return r


def main():
    res, duration, reps, udp_rate, write_doc = sys.argv[1:6]
    runs = {}
    for d in sorted(glob.glob(os.path.join(res, "*", "*"))):
        runs.setdefault(os.path.basename(os.path.dirname(d)), []).append(one_run(d))
    order = [c for c in ORDER if c in runs]
    summary = {}
    for c in order:
        summary[c] = {}
        for key, _, _, _ in METRICS:
            v = [r[key] for r in runs[c] if key in r]
            if v:
                summary[c][key] = stats(v)
    rows = ["| metric | " + " | ".join(LABEL[c] for c in order) + " |",
            "|---|" + "---|" * len(order)]
    for key, label, f, _ in METRICS:
        rows.append("| %s | %s |" % (label, " | ".join(
            fmt_stat(summary[c].get(key), f) for c in order)))
    table = "\n".join(rows)

    # Ratios of medians: PMD configuration / baseline (>1 is better for
    # throughput; for RTT the ratio is baseline / PMD, so >1 is better too).
    ratios = {}
    for c in order:
        if not c.startswith("pmd-"):
            continue
        for base in ("bridge", "dpdk-pci"):
            if base not in summary:
                continue
            for key, _, _, better in METRICS:
                if better is None:
                    continue
                a = summary[c].get(key, {}).get("median")
                b = summary[base].get(key, {}).get("median")
                if a and b:
                    ratios.setdefault(c, {}).setdefault(base, {})[key] = \
                        a / b if better else b / a
    rrows = []
    bases = [b for b in ("bridge", "dpdk-pci") if b in summary]
    if ratios and bases:
        keys = [(k, l) for k, l, _, b in METRICS if b is not None]
        rrows.append("| PMD configuration | against | " + " | ".join(l for _, l in keys) + " |")
        rrows.append("|---|---|" + "---|" * len(keys))
        for c in ratios:
            for base in bases:
                rr = ratios[c].get(base, {})
                rrows.append("| %s | %s | %s |" % (LABEL[c], LABEL[base], " | ".join(
                    ("%.2fx" % rr[k]) if k in rr else "n/a" for k, _ in keys)))
    rtable = "\n".join(rrows)
    print(table)
    if rtable:
        print()
        print(rtable)
    failed = {c: sum(1 for r in runs[c] if "tcp1" not in r) for c in order}
    if write_doc != "1":
        return
    info = machine("QEMU virt, cortex-a57, TCG, 2 vCPUs, 2 GiB; l2fwd busy-polls on lcore 0")
    info.update({"date": datetime.date.today().isoformat(), "iperf3_seconds": int(duration),
                 "repetitions": int(reps), "udp_offered": udp_rate + "bit/s of 64-byte payload"})
    os.makedirs(os.path.join(TOP, "doc", "bench"), exist_ok=True)
    os.makedirs(os.path.join(TOP, "doc", "img"), exist_ok=True)
    json.dump({"machine": info, "summary": summary, "ratios": ratios, "runs": runs},
              open(os.path.join(TOP, "doc", "bench", "compare.json"), "w"), indent=1)

    dat = os.path.join(res, "plot.dat")
    with open(dat, "w") as f:
        f.write("# config tcp1 tcp1lo tcp1hi tcp4 tcp4lo tcp4hi kpps kppslo kppshi p50 p99\n")
        for c in order:
            s = summary[c]

            def g(k, w="median"):
                return s.get(k, {}).get(w, 0)
            f.write('"%s" %f %f %f %f %f %f %f %f %f %f %f\n' % (
                SHORT[c], g("tcp1"), g("tcp1", "min"), g("tcp1", "max"),
                g("tcp4"), g("tcp4", "min"), g("tcp4", "max"), g("udp_kpps"),
                g("udp_kpps", "min"), g("udp_kpps", "max"), g("rtt_p50"), g("rtt_p99")))
    png = os.path.join(TOP, "doc", "img", "compare.png")
    gp = """
set terminal pngcairo size 1600,440 font ',9'
set output '%(png)s'
set multiplot layout 1,3 title 'Forwarding through the aarch64 guest (TCG): medians of %(reps)s runs, bars min-max'
set style data histograms
set style histogram errorbars gap 2 lw 1
set style fill solid 0.8 border -1
set key top right
set grid ytics
set yrange [0:*]
set title 'iperf3 TCP'
set ylabel 'Mbit/s'
plot '%(dat)s' using 2:3:4:xtic(1) title '1 stream', '' using 5:6:7 title '4 streams'
set title 'UDP 64 B forwarded'
set ylabel 'kpps'
plot '%(dat)s' using 8:9:10:xtic(1) title 'kpps'
set style histogram clustered gap 1
set title 'ping RTT'
set ylabel 'ms'
plot '%(dat)s' using 11:xtic(1) title 'p50', '' using 12 title 'p99'
unset multiplot
""" % {"png": png, "reps": reps, "dat": dat}
    subprocess.run(["gnuplot"], input=gp, text=True, check=True)

    section = """<!-- compare:begin (written by usertools/bench-compare.sh) -->
## Side by side: this PMD, the kernel bridge, DPDK's virtio-PCI PMD

Run on %(date)s with `usertools/bench-compare.sh --reps %(repetitions)s --duration %(iperf3_seconds)s`:
every configuration boots the same guest image under the same QEMU, with two
NICs on taps in two host network namespaces; iperf3 runs from one namespace
to the other through the guest. Configurations alternate in rotating order;
figures are medians with min–max over %(repetitions)s runs. UDP offers
%(udp_offered)s. Guest CPU is busy time over all vCPUs (100%% = both busy).

- host: %(host)s
- %(qemu)s; %(iperf3)s
- guest: %(guest)s; kernel %(guest_kernel)s

""" % info
    section += table + "\n\n"
    if rtable:
        section += ("Ratios of medians (above 1: the PMD does better; for RTT the "
                    "baseline's RTT over the PMD's):\n\n" + rtable + "\n\n")
    bad = ", ".join("%s: %d" % (LABEL[c], n) for c, n in failed.items() if n)
    if bad:
        section += "Runs without a TCP result (failed runs): %s.\n\n" % bad
    section += "![comparison](img/compare.png)\n\nRaw data: `doc/bench/compare.json`.\n"
    section += "<!-- compare:end -->\n"
    perf = os.path.join(TOP, "doc", "performance.md")
    try:
        text = open(perf).read()
    except OSError:
        text = "# Performance\n\n"
    m = re.search(r"<!-- compare:begin.*?<!-- compare:end -->\n", text, re.S)
    text = text[:m.start()] + section + text[m.end():] if m else text + "\n" + section
    open(perf, "w").write(text)
    print("wrote doc/performance.md, doc/img/compare.png, doc/bench/compare.json")


if __name__ == "__main__":
    main()
