#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Guest side of the bad-input test (busybox sh): runs vmmio-l2fwd with one
# wrong setting per case and prints, for each, "CASE <name> rc=<exit status>"
# after the program's own output. The host side (errors.sh) checks both.
# With VMMIO_KMOD=uio (run-guest.sh --kmod uio) the NICs are on
# uio_pdrv_genirq and the cases are UIO's.
EAL="-l 0 -n 1 --no-pci --no-telemetry"
D0=$VMMIO_DEV_0

run() {
	name=$1
	shift
	echo "CASE-BEGIN $name"
	timeout 60 vmmio-l2fwd "$@" -- -T 0 --duration 1 2>&1
	echo "CASE $name rc=$?"
}

# An empty virtio-mmio transport (DeviceID 0) handed to the guest's driver.
EMPTY=a000000.virtio_mmio
DRV=vfio-platform
[ "${VMMIO_KMOD:-vfio}" = uio ] && DRV=uio_pdrv_genirq
vmmio-devbind --bind $DRV $EMPTY >/dev/null 2>&1 ||
	echo "note: could not bind $EMPTY"

run wrong-dev $EAL --iova-mode=pa --vdev net_virtio_mmio0,dev=a0ff000.virtio_mmio
run not-bound $EAL --iova-mode=pa --vdev net_virtio_mmio0,dev=a001000.virtio_mmio
run no-dev $EAL --iova-mode=pa --vdev net_virtio_mmio0
run bad-key $EAL --iova-mode=pa --vdev "net_virtio_mmio0,dev=$D0,speed=9"
run bad-access $EAL --iova-mode=pa --vdev "net_virtio_mmio0,dev=$D0,access=fast"
run bad-kmod $EAL --iova-mode=pa --vdev "net_virtio_mmio0,dev=$D0,kmod=igb_uio"
run iova-va $EAL --iova-mode=va --vdev "net_virtio_mmio0,dev=$D0"
run not-net $EAL --iova-mode=pa --vdev "net_virtio_mmio0,dev=$EMPTY"
run same-dev-twice $EAL --iova-mode=pa --vdev "net_virtio_mmio0,dev=$D0" \
	--vdev "net_virtio_mmio1,dev=$D0"
run bad-status-check $EAL --iova-mode=pa --vdev "net_virtio_mmio0,dev=$D0,status_check_ms=fast"
if [ "$DRV" = vfio-platform ]; then
	run mmap-refused $EAL --iova-mode=pa --vdev "net_virtio_mmio0,dev=$D0,access=mmap"
	# UIO asked for: first without its module, then with it but the device on vfio
	run no-uio $EAL --iova-mode=pa --vdev "net_virtio_mmio0,dev=$D0,kmod=uio"
	modprobe uio_pdrv_genirq 2>&1 || echo "note: modprobe uio_pdrv_genirq failed"
	run uio-bound-vfio $EAL --iova-mode=pa --vdev "net_virtio_mmio0,dev=$D0,kmod=uio"
else
	run pread-refused $EAL --iova-mode=pa --vdev "net_virtio_mmio0,dev=$D0,access=pread"
	run vfio-bound-uio $EAL --iova-mode=pa --vdev "net_virtio_mmio0,dev=$D0,kmod=vfio"
	# UIO lets a second process open the device: the PMD's lock refuses it
	timeout 60 vmmio-l2fwd $EAL --file-prefix first --iova-mode=pa \
		--vdev "net_virtio_mmio0,dev=$D0" -- -T 0 --duration 8 >/tmp/first.log 2>&1 &
	first=$!
	i=0
	while [ $i -lt 100 ] && ! grep -q L2FWD-READY /tmp/first.log; do
		sleep 0.1
		i=$((i + 1))
	done
	run second-process $EAL --file-prefix second --iova-mode=pa --vdev "net_virtio_mmio0,dev=$D0"
	wait $first
	echo "first-process rc=$?"
fi
# The device is still usable after all of the above.
run good $EAL --iova-mode=pa --vdev "net_virtio_mmio0,dev=$D0"
# Last: without the modules (unloading unbinds the devices).
if [ "$DRV" = vfio-platform ]; then
	rmmod uio_pdrv_genirq uio 2>&1 || echo "note: rmmod uio failed"
	rmmod vfio-platform vfio_platform_virtio_mmio_reset vfio-platform-base vfio_virqfd vfio 2>&1 ||
		echo "note: rmmod failed"
	run no-vfio $EAL --iova-mode=pa --vdev "net_virtio_mmio0,dev=$D0,kmod=vfio"
else
	rmmod uio_pdrv_genirq uio 2>&1 || echo "note: rmmod failed"
fi
run no-module $EAL --iova-mode=pa --vdev "net_virtio_mmio0,dev=$D0"
exit 0
