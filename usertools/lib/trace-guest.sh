#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Guest side (busybox sh) of usertools/trace-ping.sh: run vmmio-l2fwd, route
# the PMD's VFIO interrupts to one CPU if asked, and record the guest
# kernel's view of a few pings through it with tracefs: interrupts (irq,
# ipi), scheduler wake-ups and switches, and the read/write system calls
# the eventfds take.
#   trace-guest.sh IRQ_CPU|- TASKSET_CPUS|- [l2fwd arguments...]
# Prints TRACE-READY once l2fwd forwards; then, on "phase trace-on" from the
# host (standard input), clears the trace and starts it; on "phase dump"
# stops it and prints it between TRACE-BEGIN and TRACE-END, each line
# prefixed "TR "; "phase end" stops l2fwd.
irq_cpu=$1
cpus=$2
shift 2
out=/tmp/l2fwd.out
T=/sys/kernel/tracing
: >$out

if [ "$cpus" != - ]; then
	taskset -c "$cpus" vmmio-l2fwd "$@" >$out 2>&1 &
else
	vmmio-l2fwd "$@" >$out 2>&1 &
fi
pid=$!
# The stop request (SIGINT to the process group) is for l2fwd.
trap '' INT
i=0
while ! grep -q L2FWD-READY $out; do
	i=$((i + 1))
	if [ $i -gt 600 ] || ! kill -0 $pid 2>/dev/null; then
		cat $out
		echo "trace-guest: l2fwd did not become ready"
		exit 1
	fi
	sleep 0.1
done
cat $out
# The vfio-irq lines exist once the PMD wired them (dev_start).
for n in $(grep vfio-irq /proc/interrupts | cut -d: -f1); do
	if [ "$irq_cpu" != - ]; then
		echo "$irq_cpu" >/proc/irq/$n/smp_affinity_list ||
			echo "trace-guest: cannot route irq $n to CPU $irq_cpu"
	fi
	echo "TRACE-IRQ irq=$n cpus=$(cat /proc/irq/$n/effective_affinity_list 2>/dev/null)"
done
for t in /proc/$pid/task/*; do
	echo "TRACE-TASK tid=${t##*/} comm=$(cat $t/comm) cpus=$(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' $t/status)"
done
mount -t tracefs nodev $T 2>/dev/null
[ -e $T/trace ] || { echo "trace-guest: no tracefs"; kill -INT $pid; wait $pid; exit 1; }
echo 4096 >$T/buffer_size_kb
for e in sched/sched_wakeup sched/sched_switch irq/irq_handler_entry \
	irq/irq_handler_exit ipi/ipi_raise syscalls/sys_enter_read \
	syscalls/sys_enter_write syscalls/sys_enter_epoll_pwait; do
	echo 1 >$T/events/$e/enable 2>/dev/null || echo "trace-guest: no event $e"
done
echo 0 >$T/tracing_on
echo TRACE-READY
while read -r line; do
	case "$line" in
	"phase trace-on")
		echo >$T/trace
		echo 1 >$T/tracing_on
		echo TRACE-ON
		;;
	"phase dump")
		echo 0 >$T/tracing_on
		echo TRACE-BEGIN
		grep -v '^#' $T/trace | sed 's/^/TR /'
		# off for the untraced pings: enabled syscall events slow every syscall
		echo 0 >$T/events/enable
		echo TRACE-END
		;;
	"phase end") break ;;
	esac
done
kill -INT $pid 2>/dev/null
wait $pid
rc=$?
grep vfio-irq /proc/interrupts | sed 's/^/TRACE-IRQ-COUNT /'
exit $rc
