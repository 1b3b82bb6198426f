#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Host side of one bench-loop.sh run (a run-guest.sh host hook): drives the
# guest's dpdk-testpmd, io forwarding between two NICs on one QEMU hub,
# through the console. Once: port info. Per frame size S of
# HOOK_SIZES:
#   clear port stats, set txpkts S (with HOOK_SEG=B > 0: S in segments of
#   at most B bytes), start tx_first HOOK_BURSTS (the
#   population: that many bursts of 32 frames on each port, looped for good
#   by the hub and io forwarding), HOOK_WARMUP s, show port stats all
#   (window start), HOOK_DURATION s, show port stats all (window end), stop
#   (forward statistics); then rxonly for HOOK_DRAIN s takes in what is still
#   in the loop, so that sent minus received counts the frames lost outside
#   testpmd.
# Files in HOOK_OUT: info.txt, and per size S/: the console text of each
# step (<step>.txt), window.txt (host clock at the two window commands) and
# threads-0.txt, threads-1.txt (QEMU's /proc task stat lines at them).
# Env from run-guest.sh: VMMIO_CONSOLE_IN, VMMIO_QEMU_PID; HOOK_LOG is the
# console log (run-guest.sh --log).
set -euo pipefail
. "$(dirname "$0")/common.sh"
. "$VMMIO_TOP/test/guest/cli-lib.sh"
out=${HOOK_OUT:?}
CLI_LOG=${HOOK_LOG:?}
sizes=${HOOK_SIZES:-64 1518}
bursts=${HOOK_BURSTS:-8}
warmup=${HOOK_WARMUP:-2}
dur=${HOOK_DURATION:-10}
drain=${HOOK_DRAIN:-2}
seg=${HOOK_SEG:-0}
qpid=${VMMIO_QEMU_PID:?}

prompts() { grep -o 'testpmd> ' "$CLI_LOG" | wc -l; }

# step FILE COMMAND...: send the commands, wait (60 s at most) for testpmd's
# prompt after each, save the console text they produced in FILE.
step() {
	local file=$1 n off i
	shift
	n=$(($(prompts) + $#))
	off=$(stat -c %s "$CLI_LOG")
	send "$@"
	for ((i = 0; i < 300; i++)); do
		[ "$(prompts)" -ge "$n" ] && break
		sleep 0.2
	done
	tail -c +$((off + 1)) "$CLI_LOG" >"$file"
	[ "$(prompts)" -ge "$n" ] || { echo "hook: no testpmd prompt after '$*' within 60 s" >&2; return 1; }
}

# QEMU's threads (name in parentheses, utime and stime in clock ticks).
threads() { cat /proc/"$qpid"/task/*/stat >"$1" 2>/dev/null || true; }

step "$out/info.txt" "show port info all"
for s in $sizes; do
	d=$out/$s
	mkdir -p "$d"
	# testpmd's txpkts: segment lengths, comma-separated
	pk=$s
	if [ "$seg" -gt 0 ]; then
		pk=
		for ((left = s; left > 0; left -= seg)); do
			pk+=${pk:+,}$((left < seg ? left : seg))
		done
	fi
	step "$d/start.txt" "clear port stats all" "set txpkts $pk" "start tx_first $bursts"
	sleep "$warmup"
	t0=$EPOCHREALTIME
	threads "$d/threads-0.txt"
	step "$d/window-0.txt" "show port stats all"
	sleep "$dur"
	t1=$EPOCHREALTIME
	threads "$d/threads-1.txt"
	step "$d/window-1.txt" "show port stats all"
	echo "$t0 $t1 $(getconf CLK_TCK)" >"$d/window.txt"
	step "$d/stop.txt" "stop"
	step "$d/drain-start.txt" "set fwd rxonly" "start"
	sleep "$drain"
	step "$d/drain.txt" "stop" "show port stats all" "set fwd io"
done
# quit last; the guest command outlives testpmd until the hook has ended
send "quit"
expect 'TESTPMD-EXIT=' 1
