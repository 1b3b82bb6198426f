# SPDX-License-Identifier: BSD-3-Clause
"""The report module: what the report scripts of usertools/lib
(bench-report.py, compare-report.py, loop-report.py, trace-report.py) share:
percentiles, the machine description, median tables, a generated section
of a document."""
import os
import platform
import re
import statistics
import subprocess

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
GUEST_MANIFEST = "/var/cache/virtio-mmio-pmd/guest/current/manifest"


def pct(values, q):
    """Linear-interpolated percentile q (0..1) of a non-empty sequence."""
    v = sorted(values)
    k = (len(v) - 1) * q
    lo = int(k)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def ping_rtts(path):
    """RTTs in ms from a ping output file ([] when missing)."""
    try:
        return [float(x) for x in re.findall(r"time=([\d.]+) ms", open(path).read())]
    except OSError:
        return []


def stats(values):
    """Median, min, max and count of a non-empty list."""
    return {"median": statistics.median(values), "min": min(values),
            "max": max(values), "n": len(values)}


def fmt_stat(s, f):
    """'median (min–max)' with format f, or n/a."""
    if s is None:
        return "n/a"
    return "%s (%s–%s)" % (f % s["median"], f % s["min"], f % s["max"])


def machine(guest):
    """Host, QEMU, iperf3 and guest kernel description for a results header."""
    cpu = "unknown CPU"
    try:
        m = re.search(r"model name\s*:\s*(.*)", open("/proc/cpuinfo").read())
        cpu = m.group(1) if m else cpu
    except OSError:
        pass

    def out(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True,
                                  timeout=10).stdout.strip().split("\n")[0]
        except (OSError, subprocess.SubprocessError):
            return "?"
    kernel = "?"
    try:
        kernel = re.search(r"kernel=(.*)", open(GUEST_MANIFEST).read()).group(1)
    except (OSError, AttributeError):
        pass
    return {
        "host": "%s, %d CPUs, Linux %s" % (cpu, os.cpu_count(), platform.release()),
        "qemu": out(["qemu-system-aarch64", "--version"]),
        "iperf3": out(["iperf3", "--version"]),
        "guest_kernel": kernel,
        "guest": guest,
    }


def summarize(runs, order, keys):
    """{config: {key: stats}} over the runs ({config: [run dict]}) that have
    each key."""
    summary = {}
    for c in order:
        summary[c] = {}
        for key in keys:
            v = [r[key] for r in runs[c] if key in r]
            if v:
                summary[c][key] = stats(v)
    return summary


def median_table(order, labels, metrics, summary, first="metric"):
    """Markdown table: one row per (key, label, format) metric, one column
    per configuration, cells 'median (min–max)'."""
    rows = ["| %s | %s |" % (first, " | ".join(labels[c] for c in order)),
            "|---|" + "---|" * len(order)]
    for key, label, f in metrics:
        rows.append("| %s | %s |" % (label, " | ".join(
            fmt_stat(summary[c].get(key), f) for c in order)))
    return "\n".join(rows)


def replace_section(path, begin, end, section, head):
    """Put SECTION (text from the line BEGIN to the line END) in place of
    what stands from BEGIN to END in the file at PATH, or append it; HEAD is
    the text of a file that does not exist yet."""
    try:
        text = open(path).read()
    except OSError:
        text = head
    section = section.strip("\n")
    i = text.find(begin)
    j = text.find(end, i) if i >= 0 else -1
    if i >= 0 and j >= 0:
        text = text[:i] + section + text[j + len(end):]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    with open(path, "w") as f:
        f.write(text)
