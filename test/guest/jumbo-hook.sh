#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Host side of the jumbo guest test (run by run-guest.sh when l2fwd is ready):
# numbered frames of JUMBO_FRAME bytes both ways between the two namespaces
# (taps at the jumbo MTU), checked byte for byte, then a ping that must not
# fragment (-M do) with a payload filling the MTU.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
count=${FRAMES:-40}
size=${JUMBO_FRAME:?}
mtu=${JUMBO_MTU:?}
fail=0

one_way() {
	local from_ns=$1 from_if=$2 to_ns=$3 to_if=$4
	ip netns exec "$to_ns" python3 "$here/frames.py" recv --iface "$to_if" \
		--count "$count" --size "$size" --timeout 60 &
	local rx=$!
	sleep 1
	ip netns exec "$from_ns" python3 "$here/frames.py" send --iface "$from_if" \
		--count "$count" --size "$size"
	wait $rx || fail=1
}

one_way "$VMMIO_NETNS_0" "$VMMIO_TAP_0" "$VMMIO_NETNS_1" "$VMMIO_TAP_1"
one_way "$VMMIO_NETNS_1" "$VMMIO_TAP_1" "$VMMIO_NETNS_0" "$VMMIO_TAP_0"
# IPv4 (20) + ICMP (8) headers: the largest unfragmented echo payload
if ip netns exec "$VMMIO_NETNS_0" ping -c 5 -i 0.3 -W 3 -M do -s $((mtu - 28)) "$VMMIO_IP_1"; then
	echo "jumbo ping through the guest: ok"
else
	echo "jumbo ping through the guest: FAILED"
	fail=1
fi
exit $fail
