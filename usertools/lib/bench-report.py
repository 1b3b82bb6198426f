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
import datetime
import glob
import json
import os
import re
import subprocess
import sys

from vmmio_report import TOP, fmt_stat, machine, pct, ping_rtts, stats

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


def load(path):
    try:
        return json.load(open(path))
    except (OSError, ValueError):
        return None


def one_run(d):
    """Metrics of one run directory (absent keys: not measured)."""
    r = {}
    rtts = ping_rtts(os.path.join(d, "ping.txt"))
    if rtts:
        r["rtt_p50"] = pct(rtts, 0.5)
        r["rtt_p99"] = pct(rtts, 0.99)
    for name in ("tcp1", "tcp4"):
        try:
            e = load(os.path.join(d, name + ".json"))["end"]
            r[name] = e["sum_received"]["bits_per_second"] / 1e6
            r[name + "_retr"] = e["sum_sent"].get("retransmits", 0)
        except (TypeError, KeyError):
            pass
    try:
        e = load(os.path.join(d, "udp.json"))["end"]
        # Offered: the client's packets over its own send time. Forwarded:
        # the packets minus the sequence gaps the server saw, over the
        # server's time (older iperf3 has only "sum").
        snt = e.get("sum_sent", e["sum"])
        rcv = e.get("sum_received", e["sum"])
        r["udp_offered"] = snt["packets"] / snt["seconds"] / 1e3
        r["udp_kpps"] = (rcv["packets"] - rcv["lost_packets"]) / rcv["seconds"] / 1e3
        r["udp_loss"] = rcv["lost_percent"]
    except (TypeError, KeyError, ZeroDivisionError):
        pass
    try:
        text = open(os.path.join(d, "console"), errors="replace").read()
    except OSError:
        text = ""
    # l2fwd's last counters, one line per port (examples/l2fwd/main.c,
    # print_stats): dropped= is l2fwd's TX drops, imissed= the port's.
    final = re.findall(r"L2FWD-FINAL port=\d+ .*?\bdropped=(\d+) .*?\bimissed=(\d+)", text)
    if final:
        r["tx_dropped"] = sum(int(a) for a, _ in final)
        r["imissed"] = sum(int(b) for _, b in final)
    # A phase may span several samples (guest-fwd.sh samples at least
    # every 5 s): sum them before dividing.
    lc = {}
    for ph, t, cs in re.findall(r"LCORE-CPU phase=(\w+) ticks=(-?\d+) cs=(\d+)", text):
        a = lc.setdefault(ph, [0, 0])
        a[0] += int(t)
        a[1] += int(cs)
    gc = {}
    for ph, b, t in re.findall(r"GUEST-CPU phase=(\w+) busy=(\d+) total=(\d+)", text):
        a = gc.setdefault(ph, [0, 0])
        a[0] += int(b)
        a[1] += int(t)
    for ph in PHASES:
        if lc.get(ph, [0, 0])[1] > 0:
            r["lcore_" + ph] = 100.0 * lc[ph][0] / lc[ph][1]
        if gc.get(ph, [0, 0])[1] > 0:
            r["guest_" + ph] = 100.0 * gc[ph][0] / gc[ph][1]
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


def plot(png, dat, order, title):
    """Five panels: TCP, UDP, ping RTT, lcore CPU, guest CPU."""
    gp = """
set terminal pngcairo size 1500,860 font ',9'
set output '%(png)s'
set datafile missing 'NaN'
set multiplot layout 2,3 title '%(title)s'
set style data histograms
set style fill solid 0.8 border -1
set key top right
set grid ytics
set yrange [0:*]
set xtics rotate by -25 nomirror
set style histogram errorbars gap 2 lw 1
set title 'iperf3 TCP'
set ylabel 'Mbit/s'
plot '%(dat)s' using 2:3:4:xtic(1) title '1 stream', '' using 5:6:7 title '4 streams'
set title 'UDP 64 B forwarded'
set ylabel 'kpps'
plot '%(dat)s' using 8:9:10:xtic(1) title 'forwarded (min-max)'
set style histogram clustered gap 1
set title 'ping RTT'
set ylabel 'ms'
plot '%(dat)s' using 11:xtic(1) title 'p50', '' using 12 title 'p99'
set title 'lcore CPU (l2fwd main thread)'
set ylabel '%% of one vCPU'
set yrange [0:110]
plot '%(dat)s' using 13:xtic(1) title 'idle', '' using 14 title 'ping', '' using 15 title 'TCP 1 stream'
set title 'guest CPU (all vCPUs)'
set ylabel '%% busy'
plot '%(dat)s' using 16:xtic(1) title 'idle', '' using 17 title 'ping', '' using 18 title 'TCP 1 stream'
unset multiplot
""" % {"png": png, "dat": dat, "title": title}
    subprocess.run(["gnuplot"], input=gp, text=True, check=True, timeout=60)


def main():
    if len(sys.argv) != 8:
        sys.exit("usage: bench-report.py RESULTS_DIR VARIANT DURATION REPS UDP_RATE DOC_NAME WRITE_DOC")
    res, variant, duration, reps, udp_rate, doc_name, write_doc = sys.argv[1:8]
    runs = {}
    for d in sorted(glob.glob(os.path.join(res, "*", "*"))):
        if os.path.isdir(d):
            r = one_run(d)
            r["run"] = os.path.relpath(d, res)  # MODE/REP, to find its console
            runs.setdefault(os.path.basename(os.path.dirname(d)), []).append(r)
    order = mode_order(res, runs)
    if not order:
        sys.exit("bench-report.py: no runs in %s" % res)
    summary = {}
    for m in order:
        summary[m] = {}
        for key, _, _ in METRICS:
            v = [r[key] for r in runs[m] if key in r]
            if v:
                summary[m][key] = stats(v)
    ratios = {}
    for key, label, base in RATIOS:
        b = summary.get(base, {}).get(key, {}).get("median")
        if not b:
            continue
        for m in order:
            a = summary[m].get(key, {}).get("median")
            if a is not None:
                ratios.setdefault(key + "/" + base, {})[m] = a / b

    rows = ["| metric | " + " | ".join(order) + " |", "|---|" + "---|" * len(order)]
    for key, label, f in METRICS:
        rows.append("| %s | %s |" % (label, " | ".join(
            fmt_stat(summary[m].get(key), f) for m in order)))
    for key, label, base in RATIOS:
        rr = ratios.get(key + "/" + base)
        if rr:
            rows.append("| %s | %s |" % (label, " | ".join(
                ("%.2fx" % rr[m]) if m in rr else "n/a" for m in order)))
    table = "\n".join(rows)
    print(table)
    failed = {m: sum(1 for r in runs[m] if "tcp1" not in r) for m in order}
    if any(failed.values()):
        print("\nruns without a TCP result: " + ", ".join(
            "%s %d" % (m, n) for m, n in failed.items() if n))
    if write_doc != "1":
        return

    doc = os.environ.get("VMMIO_DOC_DIR") or os.path.join(TOP, "doc")
    variant = variant or "modern"
    info = machine("QEMU virt, cortex-a57, TCG, 2 vCPUs, 2 GiB; l2fwd on lcore 0")
    opts = "--reps %s --duration %s --udp-rate %s --modes \"%s\"" % (
        reps, duration, udp_rate, " ".join(order))
    if variant == "legacy":
        opts += " --legacy"
    if doc_name != "rx-modes":
        opts += " --doc-name " + doc_name
    info.update({"date": datetime.date.today().isoformat(), "variant": variant,
                 "iperf3_seconds": int(duration), "repetitions": int(reps),
                 "udp_offered": udp_rate + "bit/s of 64-byte payload",
                 "options": opts, "modes": order})
    os.makedirs(os.path.join(doc, "bench"), exist_ok=True)
    os.makedirs(os.path.join(doc, "img"), exist_ok=True)
    with open(os.path.join(doc, "bench", doc_name + ".json"), "w") as f:
        json.dump({"machine": info, "summary": summary, "ratios": ratios, "runs": runs},
                  f, indent=1)

    dat = os.path.join(res, "plot.dat")
    with open(dat, "w") as f:
        f.write("# mode tcp1 lo hi tcp4 lo hi kpps lo hi p50 p99 "
                "lcore_idle ping tcp1 guest_idle ping tcp1\n")
        for m in order:
            s = summary[m]

            def g(k, w="median"):
                v = s.get(k, {}).get(w)
                return "NaN" if v is None else "%f" % v
            cols = [g("tcp1"), g("tcp1", "min"), g("tcp1", "max"),
                    g("tcp4"), g("tcp4", "min"), g("tcp4", "max"),
                    g("udp_kpps"), g("udp_kpps", "min"), g("udp_kpps", "max"),
                    g("rtt_p50"), g("rtt_p99")]
            cols += [g("lcore_" + p) for p in PHASES] + [g("guest_" + p) for p in PHASES]
            f.write('"%s" %s\n' % (m, " ".join(cols)))
    png = os.path.join(doc, "img", doc_name + ".png")
    plot(png, dat, order, gp_str(
        "l2fwd on net_virtio_mmio (%s) by RX mode, and the kernel bridge: "
        "medians of %s runs, bars min-max" % (variant, reps)))

    bad = ", ".join("%s: %d" % (m, n) for m, n in failed.items() if n)
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
    begin = "<!-- bench:%s begin -->" % doc_name
    end = "<!-- bench:%s end -->" % doc_name
    body = "%s\n\n%s\n\n![RX modes: %s](img/%s.png)\n" % (para, table, doc_name, doc_name)
    md = os.path.join(doc, "rx-modes.md")
    try:
        text = open(md).read()
    except OSError:
        text = "# RX modes\n"
    lines = text.split("\n")
    if begin in lines and end in lines[lines.index(begin):]:
        i = lines.index(begin)
        j = lines.index(end, i)
        lines[i + 1:j] = [""] + body.split("\n")
        text = "\n".join(lines)
    else:
        text = text.rstrip("\n") + "\n\n%s\n\n%s\n%s\n" % (begin, body, end)
    with open(md, "w") as f:
        f.write(text)
    print("wrote %s, %s, %s" % (md, png, os.path.join(doc, "bench", doc_name + ".json")))


if __name__ == "__main__":
    main()
