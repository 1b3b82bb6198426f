#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Guest test: the vfio-platform reset handler for virtio-mmio
# (usertools/kmod/) resets a device whose process died (SIGKILL) or exited
# without stopping its port, so Status reads 0 afterwards, and the next l2fwd
# in the same boot forwards frames intact at once (reset-guest.sh,
# reset-hook.sh). With uio the kernel resets nothing (doc/user-guide.md):
# the PMD still resets at an exit without stop (EAL cleanup), a killed
# process leaves its device running until vmmio-devbind --reset.
#   reset.sh <vmmio-l2fwd binary> <vfio_smoke binary> modern|legacy mmap|pread|uio
set -euo pipefail
l2fwd=$1 smoke=$2 mode=$3 access=$4
. "$(dirname "$0")/../../usertools/lib/guest.sh"
guest_access "$access"
guest_mode "$mode"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
progress() {
	grep -E '^(RESET-|L2FWD-FINAL|hook:|ping through)' "$log" | tr -d '\r' || true
}
guest_on_fail() {
	progress
	tail -40 "$log"
}
# NIC0 offers MTU 9000 and NIC1 none: l2fwd --mtu 9000 then fails on port 1
# after starting port 0 (reset-guest.sh, step 2).
GUEST_OUT=/dev/null GUEST_TAIL=0 \
guest_run "$log" --nics 2 --net tap "${GUEST_KMOD[@]}" "${GUEST_MODE[@]}" \
	--nic-prop 0:host_mtu=9000 --timeout 400 \
	--file "$l2fwd:/usr/bin/vmmio-l2fwd" --file "$smoke:/usr/bin/vfio_smoke" \
	--file "$VMMIO_TOP/test/guest/reset-guest.sh:/usr/bin/reset-guest" \
	--ready-marker RESET-FORWARDING --host-hook "bash $VMMIO_TOP/test/guest/reset-hook.sh $log" \
	-- "exec sh /usr/bin/reset-guest $access"
progress
guest_py - "$log" "$access" <<'PY'
import re, sys
from vmmio_console import read, l2fwd_final
uio = sys.argv[2] == "uio"
text = read(sys.argv[1])
status = {}
for m in re.finditer(r"^RESET-STATUS phase=(\S+) dev=(\S+) status=(\S+)$", text, re.M):
    status[(m.group(1), m.group(2))] = int(m.group(3), 16)
devs = sorted({d for _, d in status}, reverse=True)
assert len(devs) == 2, "no Status lines for two devices: %r" % status
fail = []
# Running: DRIVER_OK (4) set, so the reads below do see the device's state
# (legacy devices have no FEATURES_OK: 0x7, modern 0xf).
for d in devs:
    st = status.get(("running", d))
    if st is None or not st & 4:
        fail.append("%s while forwarding: Status %r, want DRIVER_OK" % (d, st))
    st = status.get(("killed", d))
    if uio:
        # UIO: nothing in the kernel resets it; vmmio-devbind --reset does
        if st is None or not st & 4:
            fail.append("%s after SIGKILL under UIO: Status %r, want DRIVER_OK still" % (d, st))
        if status.get(("devbind", d)) != 0:
            fail.append("%s after vmmio-devbind --reset: Status %r, want 0" % (d, status.get(("devbind", d))))
    elif st != 0:
        fail.append("%s after SIGKILL: Status %r, want 0 (device not reset)" % (d, st))
if uio:
    m = re.search(r"^RESET-DEVBIND-BUSY rc=(\d+)$", text, re.M)
    if not m or m.group(1) == "0" or "is open in a running process" not in text:
        fail.append("vmmio-devbind --reset did not refuse a device in use: %r" % (m and m.group(0)))
m = re.search(r"^RESET-EARLY-EXIT rc=(\d+)$", text, re.M)
if not m or m.group(1) == "0":
    fail.append("the l2fwd with a failing port 1 did not exit with an error: %r" % (m and m.group(0)))
if not re.search(r"^early\| port 0: .* MAC ", text, re.M):
    fail.append("port 0 was not started before port 1 failed")
if not re.search(r"^early\| error: port 1 init failed", text, re.M):
    fail.append("port 1 did not fail to initialise")
if status.get(("exited", devs[0])) != 0:
    fail.append("%s after exit without stop: Status %r, want 0" % (devs[0], status.get(("exited", devs[0]))))
if not re.search(r"^RESET-LEFT-RUNNING rc=0$", text, re.M):
    fail.append("vfio_smoke --leave-running failed")
if uio:
    st = status.get(("left", devs[0]))
    if st is None or not st & 2:
        fail.append("%s after an exit with open fds under UIO: Status %r, want DRIVER still" % (devs[0], st))
elif status.get(("left", devs[0])) != 0:
    fail.append("%s after an exit with open fds: Status %r, want 0" % (devs[0], status.get(("left", devs[0]))))
ports = l2fwd_final(text)
if len(ports) != 2:
    fail.append("missing L2FWD-FINAL lines of the last l2fwd: %r" % ports)
for p, s in ports.items():
    if s["rx"] < 300 or s["ierrors"] or s["oerrors"]:
        fail.append("last l2fwd port %s: %r" % (p, s))
for f in fail:
    print("FAIL: " + f)
if fail:
    sys.exit(1)
if uio:
    print("PASS: UIO: Status 0 after exit without stop; left running by SIGKILL and an exit with open fds, reset by vmmio-devbind; then %r" % ports)
else:
    print("PASS: Status 0 after SIGKILL, exit without stop and exit with open fds; then %r" % ports)
PY
