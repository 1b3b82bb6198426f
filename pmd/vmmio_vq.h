/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Split virtqueue (virtio 1.2 section 2.7): ring memory in one IOVA-contiguous
 * memzone laid out as the legacy interface requires (2.7.2: descriptor table,
 * avail ring, padding to 4096, used ring), which also satisfies the modern
 * alignment rules, plus the driver's free-descriptor list.
 */
#ifndef VMMIO_VQ_H
#define VMMIO_VQ_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_branch_prediction.h>
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
	/* Notification state (2.7.7, 2.7.10); see vmmio_vq_need_notify(). */
	bool event_idx;			/**< VIRTIO_F_EVENT_IDX negotiated */
	uint16_t kick_idx;		/**< avail_idx at the last notify decision */
	uint16_t notified_idx;		/**< avail_idx at the last QueueNotify */
	uint16_t stall_polls;		/**< idle polls with un-notified buffers */
};

/*
 * Bounded recovery from a device whose avail_event (or NO_NOTIFY flag) never
 * asks for the buffers it holds: after this many polls in a row that found
 * nothing to do while buffers were published without a QueueNotify, the
 * driver notifies once anyway. A correct device only sees one spare notify.
 */
#define VMMIO_STALL_POLLS	1024

/*
 * used_event while no interrupt is wanted (2.7.10): half the index space
 * ahead, the farthest point the 16-bit comparison can express. Refreshed
 * per burst so the device's used index never reaches it.
 */
#define VMMIO_EVENT_FAR		0x8000

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

/** used_event: the driver's word after the avail ring (2.7.6, 2.7.10). */
static inline uint16_t *
vmmio_vq_used_event(struct vmmio_vq *vq)
{
	return &vq->avail->ring[vq->size];
}

/** avail_event: the device's word after the used ring (2.7.8, 2.7.10). */
static inline uint16_t *
vmmio_vq_avail_event(struct vmmio_vq *vq)
{
	return (uint16_t *)&vq->used->ring[vq->size];
}

/**
 * The vring_need_event rule (2.7.10): true if @p event lies in the
 * half-open window [@p old, @p new) of 16-bit ring indexes, wraparound
 * included.
 */
static inline bool
vmmio_need_event(uint16_t event, uint16_t new_idx, uint16_t old_idx)
{
	return (uint16_t)(new_idx - event - 1) < (uint16_t)(new_idx - old_idx);
}

/**
 * True if the device wants a notification after a publish (spec 2.7.10).
 * With VIRTIO_F_EVENT_IDX: avail_event lies among the entries published
 * since the previous decision; without: VIRTQ_USED_F_NO_NOTIFY is clear.
 * The full barrier orders the avail->idx store before the load of the
 * device's word, or a device going idle could be missed.
 */
static inline bool
vmmio_vq_need_notify(struct vmmio_vq *vq)
{
	uint16_t old = vq->kick_idx;

	vq->kick_idx = vq->avail_idx;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (vq->event_idx)
		return vmmio_need_event(__atomic_load_n(vmmio_vq_avail_event(vq),
			__ATOMIC_RELAXED), vq->avail_idx, old);
	return !(__atomic_load_n(&vq->used->flags, __ATOMIC_RELAXED) &
		VRING_USED_F_NO_NOTIFY);
}

/** Record that QueueNotify was written for everything published so far. */
static inline void
vmmio_vq_notified(struct vmmio_vq *vq)
{
	vq->kick_idx = vq->avail_idx;
	vq->notified_idx = vq->avail_idx;
	vq->stall_polls = 0;
}

/**
 * Count a poll that found nothing to do; true when the bounded stall
 * recovery (VMMIO_STALL_POLLS) says to notify although the device did not
 * ask. False at once if every published buffer was notified.
 */
static inline bool
vmmio_vq_stalled(struct vmmio_vq *vq)
{
	if (likely(vq->avail_idx == vq->notified_idx))
		return false;
	return ++vq->stall_polls >= VMMIO_STALL_POLLS;
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

/**
 * Ask the device not to interrupt for this queue (spec 2.7.7, 2.7.10):
 * VRING_AVAIL_F_NO_INTERRUPT, or with VIRTIO_F_EVENT_IDX (where flags must
 * stay 0) a used_event far ahead of the driver's position.
 */
static inline void
vmmio_vq_disable_intr(struct vmmio_vq *vq)
{
	if (vq->event_idx) {
		__atomic_store_n(&vq->avail->flags, 0, __ATOMIC_RELAXED);
		__atomic_store_n(vmmio_vq_used_event(vq),
			(uint16_t)(vq->used_cons + VMMIO_EVENT_FAR), __ATOMIC_RELAXED);
	} else {
		__atomic_store_n(&vq->avail->flags, VRING_AVAIL_F_NO_INTERRUPT,
			__ATOMIC_RELAXED);
	}
}

/**
 * Keep interrupts suppressed with VIRTIO_F_EVENT_IDX: move used_event ahead
 * again as the driver consumes (one store per burst; no-op without it).
 */
static inline void
vmmio_vq_keep_intr_off(struct vmmio_vq *vq)
{
	if (vq->event_idx)
		__atomic_store_n(vmmio_vq_used_event(vq),
			(uint16_t)(vq->used_cons + VMMIO_EVENT_FAR), __ATOMIC_RELAXED);
}

/**
 * Ask for an interrupt at the next used entry (2.7.7, 2.7.10): clear
 * VRING_AVAIL_F_NO_INTERRUPT, or set used_event to the driver's position.
 * The full barrier orders that store before the caller's re-check of the
 * used ring: an entry written before the device saw the store raises no
 * interrupt, so the caller must look for it.
 */
static inline void
vmmio_vq_enable_intr(struct vmmio_vq *vq)
{
	if (vq->event_idx)
		__atomic_store_n(vmmio_vq_used_event(vq), vq->used_cons,
			__ATOMIC_RELAXED);
	else
		__atomic_store_n(&vq->avail->flags, 0, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

#endif /* VMMIO_VQ_H */
