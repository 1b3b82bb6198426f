/* SPDX-License-Identifier: BSD-3-Clause */
/* Version 2 (modern) virtio-mmio sequences, virtio 1.2 section 4.2.3. */
#include <errno.h>
#include <inttypes.h>

#include "vmmio_hw.h"
#include "vmmio_log.h"
#include "vmmio_vq.h"

static int
modern_set_features(struct vmmio_hw *hw, uint64_t features)
{
	vmmio_write32(hw, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	vmmio_write32(hw, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)features);
	vmmio_write32(hw, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	vmmio_write32(hw, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)(features >> 32));
	/* 3.1.1 steps 5-6: FEATURES_OK must read back set. */
	vmmio_hw_add_status(hw, VIRTIO_STATUS_FEATURES_OK);
	if (!(vmmio_hw_get_status(hw) & VIRTIO_STATUS_FEATURES_OK)) {
		VMMIO_LOG(ERR, "device refused features 0x%016" PRIx64
			" (FEATURES_OK not set)", features);
		return -EIO;
	}
	return 0;
}

static void
write64(struct vmmio_hw *hw, uint32_t lo, uint64_t v)
{
	vmmio_write32(hw, lo, (uint32_t)v);
	vmmio_write32(hw, lo + 4, (uint32_t)(v >> 32));
}

static int
modern_setup_queue(struct vmmio_hw *hw, uint16_t idx, struct vmmio_vq *vq)
{
	/* 4.2.3.2: select, check not ready, size, three addresses, ready. */
	vmmio_write32(hw, VIRTIO_MMIO_QUEUE_SEL, idx);
	if (vmmio_read32(hw, VIRTIO_MMIO_QUEUE_READY) != 0) {
		VMMIO_LOG(ERR, "queue %u already in use by the device", idx);
		return -EBUSY;
	}
	vmmio_write32(hw, VIRTIO_MMIO_QUEUE_NUM, vq->size);
	write64(hw, VIRTIO_MMIO_QUEUE_DESC_LOW, vq->desc_iova);
	write64(hw, VIRTIO_MMIO_QUEUE_AVAIL_LOW, vq->avail_iova);
	write64(hw, VIRTIO_MMIO_QUEUE_USED_LOW, vq->used_iova);
	vmmio_write32(hw, VIRTIO_MMIO_QUEUE_READY, 1);
	return 0;
}

static void
modern_del_queue(struct vmmio_hw *hw, uint16_t idx)
{
	vmmio_write32(hw, VIRTIO_MMIO_QUEUE_SEL, idx);
	vmmio_write32(hw, VIRTIO_MMIO_QUEUE_READY, 0);
}

const struct vmmio_transport_ops vmmio_modern_ops = {
	.set_features = modern_set_features,
	.setup_queue = modern_setup_queue,
	.del_queue = modern_del_queue,
};
