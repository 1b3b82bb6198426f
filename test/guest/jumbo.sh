#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Guest test: frames at a 9000-byte MTU cross l2fwd intact both ways.
# QEMU offers the MTU (host_mtu, VIRTIO_NET_F_MTU), the host taps run at it,
# l2fwd sets it on both ports (--mtu). With offloads on (16 KiB mbufs) a
# frame fits one RX buffer; with --no-offload (2 KiB mbufs) it spans
# MRG_RXBUF buffers and leaves as a multi-segment mbuf: with QEMU's
# VIRTIO_RING_F_INDIRECT_DESC one indirect descriptor (header and 5
# segments). packed: the same on packed virtqueues (QEMU packed=on).
#   jumbo.sh <vmmio-l2fwd binary> modern|legacy|packed offload|no-offload
set -euo pipefail
. "$(dirname "$0")/../../usertools/lib/guest.sh"
l2fwd=$1 mode=$2 ofl=$3
mtu=9000
guest_mode "$mode"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
JUMBO_MTU=$mtu JUMBO_FRAME=$((mtu + 14)) \
guest_run "$log" --nics 2 --net tap --mtu $mtu "${GUEST_MODE[@]}" \
	--timeout 400 --file "$l2fwd:/usr/bin/vmmio-l2fwd" \
	--ready-marker L2FWD-READY --host-hook "bash $VMMIO_TOP/test/guest/jumbo-hook.sh" \
	-- "exec vmmio-l2fwd -l 0 -n 1 --iova-mode=pa --no-pci \
	--log-level=pmd.net.virtio_mmio:info $(vdev_pair) \
	-- --no-mac-updating -T 0 --mtu $mtu --$ofl"
python3 "$VMMIO_TOP/test/guest/rings_check.py" "$log" "$GUEST_RINGS" ||
	{ echo "FAIL: virtqueue layout"; exit 1; }
guest_py - "$log" "$ofl" <<'PY'
import sys
from vmmio_console import read, features, l2fwd_final, l2fwd_offloads
text = read(sys.argv[1])
# QEMU offers VIRTIO_RING_F_INDIRECT_DESC: multi-segment frames go as one
# indirect descriptor
feats = [(p, got) for p, got, _ in features(text)]
assert len(feats) == 2 and all("INDIRECT_DESC" in f for _, f in feats), \
    "INDIRECT_DESC not negotiated on both ports: %r" % feats
ports, ofl = l2fwd_final(text), l2fwd_offloads(text)
assert len(ports) == 2, "missing L2FWD-FINAL lines: %r" % ports
for p, s in ports.items():
    # 40 jumbo frames each way plus the 5 jumbo echo requests or replies
    assert s["rx_jumbo"] >= 45, "port %s: only %d frames over 1518 bytes" % (p, s["rx_jumbo"])
    assert s["ierrors"] == 0 and s["oerrors"] == 0 and s["dropped"] == 0, \
        "port %s errors %r" % (p, s)
if sys.argv[2] == "no-offload":
    for p, o in ofl.items():
        assert "SCATTER" in o["rx"] and "MULTI_SEGS" in o["tx"], (p, o)
print("PASS: %r" % {p: (s["rx"], s["rx_jumbo"]) for p, s in ports.items()})
PY
