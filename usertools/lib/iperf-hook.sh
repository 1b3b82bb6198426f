#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Host side of the main job, run by run-guest.sh once l2fwd is ready: ping and
# an iperf3 TCP run from namespace 0 to namespace 1 through the guest.
# Env: VMMIO_NETNS_0/1, VMMIO_IP_1 (from run-guest.sh), HOOK_OUT (directory),
# HOOK_DURATION (seconds), HOOK_STREAMS. Writes iperf3.json, ping.txt and
# taps.txt (packets and bytes of both taps around the iperf3 run: a tap's
# rx counts what the guest sent, one GSO super-frame as one packet) and
# csum.txt (each namespace's TCP checksum errors, TcpInCsumErrors, before and
# after: frames the guest forwarded with a broken checksum).
set -euo pipefail
. "$(dirname "$0")/common.sh"

out=${HOOK_OUT:?}
dur=${HOOK_DURATION:-10}
streams=${HOOK_STREAMS:-1}
ns0=${VMMIO_NETNS_0:?}
ns1=${VMMIO_NETNS_1:?}
ip1=${VMMIO_IP_1:?}

# Bounded everything: the server serves one client, then exits on its own.
ip netns exec "$ns1" timeout $((dur + 60)) iperf3 -s -1 -B "$ip1" -p 5201 >"$out/iperf3-server.log" 2>&1 &
srv=$!
trap 'kill $srv 2>/dev/null || true' EXIT

if ! wait_ping "$ns0" "$ip1" 20; then
	echo "error: no ping reply from $ip1 through the guest within 20 tries" >&2
	exit 1
fi
ip netns exec "$ns0" ping -c 10 -i 0.2 -W 2 "$ip1" >"$out/ping.txt" 2>&1 || true
tap_stats() {
	local i ns tap d c
	for i in 0 1; do
		ns=VMMIO_NETNS_$i tap=VMMIO_TAP_$i
		for d in rx tx; do
			for c in packets bytes; do
				printf '%s tap%s %s_%s %s\n' "$1" "$i" "$d" "$c" \
					"$(ip netns exec "${!ns}" cat "/sys/class/net/${!tap}/statistics/${d}_${c}")"
			done
		done
	done
}
csum_errors() {
	local i ns
	for i in 0 1; do
		ns=VMMIO_NETNS_$i
		printf '%s ns%s %s\n' "$1" "$i" "$(ip netns exec "${!ns}" awk \
			'/^Tcp:/ { if (!h) { for (f = 1; f <= NF; f++) if ($f == "InCsumErrors") c = f; h = 1 } else print $c }' \
			/proc/net/snmp)"
	done
}
: >"$out/taps.txt"
tap_stats before >>"$out/taps.txt"
csum_errors before >"$out/csum.txt"
echo "hook: ping through the guest works; running iperf3 for ${dur}s"
if ! ip netns exec "$ns0" timeout $((dur + 30)) iperf3 -c "$ip1" -p 5201 -t "$dur" \
	-P "$streams" -J >"$out/iperf3.json" 2>"$out/iperf3.err"; then
	echo "error: iperf3 client failed: $(head -c 300 "$out/iperf3.err") $(grep -o '"error":.*' "$out/iperf3.json" | head -1)" >&2
	exit 1
fi
tap_stats after >>"$out/taps.txt"
csum_errors after >>"$out/csum.txt"
wait $srv || true
trap - EXIT
# A guest command waiting for it (guest-fwd.sh, the --vs-bridge run) ends on
# this line; l2fwd never reads its standard input.
[ -z "${VMMIO_CONSOLE_IN:-}" ] || echo "phase end" >"$VMMIO_CONSOLE_IN"
