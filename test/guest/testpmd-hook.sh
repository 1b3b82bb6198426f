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
send "stop"
expect 'Accumulated forward statistics for all ports' 1
# quit last: the hook must end before the guest command does.
send "quit"
exit $fail
