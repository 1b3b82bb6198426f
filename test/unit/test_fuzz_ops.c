/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The operations of test_fuzz's random steps: good traffic both ways
 * (injects, bursts, the interrupt path) and the device's faults, each
 * checking what it may and keeping the oracle's clean eras (test_fuzz.c
 * says what is asserted and why it can be).
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <ethdev_driver.h>
#include <rte_ring.h>

#include "test_fuzz.h"
#include "vmmio_rxintr.h"

static uint8_t fz_pkt[FZ_FRAME_MAX + 64];

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

/* Clean era: room for @p n more used entries without overrunning the ring. */
static bool
used_room(struct fz *f, unsigned int q, uint16_t n)
{
	return (uint32_t)used_pending(f, q) + n <= mdl(f)->vq[q].num;
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

void
fz_rx_burst(struct fz *f)
{
	struct rte_mbuf *pkts[FZ_BURST_MAX];
	uint16_t n, i;

	n = rte_eth_rx_burst(f->tp.port_id, 0, pkts, (uint16_t)rn(f, FZ_BURST_MAX + 1));
	for (i = 0; i < n; i++)
		fz_rx_one(f, pkts[i]);
}

/* Packets waiting in the software ring, as an application would take them. */
void
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

void
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
void
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
void
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
void
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
void
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
void
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
void
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
void
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
void
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
void
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

void
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
void
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
void
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
