#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Host side of one bench-compare.sh run (a run-guest.sh host hook): with a
# forwarder up in the guest (usertools/lib/guest-fwd.sh), measure through it
# from namespace 0 to namespace 1, naming each phase to the guest's CPU
# sampler:
#   idle  3 s without traffic
#   ping  HOOK_PINGS pings at 20/s (RTT percentiles)
#   tcp1  iperf3 TCP, 1 stream, HOOK_DURATION s
#   tcp4  iperf3 TCP, 4 streams, HOOK_DURATION s
#   udp   iperf3 UDP, 64-byte datagrams offered at HOOK_UDP_RATE bit/s
# Results go to HOOK_OUT: ping.txt, tcp1.json, tcp4.json, udp.json.
# Env from run-guest.sh: VMMIO_NETNS_0/1, VMMIO_IP_1, VMMIO_CONSOLE_IN.
set -euo pipefail
. "$(dirname "$0")/common.sh"
out=${HOOK_OUT:?}
dur=${HOOK_DURATION:-10}
pings=${HOOK_PINGS:-100}
udp_rate=${HOOK_UDP_RATE:-100M}
ns0=${VMMIO_NETNS_0:?}
ns1=${VMMIO_NETNS_1:?}
ip1=${VMMIO_IP_1:?}

srv=
trap '[ -z "$srv" ] || kill "$srv" 2>/dev/null || true; phase end' EXIT

wait_ping "$ns0" "$ip1" 30 ||
	{ echo "error: no ping reply from $ip1 through the guest within 30 tries" >&2; exit 1; }

phase idle
sleep 3
phase ping
ip netns exec "$ns0" ping -c "$pings" -i 0.05 -W 2 "$ip1" >"$out/ping.txt" 2>&1 || true

# One iperf3 server per test: -1 makes it exit after its client, the timeout
# bounds it if the client never comes.
iperf() {
	local name=$1
	shift
	ip netns exec "$ns1" timeout $((dur + 60)) iperf3 -s -1 -B "$ip1" -p 5201 >/dev/null 2>&1 &
	srv=$!
	sleep 0.5
	phase "$name"
	ip netns exec "$ns0" timeout $((dur + 30)) iperf3 -c "$ip1" -p 5201 -t "$dur" -J "$@" \
		>"$out/$name.json" 2>"$out/$name.err" ||
		echo "warning: iperf3 $name failed: $(head -c 200 "$out/$name.err")" >&2
	wait "$srv" 2>/dev/null || true
	srv=
}
iperf tcp1
iperf tcp4 -P 4
iperf udp -u -l 64 -b "$udp_rate"
