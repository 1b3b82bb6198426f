/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Device side of the model's virtqueues, split (2.7) and packed (2.8):
 * a queue going live, available buffers taken in order, used entries
 * written and published, used buffer notifications and the device's event
 * suppression (VIRTIO_F_EVENT_IDX, 2.7.10, 2.8.10), and the calls a test
 * makes to misbehave on a queue.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <rte_common.h>

#include "vmmio_model_internal.h"

static inline uint16_t
pk_off_wrap(const struct model_vq *vq, uint32_t p)
{
	return (uint16_t)(pk_slot(vq, p) |
		(pk_wrap(vq, p) ? 1u << RING_EVENT_WRAP_SHIFT : 0));
}

/*
 * The device event suppression structure (2.8.10): DISABLE while the test
 * holds notifications off; with EVENT_IDX and no value set by the test,
 * DESC at the next descriptor to read, as QEMU does once caught up.
 */
static void
pk_dev_event(struct model_vq *vq)
{
	if (vq->no_notify) {
		__atomic_store_n(&vq->dev_ev->flags, RING_EVENT_FLAGS_DISABLE,
			__ATOMIC_SEQ_CST);
	} else if (vq->event_idx && !vq->avail_event_manual) {
		__atomic_store_n(&vq->dev_ev->off_wrap, pk_off_wrap(vq, vq->pk_avail),
			__ATOMIC_SEQ_CST);
		__atomic_store_n(&vq->dev_ev->flags, RING_EVENT_FLAGS_DESC,
			__ATOMIC_SEQ_CST);
	} else if (!vq->event_idx) {
		__atomic_store_n(&vq->dev_ev->flags, RING_EVENT_FLAGS_ENABLE,
			__ATOMIC_SEQ_CST);
	}
}

/* The packed queue goes live (2.8.10.1: alignment 16, 4, 4; ring zeroed). */
static void
pk_enable(struct vmmio_model *m, struct model_vq *vq)
{
	uint32_t n = vq->num, i;

	if (n & (n - 1))
		model_err(m, &m->proto_errors, "packed queue size %u is not a power of two (this model needs one)", n);
	if (vq->desc_iova % 16 || vq->avail_iova % 4 || vq->used_iova % 4) {
		model_err(m, &m->proto_errors, "misaligned packed ring 0x%" PRIx64
			"/0x%" PRIx64 "/0x%" PRIx64, vq->desc_iova,
			vq->avail_iova, vq->used_iova);
		return;
	}
	vq->pdesc = model_g2v(vq->desc_iova, sizeof(struct vring_packed_desc) * n);
	vq->drv_ev = model_g2v(vq->avail_iova, sizeof(struct vring_packed_event));
	vq->dev_ev = model_g2v(vq->used_iova, sizeof(struct vring_packed_event));
	if (vq->pdesc == NULL || vq->drv_ev == NULL || vq->dev_ev == NULL) {
		model_err(m, &m->proto_errors, "ring address outside guest memory");
		return;
	}
	for (i = 0; i < n; i++)
		if (vq->pdesc[i].flags != 0) {
			model_err(m, &m->proto_errors, "packed ring not zeroed at enable");
			break;
		}
	vq->pk_avail = 0;
	vq->pk_used = 0;
	vq->pk_signalled = 0;
	vq->pk_nhold = 0;
	memset(vq->inflight, 0, m->opts.queue_num_max);
	vq->avail_event_manual = false;
	pk_dev_event(vq);
	vq->live = true;
}

/* The queue goes live: translate and check the three areas (2.7). */
void
model_vq_enable(struct vmmio_model *m, struct model_vq *vq)
{
	uint32_t n = vq->num;

	vq->live = false;
	if (n == 0 || n > m->opts.queue_num_max) {
		model_err(m, &m->proto_errors, "queue enabled with QueueNum %u (max %u)",
			n, m->opts.queue_num_max);
		return;
	}
	if (!is_legacy(m) && (vq->desc_iova % 16 || vq->avail_iova % 2 ||
	    vq->used_iova % 4)) {
		model_err(m, &m->proto_errors, "misaligned ring 0x%" PRIx64
			"/0x%" PRIx64 "/0x%" PRIx64, vq->desc_iova,
			vq->avail_iova, vq->used_iova);
		return;
	}
	vq->packed = (m->driver_features & VIRTIO_BIT(VIRTIO_F_RING_PACKED)) != 0;
	vq->event_idx = (m->driver_features &
		VIRTIO_BIT(VIRTIO_RING_F_EVENT_IDX)) != 0;
	if (vq->packed) {
		pk_enable(m, vq);
		return;
	}
	vq->desc = model_g2v(vq->desc_iova, sizeof(struct vring_desc) * n);
	vq->avail = model_g2v(vq->avail_iova, sizeof(uint16_t) * (3 + n));
	vq->used = model_g2v(vq->used_iova, sizeof(uint16_t) * 3 +
		sizeof(struct vring_used_elem) * n);
	if (vq->desc == NULL || vq->avail == NULL || vq->used == NULL) {
		model_err(m, &m->proto_errors, "ring address outside guest memory");
		return;
	}
	/* 4.2.3.2 / 4.2.4: the driver zeroes the queue memory first. */
	if (vq->used->idx != 0 || vq->used->flags != 0 || vq->avail->idx != 0)
		model_err(m, &m->proto_errors, "queue memory not zeroed at enable");
	vq->last_avail = 0;
	vq->used_idx = 0;
	memset(vq->inflight, 0, m->opts.queue_num_max);
	vq->avail_event_manual = false;
	vq->signalled_used = 0;
	if (vq->no_notify && !vq->event_idx)
		vq->used->flags = VRING_USED_F_NO_NOTIFY;
	vq->live = true;
}

void
model_vq_disable(struct model_vq *vq)
{
	vq->live = false;
	vq->ready = 0;
	vq->pfn = 0;
}

/*
 * Packed: mark the first @p n held used descriptors used, the first of
 * them last (2.8.9: a multi-buffer request's first buffer after the rest).
 */
void
model_pk_flush(struct model_vq *vq, uint16_t n)
{
	uint16_t k;

	n = RTE_MIN(n, vq->pk_nhold);
	for (k = n; k > 0; k--)
		__atomic_store_n(&vq->pdesc[pk_slot(vq, vq->pk_hold[k - 1])].flags,
			vq->pk_hold_flags[k - 1], __ATOMIC_RELEASE);
	memmove(vq->pk_hold, vq->pk_hold + n, (vq->pk_nhold - n) * sizeof(vq->pk_hold[0]));
	memmove(vq->pk_hold_flags, vq->pk_hold_flags + n,
		(vq->pk_nhold - n) * sizeof(vq->pk_hold_flags[0]));
	vq->pk_nhold -= n;
}

/*
 * Packed: mark held descriptors used and send a used buffer notification
 * unless the driver event suppression structure says not to (2.8.10):
 * DISABLE never, ENABLE always, DESC when the position it names was
 * passed since the previous publish.
 */
static void
pk_publish(struct vmmio_model *m, struct model_vq *vq)
{
	uint32_t old = vq->pk_signalled, now, base, ev;
	uint16_t flags, ow;
	bool fire;

	model_pk_flush(vq, vq->pk_nhold);
	now = vq->pk_used;
	vq->pk_signalled = now;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	flags = __atomic_load_n(&vq->drv_ev->flags, __ATOMIC_ACQUIRE);
	ow = __atomic_load_n(&vq->drv_ev->off_wrap, __ATOMIC_ACQUIRE);
	if (flags == RING_EVENT_FLAGS_DESC) {
		if (!vq->event_idx)
			model_err(m, &m->proto_errors, "RING_EVENT_FLAGS_DESC without EVENT_IDX");
		if ((ow & ((1u << RING_EVENT_WRAP_SHIFT) - 1)) >= vq->num)
			model_err(m, &m->proto_errors, "driver event offset %u beyond queue of %u",
				ow & 0x7fff, vq->num);
		/* the event's position in the lap of @c now, or the lap before */
		base = now - pk_slot(vq, now);
		ev = base + (ow & 0x7fff);
		if (!!(ow >> RING_EVENT_WRAP_SHIFT) != pk_wrap(vq, now))
			ev -= vq->num;
		fire = ev >= old && ev < now;
	} else if (flags == RING_EVENT_FLAGS_DISABLE) {
		fire = false;
	} else {
		if (flags != RING_EVENT_FLAGS_ENABLE)
			model_err(m, &m->proto_errors, "driver event flags 0x%x", flags);
		fire = now != old;
	}
	if (fire) {
		vq->interrupts++;
		model_raise(m, VIRTIO_MMIO_INT_VRING);
	}
}

static int pk_peek_at(struct vmmio_model *m, struct model_vq *vq, uint16_t k,
	uint16_t *head);

/*
 * Packed: write a used descriptor for buffer @p id at the device's used
 * position (2.8.6: one for the whole list), held until pk_publish; the
 * position moves on by the buffer's descriptors (1 for an ID the device
 * does not hold: a misbehaving device).
 */
static void
pk_used_write(struct vmmio_model *m, struct model_vq *vq, uint32_t id,
	uint32_t len, bool hold)
{
	struct vring_packed_desc *d = &vq->pdesc[pk_slot(vq, vq->pk_used)];
	uint16_t ndesc = 1, taken;

	/*
	 * An ID the device does not hold, with nothing consumed to return:
	 * the slot holds a buffer the device has not read, so it takes that
	 * one and returns it under the wrong ID (model_put_used's misbehave;
	 * a packed device cannot write past what it read).
	 */
	if ((id >= vq->num || !vq->inflight[id]) && vq->pk_used == vq->pk_avail &&
	    pk_peek_at(m, vq, 0, &taken) == 0)
		model_avail_consume(vq, taken);
	if (vq->pk_nhold == MODEL_HOLD_MAX)
		model_pk_flush(vq, 1);
	d->id = (uint16_t)id;
	d->len = len;
	vq->pk_hold[vq->pk_nhold] = vq->pk_used;
	vq->pk_hold_flags[vq->pk_nhold++] = (len ? VRING_DESC_F_WRITE : 0) |
		(pk_wrap(vq, vq->pk_used) ?
		VRING_PACKED_DESC_F_AVAIL | VRING_PACKED_DESC_F_USED : 0);
	if (id < vq->num && vq->inflight[id]) {
		ndesc = vq->pk_ndesc[id];
		vq->inflight[id] = 0;
	}
	vq->pk_used += ndesc;
	vq->used_idx++;	/* used entries written, as a split ring counts them */
	if (!hold)
		pk_publish(m, vq);
}

/* Make used entries up to the device's used index visible (2.7.8). */
void
model_used_publish(struct vmmio_model *m, struct model_vq *vq)
{
	uint16_t old = vq->signalled_used, flags, ev;
	bool fire;

	if (vq->packed) {
		pk_publish(m, vq);
		return;
	}

	__atomic_store_n(&vq->used->idx, vq->used_idx, __ATOMIC_RELEASE);
	vq->signalled_used = vq->used_idx;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	flags = __atomic_load_n(&vq->avail->flags, __ATOMIC_ACQUIRE);
	if (vq->event_idx) {
		/* 2.7.7.1: with EVENT_IDX the driver MUST keep flags 0 */
		if (flags != 0)
			model_err(m, &m->proto_errors, "avail->flags 0x%x with EVENT_IDX",
				flags);
		/* 2.7.10: interrupt when the used index passes used_event */
		ev = __atomic_load_n(&vq->avail->ring[vq->num], __ATOMIC_ACQUIRE);
		fire = (uint16_t)(vq->used_idx - ev - 1) <
			(uint16_t)(vq->used_idx - old);
	} else {
		/* 2.7.7: the driver may ask for no used buffer notification. */
		fire = !(flags & VRING_AVAIL_F_NO_INTERRUPT);
	}
	if (fire) {
		vq->interrupts++;
		model_raise(m, VIRTIO_MMIO_INT_VRING);
	}
}

/* 2.7.8: write one used entry, published at once unless @p hold. */
void
model_used_write(struct vmmio_model *m, struct model_vq *vq, uint32_t id,
	uint32_t len, bool hold)
{
	struct vring_used_elem *e;

	if (vq->packed) {
		pk_used_write(m, vq, id, len, hold);
		return;
	}
	e = &vq->used->ring[vq->used_idx % vq->num];
	e->id = id;
	e->len = len;
	if (id < vq->num)
		vq->inflight[id] = 0;
	vq->used_idx++;
	if (!hold)
		model_used_publish(m, vq);
}

int
model_vq_usable(const struct vmmio_model *m, const struct model_vq *vq)
{
	return vq->live && model_driver_ok(m) &&
		!(m->status & VIRTIO_STATUS_DEVICE_NEEDS_RESET) ? 0 : -EIO;
}

/* Packed: descriptor flags @p f at position @p p mark it available (2.8.1). */
static inline bool
pk_avail(const struct model_vq *vq, uint32_t p, uint16_t f)
{
	bool w = pk_wrap(vq, p);

	return !!(f & VRING_PACKED_DESC_F_AVAIL) == w &&
		!!(f & VRING_PACKED_DESC_F_USED) != w;
}

/*
 * Packed: the @p k-th available buffer after the device's position; its
 * ID (in the list's last descriptor, 2.8.6) in @p head, its position and
 * length kept for model_chain_walk and model_avail_consume.
 */
static int
pk_peek_at(struct vmmio_model *m, struct model_vq *vq, uint16_t k,
	uint16_t *head)
{
	uint16_t ids[64], j, len;
	uint32_t p = vq->pk_avail, q;

	for (j = 0;; j++) {
		if (p - vq->pk_avail >= vq->num ||
		    !pk_avail(vq, p, __atomic_load_n(&vq->pdesc[pk_slot(vq, p)].flags,
		    __ATOMIC_ACQUIRE)))
			return -ENOSPC;
		for (q = p, len = 1; vq->pdesc[pk_slot(vq, q)].flags & VRING_DESC_F_NEXT;
		     q++, len++) {
			if (len >= vq->num) {
				model_err(m, &m->proto_errors, "descriptor list at %u never ends",
					pk_slot(vq, p));
				return -EFAULT;
			}
			if (!pk_avail(vq, q + 1, vq->pdesc[pk_slot(vq, q + 1)].flags)) {
				model_err(m, &m->proto_errors, "descriptor list at %u exposed before its descriptor %u",
					pk_slot(vq, p), pk_slot(vq, q + 1));
				return -EFAULT;
			}
		}
		*head = vq->pdesc[pk_slot(vq, q)].id;
		if (*head >= vq->num) {
			model_err(m, &m->proto_errors, "buffer ID %u at %u (queue of %u)",
				*head, pk_slot(vq, q), vq->num);
			return -EFAULT;
		}
		if (vq->inflight[*head]) {
			model_err(m, &m->proto_errors, "buffer ID %u offered again while the device owns it",
				*head);
			return -EFAULT;
		}
		if (j == k)
			break;
		if (j < RTE_DIM(ids))
			ids[j] = *head;
		p += len;
	}
	for (j = 0; j < k && j < RTE_DIM(ids); j++)
		if (ids[j] == *head) {
			model_err(m, &m->proto_errors, "buffer ID %u offered twice", *head);
			return -EFAULT;
		}
	vq->pk_peek = p;
	vq->pk_peek_len = len;
	return 0;
}

/* The @p k-th available head after the device's position, not consumed. */
int
model_avail_peek_at(struct vmmio_model *m, struct model_vq *vq, uint16_t k,
	uint16_t *head)
{
	uint16_t aidx = vq->packed ? 0 :
		__atomic_load_n(&vq->avail->idx, __ATOMIC_ACQUIRE);
	uint16_t pending = (uint16_t)(aidx - vq->last_avail);
	uint16_t pos = (uint16_t)(vq->last_avail + k);
	uint16_t i;

	if (vq->packed)
		return pk_peek_at(m, vq, k, head);
	if (pending > vq->num) {
		model_err(m, &m->proto_errors, "avail->idx %u is %u entries ahead of the device (queue of %u)",
			aidx, pending, vq->num);
		return -EFAULT;
	}
	if (k >= pending)
		return -ENOSPC;
	*head = vq->avail->ring[pos % vq->num];
	if (*head >= vq->num) {
		model_err(m, &m->proto_errors, "avail entry %u names descriptor %u (queue of %u)",
			pos, *head, vq->num);
		return -EFAULT;
	}
	if (vq->inflight[*head]) {
		model_err(m, &m->proto_errors, "descriptor %u offered again while the device owns it",
			*head);
		return -EFAULT;
	}
	for (i = 0; i < k; i++)
		if (vq->avail->ring[(uint16_t)(vq->last_avail + i) % vq->num] == *head) {
			model_err(m, &m->proto_errors, "descriptor %u offered twice", *head);
			return -EFAULT;
		}
	return 0;
}

/* Next available head, not consumed. */
int
model_avail_peek(struct vmmio_model *m, struct model_vq *vq, uint16_t *head)
{
	return model_avail_peek_at(m, vq, 0, head);
}

/* 2.7.10: the device's avail_event, the word after the used ring. */
static uint16_t *
avail_event_ptr(const struct model_vq *vq)
{
	return (uint16_t *)&vq->used->ring[vq->num];
}

void
model_avail_consume(struct model_vq *vq, uint16_t head)
{
	if (vq->packed) {
		/* the buffer pk_peek_at found first */
		vq->inflight[head] = 1;
		vq->pk_ndesc[head] = vq->pk_peek_len;
		vq->pk_avail = vq->pk_peek + vq->pk_peek_len;
		vq->last_avail++;	/* buffers consumed */
		pk_dev_event(vq);
		return;
	}
	vq->inflight[head] = 1;
	vq->last_avail++;
	/* caught up: ask for a notification at the next new entry */
	if (vq->event_idx && !vq->avail_event_manual)
		__atomic_store_n(avail_event_ptr(vq), vq->last_avail, __ATOMIC_SEQ_CST);
}

uint16_t
model_avail_pending(const struct vmmio_model *m, unsigned int q)
{
	const struct model_vq *vq = &m->vq[q];

	uint32_t p, n = 0;

	if (!vq->live)
		return 0;
	if (vq->packed) {
		/* descriptors made available and not read yet */
		for (p = vq->pk_avail; p - vq->pk_avail < vq->num &&
		     pk_avail(vq, p, __atomic_load_n(&vq->pdesc[pk_slot(vq, p)].flags,
		     __ATOMIC_ACQUIRE)); p++)
			n += !(vq->pdesc[pk_slot(vq, p)].flags & VRING_DESC_F_NEXT);
		return (uint16_t)n;
	}
	return (uint16_t)(__atomic_load_n(&vq->avail->idx, __ATOMIC_ACQUIRE) -
		vq->last_avail);
}

bool
model_desc_offered(const struct vmmio_model *m, unsigned int q, uint16_t id)
{
	const struct model_vq *vq = &m->vq[q];
	uint16_t i, n;

	if (!vq->live || id >= vq->num)
		return false;
	if (vq->inflight[id])
		return true;
	if (vq->packed) {
		uint32_t p;

		for (p = vq->pk_avail; p - vq->pk_avail < vq->num &&
		     pk_avail(vq, p, vq->pdesc[pk_slot(vq, p)].flags); p++)
			if (!(vq->pdesc[pk_slot(vq, p)].flags & VRING_DESC_F_NEXT) &&
			    vq->pdesc[pk_slot(vq, p)].id == id)
				return true;
		return false;
	}
	n = model_avail_pending(m, q);
	for (i = 0; i < n && i < vq->num; i++)
		if (vq->avail->ring[(uint16_t)(vq->last_avail + i) % vq->num] == id)
			return true;
	return false;
}

void
model_put_used(struct vmmio_model *m, unsigned int q, uint32_t id, uint32_t len)
{
	struct model_vq *vq = &m->vq[q];

	if (vq->live)
		used_put(m, vq, id, len);
}

void
model_bump_used_idx(struct vmmio_model *m, unsigned int q, uint16_t delta)
{
	struct model_vq *vq = &m->vq[q];

	if (!vq->live || vq->packed)
		return;	/* packed rings have no used index */
	vq->used_idx += delta;
	__atomic_store_n(&vq->used->idx, vq->used_idx, __ATOMIC_RELEASE);
}

void
model_set_no_notify(struct vmmio_model *m, unsigned int q, bool on)
{
	struct model_vq *vq = &m->vq[q];

	vq->no_notify = on;
	if (vq->live && vq->packed)
		pk_dev_event(vq);
	else if (vq->live)
		__atomic_store_n(&vq->used->flags, on ? VRING_USED_F_NO_NOTIFY : 0,
			__ATOMIC_SEQ_CST);
}

void
model_set_avail_event(struct vmmio_model *m, unsigned int q, uint16_t v)
{
	struct model_vq *vq = &m->vq[q];

	if (!vq->live)
		return;
	vq->avail_event_manual = true;
	if (vq->packed) {
		/* @p v as a free-running descriptor position */
		__atomic_store_n(&vq->dev_ev->off_wrap, pk_off_wrap(vq, v),
			__ATOMIC_SEQ_CST);
		__atomic_store_n(&vq->dev_ev->flags, RING_EVENT_FLAGS_DESC,
			__ATOMIC_SEQ_CST);
		return;
	}
	__atomic_store_n(avail_event_ptr(vq), v, __ATOMIC_SEQ_CST);
}

uint16_t
model_used_event(const struct vmmio_model *m, unsigned int q)
{
	const struct model_vq *vq = &m->vq[q];

	return vq->live && !vq->packed ? __atomic_load_n(&vq->avail->ring[vq->num],
		__ATOMIC_SEQ_CST) : 0;
}
