#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Host side of the vmmio-testpmd guest test (cli.sh): drives the CLI through
# the console, sends traffic between the two namespaces through the guest
# (l2fwd-hook.sh: numbered frames both ways and ping) and pings the guest's
# icmpecho engine, then forwards again in interrupt mode. cli.sh checks the
# CLI's answers in the log afterwards.
#   cli-hook.sh <console log>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
CLI_LOG=$1
. "$here/cli-lib.sh"
fail=0

# 0. started with --auto-start: forwarding runs already
send "show port info all" "show config fwd" "stop"
expect '^FWD-STOP' 1

# 1. io forwarding between the two ports, after 4 bursts per stream
send "clear port stats all" "start tx_first 4"
expect '^FWD-START mode=io.*tx-first=4' 1
FRAMES=200 bash "$here/l2fwd-hook.sh" || fail=1
send "show port stats all" "stop"
expect '^FWD-STOP' 2
send "show port stats all" "show port xstats 0"
expect '^PORT-XSTAT port=0 rx_q0_notifications' 1

# 2. wrong input: the CLI answers with an error and keeps going; the
# receive filter (QEMU offers VIRTIO_NET_F_CTRL_RX) goes off and on again
send "frobnicate" "show port info 7" "set promisc 0 off" "set promisc 0 on" "port config all rxq 4"
send "port config mtu 0 20000" "start tx_first 0"

# 3. reconfiguration: rings of 512 RX descriptors, then forwarding again
send "port stop all" "port config all rxd 512" "port config all rxq 4" "port start all"
send "show port info all"
expect '^PORT-INFO .*rxd=512' 2
send "start"
expect '^FWD-START mode=io' 3
ip netns exec "$VMMIO_NETNS_0" ping -c 3 -i 0.3 -W 3 "$VMMIO_IP_1" || {
	echo "hook: ping through the guest after reconfiguration failed"
	fail=1
}
send "stop"
expect '^FWD-STOP' 3

# 4. icmpecho: port 0 answers ARP and ping for any address
send "set fwd icmpecho" "start"
expect '^FWD-START mode=icmpecho' 1
ip netns exec "$VMMIO_NETNS_0" ping -c 3 -i 0.3 -W 3 198.18.0.100 || {
	echo "hook: ping of the icmpecho engine failed"
	fail=1
}
send "stop"
expect '^FWD-STOP' 4

# 5. interrupt mode: io forwarding of host traffic, the lcore sleeping on
# the RX interrupts between bursts; per-queue sleeps, wake-ups, interrupts
send "set fwd io" "set rx-mode interrupt" "port stop all" "port start all"
send "clear port stats all" "start"
expect '^FWD-START mode=io .*rx-mode=interrupt' 1
FRAMES=200 bash "$here/l2fwd-hook.sh" || fail=1
# The end of the hook sends vmmio-stop: SIGINT must end the CLI cleanly.
send "show port stats all" "stop"
expect '^FWD-STOP' 5
exit $fail
