#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Summarize bench-rx-modes.sh runs: a table on stdout (metrics by mode,
median (min-max) over repetitions, ratio rows); with WRITE_DOC=1 also
doc/bench/DOC_NAME.json, doc/img/DOC_NAME.png (gnuplot) and the section
between "<!-- bench:DOC_NAME begin -->" and "<!-- bench:DOC_NAME end -->" in
doc/rx-modes.md (appended with its markers when they are absent).

Usage: bench-report.py RESULTS_DIR VARIANT DURATION REPS UDP_RATE DOC_NAME WRITE_DOC
  RESULTS_DIR  MODE/REP/ run directories (console, ping.txt, tcp1.json,
               tcp4.json, udp.json) and a "modes" file with the column order
  VARIANT      "legacy" or "" (modern)
Env: VMMIO_DOC_DIR, the doc directory to write into (default doc/ of the
checkout).
"""
import os
import re
import sys

from vmmio_report import (GUEST_CPU, HISTOGRAMS, LCORE_CPU, NET_COLS, TOP, args, dat_row,
                          gnuplot, iperf_tcp, load_json, machine, median, median_table,
                          net_panels, phase_percent, ping_metrics, ratio_row, read_text,
                          replace_section, run_dirs, summarize, write_results)

KNOWN = ["poll", "interrupt", "adaptive", "interrupt-swring", "interrupt-direct",
         "adaptive-swring", "adaptive-direct", "bridge"]
# key, label, format
METRICS = [
    ("rtt_p50", "ping RTT p50 ms", "%.3f"),
    ("rtt_p99", "ping RTT p99 ms", "%.3f"),
    ("tcp1", "TCP 1 stream Mbit/s", "%.0f"),
    ("tcp1_retr", "TCP 1 stream retransmits", "%.0f"),
    ("tcp4", "TCP 4 streams Mbit/s", "%.0f"),
    ("tcp4_retr", "TCP 4 streams retransmits", "%.0f"),
    ("udp_offered", "UDP 64 B offered kpps", "%.1f"),
    ("udp_kpps", "UDP 64 B forwarded kpps", "%.1f"),
    ("udp_loss", "UDP 64 B loss %", "%.1f"),
    ("tx_dropped", "l2fwd TX drops (both ports)", "%.0f"),
    ("imissed", "RX imissed (both ports)", "%.0f"),
    ("lcore_idle", "lcore CPU idle %", "%.1f"),
    ("lcore_ping", "lcore CPU ping %", "%.1f"),
    ("lcore_tcp1", "lcore CPU TCP 1 stream %", "%.1f"),
    ("guest_idle", "guest CPU idle %", "%.1f"),
    ("guest_ping", "guest CPU ping %", "%.1f"),
    ("guest_tcp1", "guest CPU TCP 1 stream %", "%.1f"),
]
# ratio rows: key, label, baseline mode (ratio of medians, mode / baseline)
RATIOS = [
    ("rtt_p50", "ping RTT p50, x bridge", "bridge"),
    ("rtt_p99", "ping RTT p99, x bridge", "bridge"),
    ("tcp1", "TCP 1 stream, x poll", "poll"),
]
PHASES = ("idle", "ping", "tcp1")


def udp(d):
    """Offered: the client's packets over its own send time. Forwarded: the
    packets minus the sequence gaps the server saw, over the server's time
    (older iperf3 has only "sum")."""
    r = {}
    try:
        e = load_json(os.path.join(d, "udp.json"))["end"]
        snt = e.get("sum_sent", e["sum"])
        rcv = e.get("sum_received", e["sum"])
        r["udp_offered"] = snt["packets"] / snt["seconds"] / 1e3
        r["udp_kpps"] = (rcv["packets"] - rcv["lost_packets"]) / rcv["seconds"] / 1e3
        r["udp_loss"] = rcv["lost_percent"]
    except (TypeError, KeyError, ZeroDivisionError):
        pass
    return r


def one_run(d):
    """Metrics of one run directory (absent keys: not measured)."""
    r = ping_metrics(os.path.join(d, "ping.txt"))
    r.update(iperf_tcp(d))
    r.update(udp(d))
    text = read_text(os.path.join(d, "console"))
    # l2fwd's last counters, one line per port (examples/l2fwd/main.c,
    # print_stats): dropped= is l2fwd's TX drops, imissed= the port's.
    final = re.findall(r"L2FWD-FINAL port=\d+ .*?\bdropped=(\d+) .*?\bimissed=(\d+)", text)
    if final:
        r["tx_dropped"] = sum(int(a) for a, _ in final)
        r["imissed"] = sum(int(b) for _, b in final)
    lcore, guest = phase_percent(text, LCORE_CPU), phase_percent(text, GUEST_CPU)
    for ph in PHASES:
        if ph in lcore:
            r["lcore_" + ph] = lcore[ph]
        if ph in guest:
            r["guest_" + ph] = guest[ph]
    return r


def mode_order(res, runs):
    """The --modes order (RESULTS_DIR/modes), then any other mode found."""
    try:
        order = open(os.path.join(res, "modes")).read().split()
    except OSError:
        order = []
    order = [m for m in order if m in runs]
    rest = sorted(m for m in runs if m not in order)
    return order + sorted(rest, key=lambda m: KNOWN.index(m) if m in KNOWN else len(KNOWN))


def gp_str(s):
    """A gnuplot single-quoted string with enhanced-text specials escaped."""
    return re.sub(r"([_^@&~{}])", r"\\\1", s).replace("'", "''")


def plot(png, dat, title):
    """Five panels: TCP, UDP, ping RTT, lcore CPU, guest CPU."""
    gnuplot(png, 1500, 860, """set datafile missing 'NaN'
set multiplot layout 2,3 title '%(title)s'
%(histograms)sset key top right
set xtics rotate by -25 nomirror
%(net)sset title 'lcore CPU (l2fwd main thread)'
set ylabel '%% of one vCPU'
set yrange [0:110]
plot '%(dat)s' using 13:xtic(1) title 'idle', '' using 14 title 'ping', '' using 15 title 'TCP 1 stream'
set title 'guest CPU (all vCPUs)'
set ylabel '%% busy'
plot '%(dat)s' using 16:xtic(1) title 'idle', '' using 17 title 'ping', '' using 18 title 'TCP 1 stream'
unset multiplot
""" % {"dat": dat, "title": title, "histograms": HISTOGRAMS,
       "net": net_panels(dat, "forwarded (min-max)")})


def write_plot(res, png, order, summary, variant, reps):
    """RESULTS_DIR/plot.dat of the medians and the five-panel PNG."""
    cols = NET_COLS + [(k, "median") for k in ["lcore_" + p for p in PHASES] +
                       ["guest_" + p for p in PHASES]]
    dat = os.path.join(res, "plot.dat")
    with open(dat, "w") as f:
        f.write("# mode tcp1 lo hi tcp4 lo hi kpps lo hi p50 p99 "
                "lcore_idle ping tcp1 guest_idle ping tcp1\n")
        for m in order:
            f.write(dat_row(m, summary[m], cols))
    plot(png, dat, gp_str(
        "l2fwd on net_virtio_mmio (%s) by RX mode, and the kernel bridge: "
        "medians of %s runs, bars min-max" % (variant, reps)))


def collect(res):
    """{mode: [run metrics]} of RESULTS_DIR/MODE/REP/, each run naming its
    directory (to find its console)."""
    runs = {}
    for mode, d in run_dirs(res):
        r = one_run(d)
        r["run"] = os.path.relpath(d, res)
        runs.setdefault(mode, []).append(r)
    return runs


def mode_ratios(summary, order):
    """{key/baseline: {mode: ratio of medians}} of the RATIOS rows."""
    ratios = {}
    for key, label, base in RATIOS:
        b = median(summary.get(base, {}), key)
        if not b:
            continue
        for m in order:
            a = median(summary[m], key)
            if a is not None:
                ratios.setdefault(key + "/" + base, {})[m] = a / b
    return ratios


def report_table(order, summary, ratios):
    """The metrics table, ratio rows below it."""
    rows = [median_table(order, {m: m for m in order}, METRICS, summary)]
    for key, label, base in RATIOS:
        rr = ratios.get(key + "/" + base)
        if rr:
            rows.append(ratio_row(label, rr, order))
    return "\n".join(rows)


def doc_info(order, variant, duration, reps, udp_rate, doc_name):
    """The results' header: machine, date, options."""
    opts = "--reps %s --duration %s --udp-rate %s --modes \"%s\"" % (
        reps, duration, udp_rate, " ".join(order))
    if variant == "legacy":
        opts += " --legacy"
    if doc_name != "rx-modes":
        opts += " --doc-name " + doc_name
    return machine("QEMU virt, cortex-a57, TCG, 2 vCPUs, 2 GiB; l2fwd on lcore 0",
                   variant=variant, iperf3_seconds=int(duration), repetitions=int(reps),
                   udp_offered=udp_rate + "bit/s of 64-byte payload",
                   options=opts, modes=order)


def doc_section(info, reps, bad, table, doc_name):
    """The section of doc/rx-modes.md, markers included."""
    para = (
        "Run on %(date)s with `usertools/bench-rx-modes.sh %(options)s` "
        "(a benchmark, not a test): every mode boots the same guest image under "
        "the same QEMU with two %(variant)s virtio-mmio NICs (mmap register "
        "access) on taps in two host network namespaces, and traffic goes from "
        "one namespace to the other through the guest: 3 s idle, %(pings)s pings at "
        "20/s, iperf3 TCP with 1 and 4 streams for %(iperf3_seconds)s s each, "
        "then UDP offering %(udp_offered)s. The l2fwd modes run "
        "`vmmio-l2fwd --rx-mode poll|interrupt|adaptive` (a `-swring` or "
        "`-direct` suffix adds the devarg `rx_intr=swring` or `rx_intr=direct` "
        "to both ports); bridge is the guest kernel's virtio_mmio + virtio_net "
        "and a Linux bridge. Modes alternate in rotating order; figures are "
        "medians with min–max over %(runs)s, ratios are ratios of "
        "medians. lcore CPU is the l2fwd main thread's utime+stime "
        "(`/proc/<pid>/task/<pid>/stat`) over a phase, in %% of one vCPU; guest "
        "CPU is busy time over all vCPUs (100%% = both busy). "
        "Host: %(host)s; %(qemu)s; %(iperf3)s; guest: %(guest)s, kernel "
        "%(guest_kernel)s." % dict(info, runs="1 run" if int(reps) == 1 else reps + " runs",
                               pings=os.environ.get("HOOK_PINGS", "100")))
    if bad:
        para += " Runs without a TCP result (failed runs): %s." % bad
    para += " Raw data: `doc/bench/%s.json`." % doc_name
    return "<!-- bench:%s begin -->\n\n%s\n\n%s\n\n![RX modes: %s](img/%s.png)\n\n" \
        "<!-- bench:%s end -->" % (doc_name, para, table, doc_name, doc_name, doc_name)


def main():
    res, variant, duration, reps, udp_rate, doc_name, write_doc = args(__doc__, 7)
    runs = collect(res)
    order = mode_order(res, runs)
    if not order:
        sys.exit("bench-report.py: no runs in %s" % res)
    summary = summarize(runs, order, [k for k, _, _ in METRICS])
    ratios = mode_ratios(summary, order)
    table = report_table(order, summary, ratios)
    print(table)
    failed = {m: sum(1 for r in runs[m] if "tcp1" not in r) for m in order}
    if any(failed.values()):
        print("\nruns without a TCP result: " + ", ".join(
            "%s %d" % (m, n) for m, n in failed.items() if n))
    if write_doc != "1":
        return

    doc = os.environ.get("VMMIO_DOC_DIR") or os.path.join(TOP, "doc")
    variant = variant or "modern"
    info = doc_info(order, variant, duration, reps, udp_rate, doc_name)
    js = write_results(doc, doc_name, info, summary, ratios, runs)
    png = os.path.join(doc, "img", doc_name + ".png")
    write_plot(res, png, order, summary, variant, reps)
    bad = ", ".join("%s: %d" % (m, n) for m, n in failed.items() if n)
    md = os.path.join(doc, "rx-modes.md")
    replace_section(md, "<!-- bench:%s begin -->" % doc_name, "<!-- bench:%s end -->" % doc_name,
                    doc_section(info, reps, bad, table, doc_name), "# RX modes\n\n")
    print("wrote %s, %s, %s" % (md, png, js))


if __name__ == "__main__":
    main()
