#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Guest test: l2fwd over the PMD forwards frames intact both ways, and ping works;
# the ports run packed virtqueues (RING_PACKED, the PMD's INFO line) exactly
# when packed.
#   l2fwd.sh <vmmio-l2fwd binary> modern|legacy|packed mmap|pread|uio
#   (packed: modern NICs that offer packed virtqueues, run-guest.sh --packed)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
l2fwd=$1 mode=$2 access=$3
. "$top/test/guest/access.sh"
guest_access "$access"
opts=()
[ "$mode" = legacy ] && opts+=(--legacy)
[ "$mode" = packed ] && opts+=(--packed)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
bash "$top/usertools/run-guest.sh" --nics 2 --net tap "${GUEST_KMOD[@]}" "${opts[@]}" \
	--timeout 400 --log "$log" --file "$l2fwd:/usr/bin/vmmio-l2fwd" \
	--ready-marker L2FWD-READY --host-hook "bash $top/test/guest/l2fwd-hook.sh" \
	-- "exec vmmio-l2fwd -l 0 -n 1 --iova-mode=pa --no-pci \
	--log-level=pmd.net.virtio_mmio:info \
	--vdev net_virtio_mmio0,dev=\$VMMIO_DEV_0,$PMD_ACCESS \
	--vdev net_virtio_mmio1,dev=\$VMMIO_DEV_1,$PMD_ACCESS \
	-- --no-mac-updating -T 0"
rc=$?
set -e
if [ $rc -ne 0 ]; then
	echo "FAIL: guest or hook exit status $rc"
	exit 1
fi
# Both ports forwarded at least the test frames, without device errors.
rings=split
[ "$mode" != packed ] || rings=packed
python3 "$top/test/guest/rings_check.py" "$log" "$rings"
python3 - "$log" <<'PY'
import sys
ports = {}
for line in open(sys.argv[1], errors="replace"):
    if line.startswith("L2FWD-FINAL"):
        kv = dict(x.split("=", 1) for x in line.split()[1:])
        ports[kv["port"]] = {k: int(v) for k, v in kv.items()}
assert len(ports) == 2, "missing L2FWD-FINAL lines: %r" % ports
for p, s in ports.items():
    assert s["rx"] >= 300, "port %s received only %d" % (p, s["rx"])
    assert s["ierrors"] == 0 and s["oerrors"] == 0, "port %s errors %r" % (p, s)
print("PASS: %r" % ports)
PY
