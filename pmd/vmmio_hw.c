/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>

#include "vmmio_hw.h"
#include "vmmio_log.h"

extern const struct vmmio_transport_ops vmmio_modern_ops;
extern const struct vmmio_transport_ops vmmio_legacy_ops;

/* Bounded waits: a device that does not answer in this time is broken. */
#define VMMIO_RESET_WAIT_US	(1000 * 1000)
#define VMMIO_CFG_GEN_RETRIES	16

int
vmmio_hw_identify(struct vmmio_hw *hw)
{
	uint32_t magic, id;

	magic = vmmio_read32(hw, VIRTIO_MMIO_MAGIC_VALUE);
	if (magic != VIRTIO_MMIO_MAGIC) {
		VMMIO_LOG(ERR, "MagicValue 0x%08x is not 0x%08x: not a virtio-mmio device",
			magic, VIRTIO_MMIO_MAGIC);
		return -ENODEV;
	}
	hw->version = vmmio_read32(hw, VIRTIO_MMIO_VERSION);
	switch (hw->version) {
	case VIRTIO_MMIO_VERSION_MODERN:
		hw->tp = &vmmio_modern_ops;
		break;
	case VIRTIO_MMIO_VERSION_LEGACY:
		hw->tp = &vmmio_legacy_ops;
		break;
	default:
		VMMIO_LOG(ERR, "unsupported virtio-mmio Version %u", hw->version);
		return -ENOTSUP;
	}
	id = vmmio_read32(hw, VIRTIO_MMIO_DEVICE_ID);
	if (id != VIRTIO_ID_NET) {
		VMMIO_LOG(ERR, "DeviceID %u is not virtio-net (1)%s", id,
			id == 0 ? ": placeholder window without a device" : "");
		return -ENODEV;
	}
	return 0;
}

uint8_t
vmmio_hw_get_status(struct vmmio_hw *hw)
{
	return (uint8_t)vmmio_read32(hw, VIRTIO_MMIO_STATUS);
}

void
vmmio_hw_add_status(struct vmmio_hw *hw, uint8_t bits)
{
	uint8_t st = bits == 0 ? 0 : vmmio_hw_get_status(hw) | bits;

	vmmio_write32(hw, VIRTIO_MMIO_STATUS, st);
}

int
vmmio_hw_reset(struct vmmio_hw *hw)
{
	uint64_t deadline;

	vmmio_write32(hw, VIRTIO_MMIO_STATUS, 0);
	/* 4.2.3.1.1 (modern): read back until the device reports 0. */
	deadline = rte_get_timer_cycles() +
		rte_get_timer_hz() * VMMIO_RESET_WAIT_US / 1000000;
	while (vmmio_hw_get_status(hw) != 0) {
		if (rte_get_timer_cycles() > deadline) {
			VMMIO_LOG(ERR, "device did not complete reset within %u ms",
				VMMIO_RESET_WAIT_US / 1000);
			return -ETIMEDOUT;
		}
		usleep(100);
	}
	return 0;
}

uint64_t
vmmio_hw_read_device_features(struct vmmio_hw *hw)
{
	uint64_t f;

	vmmio_write32(hw, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	f = vmmio_read32(hw, VIRTIO_MMIO_DEVICE_FEATURES);
	/* Legacy devices only have the low word (4.2.4). */
	if (hw->version != VIRTIO_MMIO_VERSION_LEGACY) {
		vmmio_write32(hw, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
		f |= (uint64_t)vmmio_read32(hw, VIRTIO_MMIO_DEVICE_FEATURES) << 32;
	}
	return f;
}

/* Spec names of the bits this PMD knows (5.1.3, 6). */
static const char *const feature_names[64] = {
	[VIRTIO_NET_F_CSUM] = "CSUM",
	[VIRTIO_NET_F_GUEST_CSUM] = "GUEST_CSUM",
	[VIRTIO_NET_F_MTU] = "MTU",
	[VIRTIO_NET_F_MAC] = "MAC",
	[VIRTIO_NET_F_GUEST_TSO4] = "GUEST_TSO4",
	[VIRTIO_NET_F_GUEST_TSO6] = "GUEST_TSO6",
	[VIRTIO_NET_F_GUEST_ECN] = "GUEST_ECN",
	[VIRTIO_NET_F_GUEST_UFO] = "GUEST_UFO",
	[VIRTIO_NET_F_HOST_TSO4] = "HOST_TSO4",
	[VIRTIO_NET_F_HOST_TSO6] = "HOST_TSO6",
	[VIRTIO_NET_F_HOST_ECN] = "HOST_ECN",
	[VIRTIO_NET_F_HOST_UFO] = "HOST_UFO",
	[VIRTIO_NET_F_MRG_RXBUF] = "MRG_RXBUF",
	[VIRTIO_NET_F_STATUS] = "STATUS",
	[VIRTIO_NET_F_CTRL_VQ] = "CTRL_VQ",
	[VIRTIO_NET_F_CTRL_RX] = "CTRL_RX",
	[VIRTIO_NET_F_CTRL_VLAN] = "CTRL_VLAN",
	[VIRTIO_NET_F_CTRL_RX_EXTRA] = "CTRL_RX_EXTRA",
	[VIRTIO_NET_F_GUEST_ANNOUNCE] = "GUEST_ANNOUNCE",
	[VIRTIO_NET_F_MQ] = "MQ",
	[VIRTIO_NET_F_CTRL_MAC_ADDR] = "CTRL_MAC_ADDR",
	[VIRTIO_F_NOTIFY_ON_EMPTY] = "NOTIFY_ON_EMPTY",
	[VIRTIO_F_ANY_LAYOUT] = "ANY_LAYOUT",
	[VIRTIO_RING_F_INDIRECT_DESC] = "INDIRECT_DESC",
	[VIRTIO_RING_F_EVENT_IDX] = "EVENT_IDX",
	[VIRTIO_F_VERSION_1] = "VERSION_1",
	[VIRTIO_F_ACCESS_PLATFORM] = "ACCESS_PLATFORM",
	[VIRTIO_F_RING_PACKED] = "RING_PACKED",
	[VIRTIO_NET_F_SPEED_DUPLEX] = "SPEED_DUPLEX",
};

const char *
vmmio_hw_feature_names(uint64_t bits, char *buf, size_t size)
{
	size_t len = 0;
	unsigned int b;
	int n;

	if (size == 0)
		return buf;
	buf[0] = '\0';
	for (b = 0; b < 64 && len < size; b++) {
		if (!(bits & VIRTIO_BIT(b)))
			continue;
		n = feature_names[b] != NULL ?
			snprintf(buf + len, size - len, "%s%s", len ? " " : "", feature_names[b]) :
			snprintf(buf + len, size - len, "%sbit%u", len ? " " : "", b);
		if (n < 0)
			break;
		len += (size_t)n;
	}
	if (bits == 0)
		snprintf(buf, size, "none");
	return buf;
}

void
vmmio_hw_preview_features(struct vmmio_hw *hw, uint64_t wanted)
{
	hw->features_wanted = wanted & ~hw->features_off;
	hw->features = vmmio_hw_features_for(hw, wanted);
	hw->hdr_len = vmmio_net_hdr_len(hw->features);
}

int
vmmio_hw_negotiate(struct vmmio_hw *hw, uint64_t wanted)
{
	hw->device_features = vmmio_hw_read_device_features(hw);
	vmmio_hw_preview_features(hw, wanted);
	return hw->tp->set_features(hw, hw->features);
}

/*
 * One config field with the width the spec asks for (4.2.2.2): 8-bit fields
 * byte by byte, 16-bit fields with 16-bit accesses, 32- and 64-bit fields
 * with 32-bit accesses. Offsets that are not aligned to the width fall back
 * to byte accesses (no virtio-net field is laid out that way).
 */
static void
read_config_field(struct vmmio_hw *hw, uint32_t off, uint8_t *dst, uint32_t len)
{
	uint32_t i, v;
	uint16_t v16;

	if (len == 2 && (off & 1) == 0) {
		v16 = (uint16_t)hw->reg->read(hw, VIRTIO_MMIO_CONFIG + off, 2);
		memcpy(dst, &v16, sizeof(v16));
		return;
	}
	if ((len & 3) == 0 && (off & 3) == 0) {
		for (i = 0; i < len; i += 4) {
			v = hw->reg->read(hw, VIRTIO_MMIO_CONFIG + off + i, 4);
			memcpy(dst + i, &v, sizeof(v));
		}
		return;
	}
	for (i = 0; i < len; i++)
		dst[i] = (uint8_t)hw->reg->read(hw, VIRTIO_MMIO_CONFIG + off + i, 1);
}

int
vmmio_hw_read_config(struct vmmio_hw *hw, uint32_t off, void *dst,
	uint32_t len)
{
	bool modern = hw->version == VIRTIO_MMIO_VERSION_MODERN;
	uint32_t gen0, gen1 = 0;
	unsigned int tries;

	for (tries = 0; tries < VMMIO_CFG_GEN_RETRIES; tries++) {
		gen0 = modern ? vmmio_read32(hw, VIRTIO_MMIO_CONFIG_GENERATION) : 0;
		read_config_field(hw, off, dst, len);
		if (modern)
			gen1 = vmmio_read32(hw, VIRTIO_MMIO_CONFIG_GENERATION);
		if (gen0 == gen1)
			return 0;
	}
	VMMIO_LOG(ERR, "config generation kept changing while reading");
	return -EAGAIN;
}

void
vmmio_hw_write_config(struct vmmio_hw *hw, uint32_t off, const void *src,
	uint32_t len)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		hw->reg->write(hw, VIRTIO_MMIO_CONFIG + off + i,
			((const uint8_t *)src)[i], 1);
}

uint16_t
vmmio_hw_queue_max(struct vmmio_hw *hw, uint16_t idx)
{
	uint32_t max;

	vmmio_write32(hw, VIRTIO_MMIO_QUEUE_SEL, idx);
	max = vmmio_read32(hw, VIRTIO_MMIO_QUEUE_NUM_MAX);
	return max > UINT16_MAX ? 0 : (uint16_t)max;
}

uint32_t
vmmio_hw_ack_interrupt(struct vmmio_hw *hw)
{
	uint32_t isr = 0, s;
	unsigned int round = 0;

	do {
		s = vmmio_read32(hw, VIRTIO_MMIO_INTERRUPT_STATUS);
		if (s == 0)
			break;
		vmmio_write32(hw, VIRTIO_MMIO_INTERRUPT_ACK, s);
		isr |= s;
	} while (++round < 4);
	return isr;
}
