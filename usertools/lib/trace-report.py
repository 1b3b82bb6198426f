#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Timeline of pings through interrupt-mode l2fwd, from the guest's tracefs
dump (usertools/trace-ping.sh): for every interrupt of a PMD port (the
vfio-irq lines), what the guest did until the l2fwd lcore went back to
sleep, in microseconds from the interrupt, and a summary per wake-up.

Usage: trace-report.py CONSOLE_LOG OUT_DIR
Writes OUT_DIR/timeline.txt and prints it.
"""
import os
import re
import sys

from vmmio_report import args, pct, ping_rtts

# "TR <comm>-<pid> [cpu] flags ts: event: fields" or "...ts: sys_read(fields)"
LINE = re.compile(r"^TR\s+(.+)-(\d+)\s+\[(\d+)\]\s+\S+\s+([\d.]+): (\w+)(?:: |\()(.*)$")
L2FWD = "vmmio-l2fwd"
EAL = "eal-intr-thread"


def parse(path):
    events = []
    for raw in open(path, errors="replace").read().replace("\r", "").split("\n"):
        m = LINE.match(raw)
        if m:
            comm, pid, cpu, ts, ev, rest = m.groups()
            events.append({"comm": comm.strip(), "pid": int(pid), "cpu": int(cpu),
                           "t": float(ts), "ev": ev, "rest": rest})
    return events


def interesting(e, pmd_irqs):
    """Events on the path from the device to the lcore and back to sleep."""
    r = e["rest"]
    if e["ev"] == "irq_handler_entry":
        return True
    if e["ev"] == "irq_handler_exit":
        m = re.match(r"irq=(\d+)", r)
        return m is not None and int(m.group(1)) in pmd_irqs
    if e["ev"] == "ipi_raise":
        return True
    if e["ev"] == "sched_wakeup":
        return L2FWD in r or EAL in r
    if e["ev"] == "sched_switch":
        return L2FWD in r or EAL in r
    if e["ev"].startswith("sys_"):
        return e["comm"] in (L2FWD, EAL)
    return False


def short(e):
    r = e["rest"]
    if e["ev"] == "sched_switch":
        m = re.search(r"prev_comm=(\S+) .*prev_state=(\S+) ==> next_comm=(\S+)", r)
        if m:
            return "switch %s (%s) -> %s" % m.groups()
    if e["ev"] == "sched_wakeup":
        m = re.search(r"comm=(\S+) .*target_cpu=(\d+)", r)
        if m:
            return "wakeup %s on CPU %d" % (m.group(1), int(m.group(2)))
    if e["ev"] == "irq_handler_entry":
        m = re.search(r"name=(\S+)", r)
        return "irq " + (m.group(1) if m else r)
    if e["ev"] == "irq_handler_exit":
        return "irq end " + r.split()[0]
    if e["ev"] == "ipi_raise":
        m = re.search(r"target_mask=\S*?,?([0-9a-f]+) \((.*)\)", r)
        return "IPI to mask %s (%s)" % m.groups() if m else "IPI " + r
    return "%s(%s)" % (e["ev"][4:], r.split(",")[0].rstrip(")").replace("fd: ", "fd "))


def timelines(events):
    """One list of events per PMD interrupt, up to the lcore's next sleep."""
    pmd_irqs = {int(m.group(1)) for m in
                (re.match(r"irq=(\d+) name=vfio-irq", e["rest"]) for e in events
                 if e["ev"] == "irq_handler_entry") if m}
    out = []
    for i, e in enumerate(events):
        if e["ev"] != "irq_handler_entry" or "vfio-irq" not in e["rest"]:
            continue
        t0, ran, seq = e["t"], False, []
        for f in events[i:]:
            if f["t"] - t0 > 0.05:
                break
            if interesting(f, pmd_irqs):
                seq.append(f)
            if f["ev"] == "sched_switch" and "next_comm=" + L2FWD in f["rest"]:
                ran = True
            if ran and f["ev"] == "sched_switch" and f["comm"] == L2FWD:
                break
        out.append(seq)
    return out


def first(seq, pred):
    for f in seq:
        if pred(f):
            return (f["t"] - seq[0]["t"]) * 1e6
    return None


def main():
    console, out_dir = args(__doc__, 2)
    events = parse(console)
    lines = []
    tls = timelines(events)
    lines.append("%d tracefs events, %d interrupts of the PMD's ports" % (len(events), len(tls)))
    rows = []
    for n, seq in enumerate(tls):
        lines.append("")
        lines.append("interrupt %d (t=%.6f s)" % (n + 1, seq[0]["t"]))
        for f in seq:
            lines.append("  %+9.0f us  CPU%d  %-18s %s" % ((f["t"] - seq[0]["t"]) * 1e6, f["cpu"],
                                                        f["comm"][:18], short(f)))
        lcore_cpu = [f["cpu"] for f in seq if f["comm"] == L2FWD]
        rows.append((
            n + 1,
            first(seq, lambda f: f["ev"] == "sched_wakeup" and EAL in f["rest"]),
            first(seq, lambda f: f["ev"] == "sched_wakeup" and L2FWD in f["rest"]),
            first(seq, lambda f: f["ev"] == "sched_switch" and "next_comm=" + L2FWD in f["rest"]),
            first(seq, lambda f: f["comm"] == L2FWD and f["ev"].startswith("sys_")),
            sum(1 for f in seq if f["ev"] == "ipi_raise"),
            sum(1 for f in seq if "arch_timer" in f["rest"] and f["ev"] == "irq_handler_entry"),
            "CPU%d" % seq[0]["cpu"], "CPU%d" % lcore_cpu[0] if lcore_cpu else "-"))
    lines.append("")
    lines.append("per interrupt, us after the PMD's interrupt:")
    lines.append("| # | EAL thread woken | lcore woken | lcore running | lcore's first syscall "
                 "| IPIs | timer ticks | IRQ on | lcore on |")
    lines.append("|---|---|---|---|---|---|---|---|---|")
    fmt = lambda v: "-" if v is None else "%.0f" % v
    for r in rows:
        lines.append("| %d | %s | %s | %s | %s | %d | %d | %s | %s |" % (
            r[0], fmt(r[1]), fmt(r[2]), fmt(r[3]), fmt(r[4]), r[5], r[6], r[7], r[8]))
    for name in ("ping-traced.txt", "ping.txt"):
        rtts = ping_rtts(os.path.join(out_dir, name))
        if rtts:
            lines.append("%s: %d replies, RTT p50 %.3f ms, p99 %.3f ms, max %.3f ms" % (
                name, len(rtts), pct(rtts, 0.5), pct(rtts, 0.99), max(rtts)))
    text = "\n".join(lines) + "\n"
    open(os.path.join(out_dir, "timeline.txt"), "w").write(text)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
