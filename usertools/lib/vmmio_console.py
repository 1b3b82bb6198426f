# SPDX-License-Identifier: BSD-3-Clause
"""Parsers of the guest console, shared by the guest tests, main-job.sh and
the reports: the tagged KEY=VALUE lines the examples print (L2FWD-FINAL,
L2FWD-OFFLOADS, PORT-STATS, ...), the PMD's features line, and a check list
that prints one ok/FAIL line per assertion."""
import re
import sys


def read(path):
    """A console log as text, carriage returns removed."""
    with open(path, errors="replace") as f:
        return f.read().replace("\r", "")


def tagged(text, tag):
    """The KEY=VALUE pairs of every line starting with TAG, in order."""
    return [dict(x.split("=", 1) for x in line.split()[1:])
            for line in text.split("\n") if line.startswith(tag + " ")]


def l2fwd_final(text):
    """l2fwd's final per-port counters: {port: {counter: int}} (port
    included), the last L2FWD-FINAL line of each port."""
    return {kv["port"]: {k: int(v) for k, v in kv.items()}
            for kv in tagged(text, "L2FWD-FINAL")}


def l2fwd_offloads(text):
    """The offloads l2fwd enabled per port: {port: {"rx": str, "tx": str}}."""
    return {kv["port"]: kv for kv in tagged(text, "L2FWD-OFFLOADS")}


def features(text):
    """The PMD's features log lines: [(port, [negotiated], [asked for, not
    offered])] (log level pmd.net.virtio_mmio:info)."""
    return [(m.group(1), m.group(2).split(), m.group(3).split())
            for m in re.finditer(r"net_virtio_mmio(\d+): features ([A-Z0-9_ ]*); "
                                 r"asked for, not offered: ([A-Za-z0-9_ ]+)", text)]


class Checks:
    """Assertions that all run: check() prints "ok   MSG" or "FAIL MSG";
    done() exits 1 after a failure, else prints its PASS line (if any)."""

    def __init__(self, prefix=""):
        self.prefix = prefix
        self.failed = []

    def check(self, cond, msg):
        print(("ok   " if cond else "FAIL ") + self.prefix + msg)
        if not cond:
            self.failed.append(msg)
        return cond

    def done(self, passed="PASS"):
        if self.failed:
            sys.exit(1)
        if passed:
            print(passed)
