/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Busy-poll transmit over split and packed virtqueues (virtio 1.2 sections
 * 2.7.13, 2.8.21 for the driver side of the rings, 2.7.5.3 and 2.8.19 for
 * indirect descriptors, 5.1.6.2 for virtio-net's header): plain packets in
 * one descriptor, chains, indirect tables, and reclaim. Each burst notifies
 * at most once.
 *
 * The loops that touch the ring per packet take the layout as a constant
 * (@c packed) and are compiled once for each layout.
 */
#include <errno.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_mbuf.h>

#include "vmmio_notify.h"
#include "vmmio_offload.h"
#include "vmmio_rxtx.h"

#define VMMIO_RECLAIM_CHUNK	64

/*
 * Reclaim: sent packets go back to their pools in bulk. A packet that took
 * one descriptor goes straight back (see below), as does a chain's single
 * segment with MBUF_FAST_FREE (the application's promise: one pool, refcnt
 * 1); other chains take rte_pktmbuf_free(). Ring state in locals: stores of
 * the free list cannot alias it. @p packed: used descriptors in the ring,
 * each followed by the rest of its buffer's descriptors, which the device
 * skips (2.8.6); the ID goes back on the ID list.
 */
static __rte_always_inline uint16_t
tx_reclaim(struct vmmio_txq *txq, const bool fast, const bool packed)
{
	struct rte_mbuf *done[VMMIO_RECLAIM_CHUNK];
	struct vmmio_vq *vq = &txq->vq;
	const struct vring_used_elem *used = vq->used->ring;
	const struct vring_packed_desc *pdesc = vq->pdesc, *d;
	struct vmmio_tx_slot *slots = txq->slots, *s;
	struct vring_desc *desc = vq->desc;
	uint16_t *id_next = vq->id_next;
	const unsigned int size = vq->size, mask = vq->mask;
	unsigned int i, n, id, cons, pos, head = vq->free_head;
	unsigned int nb_done = 0, freed = 0, bad = 0;
	struct rte_mempool *pool = NULL;
	struct rte_mbuf *m;

	/* packed: at most the descriptors the device holds */
	n = packed ? (unsigned int)(size - vq->nb_free) :
		vmmio_vq_harvestable(vq, &txq->stats.errors);
	cons = vq->used_cons;	/* after vq_harvestable, which may skip a jump */
	pos = cons;
	for (i = 0; i < n; i++) {
		if (packed) {
			if ((uint16_t)(pos - cons) >= n)
				break;
			d = &pdesc[pos & mask];
			if (!vmmio_vq_flags_used(__atomic_load_n(&d->flags,
			    __ATOMIC_ACQUIRE), size, (uint16_t)pos))
				break;
			id = d->id;
		} else {
			id = used[(cons + i) & mask].id;
		}
		if (unlikely(id >= size || slots[id].m == NULL)) {
			txq->stats.errors++;
			bad++;
			pos++;	/* packed: the buffer's extent is unknown */
			continue;
		}
		s = &slots[id];
		m = s->m;
		s->m = NULL;
		if (packed) {
			pos += VMMIO_TX_NDESC(s->kind);
			freed += VMMIO_TX_NDESC(s->kind);
			id_next[id] = head;
			head = id;
			if (unlikely(s->kind != VMMIO_TX_PLAIN) &&
			    (!fast || m->nb_segs != 1)) {
				rte_pktmbuf_free(m);
				continue;
			}
		} else if (unlikely(s->kind != VMMIO_TX_PLAIN)) {
			/* a chain (header descriptor, then the segments), or one
			 * indirect descriptor (last is itself) */
			desc[s->last].next = head;
			head = id;
			freed += VMMIO_TX_NDESC(s->kind);
			if (!fast || m->nb_segs != 1) {
				rte_pktmbuf_free(m);
				continue;
			}
		} else {
			/*
			 * Header and frame in one descriptor: a direct single
			 * segment with refcnt 1 when queued (tx_headroom_ours),
			 * the PMD's since, so nothing for rte_pktmbuf_prefree_seg().
			 */
			desc[id].next = head;
			head = id;
			freed++;
		}
		if (unlikely(m->pool != pool || nb_done == VMMIO_RECLAIM_CHUNK)) {
			if (nb_done > 0)
				rte_mempool_put_bulk(pool, (void **)done, nb_done);
			nb_done = 0;
			pool = m->pool;
		}
		done[nb_done++] = m;
	}
	vq->free_head = head;
	vq->nb_free += freed;
	if (packed)
		n = i;	/* used buffers found */
	vq->used_cons = packed ? pos : cons + n;
	if (n > 0)
		vq->stall_polls = 0;
	vmmio_vq_keep_intr_off(vq);	/* TX never wants interrupts */
	if (nb_done > 0)
		rte_mempool_put_bulk(pool, (void **)done, nb_done);
	return n - bad;
}

uint16_t
vmmio_txq_reclaim(struct vmmio_txq *txq)
{
	const bool fast = (txq->ofl & VMMIO_OFL_TX_FAST_FREE) != 0;

	if (txq->vq.packed)
		return fast ? tx_reclaim(txq, true, true) :
			tx_reclaim(txq, false, true);
	return fast ? tx_reclaim(txq, true, false) : tx_reclaim(txq, false, false);
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
 * with VERSION_1 or MRG_RXBUF, else 10): inlined stores instead of a libc
 * call for a length only known at run time. Never more than @p len bytes:
 * the headroom before them may hold application data.
 */
static __rte_always_inline void
tx_hdr_store(void *dst, const struct virtio_net_hdr *h, uint16_t len)
{
	if (likely(len == VIRTIO_NET_HDR_LEN_MODERN))
		memcpy(dst, h, VIRTIO_NET_HDR_LEN_MODERN);
	else
		memcpy(dst, h, VIRTIO_NET_HDR_LEN_LEGACY);
}

/*
 * The PMD may write @p hdr_len bytes in front of the data and pass both in
 * one descriptor: one direct segment nobody else references. Reclaim
 * relies on it: a one-descriptor packet needs no rte_pktmbuf_prefree_seg().
 */
static __rte_always_inline bool
tx_headroom_ours(const struct rte_mbuf *m, uint16_t hdr_len)
{
	return RTE_MBUF_DIRECT(m) && m->nb_segs == 1 &&
		rte_mbuf_refcnt_read(m) == 1 && rte_pktmbuf_headroom(m) >= hdr_len;
}

/* Header in the mbuf's own headroom (ANY_LAYOUT): one descriptor per segment. */
static __rte_always_inline bool
tx_can_push(const struct vmmio_txq *txq, const struct rte_mbuf *m)
{
	return txq->any_layout && tx_headroom_ours(m, txq->hdr_len);
}

/*
 * Room for @p need descriptors: reclaim, and when the device holds the
 * whole ring without having asked for it, notify once (bounded recovery).
 */
static bool
tx_make_room(struct vmmio_txq *txq, uint16_t need, uint16_t queued)
{
	struct vmmio_vq *vq = &txq->vq;

	if (vmmio_txq_reclaim(txq) == 0 && queued == 0 &&
	    unlikely(vmmio_vq_stalled(vq)))
		vmmio_notify(txq->hw, vq, &txq->stats.notifies);
	return need <= vq->nb_free;
}

/* IOVA of the header slot buffer ID @p id owns in the queue's header table. */
static inline uint64_t
tx_hdr_iova(const struct vmmio_txq *txq, uint16_t id)
{
	return txq->hdrs_iova + (uint64_t)id * sizeof(struct virtio_net_hdr);
}

/*
 * tx_enqueue_chain() for a packed ring: @p need descriptors in ring order,
 * the buffer ID in each (2.8.6 asks it of the last), VRING_DESC_F_NEXT on
 * all but the last, the first made available after the others (2.8.21.1).
 * Returns the buffer ID; the chain is already exposed.
 */
static __rte_noinline int
tx_enqueue_packed(struct vmmio_txq *txq, struct rte_mbuf *m,
	const struct virtio_net_hdr *oh, bool push, uint16_t need)
{
	struct vmmio_vq *vq = &txq->vq;
	const uint16_t first = vq->avail_idx;
	uint16_t id, k = 0, flags = 0, first_flags = 0;
	struct rte_mbuf *seg;
	uint64_t addr;
	uint32_t len;

	id = vmmio_vq_take(vq, true);
	vq->nb_free -= need - 1;
	if (push) {
		tx_hdr_store(rte_pktmbuf_mtod_offset(m, void *, -(int)txq->hdr_len),
			oh, txq->hdr_len);
		addr = rte_mbuf_data_iova(m) - txq->hdr_len;
		len = m->data_len + txq->hdr_len;
		seg = NULL;
	} else {
		tx_hdr_store(&txq->hdrs[id], oh, txq->hdr_len);
		addr = tx_hdr_iova(txq, id);
		len = txq->hdr_len;
		seg = m;
	}
	for (;;) {
		flags = vmmio_vq_packed_fill(vq, first + k, addr, len, id, 0);
		for (; seg != NULL && seg->data_len == 0; seg = seg->next)
			;	/* a 0-byte descriptor is useless to the device */
		if (seg != NULL)
			flags |= VRING_DESC_F_NEXT;
		if (k == 0)
			first_flags = flags;
		else
			vq->pdesc[(first + k) & vq->mask].flags = flags;
		k++;
		if (seg == NULL)
			break;
		addr = rte_mbuf_data_iova(seg);
		len = seg->data_len;
		seg = seg->next;
	}
	vmmio_vq_packed_expose(vq, first, first_flags);
	vq->avail_idx += need;
	txq->slots[id].kind = need;
	return id;
}

/*
 * A packet of several descriptors (its header, already in the slot of
 * buffer ID @p id taken by the caller, then its segments) as one indirect
 * descriptor (2.7.5.3, 2.8.19): the entries go in the table @p id owns,
 * device-readable; split entries chain through next with
 * VRING_DESC_F_NEXT on all but the last, packed ones follow each other
 * (2.8.19: no NEXT, no buffer ID there). The ring descriptor carries
 * VRING_DESC_F_INDIRECT alone (2.7.5.3.1, 2.8.20: never with NEXT).
 * Returns the buffer ID (split: not yet in the avail ring; packed: exposed).
 */
static __rte_noinline int
tx_enqueue_indirect(struct vmmio_txq *txq, struct rte_mbuf *m, uint16_t id,
	bool packed)
{
	const size_t tbl_len = VMMIO_TX_INDIRECT_MAX * sizeof(struct vring_desc);
	struct vmmio_vq *vq = &txq->vq;
	struct vring_desc *sd = RTE_PTR_ADD(txq->ind, (size_t)id * tbl_len);
	struct vring_packed_desc *pd = (struct vring_packed_desc *)sd;
	uint64_t tbl = txq->ind_iova + (uint64_t)id * tbl_len;
	uint64_t addr = tx_hdr_iova(txq, id);
	uint32_t len = txq->hdr_len;
	struct rte_mbuf *seg = m;
	uint16_t k = 0, flags;

	for (;;) {
		if (packed) {
			pd[k].addr = addr;
			pd[k].len = len;
			pd[k].id = 0;
			pd[k].flags = 0;
		} else {
			sd[k].addr = addr;
			sd[k].len = len;
			sd[k].flags = VRING_DESC_F_NEXT;
			sd[k].next = k + 1;
		}
		k++;
		for (; seg != NULL && seg->data_len == 0; seg = seg->next)
			;	/* a 0-byte descriptor is useless to the device */
		if (seg == NULL)
			break;
		addr = rte_mbuf_data_iova(seg);
		len = seg->data_len;
		seg = seg->next;
	}
	if (packed) {
		flags = vmmio_vq_packed_fill(vq, vq->avail_idx, tbl,
			k * sizeof(*pd), id, VRING_DESC_F_INDIRECT);
		vmmio_vq_packed_expose(vq, vq->avail_idx, flags);
		vq->avail_idx++;
	} else {
		sd[k - 1].flags = 0;
		vq->desc[id].addr = tbl;
		vq->desc[id].len = k * sizeof(*sd);
		vq->desc[id].flags = VRING_DESC_F_INDIRECT;
		txq->slots[id].last = id;
	}
	txq->slots[id].kind = 1 | VMMIO_TX_INDIRECT;
	return id;
}

/*
 * The virtio-net header of @p m (5.1.6.2): the offload requests, num_buffers
 * 0. Returns 0, or -EINVAL when the packet was dropped (counted).
 */
static __rte_always_inline int
tx_offload_hdr(struct vmmio_txq *txq, struct rte_mbuf *m,
	struct virtio_net_hdr *oh)
{
	memset(oh, 0, sizeof(*oh));
	if ((m->ol_flags & VMMIO_TX_OL_WORK) &&
	    unlikely(vmmio_tx_offload(oh, m, txq->ofl) < 0)) {
		txq->stats.errors++;
		rte_pktmbuf_free(m);
		return -EINVAL;
	}
	return 0;
}

/*
 * A packet of several descriptors: several segments, or a buffer the PMD
 * may not write in front of, so the header takes its own descriptor from
 * the queue's header table. With VIRTIO_RING_F_INDIRECT_DESC they go in one
 * indirect descriptor (tx_enqueue_indirect) unless a table is too small;
 * otherwise a chain (split: through next, 2.7.5; packed: a list,
 * tx_enqueue_packed). Out of the burst loop: rarer, and its registers would
 * crowd the one-descriptor cases. Returns as tx_enqueue_chain().
 */
static __rte_noinline int
tx_enqueue_multi(struct vmmio_txq *txq, struct rte_mbuf *m, uint16_t queued,
	bool packed)
{
	struct vmmio_vq *vq = &txq->vq;
	uint16_t need = 1 + tx_data_descs(m), ring = need, head, id, prev;
	struct virtio_net_hdr oh;
	struct rte_mbuf *seg;

	if (unlikely(need > vq->size || m->pkt_len == 0)) {
		/* can never fit (more segments than descriptors), or empty */
		txq->stats.errors++;
		rte_pktmbuf_free(m);
		return -EINVAL;
	}
	if (txq->indirect && need <= VMMIO_TX_INDIRECT_MAX)
		ring = 1;
	if (ring > vq->nb_free && !tx_make_room(txq, ring, queued))
		return -ENOSPC;
	if (tx_offload_hdr(txq, m, &oh) < 0)
		return -EINVAL;
	if (ring != need) {
		head = vmmio_vq_get_desc(vq);
		tx_hdr_store(&txq->hdrs[head], &oh, txq->hdr_len);
		return tx_enqueue_indirect(txq, m, head, packed);
	}
	if (packed)
		return tx_enqueue_packed(txq, m, &oh, false, need);
	head = vmmio_vq_take(vq, false);
	tx_hdr_store(&txq->hdrs[head], &oh, txq->hdr_len);
	vq->desc[head].addr = tx_hdr_iova(txq, head);
	vq->desc[head].len = txq->hdr_len;
	vq->desc[head].flags = 0;
	for (prev = head, seg = m; seg != NULL; seg = seg->next) {
		if (seg->data_len == 0)
			continue;	/* a 0-byte descriptor is useless to the device */
		id = vmmio_vq_take(vq, false);
		vq->desc[prev].next = id;
		vq->desc[prev].flags = VRING_DESC_F_NEXT;
		vq->desc[id].addr = rte_mbuf_data_iova(seg);
		vq->desc[id].len = seg->data_len;
		vq->desc[id].flags = 0;
		prev = id;
	}
	txq->slots[head].last = prev;
	txq->slots[head].kind = need;
	return head;
}

/*
 * Descriptors of a packet the plain loop does not take: one descriptor
 * with a header the device must act on (in the headroom, ANY_LAYOUT), or
 * several (tx_enqueue_multi). Returns the packet's head descriptor or
 * buffer ID (packed: already exposed), -ENOSPC if the ring is full (the
 * caller keeps the packet) or -EINVAL if the packet was dropped.
 */
static __rte_always_inline int
tx_enqueue_chain(struct vmmio_txq *txq, struct rte_mbuf *m, uint16_t queued,
	const bool packed)
{
	struct vmmio_vq *vq = &txq->vq;
	struct virtio_net_hdr oh;
	uint16_t head;

	if (!tx_can_push(txq, m))
		return tx_enqueue_multi(txq, m, queued, packed);
	if (unlikely(m->pkt_len == 0)) {
		txq->stats.errors++;
		rte_pktmbuf_free(m);
		return -EINVAL;
	}
	if (vq->nb_free == 0 && !tx_make_room(txq, 1, queued))
		return -ENOSPC;
	if (tx_offload_hdr(txq, m, &oh) < 0)
		return -EINVAL;
	if (packed)
		return tx_enqueue_packed(txq, m, &oh, true, 1);
	head = vmmio_vq_take(vq, false);
	tx_hdr_store(rte_pktmbuf_mtod_offset(m, void *, -(int)txq->hdr_len),
		&oh, txq->hdr_len);
	vq->desc[head].addr = rte_mbuf_data_iova(m) - txq->hdr_len;
	vq->desc[head].len = m->data_len + txq->hdr_len;
	vq->desc[head].flags = 0;
	txq->slots[head].kind = VMMIO_TX_PLAIN;
	return head;
}

/*
 * The common packet in one descriptor (2.7.4, 5.1.6.2 with ANY_LAYOUT or
 * VERSION_1): one direct, unshared, non-empty segment asking nothing of the
 * device, with room in front of it for the header.
 */
static __rte_always_inline bool
tx_is_plain(const struct rte_mbuf *m, uint16_t hdr_len)
{
	/* the ol_flags tests side by side, so the compiler can make them one */
	return !(m->ol_flags & VMMIO_TX_OL_WORK) && tx_headroom_ours(m, hdr_len) &&
		m->data_len != 0;
}

/*
 * Queue plain packets from @p pkts until one is not, or @p n are queued
 * (the caller checked that the first is plain and that @p n >= 1
 * descriptors are free). The header, all zero, goes in the headroom in
 * front of the frame; the mbuf itself is left as it is. Ring state in
 * locals: stores through an mbuf cannot alias it. Returns packets queued.
 */
static __rte_always_inline uint16_t
tx_plain(struct vmmio_txq *txq, struct rte_mbuf **pkts, uint16_t n,
	uint64_t *bytes, const uint16_t hdr_len, const bool packed)
{
	struct vmmio_vq *vq = &txq->vq;
	struct vring_desc *desc = vq->desc;
	struct vring_packed_desc *pdesc = vq->pdesc, *d;
	uint16_t *id_next = vq->id_next;
	struct vmmio_tx_slot *slots = txq->slots;
	uint16_t *ring = vq->avail->ring;
	uint64_t *bins = txq->stats.size_bins;
	const unsigned int mask = vq->mask, size = vq->size;
	unsigned int i, id, head = vq->free_head, idx = vq->avail_idx;
	const unsigned int first = idx;
	uint16_t flags, first_flags = 0;
	uint32_t len, pkt_len;
	uint64_t addr;
	void *hdr;
	struct rte_mbuf *m;
	uint64_t b = 0;

	i = 0;
	do {
		m = pkts[i];
		/* every mbuf field read before the header store, which may alias them */
		addr = rte_mbuf_data_iova(m) - hdr_len;
		len = m->data_len + hdr_len;
		pkt_len = m->pkt_len;
		hdr = rte_pktmbuf_mtod_offset(m, void *, -(int)hdr_len);
		id = head;
		if (packed) {
			head = id_next[id];
			d = &pdesc[idx & mask];
			d->addr = addr;
			d->len = len;
			d->id = id;
			flags = vmmio_vq_avail_flags(size, idx);
			if (idx == first)
				first_flags = flags;	/* stored last, below */
			else
				d->flags = flags;
			idx++;
		} else {
			head = desc[id].next;
			desc[id].addr = addr;
			desc[id].len = len;
			desc[id].flags = 0;
			ring[idx++ & mask] = id;
		}
		slots[id].m = m;
		slots[id].kind = VMMIO_TX_PLAIN;
		b += pkt_len;
		bins[vmmio_size_bin(pkt_len)]++;
		memset(hdr, 0, hdr_len);
	} while (++i < n && likely(tx_is_plain(pkts[i], hdr_len)));
	vq->free_head = head;
	vq->nb_free -= i;
	vq->avail_idx = idx;
	if (packed)
		vmmio_vq_packed_expose(vq, first, first_flags);
	*bytes += b;
	return i;
}

/*
 * The header length as a constant (two stores), and a function of its own:
 * the loop gets every register rather than sharing them with the burst.
 */
static __rte_noinline uint16_t
tx_plain_modern(struct vmmio_txq *txq, struct rte_mbuf **pkts, uint16_t n,
	uint64_t *bytes)
{
	return tx_plain(txq, pkts, n, bytes, VIRTIO_NET_HDR_LEN_MODERN, false);
}

static __rte_noinline uint16_t
tx_plain_legacy(struct vmmio_txq *txq, struct rte_mbuf **pkts, uint16_t n,
	uint64_t *bytes)
{
	return tx_plain(txq, pkts, n, bytes, VIRTIO_NET_HDR_LEN_LEGACY, false);
}

/* Packed rings exist only on modern devices: the 12-byte header. */
static __rte_noinline uint16_t
tx_plain_packed(struct vmmio_txq *txq, struct rte_mbuf **pkts, uint16_t n,
	uint64_t *bytes)
{
	return tx_plain(txq, pkts, n, bytes, VIRTIO_NET_HDR_LEN_MODERN, true);
}

static __rte_always_inline uint16_t
tx_burst(struct vmmio_txq *txq, struct rte_mbuf **tx_pkts, uint16_t nb_pkts,
	const bool packed)
{
	struct vmmio_vq *vq = &txq->vq;
	uint16_t n, nb_tx = 0, queued = 0;
	uint64_t bytes = 0;
	struct rte_mbuf *m;
	int head;

	if (vq->nb_free < txq->free_thresh)
		vmmio_txq_reclaim(txq);
	while (nb_tx < nb_pkts) {
		/* Plain packets while the ring has room; others one at a time. */
		m = tx_pkts[nb_tx];
		if (txq->any_layout && vq->nb_free > 0 &&
		    tx_is_plain(m, txq->hdr_len)) {
			n = RTE_MIN(nb_pkts - nb_tx, vq->nb_free);
			n = packed ? tx_plain_packed(txq, tx_pkts + nb_tx, n, &bytes) :
				txq->hdr_len == VIRTIO_NET_HDR_LEN_MODERN ?
				tx_plain_modern(txq, tx_pkts + nb_tx, n, &bytes) :
				tx_plain_legacy(txq, tx_pkts + nb_tx, n, &bytes);
			nb_tx += n;
			queued += n;
			continue;
		}
		/* anything else, and a plain packet when the ring is full */
		head = tx_enqueue_chain(txq, m, queued, packed);
		if (head == -ENOSPC)
			break;	/* ring full: the caller keeps the rest */
		nb_tx++;
		if (head < 0)
			continue;	/* dropped, counted in errors */
		bytes += m->pkt_len;
		txq->stats.size_bins[vmmio_size_bin(m->pkt_len)]++;
		txq->slots[head].m = m;
		if (!packed)
			vmmio_vq_push_avail(vq, head);
		queued++;
	}
	if (queued == 0)
		return nb_tx;
	txq->stats.packets += queued;
	txq->stats.bytes += bytes;
	if (!packed)
		vmmio_vq_publish(vq);
	if (vmmio_vq_need_notify(vq))
		vmmio_notify(txq->hw, vq, &txq->stats.notifies);
	return nb_tx;
}

uint16_t
vmmio_xmit_pkts(void *queue, struct rte_mbuf **tx_pkts, uint16_t nb_pkts)
{
	return tx_burst(queue, tx_pkts, nb_pkts, false);
}

uint16_t
vmmio_xmit_pkts_packed(void *queue, struct rte_mbuf **tx_pkts, uint16_t nb_pkts)
{
	return tx_burst(queue, tx_pkts, nb_pkts, true);
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

uint16_t
vmmio_xmit_prep(void *queue, struct rte_mbuf **tx_pkts, uint16_t nb_pkts)
{
	const struct vmmio_txq *txq = queue;

	return vmmio_tx_prepare(tx_pkts, nb_pkts, txq->ofl);
}
