# SPDX-License-Identifier: BSD-3-Clause
"""The report module of the benchmark and trace scripts: what
bench-report.py, compare-report.py, loop-report.py, bench-cost-report.py and
trace-report.py share, from reading a run's files to the summary tables,
results JSON, plots and doc sections they write; and one_size, the metrics
of one loop run, which test/guest/hubloop.sh checks too."""
import datetime
import glob
import hashlib
import json
import os
import platform
import re
import statistics
import subprocess
import sys

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
GUEST_MANIFEST = "/var/cache/virtio-mmio-pmd/guest/current/manifest"
# the configurations of bench-compare.sh and bench-loop.sh: table column
# labels, and the shorter ones under the bars of a plot
LABEL = {
    "pmd-modern-mmap": "PMD modern mmap",
    "pmd-modern-pread": "PMD modern pread",
    "pmd-modern-uio": "PMD modern UIO",
    "pmd-legacy-mmap": "PMD legacy mmap",
    "pmd-packed-mmap": "PMD packed mmap",
    "pmd-noindirect-mmap": "PMD modern mmap, no indirect",
    "bridge": "kernel bridge",
    "dpdk-pci": "DPDK net_virtio PCI",
    "dpdk-pci-packed": "DPDK net_virtio PCI packed",
    "dpdk-pci-noindirect": "DPDK net_virtio PCI, no indirect",
}
SHORT = {"pmd-modern-mmap": "PMD-mmap", "pmd-modern-pread": "PMD-pread",
         "pmd-modern-uio": "PMD-UIO", "pmd-legacy-mmap": "PMD-legacy",
         "pmd-packed-mmap": "PMD-packed", "pmd-noindirect-mmap": "PMD-noindir",
         "bridge": "bridge", "dpdk-pci": "DPDK-PCI", "dpdk-pci-packed": "DPDK-packed",
         "dpdk-pci-noindirect": "DPDK-noindir"}
# busy and total time of a phase, as usertools/lib/guest-fwd.sh samples them
GUEST_CPU = r"GUEST-CPU phase=(\w+) busy=(\d+) total=(\d+)"
LCORE_CPU = r"LCORE-CPU phase=(\w+) ticks=(-?\d+) cs=(\d+)"
# the gnuplot settings of the bar charts with min-max error bars
HISTOGRAMS = """set style data histograms
set style histogram errorbars gap 2 lw 1
set style fill solid 0.8 border -1
set grid ytics
set yrange [0:*]
"""
MEDIAN_MIN_MAX = ("median", "min", "max")
# the first plot.dat columns of bench-report.py and compare-report.py,
# drawn by net_panels
NET_COLS = [(k, w) for k in ("tcp1", "tcp4", "udp_kpps") for w in MEDIAN_MIN_MAX] + \
    [("rtt_p50", "median"), ("rtt_p99", "median")]


# Arguments and a run's files

def args(doc, count, optional=0):
    """sys.argv[1:] when it holds COUNT words (up to OPTIONAL more), else
    exit with the "Usage: " line of the script's docstring DOC."""
    words = sys.argv[1:]
    if not count <= len(words) <= count + optional:
        usage = next(line for line in doc.splitlines() if line.startswith("Usage: "))
        sys.exit("usage: " + usage[len("Usage: "):])
    return words


def run_dirs(res):
    """(configuration, directory) of every RES/CONFIG/REP/ run, sorted."""
    for d in sorted(glob.glob(os.path.join(res, "*", "*"))):
        if os.path.isdir(d):
            yield os.path.basename(os.path.dirname(d)), d


def load_json(path):
    """A JSON file's content, None when it cannot be read or parsed."""
    try:
        return json.load(open(path))
    except (OSError, ValueError):
        return None


def read_text(path):
    """The text of a file, line ends without CR ("" when it cannot be read)."""
    try:
        return open(path, errors="replace").read().replace("\r", "")
    except OSError:
        return ""


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


def ping_metrics(path):
    """rtt_p50 and rtt_p99 of a ping output file ({} without replies)."""
    rtts = ping_rtts(path)
    return {"rtt_p50": pct(rtts, 0.5), "rtt_p99": pct(rtts, 0.99)} if rtts else {}


def iperf_tcp(d, retr=("tcp1", "tcp4")):
    """Mbit/s of tcp1.json and tcp4.json of iperf3 in run directory D, and
    the retransmits of the runs named in RETR (absent keys: no result)."""
    r = {}
    for name in ("tcp1", "tcp4"):
        try:
            e = load_json(os.path.join(d, name + ".json"))["end"]
            r[name] = e["sum_received"]["bits_per_second"] / 1e6
            if name in retr:
                r[name + "_retr"] = e["sum_sent"].get("retransmits", 0)
        except (TypeError, KeyError):
            pass
    return r


def phase_percent(text, pattern):
    """{phase: 100 * busy / total} of the PATTERN lines of a console (a
    phase may span several samples: they are summed before dividing)."""
    acc = {}
    for ph, busy, total in re.findall(pattern, text):
        a = acc.setdefault(ph, [0, 0])
        a[0] += int(busy)
        a[1] += int(total)
    return {ph: 100.0 * b / t for ph, (b, t) in acc.items() if t > 0}


# Summaries and tables

def stats(values):
    """Median, min, max and count of a non-empty list."""
    return {"median": statistics.median(values), "min": min(values),
            "max": max(values), "n": len(values)}


def fmt_stat(s, f):
    """'median (min–max)' with format f, or n/a."""
    if s is None:
        return "n/a"
    return "%s (%s–%s)" % (f % s["median"], f % s["min"], f % s["max"])


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


def median(s, key):
    """The median of KEY in one configuration's summary S, or None."""
    return s.get(key, {}).get("median")


def median_table(order, labels, metrics, summary, first="metric"):
    """Markdown table: one row per (key, label, format, ...) metric, one
    column per configuration, cells 'median (min–max)'."""
    rows = ["| %s | %s |" % (first, " | ".join(labels[c] for c in order)),
            "|---|" + "---|" * len(order)]
    for key, label, f, *_ in metrics:
        rows.append("| %s | %s |" % (label, " | ".join(
            fmt_stat(summary[c].get(key), f) for c in order)))
    return "\n".join(rows)


def ratio_row(label, ratios, columns, missing="n/a"):
    """A table row of ratios ('1.23x') of the COLUMNS found in RATIOS."""
    return "| %s | %s |" % (label, " | ".join(
        ("%.2fx" % ratios[c]) if c in ratios else missing for c in columns))


# What a report writes: header, JSON, plots, doc sections

def machine(guest, **fields):
    """A results header: host, QEMU, iperf3 and guest kernel, the GUEST,
    today's date, then FIELDS."""
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
    return dict({
        "host": "%s, %d CPUs, Linux %s" % (cpu, os.cpu_count(), platform.release()),
        "qemu": out(["qemu-system-aarch64", "--version"]),
        "iperf3": out(["iperf3", "--version"]),
        "guest_kernel": kernel,
        "guest": guest,
        "date": datetime.date.today().isoformat(),
    }, **fields)


def write_results(doc, name, info, summary, ratios, runs):
    """doc/bench/NAME.json of a benchmark (doc/img made too); its path."""
    for sub in ("bench", "img"):
        os.makedirs(os.path.join(doc, sub), exist_ok=True)
    path = os.path.join(doc, "bench", name + ".json")
    with open(path, "w") as f:
        json.dump({"machine": info, "summary": summary, "ratios": ratios, "runs": runs},
                  f, indent=1)
    return path


def dat_row(name, s, cols, missing="NaN"):
    """A gnuplot data line: "NAME" and the (key, median|min|max) COLS of one
    configuration's summary S, MISSING where there is none."""
    cells = [s.get(key, {}).get(what) for key, what in cols]
    return '"%s" %s\n' % (name, " ".join(missing if v is None else "%f" % v for v in cells))


def gnuplot(png, width, height, script):
    """Draw PNG (pngcairo, WIDTH x HEIGHT, 9-point font) with SCRIPT."""
    head = "set terminal pngcairo size %d,%d font ',9'\nset output '%s'\n" % (width, height, png)
    subprocess.run(["gnuplot"], input=head + script, text=True, check=True, timeout=60)


def net_panels(dat, udp_key):
    """gnuplot panels of the NET_COLS of DAT (columns 2 to 12): iperf3 TCP,
    UDP forwarded (its key titled UDP_KEY), ping RTT; the histograms are
    left clustered."""
    return """set title 'iperf3 TCP'
set ylabel 'Mbit/s'
plot '%(dat)s' using 2:3:4:xtic(1) title '1 stream', '' using 5:6:7 title '4 streams'
set title 'UDP 64 B forwarded'
set ylabel 'kpps'
plot '%(dat)s' using 8:9:10:xtic(1) title '%(udp_key)s'
set style histogram clustered gap 1
set title 'ping RTT'
set ylabel 'ms'
plot '%(dat)s' using 11:xtic(1) title 'p50', '' using 12 title 'p99'
""" % {"dat": dat, "udp_key": udp_key}


def replace_section(path, begin, end, section, head):
    """Put SECTION (text from the line BEGIN to the line END) in place of
    what stands from BEGIN to END in the file at PATH, or append it after a
    blank line; a file that does not exist yet is HEAD and the section."""
    section = section.strip("\n")
    try:
        text = open(path).read()
    except OSError:
        text = None
    i = -1 if text is None else text.find(begin)
    j = text.find(end, i) if i >= 0 else -1
    if text is None:
        text = head + section + "\n"
    elif i >= 0 and j >= 0:
        text = text[:i] + section + text[j + len(end):]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    with open(path, "w") as f:
        f.write(text)


def utc_stamp(seconds=None):
    """'YYYY-MM-DD HH:MM UTC' of a time in seconds since the epoch (now)."""
    when = datetime.datetime.now(datetime.timezone.utc) if seconds is None else \
        datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc)
    return when.strftime("%Y-%m-%d %H:%M UTC")


def plugin_info():
    """Which PMD build the runs loaded (build-aarch64 is not rebuilt here)."""
    path = os.path.join("build-aarch64", "pmd", "librte_net_virtio_mmio.so")
    try:
        data = open(os.path.join(TOP, path), "rb").read()
        mtime = os.path.getmtime(os.path.join(TOP, path))
    except OSError:
        return {"path": path}
    return {"path": path, "sha256": hashlib.sha256(data).hexdigest(),
            "mtime": utc_stamp(mtime)}


# One loop run (usertools/lib/loop-hook.sh): testpmd's output files of one
# frame size.

def nic_stats(text):
    """{port: {field: int}} of testpmd's 'show port stats all' output."""
    ports = {}
    for m in re.finditer(r"NIC statistics for port (\d+)\s+#+\n(.*?)#{20,}", text, re.S):
        f = {k: int(v) for k, v in re.findall(r"([RT]x-[\w-]+|[RT]X-[\w-]+):\s+(\d+)",
                                               m.group(2))}
        ports[int(m.group(1))] = f
    return ports


def fwd_stats(text):
    """{port: {field: int}} of testpmd's per-port forward statistics."""
    ports = {}
    for m in re.finditer(r"Forward statistics for port (\d+)\s+-+\n(.*?)\n\s*-{20,}", text, re.S):
        ports[int(m.group(1))] = {k: int(v) for k, v in
                                  re.findall(r"(RX-[\w]+|TX-[\w]+):\s+(\d+)", m.group(2))}
    return ports


def threads(path):
    """{tid: (name, utime+stime ticks)} of QEMU's task stat lines."""
    out = {}
    for line in read_text(path).splitlines():
        try:
            tid = line.split()[0]
            name = line[line.index("(") + 1:line.rindex(")")]
            f = line[line.rindex(")") + 2:].split()
            out[tid] = (name, int(f[11]) + int(f[12]))
        except (ValueError, IndexError):
            continue
    return out


def window_rates(r, d, size):
    """testpmd's rates over the window: the guest clock between the two
    'show port stats all'. False when either lacks a port."""
    w0 = nic_stats(read_text(os.path.join(d, "window-0.txt")))
    w1 = nic_stats(read_text(os.path.join(d, "window-1.txt")))
    if sorted(w1) != [0, 1] or sorted(w0) != [0, 1]:
        return False
    for p in (0, 1):
        r["p%d_rx" % p] = w1[p]["Rx-pps"] / 1e3
        r["p%d_tx" % p] = w1[p]["Tx-pps"] / 1e3
        for k in ("RX-packets", "TX-packets"):
            r["p%d_%s" % (p, k)] = w1[p][k] - w0[p][k]
    r["kpps"] = r["p0_tx"] + r["p1_tx"]
    # frame bytes without the 4-byte FCS that virtio does not carry
    r["mbits"] = r["kpps"] * 1e3 * size * 8 / 1e6
    r["missed"] = sum(w1[p].get(k, 0) - w0[p].get(k, 0) for p in (0, 1)
                      for k in ("RX-missed", "RX-errors", "RX-nombuf", "TX-errors"))
    return True


def host_cpu(r, d):
    """The window over the host's clock, and QEMU's threads' CPU in it."""
    try:
        t0, t1, hz = read_text(os.path.join(d, "window.txt")).split()
        dt = float(t1) - float(t0)
        r["host_seconds"] = dt
        r["kpps_host_clock"] = (r["p0_TX-packets"] + r["p1_TX-packets"]) / dt / 1e3
        a, b = threads(os.path.join(d, "threads-0.txt")), threads(os.path.join(d, "threads-1.txt"))
        cpu = {}
        for tid, (name, ticks) in b.items():
            key = {"CPU 0/TCG": "cpu_vcpu0", "CPU 1/TCG": "cpu_vcpu1"}.get(name)
            if key is None:
                key = "cpu_main" if tid == min(b, key=int) else "cpu_other"
            cpu[key] = cpu.get(key, 0) + 100.0 * (ticks - a.get(tid, (name, 0))[1]) / int(hz) / dt
        r.update(cpu)
    except ValueError:
        pass


def stop_counts(r, d):
    """What the forward statistics at stop and the rxonly drain tell."""
    fs = fwd_stats(read_text(os.path.join(d, "stop.txt")))
    if sorted(fs) == [0, 1]:
        tx = sum(fs[p]["TX-packets"] for p in fs)
        rx = sum(fs[p]["RX-packets"] for p in fs)
        txd = sum(fs[p]["TX-dropped"] for p in fs)
        # io forwarding sends what it receives: sent + dropped - received
        # is what tx_first offered, sent - received what still loops (the
        # ports stopped: no counter moves while they are read)
        r["injected"] = tx + txd - rx
        r["in_flight"] = tx - rx
        r["dropped"] = txd + sum(fs[p]["RX-dropped"] for p in fs)
    # after the rxonly drain every frame sent has been received, or lost
    # between the ports (QEMU)
    fin = nic_stats(read_text(os.path.join(d, "drain.txt")))
    if sorted(fin) == [0, 1]:
        r["lost"] = sum(fin[p]["TX-packets"] - fin[p]["RX-packets"] for p in fin)


def one_size(d, size):
    """Metrics of one frame size of a loop run, the directory D of
    SIZE-byte frames ({} when the window's port statistics are missing)."""
    r = {}
    if window_rates(r, d, size):
        host_cpu(r, d)
        stop_counts(r, d)
    return r
