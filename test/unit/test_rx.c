/* SPDX-License-Identifier: BSD-3-Clause */
/* Receive path: content, bursts, refill, 16-bit index wraparound, notifications. */
#include <string.h>

#include "test_common.h"

#define BURST	32

/* Check and free @p n received packets, expected seq numbers from *next. */
static void
check_rx(struct test_port *tp, struct rte_mbuf **pkts, uint16_t n,
	uint32_t *next, uint64_t *bytes)
{
	uint16_t i;

	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		uint32_t len = frame_len(*next);

		CHECK_EQ(m->nb_segs, 1);
		CHECK_EQ(m->port, tp->port_id);
		CHECK_EQ(rte_pktmbuf_pkt_len(m), len);
		CHECK_EQ(rte_pktmbuf_data_len(m), len);
		CHECK(frame_ok(rte_pktmbuf_mtod(m, uint8_t *), len, *next));
		if (bytes != NULL)
			*bytes += len;
		(*next)++;
		rte_pktmbuf_free(m);
	}
}

static void
test_rx_basic(void)
{
	struct rte_mbuf *pkts[BURST];
	struct rte_eth_stats st;
	struct test_port tp;
	uint32_t seq, next = 0;
	uint64_t bytes = 0;
	uint16_t n;

	tp_open(&tp, NULL, 0, 0);
	/* every RX descriptor offered to the device at start */
	CHECK_EQ(model_avail_pending(&tp.model, MODEL_RXQ), 256);
	CHECK_EQ(tp_mbufs_out(&tp), 256);
	CHECK_EQ(rte_eth_rx_burst(tp.port_id, 0, pkts, BURST), 0);
	for (seq = 0; seq < 8; seq++)
		inject(&tp, seq);
	n = rte_eth_rx_burst(tp.port_id, 0, pkts, BURST);
	CHECK_EQ(n, 8);
	check_rx(&tp, pkts, n, &next, &bytes);
	stats(&tp, &st);
	CHECK_EQ(st.ipackets, 8);
	CHECK_EQ(st.ibytes, bytes);
	CHECK_EQ(st.ierrors, 0);
	CHECK_EQ(xstat(&tp, "rx_q0_packets"), 8);
	CHECK_EQ(st.rx_nombuf, 0);
	/* the model wrote the header it promised (num_buffers = 1 modern) */
	CHECK_EQ(tp.model.rx_frames, 8);
	CHECK_EQ(rte_eth_rx_burst(tp.port_id, 0, pkts, BURST), 0);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/* Largest and smallest frames the buffers can take. */
static void
test_rx_sizes(void)
{
	static uint8_t buf[RTE_MBUF_DEFAULT_DATAROOM + 1];
	struct rte_mbuf *m;
	struct test_port tp;

	tp_open(&tp, NULL, 0, 0);
	memset(buf, 0xa5, sizeof(buf));
	/* a full data room: header in the headroom, frame fills the rest */
	CHECK_EQ(model_rx_inject(&tp.model, buf, RTE_MBUF_DEFAULT_DATAROOM), 0);
	CHECK_EQ(rx_some(&tp, &m, 1), 1);
	CHECK_EQ(m->pkt_len, RTE_MBUF_DEFAULT_DATAROOM);
	CHECK(memcmp(rte_pktmbuf_mtod(m, void *), buf, m->pkt_len) == 0);
	CHECK_EQ(rte_pktmbuf_headroom(m), RTE_PKTMBUF_HEADROOM);
	rte_pktmbuf_free(m);
	/* one byte more does not fit the posted buffer */
	CHECK_EQ(model_rx_inject(&tp.model, buf, RTE_MBUF_DEFAULT_DATAROOM + 1),
		-EMSGSIZE);
	model_clear_errors(&tp.model);
	/* a 1-byte frame */
	CHECK_EQ(model_rx_inject(&tp.model, buf, 1), 0);
	CHECK_EQ(rx_some(&tp, &m, 1), 1);
	CHECK_EQ(m->pkt_len, 1);
	rte_pktmbuf_free(m);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/* More frames waiting than one burst asks for: delivered in order. */
static void
test_rx_more_than_burst(void)
{
	struct rte_mbuf *pkts[BURST];
	struct test_port tp;
	uint32_t seq, next = 0;
	uint16_t n;

	tp_open(&tp, NULL, 0, 0);
	for (seq = 0; seq < 100; seq++)
		inject(&tp, seq);
	CHECK_EQ(rte_eth_rx_burst(tp.port_id, 0, pkts, BURST), BURST);
	check_rx(&tp, pkts, BURST, &next, NULL);
	CHECK_EQ(rte_eth_rx_burst(tp.port_id, 0, pkts, 1), 1);
	check_rx(&tp, pkts, 1, &next, NULL);
	while ((n = rte_eth_rx_burst(tp.port_id, 0, pkts, BURST)) > 0)
		check_rx(&tp, pkts, n, &next, NULL);
	CHECK_EQ(next, 100);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/*
 * Inject until the device has no buffer left, receive, repeat: every frame
 * arrives, the driver refills, and the only mbufs out are the posted ones.
 */
static void
run_traffic(struct test_port *tp, uint32_t total, uint32_t *next_rx)
{
	struct rte_mbuf *pkts[BURST];
	uint32_t seq = *next_rx;
	uint16_t n;
	int ret;

	while (*next_rx < total) {
		uint8_t buf[RTE_ETHER_MAX_LEN];

		for (;;) {
			if (seq == total)
				break;
			frame_fill(buf, frame_len(seq), seq);
			ret = model_rx_inject(&tp->model, buf, frame_len(seq));
			if (ret == -ENOSPC)
				break;
			CHECK_EQ(ret, 0);
			seq++;
		}
		n = rte_eth_rx_burst(tp->port_id, 0, pkts, BURST);
		CHECK(n > 0);
		check_rx(tp, pkts, n, next_rx, NULL);
		/* no mbuf lost: all the PMD holds is offered to the device */
		CHECK_EQ(tp_mbufs_out(tp),
			model_avail_pending(&tp->model, MODEL_RXQ) +
			(seq - *next_rx));
	}
}

static void
test_rx_refill(void)
{
	struct rte_eth_stats st;
	struct test_port tp;
	uint32_t next = 0;

	tp_open(&tp, NULL, 128, 0);
	run_traffic(&tp, 10 * 128, &next);
	CHECK_EQ(next, 10 * 128);
	stats(&tp, &st);
	CHECK_EQ(st.ipackets, 10 * 128);
	CHECK_EQ(st.ierrors, 0);
	CHECK_EQ(st.rx_nombuf, 0);
	CHECK(tp_mbufs_out(&tp) <= 128);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/* More than 65536 packets through a 64-entry ring: avail/used idx wrap. */
static void
test_rx_wrap(void)
{
	struct rte_eth_stats st;
	struct test_port tp;
	uint32_t next = 0, total = 70000;

	tp_open(&tp, NULL, 64, 0);
	CHECK_EQ(tp.model.vq[MODEL_RXQ].num, 64);
	run_traffic(&tp, total, &next);
	CHECK_EQ(next, total);
	stats(&tp, &st);
	CHECK_EQ(st.ipackets, total);
	CHECK_EQ(st.ierrors, 0);
	/* the device's 16-bit indexes went around */
	CHECK_EQ(tp.model.vq[MODEL_RXQ].used_idx, (uint16_t)total);
	CHECK_EQ(tp.model.rx_frames, total);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/*
 * 2.7.10: with VRING_USED_F_NO_NOTIFY set the driver does not notify after
 * refilling; once cleared it does again. Interrupts stay off (2.7.7).
 */
static void
test_rx_notify_suppression(void)
{
	struct test_port tp;
	uint32_t next = 0;
	uint64_t base;

	tp_open(&tp, NULL, 64, 0);
	/* busy-poll: the driver asked for no used buffer notifications */
	if (tp.model.vq[MODEL_RXQ].packed)
		CHECK_EQ(tp.model.vq[MODEL_RXQ].drv_ev->flags, RING_EVENT_FLAGS_DISABLE);
	else
		CHECK(tp.model.vq[MODEL_RXQ].avail->flags & VRING_AVAIL_F_NO_INTERRUPT);
	run_traffic(&tp, 256, &next);
	base = tp.model.vq[MODEL_RXQ].notifies;
	CHECK(base > 1);	/* refills were announced */

	model_set_no_notify(&tp.model, MODEL_RXQ, true);
	run_traffic(&tp, 1024, &next);
	CHECK_EQ(tp.model.vq[MODEL_RXQ].notifies, base);

	model_set_no_notify(&tp.model, MODEL_RXQ, false);
	run_traffic(&tp, 1280, &next);
	CHECK(tp.model.vq[MODEL_RXQ].notifies > base);
	CHECK_EQ(tp.model.vq[MODEL_RXQ].interrupts, 0);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/*
 * Pool exhausted: refills fail (counted in rx_nombuf), the device runs dry;
 * once mbufs are back the next bursts refill and traffic resumes.
 */
static void
test_rx_nombuf(void)
{
	static struct rte_mbuf *hold[4096];
	struct rte_mbuf *pkts[BURST];
	struct rte_eth_stats st;
	struct test_port tp;
	uint32_t seq = 0, next = 0;
	unsigned int nhold;
	uint8_t buf[RTE_ETHER_MAX_LEN];
	uint16_t n;
	int ret;

	tp_open(&tp, NULL, 64, 0);
	for (nhold = 0; nhold < RTE_DIM(hold); nhold++) {
		hold[nhold] = rte_pktmbuf_alloc(tp.mp);
		if (hold[nhold] == NULL)
			break;
	}
	/* the 64 posted buffers get used, none can be replaced */
	for (;;) {
		frame_fill(buf, frame_len(seq), seq);
		ret = model_rx_inject(&tp.model, buf, frame_len(seq));
		if (ret == -ENOSPC)
			break;
		CHECK_EQ(ret, 0);
		seq++;
		n = rte_eth_rx_burst(tp.port_id, 0, pkts, BURST);
		check_rx(&tp, pkts, n, &next, NULL);
	}
	while ((n = rte_eth_rx_burst(tp.port_id, 0, pkts, BURST)) > 0)
		check_rx(&tp, pkts, n, &next, NULL);
	CHECK_EQ(seq, 64);
	CHECK_EQ(next, 64);
	stats(&tp, &st);
	CHECK(st.rx_nombuf > 0);
	rte_pktmbuf_free_bulk(hold, nhold);
	/* an empty burst refills: buffers offered again */
	CHECK_EQ(rte_eth_rx_burst(tp.port_id, 0, pkts, BURST), 0);
	CHECK_EQ(model_avail_pending(&tp.model, MODEL_RXQ), 64);
	run_traffic(&tp, 64 + 500, &next);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

int
main(int argc, char **argv)
{
	test_init(argc, argv);
	RUN(test_rx_basic);
	RUN(test_rx_sizes);
	RUN(test_rx_more_than_burst);
	RUN(test_rx_refill);
	RUN(test_rx_wrap);
	RUN(test_rx_notify_suppression);
	RUN(test_rx_nombuf);
	return test_done();
}
