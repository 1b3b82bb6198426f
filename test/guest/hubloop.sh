#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Guest test: DPDK's dpdk-testpmd, this PMD as its -d plugin, forwards in io
# mode between two NICs joined on one QEMU hub (run-guest.sh --net hub), the
# loop of usertools/bench-loop.sh for a few seconds: tx_first injects 256
# frames on each port, which then loop port 0 -> hub -> port 1 -> testpmd ->
# port 0. With the hub, QEMU's transmit often completes asynchronously (the
# receiving NIC is out of buffers) and re-enables notifications in a way the
# tap tests never reach: a lost notification stalls the loop for good.
# Asserts, over a window of HOOK_DURATION seconds after 2 s of warm-up: both
# ports forward (testpmd's Rx-pps and Tx-pps above zero), at least 10000
# frames per port, and after the rxonly drain no frame lost between the
# ports; the virtqueue layout the PMD logged (rings_check.py).
#   hubloop.sh <build dir>|<dpdk-testpmd> <librte_net_virtio_mmio.so> modern|packed
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
where=$1 plugin=$(realpath "$2") mode=$3
opts=()
[ "$mode" = packed ] && opts+=(--packed)
testpmd=$where
[ -d "$where" ] && testpmd=$(ls "$where"/subprojects/dpdk*/app/dpdk-testpmd 2>/dev/null | head -1)
[ -f "$testpmd" ] && [ -x "$testpmd" ] || { echo "FAIL: no dpdk-testpmd at $where"; exit 1; }
. "$top/usertools/lib/common.sh"
testpmd_guest_files "$testpmd" "$plugin"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
set +e
HOOK_OUT=$out HOOK_LOG=$out/console HOOK_SIZES=64 HOOK_BURSTS=8 HOOK_DURATION=${HOOK_DURATION:-4} \
bash "$top/usertools/run-guest.sh" --nics 2 --net hub --access mmap "${opts[@]}" \
	--no-stdin --timeout 300 --log "$out/console" "${TESTPMD_FILES[@]}" \
	--ready-marker "testpmd> " \
	--host-hook "bash $top/usertools/lib/loop-hook.sh" \
	-- "stty -echo </dev/console 2>/dev/null
	dpdk-testpmd -l 0,1 -n 1 --iova-mode=pa --no-pci \
	--log-level=pmd.net.virtio_mmio:info -d /usr/lib/dpdk/librte_net_virtio_mmio.so \
	--vdev net_virtio_mmio0,dev=\$VMMIO_DEV_0,access=mmap \
	--vdev net_virtio_mmio1,dev=\$VMMIO_DEV_1,access=mmap \
	-- -i --forward-mode=io --rxd=256 --txd=256 --burst=32 --total-num-mbufs=8192
	st=\$?
	trap 'exit \$st' INT TERM
	echo TESTPMD-EXIT=\$st
	[ \$st -eq 0 ] || exit \$st
	while :; do sleep 1; done" >/dev/null 2>"$out/run-guest.err"
rc=$?
set -e
if [ $rc -ne 0 ]; then
	tail -40 "$out/console"
	tail -5 "$out/run-guest.err"
	echo "FAIL: guest or hook exit status $rc"
	exit 1
fi
rings=split
[ "$mode" = packed ] && rings=packed
python3 "$top/test/guest/rings_check.py" "$out/console" "$rings" ||
	{ echo "FAIL: virtqueue layout"; exit 1; }
python3 - "$top" "$out/64" <<'PY'
import os, sys
top, d = sys.argv[1:3]
sys.path.insert(0, os.path.join(top, "usertools", "lib"))
from vmmio_report import one_size
r = one_size(d, 64)
fail = []
def check(cond, msg):
    print(("ok   " if cond else "FAIL ") + msg)
    if not cond:
        fail.append(msg)
check("kpps" in r, "port statistics at both ends of the window")
for p in (0, 1):
    for k in ("rx", "tx"):
        v = r.get("p%d_%s" % (p, k), 0)
        check(v > 0, "port %d %s rate %.1f kpps > 0 (the loop still runs)" % (p, k.upper(), v))
    n = r.get("p%d_RX-packets" % p, 0)
    check(n >= 10000, "port %d received %d >= 10000 frames in the window" % (p, n))
check(r.get("lost") == 0, "frames lost between the ports after the drain: %r" % r.get("lost"))
if fail:
    sys.exit(1)
print("PASS")
PY
