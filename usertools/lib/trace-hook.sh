#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Host side of usertools/trace-ping.sh (a run-guest.sh hook): a few pings
# through the guest while its tracefs records (lib/trace-guest.sh), then,
# with tracing off, HOOK_PINGS pings at 20/s for the RTT figures.
#   trace-hook.sh CONSOLE_LOG
# Env: HOOK_OUT (directory), HOOK_TRACED (pings traced, default 4), HOOK_PINGS
# (default 100), plus run-guest.sh's VMMIO_NETNS_0, VMMIO_IP_1,
# VMMIO_CONSOLE_IN.
set -euo pipefail
. "$(dirname "$0")/common.sh"
console=$1
out=${HOOK_OUT:?}
trap 'phase end' EXIT

wait_ping "$VMMIO_NETNS_0" "$VMMIO_IP_1" 20 ||
	{ echo "error: no ping reply through the guest" >&2; exit 1; }
sleep 1
phase trace-on
sleep 1
# 0.3 s apart: every ping finds the lcore asleep, as at 20/s
ip netns exec "$VMMIO_NETNS_0" ping -c "${HOOK_TRACED:-4}" -i 0.3 -W 2 "$VMMIO_IP_1" \
	>"$out/ping-traced.txt" 2>&1 || true
phase dump
# The dump goes through the serial console: wait for its end (bounded).
for _ in $(seq 1 600); do
	grep -q '^TRACE-END' "$console" 2>/dev/null && break
	sleep 0.2
done
grep -q '^TRACE-END' "$console" || { echo "error: no TRACE-END from the guest" >&2; exit 1; }
ip netns exec "$VMMIO_NETNS_0" ping -c "${HOOK_PINGS:-100}" -i 0.05 -W 2 "$VMMIO_IP_1" \
	>"$out/ping.txt" 2>&1 || true
