/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Offloads on the wire (virtio 1.2 5.1.6.2 transmit, 5.1.6.4 receive):
 * capabilities and negotiation, the transmit header for checksum and TSO,
 * and a GSO frame forwarded whole; main() also runs the receive cases of
 * test_offload_rx.c (receive flags from the header, MRG_RXBUF chains and
 * num_buffers, including a device that lies about it).
 */
#include <string.h>

#include <rte_net.h>
#include <rte_tcp.h>

#include "test_offload.h"

static uint8_t pkt[VIRTIO_NET_MAX_GSO_FRAME];

/* Capabilities follow the offer: each ethdev offload needs its feature bits. */
static void
test_offload_capa(void)
{
	static const struct {
		uint64_t features, rx, tx;
	} cases[] = {
		{ 0, 0, 0 },
		{ OFFLOAD_FEATURES, RX_ALL | RTE_ETH_RX_OFFLOAD_SCATTER, TX_ALL },
		/* LRO needs MRG_RXBUF (a GSO frame spans buffers), TSO needs CSUM */
		{ VIRTIO_BIT(VIRTIO_NET_F_GUEST_CSUM) | VIRTIO_BIT(VIRTIO_NET_F_GUEST_TSO4) |
		  VIRTIO_BIT(VIRTIO_NET_F_HOST_TSO4),
		  RTE_ETH_RX_OFFLOAD_TCP_CKSUM | RTE_ETH_RX_OFFLOAD_UDP_CKSUM, 0 },
		{ VIRTIO_BIT(VIRTIO_NET_F_MRG_RXBUF), RTE_ETH_RX_OFFLOAD_SCATTER, 0 },
	};
	struct rte_eth_dev_info info;
	struct rte_eth_conf conf;
	struct model_opts o;
	struct test_port tp;
	unsigned int i;

	for (i = 0; i < RTE_DIM(cases); i++) {
		offl_opts(&o, cases[i].features);
		CHECK_EQ(tp_create(&tp, &o), 0);
		CHECK_EQ(rte_eth_dev_info_get(tp.port_id, &info), 0);
		CHECK_EQ(info.rx_offload_capa, cases[i].rx);
		CHECK_EQ(info.tx_offload_capa, cases[i].tx |
			RTE_ETH_TX_OFFLOAD_MULTI_SEGS | RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE);
		CHECK_EQ(info.max_lro_pkt_size,
			(cases[i].rx & RTE_ETH_RX_OFFLOAD_TCP_LRO) ?
			VIRTIO_NET_MAX_GSO_FRAME : 0);
		CHECK_EQ(info.max_rx_pktlen, RTE_ETHER_MTU + RTE_ETHER_HDR_LEN +
			RTE_VLAN_HLEN);
		/* asking for what the device lacks fails in configure */
		memset(&conf, 0, sizeof(conf));
		conf.rxmode.offloads = RTE_ETH_RX_OFFLOAD_TCP_LRO;
		if (!(cases[i].rx & RTE_ETH_RX_OFFLOAD_TCP_LRO))
			CHECK(rte_eth_dev_configure(tp.port_id, 1, 1, &conf) < 0);
		conf.rxmode.offloads = 0;
		conf.txmode.offloads = RTE_ETH_TX_OFFLOAD_TCP_TSO;
		if (!(cases[i].tx & RTE_ETH_TX_OFFLOAD_TCP_TSO))
			CHECK(rte_eth_dev_configure(tp.port_id, 1, 1, &conf) < 0);
		tp_close(&tp);
	}
}

/* Offload bits are negotiated only for what the application enabled. */
static void
test_offload_negotiate(void)
{
	const uint64_t offl = OFFLOAD_FEATURES & ~VIRTIO_BIT(VIRTIO_NET_F_MRG_RXBUF);
	struct test_port tp;

	offl_open(&tp, OFFLOAD_FEATURES, 0, 0, 0);
	CHECK_EQ(tp.model.driver_features & offl, 0);
	CHECK(tp.model.driver_features & VIRTIO_BIT(VIRTIO_NET_F_MRG_RXBUF));
	CHECK_EQ(model_hdr_len(&tp.model), VIRTIO_NET_HDR_LEN_MODERN);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);

	offl_open(&tp, OFFLOAD_FEATURES, RTE_ETH_RX_OFFLOAD_TCP_CKSUM,
		RTE_ETH_TX_OFFLOAD_UDP_CKSUM, 0);
	CHECK_EQ(tp.model.driver_features & offl,
		VIRTIO_BIT(VIRTIO_NET_F_GUEST_CSUM) | VIRTIO_BIT(VIRTIO_NET_F_CSUM));
	tp_close(&tp);

	offl_open(&tp, OFFLOAD_FEATURES, RX_ALL, TX_ALL, 0);
	CHECK_EQ(tp.model.driver_features & offl, offl);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/* 5.1.6.2: checksum offload fills NEEDS_CSUM, csum_start and csum_offset. */
static void
test_tx_csum(void)
{
	static const bool v6s[] = { false, false, true, true };
	static const bool udps[] = { false, true, false, true };
	struct virtio_net_hdr h;
	struct model_frame *f;
	struct rte_mbuf *m;
	struct test_port tp;
	uint32_t len, l3;
	unsigned int i;

	offl_open(&tp, OFFLOAD_FEATURES, 0, TX_ALL, 0);
	for (i = 0; i < RTE_DIM(v6s); i++) {
		l3 = v6s[i] ? 40 : 20;
		len = offl_build(pkt, v6s[i], udps[i], 300 + i, i);
		m = offl_mbuf_of(tp.mp, pkt, len, len);
		/* the application leaves the checksum to the device */
		memset(rte_pktmbuf_mtod_offset(m, uint8_t *, offl_csum_at(v6s[i], udps[i])),
			0xee, 2);
		m->l2_len = RTE_ETHER_HDR_LEN;
		m->l3_len = l3;
		m->ol_flags = (v6s[i] ? RTE_MBUF_F_TX_IPV6 : RTE_MBUF_F_TX_IPV4) |
			(udps[i] ? RTE_MBUF_F_TX_UDP_CKSUM : RTE_MBUF_F_TX_TCP_CKSUM);
		f = offl_send_one(&tp, m);
		offl_hdr_of(f, &h);
		CHECK_EQ(h.flags, VIRTIO_NET_HDR_F_NEEDS_CSUM);
		CHECK_EQ(h.gso_type, VIRTIO_NET_HDR_GSO_NONE);
		CHECK_EQ(h.csum_start, RTE_ETHER_HDR_LEN + l3);
		CHECK_EQ(h.csum_offset, udps[i] ? 6 : 16);
		CHECK_EQ(h.num_buffers, 0);
		/* the device's completed checksum is the correct one */
		CHECK(f->csum_done);
		CHECK_EQ(f->len, len);
		CHECK(memcmp(f->data, pkt, len) == 0);
	}
	/* no request: a zero header and the frame as it was */
	len = offl_build(pkt, false, false, 100, 9);
	CHECK_EQ(rte_eth_tx_burst(tp.port_id, 0,
		(struct rte_mbuf *[]){ offl_mbuf_of(tp.mp, pkt, len, len) }, 1), 1);
	CHECK_EQ(model_tx_collect(&tp.model, offl_frames, 2), 1);
	offl_hdr_of(&offl_frames[0], &h);
	CHECK(h.flags == 0 && h.csum_start == 0 && !offl_frames[0].csum_done);
	CHECK(memcmp(offl_frames[0].data, pkt, len) == 0);
	CHECK_EQ(offl_port_stats(&tp).oerrors, 0);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/* TSO super-frame in a chain of segments: one GSO frame, header right. */
static void
tso_one(struct test_port *tp, bool v6, uint32_t payload, uint32_t seg)
{
	struct virtio_net_hdr h;
	struct model_frame *f;
	struct rte_mbuf *m;
	uint32_t len, l3 = v6 ? 40 : 20, at = offl_csum_at(v6, false);
	uint16_t want;

	len = offl_build(pkt, v6, false, payload, 3);
	want = offl_phdr_with_len(pkt, v6);
	m = offl_mbuf_of(tp->mp, pkt, len, seg);
	m->l2_len = RTE_ETHER_HDR_LEN;
	m->l3_len = l3;
	m->l4_len = sizeof(struct rte_tcp_hdr);
	m->tso_segsz = MSS;
	m->ol_flags = (v6 ? RTE_MBUF_F_TX_IPV6 : RTE_MBUF_F_TX_IPV4) |
		RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_TCP_CKSUM;
	f = offl_send_one(tp, m);
	offl_hdr_of(f, &h);
	CHECK_EQ(h.flags, VIRTIO_NET_HDR_F_NEEDS_CSUM);
	CHECK_EQ(h.gso_type, v6 ? VIRTIO_NET_HDR_GSO_TCPV6 : VIRTIO_NET_HDR_GSO_TCPV4);
	CHECK_EQ(h.gso_size, MSS);
	CHECK_EQ(h.hdr_len, RTE_ETHER_HDR_LEN + l3 + 20);
	CHECK_EQ(h.csum_start, RTE_ETHER_HDR_LEN + l3);
	CHECK_EQ(h.csum_offset, 16);
	CHECK_EQ(f->ndesc, 1 + (len + seg - 1) / seg);
	CHECK_EQ(f->len, len);
	/* pseudo-header sum including the TCP length, as the device expects */
	CHECK_EQ(f->data[at] << 8 | f->data[at + 1],
		rte_be_to_cpu_16(want));
	memcpy(&pkt[at], &f->data[at], 2);
	CHECK(memcmp(f->data, pkt, len) == 0);
}

static void
test_tx_tso(void)
{
	struct rte_eth_stats st;
	struct rte_mbuf *m;
	struct test_port tp;
	uint32_t len;

	offl_open(&tp, OFFLOAD_FEATURES, 0, TX_ALL, 0);
	tso_one(&tp, false, 20000, 2000);
	tso_one(&tp, true, 7000, 1500);
	tso_one(&tp, false, 65000, 2048);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);

	/* HOST_TSO6 not offered: IPv6 TSO refused by prepare, dropped by xmit */
	offl_open(&tp, OFFLOAD_FEATURES & ~VIRTIO_BIT(VIRTIO_NET_F_HOST_TSO6), 0,
		TX_ALL, 0);
	len = offl_build(pkt, true, false, 5000, 4);
	m = offl_mbuf_of(tp.mp, pkt, len, 2000);
	m->l2_len = RTE_ETHER_HDR_LEN;
	m->l3_len = 40;
	m->l4_len = 20;
	m->tso_segsz = MSS;
	m->ol_flags = RTE_MBUF_F_TX_IPV6 | RTE_MBUF_F_TX_TCP_SEG;
	rte_errno = 0;
	CHECK_EQ(rte_eth_tx_prepare(tp.port_id, 0, &m, 1), 0);
	CHECK_EQ(rte_errno, ENOTSUP);
	CHECK_EQ(rte_eth_tx_burst(tp.port_id, 0, &m, 1), 1);
	CHECK_EQ(model_tx_collect(&tp.model, offl_frames, 2), 0);
	st = offl_port_stats(&tp);
	CHECK_EQ(st.oerrors, 1);
	CHECK_EQ(st.opackets, 0);
	/* IPv4 TSO still works; tso_segsz 0 is refused */
	tso_one(&tp, false, 3000, 2048);
	m = offl_mbuf_of(tp.mp, pkt, 200, 200);
	m->l2_len = RTE_ETHER_HDR_LEN;
	m->l3_len = 20;
	m->l4_len = 20;
	m->ol_flags = RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_TCP_SEG;
	CHECK_EQ(rte_eth_tx_prepare(tp.port_id, 0, &m, 1), 0);
	CHECK_EQ(rte_errno, EINVAL);
	rte_pktmbuf_free(m);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/* Offloads the port did not enable (or virtio cannot do) are refused. */
static void
test_tx_offload_refused(void)
{
	static const uint64_t bad[] = {
		RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_TCP_CKSUM,	/* not enabled */
		RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM,	/* no virtio field */
		RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_SCTP_CKSUM,
	};
	struct rte_mbuf *m;
	struct test_port tp;
	unsigned int i;
	uint32_t len;

	offl_open(&tp, OFFLOAD_FEATURES, 0, 0, 0);
	for (i = 0; i < RTE_DIM(bad); i++) {
		len = offl_build(pkt, false, false, 64, i);
		m = offl_mbuf_of(tp.mp, pkt, len, len);
		m->l2_len = RTE_ETHER_HDR_LEN;
		m->l3_len = 20;
		m->ol_flags = bad[i];
		rte_errno = 0;
		CHECK_EQ(rte_eth_tx_prepare(tp.port_id, 0, &m, 1), 0);
		CHECK_EQ(rte_errno, ENOTSUP);
		rte_pktmbuf_free(m);
	}
	/* sent anyway: dropped and counted, never a header the device forbids */
	len = offl_build(pkt, false, false, 64, 7);
	m = offl_mbuf_of(tp.mp, pkt, len, len);
	m->l2_len = RTE_ETHER_HDR_LEN;
	m->l3_len = 20;
	m->ol_flags = bad[0];
	CHECK_EQ(rte_eth_tx_burst(tp.port_id, 0, &m, 1), 1);
	CHECK_EQ(model_tx_collect(&tp.model, offl_frames, 2), 0);
	CHECK_EQ(offl_port_stats(&tp).oerrors, 1);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/*
 * Forwarding: a GSO frame received with LRO and sent back with the TX flags
 * l2fwd derives leaves as the same GSO frame (gso_type, gso_size, bytes).
 */
static void
test_forward_gso(void)
{
	struct virtio_net_hdr h;
	struct rte_net_hdr_lens hl;
	struct model_frame *f;
	struct rte_mbuf *m;
	struct test_port tp;
	uint32_t len, at = offl_csum_at(false, false);
	uint16_t sum;

	offl_open(&tp, OFFLOAD_FEATURES, RX_ALL, TX_ALL, 0);
	len = offl_build(pkt, false, false, 40000, 21);
	sum = offl_phdr_with_len(pkt, false);
	memcpy(&pkt[at], &sum, 2);
	h = offl_mkhdr(VIRTIO_NET_HDR_F_NEEDS_CSUM, VIRTIO_NET_HDR_GSO_TCPV4, MSS, 34, 16);
	h.hdr_len = 54;
	m = offl_rx_with(&tp, &h, false, pkt, len);
	CHECK(m != NULL);
	CHECK(m->ol_flags & RTE_MBUF_F_RX_LRO);
	/* what examples/l2fwd does */
	m->packet_type = rte_net_get_ptype(m, &hl, RTE_PTYPE_ALL_MASK);
	m->l2_len = hl.l2_len;
	m->l3_len = hl.l3_len;
	m->l4_len = hl.l4_len;
	m->ol_flags = RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_TCP_SEG |
		RTE_MBUF_F_TX_TCP_CKSUM;
	f = offl_send_one(&tp, m);
	offl_hdr_of(f, &h);
	CHECK_EQ(h.gso_type, VIRTIO_NET_HDR_GSO_TCPV4);
	CHECK_EQ(h.gso_size, MSS);
	CHECK_EQ(h.flags, VIRTIO_NET_HDR_F_NEEDS_CSUM);
	CHECK_EQ(f->len, len);
	/* same bytes, the pseudo-header sum in place as received */
	CHECK(memcmp(f->data, pkt, len) == 0);
	CHECK_EQ(offl_port_stats(&tp).ierrors + offl_port_stats(&tp).oerrors, 0);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

int
main(int argc, char **argv)
{
	test_init(argc, argv);
	offl_frames = calloc(MODEL_TX_LOG_MAX, sizeof(*offl_frames));
	CHECK(offl_frames != NULL);
	RUN(test_offload_capa);
	RUN(test_offload_negotiate);
	RUN(test_tx_csum);
	RUN(test_tx_tso);
	RUN(test_tx_offload_refused);
	RUN(test_rx_csum_flags);
	RUN(test_rx_csum_finish);
	RUN(test_rx_ptypes);
	RUN(test_rx_lro);
	RUN(test_forward_gso);
	RUN(test_rx_paths);
	RUN(test_rx_mrg_chain);
	RUN(test_rx_mrg_bad_num_buffers);
	free(offl_frames);
	return test_done();
}
