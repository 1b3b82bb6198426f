/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Version 1 (legacy) virtio-mmio sequences, virtio 1.2 section 4.2.4: one
 * 32-bit feature word, no FEATURES_OK, and queues given as a page frame
 * number with the used ring aligned to QueueAlign.
 */
#include <errno.h>
#include <inttypes.h>

#include "vmmio_hw.h"
#include "vmmio_log.h"
#include "vmmio_vq.h"

static int
legacy_set_features(struct vmmio_hw *hw, uint64_t features)
{
	if (features >> 32) {
		VMMIO_LOG(ERR, "legacy device cannot take features above bit 31");
		return -EINVAL;
	}
	vmmio_write32(hw, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	vmmio_write32(hw, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)features);
	/* 4.2.4: GuestPageSize before any queue is set up. */
	vmmio_write32(hw, VIRTIO_MMIO_GUEST_PAGE_SIZE, VRING_LEGACY_ALIGN);
	return 0;
}

static int
legacy_setup_queue(struct vmmio_hw *hw, uint16_t idx, struct vmmio_vq *vq)
{
	uint64_t pfn = vq->desc_iova / VRING_LEGACY_ALIGN;

	if (pfn > UINT32_MAX) {
		VMMIO_LOG(ERR, "ring IOVA 0x%" PRIx64 " beyond legacy QueuePFN reach",
			vq->desc_iova);
		return -ERANGE;
	}
	vmmio_write32(hw, VIRTIO_MMIO_QUEUE_SEL, idx);
	if (vmmio_read32(hw, VIRTIO_MMIO_QUEUE_PFN) != 0) {
		VMMIO_LOG(ERR, "queue %u already in use by the device", idx);
		return -EBUSY;
	}
	vmmio_write32(hw, VIRTIO_MMIO_QUEUE_NUM, vq->size);
	vmmio_write32(hw, VIRTIO_MMIO_QUEUE_ALIGN, VRING_LEGACY_ALIGN);
	vmmio_write32(hw, VIRTIO_MMIO_QUEUE_PFN, (uint32_t)pfn);
	return 0;
}

static void
legacy_del_queue(struct vmmio_hw *hw, uint16_t idx)
{
	vmmio_write32(hw, VIRTIO_MMIO_QUEUE_SEL, idx);
	vmmio_write32(hw, VIRTIO_MMIO_QUEUE_PFN, 0);
}

const struct vmmio_transport_ops vmmio_legacy_ops = {
	.set_features = legacy_set_features,
	.setup_queue = legacy_setup_queue,
	.del_queue = legacy_del_queue,
};
