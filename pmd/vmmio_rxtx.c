/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Busy-poll datapath over split and packed virtqueues (virtio 1.2 sections
 * 2.7.13 and 2.7.14, 2.8.21 for the driver side of the rings, 5.1.6 for
 * virtio-net's use). Every register access is a potential 20-30 us system
 * call (pread backend), so each burst notifies at most once.
 *
 * One source for both layouts: the loops that touch the rings per packet
 * take the layout as a constant (@c packed) and are compiled once for each,
 * so a split ring pays nothing for the packed one; the rest (checks, error
 * paths, offloads, counters) is shared.
 */
#include <errno.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>

#include "vmmio_notify.h"
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

/*
 * Packed: used descriptors ready at the driver's position, one per buffer
 * (receive buffers are one descriptor each), at most as many as the device
 * holds: the descriptors after those are not the device's to mark.
 */
static inline uint16_t
vq_packed_harvestable(struct vmmio_vq *vq)
{
	uint16_t n = 0, held = vq->size - vq->nb_free;

	while (n < held && vmmio_vq_packed_used(vq, vq->used_cons + n) != NULL)
		n++;
	return n;
}

/*
 * Post fresh mbufs on every free descriptor, publish once and notify if the
 * device asks for it. @p may_notify is false before DRIVER_OK: the driver
 * must not notify a device that is not live yet (spec 3.1.1).
 * The mbufs come raw from the pool, whose invariants already give refcnt 1,
 * one segment and no next; only what their last owner may have moved is set
 * here, and rx_init() writes the fields of a received packet.
 */
static __rte_always_inline void
rxq_refill_ring(struct vmmio_rxq *rxq, bool may_notify, const bool packed)
{
	struct rte_mbuf *mbufs[VMMIO_REFILL_CHUNK];
	struct vmmio_vq *vq = &rxq->vq;
	struct vring_desc *desc = vq->desc;
	struct vring_packed_desc *pdesc = vq->pdesc, *d;
	uint16_t *id_next = vq->id_next;
	uint16_t *ring = vq->avail->ring;
	const unsigned int mask = vq->mask, size = vq->size;
	const uint16_t port = rxq->port_id;
	const uint32_t buf_len = rxq->buf_len;
	const uint64_t hdr_len = rxq->hdr_len;
	unsigned int n, i, id, head = vq->free_head, idx = vq->avail_idx;
	const unsigned int first = idx;
	uint16_t flags, first_flags = 0;
	struct rte_mbuf *m;

	/* Ring state in locals: no store through an mbuf can alias it. */
	while (vq->nb_free > 0) {
		n = RTE_MIN(vq->nb_free, VMMIO_REFILL_CHUNK);
		if (unlikely(rte_mempool_get_bulk(rxq->mp, (void **)mbufs, n) != 0)) {
			*rxq->alloc_failed += n;
			rxq->stats.nombuf += n;
			break;
		}
		for (i = 0; i < n; i++) {
			m = mbufs[i];
			m->data_off = RTE_PKTMBUF_HEADROOM;
			m->port = port;
			id = head;
			rxq->sw_ring[id] = m;
			if (packed) {
				/* 2.8.21.1; the first flags go last, below */
				head = id_next[id];
				d = &pdesc[idx & mask];
				d->addr = rte_mbuf_data_iova_default(m) - hdr_len;
				d->len = buf_len;
				d->id = id;
				flags = VRING_DESC_F_WRITE |
					vmmio_vq_avail_flags(size, idx);
				if (idx == first)
					first_flags = flags;
				else
					d->flags = flags;
				idx++;
				continue;
			}
			head = desc[id].next;
			/* Header in the headroom: the frame lands at data_off. */
			desc[id].addr = rte_mbuf_data_iova_default(m) - hdr_len;
			desc[id].len = buf_len;
			desc[id].flags = VRING_DESC_F_WRITE;
			ring[idx++ & mask] = id;
		}
		vq->nb_free -= n;
	}
	if (idx == first)
		return;
	vq->free_head = head;
	vq->avail_idx = idx;
	if (packed)
		vmmio_vq_packed_expose(vq, first, first_flags);
	else
		vmmio_vq_publish(vq);
	if (may_notify && vmmio_vq_need_notify(vq))
		vmmio_notify(rxq->hw, vq, &rxq->stats.notifies);
}

static void
rxq_refill(struct vmmio_rxq *rxq, bool may_notify)
{
	if (rxq->vq.packed)
		rxq_refill_ring(rxq, may_notify, true);
	else
		rxq_refill_ring(rxq, may_notify, false);
}

/*
 * The fields of a received packet that rte_pktmbuf_reset() would have
 * cleared (rxq_refill takes raw mbufs), and its length. vlan_tci_outer and
 * the tx_offload lengths mean something only with flags this clears.
 */
static __rte_always_inline void
rx_init(const struct vmmio_rxq *rxq, struct rte_mbuf *m, uint16_t len)
{
	m->ol_flags = rxq->ol_flags_init;
	m->packet_type = RTE_PTYPE_UNKNOWN;
	m->pkt_len = len;
	m->data_len = len;
	m->vlan_tci = 0;
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

/*
 * Buffer ID and length of the @p i-th used entry after the driver's
 * position: the used ring (split), or the descriptor ring at position
 * used_cons + i (packed: receive buffers take one descriptor each).
 */
static inline void
rx_used(const struct vmmio_vq *vq, uint16_t i, uint32_t *id, uint32_t *len)
{
	uint16_t k = (uint16_t)(vq->used_cons + i) & vq->mask;

	if (vq->packed) {
		*id = vq->pdesc[k].id;
		*len = vq->pdesc[k].len;
	} else {
		*id = vq->used->ring[k].id;
		*len = vq->used->ring[k].len;
	}
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
	struct rte_mbuf *seg, *last = m;
	uint32_t id, len;
	uint16_t k;
	bool ok = true;

	for (k = 1; k < nb; k++) {
		rx_used(&rxq->vq, i + k, &id, &len);
		seg = rx_take(rxq, id);
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
	uint32_t id, len;
	uint16_t k;

	for (k = 0; k < n; k++) {
		rx_used(&rxq->vq, i + k, &id, &len);
		rte_pktmbuf_free(rx_take(rxq, id));
	}
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

/* After a burst: refill in chunks, keep used_event ahead while polling. */
static __rte_always_inline void
rx_burst_end(struct vmmio_rxq *rxq)
{
	struct vmmio_vq *vq = &rxq->vq;

	/* Batch refills: one publish (and at most one notify) per chunk of work. */
	if (vq->nb_free >= RTE_MIN(VMMIO_REFILL_CHUNK / 2, vq->size / 4))
		rxq_refill(rxq, true);
	/* Busy-poll: keep used_event ahead (an armed queue's owner re-arms). */
	if (!rxq->intr.armed)
		vmmio_vq_keep_intr_off(vq);
}

/*
 * Harvest the used ring with every check and error rule of 5.1.6.4: the
 * scattered path, and the single-buffer paths' fallback at an entry their
 * tight loop does not take. @p count: bump the packet counters here (the
 * busy-poll path); the interrupt path counts only what its software ring
 * took (rx_count), so no counter is ever bumped and then taken back.
 */
static uint16_t
rx_harvest(struct vmmio_rxq *rxq, struct rte_mbuf **rx_pkts, uint16_t nb_pkts,
	bool count)
{
	struct vmmio_vq *vq = &rxq->vq;
	struct rte_mbuf *m;
	uint16_t avail, nb, i = 0, nb_rx = 0;
	uint32_t id, len;
	uint64_t bytes = 0;
	bool ok, bad;

	avail = vq->packed ? vq_packed_harvestable(vq) :
		vq_harvestable(vq, &rxq->stats.errors);
	if (avail != 0)
		vq->stall_polls = 0;
	else if (unlikely(vmmio_vq_stalled(vq)))
		/* a device that never asks for its buffers: bounded recovery */
		vmmio_notify(rxq->hw, vq, &rxq->stats.notifies);
	while (i < avail && nb_rx < nb_pkts) {
		rx_used(vq, i, &id, &len);
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
		rx_init(rxq, m, bad ? 0 : (uint16_t)(len - rxq->hdr_len));
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
	rx_burst_end(rxq);
	return nb_rx;
}

/*
 * The single-buffer paths (no RTE_ETH_RX_OFFLOAD_SCATTER): a tight loop over
 * the entries every correct device produces here, a posted buffer holding
 * a header and a frame, num_buffers 1 with MRG_RXBUF (the queue's buffers
 * hold a whole frame). The ring state lives in locals: stores through an
 * mbuf cannot alias it. At the first other entry rx_harvest() takes over
 * with every check. @p parse: the header becomes offload flags and
 * packet_type (vmmio_rx_offload), else it is not read at all. @p packed:
 * the entries are used descriptors in the ring (2.8.21.2), not used ring
 * elements counted by used->idx.
 */
static __rte_always_inline uint16_t
rx_single(struct vmmio_rxq *rxq, struct rte_mbuf **rx_pkts, uint16_t nb_pkts,
	bool count, const bool parse, const bool packed)
{
	struct vmmio_vq *vq = &rxq->vq;
	const struct vring_used_elem *used = vq->used->ring;
	const struct vring_packed_desc *pdesc = vq->pdesc, *d;
	struct rte_mbuf **sw_ring = rxq->sw_ring;
	struct vring_desc *desc = vq->desc;
	uint16_t *id_next = vq->id_next;
	const unsigned int mask = vq->mask, size = vq->size;
	const uint32_t hdr_len = rxq->hdr_len, frame_max = rxq->buf_len - hdr_len;
	const bool mrg = (rxq->ofl & VMMIO_OFL_RX_MRG) != 0;
	unsigned int i, n, id, cons, head = vq->free_head;
	const struct vring_used_elem *e;
	uint16_t nb_rx = 0;
	uint64_t bytes = 0;
	struct rte_mbuf *m;
	uint32_t len;

	if (packed) {
		/* the loop stops at the first unused descriptor, or past what
		 * the device holds (never read: vq_packed_harvestable) */
		n = RTE_MIN(nb_pkts, (unsigned int)(size - vq->nb_free));
	} else {
		n = vq_harvestable(vq, &rxq->stats.errors);
		if (n != 0)
			vq->stall_polls = 0;
		else if (unlikely(vmmio_vq_stalled(vq)))
			/* a device that never asks for its buffers: bounded recovery */
			vmmio_notify(rxq->hw, vq, &rxq->stats.notifies);
		n = RTE_MIN(n, nb_pkts);
	}
	cons = vq->used_cons;	/* after vq_harvestable, which may skip a jump */
	for (i = 0; i < n; i++) {
		if (packed) {
			d = &pdesc[(cons + i) & mask];
			if (!vmmio_vq_flags_used(__atomic_load_n(&d->flags,
			    __ATOMIC_ACQUIRE), size, (uint16_t)(cons + i))) {
				n = i;
				break;
			}
			id = d->id;
			len = d->len - hdr_len;
		} else {
			e = &used[(cons + i) & mask];
			id = e->id;
			len = e->len - hdr_len;
		}
		if (unlikely(id >= size))
			break;
		m = sw_ring[id];
		/* len - 1 wraps for an empty frame or an entry shorter than a header */
		if (unlikely(m == NULL || len - 1 >= frame_max ||
		    (mrg && rx_hdr(rxq, m)->num_buffers != 1)))
			break;
		sw_ring[id] = NULL;
		if (packed)
			id_next[id] = head;
		else
			desc[id].next = head;
		head = id;
		rx_init(rxq, m, (uint16_t)len);
		if (parse &&
		    unlikely(vmmio_rx_offload(m, rx_hdr(rxq, m), rxq->ofl) < 0)) {
			rxq->stats.errors++;
			rte_pktmbuf_free(m);
			continue;
		}
		rte_prefetch0(rte_pktmbuf_mtod(m, void *));
		if (count) {
			bytes += len;
			rxq->stats.size_bins[vmmio_size_bin(len)]++;
		}
		rx_pkts[nb_rx++] = m;
	}
	vq->free_head = head;
	vq->nb_free += i;
	vq->used_cons = cons + i;
	if (packed) {
		if (i != 0)
			vq->stall_polls = 0;
		else if (unlikely(vmmio_vq_stalled(vq)))
			vmmio_notify(rxq->hw, vq, &rxq->stats.notifies);
	}
	if (count) {
		rxq->stats.packets += nb_rx;
		rxq->stats.bytes += bytes;
	}
	if (unlikely(i < n))
		return nb_rx + rx_harvest(rxq, rx_pkts + nb_rx, nb_pkts - nb_rx, count);
	rx_burst_end(rxq);
	return nb_rx;
}

uint16_t
vmmio_recv_pkts(void *queue, struct rte_mbuf **rx_pkts, uint16_t nb_pkts)
{
	return rx_single(queue, rx_pkts, nb_pkts, true, false, false);
}

uint16_t
vmmio_recv_pkts_offload(void *queue, struct rte_mbuf **rx_pkts, uint16_t nb_pkts)
{
	return rx_single(queue, rx_pkts, nb_pkts, true, true, false);
}

uint16_t
vmmio_recv_pkts_packed(void *queue, struct rte_mbuf **rx_pkts, uint16_t nb_pkts)
{
	return rx_single(queue, rx_pkts, nb_pkts, true, false, true);
}

uint16_t
vmmio_recv_pkts_offload_packed(void *queue, struct rte_mbuf **rx_pkts,
	uint16_t nb_pkts)
{
	return rx_single(queue, rx_pkts, nb_pkts, true, true, true);
}

uint16_t
vmmio_recv_pkts_scattered(void *queue, struct rte_mbuf **rx_pkts, uint16_t nb_pkts)
{
	return rx_harvest(queue, rx_pkts, nb_pkts, true);
}

/*
 * Receive paths, chosen when the port starts from what was negotiated and
 * enabled, so that a packet pays only for that.
 */
enum rx_path {
	RX_PATH_PLAIN,		/* one buffer per packet, header not read */
	RX_PATH_OFFLOAD,	/* one buffer, header parsed (vmmio_rx_offload) */
	RX_PATH_SCATTER,	/* MRG_RXBUF chains (rx_harvest) */
};

static enum rx_path
rx_path_of(uint32_t ofl)
{
	if (ofl & VMMIO_OFL_RX_SCATTER)
		return RX_PATH_SCATTER;
	if (ofl & (VMMIO_OFL_RX_CSUM | VMMIO_OFL_RX_PTYPE))
		return RX_PATH_OFFLOAD;
	return RX_PATH_PLAIN;
}

eth_rx_burst_t
vmmio_rx_burst_select(uint32_t ofl, bool packed, const char **name)
{
	static const struct {
		eth_rx_burst_t fn[2];	/* split, packed */
		const char *name;
	} paths[] = {
		[RX_PATH_PLAIN] = {
			{ vmmio_recv_pkts, vmmio_recv_pkts_packed }, "plain" },
		[RX_PATH_OFFLOAD] = {
			{ vmmio_recv_pkts_offload, vmmio_recv_pkts_offload_packed },
			"offload" },
		/* rx_harvest reads either layout */
		[RX_PATH_SCATTER] = {
			{ vmmio_recv_pkts_scattered, vmmio_recv_pkts_scattered },
			"scattered" },
	};
	enum rx_path path = rx_path_of(ofl);

	if (name != NULL)
		*name = paths[path].name;
	return paths[path].fn[packed];
}

uint16_t
vmmio_rxq_harvest(struct vmmio_rxq *rxq, struct rte_mbuf **rx_pkts,
	uint16_t nb_pkts, bool count)
{
	const bool packed = rxq->vq.packed;

	switch (rx_path_of(rxq->ofl)) {
	case RX_PATH_PLAIN:
		return packed ? rx_single(rxq, rx_pkts, nb_pkts, count, false, true) :
			rx_single(rxq, rx_pkts, nb_pkts, count, false, false);
	case RX_PATH_OFFLOAD:
		return packed ? rx_single(rxq, rx_pkts, nb_pkts, count, true, true) :
			rx_single(rxq, rx_pkts, nb_pkts, count, true, false);
	default:
		return rx_harvest(rxq, rx_pkts, nb_pkts, count);
	}
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
		vmmio_notify(rxq->hw, vq, &rxq->stats.notifies);
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
		vq_harvestable(vq, &txq->stats.errors);
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
