/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Helpers of the offload tests (test_offload.h): ports with offloads,
 * reference frames with correct checksums, mbuf chains, one frame through
 * the port each way.
 */
#include <string.h>

#include <rte_ip.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "test_offload.h"

struct model_frame *offl_frames;
uint8_t offl_out[VIRTIO_NET_MAX_GSO_FRAME];

static bool
legacy(void)
{
	return test_version == VIRTIO_MMIO_VERSION_LEGACY;
}

/* Variant's base features plus @p extra. */
void
offl_opts(struct model_opts *o, uint64_t extra)
{
	test_opts(o);
	o->features = VIRTIO_BIT(VIRTIO_NET_F_MAC) | VIRTIO_BIT(VIRTIO_NET_F_STATUS) |
		(legacy() ? VIRTIO_BIT(VIRTIO_F_ANY_LAYOUT) :
		 VIRTIO_BIT(VIRTIO_F_VERSION_1)) | extra;
}

/* Port on a device offering @p features, with offloads @p rx / @p tx on. */
void
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
uint32_t
offl_build(uint8_t *buf, bool v6, bool udp, uint32_t payload, uint32_t seq)
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

/* Offset of the L4 checksum field in a frame made by offl_build(). */
uint32_t
offl_csum_at(bool v6, bool udp)
{
	return RTE_ETHER_HDR_LEN + (v6 ? 40 : 20) + (udp ? 6 : 16);
}

/* Pseudo-header sum with the L4 length, as Linux stores it for NEEDS_CSUM. */
uint16_t
offl_phdr_with_len(const uint8_t *buf, bool v6)
{
	const void *ip = buf + RTE_ETHER_HDR_LEN;

	return v6 ? rte_ipv6_phdr_cksum(ip, 0) : rte_ipv4_phdr_cksum(ip, 0);
}

/* Mbuf chain holding @p len bytes of @p buf in segments of at most @p seg. */
struct rte_mbuf *
offl_mbuf_of(struct rte_mempool *mp, const uint8_t *buf, uint32_t len, uint32_t seg)
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
bool
offl_same(const struct rte_mbuf *m, const uint8_t *ref, uint32_t len)
{
	/* its own buffer: offl_out may be the reference */
	static uint8_t flat[VIRTIO_NET_MAX_GSO_FRAME];
	const void *p;

	if (m->pkt_len != len)
		return false;
	p = rte_pktmbuf_read(m, 0, len, flat);
	return p != NULL && memcmp(p, ref, len) == 0;
}

void
offl_hdr_of(const struct model_frame *f, struct virtio_net_hdr *h)
{
	memset(h, 0, sizeof(*h));
	memcpy(h, f->hdr, f->hdr_len);
}

struct rte_eth_stats
offl_port_stats(const struct test_port *tp)
{
	struct rte_eth_stats st;

	stats(tp, &st);
	return st;
}

/* Send @p m after rte_eth_tx_prepare; collect exactly one frame. */
struct model_frame *
offl_send_one(struct test_port *tp, struct rte_mbuf *m)
{
	CHECK_EQ(rte_eth_tx_prepare(tp->port_id, 0, &m, 1), 1);
	CHECK_EQ(rte_eth_tx_burst(tp->port_id, 0, &m, 1), 1);
	CHECK_EQ(model_tx_collect(&tp->model, offl_frames, 2), 1);
	return &offl_frames[0];
}

/* Inject @p len bytes of @p buf with header @p h; receive it (or nothing). */
struct rte_mbuf *
offl_rx_with(struct test_port *tp, const struct virtio_net_hdr *h, bool force,
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

struct virtio_net_hdr
offl_mkhdr(uint8_t flags, uint8_t gso, uint16_t gso_size, uint16_t start,
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
