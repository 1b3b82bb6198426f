#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Guest test: l2fwd over the PMD forwards frames intact both ways, and ping works;
# the ports run packed virtqueues (RING_PACKED, the PMD's INFO line) exactly
# when packed.
#   l2fwd.sh <vmmio-l2fwd binary> modern|legacy|packed mmap|pread|uio
#   (packed: modern NICs that offer packed virtqueues, run-guest.sh --packed)
set -euo pipefail
. "$(dirname "$0")/../../usertools/lib/guest.sh"
l2fwd=$1 mode=$2 access=$3
guest_access "$access"
guest_mode "$mode"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
guest_run "$log" --nics 2 --net tap "${GUEST_KMOD[@]}" "${GUEST_MODE[@]}" \
	--timeout 400 --file "$l2fwd:/usr/bin/vmmio-l2fwd" \
	--ready-marker L2FWD-READY --host-hook "bash $VMMIO_TOP/test/guest/l2fwd-hook.sh" \
	-- "exec vmmio-l2fwd -l 0 -n 1 --iova-mode=pa --no-pci \
	--log-level=pmd.net.virtio_mmio:info $(vdev_pair ",$PMD_ACCESS") \
	-- --no-mac-updating -T 0"
# Both ports forwarded at least the test frames, without device errors.
python3 "$VMMIO_TOP/test/guest/rings_check.py" "$log" "$GUEST_RINGS"
guest_py - "$log" <<'PY'
import sys
from vmmio_console import read, l2fwd_final
ports = l2fwd_final(read(sys.argv[1]))
assert len(ports) == 2, "missing L2FWD-FINAL lines: %r" % ports
for p, s in ports.items():
    assert s["rx"] >= 300, "port %s received only %d" % (p, s["rx"])
    assert s["ierrors"] == 0 and s["oerrors"] == 0, "port %s errors %r" % (p, s)
print("PASS: %r" % ports)
PY
