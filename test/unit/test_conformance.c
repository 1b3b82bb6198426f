/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Driver requirements of the spec the model records apart from the other
 * errors, one test case each, so that a violation fails only its own test:
 *  - 3.1.1: no available buffer notification before DRIVER_OK;
 *  - 4.2.2.2: modern config space accessed with each field's natural width.
 */
#include "test_common.h"

/* Full lifecycle with traffic, and a link query (config read). */
static void
lifecycle(struct test_port *tp)
{
	struct rte_eth_link link;
	struct rte_mbuf *m;

	tp_open(tp, NULL, 0, 0);
	CHECK_EQ(rte_eth_link_get_nowait(tp->port_id, &link), 0);
	inject(tp, 1);
	CHECK_EQ(rx_some(tp, &m, 1), 1);
	rte_pktmbuf_free(m);
	m = mbuf_frame(tp->mp, frame_len(2), 2);
	CHECK_EQ(rte_eth_tx_burst(tp->port_id, 0, &m, 1), 1);
	CHECK_EQ(model_tx_collect(&tp->model, NULL, 1), 1);
	tp_stop(tp);
	tp_start(tp);
	CHECK_MODEL_CLEAN(&tp->model);
}

static void
test_notify_after_driver_ok(void)
{
	struct test_port tp;

	lifecycle(&tp);
	/* the RX refill at start must not notify before DRIVER_OK... */
	CHECK_EQ(tp.model.early_notifies, 0);
	/* ...but the device must still learn about the posted buffers */
	CHECK(tp.model.vq[MODEL_RXQ].notifies > 0);
	tp_close(&tp);
}

static void
test_config_access_width(void)
{
	struct test_port tp;

	if (test_version == VIRTIO_MMIO_VERSION_LEGACY)
		return;	/* legacy devices take any access width */
	lifecycle(&tp);
	CHECK(tp.model.cfg_reads > 0);
	CHECK_EQ(tp.model.cfg_width_errors, 0);
	tp_close(&tp);
}

int
main(int argc, char **argv)
{
	test_init(argc, argv);
	RUN(test_notify_after_driver_ok);
	RUN(test_config_access_width);
	return test_done();
}
