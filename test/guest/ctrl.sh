#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Guest test of the control virtqueue: vmmio-testpmd on two NICs with two
# queue pairs each (QEMU mq=on, multiqueue taps), driven through its stdin
# by ctrl-hook.sh (promiscuous mode off/on with foreign and own
# destination MACs; two queue pairs on two forwarding lcores).
#   ctrl.sh <vmmio-testpmd binary> modern|legacy mmap|pread
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cli=$1 mode=$2 access=$3
opts=()
[ "$mode" = legacy ] && opts+=(--legacy)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
eal="-n 1 --iova-mode=pa --no-pci \
	--vdev net_virtio_mmio0,dev=\$VMMIO_DEV_0,access=$access \
	--vdev net_virtio_mmio1,dev=\$VMMIO_DEV_1,access=$access"
set +e
bash "$top/usertools/run-guest.sh" --nics 2 --net tap --queues 2 --smp 3 \
	--access "$access" "${opts[@]}" --timeout 500 --log "$log" \
	--file "$cli:/usr/bin/vmmio-testpmd" \
	--ready-marker "CLI-READY ports=2 fwd-lcores=2" \
	--host-hook "bash $top/test/guest/ctrl-hook.sh $log" \
	-- "stty -echo </dev/console 2>/dev/null
	exec vmmio-testpmd -l 0,1,2 $eal"
rc=$?
set -e
# What the device offered and the PMD negotiated, for the record.
grep -aE 'PORT-INFO|FWD-STREAM|PORT-XSTAT port=[01] (rx|tx)_q[01]_packets|^error' "$log" | tr -d '\r' || true
if [ $rc -ne 0 ]; then
	tail -40 "$log"
	echo "FAIL: guest or hook exit status $rc"
	exit 1
fi
grep -aq 'max-rxq=2 max-txq=2' "$log" || { echo "FAIL: ports do not report 2 queue pairs"; exit 1; }
echo "PASS"
