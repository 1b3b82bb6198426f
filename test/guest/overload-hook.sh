#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Host side of the overload test (overload.sh): with forwarding stopped, a
# burst of OVERLOAD_FRAMES frames into NIC 0's tap, the tap's drop counter
# read around it; then rxonly forwarding drains the port. Writes
# "sent=N tap_dropped=M offered=K" to <out>: K is everything the tap took
# from the namespace meanwhile (its tx packets + drops, read again once the
# port's final counters are in), the burst plus any stray frame.
#   overload-hook.sh <console log> <out>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
CLI_LOG=$1 out=$2
. "$here/cli-lib.sh"
n=${OVERLOAD_FRAMES:-3000}
tap_stat() {
	ip netns exec "$VMMIO_NETNS_0" cat "/sys/class/net/$VMMIO_TAP_0/statistics/$1"
}
drops() {
	tap_stat tx_dropped
}

send "set fwd rxonly" "clear port stats all"
sleep 1
d0=$(drops)
p0=$(tap_stat tx_packets)
ip netns exec "$VMMIO_NETNS_0" python3 "$here/frames.py" send --iface "$VMMIO_TAP_0" \
	--count "$n" --gap-us 0
sleep 2
d1=$(drops)
send "show port stats 0"
expect '^PORT-STATS port=0 ' 1
send "start"
expect '^FWD-START mode=rxonly' 1
sleep 3
send "stop"
expect '^FWD-STOP' 1
send "show port stats 0"
expect '^PORT-STATS port=0 ' 2
offered=$(($(tap_stat tx_packets) - p0 + $(drops) - d0))
echo "sent=$n tap_dropped=$((d1 - d0)) offered=$offered" >"$out"
