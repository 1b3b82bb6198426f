#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Guest test of the control virtqueue: vmmio-testpmd on two NICs with two
# queue pairs each (QEMU mq=on, multiqueue taps), driven through its stdin
# by ctrl-hook.sh (promiscuous mode off/on with foreign and own
# destination MACs; two queue pairs on two forwarding lcores).
#   ctrl.sh <vmmio-testpmd binary> modern|legacy mmap|pread
set -euo pipefail
. "$(dirname "$0")/../../usertools/lib/guest.sh"
cli=$1 mode=$2 access=$3
guest_mode "$mode"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# What the device offered and the PMD negotiated, for the record.
record() {
	grep -aE 'PORT-INFO|FWD-STREAM|PORT-XSTAT port=[01] (rx|tx)_q[01]_packets|^error' "$log" |
		tr -d '\r' || true
}
guest_on_fail() {
	record
	tail -40 "$log"
}
GUEST_TAIL=0 guest_run "$log" --nics 2 --net tap --queues 2 --smp 3 \
	--access "$access" "${GUEST_MODE[@]}" --timeout 500 \
	--file "$cli:/usr/bin/vmmio-testpmd" \
	--ready-marker "CLI-READY ports=2 fwd-lcores=2" \
	--host-hook "bash $VMMIO_TOP/test/guest/ctrl-hook.sh $log" \
	-- "stty -echo </dev/console 2>/dev/null
	exec vmmio-testpmd -l 0,1,2 -n 1 --iova-mode=pa --no-pci $(vdev_pair ",access=$access")"
record
grep -aq 'max-rxq=2 max-txq=2' "$log" || { echo "FAIL: ports do not report 2 queue pairs"; exit 1; }
echo "PASS"
