#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Guest side of the bad-input test (busybox sh): runs vmmio-l2fwd with one
# wrong setting per case and prints, for each, "CASE <name> rc=<exit status>"
# after the program's own output. The host side (errors.sh) checks both.
EAL="-l 0 -n 1 --no-pci --no-telemetry"
D0=$VMMIO_DEV_0

run() {
	name=$1
	shift
	echo "CASE-BEGIN $name"
	timeout 60 vmmio-l2fwd "$@" -- -T 0 --duration 1 2>&1
	echo "CASE $name rc=$?"
}

# An empty virtio-mmio transport (DeviceID 0) handed to vfio-platform.
EMPTY=a000000.virtio_mmio
vmmio-devbind --bind vfio-platform $EMPTY >/dev/null 2>&1 ||
	echo "note: could not bind $EMPTY"

run wrong-dev $EAL --iova-mode=pa --vdev net_virtio_mmio0,dev=a0ff000.virtio_mmio
run not-bound $EAL --iova-mode=pa --vdev net_virtio_mmio0,dev=a001000.virtio_mmio
run no-dev $EAL --iova-mode=pa --vdev net_virtio_mmio0
run bad-key $EAL --iova-mode=pa --vdev "net_virtio_mmio0,dev=$D0,speed=9"
run bad-access $EAL --iova-mode=pa --vdev "net_virtio_mmio0,dev=$D0,access=fast"
run mmap-refused $EAL --iova-mode=pa --vdev "net_virtio_mmio0,dev=$D0,access=mmap"
run iova-va $EAL --iova-mode=va --vdev "net_virtio_mmio0,dev=$D0"
run not-net $EAL --iova-mode=pa --vdev "net_virtio_mmio0,dev=$EMPTY"
run same-dev-twice $EAL --iova-mode=pa --vdev "net_virtio_mmio0,dev=$D0" \
	--vdev "net_virtio_mmio1,dev=$D0"
run bad-status-check $EAL --iova-mode=pa --vdev "net_virtio_mmio0,dev=$D0,status_check_ms=fast"
# The device is still usable after all of the above.
run good $EAL --iova-mode=pa --vdev "net_virtio_mmio0,dev=$D0"
# Last: without the vfio modules (unloading unbinds the devices).
rmmod vfio-platform vfio_platform_virtio_mmio_reset vfio-platform-base vfio_virqfd vfio 2>&1 || echo "note: rmmod failed"
run no-vfio $EAL --iova-mode=pa --vdev "net_virtio_mmio0,dev=$D0"
exit 0
