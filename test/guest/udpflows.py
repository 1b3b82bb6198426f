#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Several UDP flows between two lab namespaces (one flow per destination port).

send: COUNT datagrams to each of PORTS consecutive ports at --dst, paced.
recv: binds those ports on --bind, counts datagrams per port until all
      arrived or the timeout expired. Exit 0 only if every datagram arrived.
A multiqueue tap spreads flows over its queues by their hash, so several
ports make several queues carry traffic.
"""
import argparse
import select
import socket
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["send", "recv"])
    ap.add_argument("--dst", help="send: destination address")
    ap.add_argument("--bind", default="0.0.0.0", help="recv: local address")
    ap.add_argument("--base", type=int, default=40000)
    ap.add_argument("--ports", type=int, default=16)
    ap.add_argument("--count", type=int, default=40)
    ap.add_argument("--gap-us", type=int, default=1000)
    ap.add_argument("--timeout", type=float, default=30.0)
    a = ap.parse_args()
    ports = range(a.base, a.base + a.ports)

    if a.mode == "send":
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        for i in range(a.count):
            for p in ports:
                s.sendto(b"vmmio-flow %d %d" % (p, i), (a.dst, p))
                time.sleep(a.gap_us / 1e6)
        print("sent %d datagrams on %d flows" % (a.count * a.ports, a.ports))
        return 0

    socks = {}
    for p in ports:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((a.bind, p))
        socks[s.fileno()] = (s, p)
    got = {p: set() for p in ports}
    deadline = time.time() + a.timeout
    want = a.count * a.ports
    while sum(len(v) for v in got.values()) < want and time.time() < deadline:
        r, _, _ = select.select([v[0] for v in socks.values()], [], [], 0.5)
        for s in r:
            data = s.recv(2048)
            f = data.split()
            if len(f) == 3 and f[0] == b"vmmio-flow":
                got[socks[s.fileno()][1]].add(int(f[2]))
    n = sum(len(v) for v in got.values())
    print("udp flows: received %d/%d datagrams, per port: %s" % (
        n, want, " ".join("%d=%d" % (p, len(got[p])) for p in ports)))
    return 0 if n == want else 1


if __name__ == "__main__":
    sys.exit(main())
