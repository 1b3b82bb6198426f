/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_memzone.h>

#include "vmmio_log.h"
#include "vmmio_vq.h"

/* Bytes of the split legacy layout (2.7.2), the larger of the two. */
static size_t
split_size(uint16_t size)
{
	size_t sz;

	/* desc + avail (flags, idx, ring, used_event) */
	sz = RTE_ALIGN_CEIL(sizeof(struct vring_desc) * size +
		sizeof(uint16_t) * (3 + size), VRING_LEGACY_ALIGN);
	/* used: flags, idx, ring, avail_event */
	sz += RTE_ALIGN_CEIL(sizeof(uint16_t) * 3 +
		sizeof(struct vring_used_elem) * size, VRING_LEGACY_ALIGN);
	return sz;
}

size_t
vmmio_vq_ring_size(uint16_t size)
{
	/* the packed ID list after the rings; the device never sees it */
	return split_size(size) + sizeof(uint16_t) * size;
}

int
vmmio_vq_alloc(struct vmmio_vq *vq, const char *name, uint16_t index,
	uint16_t size, int socket_id)
{
	const struct rte_memzone *mz;

	mz = rte_memzone_reserve_aligned(name, vmmio_vq_ring_size(size),
		socket_id, RTE_MEMZONE_IOVA_CONTIG, VRING_LEGACY_ALIGN);
	if (mz == NULL) {
		VMMIO_LOG(ERR, "no IOVA-contiguous memory for ring %s (%zu bytes): %s",
			name, vmmio_vq_ring_size(size), rte_strerror(rte_errno));
		return -ENOMEM;
	}
	vq->mz = mz;
	vq->size = size;
	vq->mask = size - 1;
	vq->index = index;
	vq->id_next = RTE_PTR_ADD(mz->addr, split_size(size));
	vmmio_vq_layout(vq, false);
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
vmmio_vq_layout(struct vmmio_vq *vq, bool packed)
{
	size_t drv_off, dev_off;

	if (packed) {
		/* 2.8.10.1: ring aligned 16, each event structure 4 */
		drv_off = sizeof(struct vring_packed_desc) * vq->size;
		dev_off = drv_off + sizeof(struct vring_packed_event);
	} else {
		drv_off = sizeof(struct vring_desc) * vq->size;
		dev_off = RTE_ALIGN_CEIL(drv_off + sizeof(uint16_t) * (3 + vq->size),
			VRING_LEGACY_ALIGN);
	}
	vq->packed = packed;
	vq->desc = vq->mz->addr;
	vq->avail = RTE_PTR_ADD(vq->mz->addr, drv_off);
	vq->used = RTE_PTR_ADD(vq->mz->addr, dev_off);
	vq->desc_iova = vq->mz->iova;
	vq->avail_iova = vq->mz->iova + drv_off;
	vq->used_iova = vq->mz->iova + dev_off;
	vmmio_vq_reset(vq);
}

void
vmmio_vq_reset(struct vmmio_vq *vq)
{
	uint16_t i;

	memset(vq->mz->addr, 0, vq->mz->len);
	for (i = 0; i < vq->size; i++)
		*vmmio_vq_next(vq, vq->packed, i) = i + 1;
	vq->free_head = 0;
	vq->nb_free = vq->size;
	vq->avail_idx = 0;
	vq->used_cons = 0;
	vq->kick_idx = 0;
	vq->notified_idx = 0;
	vq->stall_polls = 0;
}

int
vmmio_vq_add_chain(struct vmmio_vq *vq, const struct vmmio_vq_seg *segs,
	uint16_t n)
{
	uint16_t i, id, d, prev = 0, first_flags = 0, flags;

	if (n == 0 || n > vq->nb_free)
		return -ENOSPC;
	if (vq->packed) {
		id = vmmio_vq_get_desc(vq);
		vq->nb_free -= n - 1;
		for (i = 0; i < n; i++) {
			flags = (segs[i].write ? VRING_DESC_F_WRITE : 0) |
				(i + 1 < n ? VRING_DESC_F_NEXT : 0);
			flags = vmmio_vq_packed_fill(vq, vq->avail_idx + i,
				segs[i].iova, segs[i].len, id, flags);
			if (i == 0)
				first_flags = flags;
			else
				vq->pdesc[(vq->avail_idx + i) & vq->mask].flags = flags;
		}
		vmmio_vq_packed_expose(vq, vq->avail_idx, first_flags);
		vq->avail_idx += n;
		return id;
	}
	id = vmmio_vq_get_desc(vq);
	for (i = 0, d = id; i < n; i++) {
		if (i > 0) {
			d = vmmio_vq_get_desc(vq);
			vq->desc[prev].next = d;
			vq->desc[prev].flags |= VRING_DESC_F_NEXT;
		}
		vq->desc[d].addr = segs[i].iova;
		vq->desc[d].len = segs[i].len;
		vq->desc[d].flags = segs[i].write ? VRING_DESC_F_WRITE : 0;
		prev = d;
	}
	vmmio_vq_push_avail(vq, id);
	vmmio_vq_publish(vq);
	return id;
}

bool
vmmio_vq_get_used(struct vmmio_vq *vq, uint16_t ndesc, uint32_t *id,
	uint32_t *len)
{
	const struct vring_packed_desc *d;
	const struct vring_used_elem *e;

	if (vq->packed) {
		d = vmmio_vq_packed_used(vq, vq->used_cons);
		if (d == NULL)
			return false;
		*id = d->id;
		*len = d->len;
		vq->used_cons += ndesc;
		return true;
	}
	if (vmmio_vq_used_pending(vq) == 0)
		return false;
	e = &vq->used->ring[vq->used_cons & vq->mask];
	*id = e->id;
	*len = e->len;
	vq->used_cons++;
	return true;
}

void
vmmio_vq_put_chain(struct vmmio_vq *vq, uint16_t id, uint16_t ndesc)
{
	uint16_t last = id, i;

	if (vq->packed) {
		vmmio_vq_put_desc(vq, id);
		vq->nb_free += ndesc - 1;
		return;
	}
	for (i = 1; i < ndesc; i++)
		last = vq->desc[last].next;
	vq->desc[last].next = vq->free_head;
	vq->free_head = id;
	vq->nb_free += ndesc;
}
