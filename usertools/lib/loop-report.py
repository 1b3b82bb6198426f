#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Summarize bench-loop.sh runs: per frame size a table on stdout (median,
min-max, ratio against dpdk-pci); with doc output on, doc/bench/loop.json,
doc/img/loop.png (gnuplot) and the section between the loop markers of
doc/performance.md.

Usage: loop-report.py RESULTS_DIR DURATION REPS BURSTS WRITE_DOC [SEG]
  RESULTS_DIR  CONFIG/REP/ run directories as usertools/lib/loop-hook.sh
               leaves them (info.txt, SIZE/*.txt)
  SEG          chained frames in segments of at most SEG bytes (0: one
               segment); the doc output then goes to loop-chained.json,
               loop-chained.png and the loop-chained section
"""
import glob
import os
import re
import sys
import textwrap

from vmmio_report import (HISTOGRAMS, LABEL, MEDIAN_MIN_MAX, SHORT, TOP, args, dat_row,
                          gnuplot, machine, median, median_table, one_size, plugin_info,
                          ratio_row, read_text, replace_section, run_dirs, summarize,
                          write_results)

ORDER = ["pmd-modern-mmap", "pmd-modern-pread", "pmd-legacy-mmap", "pmd-packed-mmap",
         "pmd-noindirect-mmap", "dpdk-pci", "dpdk-pci-packed", "dpdk-pci-noindirect"]
BASE = "dpdk-pci"
# ratio rows: every configuration against BASE; packed rings also against
# DPDK's packed mode
BASES = [(BASE, None), ("dpdk-pci-packed", ["pmd-packed-mmap"]),
         ("dpdk-pci-noindirect", ["pmd-noindirect-mmap"])]
BURST = 32  # testpmd --burst, frames per tx_first burst
# key, label, format
METRICS = [
    ("kpps", "forwarded kpps (both ports)", "%.1f"),
    ("p0_rx", "port 0 RX kpps", "%.1f"),
    ("p0_tx", "port 0 TX kpps", "%.1f"),
    ("p1_rx", "port 1 RX kpps", "%.1f"),
    ("p1_tx", "port 1 TX kpps", "%.1f"),
    ("mbits", "forwarded Mbit/s (frame bytes)", "%.0f"),
    ("in_flight", "frames in the loop at stop", "%.0f"),
    ("dropped", "testpmd drops (RX+TX, whole run)", "%.0f"),
    ("missed", "RX imissed+errors+nombuf (window)", "%.0f"),
    ("lost", "lost outside testpmd", "%.0f"),
    ("cpu_vcpu1", "host CPU, vCPU 1 thread %", "%.0f"),
    ("cpu_vcpu0", "host CPU, vCPU 0 thread %", "%.0f"),
    ("cpu_main", "host CPU, QEMU main loop %", "%.0f"),
]


def collect(res):
    """{size: {config: [run]}} of RESULTS_DIR/CONFIG/REP/SIZE/, and the
    drivers testpmd named for each configuration."""
    runs, drivers = {}, {}
    for c, d in run_dirs(res):
        drivers.setdefault(c, sorted(set(re.findall(r"Driver name: (\S+)",
                                                    read_text(os.path.join(d, "info.txt"))))))
        for sd in glob.glob(os.path.join(d, "[0-9]*")):
            size = int(os.path.basename(sd))
            r = one_size(sd, size)
            r["run"] = os.path.relpath(sd, res)
            runs.setdefault(size, {}).setdefault(c, []).append(r)
    return runs, drivers


def size_table(title, order, runs, summary, ratios):
    """The table of one frame size, its ratio rows (filling RATIOS) and the
    runs without a result."""
    t = median_table(order, LABEL, METRICS, summary, title)
    for b, which in BASES:
        base = median(summary.get(b, {}), "kpps")
        row = {}
        for c in order:
            a = median(summary[c], "kpps")
            if base and a and c != b and (which is None or c in which):
                row[c] = a / base
        if row:
            ratios[b] = row
            t += "\n" + ratio_row("forwarded kpps, x " + LABEL[b], row, order, "")
    failed = [r["run"] for c in order for r in runs[c] if "kpps" not in r]
    if failed:
        t += "\n\nRuns without a result: %s." % ", ".join(failed)
    return t


def doc_info(runs, drivers, duration, reps, bursts, seg):
    """The results' header: machine, date, options, the plugin."""
    clock_dev = max([abs(r["kpps_host_clock"] / r["kpps"] - 1) * 100
                     for s in runs.values() for v in s.values() for r in v
                     if r.get("kpps")] or [0])
    options = "--reps %s --duration %s --sizes \"%s\" --bursts %s%s" % (
        reps, duration, " ".join(str(s) for s in sorted(runs)), bursts,
        " --seg-size %d" % seg if seg else "")
    return machine("QEMU virt, cortex-a57, TCG, 2 vCPUs, 2 GiB; dpdk-testpmd io "
                   "forwarding on lcore 1, its command line on lcore 0",
                   seconds=int(duration), repetitions=int(reps), bursts=int(bursts),
                   population=2 * int(bursts) * BURST, drivers=drivers, plugin=plugin_info(),
                   clock_dev=clock_dev, segment=seg, options=options)


def main():
    res, duration, reps, bursts, write_doc, *rest = args(__doc__, 5, 1)
    seg = int(rest[0]) if rest else 0
    name = "loop-chained" if seg else "loop"
    runs, drivers = collect(res)
    if not runs:
        sys.exit("loop-report.py: no runs in %s" % res)
    population = 2 * int(bursts) * BURST
    summary, ratios, tables = {}, {}, []
    for size in sorted(runs):
        order = [c for c in ORDER if c in runs[size]]
        summary[size] = summarize(runs[size], order, [k for k, _, _ in METRICS])
        title = "%d-byte frames" % size
        if seg:
            title += " in %d-byte segments" % seg
        size_ratios = {}
        tables.append(size_table(title, order, runs[size], summary[size], size_ratios))
        if size_ratios:
            ratios[size] = size_ratios
    print("\n\n".join(tables))
    short = [r["run"] for s in runs for c in runs[s] for r in runs[s][c]
             if "injected" in r and r["injected"] != population]
    if short:
        print("\ntx_first offered other than %d frames: %s" % (population, ", ".join(short)))
    if write_doc != "1":
        return

    info = doc_info(runs, drivers, duration, reps, bursts, seg)
    doc = os.path.join(TOP, "doc")
    write_results(doc, name, info, summary, ratios, runs)
    plot(res, os.path.join(doc, "img", name + ".png"), summary, reps, seg)
    replace_section(os.path.join(doc, "performance.md"),
                    "<!-- %s:begin" % name, "<!-- %s:end -->" % name,
                    doc_section(info, tables, name), "# Performance\n\n")
    print("wrote doc/performance.md, doc/img/%s.png, doc/bench/%s.json" % (name, name))


def plot(res, png, summary, reps, seg):
    """RESULTS_DIR/plot.dat (a block per frame size) and a panel per size."""
    sizes = sorted(summary)
    dat = os.path.join(res, "plot.dat")
    with open(dat, "w") as f:
        for size in sizes:
            f.write("# %d-byte frames: config kpps min max\n" % size)
            for c in [c for c in ORDER if c in summary[size]]:
                f.write(dat_row(SHORT[c], summary[size][c],
                                [("kpps", w) for w in MEDIAN_MIN_MAX], "%f" % 0))
            f.write("\n\n")
    # room for every configuration's label under its bar
    width = max(560, 100 * max(len(summary[s]) for s in sizes) + 120)
    # double quotes: gnuplot breaks the line at \\n there
    gp = ["set multiplot layout 1,%d title \"dpdk-testpmd io forwarding between two "
          "NICs on one QEMU hub\\n(aarch64 guest, TCG): medians of %s runs, bars "
          "min-max\"" % (len(sizes), reps),
          HISTOGRAMS + "set ylabel 'forwarded kpps'", "unset key"]
    for i, size in enumerate(sizes):
        gp += ["set title '%d-byte frames%s'" % (size, " in %d-byte segments" % seg if seg else ""),
               "plot '%s' index %d using 2:3:4:xtic(1)" % (dat, i)]
    gp.append("unset multiplot")
    gnuplot(png, width * len(sizes), 440, "\n".join(gp) + "\n")


def doc_section(info, tables, name):
    drivers = sorted({d for v in info["drivers"].values() for d in v})
    seg = info.get("segment", 0)
    intro = (
        "Run on %(date)s with `usertools/bench-loop.sh %(options)s`. The guest's "
        "two NICs are joined inside QEMU: both on a `-netdev hubport` of one hub "
        "(`usertools/run-guest.sh --net hub`), so a frame sent on one port arrives "
        "on the other only. No tap, no host network stack, no iperf3: QEMU's "
        "device models and the guest are all there is. In the guest, DPDK's own "
        "`dpdk-testpmd` (the same binary for every configuration) forwards in io "
        "mode between ports 0 and 1 on one lcore; this PMD is loaded into it as a "
        "plugin (`-d librte_net_virtio_mmio.so --vdev net_virtio_mmio0,...`), "
        "DPDK's net_virtio drives two virtio-net-pci NICs bound to vfio-pci "
        "(drivers as testpmd reports them: %(drivers)s). Per frame size, `start "
        "tx_first %(bursts)s` injects %(bursts)s bursts of 32 frames on each port, "
        "a population of %(population)s frames that then loops port 0 -> hub -> "
        "port 1 -> testpmd -> port 0 for good. After 2 s the rates are read over "
        "%(seconds)s s (`show port stats all` before and after: testpmd's Rx-pps "
        "and Tx-pps, guest clock; frames counted over the host's clock differ by "
        "%(clock_dev).1f%% at most), then "
        "forwarding stops and testpmd's rxonly mode takes in what still loops, so "
        "that frames sent minus frames received counts the frames lost between "
        "the ports. Configurations alternate in rotating order (frame sizes too); "
        "figures are medians with min–max over %(repetitions)s runs, ratios are "
        "ratios of medians. Rings of 256 descriptors, bursts of 32, no offloads; "
        "frame sizes without the FCS (virtio carries none)."
        % dict(info, drivers=", ".join(drivers)))
    legend = (
        "Forwarded kpps: both ports' TX rates added (each frame forwarded is "
        "counted once, on the port that sends it); the per-port rows show both "
        "directions. Frames in the loop at stop: sent minus received once "
        "forwarding has stopped (the population left). testpmd drops: frames "
        "testpmd freed because a TX ring was full (tx_first included). Host CPU: "
        "utime+stime of QEMU's threads over the window, in % of one host CPU "
        "(vCPU 1 runs the forwarding lcore; QEMU's main loop runs the "
        "virtio-net TX bottom half, the hub and RX delivery).")
    heading = "## Forwarding in a loop: two NICs on one QEMU hub"
    if seg:
        heading = "## Chained frames in the loop: descriptor chains and indirect descriptors"
        intro = (
            "The loop of the previous section with every frame in segments: "
            "testpmd's mbufs hold %d data bytes (`--mbuf-size %d --enable-scatter`), "
            "`set txpkts` injects the frames in segments of at most %d bytes and "
            "both PMDs receive them as chains of buffers (VIRTIO_NET_F_MRG_RXBUF), so "
            "every frame forwarded is sent as a multi-segment mbuf, the header in a "
            "descriptor of its own: both PMDs put the header and the segments in "
            "one indirect descriptor table when VIRTIO_RING_F_INDIRECT_DESC is "
            "negotiated (QEMU offers it), as a chain of ring descriptors when it "
            "is not (the configurations 'no indirect': devarg `indirect=0` for "
            "this PMD, the device property `indirect_desc=off` for DPDK's). "
            % (seg, seg + 128, seg)
            + intro)
    plugin = info.get("plugin", {})
    return "\n".join([
        "<!-- %s:begin (written by usertools/bench-loop.sh) -->" % name,
        heading, "",
        textwrap.fill(intro, 76, break_on_hyphens=False), "",
        "- host: %s" % info["host"],
        "- %s" % info["qemu"],
        "- guest: %s; kernel %s" % (info["guest"], info["guest_kernel"]),
        "- PMD plugin: `%s` of %s, sha256 %s" % (
            plugin.get("path", "?"), plugin.get("mtime", "?"), plugin.get("sha256", "?")[:16]),
        "", "\n\n".join(tables), "",
        textwrap.fill(legend, 76, break_on_hyphens=False), "",
        "![loop forwarding](img/%s.png)" % name, "",
        "Raw data: `doc/bench/%s.json`." % name,
        "<!-- %s:end -->" % name, ""])


if __name__ == "__main__":
    main()
