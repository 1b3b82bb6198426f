/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-packet cost of the PMD's burst functions on the software device model.
 *
 *   vmmio_cost modern|legacy|packed rx|tx BURST PACKETS [evidx|noevidx]
 *              [fastfree] [offload]
 *
 * modern and packed: a Version 2 device, with split virtqueues or offering
 * VIRTIO_F_RING_PACKED (virtio 1.2 section 2.8); legacy: Version 1.
 * evidx: the model offers VIRTIO_F_EVENT_IDX and the PMD negotiates it
 * (noevidx, the default: flag-based suppression); fastfree: the port enables
 * RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE; offload: the offload paths instead of
 * the plain ones: the device offers CSUM and GUEST_CSUM, the port enables
 * UDP checksum offload both ways and keeps packet_type parsing on, the
 * frames are IPv4/UDP, received with DATA_VALID and sent asking for
 * RTE_MBUF_F_TX_UDP_CKSUM.
 *
 * Steady state: after a warm-up of a few ring turns, PACKETS packets go
 * through the burst function BURST at a time. The model is synchronous, so
 * the device's work (frames into the used ring for RX, chains out of the
 * avail ring for TX) runs between bursts and is never inside one.
 *
 * Under callgrind (--collect-atstart=no) only the burst calls are collected,
 * through client requests around each call, and the model's register
 * handlers are switched off again inside them: the count is the PMD's own
 * instructions, mempool work included. Without valgrind the client requests
 * are a few no-op instructions and the program reports TSC time of the
 * burst calls (the model's register handlers included there).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_udp.h>

#include <valgrind/callgrind.h>

#include "test_common.h"

#define BENCH_FRAME_LEN		TEST_FRAME_MIN
#define BENCH_BURST_MAX		64
#define BENCH_RING		256	/* descriptors per queue */
#define BENCH_WARMUP_TURNS	4	/* ring turns before measuring */
#define BENCH_MP_CACHE		256	/* mbufs per lcore cache */

/* Register accesses made inside measured bursts (doorbells, mostly). */
static bool in_burst;
static uint64_t burst_reg_reads;
static uint64_t burst_reg_writes;

/* The model's register handlers are device work: not counted in a burst. */
static uint32_t
bench_reg_read(struct vmmio_hw *hw, uint32_t off, unsigned int width)
{
	uint32_t v;

	if (!in_burst)
		return model_reg_ops.read(hw, off, width);
	burst_reg_reads++;
	CALLGRIND_TOGGLE_COLLECT;
	v = model_reg_ops.read(hw, off, width);
	CALLGRIND_TOGGLE_COLLECT;
	return v;
}

static void
bench_reg_write(struct vmmio_hw *hw, uint32_t off, uint32_t val,
	unsigned int width)
{
	if (!in_burst) {
		model_reg_ops.write(hw, off, val, width);
		return;
	}
	burst_reg_writes++;
	CALLGRIND_TOGGLE_COLLECT;
	model_reg_ops.write(hw, off, val, width);
	CALLGRIND_TOGGLE_COLLECT;
}

static const struct vmmio_reg_ops bench_reg_ops = {
	.name = "bench-model",
	.read = bench_reg_read,
	.write = bench_reg_write,
};

/* One direction of one port, and what a run measured. */
struct bench {
	struct test_port tp;
	const struct rte_eth_fp_ops *ops;
	bool rx;
	bool offload;		/* the offload paths (see the top) */
	uint16_t burst;
	uint8_t frame[BENCH_FRAME_LEN];
	uint64_t packets;	/* moved by measured bursts */
	uint64_t bursts;
	uint64_t tsc;		/* inside measured burst calls */
};

/* One burst of the PMD, collected (and timed) only when @p measure. */
static uint16_t
bench_call(struct bench *b, struct rte_mbuf **pkts, bool measure)
{
	uint64_t t0;
	uint16_t n;

	if (!measure) {
		if (b->rx)
			return b->ops->rx_pkt_burst(b->ops->rxq.data[0], pkts, b->burst);
		return b->ops->tx_pkt_burst(b->ops->txq.data[0], pkts, b->burst);
	}
	t0 = rte_rdtsc();
	in_burst = true;
	CALLGRIND_TOGGLE_COLLECT;
	if (b->rx)
		n = b->ops->rx_pkt_burst(b->ops->rxq.data[0], pkts, b->burst);
	else
		n = b->ops->tx_pkt_burst(b->ops->txq.data[0], pkts, b->burst);
	CALLGRIND_TOGGLE_COLLECT;
	in_burst = false;
	b->tsc += rte_rdtsc() - t0;
	b->packets += n;
	b->bursts++;
	return n;
}

/* Device fills @c burst RX buffers, the PMD receives them, the app frees them. */
static void
bench_rx_once(struct bench *b, bool measure)
{
	struct rte_mbuf *pkts[BENCH_BURST_MAX];
	uint16_t i, n;

	struct model_rx_opts o = {
		.hdr.flags = b->offload ? VIRTIO_NET_HDR_F_DATA_VALID : 0,
	};

	for (i = 0; i < b->burst; i++)
		CHECK_EQ(model_rx_inject_ex(&b->tp.model, &o, b->frame,
			sizeof(b->frame)), 0);
	n = bench_call(b, pkts, measure);
	CHECK_EQ(n, b->burst);
	rte_pktmbuf_free_bulk(pkts, n);
}

/* The app builds @c burst frames, the PMD sends them, the device takes them. */
static void
bench_tx_once(struct bench *b, bool measure)
{
	struct rte_mbuf *pkts[BENCH_BURST_MAX];
	uint16_t i, n;

	CHECK_EQ(rte_pktmbuf_alloc_bulk(b->tp.mp, pkts, b->burst), 0);
	for (i = 0; i < b->burst; i++) {
		memcpy(rte_pktmbuf_append(pkts[i], sizeof(b->frame)), b->frame,
			sizeof(b->frame));
		if (b->offload) {
			pkts[i]->ol_flags = RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_UDP_CKSUM;
			pkts[i]->l2_len = RTE_ETHER_HDR_LEN;
			pkts[i]->l3_len = sizeof(struct rte_ipv4_hdr);
		}
	}
	n = bench_call(b, pkts, measure);
	CHECK_EQ(n, b->burst);
	CHECK_EQ(model_tx_collect(&b->tp.model, NULL, b->burst), b->burst);
}

static void
bench_run(struct bench *b, uint64_t bursts, bool measure)
{
	uint64_t i;

	for (i = 0; i < bursts; i++) {
		if (b->rx)
			bench_rx_once(b, measure);
		else
			bench_tx_once(b, measure);
	}
}

static void
usage(const char *prog)
{
	fprintf(stderr, "usage: %s modern|legacy|packed rx|tx BURST(1-%d) PACKETS [evidx|noevidx] [fastfree] [offload]\n",
		prog, BENCH_BURST_MAX);
	exit(2);
}

/*
 * IPv4/UDP frame of BENCH_FRAME_LEN bytes, the UDP checksum field holding
 * the pseudo-header sum as rte_eth_tx_prepare() leaves it for the device.
 */
static void
udp_frame(uint8_t *buf)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(buf + RTE_ETHER_HDR_LEN);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);

	((struct rte_ether_hdr *)buf)->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	memset(ip, 0, sizeof(*ip) + sizeof(*udp));
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16(BENCH_FRAME_LEN - RTE_ETHER_HDR_LEN);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = rte_cpu_to_be_32(RTE_IPV4(198, 18, 0, 1));
	ip->dst_addr = rte_cpu_to_be_32(RTE_IPV4(198, 18, 0, 2));
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	udp->src_port = rte_cpu_to_be_16(9);
	udp->dst_port = rte_cpu_to_be_16(9);
	udp->dgram_len = rte_cpu_to_be_16(BENCH_FRAME_LEN - RTE_ETHER_HDR_LEN -
		sizeof(*ip));
	udp->dgram_cksum = rte_ipv4_phdr_cksum(ip, 0);
}

int
main(int argc, char **argv)
{
	static struct bench b;
	char *targv[2];
	uint64_t want, frames0, warm;
	struct rte_eth_stats st;
	struct rte_eth_conf conf;
	struct model_opts o;
	struct rte_eth_burst_mode mode;
	bool evidx = false, fastfree = false;
	uint64_t offl;
	double ns;
	int a;

	for (a = 5; a < argc; a++) {
		if (strcmp(argv[a], "evidx") == 0)
			evidx = true;
		else if (strcmp(argv[a], "noevidx") == 0)
			evidx = false;
		else if (strcmp(argv[a], "fastfree") == 0)
			fastfree = true;
		else if (strcmp(argv[a], "offload") == 0)
			b.offload = true;
		else
			usage(argv[0]);
	}
	if (argc < 5 || (strcmp(argv[2], "rx") != 0 && strcmp(argv[2], "tx") != 0))
		usage(argv[0]);
	b.rx = strcmp(argv[2], "rx") == 0;
	b.burst = (uint16_t)atoi(argv[3]);
	want = strtoull(argv[4], NULL, 0);
	if (b.burst < 1 || b.burst > BENCH_BURST_MAX || want < b.burst)
		usage(argv[0]);
	targv[0] = argv[0];
	targv[1] = argv[1];
	test_init(2, targv);
	frame_fill(b.frame, sizeof(b.frame), 1);
	if (b.offload)
		udp_frame(b.frame);

	test_opts(&o);
	/* the model's default offer, plus what the options ask for */
	offl = VIRTIO_BIT(VIRTIO_NET_F_CSUM) | VIRTIO_BIT(VIRTIO_NET_F_GUEST_CSUM);
	o.features = VIRTIO_BIT(VIRTIO_NET_F_MAC) | VIRTIO_BIT(VIRTIO_NET_F_STATUS) |
		(evidx ? VIRTIO_BIT(VIRTIO_RING_F_EVENT_IDX) : 0) |
		(b.offload ? offl : 0) |
		(test_version == VIRTIO_MMIO_VERSION_LEGACY ?
		VIRTIO_BIT(VIRTIO_F_ANY_LAYOUT) : VIRTIO_BIT(VIRTIO_F_VERSION_1));
	tp_model(&b.tp, &o);
	/*
	 * Mempool cache as l2fwd (256) and testpmd (250) size it: the unit
	 * tests' 32 would send most puts and gets to the pool's shared ring.
	 */
	b.tp.mp_cache = BENCH_MP_CACHE;
	b.tp.hw.reg = &bench_reg_ops;	/* copied into the port at creation */
	CHECK_EQ(tp_create_port(&b.tp), 0);
	memset(&conf, 0, sizeof(conf));
	if (fastfree)
		conf.txmode.offloads = RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE;
	if (b.offload) {
		conf.rxmode.offloads = RTE_ETH_RX_OFFLOAD_UDP_CKSUM;
		conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_UDP_CKSUM;
	}
	tp_setup_ex(&b.tp, &conf, BENCH_RING, BENCH_RING, 0);
	/* as testpmd and l2fwd: no packet_type wanted (offload: ethdev's default) */
	if (!b.offload)
		CHECK_EQ(rte_eth_dev_set_ptypes(b.tp.port_id, RTE_PTYPE_UNKNOWN,
			NULL, 0), 0);
	tp_start(&b.tp);
	b.ops = &rte_eth_fp_ops[b.tp.port_id];
	if ((b.rx ? rte_eth_rx_burst_mode_get : rte_eth_tx_burst_mode_get)(
	    b.tp.port_id, 0, &mode) != 0)
		snprintf(mode.info, sizeof(mode.info), "unknown");

	/* Warm-up: mempool caches, ring indexes and refill/reclaim cycles settle. */
	warm = BENCH_WARMUP_TURNS * BENCH_RING / b.burst + 1;
	bench_run(&b, warm, false);
	frames0 = b.rx ? b.tp.model.rx_frames : b.tp.model.tx_frames;
	bench_run(&b, want / b.burst, true);

	/* The packet count the division uses, checked against the device's. */
	CHECK_EQ(b.packets, (want / b.burst) * b.burst);
	CHECK_EQ((b.rx ? b.tp.model.rx_frames : b.tp.model.tx_frames) - frames0,
		b.packets);
	stats(&b.tp, &st);
	CHECK_EQ(b.rx ? st.ipackets : st.opackets, (warm + b.bursts) * b.burst);
	CHECK_EQ(st.ierrors + st.oerrors, 0);
	CHECK_MODEL_CLEAN(&b.tp.model);

	ns = (double)b.tsc * 1e9 / (double)rte_get_tsc_hz() / (double)b.packets;
	printf("vmmio_cost: variant=%s dir=%s burst=%u packets=%" PRIu64
		" bursts=%" PRIu64 " warmup_packets=%" PRIu64
		" burst_reg_reads=%" PRIu64 " burst_reg_writes=%" PRIu64
		" ns_per_pkt=%.2f valgrind=%d event_idx=%d fast_free=%d offload=%d"
		" path=%s\n",
		test_version == VIRTIO_MMIO_VERSION_LEGACY ? "legacy" :
		test_packed ? "packed" : "modern",
		b.rx ? "rx" : "tx", b.burst, b.packets, b.bursts,
		warm * b.burst, burst_reg_reads, burst_reg_writes, ns,
		RUNNING_ON_VALGRIND ? 1 : 0, evidx, fastfree, b.offload, mode.info);
	tp_close(&b.tp);
	test_ran = 1;
	return test_done();
}
