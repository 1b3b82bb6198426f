/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Descriptor chains of the model's virtqueues (2.7.5, 2.8.6): one
 * descriptor read in either layout, a buffer's chain walked and translated,
 * indirect tables (2.7.5.3, 2.8.19), copies between a chain and a flat
 * buffer, and model_take().
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <rte_common.h>

#include "vmmio_model_internal.h"

/*
 * Descriptor @p it of a chain: a descriptor index (split) or a ring
 * position (packed; the chain pk_peek_at found). model_chain_start() gives the
 * first, model_chain_next() the one after @p d.
 */
void
model_chain_desc(const struct model_vq *vq, uint32_t it, struct model_desc *d)
{
	const struct vring_packed_desc *p;

	if (vq->packed) {
		p = &vq->pdesc[pk_slot(vq, it)];
		d->addr = p->addr;
		d->len = p->len;
		d->flags = p->flags & ~(VRING_PACKED_DESC_F_AVAIL |
			VRING_PACKED_DESC_F_USED);
		d->next = 0;
	} else {
		d->addr = vq->desc[it].addr;
		d->len = vq->desc[it].len;
		d->flags = vq->desc[it].flags;
		d->next = vq->desc[it].next;
	}
}

uint32_t
model_chain_start(const struct model_vq *vq, uint16_t head)
{
	return vq->packed ? vq->pk_peek : head;
}

/* The descriptor after @p it, or -1 if a split next is out of range. */
int64_t
model_chain_next(const struct model_vq *vq, uint32_t it, const struct model_desc *d)
{
	if (vq->packed)
		return (int64_t)it + 1;
	return d->next < vq->num ? d->next : -1;
}

/*
 * Descriptor @p d (number @p id of its chain or table) as segment @p n:
 * direction, length and guest memory checked. 0 or -EFAULT.
 */
static int
chain_seg(struct vmmio_model *m, const struct model_desc *d, uint32_t id,
	unsigned int n, bool writable, uint64_t *total)
{
	if (!!(d->flags & VRING_DESC_F_WRITE) != writable) {
		model_err(m, &m->proto_errors, "%s queue descriptor %u is device-%s",
			writable ? "receive" : "transmit", id,
			writable ? "readable" : "writable");
		return -EFAULT;
	}
	if (d->len == 0) {
		model_err(m, &m->proto_errors, "descriptor %u has length 0", id);
		return -EFAULT;
	}
	m->segs[n].p = model_g2v(d->addr, d->len);
	m->segs[n].len = d->len;
	if (m->segs[n].p == NULL) {
		model_err(m, &m->proto_errors, "descriptor %u: buffer 0x%" PRIx64
			"+%u outside guest memory", id, d->addr, d->len);
		return -EFAULT;
	}
	*total += d->len;
	return 0;
}

/*
 * The table of indirect descriptor @p t (2.7.5.3, 2.8.19), the only
 * descriptor of its buffer: split entries chain through next from entry 0,
 * packed entries follow each other; no entry may be INDIRECT (2.7.5.3.1,
 * 2.8.20), packed ones carry no NEXT. Returns the segments or -EFAULT.
 */
static int
chain_indirect(struct vmmio_model *m, struct model_vq *vq,
	const struct model_desc *t, bool writable, uint64_t *total)
{
	unsigned int n = 0, k = 0, cnt = t->len / sizeof(struct vring_desc);
	const struct vring_desc *sd;
	struct model_desc d;

	if (!(m->driver_features & VIRTIO_BIT(VIRTIO_RING_F_INDIRECT_DESC)) ||
	    (t->flags & VRING_DESC_F_NEXT) || t->len == 0 ||
	    t->len % sizeof(struct vring_desc) != 0 || cnt > vq->num) {
		model_err(m, &m->proto_errors, "indirect descriptor: flags 0x%x, %u bytes (INDIRECT %snegotiated, queue of %u)",
			t->flags, t->len, (m->driver_features &
			VIRTIO_BIT(VIRTIO_RING_F_INDIRECT_DESC)) ? "" : "not ", vq->num);
		return -EFAULT;
	}
	sd = model_g2v(t->addr, t->len);
	if (sd == NULL) {
		model_err(m, &m->proto_errors, "indirect table 0x%" PRIx64 "+%u outside guest memory",
			t->addr, t->len);
		return -EFAULT;
	}
	for (;;) {
		if (n == cnt) {
			model_err(m, &m->proto_errors, "indirect table of %u entries loops", cnt);
			return -EFAULT;
		}
		if (vq->packed) {
			const struct vring_packed_desc *p =
				(const struct vring_packed_desc *)&sd[k];

			d.addr = p->addr;
			d.len = p->len;
			d.flags = p->flags;
			d.next = 0;
		} else {
			d.addr = sd[k].addr;
			d.len = sd[k].len;
			d.flags = sd[k].flags;
			d.next = sd[k].next;
		}
		if (d.flags & ~(VRING_DESC_F_WRITE |
		    (vq->packed ? 0 : VRING_DESC_F_NEXT))) {
			model_err(m, &m->proto_errors, "indirect entry %u has flags 0x%x", k, d.flags);
			return -EFAULT;
		}
		if (chain_seg(m, &d, k, n, writable, total) < 0)
			return -EFAULT;
		n++;
		if (vq->packed ? n == cnt : !(d.flags & VRING_DESC_F_NEXT))
			break;
		k = vq->packed ? k + 1 : d.next;
		if (k >= cnt) {
			model_err(m, &m->proto_errors, "indirect entry: next %u beyond the table of %u",
				k, cnt);
			return -EFAULT;
		}
	}
	m->indirect = true;
	return (int)n;
}

/*
 * Walk and translate the chain at @p head (2.7.5): device-writable buffers
 * for RX, device-readable for TX. Returns the number of segments or -EFAULT.
 */
int
model_chain_walk(struct vmmio_model *m, struct model_vq *vq, uint16_t head,
	bool writable, uint64_t *total)
{
	struct model_desc dd, *d = &dd;
	uint32_t id = model_chain_start(vq, head);
	unsigned int n = 0;
	int64_t nx;

	*total = 0;
	m->indirect = false;
	for (;;) {
		if (n == vq->num) {
			model_err(m, &m->proto_errors, "descriptor chain at %u loops", head);
			return -EFAULT;
		}
		model_chain_desc(vq, id, d);
		if ((d->flags & VRING_DESC_F_INDIRECT) && n == 0)
			return chain_indirect(m, vq, d, writable, total);
		if (d->flags & ~(VRING_DESC_F_NEXT | VRING_DESC_F_WRITE)) {
			model_err(m, &m->proto_errors, "descriptor %u has flags 0x%x",
				id, d->flags);
			return -EFAULT;
		}
		if (chain_seg(m, d, id, n, writable, total) < 0)
			return -EFAULT;
		n++;
		if (!(d->flags & VRING_DESC_F_NEXT))
			break;
		nx = model_chain_next(vq, id, d);
		if (nx < 0) {
			model_err(m, &m->proto_errors, "descriptor %u: next %u out of range",
				id, d->next);
			return -EFAULT;
		}
		id = (uint32_t)nx;
	}
	return (int)n;
}

/* Copy @p len bytes between the chain (at byte @p off) and @p buf. */
void
model_chain_copy(struct vmmio_model *m, unsigned int nseg, uint64_t off, void *buf,
	uint64_t len, bool to_chain)
{
	uint8_t *b = buf;
	unsigned int i;
	uint64_t n;

	for (i = 0; i < nseg && len > 0; i++) {
		if (off >= m->segs[i].len) {
			off -= m->segs[i].len;
			continue;
		}
		n = RTE_MIN(len, m->segs[i].len - off);
		if (to_chain)
			memcpy(m->segs[i].p + off, b, n);
		else
			memcpy(b, m->segs[i].p + off, n);
		b += n;
		len -= n;
		off = 0;
	}
}

int
model_take(struct vmmio_model *m, unsigned int q, uint16_t *head,
	uint32_t *cap)
{
	struct model_vq *vq = &m->vq[q];
	uint64_t total;
	int ret;

	ret = model_vq_usable(m, vq);
	if (ret < 0)
		return ret;
	ret = model_avail_peek(m, vq, head);
	if (ret < 0)
		return ret;
	ret = model_chain_walk(m, vq, *head, q % 2 == 0, &total);
	if (ret < 0)
		return ret;
	model_avail_consume(vq, *head);
	if (cap != NULL)
		*cap = (uint32_t)RTE_MIN(total, UINT32_MAX);
	return 0;
}
