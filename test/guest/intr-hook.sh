#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Host side of the interrupt-mode test: numbered frames both ways and ping
# (l2fwd-hook.sh), pings woken by interrupts (median < 25 ms), a short iperf3 TCP run, link down/up of NIC 0 on the QEMU
# monitor, then 5 s without traffic (the guest measures its idle CPU).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../usertools/lib/common.sh"
hmp="python3 $here/../../usertools/lib/qemu-hmp.py $VMMIO_MONITOR"

phase traffic
bash "$here/l2fwd-hook.sh"
# Each ping must be woken by its RX interrupt, not by l2fwd's 100 ms epoll
# timeout (SLEEP_MAX_MS): a line that stops interrupting (not acknowledged,
# not unmasked) shows as a median near 50 ms.
med=$(ip netns exec "$VMMIO_NETNS_0" ping -c 20 -i 0.1 -W 2 "$VMMIO_IP_1" |
	sed -n 's/.*time=\([0-9.]*\) ms.*/\1/p' | sort -n | awk '{ v[NR] = $1 } END { if (NR >= 15) print v[int((NR + 1) / 2)] }')
echo "hook: ping median ${med:-none} ms (20 pings, 0.1 s apart)"
if [ -z "$med" ] || ! awk -v m="$med" 'BEGIN { exit !(m < 25) }'; then
	echo "hook: FAIL: pings were not woken by RX interrupts (median ${med:-none} ms, want < 25)"
	exit 1
fi
ip netns exec "$VMMIO_NETNS_1" timeout 40 iperf3 -s -1 -B "$VMMIO_IP_1" -p 5201 >/dev/null 2>&1 &
srv=$!
sleep 0.5
ip netns exec "$VMMIO_NETNS_0" timeout 30 iperf3 -c "$VMMIO_IP_1" -p 5201 -t 3 |
	grep -E 'sender|receiver'
wait $srv || true
phase link
$hmp "set_link nic0 off"
sleep 1.5
$hmp "set_link nic0 on"
sleep 1.5
echo "hook: idle for 5 s"
phase idle
sleep 5
phase end
