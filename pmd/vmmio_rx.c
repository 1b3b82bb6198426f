/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Busy-poll receive over split and packed virtqueues (virtio 1.2 sections
 * 2.7.13 and 2.7.14, 2.8.21 for the driver side of the rings, 5.1.6.3 and
 * 5.1.6.4 for virtio-net's receive buffers). Every register access is a
 * potential 20-30 us system call (pread backend), so each burst notifies
 * at most once.
 *
 * One source for both layouts: the loops that touch the ring per packet
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
		vmmio_vq_harvestable(vq, &rxq->stats.errors);
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
		n = vmmio_vq_harvestable(vq, &rxq->stats.errors);
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
