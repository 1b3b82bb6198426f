#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Host side of the dpdk-testpmd guest test (testpmd.sh): drives DPDK's own
# testpmd (our PMD loaded with -d) through the console and sends frames and
# ping between the two namespaces through its io forwarding.
#   testpmd-hook.sh <console log>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
CLI_LOG=$1
. "$here/cli-lib.sh"
fail=0

send "show port info all"
expect 'Driver name: net_virtio_mmio' 2
send "start tx_first"
expect 'io packet forwarding' 1
FRAMES=100 bash "$here/l2fwd-hook.sh" || fail=1
send "show port stats all"
expect 'NIC statistics for port 1' 1
# the PMD's own xstats (per-queue notification counters) answer there too
send "show port xstats 0"
expect 'rx_q0_notifications: [0-9]+' 1
send "stop"
expect 'Accumulated forward statistics for all ports' 1
# mac forwarding (testpmd's rewrite of both addresses), tx_first burst only:
# the frames leave for the host namespaces, which do not answer them
send "set fwd mac"
expect 'Set mac packet forwarding mode' 1
send "start tx_first"
expect 'mac packet forwarding' 2
sleep 1
send "stop"
expect 'Accumulated forward statistics for all ports' 2
# quit last; the guest command outlives testpmd until the hook has ended
send "quit"
expect 'TESTPMD-EXIT=' 1
exit $fail
