/* SPDX-License-Identifier: BSD-3-Clause */
/* Extended statistics: names, values against the device model, by id, reset. */
#include <string.h>

#include <rte_ethdev.h>

#include "test_common.h"
#include "vmmio_xstats.h"

#define MAX_XSTATS	128

struct xs_snap {
	struct rte_eth_xstat_name names[MAX_XSTATS];
	struct rte_eth_xstat vals[MAX_XSTATS];
	int n;
};

static void
snap(uint16_t port, struct xs_snap *s)
{
	s->n = rte_eth_xstats_get_names(port, NULL, 0);
	CHECK(s->n > 0 && s->n <= MAX_XSTATS);
	CHECK_EQ(rte_eth_xstats_get_names(port, s->names, s->n), s->n);
	CHECK_EQ(rte_eth_xstats_get(port, s->vals, s->n), s->n);
}

/* Index of @p name, checked to exist exactly once. */
static int
find(const struct xs_snap *s, const char *name)
{
	int i, at = -1;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->names[i].name, name) == 0) {
			if (at >= 0)
				test_fail(__FILE__, __LINE__, "xstat name unique", name);
			at = i;
		}
	if (at < 0)
		test_fail(__FILE__, __LINE__, "xstat present", name);
	return at;
}

static uint64_t
val(const struct xs_snap *s, const char *name)
{
	int i = find(s, name);

	CHECK_EQ(s->vals[i].id, i);
	return s->vals[i].value;
}

static const char * const bins[] = {
	"size_64_packets", "size_65_127_packets", "size_128_255_packets",
	"size_256_511_packets", "size_512_1023_packets",
	"size_1024_1518_packets", "size_1519_max_packets",
};

/* Bucket boundaries (RFC 2819 etherStatsPkts*Octets). */
static void
test_xstats_bins(void)
{
	static const struct { uint32_t len; unsigned int bin; } t[] = {
		{ 1, 0 }, { 60, 0 }, { 64, 0 }, { 65, 1 }, { 127, 1 }, { 128, 2 },
		{ 255, 2 }, { 256, 3 }, { 511, 3 }, { 512, 4 }, { 1023, 4 },
		{ 1024, 5 }, { 1518, 5 }, { 1519, 6 }, { 9014, 6 }, { 65550, 6 },
	};
	unsigned int i;

	for (i = 0; i < RTE_DIM(t); i++)
		CHECK_EQ(vmmio_size_bin(t[i].len), t[i].bin);
}

/* Every documented name once, none twice (ethdev's autofill included). */
static void
test_xstats_names(void)
{
	static const char * const port_names[] = {
		"rx_good_packets", "tx_good_packets", "rx_q0_packets",
		"rx_q0_bytes", "rx_q0_errors", "tx_q0_packets", "tx_q0_bytes",
		"interrupts", "config_change_interrupts", "rx_q0_notifications",
		"rx_q0_interrupts", "rx_q0_intr_wakeups", "rx_q0_swring_drops",
		"rx_q0_mbuf_allocation_errors", "tx_q0_errors", "tx_q0_notifications",
	};
	static struct xs_snap s;
	struct test_port tp;
	char name[RTE_ETH_XSTATS_NAME_SIZE];
	unsigned int i;
	int a, b;

	tp_open(&tp, NULL, 64, 64);
	snap(tp.port_id, &s);
	for (i = 0; i < RTE_DIM(port_names); i++)
		find(&s, port_names[i]);
	for (i = 0; i < RTE_DIM(bins); i++) {
		snprintf(name, sizeof(name), "rx_q0_%s", bins[i]);
		find(&s, name);
		snprintf(name, sizeof(name), "tx_q0_%s", bins[i]);
		find(&s, name);
	}
	for (a = 0; a < s.n; a++)
		for (b = a + 1; b < s.n; b++)
			CHECK(strcmp(s.names[a].name, s.names[b].name) != 0);
	/* too small an array: the count, nothing written */
	CHECK_EQ(rte_eth_xstats_get(tp.port_id, s.vals, 1), s.n);
	tp_close(&tp);
}

/* Values follow the traffic; by_id agrees; reset zeroes them. */
static void
test_xstats_values(void)
{
	static const uint32_t rx_len[] = { 60, 64, 100, 200, 300, 600, 1200, 1514 };
	static const uint32_t tx_len[] = { 60, 65, 128, 256, 512, 1024, 1519, 2000 };
	static struct xs_snap s;
	struct rte_mbuf *pkts[16];
	struct test_port tp;
	uint8_t frame[1514];
	char name[RTE_ETH_XSTATS_NAME_SIZE];
	uint64_t rx_bytes = 0, tx_bytes = 0;
	unsigned int i;

	tp_open(&tp, NULL, 64, 64);
	for (i = 0; i < RTE_DIM(rx_len); i++) {
		frame_fill(frame, rx_len[i], i);
		CHECK_EQ(model_rx_inject(&tp.model, frame, rx_len[i]), 0);
		rx_bytes += rx_len[i];
	}
	CHECK_EQ(rx_some(&tp, pkts, 16), RTE_DIM(rx_len));
	rte_pktmbuf_free_bulk(pkts, RTE_DIM(rx_len));
	for (i = 0; i < RTE_DIM(tx_len); i++) {
		pkts[i] = mbuf_frame(tp.mp, tx_len[i], i);
		tx_bytes += tx_len[i];
	}
	/* an empty packet is refused and counted as a TX error */
	pkts[i] = rte_pktmbuf_alloc(tp.mp);
	CHECK(pkts[i] != NULL);
	CHECK_EQ(rte_eth_tx_burst(tp.port_id, 0, pkts, i + 1), i + 1);
	CHECK_EQ(model_tx_collect(&tp.model, NULL, 16), RTE_DIM(tx_len));

	snap(tp.port_id, &s);
	CHECK_EQ(val(&s, "rx_q0_packets"), RTE_DIM(rx_len));
	CHECK_EQ(val(&s, "rx_q0_bytes"), rx_bytes);
	CHECK_EQ(val(&s, "tx_q0_packets"), RTE_DIM(tx_len));
	CHECK_EQ(val(&s, "tx_q0_bytes"), tx_bytes);
	CHECK_EQ(val(&s, "tx_q0_errors"), 1);
	/* rx: 60 and 64 in the first bucket, then one per bucket to 1518 */
	CHECK_EQ(val(&s, "rx_q0_size_64_packets"), 2);
	for (i = 1; i < 6; i++) {
		snprintf(name, sizeof(name), "rx_q0_%s", bins[i]);
		CHECK_EQ(val(&s, name), i == 5 ? 2 : 1);
	}
	CHECK_EQ(val(&s, "rx_q0_size_1519_max_packets"), 0);
	/* tx: one per bucket but the last, which has 1519 and 2000 */
	for (i = 0; i < RTE_DIM(bins); i++) {
		snprintf(name, sizeof(name), "tx_q0_%s", bins[i]);
		CHECK_EQ(val(&s, name), i == 6 ? 2 : 1);
	}
	CHECK_EQ(val(&s, "rx_q0_notifications"), tp.model.vq[MODEL_RXQ].notifies);
	CHECK_EQ(val(&s, "tx_q0_notifications"), tp.model.vq[MODEL_TXQ].notifies);
	CHECK(val(&s, "rx_q0_notifications") >= 1);	/* the one at start */
	CHECK_EQ(val(&s, "rx_q0_interrupts"), 0);	/* busy-poll */
	CHECK_EQ(val(&s, "rx_q0_swring_drops"), 0);
	CHECK_EQ(val(&s, "rx_q0_mbuf_allocation_errors"), 0);

	/* by id, through ethdev */
	CHECK_EQ(xstat(&tp, "tx_q0_size_1519_max_packets"), 2);

	CHECK_EQ(rte_eth_xstats_reset(tp.port_id), 0);
	snap(tp.port_id, &s);
	for (i = 0; i < (unsigned int)s.n; i++)
		if (s.vals[i].value != 0)
			test_fail(__FILE__, __LINE__, "xstat zero after reset",
				s.names[i].name);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/* mbuf allocation failures are counted per queue and match rx_nombuf. */
static void
test_xstats_nombuf(void)
{
	static struct xs_snap s;
	struct rte_mbuf *hold[4096];
	struct rte_mbuf *pkts[64];
	struct rte_eth_stats st;
	struct test_port tp;
	unsigned int n = 0, i;

	tp_open(&tp, NULL, 64, 64);
	/* take every free mbuf away from the driver */
	while (n < RTE_DIM(hold) && (hold[n] = rte_pktmbuf_alloc(tp.mp)) != NULL)
		n++;
	for (i = 0; i < 40; i++)
		inject(&tp, i);
	CHECK_EQ(rx_some(&tp, pkts, 64), 40);
	snap(tp.port_id, &s);
	stats(&tp, &st);
	CHECK(st.rx_nombuf > 0);
	CHECK_EQ(val(&s, "rx_q0_mbuf_allocation_errors"), st.rx_nombuf);
	rte_pktmbuf_free_bulk(pkts, 40);
	rte_pktmbuf_free_bulk(hold, n);
	tp_close(&tp);
}

int
main(int argc, char **argv)
{
	test_init(argc, argv);
	RUN(test_xstats_bins);
	RUN(test_xstats_names);
	RUN(test_xstats_values);
	RUN(test_xstats_nombuf);
	return test_done();
}
