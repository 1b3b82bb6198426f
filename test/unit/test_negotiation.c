/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Feature negotiation (3.1.1 steps 4-6) and its effect on the datapath: the
 * virtio-net header length (5.1.6) and the TX descriptor layout (2.6.4).
 */
#include <string.h>

#include "test_common.h"

static bool
legacy(void)
{
	return test_version == VIRTIO_MMIO_VERSION_LEGACY;
}

/* One frame each way; returns the TX frame as the model saw it. */
static void
roundtrip(struct test_port *tp, struct model_frame *f, uint32_t seq)
{
	struct rte_mbuf *m;
	uint32_t len = frame_len(seq);

	m = mbuf_frame(tp->mp, len, seq);
	CHECK_EQ(rte_eth_tx_burst(tp->port_id, 0, &m, 1), 1);
	CHECK_EQ(model_tx_collect(&tp->model, f, 1), 1);
	CHECK_EQ(f->len, len);
	CHECK(frame_ok(f->data, f->len, seq));

	inject(tp, seq + 1);
	CHECK_EQ(rx_some(tp, &m, 1), 1);
	CHECK_EQ(rte_pktmbuf_pkt_len(m), frame_len(seq + 1));
	CHECK(frame_ok(rte_pktmbuf_mtod(m, uint8_t *), m->data_len, seq + 1));
	rte_pktmbuf_free(m);
}

static void
test_negotiate_default(void)
{
	static const uint8_t zero[VIRTIO_NET_HDR_LEN_MODERN];
	struct model_frame *f = malloc(sizeof(*f));
	struct test_port tp;
	struct vmmio_model *m = &tp.model;

	CHECK(f != NULL);
	tp_open(&tp, NULL, 0, 0);
	/* accepted features are a subset of the offered ones */
	CHECK_EQ(m->driver_features & ~m->opts.features, 0);
	CHECK(m->driver_features & VIRTIO_BIT(VIRTIO_NET_F_MAC));
	CHECK(m->driver_features & VIRTIO_BIT(VIRTIO_NET_F_STATUS));
	if (legacy()) {
		CHECK_EQ(m->driver_features >> 32, 0);
		CHECK(m->driver_features & VIRTIO_BIT(VIRTIO_F_ANY_LAYOUT));
		CHECK_EQ(model_hdr_len(m), VIRTIO_NET_HDR_LEN_LEGACY);
	} else {
		CHECK(m->driver_features & VIRTIO_BIT(VIRTIO_F_VERSION_1));
		CHECK(m->status & VIRTIO_STATUS_FEATURES_OK);
		CHECK_EQ(model_hdr_len(m), VIRTIO_NET_HDR_LEN_MODERN);
	}
	roundtrip(&tp, f, 100);
	/* the header the model saw is zeroed and of the negotiated length */
	CHECK_EQ(f->hdr_len, legacy() ? VIRTIO_NET_HDR_LEN_LEGACY :
		VIRTIO_NET_HDR_LEN_MODERN);
	CHECK(memcmp(f->hdr, zero, f->hdr_len) == 0);
	CHECK_MODEL_CLEAN(m);
	tp_close(&tp);
	free(f);
}

/*
 * Features the PMD cannot use are never accepted, even when offered; the
 * offload bits only when the application enables an offload (test_offload),
 * CTRL_VLAN only with RTE_ETH_RX_OFFLOAD_VLAN_FILTER (test_ctrl).
 * MRG_RXBUF is always accepted: it fixes the header layout at probe.
 * EVENT_IDX is accepted when offered (test_evidx).
 */
static void
test_negotiate_unsupported(void)
{
	static const unsigned int bits[] = {
		VIRTIO_NET_F_CSUM, VIRTIO_NET_F_GUEST_CSUM,
		VIRTIO_NET_F_GUEST_TSO4, VIRTIO_NET_F_GUEST_TSO6,
		VIRTIO_NET_F_HOST_TSO4, VIRTIO_NET_F_HOST_TSO6,
		VIRTIO_NET_F_GUEST_ECN, VIRTIO_NET_F_GUEST_UFO,
		VIRTIO_NET_F_HOST_ECN, VIRTIO_NET_F_HOST_UFO,
		VIRTIO_NET_F_CTRL_VLAN, VIRTIO_NET_F_CTRL_RX_EXTRA,
		VIRTIO_NET_F_GUEST_ANNOUNCE,
		VIRTIO_F_NOTIFY_ON_EMPTY,
	};
	struct model_frame *f = malloc(sizeof(*f));
	struct model_opts o;
	struct test_port tp;
	uint64_t bad = 0;
	unsigned int i;

	CHECK(f != NULL);
	for (i = 0; i < RTE_DIM(bits); i++)
		bad |= VIRTIO_BIT(bits[i]);
	test_opts(&o);
	o.features = bad | VIRTIO_BIT(VIRTIO_NET_F_MAC) |
		VIRTIO_BIT(VIRTIO_NET_F_MRG_RXBUF) |
		VIRTIO_BIT(VIRTIO_NET_F_CTRL_VQ) |
		(legacy() ? 0 : VIRTIO_BIT(VIRTIO_F_VERSION_1) |
			VIRTIO_BIT(VIRTIO_F_ACCESS_PLATFORM));
	tp_open(&tp, &o, 0, 0);
	CHECK_EQ(tp.model.driver_features & bad, 0);
	/* 6.1: the driver SHOULD accept ACCESS_PLATFORM (its addresses are IOVAs) */
	if (!legacy())
		CHECK(tp.model.driver_features & VIRTIO_BIT(VIRTIO_F_ACCESS_PLATFORM));
	/* MRG_RXBUF accepted: num_buffers present, a legacy header is 12 bytes */
	CHECK(tp.model.driver_features & VIRTIO_BIT(VIRTIO_NET_F_MRG_RXBUF));
	CHECK_EQ(model_hdr_len(&tp.model), VIRTIO_NET_HDR_LEN_MODERN);
	roundtrip(&tp, f, 7);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
	free(f);
}

/*
 * TX descriptor layout: with ANY_LAYOUT (or VERSION_1) the header may share
 * the frame's descriptor; without it (legacy) it must be alone (the model
 * checks this and records a protocol error otherwise).
 */
static void
test_negotiate_layout(void)
{
	struct model_frame *f = malloc(sizeof(*f));
	struct model_opts o;
	struct test_port tp;
	uint32_t seq;

	CHECK(f != NULL);
	tp_open(&tp, NULL, 0, 0);
	roundtrip(&tp, f, 1);
	CHECK_EQ(f->ndesc, 1);	/* header pushed into the mbuf headroom */
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);

	if (!legacy()) {
		free(f);
		return;
	}
	test_opts(&o);
	o.features = VIRTIO_BIT(VIRTIO_NET_F_MAC) | VIRTIO_BIT(VIRTIO_NET_F_STATUS);
	tp_open(&tp, &o, 0, 0);
	CHECK_EQ(tp.model.driver_features & VIRTIO_BIT(VIRTIO_F_ANY_LAYOUT), 0);
	for (seq = 0; seq < 40; seq++) {
		roundtrip(&tp, f, seq * 2);
		CHECK_EQ(f->ndesc, 2);
		CHECK_EQ(f->hdr_len, VIRTIO_NET_HDR_LEN_LEGACY);
	}
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
	free(f);
}

/* Link speed and duplex from config space with VIRTIO_NET_F_SPEED_DUPLEX. */
static void
test_negotiate_speed(void)
{
	struct rte_eth_link link;
	struct model_opts o;
	struct test_port tp;

	if (legacy())
		return;	/* feature bit 63: not expressible in legacy */
	test_opts(&o);
	o.features = VIRTIO_BIT(VIRTIO_F_VERSION_1) | VIRTIO_BIT(VIRTIO_NET_F_MAC) |
		VIRTIO_BIT(VIRTIO_NET_F_STATUS) |
		VIRTIO_BIT(VIRTIO_NET_F_SPEED_DUPLEX);
	o.speed = 25000;
	tp_open(&tp, &o, 0, 0);
	CHECK(tp.model.driver_features & VIRTIO_BIT(VIRTIO_NET_F_SPEED_DUPLEX));
	CHECK_EQ(rte_eth_link_get_nowait(tp.port_id, &link), 0);
	CHECK_EQ(link.link_status, RTE_ETH_LINK_UP);
	CHECK_EQ(link.link_speed, 25000);
	CHECK_EQ(link.link_duplex, RTE_ETH_LINK_FULL_DUPLEX);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

int
main(int argc, char **argv)
{
	test_init(argc, argv);
	RUN(test_negotiate_default);
	RUN(test_negotiate_unsupported);
	RUN(test_negotiate_layout);
	RUN(test_negotiate_speed);
	return test_done();
}
