#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Host side of the link flap test: 8 s of iperf3 TCP and a ping every 0.1 s
# through the guest; 3 s in, NIC 0's link goes down for 1 s on the QEMU
# monitor. Writes $LINKFLAP_OUT.{down,up} (epoch seconds), .ping (ping -D)
# and .iperf for linkflap.sh to check.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$LINKFLAP_OUT
hmp="python3 $here/../../usertools/lib/qemu-hmp.py $VMMIO_MONITOR"

ip netns exec "$VMMIO_NETNS_1" timeout 40 iperf3 -s -1 -B "$VMMIO_IP_1" -p 5201 >/dev/null 2>&1 &
srv=$!
sleep 0.5
ip netns exec "$VMMIO_NETNS_0" timeout 40 iperf3 -c "$VMMIO_IP_1" -p 5201 -t 8 >"$out.iperf" 2>&1 &
cli=$!
ip netns exec "$VMMIO_NETNS_0" timeout 30 ping -D -n -i 0.1 -c 100 -W 1 "$VMMIO_IP_1" >"$out.ping" 2>&1 &
png=$!
sleep 3
$hmp "set_link nic0 off"
date +%s.%N >"$out.down"
sleep 1
$hmp "set_link nic0 on"
date +%s.%N >"$out.up"
rc=0
wait $cli || rc=1
wait $png || true
wait $srv || true
exit $rc
