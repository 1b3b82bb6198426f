#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Send one HMP command to a QEMU monitor on a unix socket and print the reply.

Usage: qemu-hmp.py SOCKET 'set_link nic0 off'
"""
import socket
import sys
import time


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: qemu-hmp.py SOCKET COMMAND")
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(5)
    s.connect(sys.argv[1])
    buf = b""
    deadline = time.monotonic() + 5
    # Banner, then the "(qemu) " prompt.
    while not buf.endswith(b"(qemu) ") and time.monotonic() < deadline:
        buf += s.recv(4096)
    s.sendall(sys.argv[2].encode() + b"\n")
    buf = b""
    while buf.count(b"(qemu) ") < 1 and time.monotonic() < deadline:
        buf += s.recv(4096)
    s.close()
    reply = buf.decode(errors="replace").replace("\r", "")
    # The monitor echoes the command; print only what follows it.
    lines = [l for l in reply.split("\n") if l and not l.startswith("(qemu)")
             and sys.argv[2] not in l]
    print("\n".join(lines))
    if "(qemu) " not in reply:
        sys.exit("qemu-hmp: no prompt after the command (timeout)")


if __name__ == "__main__":
    main()
