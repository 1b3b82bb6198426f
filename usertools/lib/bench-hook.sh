#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Host side of one RX-mode benchmark run (run-guest.sh hook): ping through the
# guest, an idle window, then iperf3 TCP; each phase is named to the guest's
# CPU sampler (usertools/lib/l2fwd-cpu.sh).
# Env: HOOK_OUT (directory), HOOK_DURATION (iperf3 seconds), HOOK_PINGS,
# plus run-guest.sh's VMMIO_NETNS_0/1, VMMIO_IP_1, VMMIO_CONSOLE_IN.
set -euo pipefail
. "$(dirname "$0")/common.sh"
out=${HOOK_OUT:?}
dur=${HOOK_DURATION:-10}
pings=${HOOK_PINGS:-100}
phase() { echo "phase $1" >"$VMMIO_CONSOLE_IN"; }

wait_ping "$VMMIO_NETNS_0" "$VMMIO_IP_1" 20 ||
	{ echo "error: no ping reply through the guest" >&2; exit 1; }
phase idle
sleep 4
phase ping
# 20 pings/s: the guest idles between them, so interrupt modes sleep.
ip netns exec "$VMMIO_NETNS_0" ping -c "$pings" -i 0.05 -W 2 "$VMMIO_IP_1" >"$out/ping.txt" 2>&1 || true
ip netns exec "$VMMIO_NETNS_1" timeout $((dur + 60)) iperf3 -s -1 -B "$VMMIO_IP_1" -p 5201 >/dev/null 2>&1 &
srv=$!
sleep 0.5
phase load
ip netns exec "$VMMIO_NETNS_0" timeout $((dur + 30)) iperf3 -c "$VMMIO_IP_1" -p 5201 \
	-t "$dur" -J >"$out/iperf3.json" 2>"$out/iperf3.err" || true
phase end
wait $srv || true
