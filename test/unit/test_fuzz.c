/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Seeded random misbehaving device: many random steps mixing good traffic
 * (RX injects with partial publishes, rx/tx bursts of random sizes, the RX
 * interrupt path driven from this thread) with device faults (used ids out
 * of range, not posted or duplicated, bad lengths, used->idx jumps both
 * ways, lying num_buffers, forced header fields, TX completions for chains
 * never posted).
 *
 * What is asserted, and why it can be:
 * - always: no crash; every delivered mbuf passes rte_mbuf_check() with
 *   sane segments; ipackets == mbufs delivered (+ those waiting in the
 *   software ring), ibytes likewise, opackets/obytes == what tx_burst
 *   accepted; after every stop both pools are full; at the end the
 *   memzones are back to their count.
 * - in a clean era (since the last start, or since the test saw driver and
 *   device agree on every descriptor again): every good frame delivered is
 *   the next one injected (gaps only for software-ring drops), intact;
 *   when all is harvested, delivered + imissed == injected and ierrors grew
 *   by exactly the benign faults (ids out of range; in non-MRG, bad lengths
 *   of a buffer the device held); every good TX frame the device takes is
 *   the next one sent, intact, header zero; the model sees no protocol
 *   error. Faults that hand the driver a buffer the device did not write,
 *   or make both sides disagree on who owns a descriptor (in-range ids,
 *   jumps, lying num_buffers, forced headers), end the clean era: the
 *   driver cannot tell such data from real, so only the "always" checks
 *   hold until the sides agree again (checked every step) or a restart.
 *
 * Env: VMMIO_FUZZ_SEED (default: time), VMMIO_FUZZ_STEPS per configuration.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <ethdev_driver.h>
#include <rte_memzone.h>
#include <rte_ring.h>

#include "test_fuzz.h"
#include "vmmio_rxintr.h"

static uint64_t fz_seed;
static unsigned long fz_steps = FZ_STEPS_DEFAULT;
struct model_frame *fz_frames;

static struct fz *fz_cur;

/* Every failure says how to replay it (test_fail_context). */
static void
fz_context(FILE *out)
{
	fprintf(out, "  seed=%" PRIu64 " steps=%lu cfg=%s step=%lu: replay with VMMIO_FUZZ_SEED=%"
		PRIu64 " VMMIO_FUZZ_STEPS=%lu\n", fz_seed, fz_steps,
		fz_cur != NULL ? fz_cur->cfg : "-", fz_cur != NULL ? fz_cur->step : 0,
		fz_seed, fz_steps);
}

/* Memzones, but ethdev's shared port data (made with the first port, kept). */
static void
mz_count_cb(const struct rte_memzone *mz, void *arg)
{
	if (strcmp(mz->name, "rte_eth_dev_data") != 0)
		(*(unsigned int *)arg)++;
}

static unsigned int
memzones(void)
{
	unsigned int n = 0;

	rte_memzone_walk(mz_count_cb, &n);
	return n;
}

/* A clean era of queue @p q begins: the exact checks count from here. */
static void
fz_clean(struct fz *f, unsigned int q)
{
	struct rte_eth_stats st;

	stats(&f->tp, &st);
	if (q == MODEL_RXQ) {
		f->rx_dirty = false;
		f->rx_from = f->rx_seq;
		f->rx_expect = f->rx_seq;
		f->rx_out = 0;
		f->rx_err_base = st.ierrors;
		f->rx_benign = 0;
		f->rx_miss_base = st.imissed;
	} else {
		f->tx_dirty = false;
		f->tx_from = f->tx_seq;
		f->tx_expect = f->tx_seq;
		f->tx_err_base = st.oerrors;
		f->tx_benign = 0;
	}
}

/*
 * Driver and device agree on queue @p q again: every entry the device used
 * was harvested, nothing is held back, and every descriptor the device owns
 * (offered or taken) is one the driver posted, once. From here on good
 * traffic must flow exactly again.
 */
static bool
fz_synced(struct fz *f, unsigned int q, uint8_t *seen)
{
	const struct model_vq *mv = &mdl(f)->vq[q];
	uint16_t pend, k, id;

	if (q == MODEL_RXQ && f->rxq->intr.swr != NULL && rte_ring_count(f->rxq->intr.swr) > 0)
		return false;
	if (__atomic_load_n(&mv->used->idx, __ATOMIC_ACQUIRE) != mv->used_idx ||
	    used_pending(f, q) != 0)
		return false;
	pend = model_avail_pending(mdl(f), q);
	if (pend > mv->num)
		return false;
	memset(seen, 0, mv->num);
	for (id = 0; id < mv->num; id++) {
		if (!mv->inflight[id])
			continue;
		if (q == MODEL_RXQ ? f->rxq->sw_ring[id] == NULL :
		    f->txq->slots[id].m == NULL)
			return false;
		seen[id] = 1;
	}
	for (k = 0; k < pend; k++) {
		id = mv->avail->ring[(uint16_t)(mv->last_avail + k) % mv->num];
		if (id >= mv->num || seen[id])
			return false;
		if (q == MODEL_RXQ ? f->rxq->sw_ring[id] == NULL :
		    f->txq->slots[id].m == NULL)
			return false;
		seen[id] = 1;
	}
	return true;
}

/* End of a step: resync, and the exact checks of a clean era. */
static void
fz_settle(struct fz *f)
{
	uint8_t seen[1024];
	struct rte_eth_stats st;
	bool rx_sync = fz_synced(f, MODEL_RXQ, seen);
	bool tx_sync = fz_synced(f, MODEL_TXQ, seen);

	fz_counters(f);
	if (f->rx_dirty && rx_sync) {
		fz_clean(f, MODEL_RXQ);
		f->n_resyncs++;
	}
	if (f->tx_dirty && tx_sync) {
		fz_clean(f, MODEL_TXQ);
		f->n_resyncs++;
	}
	stats(&f->tp, &st);
	if (!f->rx_dirty && rx_sync) {
		/* all harvested: every good frame delivered or missed, no loss */
		CHECK_EQ(f->rx_out + st.imissed - f->rx_miss_base,
			f->rx_seq - f->rx_from);
		CHECK_EQ(st.ierrors, f->rx_err_base + f->rx_benign);
		f->n_drain_checks++;
	}
	if (!f->tx_dirty && tx_sync) {
		CHECK_EQ(st.oerrors, f->tx_err_base + f->tx_benign);
		/* nothing offered or held: every frame sent was taken */
		if (model_avail_pending(mdl(f), MODEL_TXQ) == 0 &&
		    f->tx_ntaken == 0)
			CHECK_EQ(f->tx_expect, f->tx_seq);
		f->n_drain_checks++;
	}
	if (!f->rx_dirty && !f->tx_dirty) {
		if (model_errors(mdl(f)) != f->model_err_base)
			test_fail(__FILE__, __LINE__,
				"no model error in a clean era", mdl(f)->last_error);
		f->n_clean_steps++;
		f->dirty_steps = 0;
	} else {
		f->model_err_base = model_errors(mdl(f));
		f->dirty_steps++;
	}
}

/* After a start: the queues, the software ring and eventfd of the interrupt path. */
static void
fz_attach(struct fz *f)
{
	struct rte_eth_dev_data *d = rte_eth_devices[f->tp.port_id].data;

	f->rxq = d->rx_queues[0];
	f->txq = d->tx_queues[0];
	f->hdr_len = f->rxq->hdr_len;
	f->rx_ntaken = 0;
	f->tx_ntaken = 0;
	f->efd = f->rxq->intr.efd;
	if (f->intr) {
		/* swring mode, as dev_start prepared it; the test serves the line */
		CHECK(f->rxq->intr.swr != NULL && f->efd >= 0);
		CHECK_EQ(rte_ring_get_capacity(f->rxq->intr.swr), f->swr_size);
	}
	fz_clean(f, MODEL_RXQ);
	fz_clean(f, MODEL_TXQ);
	f->model_err_base = model_errors(mdl(f));
}

/* Both pools full: nothing the PMD held is lost. */
static void
fz_check_pools(struct fz *f)
{
	CHECK_EQ(tp_mbufs_out(&f->tp), 0);
	CHECK_EQ(rte_mempool_avail_count(f->txmp), FZ_TXMP_SIZE);
}

/* Stop and start: the device reset takes every buffer back. */
static void
fz_restart(struct fz *f)
{
	fz_flush_swr(f);
	fz_counters(f);
	tp_stop(&f->tp);
	fz_check_pools(f);
	if (f->intr)
		tp_start_intr(&f->tp);
	else
		tp_start(&f->tp);
	fz_attach(f);
	f->n_restarts++;
	f->dirty_steps = 0;
}

enum fz_op {
	OP_RX_INJECT, OP_RX_BURST, OP_RX_PUBLISH, OP_RX_TAKE, OP_RX_RETURN,
	OP_TX_BURST, OP_TX_COLLECT, OP_TX_TAKE, OP_TX_RETURN, OP_TX_RECLAIM,
	OP_INTR,
	OP_RX_OOR, OP_TX_OOR,		/* benign faults */
	OP_RX_INRANGE, OP_RX_JUMP, OP_RX_BAD_INJECT,	/* desynchronizing */
	OP_TX_INRANGE, OP_TX_JUMP,
	OP_RESTART,
	OP_NB
};

static const unsigned int fz_weight[OP_NB] = {
	[OP_RX_INJECT] = 20, [OP_RX_BURST] = 20, [OP_RX_PUBLISH] = 3,
	[OP_RX_TAKE] = 3, [OP_RX_RETURN] = 3,
	[OP_TX_BURST] = 14, [OP_TX_COLLECT] = 12, [OP_TX_TAKE] = 3,
	[OP_TX_RETURN] = 3, [OP_TX_RECLAIM] = 3,
	[OP_INTR] = 12,
	[OP_RX_OOR] = 3, [OP_TX_OOR] = 3,
	[OP_RX_INRANGE] = 2, [OP_RX_JUMP] = 1, [OP_RX_BAD_INJECT] = 2,
	[OP_TX_INRANGE] = 2, [OP_TX_JUMP] = 1,
	[OP_RESTART] = 1,
};

static enum fz_op
fz_pick(struct fz *f)
{
	unsigned int total = 0, r, op;

	for (op = 0; op < OP_NB; op++)
		total += fz_weight[op];
	for (;;) {
		r = rn(f, total);
		for (op = 0; r >= fz_weight[op]; op++)
			r -= fz_weight[op];
		if (op == OP_INTR && !f->intr)
			continue;
		if ((op == OP_RX_OOR || op == OP_TX_OOR) && f->phase < 1)
			continue;
		if (op >= OP_RX_INRANGE && op <= OP_TX_JUMP && f->phase < 2)
			continue;
		return op;
	}
}

static void
fz_step(struct fz *f)
{
	switch (fz_pick(f)) {
	case OP_RX_INJECT:
		fz_rx_inject(f);
		break;
	case OP_RX_BURST:
		fz_rx_burst(f);
		break;
	case OP_RX_PUBLISH:
		model_rx_publish(mdl(f));
		break;
	case OP_RX_TAKE:
		fz_rx_take(f);
		break;
	case OP_RX_RETURN:
		fz_rx_return(f);
		break;
	case OP_TX_BURST:
		fz_tx_burst(f);
		break;
	case OP_TX_COLLECT:
		fz_tx_collect(f);
		break;
	case OP_TX_TAKE:
		fz_tx_take(f);
		break;
	case OP_TX_RETURN:
		fz_tx_return(f);
		break;
	case OP_TX_RECLAIM:
		vmmio_txq_reclaim(f->txq);
		break;
	case OP_INTR:
		fz_intr(f);
		break;
	case OP_RX_OOR:
		fz_oor(f, MODEL_RXQ);
		break;
	case OP_TX_OOR:
		fz_oor(f, MODEL_TXQ);
		break;
	case OP_RX_INRANGE:
		fz_inrange(f, MODEL_RXQ);
		break;
	case OP_RX_JUMP:
		fz_jump(f, MODEL_RXQ);
		break;
	case OP_RX_BAD_INJECT:
		fz_rx_bad_inject(f);
		break;
	case OP_TX_INRANGE:
		fz_inrange(f, MODEL_TXQ);
		break;
	case OP_TX_JUMP:
		fz_jump(f, MODEL_TXQ);
		break;
	case OP_RESTART:
	default:
		fz_restart(f);
		break;
	}
}

/* One configuration: a port, fz_steps random steps, teardown with checks. */
static void
fz_run(unsigned int idx, bool mrg, bool evidx, bool intr)
{
	static const uint16_t rings[] = { 64, 128, 256 };	/* PMD's range */
	struct rte_eth_conf conf;
	struct model_opts o;
	struct fz *f;
	unsigned int mz0 = memzones();

	f = calloc(1, sizeof(*f));
	CHECK(f != NULL);
	fz_cur = f;
	f->mrg = mrg;
	f->evidx = evidx;
	f->intr = intr;
	f->rng = mix64(fz_seed ^ mix64(idx + 1));
	if (f->rng == 0)
		f->rng = 1;
	f->salt = rnd(f);
	snprintf(f->cfg, sizeof(f->cfg), "%s%s%s%s",
		test_version == VIRTIO_MMIO_VERSION_LEGACY ? "legacy" : "modern",
		mrg ? "+mrg" : "", evidx ? "+evidx" : "", intr ? "+intr" : "");

	test_opts(&o);
	o.features = VIRTIO_BIT(VIRTIO_NET_F_MAC) | VIRTIO_BIT(VIRTIO_NET_F_STATUS) |
		(test_version == VIRTIO_MMIO_VERSION_LEGACY ?
		 VIRTIO_BIT(VIRTIO_F_ANY_LAYOUT) : VIRTIO_BIT(VIRTIO_F_VERSION_1)) |
		(mrg ? VIRTIO_BIT(VIRTIO_NET_F_MRG_RXBUF) : 0) |
		(evidx ? VIRTIO_BIT(VIRTIO_RING_F_EVENT_IDX) : 0);
	memset(&conf, 0, sizeof(conf));
	if (mrg)
		conf.rxmode.offloads = RTE_ETH_RX_OFFLOAD_SCATTER;
	tp_model(&f->tp, &o);
	f->tp.hw.rx_intr_swring = intr;
	CHECK_EQ(tp_create_port(&f->tp), 0);
	if (intr) {
		/* RX interrupts, swring mode; edges held: this thread serves them */
		tp_irq(&f->tp, true);
		conf.intr_conf.rxq = 1;
	}
	f->tp.tx_free_thresh = chance(f, 50) ? 0 : 1 + rn(f, 32);
	{
		uint16_t rxd = rings[rn(f, RTE_DIM(rings))];
		uint16_t txd = rings[rn(f, RTE_DIM(rings))];

		f->tp.tx_free_thresh = RTE_MIN(f->tp.tx_free_thresh, txd);
		/* small buffers with MRG_RXBUF: frames span several */
		tp_setup_ex(&f->tp, &conf, rxd, txd,
			mrg ? RTE_PKTMBUF_HEADROOM + 128 + rn(f, 512) : 0);
		f->swr_size = 2u * rxd;	/* the PMD's: two device rings */
	}
	f->txmp = rte_pktmbuf_pool_create("fz_txmp", FZ_TXMP_SIZE, 32, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	CHECK(f->txmp != NULL);
	if (intr)
		tp_start_intr(&f->tp);
	else
		tp_start(&f->tp);
	CHECK(!!(mdl(f)->driver_features & VIRTIO_BIT(VIRTIO_RING_F_EVENT_IDX)) ==
		evidx);
	fz_attach(f);
	printf("  %s: rxd %u txd %u buf %u swr %u tx_free_thresh %u\n", f->cfg,
		f->rxq->vq.size, f->txq->vq.size, f->rxq->buf_len,
		intr ? f->swr_size : 0, f->tp.tx_free_thresh);

	for (f->step = 0; f->step < fz_steps; f->step++) {
		if (f->step % FZ_PHASE == 0)
			f->phase = rn(f, 3);
		fz_step(f);
		fz_settle(f);
		if (f->dirty_steps > FZ_DIRTY_MAX)
			fz_restart(f);
	}

	/* teardown: drain what is left, then the leak checks */
	if (f->intr)
		vmmio_rxintr_arm(f->rxq, false);
	fz_flush_swr(f);
	fz_counters(f);
	printf("  %s: %lu steps, rx %" PRIu64 " tx %" PRIu64 " faults %lu (benign %lu) "
		"eras ended %lu resynced %lu restarts %lu clean steps %lu "
		"checked rx %lu tx %lu drained %lu\n", f->cfg, f->step,
		f->rx_pkts, f->tx_pkts, f->n_faults + f->n_benign, f->n_benign,
		f->n_taints, f->n_resyncs, f->n_restarts, f->n_clean_steps,
		f->n_rx_checked, f->n_tx_checked, f->n_drain_checks);
	tp_stop(&f->tp);
	fz_check_pools(f);
	model_clear_errors(mdl(f));	/* faults leave protocol errors behind */
	tp_close(&f->tp);
	rte_mempool_free(f->txmp);
	CHECK_EQ(memzones(), mz0);
	fz_cur = NULL;
	free(f);
}

static void
fz_all(bool intr)
{
	unsigned int i;

	for (i = 0; i < 4; i++)
		fz_run(i + (intr ? 4 : 0), i & 1, (i >> 1) & 1, intr);
}

static void
test_fuzz_poll(void)
{
	fz_all(false);
}

static void
test_fuzz_intr(void)
{
	fz_all(true);
}

int
main(int argc, char **argv)
{
	const char *s;

	s = getenv("VMMIO_FUZZ_SEED");
	fz_seed = s != NULL && *s != '\0' ? strtoull(s, NULL, 0) :
		(uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	s = getenv("VMMIO_FUZZ_STEPS");
	if (s != NULL && *s != '\0')
		fz_steps = strtoul(s, NULL, 0);
	/* before EAL: a crash in its setup still leaves the seed in the log */
	printf("seed=%" PRIu64 " steps=%lu (replay: VMMIO_FUZZ_SEED=%" PRIu64
		" VMMIO_FUZZ_STEPS=%lu %s %s)\n", fz_seed, fz_steps, fz_seed,
		fz_steps, argv[0], argc > 1 ? argv[1] : "modern");
	fflush(stdout);
	test_init(argc, argv);
	test_fail_context = fz_context;
	fz_frames = calloc(FZ_COLLECT_MAX, sizeof(*fz_frames));
	CHECK(fz_frames != NULL);
	RUN(test_fuzz_poll);
	RUN(test_fuzz_intr);
	free(fz_frames);
	return test_done();
}
