/* SPDX-License-Identifier: BSD-3-Clause */
/* Receive and transmit queues and their burst functions. */
#ifndef VMMIO_RXTX_H
#define VMMIO_RXTX_H

#include <stdint.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>
#include <rte_spinlock.h>

#include "vmmio_hw.h"
#include "vmmio_vq.h"

/** Frame size buckets (bytes, without CRC), as RFC 2819 etherStats count them. */
enum vmmio_size_bin {
	VMMIO_SIZE_64,		/**< up to 64 */
	VMMIO_SIZE_65_127,
	VMMIO_SIZE_128_255,
	VMMIO_SIZE_256_511,
	VMMIO_SIZE_512_1023,
	VMMIO_SIZE_1024_1518,
	VMMIO_SIZE_1519_MAX,	/**< jumbo and GSO super-frames */
	VMMIO_SIZE_BINS,
};

/** Bucket of a frame of @p len bytes: a compare, a count-leading-zeros, no table. */
static inline unsigned int
vmmio_size_bin(uint32_t len)
{
	if (len <= 64)
		return VMMIO_SIZE_64;
	if (len >= 1519)
		return VMMIO_SIZE_1519_MAX;
	/* 65..127 have 7 significant bits, 128..255 have 8, ... 1024..1518 11 */
	return 32 - __builtin_clz(len) - 6;
}

/** Per-queue counters (read by stats_get from the control thread). */
struct vmmio_queue_stats {
	uint64_t packets;
	uint64_t bytes;
	uint64_t errors;	/**< bad used entries or headers; TX: unsendable packets */
	uint64_t notifies;	/**< QueueNotify writes */
	uint64_t size_bins[VMMIO_SIZE_BINS];	/**< packets per frame size bucket */
	uint64_t nombuf;	/**< RX: mbufs the refill could not allocate */
	/**
	 * RX: used-buffer interrupts taken: services of the armed queue by
	 * the EAL thread (swring), or acknowledged by the lcore (direct)
	 */
	uint64_t interrupts;
};

/**
 * Interrupt state of a receive queue, kept by vmmio_rxintr.c (queue setup
 * initializes it, stats_reset clears the counters). A queue of a port
 * without RX interrupts keeps it zeroed (and efd -1); the busy-poll burst
 * only reads @c armed.
 */
struct vmmio_rxq_intr {
	struct rte_ring *swr;	/**< software ring (swring mode), or NULL */
	rte_spinlock_t lock;	/**< swring: EAL thread against the lcore */
	bool armed;		/**< interrupt asked for (rx_intr_enable) */
	bool direct;		/**< direct mode: the lcore owns the line */
	int efd;		/**< fd the lcore sleeps on (the application's), or -1 */
	int wfd;		/**< eventfd the driver writes to wake it (== efd but in
				 * direct mode with a UIO line), or -1 */
	uint64_t swr_drops;	/**< packets lost because @c swr was full */
	uint64_t wakeups;	/**< eventfd writes by the driver */
};

/**
 * Receive queue: virtio-net receiveq (even queue number, spec 5.1.2).
 * Interrupt mode (vmmio_rxintr.h) adds the state in @c intr.
 */
struct vmmio_rxq {
	struct vmmio_vq vq;
	struct vmmio_hw *hw;
	struct rte_mempool *mp;
	uint64_t *alloc_failed;	/**< &dev->data->rx_mbuf_alloc_failed */
	uint32_t buf_len;	/**< bytes the device may write per buffer */
	uint16_t port_id;
	uint16_t hdr_len;	/**< virtio-net header bytes */
	uint32_t ofl;		/**< VMMIO_OFL_RX_* (vmmio_offload.h), set at start */
	/**
	 * ol_flags of a fresh mbuf of @c mp: RTE_MBUF_F_EXTERNAL for a pool of
	 * pinned external buffers, else 0
	 */
	uint64_t ol_flags_init;
	struct vmmio_queue_stats stats;
	struct vmmio_rxq_intr intr;
	struct vmmio_rxq *kept_next;	/**< released on a failed port (vmmio_adapter) */
	struct rte_mbuf *sw_ring[];	/**< mbuf posted at each descriptor */
};

/** Transmit queue: virtio-net transmitq (odd queue number). */
struct vmmio_tx_slot {
	struct rte_mbuf *m;	/**< packet whose chain starts here, or NULL */
	/**
	 * Ring descriptors of that packet in the low 16 bits (VMMIO_TX_NDESC),
	 * with VMMIO_TX_INDIRECT when they are one indirect descriptor. Exactly
	 * VMMIO_TX_PLAIN only for a packet whose header shares its descriptor
	 * (a direct single segment with refcnt 1): one compare per packet at
	 * reclaim tells that case from every other.
	 */
	uint32_t kind;
	uint16_t last;		/**< the chain's last descriptor (split, kind != PLAIN) */
};

/** vmmio_tx_slot.kind of a one-descriptor packet holding its header. */
#define VMMIO_TX_PLAIN		1u
/** vmmio_tx_slot.kind flag: the packet's descriptor points at a table. */
#define VMMIO_TX_INDIRECT	(1u << 16)
/** Ring descriptors of a vmmio_tx_slot.kind. */
#define VMMIO_TX_NDESC(kind)	((uint16_t)(kind))
/**
 * Entries of the indirect table each transmit buffer ID owns (virtio 1.2
 * 2.7.5.3, 2.8.19): the header and up to 7 segments; a packet with more
 * goes as a chain of ring descriptors.
 */
#define VMMIO_TX_INDIRECT_MAX	8

struct vmmio_txq {
	struct vmmio_vq vq;
	struct vmmio_hw *hw;
	/** one header and one indirect table per descriptor (buffer ID) */
	const struct rte_memzone *hdr_mz;
	struct virtio_net_hdr *hdrs;
	uint64_t hdrs_iova;
	/** VMMIO_TX_INDIRECT_MAX entries per buffer ID, after the headers */
	void *ind;
	uint64_t ind_iova;
	uint16_t port_id;
	uint16_t hdr_len;
	uint16_t free_thresh;	/**< reclaim when fewer descriptors are free */
	bool any_layout;	/**< header may share a descriptor with data */
	/** VIRTIO_RING_F_INDIRECT_DESC: multi-descriptor packets take one */
	bool indirect;
	uint32_t ofl;		/**< VMMIO_OFL_TX_* (vmmio_offload.h), set at start */
	struct vmmio_queue_stats stats;
	struct vmmio_txq *kept_next;	/**< released on a failed port (vmmio_adapter) */
	struct vmmio_tx_slot slots[];
};

/**
 * Receive up to @p nb_pkts packets (rte_eth_rx_burst contract): the plain
 * path, for queues with one buffer per packet and no header to parse (no
 * RX checksum or LRO offload, no packet_type, no RTE_ETH_RX_OFFLOAD_SCATTER).
 *
 * Harvests the used ring in one pass, validates every entry (id in range and
 * posted, length within the buffer; with VIRTIO_NET_F_MRG_RXBUF, spec
 * 5.1.6.4, num_buffers 1). Any other entry hands the rest of the burst to the
 * checks of the scattered path, which drops what is bad (all its mbufs
 * freed, counted in errors). Refills the freed descriptors with raw mbufs
 * from one rte_mempool_get_bulk() per chunk, publishes avail->idx once and
 * notifies only if the device has not suppressed notifications. One lcore
 * per queue (interrupt mode adds a trylock, vmmio_rxintr.h).
 *
 * @return Packets stored in @p rx_pkts.
 */
uint16_t vmmio_recv_pkts(void *rxq, struct rte_mbuf **rx_pkts, uint16_t nb_pkts);

/**
 * vmmio_recv_pkts() for queues that parse the receive header: checksum and
 * LRO flags, packet_type (vmmio_rx_offload). One buffer per packet.
 */
uint16_t vmmio_recv_pkts_offload(void *rxq, struct rte_mbuf **rx_pkts,
	uint16_t nb_pkts);

/** vmmio_recv_pkts() on a packed virtqueue (2.8, VIRTIO_F_RING_PACKED). */
uint16_t vmmio_recv_pkts_packed(void *rxq, struct rte_mbuf **rx_pkts,
	uint16_t nb_pkts);

/** vmmio_recv_pkts_offload() on a packed virtqueue. */
uint16_t vmmio_recv_pkts_offload_packed(void *rxq, struct rte_mbuf **rx_pkts,
	uint16_t nb_pkts);

/**
 * vmmio_recv_pkts() for queues that take multi-segment packets
 * (RTE_ETH_RX_OFFLOAD_SCATTER or TCP_LRO, with MRG_RXBUF): a packet spans
 * num_buffers used entries and becomes a chain of mbufs; one whose entries
 * are not all used yet waits for the next burst. The header is parsed as
 * the offload path does. Either ring layout.
 */
uint16_t vmmio_recv_pkts_scattered(void *rxq, struct rte_mbuf **rx_pkts,
	uint16_t nb_pkts);

/**
 * The receive burst function for queues with offload switches @p ofl
 * (VMMIO_OFL_RX_*, the same on every queue of a port).
 *
 * @param ofl
 *   The queues' switches, as set at dev_start.
 * @param packed
 *   The queues are packed virtqueues (VIRTIO_F_RING_PACKED).
 * @param[out] name
 *   If not NULL: the path's name ("plain", "offload", "scattered"), for
 *   rx_burst_mode_get and logs.
 * @return
 *   vmmio_recv_pkts, vmmio_recv_pkts_offload or vmmio_recv_pkts_scattered.
 */
eth_rx_burst_t vmmio_rx_burst_select(uint32_t ofl, bool packed,
	const char **name);

/**
 * Transmit up to @p nb_pkts packets (rte_eth_tx_burst contract).
 *
 * Reclaims completed chains first; stops at the first packet that does not
 * fit (backpressure: the caller keeps ownership of the rest). A plain packet
 * (one direct segment with refcnt 1 and headroom, no offload request) takes
 * one descriptor, its zeroed header written in front of the frame and the
 * mbuf left unchanged; runs of them go through a tight loop. Offload
 * requests in ol_flags become the virtio-net header (vmmio_tx_offload); a
 * packet asking for an offload the queue lacks is dropped and counted in
 * errors (use rte_eth_tx_prepare to catch it first). Lock-free; one lcore
 * per queue.
 *
 * @return Packets queued; their mbufs now belong to the PMD.
 */
uint16_t vmmio_xmit_pkts(void *txq, struct rte_mbuf **tx_pkts, uint16_t nb_pkts);

/** vmmio_xmit_pkts() on a packed virtqueue (2.8, VIRTIO_F_RING_PACKED). */
uint16_t vmmio_xmit_pkts_packed(void *txq, struct rte_mbuf **tx_pkts,
	uint16_t nb_pkts);

/**
 * tx_pkt_prepare (rte_eth_tx_prepare contract): check every packet's
 * offload requests against what the queue negotiated and store the
 * pseudo-header checksums as DPDK defines them (vmmio_tx_prepare).
 * Lock-free, touches packet data only.
 *
 * @return
 *   Packets ready; on a shorter count rte_errno is ENOTSUP (offload the
 *   device lacks) or EINVAL (bad lengths or headers not in one segment).
 */
uint16_t vmmio_xmit_prep(void *txq, struct rte_mbuf **tx_pkts, uint16_t nb_pkts);

/**
 * Post fresh mbufs on every free RX descriptor (dev_start, before
 * DRIVER_OK: publishes the avail index but never notifies, spec 3.1.1).
 *
 * @return 0, or -ENOMEM if not even one buffer could be posted.
 */
int vmmio_rxq_fill(struct vmmio_rxq *rxq);

/**
 * Harvest at most @p nb_pkts packets from the used ring, as the busy-poll
 * burst does (for the interrupt-mode bursts and service, vmmio_rxintr.c).
 *
 * @param count
 *   Bump the packet counters (false: the caller counts what it keeps,
 *   vmmio_rxq_count).
 * @return Packets stored in @p rx_pkts.
 */
uint16_t vmmio_rxq_harvest(struct vmmio_rxq *rxq, struct rte_mbuf **rx_pkts,
	uint16_t nb_pkts, bool count);

/**
 * Count harvested packets as received (packets, bytes, size bins).
 *
 * @param rxq
 *   Queue the packets came from; its owner thread only.
 * @param pkts
 *   The packets.
 * @param n
 *   Number of packets in @p pkts.
 */
void vmmio_rxq_count(struct vmmio_rxq *rxq, struct rte_mbuf **pkts, uint16_t n);

/**
 * Post fresh mbufs on every free descriptor, publish once, and notify the
 * device if it asks for it (spec 2.7.10: avail_event, or no
 * VRING_USED_F_NO_NOTIFY) or if @p force and some posted buffer was never
 * notified. Mbufs that cannot be allocated count in rx_nombuf.
 *
 * @param rxq
 *   Queue of a started port; its owner thread only.
 * @param force
 *   Notify any buffer the device was not told about (before sleeping).
 */
void vmmio_rxq_refill(struct vmmio_rxq *rxq, bool force);

/**
 * Free every mbuf the RX queue's ring still holds and reset the ring (after
 * device reset; the software ring is vmmio_rxintr_flush's).
 */
void vmmio_rxq_drain(struct vmmio_rxq *rxq);

/** Free every mbuf the TX queue still holds and reset its ring (after device reset). */
void vmmio_txq_drain(struct vmmio_txq *txq);

/** Reclaim descriptors of completed TX chains; returns chains reclaimed. */
uint16_t vmmio_txq_reclaim(struct vmmio_txq *txq);

#endif /* VMMIO_RXTX_H */
