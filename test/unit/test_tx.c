/* SPDX-License-Identifier: BSD-3-Clause */
/* Transmit path: content, headers, segments, backpressure, notifications, leaks. */
#include <string.h>

#include <ethdev_driver.h>

#include "test_common.h"
#include "vmmio_rxtx.h"

#define BURST	32

static struct model_frame *frames;	/* MODEL_TX_LOG_MAX collected frames */

static bool
legacy(void)
{
	return test_version == VIRTIO_MMIO_VERSION_LEGACY;
}

static void
check_frame(const struct vmmio_model *m, const struct model_frame *f,
	uint32_t seq)
{
	static const uint8_t zero[VIRTIO_NET_HDR_LEN_MODERN];

	CHECK_EQ(f->hdr_len, model_hdr_len(m));
	CHECK(memcmp(f->hdr, zero, f->hdr_len) == 0);
	CHECK_EQ(f->len, frame_len(seq));
	CHECK(frame_ok(f->data, f->len, seq));
}

/* Collect everything the device has and check it is frames first..; returns count. */
static uint32_t
collect_check(struct test_port *tp, uint32_t *next)
{
	uint32_t total = 0;
	int n, i;

	while ((n = model_tx_collect(&tp->model, frames, MODEL_TX_LOG_MAX)) > 0) {
		for (i = 0; i < n; i++)
			check_frame(&tp->model, &frames[i], (*next)++);
		total += n;
	}
	CHECK_EQ(n, 0);
	return total;
}

static void
test_tx_basic(void)
{
	struct rte_mbuf *pkts[BURST];
	struct rte_eth_stats st;
	struct test_port tp;
	uint32_t seq, next = 0;
	uint64_t bytes = 0, notifies;

	tp_open(&tp, NULL, 0, 0);
	notifies = tp.model.vq[MODEL_TXQ].notifies;
	for (seq = 0; seq < 8; seq++) {
		pkts[seq] = mbuf_frame(tp.mp, frame_len(seq), seq);
		bytes += frame_len(seq);
	}
	CHECK_EQ(rte_eth_tx_burst(tp.port_id, 0, pkts, 8), 8);
	/* one burst, one notification */
	CHECK_EQ(tp.model.vq[MODEL_TXQ].notifies, notifies + 1);
	CHECK_EQ(model_avail_pending(&tp.model, MODEL_TXQ), 8);
	CHECK_EQ(collect_check(&tp, &next), 8);
	stats(&tp, &st);
	CHECK_EQ(st.opackets, 8);
	CHECK_EQ(st.obytes, bytes);
	CHECK_EQ(st.oerrors, 0);
	CHECK_EQ(xstat(&tp, "tx_q0_packets"), 8);
	CHECK_EQ(tp.model.tx_bytes, bytes);
	/* an empty burst neither notifies nor publishes */
	CHECK_EQ(rte_eth_tx_burst(tp.port_id, 0, pkts, 0), 0);
	CHECK_EQ(tp.model.vq[MODEL_TXQ].notifies, notifies + 1);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/* A chain of segments arrives as one frame, concatenated in order. */
static struct rte_mbuf *
mbuf_chain(struct rte_mempool *mp, uint32_t seq, const uint16_t *lens,
	unsigned int nseg)
{
	uint8_t buf[RTE_ETHER_MAX_LEN];
	struct rte_mbuf *head = NULL, *m;
	uint32_t off = 0, total = 0;
	unsigned int i;

	for (i = 0; i < nseg; i++)
		total += lens[i];
	frame_fill(buf, total, seq);
	for (i = 0; i < nseg; i++) {
		m = rte_pktmbuf_alloc(mp);
		CHECK(m != NULL);
		memcpy(rte_pktmbuf_append(m, lens[i]), buf + off, lens[i]);
		off += lens[i];
		if (head == NULL)
			head = m;
		else
			CHECK_EQ(rte_pktmbuf_chain(head, m), 0);
	}
	return head;
}

static void
test_tx_multiseg(void)
{
	static const uint16_t lens3[] = { 100, 200, 300 };
	static const uint16_t lens2[] = { 14, 1000 };
	static const uint16_t lens5[] = { 60, 1, 2, 3, 4 };
	struct rte_mbuf *pkts[3];
	struct rte_eth_stats st;
	struct test_port tp;
	int n;

	tp_open(&tp, NULL, 0, 0);
	pkts[0] = mbuf_chain(tp.mp, 1, lens3, 3);
	pkts[1] = mbuf_chain(tp.mp, 2, lens2, 2);
	pkts[2] = mbuf_chain(tp.mp, 3, lens5, 5);
	CHECK_EQ(pkts[0]->nb_segs, 3);
	CHECK_EQ(rte_eth_tx_burst(tp.port_id, 0, pkts, 3), 3);
	n = model_tx_collect(&tp.model, frames, 3);
	CHECK_EQ(n, 3);
	CHECK_EQ(frames[0].len, 600);
	CHECK(frame_ok(frames[0].data, 600, 1));
	CHECK_EQ(frames[0].ndesc, 4);	/* header + 3 segments */
	CHECK_EQ(frames[1].len, 1014);
	CHECK(frame_ok(frames[1].data, 1014, 2));
	CHECK_EQ(frames[1].ndesc, 3);
	CHECK_EQ(frames[2].len, 70);
	CHECK(frame_ok(frames[2].data, 70, 3));
	CHECK_EQ(frames[2].ndesc, 6);
	stats(&tp, &st);
	CHECK_EQ(st.opackets, 3);
	CHECK_EQ(st.obytes, 600 + 1014 + 70);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/*
 * An empty segment in a chain (data_len 0) is valid for DPDK, but a
 * zero-length descriptor is not for real devices (QEMU marks the device
 * broken: "zero sized buffers are not allowed"); the model rejects it too.
 */
static void
test_tx_empty_segment(void)
{
	static const uint16_t lens[] = { 100, 0, 200 };
	struct rte_mbuf *m;
	struct test_port tp;
	int n;

	tp_open(&tp, NULL, 0, 0);
	m = mbuf_chain(tp.mp, 9, lens, RTE_DIM(lens));
	CHECK_EQ(m->nb_segs, 3);
	CHECK_EQ(rte_eth_tx_burst(tp.port_id, 0, &m, 1), 1);
	n = model_tx_collect(&tp.model, frames, 1);
	CHECK_MODEL_CLEAN(&tp.model);
	CHECK_EQ(n, 1);
	CHECK_EQ(frames[0].len, 300);
	CHECK(frame_ok(frames[0].data, 300, 9));
	tp_close(&tp);
}

/* Mbufs the PMD must not write into: shared, indirect, no headroom. */
static void
test_tx_untouchable(void)
{
	struct rte_mbuf *shared, *orig, *clone, *tight, *pkts[3];
	struct test_port tp;
	uint32_t next = 10;
	uint16_t off;

	tp_open(&tp, NULL, 0, 0);
	shared = mbuf_frame(tp.mp, frame_len(10), 10);
	rte_mbuf_refcnt_update(shared, 1);	/* the test keeps a reference */
	off = shared->data_off;
	orig = mbuf_frame(tp.mp, frame_len(11), 11);
	clone = rte_pktmbuf_clone(orig, tp.mp);
	CHECK(clone != NULL && RTE_MBUF_CLONED(clone));
	rte_pktmbuf_free(orig);	/* the clone keeps the data alive */
	tight = rte_pktmbuf_alloc(tp.mp);
	CHECK(tight != NULL);
	tight->data_off = 0;	/* no headroom for the header */
	frame_fill((uint8_t *)rte_pktmbuf_append(tight, frame_len(12)),
		frame_len(12), 12);
	pkts[0] = shared;
	pkts[1] = clone;
	pkts[2] = tight;
	CHECK_EQ(rte_eth_tx_burst(tp.port_id, 0, pkts, 3), 3);
	CHECK_EQ(collect_check(&tp, &next), 3);
	/* the PMD never prepended into a buffer it does not own alone */
	CHECK_EQ(shared->data_off, off);
	CHECK_EQ(shared->pkt_len, frame_len(10));
	CHECK(frame_ok(rte_pktmbuf_mtod(shared, uint8_t *), shared->pkt_len, 10));
	tp_stop(&tp);	/* PMD drops its reference */
	CHECK_EQ(rte_mbuf_refcnt_read(shared), 1);
	rte_pktmbuf_free(shared);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/*
 * Backpressure: with the device not consuming, bursts fill the ring, then
 * return fewer than asked; the caller still owns the rest, untouched.
 */
static void
full_ring(const struct model_opts *o, uint16_t expect_fit)
{
	struct rte_mbuf *pkts[30];
	struct rte_eth_stats st;
	struct test_port tp;
	uint32_t seq = 0, next = 0, queued = 0;
	uint16_t n, i, rest;

	tp_open(&tp, o, 0, 0);
	for (;;) {
		for (i = 0; i < RTE_DIM(pkts); i++)
			pkts[i] = mbuf_frame(tp.mp, frame_len(seq + i), seq + i);
		n = rte_eth_tx_burst(tp.port_id, 0, pkts, RTE_DIM(pkts));
		queued += n;
		seq += n;
		if (n < RTE_DIM(pkts))
			break;
		CHECK(queued <= expect_fit);
	}
	CHECK_EQ(queued, expect_fit);
	rest = RTE_DIM(pkts) - n;
	/* the rest is untouched and still ours */
	for (i = n; i < RTE_DIM(pkts); i++) {
		CHECK_EQ(rte_mbuf_refcnt_read(pkts[i]), 1);
		CHECK_EQ(pkts[i]->data_off, RTE_PKTMBUF_HEADROOM);
		CHECK_EQ(pkts[i]->pkt_len, frame_len(seq + i - n));
		CHECK(frame_ok(rte_pktmbuf_mtod(pkts[i], uint8_t *),
			pkts[i]->pkt_len, seq + i - n));
	}
	CHECK_EQ(rte_eth_tx_burst(tp.port_id, 0, pkts + n, rest), 0);
	CHECK_EQ(tp_mbufs_out(&tp), tp.model.vq[MODEL_RXQ].num + queued + rest);

	/* device consumes: room again, the kept packets go through in order */
	CHECK_EQ(collect_check(&tp, &next), queued);
	CHECK_EQ(rte_eth_tx_burst(tp.port_id, 0, pkts + n, rest), rest);
	CHECK_EQ(collect_check(&tp, &next), rest);
	CHECK_EQ(next, queued + rest);
	stats(&tp, &st);
	CHECK_EQ(st.opackets, queued + rest);
	CHECK_EQ(st.oerrors, 0);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

static void
test_tx_full(void)
{
	struct model_opts o;

	test_opts(&o);
	full_ring(&o, 256);	/* header pushed: one descriptor per packet */
	if (legacy()) {
		/* no ANY_LAYOUT: header descriptor + frame descriptor */
		o.features = VIRTIO_BIT(VIRTIO_NET_F_MAC) |
			VIRTIO_BIT(VIRTIO_NET_F_STATUS);
		full_ring(&o, 128);
	}
}

/* A chain longer than the ring can never go: dropped and counted. */
static void
test_tx_too_many_segs(void)
{
	static uint16_t lens[70];
	struct rte_mbuf *pkts[2];
	struct rte_eth_stats st;
	struct test_port tp;
	unsigned int i;
	uint32_t next = 5;

	tp_open(&tp, NULL, 0, 64);
	for (i = 0; i < RTE_DIM(lens); i++)
		lens[i] = 10;
	pkts[0] = mbuf_chain(tp.mp, 4, lens, RTE_DIM(lens));
	pkts[1] = mbuf_frame(tp.mp, frame_len(5), 5);
	CHECK_EQ(rte_eth_tx_burst(tp.port_id, 0, pkts, 2), 2);
	CHECK_EQ(collect_check(&tp, &next), 1);	/* only the good one */
	stats(&tp, &st);
	CHECK_EQ(st.oerrors, 1);
	CHECK_EQ(st.opackets, 1);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/* Steady traffic through a 64-entry ring: > 65536 packets, indexes wrap. */
static void
tx_traffic(struct test_port *tp, uint32_t total, uint32_t *seq, uint32_t *next)
{
	struct rte_mbuf *pkts[BURST];
	uint16_t n, i;

	while (*seq < total) {
		n = RTE_MIN((uint32_t)BURST, total - *seq);
		for (i = 0; i < n; i++)
			pkts[i] = mbuf_frame(tp->mp, frame_len(*seq + i), *seq + i);
		i = rte_eth_tx_burst(tp->port_id, 0, pkts, n);
		*seq += i;
		if (i < n)
			rte_pktmbuf_free_bulk(pkts + i, n - i);
		if (!tp->model.tx_on_notify)
			collect_check(tp, next);
		/* no leak: held mbufs never exceed the ring */
		CHECK(tp_mbufs_out(tp) <= tp->model.vq[MODEL_RXQ].num +
			tp->model.vq[MODEL_TXQ].num);
	}
}

static void
test_tx_wrap(void)
{
	struct rte_eth_stats st;
	struct test_port tp;
	uint32_t seq = 0, next = 0, total = 70000;

	tp_open(&tp, NULL, 64, 64);
	tx_traffic(&tp, total, &seq, &next);
	CHECK_EQ(next, total);
	CHECK_EQ(tp.model.tx_frames, total);
	CHECK_EQ(tp.model.vq[MODEL_TXQ].used_idx, (uint16_t)total);
	stats(&tp, &st);
	CHECK_EQ(st.opackets, total);
	CHECK_EQ(st.oerrors, 0);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/* The model consumes inside QueueNotify: every burst completes at once. */
static void
test_tx_on_notify(void)
{
	struct test_port tp;
	uint32_t seq = 0, next = 0, i, bursts;

	tp_open(&tp, NULL, 64, 64);
	tp.model.tx_on_notify = true;
	bursts = tp.model.vq[MODEL_TXQ].notifies;
	while (seq < 5000) {
		model_tx_log_clear(&tp.model);
		tx_traffic(&tp, seq + BURST, &seq, &next);
		CHECK_EQ(tp.model.tx_log_count, BURST);
		CHECK_EQ(model_avail_pending(&tp.model, MODEL_TXQ), 0);
		for (i = 0; i < tp.model.tx_log_count; i++)
			check_frame(&tp.model, &tp.model.tx_log[i], next++);
	}
	CHECK_EQ(tp.model.vq[MODEL_TXQ].notifies - bursts, 5024 / BURST);
	CHECK_EQ(tp.model.tx_frames, seq);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/* 2.7.10: VRING_USED_F_NO_NOTIFY stops TX notifications; clearing resumes. */
static void
test_tx_notify_suppression(void)
{
	struct test_port tp;
	uint32_t seq = 0, next = 0;
	uint64_t base;

	tp_open(&tp, NULL, 0, 0);
	tx_traffic(&tp, 64, &seq, &next);
	base = tp.model.vq[MODEL_TXQ].notifies;
	CHECK_EQ(base, 2);
	model_set_no_notify(&tp.model, MODEL_TXQ, true);
	tx_traffic(&tp, 1024, &seq, &next);
	CHECK_EQ(tp.model.vq[MODEL_TXQ].notifies, base);
	CHECK_EQ(next, 1024);
	model_set_no_notify(&tp.model, MODEL_TXQ, false);
	tx_traffic(&tp, 1024 + 64, &seq, &next);
	CHECK_EQ(tp.model.vq[MODEL_TXQ].notifies, base + 2);
	CHECK_EQ(tp.model.vq[MODEL_TXQ].interrupts, 0);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/* Stop with packets still queued: the PMD gives every mbuf back. */
static void
test_tx_no_leak(void)
{
	struct rte_mbuf *pkts[BURST];
	struct test_port tp;
	unsigned int before, i;

	tp_open(&tp, NULL, 0, 0);
	before = rte_mempool_avail_count(tp.mp);
	for (i = 0; i < BURST; i++)
		pkts[i] = mbuf_frame(tp.mp, frame_len(i), i);
	CHECK_EQ(rte_eth_tx_burst(tp.port_id, 0, pkts, BURST), BURST);
	CHECK_EQ(model_tx_collect(&tp.model, frames, 10), 10);
	CHECK_EQ(rte_mempool_avail_count(tp.mp), before - BURST);
	tp_stop(&tp);
	/* RX buffers and TX packets, consumed or not, all back */
	CHECK_EQ(tp_mbufs_out(&tp), 0);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/*
 * The header is zero (no offload asked, 5.1.6.2) however dirty the memory it
 * goes into, and exactly hdr_len bytes are written: in the mbuf's headroom
 * (one descriptor) and in the per-descriptor header slot (chains).
 */
static void
test_tx_hdr_zero(void)
{
	static const uint16_t lens[] = { 40, 60 };
	struct vmmio_txq *txq;
	struct rte_mbuf *pkts[2];
	struct test_port tp;
	uint16_t hl;
	uint8_t *p;

	tp_open(&tp, NULL, 0, 0);
	txq = rte_eth_devices[tp.port_id].data->tx_queues[0];
	hl = model_hdr_len(&tp.model);
	CHECK_EQ(txq->hdr_len, hl);
	memset(txq->hdrs, 0xa5, txq->vq.size * sizeof(struct virtio_net_hdr));
	pkts[0] = mbuf_frame(tp.mp, frame_len(0), 0);
	memset(rte_pktmbuf_mtod(pkts[0], uint8_t *) - rte_pktmbuf_headroom(pkts[0]),
		0xa5, rte_pktmbuf_headroom(pkts[0]));
	pkts[1] = mbuf_chain(tp.mp, 1, lens, 2);
	CHECK_EQ(rte_eth_tx_burst(tp.port_id, 0, pkts, 2), 2);
	CHECK_EQ(model_tx_collect(&tp.model, frames, 2), 2);
	check_frame(&tp.model, &frames[0], 0);
	CHECK_EQ(frames[0].ndesc, 1);
	CHECK_EQ(frames[1].ndesc, 3);
	/*
	 * Not reclaimed yet: the header is the hl bytes in front of the
	 * unchanged mbuf's data, the headroom before it untouched.
	 */
	p = rte_pktmbuf_mtod(pkts[0], uint8_t *);
	CHECK_EQ(pkts[0]->pkt_len, frame_len(0));
	CHECK_EQ(p[-hl - 1], 0xa5);
	CHECK_EQ(p[-hl], 0);
	CHECK_EQ(p[-1], 0);
	CHECK(frame_ok(p, pkts[0]->pkt_len, 0));
	/* the chain's header slot: hdr_len zero bytes, the rest as it was */
	p = (uint8_t *)&txq->hdrs[frames[1].head];
	CHECK_EQ(p[0], 0);
	CHECK_EQ(p[hl - 1], 0);
	if (hl < sizeof(struct virtio_net_hdr))
		CHECK_EQ(p[hl], 0xa5);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/*
 * RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE: advertised, and with it every mbuf
 * (single segments straight to the pool, chains freed segment by segment)
 * comes back: nothing leaks over several ring turns.
 */
static void
test_tx_fast_free(void)
{
	static const uint16_t lens[] = { 100, 200 };
	struct rte_eth_dev_info info;
	struct rte_mbuf *pkts[BURST];
	struct rte_eth_conf conf;
	struct test_port tp;
	uint32_t seq = 0, i, sent = 0;

	CHECK_EQ(tp_create(&tp, NULL), 0);
	CHECK_EQ(rte_eth_dev_info_get(tp.port_id, &info), 0);
	CHECK(info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE);
	memset(&conf, 0, sizeof(conf));
	conf.txmode.offloads = RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE |
		RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
	tp_setup_ex(&tp, &conf, 0, 64, 0);
	tp_start(&tp);
	while (sent < 1024) {
		for (i = 0; i < BURST; i++, seq++)
			pkts[i] = seq % 7 == 0 ? mbuf_chain(tp.mp, seq, lens, 2) :
				mbuf_frame(tp.mp, frame_len(seq), seq);
		CHECK_EQ(rte_eth_tx_burst(tp.port_id, 0, pkts, BURST), BURST);
		sent += BURST;
		CHECK(model_tx_collect(&tp.model, NULL, BURST) == BURST);
	}
	/* everything reclaimed but what the rings still hold */
	CHECK(tp_mbufs_out(&tp) <= 64u + 256u);	/* TX ring + default RX ring */
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);	/* checks every mbuf is back in the pool */
}

/*
 * VIRTIO_RING_F_INDIRECT_DESC (2.7.5.3, 2.8.19): a packet of several
 * descriptors takes one ring descriptor naming its buffer ID's table, so a
 * ring of 64 holds 64 three-segment packets (16 as chains), lap after lap;
 * a packet with more descriptors than a table holds goes as a chain, a
 * plain packet keeps its one descriptor. Every mbuf comes back, with
 * MBUF_FAST_FREE too. Devarg indirect=0 (features_off) refuses it.
 */
static void
test_tx_indirect(void)
{
	static const uint16_t lens3[] = { 100, 200, 300 };
	static const uint16_t lens9[] = { 60, 1, 2, 3, 4, 5, 6, 7, 8 };
	struct rte_eth_burst_mode mode;
	struct rte_mbuf *pkts[64];
	struct rte_eth_conf conf;
	struct model_opts o;
	struct test_port tp;
	unsigned int i, round, pass;
	uint32_t seq = 0;

	test_opts(&o);
	/* the model's default offer, and INDIRECT_DESC */
	o.features = VIRTIO_BIT(VIRTIO_NET_F_MAC) | VIRTIO_BIT(VIRTIO_NET_F_STATUS) |
		VIRTIO_BIT(VIRTIO_RING_F_INDIRECT_DESC) | (legacy() ?
		VIRTIO_BIT(VIRTIO_F_ANY_LAYOUT) : VIRTIO_BIT(VIRTIO_F_VERSION_1));
	for (pass = 0; pass < 2; pass++) {
		/* pass 1: MBUF_FAST_FREE, chains freed segment by segment */
		CHECK_EQ(tp_create(&tp, &o), 0);
		memset(&conf, 0, sizeof(conf));
		conf.txmode.offloads = RTE_ETH_TX_OFFLOAD_MULTI_SEGS |
			(pass ? RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE : 0);
		tp_setup_ex(&tp, &conf, 0, 64, 0);
		tp_start(&tp);
		CHECK(tp.model.driver_features &
			VIRTIO_BIT(VIRTIO_RING_F_INDIRECT_DESC));
		CHECK_EQ(rte_eth_tx_burst_mode_get(tp.port_id, 0, &mode), 0);
		CHECK(strstr(mode.info, ",indirect") != NULL);
		for (round = 0; round < 3; round++) {
			for (i = 0; i < 64; i++)
				pkts[i] = mbuf_chain(tp.mp, seq + i, lens3, 3);
			CHECK_EQ(rte_eth_tx_burst(tp.port_id, 0, pkts, 64), 64);
			CHECK_EQ(model_avail_pending(&tp.model, MODEL_TXQ), 64);
			CHECK_EQ(model_tx_collect(&tp.model, frames, 64), 64);
			for (i = 0; i < 64; i++, seq++) {
				CHECK(frames[i].indirect);
				CHECK_EQ(frames[i].ndesc, 4);	/* header + 3 */
				CHECK_EQ(frames[i].len, 600);
				CHECK(frame_ok(frames[i].data, 600, seq));
			}
		}
		/* 1 + 9 descriptors: more than a table holds, a chain */
		pkts[0] = mbuf_chain(tp.mp, seq, lens9, 9);
		/* a plain packet (header in its headroom): one descriptor */
		pkts[1] = mbuf_frame(tp.mp, frame_len(0), 0);
		CHECK_EQ(rte_eth_tx_burst(tp.port_id, 0, pkts, 2), 2);
		CHECK_EQ(model_tx_collect(&tp.model, frames, 2), 2);
		CHECK(!frames[0].indirect);
		CHECK_EQ(frames[0].ndesc, 10);
		CHECK_EQ(frames[0].len, 96);
		CHECK(frame_ok(frames[0].data, 96, seq));
		CHECK(!frames[1].indirect);
		CHECK_EQ(frames[1].ndesc, 1);
		check_frame(&tp.model, &frames[1], 0);
		seq++;
		CHECK_MODEL_CLEAN(&tp.model);
		tp_close(&tp);	/* checks every mbuf is back in the pool */
	}

	/* indirect=0: offered, refused, chains */
	tp_model(&tp, &o);
	tp.hw.features_off |= VIRTIO_BIT(VIRTIO_RING_F_INDIRECT_DESC);
	CHECK_EQ(tp_create_port(&tp), 0);
	tp_setup(&tp, 0, 64);
	tp_start(&tp);
	CHECK(!(tp.model.driver_features & VIRTIO_BIT(VIRTIO_RING_F_INDIRECT_DESC)));
	for (i = 0; i < 64; i++)
		pkts[i] = mbuf_chain(tp.mp, i, lens3, 3);
	CHECK_EQ(rte_eth_tx_burst(tp.port_id, 0, pkts, 64), 16);
	rte_pktmbuf_free_bulk(pkts + 16, 48);
	CHECK_EQ(model_tx_collect(&tp.model, frames, 16), 16);
	CHECK(!frames[0].indirect);
	CHECK_EQ(frames[0].ndesc, 4);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

int
main(int argc, char **argv)
{
	test_init(argc, argv);
	frames = calloc(MODEL_TX_LOG_MAX, sizeof(*frames));
	CHECK(frames != NULL);
	RUN(test_tx_basic);
	RUN(test_tx_multiseg);
	RUN(test_tx_untouchable);
	RUN(test_tx_full);
	RUN(test_tx_too_many_segs);
	RUN(test_tx_empty_segment);
	RUN(test_tx_wrap);
	RUN(test_tx_on_notify);
	RUN(test_tx_notify_suppression);
	RUN(test_tx_no_leak);
	RUN(test_tx_hdr_zero);
	RUN(test_tx_fast_free);
	RUN(test_tx_indirect);
	free(frames);
	return test_done();
}
