#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Summarize bench-compare.sh runs: a table on stdout; with doc output on,
doc/bench/compare.json, doc/img/compare.png (gnuplot) and the section between
the compare markers of doc/performance.md.

Usage: compare-report.py RESULTS_DIR DURATION REPS UDP_RATE WRITE_DOC
"""
import os

from vmmio_report import (GUEST_CPU, HISTOGRAMS, LABEL, NET_COLS, SHORT, TOP, args, dat_row,
                          gnuplot, iperf_tcp, load_json, machine, median, median_table, net_panels,
                          phase_percent, ping_metrics, ratio_row, read_text, replace_section,
                          run_dirs, summarize, write_results)

ORDER = ["pmd-modern-mmap", "pmd-modern-pread", "pmd-modern-uio", "pmd-legacy-mmap", "bridge",
         "dpdk-pci"]
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
# the baselines of the ratio table
BASES = ("bridge", "dpdk-pci")


def one_run(d):
    """Metrics of one run directory (absent keys: not measured)."""
    r = iperf_tcp(d, retr=("tcp1",))
    j = load_json(os.path.join(d, "udp.json"))
    try:
        s = j["end"]["sum"]
        got = s["packets"] - s["lost_packets"]
        r["udp_kpps"] = got / s["seconds"] / 1e3
        r["udp_loss"] = s["lost_percent"]
    except (TypeError, KeyError, ZeroDivisionError):
        pass
    r.update(ping_metrics(os.path.join(d, "ping.txt")))
    cpu = phase_percent(read_text(os.path.join(d, "console")), GUEST_CPU)
    for ph in ("idle", "tcp1", "udp"):
        if ph in cpu:
            r["cpu_" + ph] = cpu[ph]
    return r


def pmd_ratios(summary, order):
    """{PMD configuration: {baseline: {key: ratio of medians}}}: PMD /
    baseline (>1 is better for throughput; for RTT the ratio is baseline /
    PMD, so >1 is better too)."""
    ratios = {}
    for c in order:
        if not c.startswith("pmd-"):
            continue
        for base in BASES:
            if base not in summary:
                continue
            for key, _, _, better in METRICS:
                if better is None:
                    continue
                a, b = median(summary[c], key), median(summary[base], key)
                if a and b:
                    ratios.setdefault(c, {}).setdefault(base, {})[key] = \
                        a / b if better else b / a
    return ratios


def ratio_table(summary, ratios):
    """One row per PMD configuration and baseline, one column per metric
    with a ratio ("" when there is none)."""
    bases = [b for b in BASES if b in summary]
    if not ratios or not bases:
        return ""
    keys = [(k, l) for k, l, _, b in METRICS if b is not None]
    rows = ["| PMD configuration | against | " + " | ".join(l for _, l in keys) + " |",
            "|---|---|" + "---|" * len(keys)]
    for c in ratios:
        for base in bases:
            rows.append(ratio_row(LABEL[c] + " | " + LABEL[base], ratios[c].get(base, {}),
                                  [k for k, _ in keys]))
    return "\n".join(rows)


def write_plot(res, png, order, summary, reps):
    """RESULTS_DIR/plot.dat of the medians and the three-panel PNG."""
    dat = os.path.join(res, "plot.dat")
    with open(dat, "w") as f:
        f.write("# config tcp1 tcp1lo tcp1hi tcp4 tcp4lo tcp4hi kpps kppslo kppshi p50 p99\n")
        for c in order:
            f.write(dat_row(SHORT[c], summary[c], NET_COLS, "%f" % 0))
    gnuplot(png, 1600, 440, """set multiplot layout 1,3 title 'Forwarding through the aarch64 \
guest (TCG): medians of %(reps)s runs, bars min-max'
%(histograms)sset key top right
%(net)sunset multiplot
""" % {"reps": reps, "histograms": HISTOGRAMS, "net": net_panels(dat, "kpps")})


def doc_section(info, table, rtable, bad):
    """The compare section of doc/performance.md, markers included."""
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
    if bad:
        section += "Runs without a TCP result (failed runs): %s.\n\n" % bad
    section += "![comparison](img/compare.png)\n\nRaw data: `doc/bench/compare.json`.\n"
    return section + "<!-- compare:end -->"


def main():
    res, duration, reps, udp_rate, write_doc = args(__doc__, 5)
    runs = {}
    for c, d in run_dirs(res):
        runs.setdefault(c, []).append(one_run(d))
    order = [c for c in ORDER if c in runs]
    summary = summarize(runs, order, [m[0] for m in METRICS])
    table = median_table(order, LABEL, METRICS, summary)
    ratios = pmd_ratios(summary, order)
    rtable = ratio_table(summary, ratios)
    print(table)
    if rtable:
        print()
        print(rtable)
    failed = {c: sum(1 for r in runs[c] if "tcp1" not in r) for c in order}
    if write_doc != "1":
        return
    info = machine("QEMU virt, cortex-a57, TCG, 2 vCPUs, 2 GiB; l2fwd busy-polls on lcore 0",
                   iperf3_seconds=int(duration), repetitions=int(reps),
                   udp_offered=udp_rate + "bit/s of 64-byte payload")
    doc = os.path.join(TOP, "doc")
    write_results(doc, "compare", info, summary, ratios, runs)
    write_plot(res, os.path.join(doc, "img", "compare.png"), order, summary, reps)
    bad = ", ".join("%s: %d" % (LABEL[c], n) for c, n in failed.items() if n)
    replace_section(os.path.join(doc, "performance.md"), "<!-- compare:begin",
                    "<!-- compare:end -->", doc_section(info, table, rtable, bad),
                    "# Performance\n\n\n")
    print("wrote doc/performance.md, doc/img/compare.png, doc/bench/compare.json")


if __name__ == "__main__":
    main()
