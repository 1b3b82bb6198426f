#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Guest test: NIC 0's link goes down for 1 s and up again (QEMU monitor)
# while TCP and ping run through l2fwd. l2fwd sees both link events (in
# busy-poll mode too), survives, and the first ping answered after link up
# comes back within 1 s of it; the TCP run completes.
#   linkflap.sh <vmmio-l2fwd binary> modern|legacy poll|interrupt mmap|pread|uio
set -euo pipefail
. "$(dirname "$0")/../../usertools/lib/guest.sh"
l2fwd=$1 mode=$2 rxmode=$3 access=$4
guest_access "$access"
guest_mode "$mode"
run=$(mktemp -d)
trap 'rm -rf "$run"' EXIT
export LINKFLAP_OUT=$run/hook
guest_on_fail() {
	cat "$run"/hook.* 2>/dev/null | tail -30
}
GUEST_TAIL=30 guest_run "$run/console" --nics 2 --net tap "${GUEST_KMOD[@]}" "${GUEST_MODE[@]}" \
	--timeout 400 --monitor "$run/hmp" \
	--file "$l2fwd:/usr/bin/vmmio-l2fwd" \
	--ready-marker L2FWD-READY --host-hook "bash $VMMIO_TOP/test/guest/linkflap-hook.sh" \
	-- "exec vmmio-l2fwd -l 0 -n 1 --iova-mode=pa --no-pci $(vdev_pair ",$PMD_ACCESS") \
	-- --no-mac-updating -T 0 --rx-mode $rxmode"
guest_py - "$run/console" "$run/hook" <<'PY'
import re, sys
from vmmio_console import read, l2fwd_final
text = read(sys.argv[1])
out = sys.argv[2]
down = float(open(out + ".down").read())
up = float(open(out + ".up").read())
ports = l2fwd_final(text)
assert len(ports) == 2, "l2fwd did not survive (no L2FWD-FINAL lines)"
for p, s in ports.items():
    assert s["ierrors"] == 0 and s["oerrors"] == 0, (p, s)
lsc = re.findall(r"L2FWD-LSC port=(\d+) link=(\w+)", text)
print("LSC events: %r" % lsc)
assert ("0", "down") in lsc and ("0", "up") in lsc, "link down/up of NIC 0 not seen: %r" % lsc
assert lsc.index(("0", "down")) < len(lsc) - 1 - lsc[::-1].index(("0", "up")), \
    "link up not seen after link down: %r" % lsc
replies = [float(t) for t in re.findall(r"^\[(\d+\.\d+)\] \d+ bytes from",
                                       open(out + ".ping").read(), re.M)]
assert any(t < down for t in replies), "no ping answered before the link went down"
during = [t for t in replies if down + 0.3 < t < up]
# with what was printed around them (ping -D stamps the time it prints)
assert not during, "pings answered while the link was down: the flap did not happen: %s" % [
    l for l in open(out + ".ping").read().splitlines()
    if re.match(r"^\[(\d+\.\d+)\]", l) and down - 0.3 < float(l[1:l.index("]")]) < up + 0.3]
after = [t for t in replies if t > up]
assert after, "no ping answered after link up"
print("first ping answered %.3f s after link up" % (after[0] - up))
assert after[0] - up < 1.0, "traffic resumed %.3f s after link up (want < 1 s)" % (after[0] - up)
iperf = open(out + ".iperf").read()
assert "receiver" in iperf, "the TCP run did not complete:\n" + iperf[-800:]
print("".join(l + "\n" for l in iperf.splitlines() if "sender" in l or "receiver" in l), end="")
print("PASS: %r" % ports)
PY
