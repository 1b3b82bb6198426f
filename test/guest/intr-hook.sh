#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Host side of the interrupt-mode test: numbered frames both ways and ping
# (l2fwd-hook.sh), a short iperf3 TCP run, link down/up of NIC 0 on the QEMU
# monitor, then 5 s without traffic (the guest measures its idle CPU).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
phase() { echo "phase $1" >"$VMMIO_CONSOLE_IN"; }
hmp="python3 $here/../../usertools/lib/qemu-hmp.py $VMMIO_MONITOR"

phase traffic
bash "$here/l2fwd-hook.sh"
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
