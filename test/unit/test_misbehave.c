/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A misbehaving device: used entries with bad ids or lengths, used->idx
 * jumping. The PMD must count them (ierrors/oerrors), not crash, not leak,
 * not hand garbage to the application, and keep working for later packets.
 */
#include <string.h>

#include "test_common.h"

#define BURST	32

static struct model_frame *frames;

/* Receive until quiet; every packet must be the next expected frame. */
static uint32_t
rx_drain(struct test_port *tp, uint32_t *next)
{
	struct rte_mbuf *pkts[BURST];
	uint32_t got = 0;
	uint16_t n, i;
	int idle = 0;

	while (idle < 4) {
		n = rte_eth_rx_burst(tp->port_id, 0, pkts, BURST);
		idle = n == 0 ? idle + 1 : 0;
		for (i = 0; i < n; i++) {
			struct rte_mbuf *m = pkts[i];

			CHECK_EQ(m->pkt_len, frame_len(*next));
			CHECK(frame_ok(rte_pktmbuf_mtod(m, uint8_t *), m->pkt_len,
				*next));
			(*next)++;
			got++;
			rte_pktmbuf_free(m);
		}
	}
	return got;
}

/* Good traffic after the fault: @p count frames, all delivered intact. */
static void
rx_good(struct test_port *tp, uint32_t count, uint32_t *seq, uint32_t *next)
{
	uint32_t end = *seq + count;
	uint8_t buf[RTE_ETHER_MAX_LEN];
	int ret;

	while (*seq < end) {
		frame_fill(buf, frame_len(*seq), *seq);
		ret = model_rx_inject(&tp->model, buf, frame_len(*seq));
		if (ret == -ENOSPC) {
			CHECK(rx_drain(tp, next) > 0);
			continue;
		}
		CHECK_EQ(ret, 0);
		(*seq)++;
	}
	rx_drain(tp, next);
	CHECK_EQ(*next, end);
}

static uint64_t
ierrors(const struct test_port *tp)
{
	struct rte_eth_stats st;

	stats(tp, &st);
	return st.ierrors;
}

static uint64_t
oerrors(const struct test_port *tp)
{
	struct rte_eth_stats st;

	stats(tp, &st);
	return st.oerrors;
}

/* Used entry naming a descriptor index beyond the ring. */
static void
test_rx_id_out_of_range(void)
{
	struct test_port tp;
	uint32_t seq = 0, next = 0;

	tp_open(&tp, NULL, 0, 0);
	rx_good(&tp, 10, &seq, &next);
	model_put_used(&tp.model, MODEL_RXQ, 256 + 5, 100);
	model_put_used(&tp.model, MODEL_RXQ, UINT32_MAX, 100);
	CHECK_EQ(rx_drain(&tp, &next), 0);
	CHECK_EQ(ierrors(&tp), 2);
	rx_good(&tp, 600, &seq, &next);
	CHECK_EQ(ierrors(&tp), 2);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/* Used entry naming a descriptor the driver has not posted (a duplicate). */
static void
test_rx_id_not_posted(void)
{
	struct test_port tp;
	uint32_t seq = 0, next = 0, cap;
	uint16_t head;
	struct rte_mbuf *m;

	tp_open(&tp, NULL, 0, 0);
	rx_good(&tp, 10, &seq, &next);
	/* the device returns a buffer it never wrote: a zero-filled frame */
	CHECK_EQ(model_take(&tp.model, MODEL_RXQ, &head, &cap), 0);
	model_put_used(&tp.model, MODEL_RXQ, head, model_hdr_len(&tp.model) + 60);
	CHECK_EQ(rx_some(&tp, &m, 1), 1);
	CHECK_EQ(m->pkt_len, 60);
	rte_pktmbuf_free(m);
	/* ...then returns it again while the driver has not reposted it */
	CHECK(!model_desc_offered(&tp.model, MODEL_RXQ, head));
	model_put_used(&tp.model, MODEL_RXQ, head, model_hdr_len(&tp.model) + 60);
	CHECK_EQ(rx_drain(&tp, &next), 0);
	CHECK_EQ(ierrors(&tp), 1);
	rx_good(&tp, 600, &seq, &next);
	CHECK_EQ(ierrors(&tp), 1);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/* Used length beyond the buffer, and shorter than the header. */
static void
test_rx_bad_len(void)
{
	const uint32_t bad[] = { 0, 1, 0 /* hdr_len - 1 */, 0 /* cap + 1 */,
		UINT32_MAX };
	struct test_port tp;
	uint32_t seq = 0, next = 0, cap, i, out;
	uint16_t head;

	tp_open(&tp, NULL, 0, 0);
	rx_good(&tp, 10, &seq, &next);
	for (i = 0; i < RTE_DIM(bad); i++) {
		uint32_t len = bad[i];

		CHECK_EQ(model_take(&tp.model, MODEL_RXQ, &head, &cap), 0);
		if (i == 2)
			len = model_hdr_len(&tp.model) - 1;
		else if (i == 3)
			len = cap + 1;
		out = tp_mbufs_out(&tp);
		model_put_used(&tp.model, MODEL_RXQ, head, len);
		CHECK_EQ(rx_drain(&tp, &next), 0);
		CHECK_EQ(ierrors(&tp), i + 1);
		/* the buffer went back to the pool or was reposted */
		CHECK(tp_mbufs_out(&tp) <= out);
	}
	rx_good(&tp, 600, &seq, &next);
	CHECK_EQ(ierrors(&tp), RTE_DIM(bad));
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/*
 * used->idx jumps by 1000 without entries: the entries it would cover are
 * stale (earlier traffic). Nothing may be delivered from them, the jump is
 * counted, and later frames all arrive.
 */
static void
rx_jump(bool after_traffic)
{
	struct test_port tp;
	uint32_t seq = 0, next = 0;

	printf("  used->idx + 1000 %s\n", after_traffic ? "after traffic" :
		"right after start");
	tp_open(&tp, NULL, 0, 0);
	if (after_traffic)
		rx_good(&tp, 300, &seq, &next);	/* used ring full of old entries */
	model_bump_used_idx(&tp.model, MODEL_RXQ, 1000);
	CHECK_EQ(rx_drain(&tp, &next), 0);	/* nothing real arrived */
	CHECK(ierrors(&tp) > 0);
	rx_good(&tp, 1000, &seq, &next);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

static void
test_rx_idx_jump_fresh(void)
{
	rx_jump(false);
}

static void
test_rx_idx_jump_stale(void)
{
	rx_jump(true);
}

/*
 * TX traffic where the device lags: it keeps @p lag chains unconsumed, as a
 * real device working in parallel would. Frames must arrive intact, in order.
 */
static void
tx_good(struct test_port *tp, uint32_t count, uint16_t lag, uint32_t *seq,
	uint32_t *next)
{
	struct rte_mbuf *pkts[8];
	uint32_t end = *seq + count;
	uint16_t n, i, pending;
	int got, k;

	while (*next < end) {
		n = RTE_MIN((uint32_t)RTE_DIM(pkts), end - *seq);
		for (i = 0; i < n; i++)
			pkts[i] = mbuf_frame(tp->mp, frame_len(*seq + i), *seq + i);
		i = rte_eth_tx_burst(tp->port_id, 0, pkts, n);
		*seq += i;
		if (i < n)
			rte_pktmbuf_free_bulk(pkts + i, n - i);
		pending = model_avail_pending(&tp->model, MODEL_TXQ);
		if (pending <= lag && *seq < end)
			continue;
		got = model_tx_collect(&tp->model, frames,
			*seq < end ? pending - lag : pending);
		CHECK(got >= 0);
		for (k = 0; k < got; k++) {
			CHECK_EQ(frames[k].len, frame_len(*next));
			CHECK(frame_ok(frames[k].data, frames[k].len, *next));
			(*next)++;
		}
	}
	CHECK_EQ(*next, end);
}

static void
tx_fault_setup(struct test_port *tp)
{
	tp_model(tp, NULL);
	CHECK_EQ(tp_create_port(tp), 0);
	tp->tx_free_thresh = 64;	/* reclaim on every burst */
	tp_setup(tp, 0, 64);
	tp_start(tp);
}

static void
test_tx_id_out_of_range(void)
{
	struct test_port tp;
	uint32_t seq = 0, next = 0;

	tx_fault_setup(&tp);
	tx_good(&tp, 100, 4, &seq, &next);
	model_put_used(&tp.model, MODEL_TXQ, 64 + 3, 0);
	model_put_used(&tp.model, MODEL_TXQ, UINT32_MAX, 0);
	tx_good(&tp, 1000, 4, &seq, &next);
	/* each bad entry counted (the PMD may count one twice) */
	CHECK(oerrors(&tp) >= 2);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/* Used ids of descriptors not posted: idle, and the middle of a chain. */
static void
test_tx_id_not_posted(void)
{
	static const uint16_t lens[] = { 50, 50, 50 };
	struct rte_mbuf *m, *seg;
	struct test_port tp;
	uint32_t seq = 0, next = 0, i;
	uint16_t idle = 0xffff, mid;
	uint64_t e0;

	tx_fault_setup(&tp);
	tx_good(&tp, 100, 4, &seq, &next);
	for (i = 0; i < 64 && idle == 0xffff; i++)
		if (!model_desc_offered(&tp.model, MODEL_TXQ, i))
			idle = i;
	CHECK(idle != 0xffff);
	model_put_used(&tp.model, MODEL_TXQ, idle, 0);
	tx_good(&tp, 100, 4, &seq, &next);
	CHECK(oerrors(&tp) >= 1);

	/* a 3-segment chain: header + 3 descriptors; name the second one */
	{
		uint8_t buf[150];

		frame_fill(buf, sizeof(buf), seq);
		m = NULL;
		for (i = 0; i < RTE_DIM(lens); i++) {
			seg = rte_pktmbuf_alloc(tp.mp);
			CHECK(seg != NULL);
			memcpy(rte_pktmbuf_append(seg, lens[i]), buf + 50 * i,
				lens[i]);
			if (m == NULL)
				m = seg;
			else
				CHECK_EQ(rte_pktmbuf_chain(m, seg), 0);
		}
	}
	/* drain what is pending so the chain is the only thing in flight */
	tx_good(&tp, 0, 0, &seq, &next);
	CHECK_EQ(model_tx_collect(&tp.model, frames, 64), 0);
	CHECK_EQ(rte_eth_tx_burst(tp.port_id, 0, &m, 1), 1);
	seq++;
	{
		uint16_t head = tp.model.vq[MODEL_TXQ].avail->ring[
			tp.model.vq[MODEL_TXQ].last_avail % 64];

		mid = tp.model.vq[MODEL_TXQ].desc[head].next;
		CHECK(tp.model.vq[MODEL_TXQ].desc[head].flags & VRING_DESC_F_NEXT);
	}
	e0 = oerrors(&tp);
	model_put_used(&tp.model, MODEL_TXQ, mid, 0);
	CHECK_EQ(rte_eth_tx_burst(tp.port_id, 0, NULL, 0), 0);
	CHECK(oerrors(&tp) > e0);
	e0 = oerrors(&tp);
	/* the chain is still owned by the device and arrives intact */
	CHECK_EQ(model_tx_collect(&tp.model, frames, 64), 1);
	CHECK_EQ(frames[0].len, 150);
	CHECK(frame_ok(frames[0].data, 150, seq - 1));
	next = seq;
	tx_good(&tp, 500, 4, &seq, &next);
	CHECK_EQ(oerrors(&tp), e0);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/* TX used length is meaningless (buffers are device-readable): ignored. */
static void
test_tx_bad_len(void)
{
	struct rte_mbuf *m;
	struct test_port tp;
	uint32_t seq = 0, next = 0;
	uint16_t head;

	tx_fault_setup(&tp);
	tx_good(&tp, 50, 0, &seq, &next);
	m = mbuf_frame(tp.mp, frame_len(seq), seq);
	CHECK_EQ(rte_eth_tx_burst(tp.port_id, 0, &m, 1), 1);
	seq++;
	next++;
	CHECK_EQ(model_take(&tp.model, MODEL_TXQ, &head, NULL), 0);
	model_put_used(&tp.model, MODEL_TXQ, head, UINT32_MAX);
	tx_good(&tp, 500, 4, &seq, &next);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/* used->idx jumps by 1000, with the device idle or with chains in flight. */
static void
tx_jump(uint16_t lag)
{
	struct test_port tp;
	uint32_t seq = 0, next = 0;

	printf("  used->idx + 1000, device lagging by %u chains\n", lag);
	tx_fault_setup(&tp);
	tx_good(&tp, 300, lag, &seq, &next);	/* used ring full of old entries */
	model_bump_used_idx(&tp.model, MODEL_TXQ, 1000);
	tx_good(&tp, 2000, lag, &seq, &next);
	CHECK(oerrors(&tp) > 0);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

static void
test_tx_idx_jump_idle(void)
{
	tx_jump(0);
}

static void
test_tx_idx_jump_lagging(void)
{
	tx_jump(4);
}

int
main(int argc, char **argv)
{
	test_init(argc, argv);
	frames = calloc(64, sizeof(*frames));
	CHECK(frames != NULL);
	RUN(test_rx_id_out_of_range);
	RUN(test_rx_id_not_posted);
	RUN(test_rx_bad_len);
	RUN(test_tx_id_out_of_range);
	RUN(test_tx_id_not_posted);
	RUN(test_tx_bad_len);
	RUN(test_rx_idx_jump_fresh);
	RUN(test_rx_idx_jump_stale);
	RUN(test_tx_idx_jump_idle);
	RUN(test_tx_idx_jump_lagging);
	free(frames);
	return test_done();
}
