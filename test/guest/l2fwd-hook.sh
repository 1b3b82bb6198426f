#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Host side of the l2fwd guest test (run by run-guest.sh when l2fwd is ready):
# numbered frames both ways between the two namespaces, checked byte for
# byte and counted, then ping through the guest.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
count=${FRAMES:-300}
fail=0

one_way() {
	local from_ns=$1 from_if=$2 to_ns=$3 to_if=$4
	ip netns exec "$to_ns" python3 "$here/frames.py" recv --iface "$to_if" \
		--count "$count" --timeout 60 &
	local rx=$!
	sleep 1
	ip netns exec "$from_ns" python3 "$here/frames.py" send --iface "$from_if" --count "$count"
	wait $rx || fail=1
}

one_way "$VMMIO_NETNS_0" "$VMMIO_TAP_0" "$VMMIO_NETNS_1" "$VMMIO_TAP_1"
one_way "$VMMIO_NETNS_1" "$VMMIO_TAP_1" "$VMMIO_NETNS_0" "$VMMIO_TAP_0"
if ip netns exec "$VMMIO_NETNS_0" ping -c 5 -i 0.3 -W 3 "$VMMIO_IP_1"; then
	echo "ping through the guest: ok"
else
	echo "ping through the guest: FAILED"
	fail=1
fi
exit $fail
