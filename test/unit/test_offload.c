/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Offloads on the wire (virtio 1.2 5.1.6.2 transmit, 5.1.6.4 receive):
 * capabilities and negotiation, the transmit header for checksum and TSO,
 * receive flags from the header, MRG_RXBUF chains and num_buffers
 * (including a device that lies about it), and a GSO frame forwarded whole.
 */
#include <string.h>

#include <rte_ip.h>
#include <rte_net.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include <ethdev_driver.h>

#include "test_common.h"
#include "vmmio_rxtx.h"

#define BURST		32
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

static struct model_frame *frames;	/* MODEL_TX_LOG_MAX collected frames */
static uint8_t pkt[VIRTIO_NET_MAX_GSO_FRAME];
static uint8_t out[VIRTIO_NET_MAX_GSO_FRAME];

static bool
legacy(void)
{
	return test_version == VIRTIO_MMIO_VERSION_LEGACY;
}

/* Variant's base features plus @p extra. */
static void
offl_opts(struct model_opts *o, uint64_t extra)
{
	test_opts(o);
	o->features = VIRTIO_BIT(VIRTIO_NET_F_MAC) | VIRTIO_BIT(VIRTIO_NET_F_STATUS) |
		(legacy() ? VIRTIO_BIT(VIRTIO_F_ANY_LAYOUT) :
		 VIRTIO_BIT(VIRTIO_F_VERSION_1)) | extra;
}

/* Port on a device offering @p features, with offloads @p rx / @p tx on. */
static void
offl_open(struct test_port *tp, uint64_t features, uint64_t rx, uint64_t tx,
	uint16_t data_room)
{
	struct rte_eth_conf conf;
	struct model_opts o;

	offl_opts(&o, features);
	memset(&conf, 0, sizeof(conf));
	conf.rxmode.offloads = rx;
	conf.txmode.offloads = tx;
	CHECK_EQ(tp_create(tp, &o), 0);
	tp_setup_ex(tp, &conf, 0, 0, data_room);
	tp_start(tp);
}

/*
 * Ethernet + IPv4/IPv6 + TCP/UDP frame with @p payload bytes and correct
 * checksums in @p buf; returns its length.
 */
static uint32_t
build(uint8_t *buf, bool v6, bool udp, uint32_t payload, uint32_t seq)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)buf;
	uint32_t l3 = v6 ? sizeof(struct rte_ipv6_hdr) : sizeof(struct rte_ipv4_hdr);
	uint32_t l4 = udp ? sizeof(struct rte_udp_hdr) : sizeof(struct rte_tcp_hdr);
	uint8_t *ip = buf + RTE_ETHER_HDR_LEN, *th = ip + l3, *data = th + l4;
	uint32_t i, len = RTE_ETHER_HDR_LEN + l3 + l4 + payload;

	memset(buf, 0, RTE_ETHER_HDR_LEN + l3 + l4);
	frame_fill(buf, 14, seq);	/* the test MACs */
	eth->ether_type = rte_cpu_to_be_16(v6 ? RTE_ETHER_TYPE_IPV6 :
		RTE_ETHER_TYPE_IPV4);
	if (v6) {
		static const uint8_t src6[16] = { 0x20, [15] = 1 };
		static const uint8_t dst6[16] = { 0x20, [15] = 2 };
		struct rte_ipv6_hdr *h = (struct rte_ipv6_hdr *)ip;

		h->vtc_flow = rte_cpu_to_be_32(6u << 28);
		h->payload_len = rte_cpu_to_be_16((uint16_t)(l4 + payload));
		h->proto = udp ? IPPROTO_UDP : IPPROTO_TCP;
		h->hop_limits = 64;
		/* an array before DPDK 24.11, struct rte_ipv6_addr since */
		memcpy(&h->src_addr, src6, sizeof(src6));
		memcpy(&h->dst_addr, dst6, sizeof(dst6));
	} else {
		struct rte_ipv4_hdr *h = (struct rte_ipv4_hdr *)ip;

		h->version_ihl = RTE_IPV4_VHL_DEF;
		h->total_length = rte_cpu_to_be_16((uint16_t)(l3 + l4 + payload));
		h->time_to_live = 64;
		h->next_proto_id = udp ? IPPROTO_UDP : IPPROTO_TCP;
		/* unsigned: DPDK 22.11's RTE_IPV4 shifts an int (198 << 24 is UB) */
		h->src_addr = rte_cpu_to_be_32(RTE_IPV4(198u, 18u, 0u, 1u));
		h->dst_addr = rte_cpu_to_be_32(RTE_IPV4(198u, 18u, 0u, 2u));
		h->hdr_checksum = rte_ipv4_cksum(h);
	}
	if (udp) {
		struct rte_udp_hdr *u = (struct rte_udp_hdr *)th;

		u->src_port = rte_cpu_to_be_16(1000);
		u->dst_port = rte_cpu_to_be_16(2000);
		u->dgram_len = rte_cpu_to_be_16((uint16_t)(l4 + payload));
	} else {
		struct rte_tcp_hdr *t = (struct rte_tcp_hdr *)th;

		t->src_port = rte_cpu_to_be_16(1000);
		t->dst_port = rte_cpu_to_be_16(5201);
		t->sent_seq = rte_cpu_to_be_32(seq);
		t->data_off = (sizeof(*t) / 4) << 4;
		t->tcp_flags = RTE_TCP_ACK_FLAG;
		t->rx_win = rte_cpu_to_be_16(512);
	}
	for (i = 0; i < payload; i++)
		data[i] = (uint8_t)(seq * 7 + i * 13 + (i >> 9));
	/* the reference: a correct L4 checksum */
	if (v6) {
		uint16_t c = rte_ipv6_udptcp_cksum((struct rte_ipv6_hdr *)ip, th);

		if (udp)
			((struct rte_udp_hdr *)th)->dgram_cksum = c;
		else
			((struct rte_tcp_hdr *)th)->cksum = c;
	} else {
		uint16_t c = rte_ipv4_udptcp_cksum((struct rte_ipv4_hdr *)ip, th);

		if (udp)
			((struct rte_udp_hdr *)th)->dgram_cksum = c;
		else
			((struct rte_tcp_hdr *)th)->cksum = c;
	}
	return len;
}

/* Offset of the L4 checksum field in a frame made by build(). */
static uint32_t
csum_at(bool v6, bool udp)
{
	return RTE_ETHER_HDR_LEN + (v6 ? 40 : 20) + (udp ? 6 : 16);
}

/* Pseudo-header sum with the L4 length, as Linux stores it for NEEDS_CSUM. */
static uint16_t
phdr_with_len(const uint8_t *buf, bool v6)
{
	const void *ip = buf + RTE_ETHER_HDR_LEN;

	return v6 ? rte_ipv6_phdr_cksum(ip, 0) : rte_ipv4_phdr_cksum(ip, 0);
}

/* Mbuf chain holding @p len bytes of @p buf in segments of at most @p seg. */
static struct rte_mbuf *
mbuf_of(struct rte_mempool *mp, const uint8_t *buf, uint32_t len, uint32_t seg)
{
	struct rte_mbuf *head = NULL, *m;
	uint32_t off, n;

	for (off = 0; off < len; off += n) {
		n = RTE_MIN(seg, len - off);
		m = rte_pktmbuf_alloc(mp);
		CHECK(m != NULL);
		CHECK(rte_pktmbuf_tailroom(m) >= n);
		memcpy(rte_pktmbuf_append(m, (uint16_t)n), buf + off, n);
		if (head == NULL)
			head = m;
		else
			CHECK_EQ(rte_pktmbuf_chain(head, m), 0);
	}
	return head;
}

/* Packet @p m equals @p len bytes of @p ref. */
static bool
same(const struct rte_mbuf *m, const uint8_t *ref, uint32_t len)
{
	const void *p;

	if (m->pkt_len != len)
		return false;
	p = rte_pktmbuf_read(m, 0, len, out);
	return p != NULL && memcmp(p, ref, len) == 0;
}

static void
hdr_of(const struct model_frame *f, struct virtio_net_hdr *h)
{
	memset(h, 0, sizeof(*h));
	memcpy(h, f->hdr, f->hdr_len);
}

static struct rte_eth_stats
port_stats(const struct test_port *tp)
{
	struct rte_eth_stats st;

	stats(tp, &st);
	return st;
}

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

/* Send @p m after rte_eth_tx_prepare; collect exactly one frame. */
static struct model_frame *
send_one(struct test_port *tp, struct rte_mbuf *m)
{
	CHECK_EQ(rte_eth_tx_prepare(tp->port_id, 0, &m, 1), 1);
	CHECK_EQ(rte_eth_tx_burst(tp->port_id, 0, &m, 1), 1);
	CHECK_EQ(model_tx_collect(&tp->model, frames, 2), 1);
	return &frames[0];
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
		len = build(pkt, v6s[i], udps[i], 300 + i, i);
		m = mbuf_of(tp.mp, pkt, len, len);
		/* the application leaves the checksum to the device */
		memset(rte_pktmbuf_mtod_offset(m, uint8_t *, csum_at(v6s[i], udps[i])),
			0xee, 2);
		m->l2_len = RTE_ETHER_HDR_LEN;
		m->l3_len = l3;
		m->ol_flags = (v6s[i] ? RTE_MBUF_F_TX_IPV6 : RTE_MBUF_F_TX_IPV4) |
			(udps[i] ? RTE_MBUF_F_TX_UDP_CKSUM : RTE_MBUF_F_TX_TCP_CKSUM);
		f = send_one(&tp, m);
		hdr_of(f, &h);
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
	len = build(pkt, false, false, 100, 9);
	CHECK_EQ(rte_eth_tx_burst(tp.port_id, 0,
		(struct rte_mbuf *[]){ mbuf_of(tp.mp, pkt, len, len) }, 1), 1);
	CHECK_EQ(model_tx_collect(&tp.model, frames, 2), 1);
	hdr_of(&frames[0], &h);
	CHECK(h.flags == 0 && h.csum_start == 0 && !frames[0].csum_done);
	CHECK(memcmp(frames[0].data, pkt, len) == 0);
	CHECK_EQ(port_stats(&tp).oerrors, 0);
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
	uint32_t len, l3 = v6 ? 40 : 20, at = csum_at(v6, false);
	uint16_t want;

	len = build(pkt, v6, false, payload, 3);
	want = phdr_with_len(pkt, v6);
	m = mbuf_of(tp->mp, pkt, len, seg);
	m->l2_len = RTE_ETHER_HDR_LEN;
	m->l3_len = l3;
	m->l4_len = sizeof(struct rte_tcp_hdr);
	m->tso_segsz = MSS;
	m->ol_flags = (v6 ? RTE_MBUF_F_TX_IPV6 : RTE_MBUF_F_TX_IPV4) |
		RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_TCP_CKSUM;
	f = send_one(tp, m);
	hdr_of(f, &h);
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
	len = build(pkt, true, false, 5000, 4);
	m = mbuf_of(tp.mp, pkt, len, 2000);
	m->l2_len = RTE_ETHER_HDR_LEN;
	m->l3_len = 40;
	m->l4_len = 20;
	m->tso_segsz = MSS;
	m->ol_flags = RTE_MBUF_F_TX_IPV6 | RTE_MBUF_F_TX_TCP_SEG;
	rte_errno = 0;
	CHECK_EQ(rte_eth_tx_prepare(tp.port_id, 0, &m, 1), 0);
	CHECK_EQ(rte_errno, ENOTSUP);
	CHECK_EQ(rte_eth_tx_burst(tp.port_id, 0, &m, 1), 1);
	CHECK_EQ(model_tx_collect(&tp.model, frames, 2), 0);
	st = port_stats(&tp);
	CHECK_EQ(st.oerrors, 1);
	CHECK_EQ(st.opackets, 0);
	/* IPv4 TSO still works; tso_segsz 0 is refused */
	tso_one(&tp, false, 3000, 2048);
	m = mbuf_of(tp.mp, pkt, 200, 200);
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
		len = build(pkt, false, false, 64, i);
		m = mbuf_of(tp.mp, pkt, len, len);
		m->l2_len = RTE_ETHER_HDR_LEN;
		m->l3_len = 20;
		m->ol_flags = bad[i];
		rte_errno = 0;
		CHECK_EQ(rte_eth_tx_prepare(tp.port_id, 0, &m, 1), 0);
		CHECK_EQ(rte_errno, ENOTSUP);
		rte_pktmbuf_free(m);
	}
	/* sent anyway: dropped and counted, never a header the device forbids */
	len = build(pkt, false, false, 64, 7);
	m = mbuf_of(tp.mp, pkt, len, len);
	m->l2_len = RTE_ETHER_HDR_LEN;
	m->l3_len = 20;
	m->ol_flags = bad[0];
	CHECK_EQ(rte_eth_tx_burst(tp.port_id, 0, &m, 1), 1);
	CHECK_EQ(model_tx_collect(&tp.model, frames, 2), 0);
	CHECK_EQ(port_stats(&tp).oerrors, 1);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/* Inject @p len bytes of @p buf with header @p h; receive it (or nothing). */
static struct rte_mbuf *
rx_with(struct test_port *tp, const struct virtio_net_hdr *h, bool force,
	const uint8_t *buf, uint32_t len)
{
	struct model_rx_opts o;
	struct rte_mbuf *m = NULL;

	memset(&o, 0, sizeof(o));
	o.hdr = *h;
	o.force = force;
	CHECK_EQ(model_rx_inject_ex(&tp->model, &o, buf, len), 0);
	if (rx_some(tp, &m, 1) == 0)
		return NULL;
	return m;
}

static struct virtio_net_hdr
mkhdr(uint8_t flags, uint8_t gso, uint16_t gso_size, uint16_t start,
	uint16_t off)
{
	struct virtio_net_hdr h;

	memset(&h, 0, sizeof(h));
	h.flags = flags;
	h.gso_type = gso;
	h.gso_size = gso_size;
	h.csum_start = start;
	h.csum_offset = off;
	return h;
}

/* 5.1.6.4: receive flags become RTE_MBUF_F_RX_L4_CKSUM_* and lengths. */
static void
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
	len = build(pkt, false, false, 500, 1);
	at = csum_at(false, false);
	sum = phdr_with_len(pkt, false);
	memcpy(&pkt[at], &sum, 2);
	h = mkhdr(VIRTIO_NET_HDR_F_NEEDS_CSUM, 0, 0, 34, 16);
	m = rx_with(&tp, &h, false, pkt, len);
	CHECK(m != NULL && same(m, pkt, len));
	CHECK_EQ(m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK, RTE_MBUF_F_RX_L4_CKSUM_NONE);
	CHECK_EQ(m->packet_type & RTE_PTYPE_L4_MASK, RTE_PTYPE_L4_TCP);
	CHECK(RTE_ETH_IS_IPV4_HDR(m->packet_type));
	CHECK(m->l2_len == 14 && m->l3_len == 20 && m->l4_len == 20);
	rte_pktmbuf_free(m);
	/* UDP over IPv6 likewise */
	len = build(pkt, true, true, 99, 2);
	h = mkhdr(VIRTIO_NET_HDR_F_NEEDS_CSUM, 0, 0, 54, 6);
	m = rx_with(&tp, &h, false, pkt, len);
	CHECK(m != NULL);
	CHECK_EQ(m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK, RTE_MBUF_F_RX_L4_CKSUM_NONE);
	CHECK_EQ(m->packet_type & RTE_PTYPE_L4_MASK, RTE_PTYPE_L4_UDP);
	CHECK_EQ(m->l3_len, 40);
	rte_pktmbuf_free(m);
	/* validated by the device: GOOD */
	len = build(pkt, false, true, 77, 3);
	h = mkhdr(VIRTIO_NET_HDR_F_DATA_VALID, 0, 0, 0, 0);
	m = rx_with(&tp, &h, false, pkt, len);
	CHECK(m != NULL);
	CHECK_EQ(m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK, RTE_MBUF_F_RX_L4_CKSUM_GOOD);
	rte_pktmbuf_free(m);
	/* no flags: checksum unknown, packet type still parsed */
	h = mkhdr(0, 0, 0, 0, 0);
	m = rx_with(&tp, &h, false, pkt, len);
	CHECK(m != NULL);
	CHECK_EQ(m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK, RTE_MBUF_F_RX_L4_CKSUM_UNKNOWN);
	CHECK_EQ(m->packet_type, RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV4 | RTE_PTYPE_L4_UDP);
	rte_pktmbuf_free(m);
	/* NEEDS_CSUM on a frame that is not TCP/UDP: completed in software */
	frame_fill(pkt, 200, 4);
	pkt[24] = pkt[25] = 0;
	h = mkhdr(VIRTIO_NET_HDR_F_NEEDS_CSUM, 0, 0, 20, 4);
	m = rx_with(&tp, &h, false, pkt, 200);
	CHECK(m != NULL);
	CHECK_EQ(m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK, RTE_MBUF_F_RX_L4_CKSUM_GOOD);
	CHECK_EQ(rte_raw_cksum(rte_pktmbuf_mtod_offset(m, void *, 20), 180), 0xffff);
	rte_pktmbuf_free(m);
	CHECK_EQ(port_stats(&tp).ierrors, 0);
	/* checksum position outside the packet: dropped, counted */
	h = mkhdr(VIRTIO_NET_HDR_F_NEEDS_CSUM, 0, 0, 190, 30);
	CHECK(rx_with(&tp, &h, false, pkt, 200) == NULL);
	CHECK_EQ(port_stats(&tp).ierrors, 1);
	/* GSO the driver did not negotiate (no LRO): dropped, counted */
	len = build(pkt, false, false, 1000, 5);
	h = mkhdr(VIRTIO_NET_HDR_F_NEEDS_CSUM, VIRTIO_NET_HDR_GSO_TCPV4, 500, 34, 16);
	CHECK(rx_with(&tp, &h, true, pkt, len) == NULL);
	CHECK_EQ(port_stats(&tp).ierrors, 2);
	model_clear_errors(&tp.model);
	tp_close(&tp);
}

/*
 * Receive a partial-checksum frame (NEEDS_CSUM, pseudo-header sum in the
 * field) built by build(); expect it finished (the reference frame, GOOD)
 * or left for TX offload (NONE).
 */
static void
rx_partial(struct test_port *tp, bool v6, bool udp, bool finished)
{
	struct virtio_net_hdr h;
	struct rte_mbuf *m;
	uint32_t len, at;
	uint16_t sum;

	len = build(pkt, v6, udp, 300, 21);
	memcpy(out, pkt, len);	/* the reference, checksum complete */
	at = csum_at(v6, udp);
	sum = phdr_with_len(pkt, v6);
	memcpy(&pkt[at], &sum, 2);
	h = mkhdr(VIRTIO_NET_HDR_F_NEEDS_CSUM, 0, 0, at - (udp ? 6 : 16),
		udp ? 6 : 16);
	m = rx_with(tp, &h, false, pkt, len);
	CHECK(m != NULL);
	if (finished) {
		CHECK(same(m, out, len));
		CHECK_EQ(m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK,
			RTE_MBUF_F_RX_L4_CKSUM_GOOD);
	} else {
		CHECK(same(m, pkt, len));
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
static void
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
		CHECK_EQ(port_stats(&tp).ierrors, 0);
		tp_close(&tp);
	}
	/* an LRO super-frame (multi-segment) is finished over all its bytes */
	offl_open(&tp, OFFLOAD_FEATURES, RX_ALL, RTE_ETH_TX_OFFLOAD_MULTI_SEGS, 0);
	len = build(pkt, false, false, 6000, 22);
	memcpy(out, pkt, len);
	sum = phdr_with_len(pkt, false);
	memcpy(&pkt[csum_at(false, false)], &sum, 2);
	h = mkhdr(VIRTIO_NET_HDR_F_NEEDS_CSUM, VIRTIO_NET_HDR_GSO_TCPV4, MSS, 34, 16);
	h.hdr_len = 54;
	m = rx_with(&tp, &h, false, pkt, len);
	CHECK(m != NULL);
	CHECK(m->nb_segs > 1);
	CHECK(same(m, out, len));
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
static void
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
			len = build(pkt, i & 1, i & 2, 64, i);
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
		len = build(pkt, false, false, 64, 9);
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

	len = build(pkt, v6, false, payload, 11);
	sum = phdr_with_len(pkt, v6);
	memcpy(&pkt[csum_at(v6, false)], &sum, 2);
	h = mkhdr(VIRTIO_NET_HDR_F_NEEDS_CSUM, v6 ? VIRTIO_NET_HDR_GSO_TCPV6 :
		VIRTIO_NET_HDR_GSO_TCPV4, MSS, 14 + l3, 16);
	h.hdr_len = 14 + l3 + 20;
	m = rx_with(tp, &h, false, pkt, len);
	CHECK(m != NULL);
	CHECK(same(m, pkt, len));
	CHECK(m->nb_segs > 1);
	CHECK(m->ol_flags & RTE_MBUF_F_RX_LRO);
	CHECK_EQ(m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK, RTE_MBUF_F_RX_L4_CKSUM_NONE);
	CHECK_EQ(m->tso_segsz, MSS);
	CHECK(m->l2_len == 14 && m->l3_len == l3 && m->l4_len == 20);
	rte_pktmbuf_free(m);
}

static void
test_rx_lro(void)
{
	struct test_port tp;

	offl_open(&tp, OFFLOAD_FEATURES, RX_ALL, TX_ALL, 0);
	CHECK_EQ(tp.model.vq[MODEL_RXQ].num, 256);
	rx_lro_one(&tp, false, 30000);
	rx_lro_one(&tp, true, 12000);
	rx_lro_one(&tp, false, 65000);
	CHECK_EQ(port_stats(&tp).ierrors, 0);
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
	uint32_t len, at = csum_at(false, false);
	uint16_t sum;

	offl_open(&tp, OFFLOAD_FEATURES, RX_ALL, TX_ALL, 0);
	len = build(pkt, false, false, 40000, 21);
	sum = phdr_with_len(pkt, false);
	memcpy(&pkt[at], &sum, 2);
	h = mkhdr(VIRTIO_NET_HDR_F_NEEDS_CSUM, VIRTIO_NET_HDR_GSO_TCPV4, MSS, 34, 16);
	h.hdr_len = 54;
	m = rx_with(&tp, &h, false, pkt, len);
	CHECK(m != NULL);
	CHECK(m->ol_flags & RTE_MBUF_F_RX_LRO);
	/* what examples/l2fwd does */
	m->packet_type = rte_net_get_ptype(m, &hl, RTE_PTYPE_ALL_MASK);
	m->l2_len = hl.l2_len;
	m->l3_len = hl.l3_len;
	m->l4_len = hl.l4_len;
	m->ol_flags = RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_TCP_SEG |
		RTE_MBUF_F_TX_TCP_CKSUM;
	f = send_one(&tp, m);
	hdr_of(f, &h);
	CHECK_EQ(h.gso_type, VIRTIO_NET_HDR_GSO_TCPV4);
	CHECK_EQ(h.gso_size, MSS);
	CHECK_EQ(h.flags, VIRTIO_NET_HDR_F_NEEDS_CSUM);
	CHECK_EQ(f->len, len);
	/* same bytes, the pseudo-header sum in place as received */
	CHECK(memcmp(f->data, pkt, len) == 0);
	CHECK_EQ(port_stats(&tp).ierrors + port_stats(&tp).oerrors, 0);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/*
 * The receive path is chosen at start from what the port asks for: the
 * burst function ethdev calls and the name rx_burst_mode_get reports.
 */
static void
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
static void
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
		CHECK(same(m, pkt, lens[i]));
		/*
		 * 140-byte buffers (128 + header in the headroom): the first
		 * holds the header and 128 bytes, the others 140 bytes of data
		 */
		CHECK_EQ(m->nb_segs, 1 + (RTE_MAX(lens[i], 128u) - 128 + 139) / 140);
		CHECK_EQ(rte_mbuf_check(m, 1, NULL), 0);
		bytes += lens[i];
		rte_pktmbuf_free(m);
	}
	st = port_stats(&tp);
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
	CHECK_EQ(port_stats(&tp).ierrors, 1);
	frame_fill(pkt, 1514, 2);
	CHECK_EQ(model_rx_inject(&tp.model, pkt, 1514), 0);
	CHECK_EQ(rx_some(&tp, &m, 1), 1);
	CHECK(same(m, pkt, 1514));
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
	uint64_t errs = port_stats(tp).ierrors;
	uint32_t i, len;

	for (i = 0; i < 40; i++) {
		len = 100 + 97 * i;
		frame_fill(pkt, len, seq + i);
		CHECK_EQ(model_rx_inject(&tp->model, pkt, len), 0);
		CHECK_EQ(rx_some(tp, &m, 1), 1);
		CHECK(same(m, pkt, len));
		rte_pktmbuf_free(m);
	}
	CHECK_EQ(port_stats(tp).ierrors, errs);
}

/* A device lying about num_buffers: no crash, no leak, no hang. */
static void
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
	CHECK(same(pkts[0], pkt, 1400));
	CHECK_EQ(pkts[0]->nb_segs, 3);
	rte_pktmbuf_free(pkts[0]);
	CHECK_EQ(port_stats(&tp).ierrors, 0);
	/* num_buffers 0 */
	inject_nb(&tp, 300, 2, 0, 0);
	CHECK_EQ(rte_eth_rx_burst(tp.port_id, 0, pkts, BURST), 0);
	CHECK_EQ(port_stats(&tp).ierrors, 1);
	rx_good_after(&tp, 100);
	/* more buffers than the ring has: can never complete */
	inject_nb(&tp, 300, 3, 300, 0);
	CHECK_EQ(rte_eth_rx_burst(tp.port_id, 0, pkts, BURST), 0);
	CHECK_EQ(port_stats(&tp).ierrors, 2);
	rx_good_after(&tp, 200);
	/*
	 * a bad count on a 3-buffer packet: its continuations (no header)
	 * are dropped with it, never parsed as packets; one error
	 */
	{
		struct vmmio_rxq *rxq = rte_eth_devices[tp.port_id].data->rx_queues[0];

		inject_nb(&tp, 1400, 9, 0, 0);
		CHECK_EQ(rte_eth_rx_burst(tp.port_id, 0, pkts, BURST), 0);
		CHECK_EQ(port_stats(&tp).ierrors, 3);
		CHECK_EQ(tp_used_pending(&rxq->vq), 0);
		inject_nb(&tp, 1400, 10, 300, 0);
		CHECK_EQ(rte_eth_rx_burst(tp.port_id, 0, pkts, BURST), 0);
		CHECK_EQ(port_stats(&tp).ierrors, 4);
		rx_good_after(&tp, 250);
	}
	/* a continuation entry naming no posted buffer: the packet is dropped */
	inject_nb(&tp, 300, 4, 2, 0);
	model_put_used(&tp.model, MODEL_RXQ, 9999, 100);
	CHECK_EQ(rte_eth_rx_burst(tp.port_id, 0, pkts, BURST), 0);
	CHECK_EQ(port_stats(&tp).ierrors, 5);
	rx_good_after(&tp, 300);
	/* a continuation longer than its buffer */
	inject_nb(&tp, 300, 5, 2, 0);
	CHECK_EQ(model_take(&tp.model, MODEL_RXQ, &head, &cap), 0);
	model_put_used(&tp.model, MODEL_RXQ, head, cap + 1);
	CHECK_EQ(rte_eth_rx_burst(tp.port_id, 0, pkts, BURST), 0);
	CHECK_EQ(port_stats(&tp).ierrors, 6);
	rx_good_after(&tp, 400);
	/*
	 * an oversized first buffer of a 3-buffer packet: the whole packet is
	 * dropped, its continuations (no header) are not parsed as packets
	 */
	{
		struct vmmio_rxq *rxq = rte_eth_devices[tp.port_id].data->rx_queues[0];
		struct vmmio_vq *vq = &rxq->vq;
		uint64_t errs = port_stats(&tp).ierrors;

		inject_nb(&tp, 1400, 8, TRUE_NB, 0);
		*tp_used_len(vq) = rxq->buf_len + 1;
		CHECK_EQ(rte_eth_rx_burst(tp.port_id, 0, pkts, BURST), 0);
		CHECK_EQ(port_stats(&tp).ierrors, errs + 1);
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

int
main(int argc, char **argv)
{
	test_init(argc, argv);
	frames = calloc(MODEL_TX_LOG_MAX, sizeof(*frames));
	CHECK(frames != NULL);
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
	free(frames);
	return test_done();
}
