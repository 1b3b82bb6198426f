/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Offloads on receive (virtio 1.2 5.1.6.4), run by test_offload.c's main():
 * checksum flags from the header and partial checksums finished, packet
 * types, LRO, the receive path each configuration selects, MRG_RXBUF chains
 * and a device that lies about num_buffers.
 */
#include <string.h>

#include <ethdev_driver.h>

#include "test_offload.h"
#include "vmmio_rxtx.h"

#define BURST		32

static uint8_t pkt[VIRTIO_NET_MAX_GSO_FRAME];

/* 5.1.6.4: receive flags become RTE_MBUF_F_RX_L4_CKSUM_* and lengths. */
void
test_rx_csum_flags(void)
{
	struct virtio_net_hdr h;
	struct rte_mbuf *m;
	struct test_port tp;
	uint32_t len, at;
	uint16_t sum;

	/* TX checksum offload on: partial checksums are left for it to finish */
	offl_open(&tp, OFFLOAD_FEATURES, RTE_ETH_RX_OFFLOAD_TCP_CKSUM |
		RTE_ETH_RX_OFFLOAD_UDP_CKSUM, RTE_ETH_TX_OFFLOAD_TCP_CKSUM |
		RTE_ETH_TX_OFFLOAD_UDP_CKSUM, 0);
	/* partial checksum (pseudo-header in the field): NONE, headers parsed */
	len = offl_build(pkt, false, false, 500, 1);
	at = offl_csum_at(false, false);
	sum = offl_phdr_with_len(pkt, false);
	memcpy(&pkt[at], &sum, 2);
	h = offl_mkhdr(VIRTIO_NET_HDR_F_NEEDS_CSUM, 0, 0, 34, 16);
	m = offl_rx_with(&tp, &h, false, pkt, len);
	CHECK(m != NULL && offl_same(m, pkt, len));
	CHECK_EQ(m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK, RTE_MBUF_F_RX_L4_CKSUM_NONE);
	CHECK_EQ(m->packet_type & RTE_PTYPE_L4_MASK, RTE_PTYPE_L4_TCP);
	CHECK(RTE_ETH_IS_IPV4_HDR(m->packet_type));
	CHECK(m->l2_len == 14 && m->l3_len == 20 && m->l4_len == 20);
	rte_pktmbuf_free(m);
	/* UDP over IPv6 likewise */
	len = offl_build(pkt, true, true, 99, 2);
	h = offl_mkhdr(VIRTIO_NET_HDR_F_NEEDS_CSUM, 0, 0, 54, 6);
	m = offl_rx_with(&tp, &h, false, pkt, len);
	CHECK(m != NULL);
	CHECK_EQ(m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK, RTE_MBUF_F_RX_L4_CKSUM_NONE);
	CHECK_EQ(m->packet_type & RTE_PTYPE_L4_MASK, RTE_PTYPE_L4_UDP);
	CHECK_EQ(m->l3_len, 40);
	rte_pktmbuf_free(m);
	/* validated by the device: GOOD */
	len = offl_build(pkt, false, true, 77, 3);
	h = offl_mkhdr(VIRTIO_NET_HDR_F_DATA_VALID, 0, 0, 0, 0);
	m = offl_rx_with(&tp, &h, false, pkt, len);
	CHECK(m != NULL);
	CHECK_EQ(m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK, RTE_MBUF_F_RX_L4_CKSUM_GOOD);
	rte_pktmbuf_free(m);
	/* no flags: checksum unknown, packet type still parsed */
	h = offl_mkhdr(0, 0, 0, 0, 0);
	m = offl_rx_with(&tp, &h, false, pkt, len);
	CHECK(m != NULL);
	CHECK_EQ(m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK, RTE_MBUF_F_RX_L4_CKSUM_UNKNOWN);
	CHECK_EQ(m->packet_type, RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV4 | RTE_PTYPE_L4_UDP);
	rte_pktmbuf_free(m);
	/* NEEDS_CSUM on a frame that is not TCP/UDP: completed in software */
	frame_fill(pkt, 200, 4);
	pkt[24] = pkt[25] = 0;
	h = offl_mkhdr(VIRTIO_NET_HDR_F_NEEDS_CSUM, 0, 0, 20, 4);
	m = offl_rx_with(&tp, &h, false, pkt, 200);
	CHECK(m != NULL);
	CHECK_EQ(m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK, RTE_MBUF_F_RX_L4_CKSUM_GOOD);
	CHECK_EQ(rte_raw_cksum(rte_pktmbuf_mtod_offset(m, void *, 20), 180), 0xffff);
	rte_pktmbuf_free(m);
	CHECK_EQ(offl_port_stats(&tp).ierrors, 0);
	/* checksum position outside the packet: dropped, counted */
	h = offl_mkhdr(VIRTIO_NET_HDR_F_NEEDS_CSUM, 0, 0, 190, 30);
	CHECK(offl_rx_with(&tp, &h, false, pkt, 200) == NULL);
	CHECK_EQ(offl_port_stats(&tp).ierrors, 1);
	/* GSO the driver did not negotiate (no LRO): dropped, counted */
	len = offl_build(pkt, false, false, 1000, 5);
	h = offl_mkhdr(VIRTIO_NET_HDR_F_NEEDS_CSUM, VIRTIO_NET_HDR_GSO_TCPV4, 500, 34, 16);
	CHECK(offl_rx_with(&tp, &h, true, pkt, len) == NULL);
	CHECK_EQ(offl_port_stats(&tp).ierrors, 2);
	model_clear_errors(&tp.model);
	tp_close(&tp);
}

/*
 * Receive a partial-checksum frame (NEEDS_CSUM, pseudo-header sum in the
 * field) built by offl_build(); expect it finished (the reference frame, GOOD)
 * or left for TX offload (NONE).
 */
static void
rx_partial(struct test_port *tp, bool v6, bool udp, bool finished)
{
	struct virtio_net_hdr h;
	struct rte_mbuf *m;
	uint32_t len, at;
	uint16_t sum;

	len = offl_build(pkt, v6, udp, 300, 21);
	memcpy(offl_out, pkt, len);	/* the reference, checksum complete */
	at = offl_csum_at(v6, udp);
	sum = offl_phdr_with_len(pkt, v6);
	memcpy(&pkt[at], &sum, 2);
	h = offl_mkhdr(VIRTIO_NET_HDR_F_NEEDS_CSUM, 0, 0, at - (udp ? 6 : 16),
		udp ? 6 : 16);
	m = offl_rx_with(tp, &h, false, pkt, len);
	CHECK(m != NULL);
	if (finished) {
		CHECK(offl_same(m, offl_out, len));
		CHECK_EQ(m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK,
			RTE_MBUF_F_RX_L4_CKSUM_GOOD);
	} else {
		CHECK(offl_same(m, pkt, len));
		CHECK_EQ(m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK,
			RTE_MBUF_F_RX_L4_CKSUM_NONE);
	}
	rte_pktmbuf_free(m);
}

/*
 * An application with RX checksum offload but not TX checksum offload
 * (DPDK's example routers) never gets a partial checksum to forward: the
 * PMD finishes it; per protocol, as the port's TX offloads allow.
 */
void
test_rx_csum_finish(void)
{
	static const struct {
		uint64_t tx;
		bool tcp_done, udp_done;
	} cfg[] = {
		{ 0, true, true },
		{ RTE_ETH_TX_OFFLOAD_TCP_CKSUM, false, true },
		{ RTE_ETH_TX_OFFLOAD_UDP_CKSUM, true, false },
		{ RTE_ETH_TX_OFFLOAD_TCP_CKSUM | RTE_ETH_TX_OFFLOAD_UDP_CKSUM, false, false },
	};
	struct virtio_net_hdr h;
	struct rte_mbuf *m;
	struct test_port tp;
	uint32_t len;
	unsigned int i;
	uint16_t sum;

	for (i = 0; i < RTE_DIM(cfg); i++) {
		offl_open(&tp, OFFLOAD_FEATURES, RTE_ETH_RX_OFFLOAD_TCP_CKSUM |
			RTE_ETH_RX_OFFLOAD_UDP_CKSUM, cfg[i].tx, 0);
		rx_partial(&tp, false, false, cfg[i].tcp_done);
		rx_partial(&tp, true, false, cfg[i].tcp_done);
		rx_partial(&tp, false, true, cfg[i].udp_done);
		rx_partial(&tp, true, true, cfg[i].udp_done);
		CHECK_EQ(offl_port_stats(&tp).ierrors, 0);
		tp_close(&tp);
	}
	/* an LRO super-frame (multi-segment) is finished over all its bytes */
	offl_open(&tp, OFFLOAD_FEATURES, RX_ALL, RTE_ETH_TX_OFFLOAD_MULTI_SEGS, 0);
	len = offl_build(pkt, false, false, 6000, 22);
	memcpy(offl_out, pkt, len);
	sum = offl_phdr_with_len(pkt, false);
	memcpy(&pkt[offl_csum_at(false, false)], &sum, 2);
	h = offl_mkhdr(VIRTIO_NET_HDR_F_NEEDS_CSUM, VIRTIO_NET_HDR_GSO_TCPV4, MSS, 34, 16);
	h.hdr_len = 54;
	m = offl_rx_with(&tp, &h, false, pkt, len);
	CHECK(m != NULL);
	CHECK(m->nb_segs > 1);
	CHECK(offl_same(m, offl_out, len));
	CHECK(m->ol_flags & RTE_MBUF_F_RX_LRO);
	CHECK_EQ(m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK, RTE_MBUF_F_RX_L4_CKSUM_GOOD);
	rte_pktmbuf_free(m);
	tp_close(&tp);
}

/* packet_type of frame @p f (@p len bytes) received on a port without offloads */
static uint32_t
rx_ptype(struct test_port *tp, const uint8_t *f, uint32_t len)
{
	struct rte_mbuf *m;
	uint32_t pt;

	CHECK_EQ(model_rx_inject(&tp->model, f, len), 0);
	CHECK_EQ(rx_some(tp, &m, 1), 1);
	pt = m->packet_type;
	rte_pktmbuf_free(m);
	return pt;
}

static bool
ptype_listed(const uint32_t *list, int n, uint32_t pt)
{
	int i;

	for (i = 0; i < n; i++)
		if (list[i] == pt)
			return true;
	return false;
}

/*
 * dev_supported_ptypes_get lists exactly what RX sets, with or without the
 * device's checksum offload; rte_eth_dev_set_ptypes(UNKNOWN) stops it.
 */
void
test_rx_ptypes(void)
{
	static const uint32_t masks[] = {
		RTE_PTYPE_L2_MASK, RTE_PTYPE_L3_MASK, RTE_PTYPE_L4_MASK,
	};
	uint32_t list[32], pt;
	int n;
	unsigned int k;
	struct rte_ether_hdr *eth;
	struct test_port tp;
	uint32_t len;
	unsigned int i, round;

	for (round = 0; round < 2; round++) {
		/* round 0: no offloads; round 1: RX checksum offload negotiated */
		offl_open(&tp, round ? OFFLOAD_FEATURES : 0, round ?
			RTE_ETH_RX_OFFLOAD_TCP_CKSUM : 0, 0, 0);
		n = rte_eth_dev_get_supported_ptypes(tp.port_id, RTE_PTYPE_ALL_MASK,
			list, RTE_DIM(list));
		CHECK(n > 0 && n <= (int)RTE_DIM(list));
		CHECK(ptype_listed(list, n, RTE_PTYPE_L3_IPV4));
		CHECK(ptype_listed(list, n, RTE_PTYPE_L3_IPV6));
		CHECK(ptype_listed(list, n, RTE_PTYPE_L4_TCP));
		for (i = 0; i < 8; i++) {
			/* IPv4/IPv6 x TCP/UDP, tagged or not */
			len = offl_build(pkt, i & 1, i & 2, 64, i);
			if (i & 4) {
				memmove(pkt + 16, pkt + 12, len - 12);
				eth = (struct rte_ether_hdr *)pkt;
				eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN);
				pkt[14] = 0;
				pkt[15] = 5;
				len += 4;
			}
			pt = rx_ptype(&tp, pkt, len);
			CHECK_EQ(pt & RTE_PTYPE_L2_MASK, (i & 4) ?
				RTE_PTYPE_L2_ETHER_VLAN : RTE_PTYPE_L2_ETHER);
			CHECK_EQ(pt & RTE_PTYPE_L3_MASK, (i & 1) ?
				RTE_PTYPE_L3_IPV6 : RTE_PTYPE_L3_IPV4);
			CHECK_EQ(pt & RTE_PTYPE_L4_MASK, (i & 2) ?
				RTE_PTYPE_L4_UDP : RTE_PTYPE_L4_TCP);
			/* every layer's type set is one the port listed */
			for (k = 0; k < RTE_DIM(masks); k++)
				CHECK(ptype_listed(list, n, pt & masks[k]));
		}
		/* not IP: Ethernet only */
		frame_fill(pkt, 60, 3);
		eth = (struct rte_ether_hdr *)pkt;
		eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_ARP);
		CHECK_EQ(rx_ptype(&tp, pkt, 60), RTE_PTYPE_L2_ETHER);
		/* the application does not want them: not parsed from the next start */
		CHECK_EQ(rte_eth_dev_set_ptypes(tp.port_id, RTE_PTYPE_UNKNOWN, NULL, 0), 0);
		tp_stop(&tp);
		tp_start(&tp);
		len = offl_build(pkt, false, false, 64, 9);
		CHECK_EQ(rx_ptype(&tp, pkt, len), RTE_PTYPE_UNKNOWN);
		tp_close(&tp);
	}
}

/* RX LRO: a GSO frame arrives as one mbuf chain with RX_LRO and tso_segsz. */
static void
rx_lro_one(struct test_port *tp, bool v6, uint32_t payload)
{
	struct virtio_net_hdr h;
	struct rte_mbuf *m;
	uint32_t len, l3 = v6 ? 40 : 20;
	uint16_t sum;

	len = offl_build(pkt, v6, false, payload, 11);
	sum = offl_phdr_with_len(pkt, v6);
	memcpy(&pkt[offl_csum_at(v6, false)], &sum, 2);
	h = offl_mkhdr(VIRTIO_NET_HDR_F_NEEDS_CSUM, v6 ? VIRTIO_NET_HDR_GSO_TCPV6 :
		VIRTIO_NET_HDR_GSO_TCPV4, MSS, 14 + l3, 16);
	h.hdr_len = 14 + l3 + 20;
	m = offl_rx_with(tp, &h, false, pkt, len);
	CHECK(m != NULL);
	CHECK(offl_same(m, pkt, len));
	CHECK(m->nb_segs > 1);
	CHECK(m->ol_flags & RTE_MBUF_F_RX_LRO);
	CHECK_EQ(m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK, RTE_MBUF_F_RX_L4_CKSUM_NONE);
	CHECK_EQ(m->tso_segsz, MSS);
	CHECK(m->l2_len == 14 && m->l3_len == l3 && m->l4_len == 20);
	rte_pktmbuf_free(m);
}

void
test_rx_lro(void)
{
	struct test_port tp;

	offl_open(&tp, OFFLOAD_FEATURES, RX_ALL, TX_ALL, 0);
	CHECK_EQ(tp.model.vq[MODEL_RXQ].num, 256);
	rx_lro_one(&tp, false, 30000);
	rx_lro_one(&tp, true, 12000);
	rx_lro_one(&tp, false, 65000);
	CHECK_EQ(offl_port_stats(&tp).ierrors, 0);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/*
 * The receive path is chosen at start from what the port asks for: the
 * burst function ethdev calls and the name rx_burst_mode_get reports.
 */
void
test_rx_paths(void)
{
	static const struct {
		uint64_t features;
		uint64_t rx;
		bool ptypes;
		eth_rx_burst_t fn, fn_packed;
		const char *name;
	} cfg[] = {
		{ 0, 0, false, vmmio_recv_pkts, vmmio_recv_pkts_packed, "plain" },
		{ 0, 0, true, vmmio_recv_pkts_offload,
		  vmmio_recv_pkts_offload_packed, "offload" },
		{ VIRTIO_BIT(VIRTIO_NET_F_GUEST_CSUM), RTE_ETH_RX_OFFLOAD_UDP_CKSUM,
		  false, vmmio_recv_pkts_offload, vmmio_recv_pkts_offload_packed,
		  "offload" },
		{ VIRTIO_BIT(VIRTIO_NET_F_MRG_RXBUF), RTE_ETH_RX_OFFLOAD_SCATTER,
		  false, vmmio_recv_pkts_scattered, vmmio_recv_pkts_scattered,
		  "scattered" },
	};
	bool packed;
	char name[32];
	struct rte_eth_burst_mode mode;
	struct rte_eth_conf conf;
	struct test_port tp;
	struct model_opts o;
	unsigned int i;

	for (i = 0; i < RTE_DIM(cfg); i++) {
		offl_opts(&o, cfg[i].features);
		memset(&conf, 0, sizeof(conf));
		conf.rxmode.offloads = cfg[i].rx;
		CHECK_EQ(tp_create(&tp, &o), 0);
		tp_setup_ex(&tp, &conf, 0, 0, 0);
		if (!cfg[i].ptypes)
			CHECK_EQ(rte_eth_dev_set_ptypes(tp.port_id, RTE_PTYPE_UNKNOWN,
				NULL, 0), 0);
		tp_start(&tp);
		packed = tp.model.vq[MODEL_RXQ].packed;
		CHECK(rte_eth_devices[tp.port_id].rx_pkt_burst ==
			(packed ? cfg[i].fn_packed : cfg[i].fn));
		CHECK_EQ(rte_eth_rx_burst_mode_get(tp.port_id, 0, &mode), 0);
		snprintf(name, sizeof(name), "%s%s", cfg[i].name,
			packed ? ",packed" : "");
		CHECK_EQ(strcmp(mode.info, name), 0);
		tp_traffic(&tp, 0, 4);
		tp_close(&tp);
	}
}

/* MRG_RXBUF with small buffers: frames span buffers, arrive as chains. */
void
test_rx_mrg_chain(void)
{
	static const uint32_t lens[] = { 60, 127, 128, 129, 600, 1514, 4000, 9000 };
	struct rte_mbuf *m;
	struct test_port tp;
	struct rte_eth_stats st;
	unsigned int i;
	uint64_t bytes = 0;

	/* 128 bytes of data per buffer */
	offl_open(&tp, VIRTIO_BIT(VIRTIO_NET_F_MRG_RXBUF),
		RTE_ETH_RX_OFFLOAD_SCATTER, 0, RTE_PKTMBUF_HEADROOM + 128);
	CHECK_EQ(model_hdr_len(&tp.model), VIRTIO_NET_HDR_LEN_MODERN);
	for (i = 0; i < RTE_DIM(lens); i++) {
		frame_fill(pkt, lens[i], i);
		CHECK_EQ(model_rx_inject(&tp.model, pkt, lens[i]), 0);
		CHECK_EQ(rx_some(&tp, &m, 1), 1);
		CHECK(offl_same(m, pkt, lens[i]));
		/*
		 * 140-byte buffers (128 + header in the headroom): the first
		 * holds the header and 128 bytes, the others 140 bytes of data
		 */
		CHECK_EQ(m->nb_segs, 1 + (RTE_MAX(lens[i], 128u) - 128 + 139) / 140);
		CHECK_EQ(rte_mbuf_check(m, 1, NULL), 0);
		bytes += lens[i];
		rte_pktmbuf_free(m);
	}
	st = offl_port_stats(&tp);
	CHECK_EQ(st.ipackets, RTE_DIM(lens));
	CHECK_EQ(st.ibytes, bytes);
	CHECK_EQ(st.ierrors, 0);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);

	/* MRG_RXBUF without scattered RX: a frame over two buffers is dropped */
	offl_open(&tp, VIRTIO_BIT(VIRTIO_NET_F_MRG_RXBUF), 0, 0, 0);
	frame_fill(pkt, 3000, 1);
	CHECK_EQ(model_rx_inject(&tp.model, pkt, 3000), 0);
	CHECK_EQ(rx_some(&tp, &m, 1), 0);
	CHECK_EQ(offl_port_stats(&tp).ierrors, 1);
	frame_fill(pkt, 1514, 2);
	CHECK_EQ(model_rx_inject(&tp.model, pkt, 1514), 0);
	CHECK_EQ(rx_some(&tp, &m, 1), 1);
	CHECK(offl_same(m, pkt, 1514));
	rte_pktmbuf_free(m);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);

	/* small mbufs need scattered RX */
	{
		struct rte_eth_conf conf;
		struct model_opts o;
		struct rte_mempool *mp;

		offl_opts(&o, VIRTIO_BIT(VIRTIO_NET_F_MRG_RXBUF));
		CHECK_EQ(tp_create(&tp, &o), 0);
		memset(&conf, 0, sizeof(conf));
		CHECK_EQ(rte_eth_dev_configure(tp.port_id, 1, 1, &conf), 0);
		mp = rte_pktmbuf_pool_create("mrg_small", 511, 0, 0,
			RTE_PKTMBUF_HEADROOM + 128, SOCKET_ID_ANY);
		CHECK(mp != NULL);
		CHECK(rte_eth_rx_queue_setup(tp.port_id, 0, 0, SOCKET_ID_ANY, NULL,
			mp) < 0);
		tp_close(&tp);
		rte_mempool_free(mp);
	}
}

#define TRUE_NB	(-1)

/* Inject @p len with num_buffers @p nb written (TRUE_NB: true) and publish @p pub. */
static void
inject_nb(struct test_port *tp, uint32_t len, uint32_t seq, int nb,
	uint16_t pub)
{
	struct model_rx_opts o;

	memset(&o, 0, sizeof(o));
	o.set_num_buffers = nb != TRUE_NB;
	o.num_buffers = (uint16_t)nb;
	o.publish = pub;
	frame_fill(pkt, len, seq);
	CHECK_EQ(model_rx_inject_ex(&tp->model, &o, pkt, len), 0);
}

/* Good frames after a fault: all delivered intact, no errors added. */
static void
rx_good_after(struct test_port *tp, uint32_t seq)
{
	struct rte_mbuf *m;
	uint64_t errs = offl_port_stats(tp).ierrors;
	uint32_t i, len;

	for (i = 0; i < 40; i++) {
		len = 100 + 97 * i;
		frame_fill(pkt, len, seq + i);
		CHECK_EQ(model_rx_inject(&tp->model, pkt, len), 0);
		CHECK_EQ(rx_some(tp, &m, 1), 1);
		CHECK(offl_same(m, pkt, len));
		rte_pktmbuf_free(m);
	}
	CHECK_EQ(offl_port_stats(tp).ierrors, errs);
}

/* A device lying about num_buffers: no crash, no leak, no hang. */
void
test_rx_mrg_bad_num_buffers(void)
{
	struct rte_mbuf *pkts[BURST];
	struct test_port tp;
	uint16_t head, n;
	uint32_t cap;

	offl_open(&tp, VIRTIO_BIT(VIRTIO_NET_F_MRG_RXBUF),
		RTE_ETH_RX_OFFLOAD_SCATTER, 0, RTE_PKTMBUF_HEADROOM + 512);
	/* the rest of a packet not used yet: wait, then deliver it whole */
	inject_nb(&tp, 1400, 1, TRUE_NB, 1);
	CHECK_EQ(rte_eth_rx_burst(tp.port_id, 0, pkts, BURST), 0);
	model_rx_publish(&tp.model);
	CHECK_EQ(rte_eth_rx_burst(tp.port_id, 0, pkts, BURST), 1);
	CHECK(offl_same(pkts[0], pkt, 1400));
	CHECK_EQ(pkts[0]->nb_segs, 3);
	rte_pktmbuf_free(pkts[0]);
	CHECK_EQ(offl_port_stats(&tp).ierrors, 0);
	/* num_buffers 0 */
	inject_nb(&tp, 300, 2, 0, 0);
	CHECK_EQ(rte_eth_rx_burst(tp.port_id, 0, pkts, BURST), 0);
	CHECK_EQ(offl_port_stats(&tp).ierrors, 1);
	rx_good_after(&tp, 100);
	/* more buffers than the ring has: can never complete */
	inject_nb(&tp, 300, 3, 300, 0);
	CHECK_EQ(rte_eth_rx_burst(tp.port_id, 0, pkts, BURST), 0);
	CHECK_EQ(offl_port_stats(&tp).ierrors, 2);
	rx_good_after(&tp, 200);
	/*
	 * a bad count on a 3-buffer packet: its continuations (no header)
	 * are dropped with it, never parsed as packets; one error
	 */
	{
		struct vmmio_rxq *rxq = rte_eth_devices[tp.port_id].data->rx_queues[0];

		inject_nb(&tp, 1400, 9, 0, 0);
		CHECK_EQ(rte_eth_rx_burst(tp.port_id, 0, pkts, BURST), 0);
		CHECK_EQ(offl_port_stats(&tp).ierrors, 3);
		CHECK_EQ(tp_used_pending(&rxq->vq), 0);
		inject_nb(&tp, 1400, 10, 300, 0);
		CHECK_EQ(rte_eth_rx_burst(tp.port_id, 0, pkts, BURST), 0);
		CHECK_EQ(offl_port_stats(&tp).ierrors, 4);
		rx_good_after(&tp, 250);
	}
	/* a continuation entry naming no posted buffer: the packet is dropped */
	inject_nb(&tp, 300, 4, 2, 0);
	model_put_used(&tp.model, MODEL_RXQ, 9999, 100);
	CHECK_EQ(rte_eth_rx_burst(tp.port_id, 0, pkts, BURST), 0);
	CHECK_EQ(offl_port_stats(&tp).ierrors, 5);
	rx_good_after(&tp, 300);
	/* a continuation longer than its buffer */
	inject_nb(&tp, 300, 5, 2, 0);
	CHECK_EQ(model_take(&tp.model, MODEL_RXQ, &head, &cap), 0);
	model_put_used(&tp.model, MODEL_RXQ, head, cap + 1);
	CHECK_EQ(rte_eth_rx_burst(tp.port_id, 0, pkts, BURST), 0);
	CHECK_EQ(offl_port_stats(&tp).ierrors, 6);
	rx_good_after(&tp, 400);
	/*
	 * an oversized first buffer of a 3-buffer packet: the whole packet is
	 * dropped, its continuations (no header) are not parsed as packets
	 */
	{
		struct vmmio_rxq *rxq = rte_eth_devices[tp.port_id].data->rx_queues[0];
		struct vmmio_vq *vq = &rxq->vq;
		uint64_t errs = offl_port_stats(&tp).ierrors;

		inject_nb(&tp, 1400, 8, TRUE_NB, 0);
		*tp_used_len(vq) = rxq->buf_len + 1;
		CHECK_EQ(rte_eth_rx_burst(tp.port_id, 0, pkts, BURST), 0);
		CHECK_EQ(offl_port_stats(&tp).ierrors, errs + 1);
		CHECK_EQ(tp_used_pending(vq), 0);
		rx_good_after(&tp, 600);
	}
	/* a count one too high swallows the next packet: delivered as one */
	inject_nb(&tp, 300, 6, 2, 0);
	inject_nb(&tp, 200, 7, TRUE_NB, 0);
	n = rte_eth_rx_burst(tp.port_id, 0, pkts, BURST);
	CHECK_EQ(n, 1);
	CHECK_EQ(pkts[0]->pkt_len, 300 + 12 + 200);
	rte_pktmbuf_free(pkts[0]);
	rx_good_after(&tp, 500);
	model_clear_errors(&tp.model);
	tp_close(&tp);
}
