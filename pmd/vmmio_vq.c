/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_memzone.h>

#include "vmmio_log.h"
#include "vmmio_vq.h"

size_t
vmmio_vq_ring_size(uint16_t size)
{
	size_t sz;

	/* 2.7.2 legacy layout: desc + avail (flags, idx, ring, used_event) */
	sz = RTE_ALIGN_CEIL(sizeof(struct vring_desc) * size +
		sizeof(uint16_t) * (3 + size), VRING_LEGACY_ALIGN);
	/* used: flags, idx, ring, avail_event */
	sz += RTE_ALIGN_CEIL(sizeof(uint16_t) * 3 +
		sizeof(struct vring_used_elem) * size, VRING_LEGACY_ALIGN);
	return sz;
}

int
vmmio_vq_alloc(struct vmmio_vq *vq, const char *name, uint16_t index,
	uint16_t size, int socket_id)
{
	const struct rte_memzone *mz;
	size_t avail_off, used_off;

	mz = rte_memzone_reserve_aligned(name, vmmio_vq_ring_size(size),
		socket_id, RTE_MEMZONE_IOVA_CONTIG, VRING_LEGACY_ALIGN);
	if (mz == NULL) {
		VMMIO_LOG(ERR, "no IOVA-contiguous memory for ring %s (%zu bytes): %s",
			name, vmmio_vq_ring_size(size), rte_strerror(rte_errno));
		return -ENOMEM;
	}
	avail_off = sizeof(struct vring_desc) * size;
	used_off = RTE_ALIGN_CEIL(avail_off + sizeof(uint16_t) * (3 + size),
		VRING_LEGACY_ALIGN);
	vq->mz = mz;
	vq->size = size;
	vq->mask = size - 1;
	vq->index = index;
	vq->desc = mz->addr;
	vq->avail = RTE_PTR_ADD(mz->addr, avail_off);
	vq->used = RTE_PTR_ADD(mz->addr, used_off);
	vq->desc_iova = mz->iova;
	vq->avail_iova = mz->iova + avail_off;
	vq->used_iova = mz->iova + used_off;
	vmmio_vq_reset(vq);
	return 0;
}

void
vmmio_vq_free(struct vmmio_vq *vq)
{
	if (vq->mz != NULL)
		rte_memzone_free(vq->mz);
	vq->mz = NULL;
	vq->desc = NULL;
}

void
vmmio_vq_reset(struct vmmio_vq *vq)
{
	uint16_t i;

	memset(vq->mz->addr, 0, vq->mz->len);
	for (i = 0; i < vq->size; i++)
		vq->desc[i].next = i + 1;
	vq->free_head = 0;
	vq->nb_free = vq->size;
	vq->avail_idx = 0;
	vq->used_cons = 0;
	vq->kick_idx = 0;
	vq->notified_idx = 0;
	vq->stall_polls = 0;
}
