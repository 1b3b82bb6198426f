#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Guest test: vmmio-testpmd with two NICs on host taps. A first run takes a
# --cmdline-file (no forwarding lcore, quit); the second, started with
# --auto-start, is driven through its stdin (cli-hook.sh): port info, io
# forwarding with tx_first and host traffic (counters consistent between the
# ports and with ethdev's), bad commands, port reconfiguration, icmpecho,
# io forwarding in interrupt mode (per-queue sleeps, wake-ups and the PMD's
# interrupt counts), and SIGINT at the end.
#   cli.sh <vmmio-testpmd binary> modern|legacy mmap|pread [direct|swring]
# (the last: devarg rx_intr of both ports; default: the PMD's)
set -euo pipefail
. "$(dirname "$0")/../../usertools/lib/guest.sh"
cli=$1 mode=$2 access=$3 scheme=${4:+,rx_intr=$4}
guest_mode "$mode"
log=$(mktemp)
pre=$(mktemp)
trap 'rm -f "$log" "$pre"' EXIT
# The line after quit must not run. (stty -echo below: the console would
# otherwise echo the hook's commands into the middle of the CLI's lines.)
printf '%s\n' "# comment" "show config fwd" "start" "quit" "show port info all" >"$pre"
eal="-n 1 --iova-mode=pa --no-pci $(vdev_pair ",access=$access$scheme")"
guest_run "$log" --nics 2 --net tap --access "$access" "${GUEST_MODE[@]}" \
	--timeout 400 --file "$cli:/usr/bin/vmmio-testpmd" \
	--file "$pre:/root/pre.cmds" \
	--ready-marker "CLI-READY ports=2 fwd-lcores=1" \
	--host-hook "bash $VMMIO_TOP/test/guest/cli-hook.sh $log" \
	-- "stty -echo </dev/console 2>/dev/null
	vmmio-testpmd -l 0 $eal -- --cmdline-file /root/pre.cmds </dev/null || exit 1
	exec vmmio-testpmd -l 0,1 $eal -- -a"
python3 "$VMMIO_TOP/test/guest/cli_check.py" "$log"
