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
top=$(cd "$(dirname "$0")/../.." && pwd)
l2fwd=$1 mode=$2 ofl=$3
mtu=9000
opts=()
[ "$mode" = legacy ] && opts+=(--legacy)
[ "$mode" = packed ] && opts+=(--packed)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
JUMBO_MTU=$mtu JUMBO_FRAME=$((mtu + 14)) \
bash "$top/usertools/run-guest.sh" --nics 2 --net tap --mtu $mtu "${opts[@]}" \
	--timeout 400 --log "$log" --file "$l2fwd:/usr/bin/vmmio-l2fwd" \
	--ready-marker L2FWD-READY --host-hook "bash $top/test/guest/jumbo-hook.sh" \
	-- "exec vmmio-l2fwd -l 0 -n 1 --iova-mode=pa --no-pci \
	--log-level=pmd.net.virtio_mmio:info \
	--vdev net_virtio_mmio0,dev=\$VMMIO_DEV_0 \
	--vdev net_virtio_mmio1,dev=\$VMMIO_DEV_1 \
	-- --no-mac-updating -T 0 --mtu $mtu --$ofl"
rc=$?
set -e
if [ $rc -ne 0 ]; then
	echo "FAIL: guest or hook exit status $rc"
	exit 1
fi
rings=split
[ "$mode" = packed ] && rings=packed
python3 "$top/test/guest/rings_check.py" "$log" "$rings" || { echo "FAIL: virtqueue layout"; exit 1; }
python3 - "$log" "$ofl" <<'PY'
import re, sys
ports, ofl = {}, {}
# QEMU offers VIRTIO_RING_F_INDIRECT_DESC: multi-segment frames go as one
# indirect descriptor
feats = re.findall(r"net_virtio_mmio(\d+): features ([A-Z0-9_ ]*);",
                   open(sys.argv[1], errors="replace").read())
assert len(feats) == 2 and all("INDIRECT_DESC" in f.split() for _, f in feats), \
    "INDIRECT_DESC not negotiated on both ports: %r" % feats
for line in open(sys.argv[1], errors="replace"):
    if line.startswith("L2FWD-FINAL"):
        kv = dict(x.split("=", 1) for x in line.split()[1:])
        ports[kv["port"]] = {k: int(v) for k, v in kv.items()}
    elif line.startswith("L2FWD-OFFLOADS"):
        kv = dict(x.split("=", 1) for x in line.split()[1:])
        ofl[kv["port"]] = kv
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
