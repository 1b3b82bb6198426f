/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Checksum and segmentation offloads: which virtio-net feature bits
 * (virtio 1.2 section 5.1.3) serve which ethdev offload flags, and the
 * mapping between the virtio-net header (5.1.6) and the mbuf's ol_flags,
 * l2_len/l3_len/l4_len and tso_segsz, on transmit (5.1.6.2) and receive
 * (5.1.6.4).
 */
#ifndef VMMIO_OFFLOAD_H
#define VMMIO_OFFLOAD_H

#include <stddef.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "virtio_mmio_spec.h"

/*
 * Per-queue offload switches (vmmio_rxq.ofl / vmmio_txq.ofl), fixed at
 * dev_start from the negotiated features and the port's configuration.
 */
/** RX: VIRTIO_NET_F_GUEST_CSUM negotiated, header flags are meaningful. */
#define VMMIO_OFL_RX_CSUM	(1u << 0)
/** RX: VIRTIO_NET_F_GUEST_TSO4 negotiated (LRO of TCP over IPv4). */
#define VMMIO_OFL_RX_TSO4	(1u << 1)
/** RX: VIRTIO_NET_F_GUEST_TSO6 negotiated. */
#define VMMIO_OFL_RX_TSO6	(1u << 2)
/** RX: VIRTIO_NET_F_MRG_RXBUF negotiated, num_buffers is meaningful. */
#define VMMIO_OFL_RX_MRG	(1u << 3)
/** RX: the application takes multi-segment mbufs (SCATTER or TCP_LRO). */
#define VMMIO_OFL_RX_SCATTER	(1u << 4)
/** RX: packet_type of every packet (ethdev's default; rte_eth_dev_set_ptypes 0 clears). */
#define VMMIO_OFL_RX_PTYPE	(1u << 5)
/**
 * RX: complete NEEDS_CSUM TCP checksums in software: the port does not
 * offer RTE_ETH_TX_OFFLOAD_TCP_CKSUM to the application, which would then
 * forward the partial checksum unfinished.
 */
#define VMMIO_OFL_RX_FINISH_TCP	(1u << 6)
/** RX: likewise for UDP (RTE_ETH_TX_OFFLOAD_UDP_CKSUM not enabled). */
#define VMMIO_OFL_RX_FINISH_UDP	(1u << 7)
/** TX: VIRTIO_NET_F_CSUM negotiated and checksum offload enabled. */
#define VMMIO_OFL_TX_CSUM	(1u << 8)
/** TX: VIRTIO_NET_F_HOST_TSO4 negotiated and TCP_TSO enabled. */
#define VMMIO_OFL_TX_TSO4	(1u << 9)
/** TX: VIRTIO_NET_F_HOST_TSO6 negotiated and TCP_TSO enabled. */
#define VMMIO_OFL_TX_TSO6	(1u << 10)
/** RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE: one pool, refcnt 1 (application's promise) */
#define VMMIO_OFL_TX_FAST_FREE	(1u << 11)

/** Transmit ol_flags the PMD can act on (anything else is refused by prepare). */
#define VMMIO_TX_OL_SUPPORTED (RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IPV6 | \
	RTE_MBUF_F_TX_TCP_CKSUM | RTE_MBUF_F_TX_UDP_CKSUM | RTE_MBUF_F_TX_TCP_SEG)

/** Transmit ol_flags that ask for work in the virtio-net header. */
#define VMMIO_TX_OL_WORK (RTE_MBUF_F_TX_L4_MASK | RTE_MBUF_F_TX_TCP_SEG)

/**
 * ethdev offload capabilities of a device offering @p device_features.
 *
 * RX: TCP/UDP_CKSUM with GUEST_CSUM; TCP_LRO with GUEST_CSUM, GUEST_TSO4 or
 * GUEST_TSO6 and MRG_RXBUF (a GSO frame must be able to span buffers);
 * SCATTER with MRG_RXBUF. TX: MULTI_SEGS always; TCP/UDP_CKSUM with CSUM;
 * TCP_TSO with CSUM and HOST_TSO4 or HOST_TSO6 (5.1.3.1: the TSO bits
 * require the checksum bits).
 *
 * @param device_features
 *   Feature bits offered by the device.
 * @param[out] rx_capa
 *   RTE_ETH_RX_OFFLOAD_* bits.
 * @param[out] tx_capa
 *   RTE_ETH_TX_OFFLOAD_* bits.
 */
void vmmio_offload_capa(uint64_t device_features, uint64_t *rx_capa,
	uint64_t *tx_capa);

/**
 * Feature bits to negotiate for the offloads an application enabled.
 *
 * @param rx_offloads
 *   RTE_ETH_RX_OFFLOAD_* bits of the port configuration.
 * @param tx_offloads
 *   RTE_ETH_TX_OFFLOAD_* bits of the port configuration.
 * @return
 *   VIRTIO_BIT() mask (the caller intersects it with the offer).
 */
uint64_t vmmio_offload_features(uint64_t rx_offloads, uint64_t tx_offloads);

/**
 * Fill the offload fields of a transmit header from @p m (5.1.6.2):
 * NEEDS_CSUM with csum_start = l2_len + l3_len and csum_offset of the TCP
 * or UDP checksum field; for TCP_SEG also gso_type TCPV4/TCPV6, gso_size =
 * tso_segsz and hdr_len = l2_len + l3_len + l4_len. For TSO the pseudo-header
 * checksum DPDK asks applications to store (without the length, see
 * rte_net_intel_cksum_prepare) is completed with the TCP length in the
 * packet, because the device expects the length included (5.1.6.2: "set to
 * the sum of the TCP pseudo header").
 *
 * @param[out] h
 *   Zeroed header to fill (num_buffers stays 0, 5.1.6.2.1).
 * @param m
 *   Packet; its first segment must hold the L2-L4 headers. Modified for TSO.
 * @param ofl
 *   VMMIO_OFL_TX_* switches of the queue.
 * @return
 *   0; -ENOTSUP if the packet asks for an offload the queue does not have;
 *   -EINVAL if its lengths or tso_segsz are inconsistent.
 */
int vmmio_tx_offload(struct virtio_net_hdr *h, struct rte_mbuf *m,
	uint32_t ofl);

/**
 * Translate a receive header into mbuf offload fields (5.1.6.4).
 *
 * No flags and no GSO (or no VMMIO_OFL_RX_CSUM): only packet_type, with
 * VMMIO_OFL_RX_PTYPE (L4 checksum unknown). Otherwise the headers are parsed
 * with rte_net_get_ptype() (packet_type, l2/l3/l4_len). NEEDS_CSUM on TCP or
 * UDP whose csum_start/csum_offset name that header's checksum field:
 * RTE_MBUF_F_RX_L4_CKSUM_NONE (data intact, checksum field holds the
 * pseudo-header sum, as DPDK's own virtio PMD reports it) when the port's
 * TX checksum offload can finish it; with VMMIO_OFL_RX_FINISH_TCP/UDP, and
 * on any other packet, the checksum is completed in software and reported
 * GOOD, so no application forwards a partial checksum onto the wire.
 * DATA_VALID alone: RTE_MBUF_F_RX_L4_CKSUM_GOOD. GSO TCPV4/TCPV6 (when
 * negotiated): RTE_MBUF_F_RX_LRO with tso_segsz = gso_size. hdr_len is
 * ignored (5.1.6.4.2: only a hint).
 *
 * @param m
 *   Received packet (possibly multi-segment), ol_flags zero.
 * @param h
 *   Its header as written by the device.
 * @param ofl
 *   VMMIO_OFL_RX_* switches of the queue.
 * @return
 *   0, or -EINVAL if the header breaks the spec (GSO type not negotiated,
 *   gso_size 0, checksum position outside the packet): drop the packet.
 */
int vmmio_rx_offload(struct rte_mbuf *m, const struct virtio_net_hdr *h,
	uint32_t ofl);

/**
 * The packet types vmmio_rx_offload() sets (rte_net_get_ptype() on the
 * outer L2, L3 and L4 headers), for eth_dev_ops.dev_supported_ptypes_get.
 *
 * @param[out] no_of_elements
 *   Number of packet types, without the RTE_PTYPE_UNKNOWN that ends the list.
 * @return
 *   The list, ended by RTE_PTYPE_UNKNOWN (static storage).
 */
const uint32_t *vmmio_rx_ptypes(size_t *no_of_elements);

/**
 * The work of tx_pkt_prepare (rte_eth_tx_prepare contract, vmmio_xmit_prep):
 * check every packet's offload requests against a queue's switches and
 * store the pseudo-header checksums as DPDK defines them
 * (rte_net_intel_cksum_prepare). Touches packet data only.
 *
 * @param pkts
 *   Packets to check, in order.
 * @param nb_pkts
 *   Number of packets in @p pkts.
 * @param ofl
 *   The transmit queue's VMMIO_OFL_TX_* switches.
 * @return
 *   Packets ready; on a shorter count rte_errno is ENOTSUP (offload the
 *   device lacks) or EINVAL (bad lengths or headers not in one segment).
 */
uint16_t vmmio_tx_prepare(struct rte_mbuf **pkts, uint16_t nb_pkts, uint32_t ofl);

#endif /* VMMIO_OFFLOAD_H */
