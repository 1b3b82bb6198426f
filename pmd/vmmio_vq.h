/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Split virtqueue (virtio 1.2 section 2.7): ring memory in one IOVA-contiguous
 * memzone laid out as the legacy interface requires (2.7.2: descriptor table,
 * avail ring, padding to 4096, used ring), which also satisfies the modern
 * alignment rules, plus the driver's free-descriptor list.
 */
#ifndef VMMIO_VQ_H
#define VMMIO_VQ_H

#include <stdint.h>

#include <rte_memzone.h>

#include "virtio_mmio_spec.h"

/** Driver state of one split virtqueue. Owned by one lcore at a time. */
struct vmmio_vq {
	struct vring_desc *desc;	/**< descriptor table */
	struct vring_avail *avail;	/**< driver area */
	struct vring_used *used;	/**< device area */
	uint64_t desc_iova;		/**< IOVA of the descriptor table */
	uint64_t avail_iova;
	uint64_t used_iova;
	const struct rte_memzone *mz;	/**< ring memory */
	uint16_t size;			/**< descriptors, power of two */
	uint16_t mask;			/**< size - 1 */
	uint16_t avail_idx;		/**< next avail->idx to publish */
	uint16_t used_cons;		/**< used entries consumed so far */
	uint16_t free_head;		/**< head of the free descriptor list */
	uint16_t nb_free;		/**< descriptors on the free list */
	uint16_t index;			/**< queue number in the device */
};

/**
 * Bytes of ring memory for @p size descriptors in the legacy layout.
 */
size_t vmmio_vq_ring_size(uint16_t size);

/**
 * Allocate and initialize a virtqueue's ring memory.
 *
 * @param vq
 *   Zeroed queue state to fill.
 * @param name
 *   Unique memzone name.
 * @param index
 *   Queue number in the device.
 * @param size
 *   Descriptors; a power of two.
 * @param socket_id
 *   NUMA socket for the memzone.
 * @return
 *   0, or -ENOMEM if no IOVA-contiguous memory is left.
 */
int vmmio_vq_alloc(struct vmmio_vq *vq, const char *name, uint16_t index,
	uint16_t size, int socket_id);

/** Free the ring memory; safe on a queue that was never allocated. */
void vmmio_vq_free(struct vmmio_vq *vq);

/**
 * Return the ring to its initial state: all descriptors free, indexes 0,
 * rings zeroed. Call only while the device does not own the queue (after
 * reset, before setup).
 */
void vmmio_vq_reset(struct vmmio_vq *vq);

/** Take one descriptor from the free list (caller checked nb_free). */
static inline uint16_t
vmmio_vq_get_desc(struct vmmio_vq *vq)
{
	uint16_t id = vq->free_head;

	vq->free_head = vq->desc[id].next;
	vq->nb_free--;
	return id;
}

/** Put descriptor @p id back on the free list. */
static inline void
vmmio_vq_put_desc(struct vmmio_vq *vq, uint16_t id)
{
	vq->desc[id].next = vq->free_head;
	vq->free_head = id;
	vq->nb_free++;
}

/** Offer chain head @p id to the device (not yet published). */
static inline void
vmmio_vq_push_avail(struct vmmio_vq *vq, uint16_t id)
{
	vq->avail->ring[vq->avail_idx & vq->mask] = id;
	vq->avail_idx++;
}

/**
 * Publish avail->idx so the device sees all pushed entries (spec 2.7.13:
 * the ring entries must be visible before the index).
 */
static inline void
vmmio_vq_publish(struct vmmio_vq *vq)
{
	__atomic_store_n(&vq->avail->idx, vq->avail_idx, __ATOMIC_RELEASE);
}

/**
 * True if the device wants a notification after a publish (spec 2.7.10:
 * VIRTQ_USED_F_NO_NOTIFY clear). The full barrier orders the avail->idx
 * store before the flags load, or a device going idle could be missed.
 */
static inline int
vmmio_vq_need_notify(struct vmmio_vq *vq)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return !(__atomic_load_n(&vq->used->flags, __ATOMIC_RELAXED) &
		VRING_USED_F_NO_NOTIFY);
}

/**
 * Used entries the device has produced and the driver not consumed yet.
 * Acquire ordering makes the entries' contents visible (spec 2.7.14).
 */
static inline uint16_t
vmmio_vq_used_pending(struct vmmio_vq *vq)
{
	return (uint16_t)(__atomic_load_n(&vq->used->idx, __ATOMIC_ACQUIRE) -
		vq->used_cons);
}

/** Ask the device not to interrupt for this queue (spec 2.7.7). */
static inline void
vmmio_vq_disable_intr(struct vmmio_vq *vq)
{
	__atomic_store_n(&vq->avail->flags, VRING_AVAIL_F_NO_INTERRUPT,
		__ATOMIC_RELAXED);
}

#endif /* VMMIO_VQ_H */
