#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Guest side of the reset test (reset.sh, busybox sh): an l2fwd killed with
# SIGKILL while forwarding, and one that exits without stopping its port (a
# later port fails to initialise), must leave their devices reset (Status 0);
# and so must a process that exits with the device fds open and no cleanup at
# all (vfio_smoke --leave-running); then a new l2fwd forwards at once.
# With access uio (the NICs on uio_pdrv_genirq) the kernel resets nothing:
# a device left by a killed process is reset with vmmio-devbind --reset.
# Prints "RESET-..." lines for reset.sh.
#   reset-guest mmap|pread|uio
# stdin: "kill" from the host hook (reset-hook.sh) once traffic flows.
ACCESS=$1
PMD_ACCESS="access=$ACCESS"
[ "$ACCESS" = uio ] && PMD_ACCESS="access=mmap,kmod=uio"
EAL="-l 0 -n 1 --iova-mode=pa --no-pci --no-telemetry"
VDEV0="net_virtio_mmio0,dev=$VMMIO_DEV_0,$PMD_ACCESS"
VDEV1="net_virtio_mmio1,dev=$VMMIO_DEV_1,$PMD_ACCESS"

# Status (0x70) read through /dev/mem, not VFIO: opening the device through
# VFIO runs the reset handler, which would hide what the last process left.
# vfio-platform does not claim the window, so IO_STRICT_DEVMEM allows this.
report() {
	for d in "$VMMIO_DEV_0" "$VMMIO_DEV_1"; do
		echo "RESET-STATUS phase=$1 dev=$d status=$(devmem $((0x${d%%.*} + 0x70)) 32)"
	done
}

# wait_for FILE STRING SECONDS
wait_for() {
	i=0
	while [ $i -lt $(($3 * 10)) ]; do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

if [ -d /sys/module/vfio_platform_virtio_mmio_reset ]; then
	echo "RESET-MODULE loaded"
else
	echo "RESET-MODULE missing"
fi

# 1. SIGKILL while forwarding. Its output goes to a file: L2FWD-READY on the
# console is the signal for the last l2fwd only.
vmmio-l2fwd $EAL --vdev "$VDEV0" --vdev "$VDEV1" -- --no-mac-updating -T 0 \
	>/tmp/l2fwd-killed.log 2>&1 &
pid=$!
if ! wait_for /tmp/l2fwd-killed.log L2FWD-READY 120; then
	sed 's/^/killed| /' /tmp/l2fwd-killed.log
	echo "RESET-ERROR first l2fwd not ready"
	exit 1
fi
# DRIVER_OK now: shows that devmem sees the device's live Status.
report running
# UIO: vmmio-devbind --reset refuses a device a running process has open.
if [ "$ACCESS" = uio ]; then
	vmmio-devbind --reset "$VMMIO_DEV_0" 2>&1
	echo "RESET-DEVBIND-BUSY rc=$?"
fi
echo "RESET-FORWARDING"
if ! read -r -t 120 line; then
	echo "RESET-ERROR no kill request from the host hook"
	kill -9 $pid
	exit 1
fi
kill -9 $pid
wait $pid
echo "RESET-KILLED rc=$?"
sed 's/^/killed| /' /tmp/l2fwd-killed.log
report killed
if [ "$ACCESS" = uio ]; then
	vmmio-devbind --reset "$VMMIO_DEV_0" "$VMMIO_DEV_1"
	echo "RESET-DEVBIND rc=$?"
	report devbind
fi

# 2. Process exit without rte_eth_dev_stop: NIC0 offers MTU 9000 (reset.sh),
# NIC1 none, so with --mtu 9000 port 0 starts, port 1's configure fails and
# l2fwd returns from main with port 0 running. (rte_eal_cleanup() removes the
# vdev, and the PMD stops a started port there too.)
vmmio-l2fwd $EAL --vdev "$VDEV0" --vdev "$VDEV1" -- --no-mac-updating -T 0 \
	--mtu 9000 >/tmp/l2fwd-early.log 2>&1
echo "RESET-EARLY-EXIT rc=$?"
sed 's/^/early| /' /tmp/l2fwd-early.log
report exited

# 3. Exit with the fds open, no userspace cleanup: only the kernel resets.
vfio_smoke --version "$VMMIO_VERSION" --access "$ACCESS" --leave-running \
	"$VMMIO_DEV_0=$VMMIO_MAC_0"
echo "RESET-LEFT-RUNNING rc=$?"
report left

# 4. A new l2fwd in the same boot; the hook checks frames at L2FWD-READY.
exec vmmio-l2fwd $EAL --vdev "$VDEV0" --vdev "$VDEV1" -- --no-mac-updating -T 0
