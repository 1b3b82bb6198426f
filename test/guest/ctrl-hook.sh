#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Host side of the control-queue guest test (ctrl.sh), driving vmmio-testpmd:
#  (a) receive filter (VIRTIO_NET_F_CTRL_RX): with promiscuous mode off,
#      frames to a foreign MAC are dropped by the device while frames to the
#      port's own MAC pass; with it on, both pass;
#  (b) VIRTIO_NET_F_MQ: two queue pairs per port on two forwarding lcores;
#      several UDP flows, then the per-queue counters show both pairs carried
#      traffic.
#   ctrl-hook.sh <console log>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
CLI_LOG=$1
. "$here/cli-lib.sh"
N=60
FOREIGN=02:00:00:00:00:99
fail=0

# frames DST WANT: N frames ns0 -> guest port 0 -> port 1 -> ns1; WANT of
# them must arrive (0 or all).
frames() {
	local dst=$1 want=$2 out
	out=$(mktemp)
	ip netns exec "$VMMIO_NETNS_1" python3 "$here/frames.py" recv --iface "$VMMIO_TAP_1" \
		--count "$N" --timeout 15 >"$out" || true &
	local rx=$!
	sleep 1
	ip netns exec "$VMMIO_NETNS_0" python3 "$here/frames.py" send --iface "$VMMIO_TAP_0" \
		--count "$N" --dst "$dst" >/dev/null
	wait $rx || true
	if grep -q "^received $want/$N distinct frames.*0 corrupted, 0 duplicated" "$out"; then
		echo "hook: dst $dst: $(cat "$out") (expected $want): ok"
	else
		echo "hook: dst $dst: $(cat "$out") (expected $want): FAILED"
		fail=1
	fi
	rm -f "$out"
}

# (a) promiscuous mode through the control queue
send "set promisc all off"
expect '^PORT-PROMISC port=1 off' 1
send "show port info all" "start"
expect '^FWD-START mode=io' 1
frames "$FOREIGN" 0
frames "$VMMIO_GUEST_MAC_0" "$N"
send "set promisc all on"
expect '^PORT-PROMISC port=1 on' 1
frames "$FOREIGN" "$N"
send "stop"
expect '^FWD-STOP' 1

# (b) two queue pairs, one per forwarding lcore
send "port stop all" "port config all rxq 2" "port config all txq 2" "port start all"
expect '^PORT-START port=1 rxq=2 txq=2' 1
send "show port info all" "show config fwd" "clear port stats all" "start"
expect '^FWD-START mode=io .*lcores=2 streams=4' 1
ip netns exec "$VMMIO_NETNS_0" ping -c 2 -i 0.3 -W 3 "$VMMIO_IP_1" >/dev/null || {
	echo "hook: ping through the guest with two queue pairs failed"
	fail=1
}
out=$(mktemp)
ip netns exec "$VMMIO_NETNS_1" python3 "$here/udpflows.py" recv --bind "$VMMIO_IP_1" \
	--timeout 60 >"$out" &
rx=$!
sleep 1
ip netns exec "$VMMIO_NETNS_0" python3 "$here/udpflows.py" send --dst "$VMMIO_IP_1"
wait $rx || fail=1
cat "$out"
rm -f "$out"
send "stop"
expect '^FWD-STOP' 2
send "show port xstats 0" "show port xstats 1" "show port stats all"
expect '^PORT-STATS port=1' 1

# Per-queue counters (ethdev's rx_qN_packets / tx_qN_packets xstats).
xs() {
	grep -aE "^PORT-XSTAT port=$1 $2=" "$CLI_LOG" | tail -1 | sed 's/.*=//' | tr -d '\r'
}
sleep 1
for c in "0 rx_q0_packets" "0 rx_q1_packets" "1 tx_q0_packets" "1 tx_q1_packets"; do
	# shellcheck disable=SC2086
	v=$(xs $c)
	if [ -n "$v" ] && [ "$v" -gt 0 ]; then
		echo "hook: port ${c% *} ${c#* } = $v: ok"
	else
		echo "hook: port ${c% *} ${c#* } = '${v}': FAILED (a queue pair carried nothing)"
		fail=1
	fi
done
exit $fail
