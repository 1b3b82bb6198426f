# SPDX-License-Identifier: BSD-3-Clause
"""Helpers shared by the benchmark report scripts (bench-report.py,
compare-report.py): percentiles, the machine description, median tables."""
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
