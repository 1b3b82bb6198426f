#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Guest side (busybox sh) of the RX-mode tests and benchmarks: run
# vmmio-l2fwd with the given arguments and measure the CPU use of its lcore
# (the main thread: utime+stime of /proc/<pid>/task/<pid>/stat, in ticks of
# 1/100 s) while the host drives traffic.
#   L2FWD-CPU-IDLE-PRE ticks=N ms=M   3 s right after start, before any traffic
#   L2FWD-CPU-READY                   marker for the host hook
#   L2FWD-CPU phase=P ticks=N ms=M    about every second afterwards
# The host names the current phase by sending "phase P" lines to the guest
# console (run-guest.sh gives its hook VMMIO_CONSOLE_IN); they reach this
# script's standard input.
out=/tmp/l2fwd.out
# Create it now: the background redirection below may run after tail/grep.
: >$out
vmmio-l2fwd "$@" >$out 2>&1 &
pid=$!
# The stop request (SIGINT to the process group) is for l2fwd, which installs
# its own handler. Ignore it here, and so in tail and in the $(...) subshells
# forked below: a tail killed by it would lose l2fwd's final statistics.
trap '' INT
tail -f $out &
tailpid=$!

ticks() {
	# fields 14 and 15 (comm has no spaces here)
	set -- $(cat /proc/$pid/task/$pid/stat 2>/dev/null)
	echo $((${14:-0} + ${15:-0}))
}
ms() {
	read -r up _ </proc/uptime
	# "12.05": strip the leading zero, or sh reads 05/08 as octal
	frac=${up#*.}
	echo $((${up%.*} * 1000 + 10 * ${frac#0}))
}

i=0
while ! grep -q L2FWD-READY $out; do
	i=$((i + 1))
	if [ $i -gt 600 ] || ! kill -0 $pid 2>/dev/null; then
		echo "l2fwd-cpu: l2fwd did not become ready"
		kill $tailpid
		wait $pid
		exit 1
	fi
	sleep 0.1
done
t0=$(ticks)
m0=$(ms)
sleep 3
echo "L2FWD-CPU-IDLE-PRE ticks=$(($(ticks) - t0)) ms=$(($(ms) - m0))"
echo "L2FWD-CPU-READY"
phase=start
prev=$(ticks)
prevms=$(ms)
while kill -0 $pid 2>/dev/null; do
	line=
	if read -t 1 -r line; then
		case "$line" in
		"phase "*) ;;
		*) continue ;;
		esac
	else
		# EOF or timeout: a full second has passed, or stdin is gone
		[ $(($(ms) - prevms)) -ge 900 ] || sleep 1
	fi
	kill -0 $pid 2>/dev/null || break
	now=$(ticks)
	nowms=$(ms)
	# l2fwd exited between the check and the read: no sample
	[ "$now" -ge "$prev" ] || break
	echo "L2FWD-CPU phase=$phase ticks=$((now - prev)) ms=$((nowms - prevms))"
	prev=$now
	prevms=$nowms
	[ -z "$line" ] || phase=${line#phase }
done
wait $pid
rc=$?
# busybox tail -f looks at the file once a second: give it one more look, or
# l2fwd's last lines (L2FWD-FINAL) never reach the console
sleep 1.2
kill $tailpid
exit $rc
