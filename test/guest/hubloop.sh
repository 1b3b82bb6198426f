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
. "$(dirname "$0")/../../usertools/lib/guest.sh"
where=$1 plugin=$(realpath "$2") mode=$3
guest_mode "$mode"
testpmd_guest "$where" "$plugin"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
HOOK_OUT=$out HOOK_LOG=$out/console HOOK_SIZES=64 HOOK_BURSTS=8 HOOK_DURATION=${HOOK_DURATION:-4} \
GUEST_OUT=$out/run-guest.out \
guest_run "$out/console" --nics 2 --net hub --access mmap "${GUEST_MODE[@]}" \
	--no-stdin --timeout 300 "${TESTPMD_FILES[@]}" \
	--ready-marker "testpmd> " \
	--host-hook "bash $VMMIO_TOP/usertools/lib/loop-hook.sh" \
	-- "$(testpmd_guest_cmd "--log-level=pmd.net.virtio_mmio:info $(vdev_pair ",access=mmap") \
	-- -i --forward-mode=io --rxd=256 --txd=256 --burst=32 --total-num-mbufs=8192")"
python3 "$VMMIO_TOP/test/guest/rings_check.py" "$out/console" "$GUEST_RINGS" ||
	{ echo "FAIL: virtqueue layout"; exit 1; }
guest_py - "$out/64" <<'PY'
import sys
from vmmio_console import Checks
from vmmio_report import one_size
r = one_size(sys.argv[1], 64)
c = Checks()
check = c.check
check("kpps" in r, "port statistics at both ends of the window")
for p in (0, 1):
    for k in ("rx", "tx"):
        v = r.get("p%d_%s" % (p, k), 0)
        check(v > 0, "port %d %s rate %.1f kpps > 0 (the loop still runs)" % (p, k.upper(), v))
    n = r.get("p%d_RX-packets" % p, 0)
    check(n >= 10000, "port %d received %d >= 10000 frames in the window" % (p, n))
check(r.get("lost") == 0, "frames lost between the ports after the drain: %r" % r.get("lost"))
c.done()
PY
