#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Guest side (busybox sh) of usertools/bench-compare.sh and
# usertools/bench-rx-modes.sh: set up one forwarder between the guest's two
# NICs, then measure the guest's CPU use per phase while the host drives
# traffic (usertools/lib/compare-hook.sh).
#   guest-fwd.sh pmd|dpdk-pci|bridge [l2fwd arguments...]
#     pmd       vmmio-l2fwd on the virtio-mmio devices (our PMD); the l2fwd
#               arguments are passed as given
#     dpdk-pci  vmmio-l2fwd on two virtio-net-pci devices bound to vfio-pci
#               (DPDK's own net_virtio); "-a <pci>" for both NICs is added
#     bridge    the guest kernel's virtio_mmio + virtio_net and a Linux bridge
#     vfio-pci  only bind the two virtio-net-pci devices to vfio-pci and print
#               their EAL allow list ("-a <pci> -a <pci>"), for a DPDK
#               application the caller starts itself (usertools/bench-loop.sh)
# Prints FWD-READY when forwarding works, then one line per host phase:
#   GUEST-CPU phase=P busy=N total=M   (jiffies summed over all vCPUs)
#   LCORE-CPU phase=P ticks=N cs=M     (pmd, dpdk-pci: l2fwd's main lcore
#                                       thread, utime+stime in 1/100 s, over
#                                       M centiseconds)
# The host names phases with "phase P" lines on standard input (run-guest.sh's
# VMMIO_CONSOLE_IN); "phase end" stops the forwarder and ends the script.
kind=$1
shift

fail() {
	echo "guest-fwd: error: $*"
	exit 1
}

# busy and total jiffies of the "cpu" line of /proc/stat
cpu_sample() {
	read -r _ u n s idle iow irq sirq steal _ </proc/stat
	BUSY=$((u + n + s + irq + sirq + steal))
	TOTAL=$((BUSY + idle + iow))
}

# uptime in centiseconds -> CS (no fork; "12.05" must not read as octal)
up_cs() {
	read -r up _ </proc/uptime
	frac=${up#*.}
	CS=$((${up%.*} * 100 + ${frac#0}))
}

# utime+stime (fields 14, 15) of l2fwd's main thread, the lcore that runs
# the forwarding loop -> LT; empty when l2fwd is gone. The comm field
# "(vmmio-l2fwd)" has no spaces, so plain field splitting counts right.
lcore_ticks() {
	LT=
	st=
	[ -n "$pid" ] && [ -r /proc/$pid/task/$pid/stat ] || return 0
	read -r st 2>/dev/null </proc/$pid/task/$pid/stat || return 0
	# shellcheck disable=SC2086
	set -- $st
	[ $# -ge 15 ] && LT=$((${14} + ${15}))
}

# Both NICs (virtio-net-pci) to vfio-pci -> allow, their EAL allow list.
bind_vfio_pci() {
	modprobe vfio-pci || fail "modprobe vfio-pci"
	allow=
	for i in 0 1; do
		eval dev=\$VMMIO_DEV_$i
		[ -e /sys/bus/pci/devices/$dev ] || fail "no PCI device $dev"
		echo vfio-pci >/sys/bus/pci/devices/$dev/driver_override
		echo "$dev" >/sys/bus/pci/drivers_probe
		[ -e /sys/bus/pci/devices/$dev/driver ] || fail "vfio-pci did not take $dev"
		allow="$allow -a $dev"
	done
}

pid=
out=/tmp/fwd.out
: >$out
case $kind in
vfio-pci)
	bind_vfio_pci
	echo "$allow"
	exit 0
	;;
pmd | dpdk-pci)
	if [ "$kind" = dpdk-pci ]; then
		bind_vfio_pci
		# EAL args first: insert the allow list before the "--" of l2fwd.
		eal=
		while [ $# -gt 0 ] && [ "$1" != -- ]; do
			eal="$eal $1"
			shift
		done
		# shellcheck disable=SC2086
		set -- $eal $allow "$@"
	fi
	vmmio-l2fwd "$@" >$out 2>&1 &
	pid=$!
	;;
bridge)
	modprobe virtio_mmio && modprobe virtio_net && modprobe bridge ||
		fail "cannot load virtio_mmio, virtio_net and bridge"
	for i in 0 1; do
		eval dev=\$VMMIO_DEV_$i
		vmmio-devbind --unbind "$dev" >/dev/null &&
			vmmio-devbind --bind virtio-mmio "$dev" >/dev/null ||
			fail "cannot hand $dev to the kernel's virtio-mmio driver"
	done
	brctl addbr br0 || fail "brctl addbr"
	n=0
	for d in /sys/class/net/*; do
		[ -e "$d/device" ] || continue
		ifc=${d##*/}
		ip link set "$ifc" up && brctl addif br0 "$ifc" && n=$((n + 1))
	done
	[ $n -eq 2 ] || fail "found $n virtio-net interfaces, expected 2"
	# Forward at once: no STP listening/learning delay.
	brctl setfd br0 0
	brctl stp br0 off
	ip link set br0 up
	echo "bridge br0 up with $n ports" >$out
	;;
*)
	fail "unknown forwarder '$kind' (pmd, dpdk-pci or bridge)"
	;;
esac

# The stop request (SIGINT to the process group) is for l2fwd; outlive it.
trap '' INT
tail -f $out &
tailpid=$!
i=0
while :; do
	if [ -z "$pid" ] || grep -q L2FWD-READY $out; then
		break
	fi
	i=$((i + 1))
	if [ $i -gt 600 ] || ! kill -0 "$pid" 2>/dev/null; then
		kill $tailpid
		fail "l2fwd did not become ready"
	fi
	sleep 0.1
done
echo FWD-READY

phase=start
cpu_sample
b0=$BUSY t0=$TOTAL
up_cs
lcore_ticks
c0=$CS l0=$LT
# Phase changes come from the host; a line at least every 5 s keeps the
# samples short even when a phase is long.
while :; do
	line=
	up_cs
	before=$CS
	read -t 5 -r line
	rc=$?
	up_cs
	cpu_sample
	echo "GUEST-CPU phase=$phase busy=$((BUSY - b0)) total=$((TOTAL - t0))"
	b0=$BUSY t0=$TOTAL
	lcore_ticks
	if [ -n "$LT" ] && [ -n "$l0" ]; then
		echo "LCORE-CPU phase=$phase ticks=$((LT - l0)) cs=$((CS - c0))"
	fi
	c0=$CS l0=$LT
	case $line in
	"phase end") break ;;
	"phase "*) phase=${line#phase } ;;
	esac
	# A failed read that returned at once is EOF, not a timeout: stdin is gone.
	if [ $rc -ne 0 ] && [ $((CS - before)) -lt 100 ]; then
		echo "guest-fwd: standard input closed"
		break
	fi
	if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
		echo "guest-fwd: l2fwd exited during the run"
		break
	fi
done
rc=0
if [ -n "$pid" ]; then
	kill -INT "$pid" 2>/dev/null
	wait "$pid"
	rc=$?
fi
# busybox tail -f looks at the file once a second: give it one more look, or
# l2fwd's last lines (L2FWD-FINAL) never reach the console.
sleep 1.2
kill $tailpid
exit $rc
