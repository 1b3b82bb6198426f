/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The model's network queues (5.1.6): frames delivered into receive buffers
 * with their virtio-net header (checksum and GSO fields, MRG_RXBUF
 * num_buffers), frames taken from transmit queues with their header
 * checked and a requested checksum completed, and TX-on-notify.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "vmmio_model_internal.h"

/* 5.1.6.4.1: header fields a device may only set with these features. */
static bool
rx_hdr_allowed(const struct vmmio_model *m, const struct virtio_net_hdr *h)
{
	uint64_t f = m->driver_features;

	if (h->flags != 0 && !(f & VIRTIO_BIT(VIRTIO_NET_F_GUEST_CSUM)))
		return false;
	if ((h->gso_type & VIRTIO_NET_HDR_GSO_ECN) &&
	    !(f & VIRTIO_BIT(VIRTIO_NET_F_GUEST_ECN)))
		return false;
	switch (h->gso_type & ~VIRTIO_NET_HDR_GSO_ECN) {
	case VIRTIO_NET_HDR_GSO_NONE:
		return true;
	case VIRTIO_NET_HDR_GSO_TCPV4:
		return (f & VIRTIO_BIT(VIRTIO_NET_F_GUEST_TSO4)) != 0;
	case VIRTIO_NET_HDR_GSO_TCPV6:
		return (f & VIRTIO_BIT(VIRTIO_NET_F_GUEST_TSO6)) != 0;
	case VIRTIO_NET_HDR_GSO_UDP:
		return (f & VIRTIO_BIT(VIRTIO_NET_F_GUEST_UFO)) != 0;
	default:
		return false;
	}
}

int
model_rx_inject_ex(struct vmmio_model *m, const struct model_rx_opts *o,
	const void *frame, uint32_t len)
{
	struct model_vq *vq = &m->vq[2 * RTE_MIN(o->pair, MODEL_MAX_PAIRS - 1)];
	bool mrg = (m->driver_features & VIRTIO_BIT(VIRTIO_NET_F_MRG_RXBUF)) != 0;
	uint16_t hdr_len = model_hdr_len(m), head, nbuf, k, used0;
	uint64_t need = (uint64_t)hdr_len + len, cap = 0, total, off, n;
	struct virtio_net_hdr h;
	uint8_t *stage;
	int ret, nseg;

	ret = model_vq_usable(m, vq);
	if (ret < 0)
		return ret;
	if ((m->opts.features & VIRTIO_BIT(VIRTIO_NET_F_STATUS)) &&
	    !(m->cfg[VIRTIO_NET_CFG_STATUS] & VIRTIO_NET_S_LINK_UP))
		return -ENETDOWN;
	if (!o->force && !rx_hdr_allowed(m, &o->hdr))
		return -EINVAL;
	/* How many buffers, before consuming any (QEMU checks first too). */
	for (k = 0; cap < need; k++) {
		if (k > 0 && !mrg)
			break;
		ret = model_avail_peek_at(m, vq, k, &head);
		if (ret < 0)
			return ret;
		nseg = model_chain_walk(m, vq, head, true, &total);
		if (nseg < 0)
			return nseg;
		/* 5.1.6.3.1: with MRG_RXBUF every buffer holds at least a header */
		if (mrg && total < hdr_len)
			model_err(m, &m->proto_errors, "receive buffer of %" PRIu64
				" bytes is smaller than the header", total);
		cap += total;
	}
	if (cap < need) {
		model_err(m, &m->proto_errors, "receive buffer of %" PRIu64
			" bytes cannot hold header and %u-byte frame", cap, len);
		return -EMSGSIZE;
	}
	nbuf = k;
	stage = malloc(need);
	if (stage == NULL)
		return -ENOMEM;
	/* 5.1.6.4: num_buffers counts the buffers (present in 12-byte headers) */
	h = o->hdr;
	h.num_buffers = o->set_num_buffers ? o->num_buffers : nbuf;
	memcpy(stage, &h, hdr_len);
	memcpy(stage + hdr_len, frame, len);
	used0 = vq->used_idx;
	for (k = 0, off = 0; k < nbuf; k++) {
		model_avail_peek(m, vq, &head);
		nseg = model_chain_walk(m, vq, head, true, &total);
		n = RTE_MIN(total, need - off);
		model_chain_copy(m, nseg, 0, stage + off, n, true);
		off += n;
		model_avail_consume(vq, head);
		model_used_write(m, vq, head, (uint32_t)n, true);
	}
	free(stage);
	if (o->publish == 0 || o->publish >= nbuf) {
		model_used_publish(m, vq);
	} else if (vq->packed) {
		model_pk_flush(vq, o->publish);
	} else {
		__atomic_store_n(&vq->used->idx, (uint16_t)(used0 + o->publish),
			__ATOMIC_RELEASE);
	}
	m->rx_frames++;
	return 0;
}

int
model_rx_inject(struct vmmio_model *m, const void *frame, uint32_t len)
{
	static const struct model_rx_opts plain;

	return model_rx_inject_ex(m, &plain, frame, len);
}

void
model_rx_publish(struct vmmio_model *m)
{
	struct model_vq *vq = &m->vq[MODEL_RXQ];

	if (vq->live)
		model_used_publish(m, vq);
}

/* Ones' complement sum of @p len bytes (network order words), not inverted. */
static uint16_t
csum16(const uint8_t *p, uint32_t len)
{
	uint32_t sum = 0, i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/*
 * 5.1.6.2 / 5.1.6.2.1: check a transmit header against the negotiated
 * features and, like a device, complete a requested checksum (no GSO).
 */
static void
tx_hdr_apply(struct vmmio_model *m, const struct virtio_net_hdr *h,
	struct model_frame *f, uint16_t hdr_len)
{
	uint64_t feat = m->driver_features;
	uint32_t end;
	uint16_t sum;
	uint8_t gso = h->gso_type;

	if (h->flags & ~VIRTIO_NET_HDR_F_NEEDS_CSUM)
		model_err(m, &m->proto_errors, "transmit header flags 0x%x: only NEEDS_CSUM is the driver's",
			h->flags);
	if (hdr_len == VIRTIO_NET_HDR_LEN_MODERN && h->num_buffers != 0)
		model_err(m, &m->proto_errors, "transmit header num_buffers %u (must be 0)",
			h->num_buffers);
	if ((h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) &&
	    !(feat & VIRTIO_BIT(VIRTIO_NET_F_CSUM)))
		model_err(m, &m->proto_errors, "NEEDS_CSUM without VIRTIO_NET_F_CSUM");
	if (gso != VIRTIO_NET_HDR_GSO_NONE) {
		if ((gso == VIRTIO_NET_HDR_GSO_TCPV4 &&
		     !(feat & VIRTIO_BIT(VIRTIO_NET_F_HOST_TSO4))) ||
		    (gso == VIRTIO_NET_HDR_GSO_TCPV6 &&
		     !(feat & VIRTIO_BIT(VIRTIO_NET_F_HOST_TSO6))) ||
		    (gso != VIRTIO_NET_HDR_GSO_TCPV4 && gso != VIRTIO_NET_HDR_GSO_TCPV6))
			model_err(m, &m->proto_errors, "transmit gso_type 0x%x not negotiated (features 0x%" PRIx64 ")",
				gso, feat);
		if (!(h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) || h->gso_size == 0 ||
		    h->hdr_len == 0 || h->hdr_len >= f->len)
			model_err(m, &m->proto_errors, "GSO header flags 0x%x gso_size %u hdr_len %u for a %u-byte frame",
				h->flags, h->gso_size, h->hdr_len, f->len);
	} else if (h->gso_size != 0 || h->hdr_len != 0) {
		model_err(m, &m->proto_errors, "gso_size %u hdr_len %u without GSO",
			h->gso_size, h->hdr_len);
	}
	if (!(h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM)) {
		if (h->csum_start != 0 || h->csum_offset != 0)
			model_err(m, &m->proto_errors, "csum_start %u csum_offset %u without NEEDS_CSUM",
				h->csum_start, h->csum_offset);
		return;
	}
	end = (uint32_t)h->csum_start + h->csum_offset + 2;
	if (end > f->len) {
		model_err(m, &m->proto_errors, "checksum at %u+%u outside the %u-byte frame",
			h->csum_start, h->csum_offset, f->len);
		return;
	}
	if (gso != VIRTIO_NET_HDR_GSO_NONE)
		return;	/* the device would segment: each segment's checksum */
	sum = (uint16_t)~csum16(f->data + h->csum_start, f->len - h->csum_start);
	f->data[h->csum_start + h->csum_offset] = (uint8_t)(sum >> 8);
	f->data[h->csum_start + h->csum_offset + 1] = (uint8_t)sum;
	f->csum_done = true;
}

/* Consume one TX chain into @p f (may be NULL). 1 done, 0 none, <0 error. */
static int
tx_collect_one(struct vmmio_model *m, unsigned int q, struct model_frame *f)
{
	struct model_vq *vq = &m->vq[q];
	uint16_t hdr_len = model_hdr_len(m), head;
	struct virtio_net_hdr h;
	bool any_layout;
	uint64_t total, flen;
	int ret, nseg;

	ret = model_avail_peek(m, vq, &head);
	if (ret == -ENOSPC)
		return 0;
	if (ret < 0)
		return ret;
	nseg = model_chain_walk(m, vq, head, false, &total);
	if (nseg < 0)
		return nseg;
	model_avail_consume(vq, head);
	if (f == NULL)
		f = m->scratch;
	memset(f->hdr, 0, sizeof(f->hdr));
	f->hdr_len = hdr_len;
	f->ndesc = (uint16_t)nseg;
	f->indirect = m->indirect;
	f->head = head;
	f->len = 0;
	f->csum_done = false;
	if (total < hdr_len) {
		model_err(m, &m->proto_errors, "transmit chain %u of %" PRIu64
			" bytes is shorter than the %u-byte header", head, total, hdr_len);
		used_put(m, vq, head, 0);
		return 1;
	}
	/* 5.1.6.6 / 2.6.4: without ANY_LAYOUT a legacy header is alone. */
	any_layout = (m->driver_features & (VIRTIO_BIT(VIRTIO_F_VERSION_1) |
		VIRTIO_BIT(VIRTIO_F_ANY_LAYOUT))) != 0;
	if (!any_layout && m->segs[0].len != hdr_len)
		model_err(m, &m->proto_errors, "transmit chain %u: header shares a descriptor (%u bytes) without ANY_LAYOUT",
			head, m->segs[0].len);
	model_chain_copy(m, nseg, 0, f->hdr, hdr_len, false);
	memset(&h, 0, sizeof(h));
	memcpy(&h, f->hdr, hdr_len);
	f->csum_done = false;
	flen = total - hdr_len;
	if (flen > MODEL_FRAME_MAX) {
		model_err(m, &m->proto_errors, "transmit frame of %" PRIu64
			" bytes truncated to %u", flen, MODEL_FRAME_MAX);
		flen = MODEL_FRAME_MAX;
	}
	model_chain_copy(m, nseg, hdr_len, f->data, flen, false);
	f->len = (uint32_t)flen;
	tx_hdr_apply(m, &h, f, hdr_len);
	used_put(m, vq, head, 0);
	m->tx_frames++;
	m->tx_bytes += total - hdr_len;
	return 1;
}

int
model_tx_collect(struct vmmio_model *m, struct model_frame *out,
	unsigned int max)
{
	return model_tx_collect_q(m, MODEL_TXQ, out, max);
}

int
model_tx_collect_q(struct vmmio_model *m, unsigned int q,
	struct model_frame *out, unsigned int max)
{
	unsigned int n;
	int ret;

	if (q >= MODEL_MAX_QUEUES || q % 2 != 1)
		return -EINVAL;
	ret = model_vq_usable(m, &m->vq[q]);
	if (ret < 0)
		return ret;
	for (n = 0; n < max; n++) {
		ret = tx_collect_one(m, q, out != NULL ? &out[n] : NULL);
		if (ret < 0)
			return n > 0 ? (int)n : ret;
		if (ret == 0)
			break;
	}
	return (int)n;
}

void
model_tx_log_clear(struct vmmio_model *m)
{
	m->tx_log_count = 0;
	m->tx_log_dropped = 0;
}

void
model_tx_on_notify(struct vmmio_model *m, unsigned int q)
{
	struct model_frame *f;

	if (model_vq_usable(m, &m->vq[q]) < 0)
		return;
	for (;;) {
		f = m->tx_log_count < MODEL_TX_LOG_MAX ?
			&m->tx_log[m->tx_log_count] : NULL;
		if (tx_collect_one(m, q, f) <= 0)
			break;
		if (f != NULL)
			m->tx_log_count++;
		else
			m->tx_log_dropped++;
	}
}
