# SPDX-License-Identifier: BSD-3-Clause
# Device profiles (sourced): the virtio-net devices that microVM monitors
# offer, rebuilt from QEMU's virtio-net-device properties so that the guest
# tests meet the same feature sets. run-guest.sh --profile NAME.
#
#   qemu-default      QEMU's own defaults: everything on, CTRL_VQ and its
#                     filters, MRG_RXBUF, all offloads, EVENT_IDX.
#   firecracker-like  Firecracker's virtio-mmio net device: modern only, one
#                     queue pair of 256, no control queue (no filters, no
#                     MQ), no STATUS; CSUM, GUEST_CSUM, TSO4/6, UFO,
#                     MRG_RXBUF, EVENT_IDX, MTU, MAC. (Its 4 KiB register
#                     windows cannot be rebuilt: QEMU's are 0x200 bytes.)
#   minimal-modern    VERSION_1 and MAC only: no offloads, no MRG_RXBUF, no
#                     EVENT_IDX, no STATUS, no control queue.
#   legacy-bare       virtio-mmio Version 1 with nothing negotiable but MAC
#                     (QEMU always offers VIRTIO_NET_F_MAC): the seed RTOS
#                     drivers' device.

PROFILES="qemu-default firecracker-like minimal-modern legacy-bare"

# Everything the control queue brings, off.
_PROFILE_NO_CTRL="ctrl_vq=off,ctrl_rx=off,ctrl_vlan=off,ctrl_rx_extra=off,ctrl_mac_addr=off,ctrl_guest_offloads=off,guest_announce=off,mq=off"
# Every offload and MRG_RXBUF, EVENT_IDX, STATUS, INDIRECT_DESC off.
_PROFILE_NOTHING="csum=off,guest_csum=off,gso=off,guest_tso4=off,guest_tso6=off,guest_ecn=off,guest_ufo=off,host_tso4=off,host_tso6=off,host_ecn=off,host_ufo=off,mrg_rxbuf=off,status=off,event_idx=off,indirect_desc=off,$_PROFILE_NO_CTRL"

# profile_get NAME: sets PROFILE_LEGACY (0 or 1) and PROFILE_PROPS (extra
# virtio-net-device properties, comma separated, may be empty); returns 1
# for an unknown name.
profile_get() {
	PROFILE_LEGACY=0
	case $1 in
	qemu-default) PROFILE_PROPS= ;;
	firecracker-like)
		PROFILE_PROPS="$_PROFILE_NO_CTRL,status=off,guest_ecn=off,host_ecn=off,indirect_desc=off,rx_queue_size=256,tx_queue_size=256,host_mtu=1500"
		;;
	minimal-modern) PROFILE_PROPS=$_PROFILE_NOTHING ;;
	legacy-bare)
		PROFILE_LEGACY=1
		PROFILE_PROPS="$_PROFILE_NOTHING,any_layout=off,notify_on_empty=off"
		;;
	*) return 1 ;;
	esac
}
