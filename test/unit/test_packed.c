/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packed virtqueues (virtio 1.2 section 2.8) on the device model: what is
 * negotiated, the descriptors' wrap counter bits, chains, buffers used out
 * of order, notification suppression, and a device returning IDs it does
 * not hold. The other suites run on packed rings too (variant 'packed').
 */
#include <string.h>

#include <ethdev_driver.h>

#include "test_common.h"
#include "vmmio_rxtx.h"

#define BURST	32
#define AVAIL	VRING_PACKED_DESC_F_AVAIL
#define USED	VRING_PACKED_DESC_F_USED

static bool
modern(void)
{
	return test_version == VIRTIO_MMIO_VERSION_MODERN;
}

/*
 * A started modern port whose device offers packed rings (+ @p extra), with
 * QueueNumMax @p qmax (0: the model's 256) and rings of that size.
 */
static void
open_packed(struct test_port *tp, uint64_t extra, uint16_t qmax)
{
	struct model_opts o;

	test_opts(&o);
	o.queue_num_max = qmax;
	o.version = VIRTIO_MMIO_VERSION_MODERN;
	o.features = VIRTIO_BIT(VIRTIO_F_VERSION_1) | VIRTIO_BIT(VIRTIO_NET_F_MAC) |
		VIRTIO_BIT(VIRTIO_NET_F_STATUS) | extra;
	o.packed = true;
	tp_open(tp, &o, qmax, qmax);
	CHECK(tp->model.vq[MODEL_RXQ].packed && tp->model.vq[MODEL_TXQ].packed);
}

static struct vmmio_txq *
txq_of(struct test_port *tp)
{
	return rte_eth_devices[tp->port_id].data->tx_queues[0];
}

/*
 * Negotiated when offered; devarg packed=0 (hw.features_off) refuses it,
 * and a legacy device cannot offer it (one feature word).
 */
static void
test_packed_negotiation(void)
{
	struct rte_eth_burst_mode mode;
	struct test_port tp;
	struct model_opts o;

	if (!modern())
		return;
	open_packed(&tp, 0, 0);
	CHECK(tp.model.driver_features & VIRTIO_BIT(VIRTIO_F_RING_PACKED));
	CHECK(rte_eth_devices[tp.port_id].rx_pkt_burst == vmmio_recv_pkts_offload_packed);
	CHECK(rte_eth_devices[tp.port_id].tx_pkt_burst == vmmio_xmit_pkts_packed);
	CHECK_EQ(rte_eth_tx_burst_mode_get(tp.port_id, 0, &mode), 0);
	CHECK_EQ(strcmp(mode.info, "plain+chains,packed"), 0);
	tp_traffic(&tp, 0, 8);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);

	/* refused: split rings on the same device */
	test_opts(&o);
	o.version = VIRTIO_MMIO_VERSION_MODERN;
	o.packed = true;
	tp_model(&tp, &o);
	tp.hw.features_off |= VIRTIO_BIT(VIRTIO_F_RING_PACKED);
	CHECK_EQ(tp_create_port(&tp), 0);
	tp_setup(&tp, 0, 0);
	CHECK_EQ(rte_eth_dev_start(tp.port_id), 0);
	tp.started = true;
	CHECK(!(tp.model.driver_features & VIRTIO_BIT(VIRTIO_F_RING_PACKED)));
	CHECK(!tp.model.vq[MODEL_RXQ].packed);
	CHECK(rte_eth_devices[tp.port_id].tx_pkt_burst == vmmio_xmit_pkts);
	tp_traffic(&tp, 0, 8);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/*
 * 2.8.1: a descriptor is made available with AVAIL equal to the driver's
 * wrap counter (1 on the first lap) and USED its inverse; both flip on
 * every lap. An 8-descriptor ring, watched through three laps.
 */
static void
test_packed_wrap(void)
{
	struct model_vq *mv;
	struct rte_mbuf *m;
	struct test_port tp;
	uint32_t seq;

	if (!modern())
		return;
	open_packed(&tp, 0, 8);
	mv = &tp.model.vq[MODEL_TXQ];
	for (seq = 0; seq < 24; seq++) {
		m = mbuf_frame(tp.mp, frame_len(seq), seq);
		CHECK_EQ(rte_eth_tx_burst(tp.port_id, 0, &m, 1), 1);
		/* lap seq / 8: wrap counter 1, 0, 1 */
		CHECK_EQ(mv->pdesc[seq % 8].flags & (AVAIL | USED),
			(seq / 8) % 2 == 0 ? AVAIL : USED);
		CHECK_EQ(model_tx_collect(&tp.model, NULL, 1), 1);
		/* used: both bits equal to the device's wrap counter */
		CHECK_EQ(mv->pdesc[seq % 8].flags & (AVAIL | USED),
			(seq / 8) % 2 == 0 ? AVAIL | USED : 0);
	}
	/* and the receive side over many laps, every frame intact */
	for (seq = 0; seq < 100; seq++) {
		inject(&tp, seq);
		CHECK_EQ(rx_some(&tp, &m, 1), 1);
		CHECK(frame_ok(rte_pktmbuf_mtod(m, uint8_t *), m->pkt_len, seq));
		rte_pktmbuf_free(m);
	}
	tp_traffic(&tp, 0, 8);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/*
 * 2.8.6: a multi-segment packet is a list in ring order, VRING_DESC_F_NEXT
 * on all but the last, the buffer ID in the last; the device returns one
 * used descriptor and both sides skip the rest.
 */
static void
test_packed_chains(void)
{
	struct rte_mbuf *pkts[3], *m;
	struct model_frame f;
	struct model_vq *mv;
	struct test_port tp;
	uint32_t seq, k;

	if (!modern())
		return;
	open_packed(&tp, 0, 64);
	mv = &tp.model.vq[MODEL_TXQ];
	for (seq = 0; seq < 50; seq++) {
		/* three segments of one frame */
		m = mbuf_frame(tp.mp, frame_len(seq), seq);
		pkts[0] = m;
		pkts[1] = rte_pktmbuf_alloc(tp.mp);
		pkts[2] = rte_pktmbuf_alloc(tp.mp);
		CHECK(pkts[1] != NULL && pkts[2] != NULL);
		CHECK(m->data_len > 40);
		memcpy(rte_pktmbuf_append(pkts[1], 20),
			rte_pktmbuf_mtod_offset(m, void *, m->data_len - 40), 20);
		memcpy(rte_pktmbuf_append(pkts[2], 20),
			rte_pktmbuf_mtod_offset(m, void *, m->data_len - 20), 20);
		CHECK_EQ(rte_pktmbuf_trim(m, 40), 0);
		CHECK_EQ(rte_pktmbuf_chain(m, pkts[1]), 0);
		CHECK_EQ(rte_pktmbuf_chain(m, pkts[2]), 0);
		k = (uint32_t)(txq_of(&tp)->vq.avail_idx);
		CHECK_EQ(rte_eth_tx_burst(tp.port_id, 0, &m, 1), 1);
		/* header and three segments (the model reads the ID from the last) */
		CHECK(mv->pdesc[k % 64].flags & VRING_DESC_F_NEXT);
		CHECK(mv->pdesc[(k + 2) % 64].flags & VRING_DESC_F_NEXT);
		CHECK(!(mv->pdesc[(k + 3) % 64].flags & VRING_DESC_F_NEXT));
		CHECK_EQ(model_tx_collect(&tp.model, &f, 1), 1);
		CHECK_EQ(f.ndesc, 4);
		CHECK_EQ(f.len, frame_len(seq));
		CHECK(frame_ok(f.data, f.len, seq));
	}
	/* every list reclaimed: all descriptors and IDs free again */
	vmmio_txq_reclaim(txq_of(&tp));
	CHECK_EQ(txq_of(&tp)->vq.nb_free, 64);
	tp_traffic(&tp, 0, 8);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/*
 * 2.8: the device may complete buffers out of order; its used descriptors
 * come in completion order with the IDs it took. Every buffer comes back
 * once, whatever the order, and the ring goes on.
 */
static void
test_packed_out_of_order(void)
{
	static const unsigned int order[] = { 3, 0, 5, 1, 4, 2 };
	struct rte_mbuf *pkts[6];
	struct rte_eth_stats st;
	struct test_port tp;
	unsigned int avail;
	uint16_t ids[6];
	uint32_t i;

	if (!modern())
		return;
	open_packed(&tp, 0, 16);
	avail = rte_mempool_avail_count(tp.mp);
	for (i = 0; i < 6; i++)
		pkts[i] = mbuf_frame(tp.mp, frame_len(i), i);
	CHECK_EQ(rte_eth_tx_burst(tp.port_id, 0, pkts, 6), 6);
	for (i = 0; i < 6; i++)
		CHECK_EQ(model_take(&tp.model, MODEL_TXQ, &ids[i], NULL), 0);
	for (i = 0; i < 6; i++)
		model_put_used(&tp.model, MODEL_TXQ, ids[order[i]], 0);
	CHECK_EQ(vmmio_txq_reclaim(txq_of(&tp)), 6);
	CHECK_EQ(txq_of(&tp)->vq.nb_free, 16);
	CHECK_EQ(rte_mempool_avail_count(tp.mp), avail);
	/* IDs now free in another order: many more laps, all intact */
	for (i = 0; i < 40; i++)
		tp_traffic(&tp, 100 + 8 * i, 8);
	stats(&tp, &st);
	CHECK_EQ(st.oerrors, 0);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/*
 * 2.8.10: available buffer notifications follow the device event
 * suppression structure: none while it says DISABLE, and with
 * VIRTIO_F_EVENT_IDX one when the descriptor it names (offset and wrap
 * counter) is made available, not before, and one per batch while it names
 * a descriptor made available earlier.
 */
static void
test_packed_suppression(void)
{
	struct rte_mbuf *pkts[4];
	struct test_port tp;
	uint64_t base;
	uint32_t i;

	if (!modern())
		return;
	open_packed(&tp, VIRTIO_BIT(VIRTIO_RING_F_EVENT_IDX), 64);
	/* busy-poll: no used buffer notification wanted on either queue */
	CHECK_EQ(tp.model.vq[MODEL_RXQ].drv_ev->flags, RING_EVENT_FLAGS_DISABLE);
	CHECK_EQ(tp.model.vq[MODEL_TXQ].drv_ev->flags, RING_EVENT_FLAGS_DISABLE);
	model_set_no_notify(&tp.model, MODEL_TXQ, true);
	base = tp.model.vq[MODEL_TXQ].notifies;
	for (i = 0; i < 16; i++)
		tp_traffic(&tp, i, 4);
	CHECK_EQ(tp.model.vq[MODEL_TXQ].notifies, base);
	model_set_no_notify(&tp.model, MODEL_TXQ, false);
	/* 64 sent so far: ask for descriptor 64 + 6, on the second lap */
	model_set_avail_event(&tp.model, MODEL_TXQ, 64 + 6);
	for (i = 0; i < 4; i++)
		pkts[i] = mbuf_frame(tp.mp, frame_len(i), i);
	CHECK_EQ(rte_eth_tx_burst(tp.port_id, 0, pkts, 4), 4);	/* 64..67 */
	CHECK_EQ(tp.model.vq[MODEL_TXQ].notifies, base);
	for (i = 0; i < 4; i++)
		pkts[i] = mbuf_frame(tp.mp, frame_len(i), i);
	CHECK_EQ(rte_eth_tx_burst(tp.port_id, 0, pkts, 4), 4);	/* 68..71 */
	CHECK_EQ(tp.model.vq[MODEL_TXQ].notifies, base + 1);
	CHECK_EQ(model_tx_collect(&tp.model, NULL, 8), 8);
	/*
	 * A device that consumed past the descriptor it named and still asks
	 * for it (QEMU after an asynchronous transmit): no later batch holds
	 * descriptor 70, yet the device waits, so every batch notifies.
	 */
	for (i = 0; i < 4; i++)
		pkts[i] = mbuf_frame(tp.mp, frame_len(i), i);
	CHECK_EQ(rte_eth_tx_burst(tp.port_id, 0, pkts, 4), 4);	/* 72..75 */
	CHECK_EQ(tp.model.vq[MODEL_TXQ].notifies, base + 2);
	CHECK_EQ(model_tx_collect(&tp.model, NULL, 4), 4);
	/* named ahead again: quiet until the batch that holds it */
	model_set_avail_event(&tp.model, MODEL_TXQ, 76 + 4);
	for (i = 0; i < 4; i++)
		pkts[i] = mbuf_frame(tp.mp, frame_len(i), i);
	CHECK_EQ(rte_eth_tx_burst(tp.port_id, 0, pkts, 4), 4);	/* 76..79 */
	CHECK_EQ(tp.model.vq[MODEL_TXQ].notifies, base + 2);
	CHECK_EQ(model_tx_collect(&tp.model, NULL, 4), 4);
	/* the RX queue never raised an interrupt while polled */
	CHECK_EQ(tp.model.vq[MODEL_RXQ].interrupts, 0);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/*
 * A device returning a used descriptor with an ID it does not hold: out of
 * range on receive (counted as an error, traffic goes on), or on transmit
 * a buffer returned twice (the second used descriptor lies beyond what the
 * device holds, so it is never read: nothing freed twice).
 */
static void
test_packed_bad_id(void)
{
	struct rte_eth_stats st;
	unsigned int avail;
	struct rte_mbuf *m;
	struct test_port tp;
	uint16_t id;
	uint32_t seq;

	if (!modern())
		return;
	open_packed(&tp, 0, 64);
	/* receive: an ID beyond the ring */
	model_put_used(&tp.model, MODEL_RXQ, 9999, 100);
	CHECK_EQ(rte_eth_rx_burst(tp.port_id, 0, &m, 1), 0);
	stats(&tp, &st);
	CHECK_EQ(st.ierrors, 1);
	for (seq = 0; seq < 100; seq++) {
		inject(&tp, seq);
		CHECK_EQ(rx_some(&tp, &m, 1), 1);
		CHECK(frame_ok(rte_pktmbuf_mtod(m, uint8_t *), m->pkt_len, seq));
		rte_pktmbuf_free(m);
	}
	/* transmit: the same buffer returned twice */
	vmmio_txq_reclaim(txq_of(&tp));
	avail = rte_mempool_avail_count(tp.mp);
	m = mbuf_frame(tp.mp, frame_len(0), 0);
	CHECK_EQ(rte_eth_tx_burst(tp.port_id, 0, &m, 1), 1);
	CHECK_EQ(model_take(&tp.model, MODEL_TXQ, &id, NULL), 0);
	model_put_used(&tp.model, MODEL_TXQ, id, 0);
	model_put_used(&tp.model, MODEL_TXQ, id, 0);
	CHECK_EQ(vmmio_txq_reclaim(txq_of(&tp)), 1);
	CHECK_EQ(vmmio_txq_reclaim(txq_of(&tp)), 0);
	CHECK_EQ(rte_mempool_avail_count(tp.mp), avail);
	CHECK_EQ(txq_of(&tp)->vq.nb_free, 64);
	tp_close(&tp);
}

int
main(int argc, char **argv)
{
	test_init(argc, argv);
	RUN(test_packed_negotiation);
	RUN(test_packed_wrap);
	RUN(test_packed_chains);
	RUN(test_packed_out_of_order);
	RUN(test_packed_suppression);
	RUN(test_packed_bad_id);
	return test_done();
}
