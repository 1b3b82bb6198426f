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

#include "test_common.h"
#include "vmmio_rxintr.h"
#include "vmmio_rxtx.h"

#define FZ_STEPS_DEFAULT	30000
#define FZ_BURST_MAX		48
#define FZ_COLLECT_MAX		32
#define FZ_TAKEN_MAX		8
#define FZ_FRAME_MAX		4000	/* MRG frames span buffers */
#define FZ_TXMP_SIZE		1023
#define FZ_TX_TAG		0x40000000u	/* TX frames: own sequence space */
#define FZ_BAD_TAG		0x80000000u	/* frames of faulty injects */
#define FZ_DIRTY_MAX		400	/* steps before a restart resyncs */
#define FZ_PHASE		200	/* steps of one fault intensity */

static uint64_t fz_seed;
static unsigned long fz_steps = FZ_STEPS_DEFAULT;
static uint8_t fz_pkt[FZ_FRAME_MAX + 64];
static struct model_frame *fz_frames;

struct fz {
	uint64_t rng;
	uint64_t salt;
	char cfg[48];
	bool mrg, evidx, intr;
	unsigned long step;
	unsigned int phase;	/* 0 good only, 1 benign faults, 2 all */
	struct test_port tp;
	struct rte_mempool *txmp;
	struct vmmio_rxq *rxq;
	struct vmmio_txq *txq;
	int efd;
	unsigned int swr_size;
	uint16_t hdr_len;
	/* what the test saw, over the port's life */
	uint64_t rx_pkts, rx_bytes, tx_pkts, tx_bytes;
	/* RX oracle */
	bool rx_dirty;
	uint32_t rx_seq;	/* next good frame */
	uint32_t rx_from;	/* first frame of the clean era */
	uint32_t rx_expect;	/* next frame the clean era may deliver */
	uint64_t rx_out;	/* clean-era frames delivered */
	uint64_t rx_err_base, rx_benign, rx_miss_base;
	uint16_t rx_taken[FZ_TAKEN_MAX];
	unsigned int rx_ntaken;
	/* TX oracle */
	bool tx_dirty;
	uint32_t tx_seq, tx_from, tx_expect;
	uint64_t tx_err_base, tx_benign;
	uint16_t tx_taken[FZ_TAKEN_MAX];
	unsigned int tx_ntaken;
	uint32_t model_err_base;
	uint32_t bad_seq;
	unsigned long dirty_steps;
	/* for the log */
	unsigned long n_faults, n_benign, n_taints, n_resyncs, n_restarts;
	unsigned long n_clean_steps, n_rx_checked, n_tx_checked, n_drain_checks;
};

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

/* splitmix64: seeds the generator of each configuration from the run's seed. */
static uint64_t
mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* xorshift64*: small, and the same on every machine. */
static uint64_t
rnd(struct fz *f)
{
	uint64_t x = f->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	f->rng = x;
	return x * 0x2545f4914f6cdd1dULL;
}

static uint32_t
rn(struct fz *f, uint32_t n)
{
	return n == 0 ? 0 : (uint32_t)((rnd(f) >> 32) % n);
}

static bool
chance(struct fz *f, unsigned int pct)
{
	return rn(f, 100) < pct;
}

/* Frame length of a sequence number: a function of it, so checks need no table. */
static uint32_t
fz_len(const struct fz *f, uint32_t seq, uint32_t max)
{
	uint64_t h = mix64(seq ^ f->salt);

	switch (h % 8) {
	case 0:
		return TEST_FRAME_MIN;
	case 1:
		return max;
	default:
		return TEST_FRAME_MIN + (uint32_t)((h >> 8) %
			(max - TEST_FRAME_MIN + 1));
	}
}

static uint32_t
rx_len(const struct fz *f, uint32_t seq)
{
	return fz_len(f, seq, f->mrg ? FZ_FRAME_MAX : RTE_ETHER_MAX_LEN -
		RTE_ETHER_CRC_LEN);
}

static uint32_t
tx_len(const struct fz *f, uint32_t seq)
{
	return fz_len(f, seq | FZ_TX_TAG, RTE_ETHER_MAX_LEN - RTE_ETHER_CRC_LEN);
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

static struct vmmio_model *
mdl(struct fz *f)
{
	return &f->tp.model;
}

/* Used entries the device published and the driver has not harvested. */
static uint16_t
used_pending(struct fz *f, unsigned int q)
{
	const struct model_vq *mv = &mdl(f)->vq[q];
	uint16_t cons = q == MODEL_RXQ ? f->rxq->vq.used_cons :
		f->txq->vq.used_cons;

	return (uint16_t)(mv->used_idx - cons);
}

/* Clean era: room for @p n more used entries without overrunning the ring. */
static bool
used_room(struct fz *f, unsigned int q, uint16_t n)
{
	return (uint32_t)used_pending(f, q) + n <= mdl(f)->vq[q].num;
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

static bool
dirty(const struct fz *f, unsigned int q)
{
	return q == MODEL_RXQ ? f->rx_dirty : f->tx_dirty;
}

/* A fault that ends the clean era of queue @p q. */
static void
taint(struct fz *f, unsigned int q)
{
	f->n_faults++;
	if (!dirty(f, q))
		f->n_taints++;
	if (q == MODEL_RXQ)
		f->rx_dirty = true;
	else
		f->tx_dirty = true;
}

/* A fault whose whole effect is one error of queue @p q. */
static void
benign(struct fz *f, unsigned int q)
{
	if (q == MODEL_RXQ)
		f->rx_benign++;
	else
		f->tx_benign++;
	f->n_benign++;
}

/* One mbuf the PMD delivered: sane always; the next good frame in a clean era. */
static void
fz_rx_one(struct fz *f, struct rte_mbuf *m)
{
	const struct vmmio_rxq *rxq = f->rxq;
	const char *reason = NULL;
	const struct rte_mbuf *s;
	const uint8_t *p;
	uint32_t sum = 0, seq, n = 0;
	uint16_t id;

	if (rte_mbuf_check(m, 1, &reason) != 0)
		test_fail(__FILE__, __LINE__, "rte_mbuf_check(m, 1, &reason) == 0",
			reason);
	for (s = m; s != NULL; s = s->next) {
		n++;
		CHECK(n <= rxq->vq.size);
		CHECK(s->data_len >= 1);
		CHECK(s->data_len <= (s == m ? rxq->buf_len - rxq->hdr_len :
			rxq->buf_len));
		CHECK((uint32_t)s->data_off + s->data_len <= s->buf_len);
		sum += s->data_len;
		/* whatever the device did: never a buffer still posted to it */
		for (id = 0; id < rxq->vq.size; id++)
			CHECK(rxq->sw_ring[id] != s);
	}
	CHECK_EQ(n, m->nb_segs);
	CHECK_EQ(sum, m->pkt_len);
	CHECK(m->nb_segs == 1 || f->mrg);	/* chains only with SCATTER */
	CHECK_EQ(m->port, f->tp.port_id);
	f->rx_pkts++;
	f->rx_bytes += m->pkt_len;
	if (!f->rx_dirty) {
		/* nothing but good frames of this era can arrive */
		CHECK(m->pkt_len >= 22 && m->pkt_len <= FZ_FRAME_MAX);
		p = rte_pktmbuf_read(m, 0, m->pkt_len, fz_pkt);
		CHECK(p != NULL);
		memcpy(&seq, p + 14, sizeof(seq));
		CHECK(seq >= f->rx_from && seq < f->rx_seq);
		/* in order; a gap only where the software ring dropped */
		if (f->intr)
			CHECK(seq >= f->rx_expect);
		else
			CHECK_EQ(seq, f->rx_expect);
		CHECK_EQ(m->pkt_len, rx_len(f, seq));
		CHECK(frame_ok(p, m->pkt_len, seq));
		f->rx_expect = seq + 1;
		f->rx_out++;
		f->n_rx_checked++;
	}
	rte_pktmbuf_free(m);
}

static void
fz_rx_burst(struct fz *f)
{
	struct rte_mbuf *pkts[FZ_BURST_MAX];
	uint16_t n, i;

	n = rte_eth_rx_burst(f->tp.port_id, 0, pkts, (uint16_t)rn(f, FZ_BURST_MAX + 1));
	for (i = 0; i < n; i++)
		fz_rx_one(f, pkts[i]);
}

/* Packets waiting in the software ring, as an application would take them. */
static void
fz_flush_swr(struct fz *f)
{
	struct rte_mbuf *pkts[FZ_BURST_MAX];
	unsigned int n, i;

	if (f->rxq->intr.swr == NULL)
		return;
	do {
		n = rte_ring_sc_dequeue_burst(f->rxq->intr.swr, (void **)pkts,
			FZ_BURST_MAX, NULL);
		for (i = 0; i < n; i++)
			fz_rx_one(f, pkts[i]);
	} while (n > 0);
}

static void
fz_counters(struct fz *f)
{
	struct rte_eth_stats st;
	unsigned int swr = f->rxq->intr.swr != NULL ? rte_ring_count(f->rxq->intr.swr) : 0;

	stats(&f->tp, &st);
	CHECK_EQ(st.ipackets, f->rx_pkts + swr);
	if (swr == 0)
		CHECK_EQ(st.ibytes, f->rx_bytes);
	CHECK_EQ(st.opackets, f->tx_pkts);
	CHECK_EQ(st.obytes, f->tx_bytes);
}

/* Good frames into the receive queue, some published in parts (MRG). */
static void
fz_rx_inject(struct fz *f)
{
	struct model_rx_opts o;
	unsigned int k, n = 1 + rn(f, 8);
	uint32_t len, buf = f->rxq->buf_len;
	uint16_t need;
	int ret;

	for (k = 0; k < n; k++) {
		memset(&o, 0, sizeof(o));
		len = rx_len(f, f->rx_seq);
		need = f->mrg ? (uint16_t)((len + f->hdr_len + buf - 1) / buf) : 1;
		if (!f->rx_dirty && !used_room(f, MODEL_RXQ, need))
			break;
		if (f->mrg && need > 1 && chance(f, 25))
			o.publish = (uint16_t)(1 + rn(f, need - 1));
		/* without MRG_RXBUF the driver must ignore num_buffers */
		if (!f->mrg && chance(f, 10)) {
			o.set_num_buffers = true;
			o.num_buffers = (uint16_t)rnd(f);
		}
		frame_fill(fz_pkt, len, f->rx_seq);
		ret = model_rx_inject_ex(mdl(f), &o, fz_pkt, len);
		if (ret == 0) {
			f->rx_seq++;
			continue;
		}
		if (!f->rx_dirty && ret != -ENOSPC) {
			char d[32];

			snprintf(d, sizeof(d), "inject: %d", ret);
			test_fail(__FILE__, __LINE__, "ret == 0 || ret == -ENOSPC", d);
		}
		break;
	}
}

/* A frame the device announces with a lying num_buffers, or forced header fields. */
static void
fz_rx_bad_inject(struct fz *f)
{
	static const uint8_t gso[] = { VIRTIO_NET_HDR_GSO_NONE,
		VIRTIO_NET_HDR_GSO_TCPV4, VIRTIO_NET_HDR_GSO_UDP,
		VIRTIO_NET_HDR_GSO_TCPV6, 0x7f, VIRTIO_NET_HDR_GSO_ECN };
	struct model_rx_opts o;
	uint32_t seq = FZ_BAD_TAG | f->bad_seq++;
	uint32_t len = fz_len(f, seq, f->mrg ? FZ_FRAME_MAX : 1514);

	memset(&o, 0, sizeof(o));
	if (f->mrg && chance(f, 70)) {
		static const uint16_t nbs[] = { 0, 1, 2, 3, 7, 300, 0xffff };

		o.set_num_buffers = true;
		o.num_buffers = chance(f, 50) ? nbs[rn(f, RTE_DIM(nbs))] :
			(uint16_t)rnd(f);
		if (chance(f, 30))
			o.publish = (uint16_t)(1 + rn(f, 3));
	} else {
		o.force = true;
		o.hdr.flags = (uint8_t)rn(f, 4);
		o.hdr.gso_type = gso[rn(f, RTE_DIM(gso))];
		o.hdr.hdr_len = (uint16_t)rnd(f);
		o.hdr.gso_size = (uint16_t)rnd(f);
		o.hdr.csum_start = (uint16_t)rn(f, len + 8);
		o.hdr.csum_offset = (uint16_t)rn(f, 24);
	}
	frame_fill(fz_pkt, len, seq);
	model_rx_inject_ex(mdl(f), &o, fz_pkt, len);
	taint(f, MODEL_RXQ);
}

/* The device takes a receive buffer and keeps it (legal: it may hold buffers). */
static void
fz_rx_take(struct fz *f)
{
	uint16_t head;
	uint32_t cap;
	int ret;

	if (f->rx_ntaken == FZ_TAKEN_MAX)
		return;
	ret = model_take(mdl(f), MODEL_RXQ, &head, &cap);
	if (ret == 0)
		f->rx_taken[f->rx_ntaken++] = head;
	else if (!f->rx_dirty)
		CHECK(ret == -ENOSPC);
}

/*
 * The device returns a held buffer it never wrote. A length the driver
 * must refuse (shorter than the header, empty, beyond the buffer) costs one
 * error and nothing else without MRG_RXBUF; any other return is garbage
 * the driver cannot recognize.
 */
static void
fz_rx_return(struct fz *f)
{
	const struct model_vq *mv = &mdl(f)->vq[MODEL_RXQ];
	unsigned int i;
	uint16_t head;
	uint32_t len, cap = f->rxq->buf_len;
	bool bad = true;

	if (f->rx_ntaken == 0)
		return;
	if (!f->rx_dirty && !used_room(f, MODEL_RXQ, 1))
		return;
	i = rn(f, f->rx_ntaken);
	head = f->rx_taken[i];
	f->rx_taken[i] = f->rx_taken[--f->rx_ntaken];
	if (!mv->inflight[head])
		return;	/* a fault returned it already */
	switch (rn(f, 8)) {
	case 0:
		len = 0;
		break;
	case 1:
		len = f->hdr_len - 1;
		break;
	case 2:
		len = f->hdr_len;
		break;
	case 3:
		len = cap + 1;
		break;
	case 4:
		len = UINT32_MAX;
		break;
	case 5:
		len = cap + 1 + rn(f, 1u << 20);
		break;
	default:
		len = f->hdr_len + 1 + rn(f, cap - f->hdr_len);
		bad = false;
	}
	model_put_used(mdl(f), MODEL_RXQ, head, len);
	if (bad && !f->mrg)
		benign(f, MODEL_RXQ);
	else
		taint(f, MODEL_RXQ);
}

/* Used entry naming no descriptor (id beyond the ring): one error, nothing else. */
static void
fz_oor(struct fz *f, unsigned int q)
{
	uint16_t size = mdl(f)->vq[q].num;
	uint32_t id;

	if (!dirty(f, q) && !used_room(f, q, 1))
		return;
	switch (rn(f, 4)) {
	case 0:
		id = size + rn(f, 8);
		break;
	case 1:
		id = UINT32_MAX;
		break;
	case 2:
		id = 0xffff;
		break;
	default:
		id = size + (uint32_t)(rnd(f) % (UINT32_MAX - size));
	}
	model_put_used(mdl(f), q, id, (uint32_t)rnd(f));
	benign(f, q);
}

/*
 * Used entry naming a descriptor in range: the last one used again
 * (duplicate), or any (not posted, held by the device, inside a TX chain).
 */
static void
fz_inrange(struct fz *f, unsigned int q)
{
	static const uint32_t lens[] = { 0, 1, 11, 12, 13, 60, 100, 1514, 4096 };
	const struct model_vq *mv = &mdl(f)->vq[q];
	uint32_t id, len;

	id = chance(f, 40) ? mv->used->ring[(uint16_t)(mv->used_idx - 1) %
		mv->num].id : rn(f, mv->num);
	len = chance(f, 70) ? lens[rn(f, RTE_DIM(lens))] + rn(f, 2) :
		(uint32_t)rnd(f);
	model_put_used(mdl(f), q, id, len);
	taint(f, q);
}

/* used->idx moves without entries: small or large, forward or backward. */
static void
fz_jump(struct fz *f, unsigned int q)
{
	uint16_t size = mdl(f)->vq[q].num, d;

	switch (rn(f, 4)) {
	case 0:
		d = (uint16_t)(1 + rn(f, size));
		break;
	case 1:
		d = (uint16_t)(size + 1 + rn(f, 1000));
		break;
	case 2:
		d = (uint16_t)-(int)(1 + rn(f, size));
		break;
	default:
		d = (uint16_t)rnd(f);
	}
	model_bump_used_idx(mdl(f), q, d);
	taint(f, q);
}

/* The interrupt path as the EAL interrupt thread drives it, from this thread. */
static void
fz_intr(struct fz *f)
{
	uint64_t v;

	switch (rn(f, 4)) {
	case 0:
		vmmio_rxintr_arm(f->rxq, true);
		break;
	case 1:
		vmmio_rxintr_arm(f->rxq, false);
		break;
	case 2:
		/* the wakeups a sleeping lcore would read */
		if (read(f->efd, &v, sizeof(v)) < 0)
			CHECK(errno == EAGAIN);
		break;
	default:
		/* a NAPI budget from the smallest allowed up */
		vmmio_rxintr_service(f->rxq, (uint16_t)(VMMIO_RXINTR_BUDGET_MIN +
			rn(f, 2 * FZ_BURST_MAX)));
	}
}

/* Good TX frames of random sizes, some in 2-3 segments. */
static void
fz_tx_burst(struct fz *f)
{
	struct rte_mbuf *pkts[FZ_BURST_MAX], *seg;
	uint16_t n = (uint16_t)rn(f, FZ_BURST_MAX + 1), i, sent;
	uint32_t seq, len, cut, k, nseg;
	uint64_t bytes = 0;

	for (i = 0; i < n; i++) {
		seq = f->tx_seq + i;
		len = tx_len(f, seq);
		frame_fill(fz_pkt, len, seq | FZ_TX_TAG);
		nseg = len >= 3 && chance(f, 20) ? 2 + rn(f, 2) : 1;
		pkts[i] = NULL;
		for (k = 0, cut = 0; k < nseg; k++) {
			uint32_t end = k + 1 == nseg ? len :
				cut + 1 + rn(f, len - cut - (nseg - k));

			seg = rte_pktmbuf_alloc(f->txmp);
			CHECK(seg != NULL);
			memcpy(rte_pktmbuf_append(seg, (uint16_t)(end - cut)),
				fz_pkt + cut, end - cut);
			cut = end;
			if (pkts[i] == NULL)
				pkts[i] = seg;
			else
				CHECK_EQ(rte_pktmbuf_chain(pkts[i], seg), 0);
		}
		pkts[i]->hash.usr = seq;	/* for fz_tx_take: the chain's frame */
	}
	sent = rte_eth_tx_burst(f->tp.port_id, 0, pkts, n);
	CHECK(sent <= n);
	/* (pkt_len now includes a header pushed into the headroom) */
	for (i = 0; i < sent; i++)
		bytes += tx_len(f, f->tx_seq + i);
	if (sent < n)
		rte_pktmbuf_free_bulk(pkts + sent, n - sent);
	f->tx_seq += sent;
	f->tx_pkts += sent;
	f->tx_bytes += bytes;
}

/* One frame the device took: in a clean era, the next one sent, intact. */
static void
fz_tx_frame(struct fz *f, const struct model_frame *fr)
{
	static const uint8_t zero[VIRTIO_NET_HDR_LEN_MODERN];
	uint32_t seq;

	if (f->tx_dirty)
		return;
	CHECK(fr->len >= 22);
	memcpy(&seq, fr->data + 14, sizeof(seq));
	CHECK(seq & FZ_TX_TAG);
	seq &= ~FZ_TX_TAG;
	if (seq < f->tx_from)
		return;		/* queued before the era began */
	CHECK_EQ(seq, f->tx_expect);
	CHECK_EQ(fr->len, tx_len(f, seq));
	CHECK(frame_ok(fr->data, fr->len, seq | FZ_TX_TAG));
	CHECK(memcmp(fr->hdr, zero, fr->hdr_len) == 0);
	f->tx_expect++;
	f->n_tx_checked++;
}

static void
fz_tx_collect(struct fz *f)
{
	unsigned int max = 1 + rn(f, FZ_COLLECT_MAX);
	int got, i;

	if (!f->tx_dirty) {
		max = RTE_MIN(max, (unsigned int)(mdl(f)->vq[MODEL_TXQ].num -
			used_pending(f, MODEL_TXQ)));
		if (max == 0)
			return;
	}
	got = model_tx_collect(mdl(f), fz_frames, max);
	if (!f->tx_dirty)
		CHECK(got >= 0);
	for (i = 0; i < got; i++)
		fz_tx_frame(f, &fz_frames[i]);
}

/* The device holds a TX chain (legal); the frame is consumed, never seen. */
static void
fz_tx_take(struct fz *f)
{
	struct rte_mbuf *m;
	uint16_t head;
	uint32_t seq;
	int ret;

	if (f->tx_ntaken == FZ_TAKEN_MAX)
		return;
	ret = model_take(mdl(f), MODEL_TXQ, &head, NULL);
	if (ret != 0) {
		if (!f->tx_dirty)
			CHECK(ret == -ENOSPC);
		return;
	}
	f->tx_taken[f->tx_ntaken++] = head;
	if (f->tx_dirty)
		return;
	m = f->txq->slots[head].m;
	CHECK(m != NULL);
	seq = m->hash.usr;
	if (seq >= f->tx_from) {
		CHECK_EQ(seq, f->tx_expect);
		f->tx_expect++;
	}
}

/* The device completes a held chain (length is meaningless on TX). */
static void
fz_tx_return(struct fz *f)
{
	unsigned int i;
	uint16_t head;

	if (f->tx_ntaken == 0)
		return;
	if (!f->tx_dirty && !used_room(f, MODEL_TXQ, 1))
		return;
	i = rn(f, f->tx_ntaken);
	head = f->tx_taken[i];
	f->tx_taken[i] = f->tx_taken[--f->tx_ntaken];
	if (mdl(f)->vq[MODEL_TXQ].inflight[head])
		model_put_used(mdl(f), MODEL_TXQ, head, (uint32_t)rnd(f));
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
