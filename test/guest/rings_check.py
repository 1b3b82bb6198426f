#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Check which virtqueue layout each PMD port ran, from its INFO features line.

    rings_check.py LOG split|packed     a guest console log
    rings_check.py --json SUMMARY split|packed   main-job.sh's summary ("features")

Both ports (net_virtio_mmio0 and 1) must have logged their features, with
RING_PACKED exactly when packed is expected. Exit 0 only then.
"""
import json
import re
import sys

FEATURES = re.compile(r"net_virtio_mmio(\d+): features ([A-Z0-9_ ]*);")


def log_features(text):
    """Port number -> the feature names its features line lists."""
    return {p: f.split() for p, f in FEATURES.findall(text)}


def check(features, packed):
    if sorted(features) != ["0", "1"]:
        sys.exit("FAIL: the PMD's features line, once per port: %r" % features)
    for p, f in sorted(features.items()):
        ran = "packed" if "RING_PACKED" in f else "split"
        if (ran == "packed") != packed:
            sys.exit("FAIL: port %s runs %s virtqueues, expected %s: features %s"
                     % (p, ran, "packed" if packed else "split", " ".join(f)))
        print("port %s: %s virtqueues (features %s)" % (p, ran, " ".join(f)))


def main(argv):
    if len(argv) == 3 and argv[0] == "--json":
        features = json.load(open(argv[1])).get("features", {})
    elif len(argv) == 2:
        features = log_features(open(argv[0], errors="replace").read())
    else:
        sys.exit(__doc__)
    if argv[-1] not in ("split", "packed"):
        sys.exit(__doc__)
    check(features, argv[-1] == "packed")


if __name__ == "__main__":
    main(sys.argv[1:])
