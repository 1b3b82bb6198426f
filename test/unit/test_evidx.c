/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * VIRTIO_F_EVENT_IDX (virtio 1.2 sections 2.7.7 and 2.7.10): negotiation,
 * avail_event honoured on TX and RX (16-bit wraparound included), used_event
 * when RX interrupts are armed and disarmed, no lost wakeup across re-arming,
 * and the bounded recovery from a device whose avail_event never asks.
 */
#include <string.h>
#include <unistd.h>

#include <ethdev_driver.h>
#include <rte_ring.h>

#include "test_common.h"
#include "vmmio_rxintr.h"
#include "vmmio_rxtx.h"

#define TXB	4	/* frames per TX burst */

static void
opts_evidx(struct model_opts *o)
{
	test_opts(o);
	/* the model's default offer (vmmio_model.h) plus EVENT_IDX */
	o->features = VIRTIO_BIT(VIRTIO_NET_F_MAC) | VIRTIO_BIT(VIRTIO_NET_F_STATUS) |
		VIRTIO_BIT(VIRTIO_RING_F_EVENT_IDX) |
		(test_version == VIRTIO_MMIO_VERSION_LEGACY ?
		VIRTIO_BIT(VIRTIO_F_ANY_LAYOUT) : VIRTIO_BIT(VIRTIO_F_VERSION_1));
}

/* Port on a model offering EVENT_IDX; @p off: the driver turns it off (devarg). */
static void
open_evidx(struct test_port *tp, bool off, uint16_t nb_rxd, uint16_t nb_txd)
{
	struct model_opts o;

	opts_evidx(&o);
	tp_model(tp, &o);
	if (off)
		tp->hw.features_off = VIRTIO_BIT(VIRTIO_RING_F_EVENT_IDX);
	CHECK_EQ(tp_create_port(tp), 0);
	tp_setup(tp, nb_rxd, nb_txd);
	tp_start(tp);
}

/* The same with RX interrupts (swring) and the model's line, edges held. */
static void
open_evidx_intr(struct test_port *tp, bool off)
{
	struct model_opts o;

	opts_evidx(&o);
	tp_model(tp, &o);
	if (off)
		tp->hw.features_off = VIRTIO_BIT(VIRTIO_RING_F_EVENT_IDX);
	tp->hw.rx_intr_swring = true;
	CHECK_EQ(tp_create_port(tp), 0);
	tp_irq(tp, true);
	tp_setup_intr(tp, 64, 64);
	tp_start_intr(tp);
}

static struct vmmio_rxq *
rxq_of(const struct test_port *tp)
{
	return rte_eth_devices[tp->port_id].data->rx_queues[0];
}

static struct vmmio_txq *
txq_of(const struct test_port *tp)
{
	return rte_eth_devices[tp->port_id].data->tx_queues[0];
}

/* One TX burst of @p n frames, all accepted and collected; returns QueueNotify writes. */
static uint64_t
tx_burst_n(struct test_port *tp, uint32_t *seq, unsigned int n)
{
	struct rte_mbuf *pkts[TXB];
	uint64_t before = tp->model.vq[MODEL_TXQ].notifies;
	unsigned int i;

	for (i = 0; i < n; i++, (*seq)++)
		pkts[i] = mbuf_frame(tp->mp, TEST_FRAME_MIN, *seq);
	CHECK_EQ(rte_eth_tx_burst(tp->port_id, 0, pkts, n), n);
	CHECK_EQ(model_tx_collect(&tp->model, NULL, n), n);
	return tp->model.vq[MODEL_TXQ].notifies - before;
}


/* The 2.7.10 rule itself, on the boundaries and across 16-bit wraparound. */
static void
test_evidx_rule(void)
{
	/* window [old, new) */
	CHECK(vmmio_need_event(10, 14, 10));
	CHECK(vmmio_need_event(13, 14, 10));
	CHECK(!vmmio_need_event(14, 14, 10));
	CHECK(!vmmio_need_event(9, 14, 10));
	CHECK(!vmmio_need_event(10, 10, 10));	/* nothing published */
	CHECK(vmmio_need_event(0xfffe, 2, 0xfffc));
	CHECK(vmmio_need_event(0, 2, 0xfffc));
	CHECK(vmmio_need_event(1, 2, 0xfffc));
	CHECK(!vmmio_need_event(2, 2, 0xfffc));
	CHECK(!vmmio_need_event(0xfffb, 2, 0xfffc));
	CHECK(!vmmio_need_event(0x8000, 2, 0xfffc));
}

/* Negotiated when offered, not with the devarg; flags 0 and used_event far. */
static void
test_evidx_negotiate(void)
{
	struct test_port tp;
	struct vmmio_vq *rvq, *tvq;
	unsigned int off;

	for (off = 0; off <= 1; off++) {
		open_evidx(&tp, off, 64, 64);
		rvq = &rxq_of(&tp)->vq;
		tvq = &txq_of(&tp)->vq;
		CHECK_EQ(!!(tp.model.driver_features &
			VIRTIO_BIT(VIRTIO_RING_F_EVENT_IDX)), !off);
		CHECK_EQ(rvq->event_idx, !off);
		CHECK_EQ(tvq->event_idx, !off);
		if (!off) {
			/* 2.7.7.1: flags 0; interrupts held off through used_event */
			CHECK_EQ(tp.model.vq[MODEL_RXQ].avail->flags, 0);
			CHECK_EQ(tp.model.vq[MODEL_TXQ].avail->flags, 0);
			CHECK_EQ(model_used_event(&tp.model, MODEL_RXQ),
				(uint16_t)(rvq->used_cons + VMMIO_EVENT_FAR));
		} else {
			CHECK_EQ(tp.model.vq[MODEL_RXQ].avail->flags,
				VRING_AVAIL_F_NO_INTERRUPT);
		}
		/* busy-poll traffic raises no interrupt either way */
		inject(&tp, 0);
		CHECK(tx_burst_n(&tp, &(uint32_t){ 0 }, TXB) <= 1);
		CHECK_EQ(tp.model.vq[MODEL_RXQ].interrupts, 0);
		CHECK_EQ(tp.model.vq[MODEL_TXQ].interrupts, 0);
		CHECK_MODEL_CLEAN(&tp.model);
		tp_close(&tp);
	}
}

/* TX: notify exactly when a burst publishes the entry avail_event names. */
static void
test_evidx_tx_avail_event(void)
{
	struct test_port tp;
	uint32_t seq = 0;

	open_evidx(&tp, false, 64, 64);
	model_set_avail_event(&tp.model, MODEL_TXQ, 0);
	CHECK_EQ(tx_burst_n(&tp, &seq, TXB), 1);	/* [0,4) has 0 */
	model_set_avail_event(&tp.model, MODEL_TXQ, 3);
	CHECK_EQ(tx_burst_n(&tp, &seq, TXB), 0);	/* [4,8): behind */
	model_set_avail_event(&tp.model, MODEL_TXQ, 11);
	CHECK_EQ(tx_burst_n(&tp, &seq, TXB), 1);	/* [8,12) has 11 */
	model_set_avail_event(&tp.model, MODEL_TXQ, 20);
	CHECK_EQ(tx_burst_n(&tp, &seq, TXB), 0);	/* [12,16) */
	CHECK_EQ(tx_burst_n(&tp, &seq, TXB), 0);	/* [16,20) */
	CHECK_EQ(tx_burst_n(&tp, &seq, TXB), 1);	/* [20,24) has 20 */
	CHECK_EQ(tx_burst_n(&tp, &seq, TXB), 0);	/* [24,28) */
	CHECK_EQ(tp.model.tx_frames, seq);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/* TX across the 16-bit wrap of avail->idx. */
static void
test_evidx_tx_wrap(void)
{
	struct test_port tp;
	uint32_t seq = 0;

	open_evidx(&tp, false, 64, 64);
	CHECK_EQ(tx_burst_n(&tp, &seq, 2), 1);	/* indexes 2 mod 4 from here */
	/* the device catches up after every burst: each burst notifies once */
	while ((uint16_t)txq_of(&tp)->vq.avail_idx != 65530)
		CHECK_EQ(tx_burst_n(&tp, &seq, TXB), 1);
	model_set_avail_event(&tp.model, MODEL_TXQ, 0);
	CHECK_EQ(tx_burst_n(&tp, &seq, TXB), 0);	/* [65530,65534) */
	CHECK_EQ(tx_burst_n(&tp, &seq, TXB), 1);	/* [65534,2) has 0 */
	CHECK_EQ(txq_of(&tp)->vq.avail_idx, 2);
	model_set_avail_event(&tp.model, MODEL_TXQ, 1);
	CHECK_EQ(tx_burst_n(&tp, &seq, TXB), 0);	/* [2,6): behind */
	model_set_avail_event(&tp.model, MODEL_TXQ, 0xfff0);
	CHECK_EQ(tx_burst_n(&tp, &seq, TXB), 0);	/* [6,10) */
	model_set_avail_event(&tp.model, MODEL_TXQ, 13);
	CHECK_EQ(tx_burst_n(&tp, &seq, TXB), 1);	/* [10,14) has 13 */
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/*
 * RX: a device that still holds buffers (avail_event behind the refill) gets
 * no notification; one that ran dry (avail_event = its next entry) does.
 * Without EVENT_IDX (devarg) every refill notifies on this device.
 */
static void
test_evidx_rx_refill(void)
{
	struct rte_mbuf *pkts[64];
	struct test_port tp;
	uint64_t base;
	uint32_t seq = 0, i;
	unsigned int off;

	for (off = 0; off <= 1; off++) {
		open_evidx(&tp, off, 64, 64);
		base = tp.model.vq[MODEL_RXQ].notifies;
		for (i = 0; i < 8; i++) {
			/* half the ring each time: the device never runs dry */
			for (uint32_t k = 0; k < 32; k++)
				inject(&tp, seq++);
			CHECK_EQ(rx_some(&tp, pkts, 64), 32);
			rte_pktmbuf_free_bulk(pkts, 32);
		}
		if (off) {
			CHECK_EQ(tp.model.vq[MODEL_RXQ].notifies - base, 8);
		} else {
			CHECK_EQ(tp.model.vq[MODEL_RXQ].notifies, base);
			/* run it dry: the refill publishes its avail_event */
			for (uint32_t k = 0; k < 64; k++)
				inject(&tp, seq++);
			CHECK_EQ(model_rx_inject(&tp.model, pkts, 60), -ENOSPC);
			CHECK_EQ(rx_some(&tp, pkts, 64), 64);
			rte_pktmbuf_free_bulk(pkts, 64);
			CHECK_EQ(tp.model.vq[MODEL_RXQ].notifies, base + 1);
		}
		CHECK_EQ(tp.model.vq[MODEL_RXQ].interrupts, 0);
		CHECK_MODEL_CLEAN(&tp.model);
		tp_close(&tp);
	}
}

/*
 * A garbage avail_event (never inside a published window) must not stall
 * the queue for good: TX with a device that works only when notified
 * recovers after VMMIO_STALL_POLLS full-ring bursts; RX notifies once after
 * as many empty polls, and not again while nothing new is published.
 */
static void
test_evidx_garbage(void)
{
	struct rte_mbuf *pkts[64], *m;
	struct test_port tp;
	uint32_t seq = 0, sent = 0, tries;
	uint64_t base;

	open_evidx(&tp, false, 64, 64);
	tp.model.tx_on_notify = true;
	model_set_avail_event(&tp.model, MODEL_TXQ, 0x4000);
	for (tries = 0; tries < 3 * VMMIO_STALL_POLLS && sent < 96; tries++) {
		m = mbuf_frame(tp.mp, TEST_FRAME_MIN, seq);
		if (rte_eth_tx_burst(tp.port_id, 0, &m, 1) == 1) {
			seq++;
			sent++;
		} else {
			rte_pktmbuf_free(m);
		}
	}
	CHECK_EQ(sent, 96);
	/* one ring (64) sent, then at most one stall period to recover */
	CHECK(tries <= 96 + VMMIO_STALL_POLLS + 1);
	CHECK(tp.model.vq[MODEL_TXQ].notifies >= 1);
	CHECK(tp.model.tx_frames >= 64);

	/* RX: the device consumes everything, avail_event never matches */
	model_set_avail_event(&tp.model, MODEL_RXQ, 0x4000);
	while (model_rx_inject(&tp.model, pkts, 60) == 0)
		;
	CHECK_EQ(rte_eth_rx_burst(tp.port_id, 0, pkts, 64), 64);
	rte_pktmbuf_free_bulk(pkts, 64);
	base = tp.model.vq[MODEL_RXQ].notifies;
	for (tries = 0; tries < VMMIO_STALL_POLLS - 2; tries++)
		CHECK_EQ(rte_eth_rx_burst(tp.port_id, 0, pkts, 64), 0);
	CHECK_EQ(tp.model.vq[MODEL_RXQ].notifies, base);
	for (tries = 0; tries < 4 * VMMIO_STALL_POLLS; tries++)
		CHECK_EQ(rte_eth_rx_burst(tp.port_id, 0, pkts, 64), 0);
	CHECK_EQ(tp.model.vq[MODEL_RXQ].notifies, base + 1);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}
/* Notify hook: a frame arrives while the interrupt thread is refilling. */
static void
inject_on_notify(struct vmmio_model *m, unsigned int q, void *arg)
{
	uint32_t *seq = arg;
	uint8_t f[TEST_FRAME_MIN];

	if (q != MODEL_RXQ)
		return;
	m->notify_hook = NULL;
	frame_fill(f, sizeof(f), *seq);
	CHECK_EQ(model_rx_inject(m, f, sizeof(f)), 0);
	(*seq)++;
}

/*
 * RX interrupts: arming asks for the next used entry (used_event = the
 * driver's position, or the flag cleared), disarming suppresses again; a
 * frame used before arming wakes the queue at once; a frame used while the
 * interrupt thread refills is not left behind. Both notification schemes.
 */
static void
test_evidx_intr_arm(void)
{
	struct rte_mbuf *pkts[8];
	struct vmmio_rxq *rxq;
	struct test_port tp;
	struct model_vq *mvq;
	uint32_t seq = 0;
	uint64_t irq;
	unsigned int off;

	for (off = 0; off <= 1; off++) {
		/* swring mode; the test plays the EAL thread (edges held) */
		open_evidx_intr(&tp, off);
		rxq = rxq_of(&tp);
		mvq = &tp.model.vq[MODEL_RXQ];
		CHECK(rxq->intr.swr != NULL && rxq->intr.efd >= 0);

		vmmio_rxintr_arm(rxq, true);
		if (!off)
			CHECK_EQ(model_used_event(&tp.model, MODEL_RXQ),
				rxq->vq.used_cons);
		CHECK_EQ(mvq->avail->flags, 0);
		CHECK_EQ(efd_take(rxq->intr.efd), 0);	/* nothing there yet */
		irq = mvq->interrupts;
		inject(&tp, seq++);
		CHECK_EQ(mvq->interrupts, irq + 1);
		CHECK_EQ(vmmio_rxintr_service(rxq, VMMIO_RXINTR_BUDGET_DEFAULT), 1);
		CHECK(efd_take(rxq->intr.efd) > 0);
		if (!off)	/* re-armed at the new position */
			CHECK_EQ(model_used_event(&tp.model, MODEL_RXQ),
				rxq->vq.used_cons);
		inject(&tp, seq++);
		CHECK_EQ(mvq->interrupts, irq + 2);

		/* a frame used during the refill's notify is not stranded */
		if (!off)
			model_set_avail_event(&tp.model, MODEL_RXQ, rxq->vq.avail_idx);
		else
			model_set_no_notify(&tp.model, MODEL_RXQ, false);
		tp.model.notify_hook = inject_on_notify;
		tp.model.notify_arg = &seq;
		vmmio_rxintr_service(rxq, VMMIO_RXINTR_BUDGET_DEFAULT);
		CHECK(tp.model.notify_hook == NULL);	/* the hook ran */
		if (!off)
			CHECK_EQ(vmmio_vq_used_pending(&rxq->vq), 0);
		else	/* flag mode: the device interrupts for it */
			CHECK_EQ(mvq->interrupts, irq + 3);
		vmmio_rxintr_service(rxq, VMMIO_RXINTR_BUDGET_DEFAULT);
		CHECK_EQ(rte_ring_count(rxq->intr.swr), 3);
		efd_take(rxq->intr.efd);

		/* disarmed: no interrupt */
		vmmio_rxintr_arm(rxq, false);
		if (!off)
			CHECK_EQ(model_used_event(&tp.model, MODEL_RXQ),
				(uint16_t)(rxq->vq.used_cons + VMMIO_EVENT_FAR));
		else
			CHECK_EQ(mvq->avail->flags, VRING_AVAIL_F_NO_INTERRUPT);
		irq = mvq->interrupts;
		inject(&tp, seq++);
		CHECK_EQ(mvq->interrupts, irq);
		/* re-arming with that frame waiting: woken at once (no lost wakeup) */
		vmmio_rxintr_arm(rxq, true);
		CHECK(efd_take(rxq->intr.efd) > 0);
		/*
		 * drained while still armed: the ring's frame comes after the
		 * software ring's three, and the next interrupt is asked for
		 */
		CHECK_EQ(rte_eth_rx_burst(tp.port_id, 0, pkts, 8), 4);
		rte_pktmbuf_free_bulk(pkts, 4);
		if (!off)
			CHECK_EQ(model_used_event(&tp.model, MODEL_RXQ),
				rxq->vq.used_cons);
		else
			CHECK_EQ(mvq->avail->flags, 0);
		irq = mvq->interrupts;
		inject(&tp, seq++);
		CHECK_EQ(mvq->interrupts, irq + 1);
		vmmio_rxintr_arm(rxq, false);
		CHECK_EQ(rte_eth_rx_burst(tp.port_id, 0, pkts, 8), 1);
		rte_pktmbuf_free_bulk(pkts, 1);
		CHECK_MODEL_CLEAN(&tp.model);
		tp_close(&tp);
	}
}

int
main(int argc, char **argv)
{
	test_init(argc, argv);
	RUN(test_evidx_rule);
	RUN(test_evidx_negotiate);
	RUN(test_evidx_tx_avail_event);
	RUN(test_evidx_tx_wrap);
	RUN(test_evidx_rx_refill);
	RUN(test_evidx_garbage);
	RUN(test_evidx_intr_arm);
	return test_done();
}
