/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Virtqueues in either layout the device may negotiate:
 * - split (virtio 1.2 section 2.7): descriptor table, avail ring, used ring,
 *   laid out as the legacy interface requires (2.7.2: padding to 4096 before
 *   the used ring), which also satisfies the modern alignment rules;
 * - packed (2.8, VIRTIO_F_RING_PACKED): one descriptor ring both sides
 *   write, plus the driver and device event suppression structures.
 * Ring memory is one IOVA-contiguous memzone big enough for either; the
 * layout is chosen when the port starts (vmmio_vq_layout).
 *
 * Both layouts count with free-running 16-bit indexes: avail_idx (the next
 * descriptor the driver makes available) and used_cons (the next used
 * entry, or for packed the next used descriptor position). Sizes are powers
 * of two up to 32768, so the ring position is idx & mask and, for packed,
 * the wrap counters (2.8.1, both start at 1) are !(idx & size).
 *
 * Buffer IDs: a split buffer is named by its head descriptor, and the free
 * descriptors form a list through desc[].next. A packed buffer takes one
 * ID from a list through id_next[] (its descriptors are ring positions,
 * not IDs), so nb_free counts descriptors and the ID list never runs out
 * first.
 */
#ifndef VMMIO_VQ_H
#define VMMIO_VQ_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_branch_prediction.h>
#include <rte_memzone.h>

#include "virtio_mmio_spec.h"

/** Driver state of one virtqueue. Owned by one lcore at a time. */
struct vmmio_vq {
	union {
		struct vring_desc *desc;	/**< split: descriptor table */
		struct vring_packed_desc *pdesc; /**< packed: descriptor ring */
	};
	union {
		struct vring_avail *avail;	/**< split: driver area */
		struct vring_packed_event *drv_event; /**< packed: driver area */
	};
	union {
		struct vring_used *used;	/**< split: device area */
		struct vring_packed_event *dev_event; /**< packed: device area */
	};
	uint16_t *id_next;		/**< packed: free buffer ID list links */
	uint64_t desc_iova;		/**< IOVA of the descriptor area */
	uint64_t avail_iova;		/**< IOVA of the driver area */
	uint64_t used_iova;		/**< IOVA of the device area */
	const struct rte_memzone *mz;	/**< ring memory */
	uint16_t size;			/**< descriptors, power of two */
	uint16_t mask;			/**< size - 1 */
	uint16_t avail_idx;		/**< next descriptor to make available */
	uint16_t used_cons;		/**< next used entry (packed: position) */
	uint16_t free_head;		/**< head of the free list (descriptors / IDs) */
	uint16_t nb_free;		/**< descriptors free */
	uint16_t index;			/**< queue number in the device */
	bool packed;			/**< VIRTIO_F_RING_PACKED layout */
	/* Notification state (2.7.7, 2.7.10, 2.8.10); see vmmio_vq_need_notify(). */
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
 * Bytes of ring memory for @p size descriptors: the split legacy layout,
 * which is larger than the packed one, plus the packed ID list.
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
 * Lay the ring memory out as a split (2.7) or packed (2.8) virtqueue and
 * reset it (vmmio_vq_reset). Call only while the device does not own the
 * queue, before its setup (the addresses change).
 *
 * @param vq
 *   An allocated queue.
 * @param packed
 *   VIRTIO_F_RING_PACKED was negotiated.
 */
void vmmio_vq_layout(struct vmmio_vq *vq, bool packed);

/**
 * Return the ring to its initial state: all descriptors free, indexes 0,
 * rings zeroed (2.8.13: the packed ring starts zeroed, wrap counters 1).
 * Call only while the device does not own the queue (after reset, before
 * setup).
 */
void vmmio_vq_reset(struct vmmio_vq *vq);

/**
 * Link of @p id in the free list: desc[].next (split) or id_next[] (packed).
 * @p packed is the caller's constant, so hot loops compile one form.
 */
static __rte_always_inline uint16_t *
vmmio_vq_next(struct vmmio_vq *vq, const bool packed, uint16_t id)
{
	return packed ? &vq->id_next[id] : &vq->desc[id].next;
}

/**
 * Take one descriptor (split) or buffer ID (packed) from the free list and
 * count one descriptor taken (caller checked nb_free). @p packed is the
 * caller's constant (vmmio_vq_get_desc: the queue's layout at run time).
 */
static __rte_always_inline uint16_t
vmmio_vq_take(struct vmmio_vq *vq, const bool packed)
{
	uint16_t id = vq->free_head;

	vq->free_head = *vmmio_vq_next(vq, packed, id);
	vq->nb_free--;
	return id;
}

/** vmmio_vq_take() for the queue's own layout. */
static inline uint16_t
vmmio_vq_get_desc(struct vmmio_vq *vq)
{
	return vmmio_vq_take(vq, vq->packed);
}

/** Put descriptor (split) or buffer ID (packed) @p id back on the free list. */
static inline void
vmmio_vq_put_desc(struct vmmio_vq *vq, uint16_t id)
{
	*vmmio_vq_next(vq, vq->packed, id) = vq->free_head;
	vq->free_head = id;
	vq->nb_free++;
}

/**
 * Packed: the AVAIL/USED bits that make descriptor number @p idx available
 * (2.8.1): AVAIL equal to the driver's wrap counter, USED its inverse.
 */
static __rte_always_inline uint16_t
vmmio_vq_avail_flags(uint16_t size, uint16_t idx)
{
	return (idx & size) ? VRING_PACKED_DESC_F_USED : VRING_PACKED_DESC_F_AVAIL;
}

/**
 * Packed: true if descriptor flags @p flags, read at used position
 * @p cons, mark it used (2.8.1: AVAIL and USED both equal to the device's
 * wrap counter for that lap).
 */
static __rte_always_inline bool
vmmio_vq_flags_used(uint16_t flags, uint16_t size, uint16_t cons)
{
	const uint16_t both = VRING_PACKED_DESC_F_AVAIL | VRING_PACKED_DESC_F_USED;

	return (flags & both) == ((cons & size) ? 0 : both);
}

/**
 * Packed: the descriptor at used position @p cons if the device marked it
 * used, else NULL. Acquire ordering makes its id and len, and the buffer,
 * visible (2.8.21.2: read barrier after the flags).
 */
static __rte_always_inline const struct vring_packed_desc *
vmmio_vq_packed_used(const struct vmmio_vq *vq, uint16_t cons)
{
	const struct vring_packed_desc *d = &vq->pdesc[cons & vq->mask];

	if (!vmmio_vq_flags_used(__atomic_load_n(&d->flags, __ATOMIC_ACQUIRE),
	    vq->size, cons))
		return NULL;
	return d;
}

/**
 * Packed: write descriptor number @p idx of a buffer (2.8.21.1) with every
 * field but the flags, and return the flags that make it available. The
 * caller stores them: plainly for all but the first descriptor of a batch,
 * the first last with vmmio_vq_packed_expose().
 */
static __rte_always_inline uint16_t
vmmio_vq_packed_fill(struct vmmio_vq *vq, uint16_t idx, uint64_t addr,
	uint32_t len, uint16_t id, uint16_t flags)
{
	struct vring_packed_desc *d = &vq->pdesc[idx & vq->mask];

	d->addr = addr;
	d->len = len;
	d->id = id;
	return flags | vmmio_vq_avail_flags(vq->size, idx);
}

/**
 * Packed: make the batch starting at descriptor number @p first available
 * by storing its first flags last, with release ordering (2.8.6, 2.8.21.1:
 * the device never sees part of a batch).
 */
static __rte_always_inline void
vmmio_vq_packed_expose(struct vmmio_vq *vq, uint16_t first, uint16_t flags)
{
	__atomic_store_n(&vq->pdesc[first & vq->mask].flags, flags,
		__ATOMIC_RELEASE);
}

/** Split: offer chain head @p id to the device (not yet published). */
static inline void
vmmio_vq_push_avail(struct vmmio_vq *vq, uint16_t id)
{
	vq->avail->ring[vq->avail_idx & vq->mask] = id;
	vq->avail_idx++;
}

/**
 * Split: publish avail->idx so the device sees all pushed entries (spec
 * 2.7.13: the ring entries must be visible before the index). Packed
 * buffers are exposed as they are written (vmmio_vq_packed_expose).
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
 * Packed: the free-running index of ring offset and wrap counter
 * @p off_wrap (2.8.14) nearest before or at the lap of @p idx: the same
 * offset in idx's lap if the wrap counters match, else one lap earlier.
 */
static inline uint16_t
vmmio_vq_event_idx(const struct vmmio_vq *vq, uint16_t off_wrap, uint16_t idx)
{
	uint16_t off = off_wrap & vq->mask;
	bool wrap = off_wrap >> RING_EVENT_WRAP_SHIFT;
	uint16_t lap = idx & ~vq->mask;

	/* wrap counter of idx's lap is !(idx & size) */
	return wrap == !(idx & vq->size) ? lap + off : (uint16_t)(lap + off - vq->size);
}

/**
 * Packed: off_wrap naming descriptor number @p idx (2.8.14): its ring
 * offset and the wrap counter of its lap.
 */
static inline uint16_t
vmmio_vq_off_wrap(const struct vmmio_vq *vq, uint16_t idx)
{
	return (idx & vq->mask) |
		((idx & vq->size) ? 0 : 1u << RING_EVENT_WRAP_SHIFT);
}

/**
 * True if the device wants a notification for what was made available
 * since the previous decision. Split (2.7.10): with VIRTIO_F_EVENT_IDX
 * avail_event lies among those entries, without it VRING_USED_F_NO_NOTIFY
 * is clear. Packed (2.8.10): the device event suppression flags are
 * ENABLE, or DESC naming a descriptor that is available now, made so by
 * this batch or an earlier one (see below). The full barrier orders the
 * stores that made the buffers available before the load of the device's
 * word, or a device going idle could be missed (2.7.13.4, 2.8.21.2).
 */
static inline bool
vmmio_vq_need_notify(struct vmmio_vq *vq)
{
	uint16_t old = vq->kick_idx, flags, ev;

	vq->kick_idx = vq->avail_idx;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (vq->packed) {
		flags = __atomic_load_n(&vq->dev_event->flags, __ATOMIC_RELAXED);
		if (flags != RING_EVENT_FLAGS_DESC || !vq->event_idx)
			return flags != RING_EVENT_FLAGS_DISABLE;
		ev = __atomic_load_n(&vq->dev_event->off_wrap, __ATOMIC_RELAXED);
		/*
		 * Not only when this batch holds the descriptor named: QEMU
		 * (7.2) re-enables notifications at its position after an
		 * asynchronous transmit completes, then goes on consuming
		 * without moving off_wrap, and idles further on with DESC
		 * naming a descriptor made available long ago, which no later
		 * batch holds: the queue would stall for good. A descriptor
		 * named within the last ring's worth before avail_idx is
		 * available now, so notify: for a device going idle, which
		 * names its own position, that is the decision the window of
		 * this batch gives; a device that left off_wrap behind gets
		 * the notification it waits for.
		 */
		return vmmio_need_event(vmmio_vq_event_idx(vq, ev, vq->avail_idx),
			vq->avail_idx, (uint16_t)(vq->avail_idx - vq->size));
	}
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
 * Split: used entries the device has produced and the driver not consumed
 * yet. Acquire ordering makes the entries' contents visible (spec 2.7.14).
 */
static inline uint16_t
vmmio_vq_used_pending(struct vmmio_vq *vq)
{
	return (uint16_t)(__atomic_load_n(&vq->used->idx, __ATOMIC_ACQUIRE) -
		vq->used_cons);
}

/**
 * Used entries ready to harvest (split). The used ring holds at most @c size entries
 * (spec 2.7.8), so a used->idx further ahead than that is a jump, not
 * completions: the entries it covers are stale, so count one error and skip
 * them all rather than deliver or reclaim a buffer the device still owns.
 * Smaller excesses are caught entry by entry (id range, buffer posted).
 */
static inline uint16_t
vmmio_vq_harvestable(struct vmmio_vq *vq, uint64_t *errors)
{
	uint16_t pending = vmmio_vq_used_pending(vq);

	if (unlikely(pending > vq->size)) {
		(*errors)++;
		vq->used_cons += pending;
		return 0;
	}
	return pending;
}

/** True if the device has returned a buffer the driver has not consumed. */
static inline bool
vmmio_vq_has_used(struct vmmio_vq *vq)
{
	if (vq->packed)
		return vmmio_vq_packed_used(vq, vq->used_cons) != NULL;
	return vmmio_vq_used_pending(vq) != 0;
}

/**
 * Ask the device not to interrupt for this queue. Split (2.7.7, 2.7.10):
 * VRING_AVAIL_F_NO_INTERRUPT, or with VIRTIO_F_EVENT_IDX (where flags must
 * stay 0) a used_event far ahead of the driver's position. Packed (2.8.10):
 * RING_EVENT_FLAGS_DISABLE.
 */
static inline void
vmmio_vq_disable_intr(struct vmmio_vq *vq)
{
	if (vq->packed) {
		__atomic_store_n(&vq->drv_event->flags, RING_EVENT_FLAGS_DISABLE,
			__ATOMIC_RELAXED);
	} else if (vq->event_idx) {
		__atomic_store_n(&vq->avail->flags, 0, __ATOMIC_RELAXED);
		__atomic_store_n(vmmio_vq_used_event(vq),
			(uint16_t)(vq->used_cons + VMMIO_EVENT_FAR), __ATOMIC_RELAXED);
	} else {
		__atomic_store_n(&vq->avail->flags, VRING_AVAIL_F_NO_INTERRUPT,
			__ATOMIC_RELAXED);
	}
}

/**
 * Keep interrupts suppressed with split VIRTIO_F_EVENT_IDX: move used_event
 * ahead again as the driver consumes (one store per burst; no-op without
 * it, and for packed, where DISABLE holds by itself).
 */
static inline void
vmmio_vq_keep_intr_off(struct vmmio_vq *vq)
{
	if (vq->event_idx && !vq->packed)
		__atomic_store_n(vmmio_vq_used_event(vq),
			(uint16_t)(vq->used_cons + VMMIO_EVENT_FAR), __ATOMIC_RELAXED);
}

/**
 * Ask for an interrupt at the next used entry. Split (2.7.7, 2.7.10): clear
 * VRING_AVAIL_F_NO_INTERRUPT, or set used_event to the driver's position.
 * Packed (2.8.10): RING_EVENT_FLAGS_ENABLE, or with VIRTIO_F_EVENT_IDX
 * RING_EVENT_FLAGS_DESC at the driver's used position and wrap counter.
 * The full barrier orders that store before the caller's re-check of the
 * ring: an entry written before the device saw the store raises no
 * interrupt, so the caller must look for it.
 */
static inline void
vmmio_vq_enable_intr(struct vmmio_vq *vq)
{
	if (vq->packed) {
		if (vq->event_idx) {
			__atomic_store_n(&vq->drv_event->off_wrap,
				vmmio_vq_off_wrap(vq, vq->used_cons), __ATOMIC_RELAXED);
			__atomic_store_n(&vq->drv_event->flags,
				RING_EVENT_FLAGS_DESC, __ATOMIC_RELEASE);
		} else {
			__atomic_store_n(&vq->drv_event->flags,
				RING_EVENT_FLAGS_ENABLE, __ATOMIC_RELAXED);
		}
	} else if (vq->event_idx) {
		__atomic_store_n(vmmio_vq_used_event(vq), vq->used_cons,
			__ATOMIC_RELAXED);
	} else {
		__atomic_store_n(&vq->avail->flags, 0, __ATOMIC_RELAXED);
	}
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/** One element of a buffer for vmmio_vq_add_chain(). */
struct vmmio_vq_seg {
	uint64_t iova;	/**< element address (IOVA) */
	uint32_t len;	/**< bytes */
	bool write;	/**< device-writable (must follow the readable ones) */
};

/**
 * Make a buffer of @p n elements available and publish it, in either
 * layout (split: a chain through desc[].next, 2.7.5, 2.7.13; packed: @p n
 * descriptors in ring order, the ID in each, the first exposed last,
 * 2.8.6). Does not notify. Slow path (control queue).
 *
 * @return The buffer ID (split: head descriptor), or -ENOSPC if fewer
 *   than @p n descriptors are free.
 */
int vmmio_vq_add_chain(struct vmmio_vq *vq, const struct vmmio_vq_seg *segs,
	uint16_t n);

/**
 * Consume the next used entry if there is one (2.7.14, 2.8.21.2): its
 * buffer ID and written length. A packed used position moves on by
 * @p ndesc, the descriptors of the buffer the caller expects back (the
 * device skips the rest of a list, 2.8.6). Slow path (control queue).
 *
 * @return true and @p id, @p len set; false if the device has returned
 *   nothing.
 */
bool vmmio_vq_get_used(struct vmmio_vq *vq, uint16_t ndesc, uint32_t *id,
	uint32_t *len);

/**
 * Return the @p ndesc descriptors of buffer @p id to the free list (split:
 * the chain from @p id; packed: the ID, counting @p ndesc descriptors).
 */
void vmmio_vq_put_chain(struct vmmio_vq *vq, uint16_t id, uint16_t ndesc);

#endif /* VMMIO_VQ_H */
