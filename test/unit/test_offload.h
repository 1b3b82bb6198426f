/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the offload tests share (test_offload.c: capabilities, negotiation
 * and transmit; test_offload_rx.c: receive): the device's offload features,
 * frames with correct checksums, mbuf chains, one frame each way through a
 * port (test_offload_common.c).
 */
#ifndef TEST_OFFLOAD_H
#define TEST_OFFLOAD_H

#include <stdbool.h>
#include <stdint.h>

#include "test_common.h"

#define MSS		1448
#define OFFLOAD_FEATURES (VIRTIO_BIT(VIRTIO_NET_F_CSUM) | \
	VIRTIO_BIT(VIRTIO_NET_F_GUEST_CSUM) | \
	VIRTIO_BIT(VIRTIO_NET_F_GUEST_TSO4) | VIRTIO_BIT(VIRTIO_NET_F_GUEST_TSO6) | \
	VIRTIO_BIT(VIRTIO_NET_F_HOST_TSO4) | VIRTIO_BIT(VIRTIO_NET_F_HOST_TSO6) | \
	VIRTIO_BIT(VIRTIO_NET_F_MRG_RXBUF))
#define RX_ALL	(RTE_ETH_RX_OFFLOAD_TCP_CKSUM | RTE_ETH_RX_OFFLOAD_UDP_CKSUM | \
	RTE_ETH_RX_OFFLOAD_TCP_LRO)
#define TX_ALL	(RTE_ETH_TX_OFFLOAD_TCP_CKSUM | RTE_ETH_TX_OFFLOAD_UDP_CKSUM | \
	RTE_ETH_TX_OFFLOAD_TCP_TSO | RTE_ETH_TX_OFFLOAD_MULTI_SEGS)

/** Frames collected from the model, MODEL_TX_LOG_MAX of them (main() allocates). */
extern struct model_frame *offl_frames;
/** Scratch and reference frame of VIRTIO_NET_MAX_GSO_FRAME bytes. */
extern uint8_t offl_out[VIRTIO_NET_MAX_GSO_FRAME];

/**
 * Model options of the current variant offering its base features
 * (MAC, STATUS, and VERSION_1 or ANY_LAYOUT) plus @p extra.
 *
 * @param[out] o
 *   The options.
 * @param extra
 *   Further feature bits (VIRTIO_BIT()) to offer.
 */
void offl_opts(struct model_opts *o, uint64_t extra);

/**
 * Open (create, set up, start) a port on a device offering @p features, with
 * ethdev offloads @p rx and @p tx enabled; every step checked.
 *
 * @param tp
 *   The port.
 * @param features
 *   Feature bits offered on top of the variant's base ones.
 * @param rx
 *   RTE_ETH_RX_OFFLOAD_* flags.
 * @param tx
 *   RTE_ETH_TX_OFFLOAD_* flags.
 * @param data_room
 *   Mbuf data room in bytes; 0 for RTE_MBUF_DEFAULT_BUF_SIZE.
 */
void offl_open(struct test_port *tp, uint64_t features, uint64_t rx,
	uint64_t tx, uint16_t data_room);

/**
 * Build an Ethernet + IPv4/IPv6 + TCP/UDP frame with correct IP and L4
 * checksums.
 *
 * @param buf
 *   Where to build it (large enough for the headers and @p payload).
 * @param v6
 *   IPv6, else IPv4.
 * @param udp
 *   UDP, else TCP.
 * @param payload
 *   L4 payload bytes.
 * @param seq
 *   Varies the MACs, TCP sequence number and payload bytes.
 * @return
 *   Frame length in bytes.
 */
uint32_t offl_build(uint8_t *buf, bool v6, bool udp, uint32_t payload,
	uint32_t seq);

/**
 * Byte offset of the L4 checksum field in a frame made by offl_build().
 *
 * @param v6
 *   IPv6, else IPv4.
 * @param udp
 *   UDP, else TCP.
 * @return
 *   The offset from the start of the frame.
 */
uint32_t offl_csum_at(bool v6, bool udp);

/**
 * Pseudo-header checksum with the L4 length, as Linux stores it in the L4
 * checksum field for NEEDS_CSUM.
 *
 * @param buf
 *   A frame made by offl_build().
 * @param v6
 *   IPv6, else IPv4.
 * @return
 *   The sum (not inverted), in network order as stored.
 */
uint16_t offl_phdr_with_len(const uint8_t *buf, bool v6);

/**
 * Mbuf chain holding @p len bytes of @p buf (checked).
 *
 * @param mp
 *   Pool to allocate from.
 * @param buf
 *   The bytes.
 * @param len
 *   Bytes to copy.
 * @param seg
 *   Bytes of each segment at most.
 * @return
 *   The chain's first mbuf.
 */
struct rte_mbuf *offl_mbuf_of(struct rte_mempool *mp, const uint8_t *buf,
	uint32_t len, uint32_t seg);

/**
 * Whether packet @p m holds exactly the @p len bytes of @p ref. A packet
 * of several segments is read into a buffer of its own first.
 *
 * @return
 *   True if the packet length and bytes match.
 */
bool offl_same(const struct rte_mbuf *m, const uint8_t *ref, uint32_t len);

/**
 * The virtio-net header of a collected frame, zero-extended to the
 * 12-byte layout.
 *
 * @param f
 *   A frame from model_tx_collect().
 * @param[out] h
 *   The header.
 */
void offl_hdr_of(const struct model_frame *f, struct virtio_net_hdr *h);

/**
 * Port statistics (checked).
 *
 * @return
 *   The statistics of @p tp's port.
 */
struct rte_eth_stats offl_port_stats(const struct test_port *tp);

/**
 * Send @p m after rte_eth_tx_prepare() and collect exactly one frame
 * (checked) into offl_frames.
 *
 * @return
 *   &offl_frames[0].
 */
struct model_frame *offl_send_one(struct test_port *tp, struct rte_mbuf *m);

/**
 * Inject @p len bytes of @p buf with virtio-net header @p h and receive it.
 *
 * @param tp
 *   The port.
 * @param h
 *   The header fields to write.
 * @param force
 *   Write fields the negotiated features do not allow.
 * @param buf
 *   The frame.
 * @param len
 *   Its bytes.
 * @return
 *   The packet received, or NULL if none arrived.
 */
struct rte_mbuf *offl_rx_with(struct test_port *tp,
	const struct virtio_net_hdr *h, bool force, const uint8_t *buf,
	uint32_t len);

/**
 * A virtio-net header with the fields given, the others 0.
 *
 * @return
 *   The header.
 */
struct virtio_net_hdr offl_mkhdr(uint8_t flags, uint8_t gso,
	uint16_t gso_size, uint16_t start, uint16_t off);

/*
 * Receive cases (test_offload_rx.c), run by test_offload.c's main(). Each
 * opens and closes its own ports; a failed check ends the test.
 */

/** 5.1.6.4: receive header flags become RTE_MBUF_F_RX_L4_CKSUM_* and lengths. */
void test_rx_csum_flags(void);

/**
 * A partial checksum received is finished by the PMD unless the port's TX
 * offloads can carry it on.
 */
void test_rx_csum_finish(void);

/**
 * dev_supported_ptypes_get lists exactly what RX sets, with or without the
 * device's checksum offload; rte_eth_dev_set_ptypes(UNKNOWN) stops it.
 */
void test_rx_ptypes(void);

/** LRO: a GSO frame arrives as one mbuf chain with RX_LRO and tso_segsz. */
void test_rx_lro(void);

/**
 * The receive path chosen at start: the burst function ethdev calls and the
 * name rx_burst_mode_get reports.
 */
void test_rx_paths(void);

/** MRG_RXBUF with small buffers: frames span buffers and arrive as chains. */
void test_rx_mrg_chain(void);

/** A device lying about num_buffers: no crash, no leak, no hang. */
void test_rx_mrg_bad_num_buffers(void);

#endif /* TEST_OFFLOAD_H */
