/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Busy-poll datapath over split virtqueues (virtio 1.2 sections 2.7.13 and
 * 2.7.14 for the driver side of the rings, 5.1.6 for virtio-net's use).
 * Every register access is a potential 20-30 us system call (pread backend),
 * so each burst publishes once and notifies at most once.
 */
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>

#include "vmmio_offload.h"
#include "vmmio_rxtx.h"

#define VMMIO_REFILL_CHUNK	64
#define VMMIO_RECLAIM_CHUNK	64

/*
 * Used entries ready to harvest. The used ring holds at most @c size entries
 * (spec 2.7.8), so a used->idx further ahead than that is a jump, not
 * completions: the entries it covers are stale, so count one error and skip
 * them all rather than deliver or reclaim a buffer the device still owns.
 * Smaller excesses are caught entry by entry (id range, buffer posted).
 */
static inline uint16_t
vq_harvestable(struct vmmio_vq *vq, uint64_t *errors)
{
	uint16_t pending = vmmio_vq_used_pending(vq);

	if (unlikely(pending > vq->size)) {
		(*errors)++;
		vq->used_cons += pending;
		return 0;
	}
	return pending;
}

/* QueueNotify for queue @p vq, counted (4.2.3.3). */
static inline void
vq_notify(struct vmmio_hw *hw, struct vmmio_vq *vq, uint64_t *notifies)
{
	vmmio_hw_notify(hw, vq->index);
	vmmio_vq_notified(vq);
	(*notifies)++;
}

/*
 * Post fresh mbufs on every free descriptor, publish once and notify if the
 * device asks for it. @p may_notify is false before DRIVER_OK: the driver
 * must not notify a device that is not live yet (spec 3.1.1).
 */
static void
rxq_refill(struct vmmio_rxq *rxq, bool may_notify)
{
	struct rte_mbuf *mbufs[VMMIO_REFILL_CHUNK];
	struct vmmio_vq *vq = &rxq->vq;
	uint16_t n, i, id, posted = 0;

	while (vq->nb_free > 0) {
		n = RTE_MIN(vq->nb_free, VMMIO_REFILL_CHUNK);
		if (unlikely(rte_pktmbuf_alloc_bulk(rxq->mp, mbufs, n) != 0)) {
			*rxq->alloc_failed += n;
			rxq->stats.nombuf += n;
			break;
		}
		for (i = 0; i < n; i++) {
			id = vmmio_vq_get_desc(vq);
			/* Header in the headroom: the frame lands at data_off. */
			vq->desc[id].addr = rte_mbuf_data_iova_default(mbufs[i]) -
				rxq->hdr_len;
			vq->desc[id].len = rxq->buf_len;
			vq->desc[id].flags = VRING_DESC_F_WRITE;
			rxq->sw_ring[id] = mbufs[i];
			vmmio_vq_push_avail(vq, id);
		}
		posted += n;
	}
	if (posted == 0)
		return;
	vmmio_vq_publish(vq);
	if (may_notify && vmmio_vq_need_notify(vq))
		vq_notify(rxq->hw, vq, &rxq->stats.notifies);
}

/* Header the device wrote in front of a packet's first buffer (5.1.6). */
static inline const struct virtio_net_hdr *
rx_hdr(const struct vmmio_rxq *rxq, const struct rte_mbuf *m)
{
	return (const struct virtio_net_hdr *)(rte_pktmbuf_mtod(m, const char *) -
		rxq->hdr_len);
}

/* Take back the buffer of used entry @p id; NULL if it names no posted one. */
static inline struct rte_mbuf *
rx_take(struct vmmio_rxq *rxq, uint32_t id)
{
	struct rte_mbuf *m;

	if (unlikely(id >= rxq->vq.size || rxq->sw_ring[id] == NULL))
		return NULL;
	m = rxq->sw_ring[id];
	rxq->sw_ring[id] = NULL;
	vmmio_vq_put_desc(&rxq->vq, id);
	return m;
}

/*
 * Used entries making up the packet whose first buffer is descriptor @p id:
 * 1 without MRG_RXBUF (5.1.6.4.1: one descriptor), else num_buffers, which
 * must be at least 1 and at most the descriptors the device holds or has
 * returned; a larger count can never complete and would stall the queue.
 * Returns 0 for a bad count.
 */
static inline uint16_t
rx_nb_bufs(const struct vmmio_rxq *rxq, uint32_t id)
{
	uint16_t n;

	if (!(rxq->ofl & VMMIO_OFL_RX_MRG))
		return 1;
	n = rx_hdr(rxq, rxq->sw_ring[id])->num_buffers;
	return n <= rxq->vq.size - rxq->vq.nb_free ? n : 0;
}

static inline struct vring_used_elem *
used_elem(struct vmmio_vq *vq, uint16_t i)
{
	return &vq->used->ring[(uint16_t)(vq->used_cons + i) & vq->mask];
}

/*
 * Chain the continuation buffers (entries @p i + 1 .. @p i + @p nb - 1) to
 * @p m. With MRG_RXBUF only the first buffer holds the header (5.1.6.4), so
 * the data of the others starts where the device was told to write: the
 * descriptor address, hdr_len bytes before the default data offset.
 * Returns false if an entry is bad; every buffer is consumed either way.
 */
static bool
rx_chain(struct vmmio_rxq *rxq, struct rte_mbuf *m, uint16_t i, uint16_t nb)
{
	struct vmmio_vq *vq = &rxq->vq;
	struct vring_used_elem *e;
	struct rte_mbuf *seg, *last = m;
	uint32_t len;
	uint16_t k;
	bool ok = true;

	for (k = 1; k < nb; k++) {
		e = used_elem(vq, i + k);
		len = e->len;
		seg = rx_take(rxq, e->id);
		if (unlikely(seg == NULL || len == 0 || len > rxq->buf_len)) {
			rte_pktmbuf_free(seg);
			ok = false;
			continue;
		}
		seg->data_off = RTE_PKTMBUF_HEADROOM - rxq->hdr_len;
		seg->data_len = (uint16_t)len;
		m->pkt_len += len;
		m->nb_segs++;
		last->next = seg;
		last = seg;
	}
	return ok;
}

/*
 * Drop @p n used entries from @p i on: every buffer they name goes back to
 * the pool (entries naming no posted buffer are skipped).
 */
static void
rx_drop_used(struct vmmio_rxq *rxq, uint16_t i, uint16_t n)
{
	uint16_t k;

	for (k = 0; k < n; k++)
		rte_pktmbuf_free(rx_take(rxq, used_elem(&rxq->vq, i + k)->id));
}

/* Packet, byte and frame-size counters of @p n delivered packets. */
static inline void
rx_count(struct vmmio_rxq *rxq, struct rte_mbuf **pkts, uint16_t n)
{
	uint64_t bytes = 0;
	uint16_t i;

	for (i = 0; i < n; i++) {
		bytes += pkts[i]->pkt_len;
		rxq->stats.size_bins[vmmio_size_bin(pkts[i]->pkt_len)]++;
	}
	rxq->stats.packets += n;
	rxq->stats.bytes += bytes;
}

/*
 * Harvest the used ring. @p count: bump the packet counters here (the
 * busy-poll path); the interrupt path counts only what its software ring
 * took (rx_count), so no counter is ever bumped and then taken back.
 */
static __rte_always_inline uint16_t
rx_harvest(struct vmmio_rxq *rxq, struct rte_mbuf **rx_pkts, uint16_t nb_pkts,
	bool count)
{
	struct vmmio_vq *vq = &rxq->vq;
	struct vring_used_elem *e;
	struct rte_mbuf *m;
	uint16_t avail, nb, i = 0, nb_rx = 0;
	uint32_t id, len;
	uint64_t bytes = 0;
	bool ok, bad;

	avail = vq_harvestable(vq, &rxq->stats.errors);
	if (avail != 0)
		vq->stall_polls = 0;
	else if (unlikely(vmmio_vq_stalled(vq)))
		/* a device that never asks for its buffers: bounded recovery */
		vq_notify(rxq->hw, vq, &rxq->stats.notifies);
	while (i < avail && nb_rx < nb_pkts) {
		e = used_elem(vq, i);
		id = e->id;
		len = e->len;
		if (unlikely(id >= vq->size || rxq->sw_ring[id] == NULL)) {
			rxq->stats.errors++;
			i++;
			continue;
		}
		/* Shorter than a header: no num_buffers the device wrote. */
		nb = len >= rxq->hdr_len ? rx_nb_bufs(rxq, id) : 0;
		if (unlikely(nb == 0)) {
			/*
			 * With MRG_RXBUF the packet's extent is unknown and its
			 * other buffers carry no header: drop every entry used
			 * so far (5.1.6.4.2: a packet's buffers are used
			 * together) and resynchronize on the next one published.
			 */
			nb = (rxq->ofl & VMMIO_OFL_RX_MRG) ? avail - i : 1;
			rxq->stats.errors++;
			rx_drop_used(rxq, i, nb);
			i += nb;
			continue;
		}
		if (nb > avail - i)
			break;	/* the rest of the packet is not used yet */
		m = rx_take(rxq, id);
		/*
		 * An empty or oversized first buffer drops the whole packet: its
		 * continuation buffers are consumed with it, never parsed as
		 * packets of their own (they carry no header).
		 */
		bad = len == rxq->hdr_len || len > rxq->buf_len;
		m->data_len = bad ? 0 : (uint16_t)(len - rxq->hdr_len);
		m->pkt_len = m->data_len;
		m->port = rxq->port_id;
		ok = (nb == 1 || rx_chain(rxq, m, i, nb)) && !bad;
		i += nb;
		/* Multi-segment only for applications that take it. */
		if (unlikely(!ok || (nb > 1 && !(rxq->ofl & VMMIO_OFL_RX_SCATTER)) ||
		    vmmio_rx_offload(m, rx_hdr(rxq, m), rxq->ofl) < 0)) {
			rxq->stats.errors++;
			rte_pktmbuf_free(m);
			continue;
		}
		rte_prefetch0(rte_pktmbuf_mtod(m, void *));
		if (count) {
			bytes += m->pkt_len;
			rxq->stats.size_bins[vmmio_size_bin(m->pkt_len)]++;
		}
		rx_pkts[nb_rx++] = m;
	}
	vq->used_cons += i;
	if (count) {
		rxq->stats.packets += nb_rx;
		rxq->stats.bytes += bytes;
	}
	/* Batch refills: one publish (and at most one notify) per chunk of work. */
	if (vq->nb_free >= RTE_MIN(VMMIO_REFILL_CHUNK / 2, vq->size / 4))
		rxq_refill(rxq, true);
	/* Busy-poll: keep used_event ahead (an armed queue's owner re-arms). */
	if (!rxq->intr.armed)
		vmmio_vq_keep_intr_off(vq);
	return nb_rx;
}

uint16_t
vmmio_recv_pkts(void *queue, struct rte_mbuf **rx_pkts, uint16_t nb_pkts)
{
	return rx_harvest(queue, rx_pkts, nb_pkts, true);
}

uint16_t
vmmio_rxq_harvest(struct vmmio_rxq *rxq, struct rte_mbuf **rx_pkts,
	uint16_t nb_pkts, bool count)
{
	return rx_harvest(rxq, rx_pkts, nb_pkts, count);
}

void
vmmio_rxq_count(struct vmmio_rxq *rxq, struct rte_mbuf **pkts, uint16_t n)
{
	rx_count(rxq, pkts, n);
}

void
vmmio_rxq_refill(struct vmmio_rxq *rxq, bool force)
{
	struct vmmio_vq *vq = &rxq->vq;

	rxq_refill(rxq, true);
	if (force && vq->avail_idx != vq->notified_idx)
		vq_notify(rxq->hw, vq, &rxq->stats.notifies);
}

int
vmmio_rxq_fill(struct vmmio_rxq *rxq)
{
	rxq_refill(rxq, false);
	return rxq->vq.nb_free == rxq->vq.size ? -ENOMEM : 0;
}

void
vmmio_rxq_drain(struct vmmio_rxq *rxq)
{
	uint16_t i;

	for (i = 0; i < rxq->vq.size; i++) {
		rte_pktmbuf_free(rxq->sw_ring[i]);
		rxq->sw_ring[i] = NULL;
	}
	vmmio_vq_reset(&rxq->vq);
}

/*
 * Give sent mbufs back. With MBUF_FAST_FREE the application promised one
 * pool and refcnt 1, and these are single segments (next NULL, nb_segs 1
 * already): straight into the pool, no per-mbuf checks.
 */
static inline void
tx_free_bulk(struct rte_mbuf **m, uint16_t n, bool fast)
{
	if (fast)
		rte_mempool_put_bulk(m[0]->pool, (void **)m, n);
	else
		rte_pktmbuf_free_bulk(m, n);
}

uint16_t
vmmio_txq_reclaim(struct vmmio_txq *txq)
{
	struct rte_mbuf *done[VMMIO_RECLAIM_CHUNK];
	struct vmmio_vq *vq = &txq->vq;
	bool fast = (txq->ofl & VMMIO_OFL_TX_FAST_FREE) != 0;
	struct vmmio_tx_slot *s;
	uint16_t n, i, k, d, next, nb_done = 0, total = 0;
	uint32_t id;

	n = vq_harvestable(vq, &txq->stats.errors);
	for (i = 0; i < n; i++) {
		id = vq->used->ring[(uint16_t)(vq->used_cons + i) & vq->mask].id;
		if (unlikely(id >= vq->size || txq->slots[id].m == NULL)) {
			txq->stats.errors++;
			continue;
		}
		s = &txq->slots[id];
		for (k = 0, d = (uint16_t)id; k < s->ndesc; k++, d = next) {
			next = vq->desc[d].next;
			vmmio_vq_put_desc(vq, d);
		}
		if (!fast || s->m->nb_segs == 1)
			done[nb_done++] = s->m;
		else
			rte_pktmbuf_free(s->m);	/* fast free of a chain: reset segments */
		s->m = NULL;
		total++;
		if (nb_done == VMMIO_RECLAIM_CHUNK) {
			tx_free_bulk(done, nb_done, fast);
			nb_done = 0;
		}
	}
	vq->used_cons += n;
	if (n > 0)
		vq->stall_polls = 0;
	vmmio_vq_keep_intr_off(vq);	/* TX never wants interrupts */
	if (nb_done > 0)
		tx_free_bulk(done, nb_done, fast);
	return total;
}

/* Descriptors for the data of @p m: empty segments get none. */
static inline uint16_t
tx_data_descs(const struct rte_mbuf *m)
{
	uint16_t n = 0;

	for (; m != NULL; m = m->next)
		n += m->data_len != 0;
	return n;
}

/*
 * Store the header with a size fixed per negotiated length (5.1.6: 12 bytes
 * with VERSION_1 or MRG_RXBUF, else 10): two inlined stores instead of a
 * libc call for a length only known at run time. Never more than @p len
 * bytes: the headroom before them may hold application data.
 */
static inline void
tx_hdr_store(void *dst, const struct virtio_net_hdr *h, uint16_t len)
{
	if (likely(len == VIRTIO_NET_HDR_LEN_MODERN))
		memcpy(dst, h, VIRTIO_NET_HDR_LEN_MODERN);
	else
		memcpy(dst, h, VIRTIO_NET_HDR_LEN_LEGACY);
}

/* Header in the mbuf's own headroom: one descriptor per segment. */
static inline bool
tx_can_push(const struct vmmio_txq *txq, struct rte_mbuf *m)
{
	return txq->any_layout && m->nb_segs == 1 && RTE_MBUF_DIRECT(m) &&
		rte_mbuf_refcnt_read(m) == 1 &&
		rte_pktmbuf_headroom(m) >= txq->hdr_len;
}

uint16_t
vmmio_xmit_pkts(void *queue, struct rte_mbuf **tx_pkts, uint16_t nb_pkts)
{
	struct vmmio_txq *txq = queue;
	struct vmmio_vq *vq = &txq->vq;
	struct rte_mbuf *m, *seg;
	uint16_t nb_tx, need, head, id, prev, queued = 0;
	struct virtio_net_hdr oh;
	uint64_t bytes = 0;
	bool push;
	void *hdr;

	if (vq->nb_free < txq->free_thresh)
		vmmio_txq_reclaim(txq);
	for (nb_tx = 0; nb_tx < nb_pkts; nb_tx++) {
		m = tx_pkts[nb_tx];
		push = tx_can_push(txq, m);
		need = push ? 1 : 1 + tx_data_descs(m);
		if (unlikely(need > vq->size || m->pkt_len == 0)) {
			/* can never fit (more segments than descriptors), or empty */
			txq->stats.errors++;
			rte_pktmbuf_free(m);
			continue;
		}
		if (unlikely(need > vq->nb_free)) {
			if (vmmio_txq_reclaim(txq) == 0 && queued == 0 &&
			    unlikely(vmmio_vq_stalled(vq)))
				/* device holds everything and never asked: recover */
				vq_notify(txq->hw, vq, &txq->stats.notifies);
			if (need > vq->nb_free)
				break;	/* ring full: the caller keeps the rest */
		}
		/* 5.1.6.2: offload requests go into the header; num_buffers 0. */
		memset(&oh, 0, sizeof(oh));
		if ((m->ol_flags & VMMIO_TX_OL_WORK) &&
		    unlikely(vmmio_tx_offload(&oh, m, txq->ofl) < 0)) {
			txq->stats.errors++;
			rte_pktmbuf_free(m);
			continue;
		}
		bytes += m->pkt_len;
		txq->stats.size_bins[vmmio_size_bin(m->pkt_len)]++;
		head = vmmio_vq_get_desc(vq);
		if (push) {
			hdr = rte_pktmbuf_prepend(m, txq->hdr_len);
			tx_hdr_store(hdr, &oh, txq->hdr_len);
			vq->desc[head].addr = rte_mbuf_data_iova(m);
			vq->desc[head].len = m->data_len;
			seg = m->next;
		} else {
			tx_hdr_store(&txq->hdrs[head], &oh, txq->hdr_len);
			vq->desc[head].addr = txq->hdrs_iova +
				(uint64_t)head * sizeof(struct virtio_net_hdr);
			vq->desc[head].len = txq->hdr_len;
			seg = m;
		}
		vq->desc[head].flags = 0;
		for (prev = head; seg != NULL; seg = seg->next) {
			if (seg->data_len == 0)
				continue;	/* a 0-byte descriptor is useless to the device */
			id = vmmio_vq_get_desc(vq);
			vq->desc[prev].next = id;
			vq->desc[prev].flags = VRING_DESC_F_NEXT;
			vq->desc[id].addr = rte_mbuf_data_iova(seg);
			vq->desc[id].len = seg->data_len;
			vq->desc[id].flags = 0;
			prev = id;
		}
		txq->slots[head].m = m;
		txq->slots[head].ndesc = need;
		vmmio_vq_push_avail(vq, head);
		queued++;
	}
	if (queued == 0)
		return nb_tx;
	txq->stats.packets += queued;
	txq->stats.bytes += bytes;
	vmmio_vq_publish(vq);
	if (vmmio_vq_need_notify(vq))
		vq_notify(txq->hw, vq, &txq->stats.notifies);
	return nb_tx;
}

void
vmmio_txq_drain(struct vmmio_txq *txq)
{
	uint16_t i;

	for (i = 0; i < txq->vq.size; i++) {
		rte_pktmbuf_free(txq->slots[i].m);
		txq->slots[i].m = NULL;
	}
	vmmio_vq_reset(&txq->vq);
}
