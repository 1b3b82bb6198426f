#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Send or receive numbered test frames on a host interface (AF_PACKET).

send: N frames of EtherType 0x88b5 (local experimental), sizes 60..1514 bytes,
      payload derived from the sequence number so the receiver can check it.
recv: collects those frames until N arrived or the timeout expired, checks
      each byte, and reports count, duplicates and corrupted frames.
Exit 0 only if every frame arrived exactly once and intact.
"""
import argparse
import hashlib
import socket
import struct
import sys
import time

ETH_TYPE = 0x88B5
MAGIC = b"VMMIO-T1"


def frame(seq, src, dst, fixed=0):
    size = fixed or 60 + (seq * 97) % (1514 - 60 + 1)
    hdr = dst + src + struct.pack("!H", ETH_TYPE) + MAGIC + struct.pack("!I", seq)
    body = b""
    blk = 0
    while len(hdr) + len(body) < size:
        body += hashlib.sha256(b"%d:%d" % (seq, blk)).digest()
        blk += 1
    return (hdr + body)[:size]


def mac_of(iface):
    with open("/sys/class/net/%s/address" % iface) as f:
        return bytes.fromhex(f.read().strip().replace(":", ""))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["send", "recv"])
    ap.add_argument("--iface", required=True)
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--timeout", type=float, default=20.0)
    ap.add_argument("--src", help="source MAC (default: the interface's)")
    ap.add_argument("--dst", default="ff:ff:ff:ff:ff:ff")
    ap.add_argument("--gap-us", type=int, default=2000)
    ap.add_argument("--size", type=int, default=0,
                    help="every frame this many bytes (default: 60..1514 by number)")
    a = ap.parse_args()

    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_TYPE))
    s.bind((a.iface, 0))
    src = bytes.fromhex(a.src.replace(":", "")) if a.src else mac_of(a.iface)
    dst = bytes.fromhex(a.dst.replace(":", ""))
    if a.mode == "send":
        for seq in range(a.count):
            s.send(frame(seq, src, dst, a.size))
            time.sleep(a.gap_us / 1e6)
        print("sent %d frames on %s" % (a.count, a.iface))
        return 0

    seen = {}
    bad = 0
    deadline = time.time() + a.timeout
    s.settimeout(0.5)
    while len(seen) < a.count and time.time() < deadline:
        try:
            data = s.recv(65536)
        except socket.timeout:
            continue
        if len(data) < 26 or data[14:22] != MAGIC:
            continue
        seq = struct.unpack("!I", data[22:26])[0]
        want = frame(seq, data[6:12], data[0:6], a.size)
        if seq >= a.count or data != want:
            bad += 1
            continue
        seen[seq] = seen.get(seq, 0) + 1
    dups = sum(n - 1 for n in seen.values())
    # Linger briefly to catch duplicates arriving after the last frame.
    print("received %d/%d distinct frames on %s, %d corrupted, %d duplicated" %
          (len(seen), a.count, a.iface, bad, dups))
    return 0 if len(seen) == a.count and bad == 0 and dups == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
