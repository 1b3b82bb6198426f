#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Host side of the reset test (reset.sh), started at RESET-FORWARDING: ping
# through the first l2fwd, keep pings flowing both ways while the guest kills
# it, then numbered frames and ping through the last l2fwd (l2fwd-hook.sh).
#   reset-hook.sh <console log>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
CLI_LOG=$1
. "$here/cli-lib.sh"
. "$here/../../usertools/lib/common.sh"
fail=0

if ! wait_ping "$VMMIO_NETNS_0" "$VMMIO_IP_1" 30; then
	echo "hook: no ping through the first l2fwd"
	fail=1
fi
# Frames in flight, so the device has used buffers when the process dies.
ip netns exec "$VMMIO_NETNS_0" ping -q -i 0.01 "$VMMIO_IP_1" >/dev/null 2>&1 &
flood0=$!
ip netns exec "$VMMIO_NETNS_1" ping -q -i 0.01 "$VMMIO_IP_0" >/dev/null 2>&1 &
flood1=$!
sleep 1
send kill
expect '^RESET-KILLED' 1 || fail=1
kill "$flood0" "$flood1" 2>/dev/null || true
wait "$flood0" "$flood1" 2>/dev/null || true
# The last l2fwd must forward at once: no warm-up, no retries.
expect '^L2FWD-READY' 1 180 || exit 1
FRAMES=300 bash "$here/l2fwd-hook.sh" || fail=1
exit $fail
