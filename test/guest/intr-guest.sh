#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Guest side of the interrupt-mode test (busy-box sh): run vmmio-l2fwd with
# the given arguments, measure its lcore's CPU use (utime+stime of the main
# thread, /proc/<pid>/task/<pid>/stat, in clock ticks of 1/100 s):
#   CPU-IDLE-PRE ticks=N secs=3   3 s after start, before any traffic
#   CPU-SAMPLE ticks=N secs=1     every second after INTR-GUEST-READY
# and print INTR-GUEST-READY (the host hook's marker) in between.
out=/tmp/l2fwd.out
vmmio-l2fwd "$@" >$out 2>&1 &
pid=$!
tail -f $out &
tailpid=$!
# The stop request (SIGINT to the process group) is for l2fwd; outlive it.
trap : INT

ticks() {
	# fields 14 and 15 after the "(comm)" field; comm has no spaces here
	set -- $(cat /proc/$pid/task/$pid/stat 2>/dev/null)
	echo $((${14:-0} + ${15:-0}))
}

i=0
while ! grep -q L2FWD-READY $out; do
	i=$((i + 1))
	if [ $i -gt 600 ] || ! kill -0 $pid 2>/dev/null; then
		echo "intr-guest: l2fwd did not become ready"
		kill $tailpid
		exit 1
	fi
	sleep 0.1
done
t0=$(ticks)
sleep 3
echo "CPU-IDLE-PRE ticks=$(($(ticks) - t0)) secs=3"
echo "INTR-GUEST-READY"
prev=$(ticks)
while kill -0 $pid 2>/dev/null; do
	sleep 1
	kill -0 $pid 2>/dev/null || break
	now=$(ticks)
	echo "CPU-SAMPLE ticks=$((now - prev)) secs=1"
	prev=$now
done
wait $pid
rc=$?
sleep 0.2
kill $tailpid
exit $rc
