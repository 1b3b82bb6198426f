/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Port lifecycle: start/stop/start, close, unsupported operations, MTU,
 * device info limits and link state.
 */
#include <errno.h>
#include <string.h>

#include <rte_ether.h>

#include "test_common.h"
#include "vmmio_ethdev.h"

#define BURST	32

static bool
legacy(void)
{
	return test_version == VIRTIO_MMIO_VERSION_LEGACY;
}

/* A few frames each way, checked end to end. */
#define traffic(tp, base)	tp_traffic(tp, base, 8)

static void
test_restart(void)
{
	struct rte_mbuf *pkts[BURST];
	struct test_port tp;
	uint32_t resets;
	int i;

	tp_open(&tp, NULL, 0, 0);
	traffic(&tp, 0);
	for (i = 0; i < 3; i++) {
		/* leave work behind: frames received by the device, not by us */
		inject(&tp, 1000 + i);
		pkts[0] = mbuf_frame(tp.mp, 100, 1);
		CHECK_EQ(rte_eth_tx_burst(tp.port_id, 0, pkts, 1), 1);
		resets = tp.model.resets;
		tp_stop(&tp);
		/* stop resets the device and frees every mbuf */
		CHECK(tp.model.resets > resets);
		CHECK_EQ(tp.model.status, 0);
		CHECK_EQ(tp_mbufs_out(&tp), 0);
		CHECK_EQ(rte_eth_rx_burst(tp.port_id, 0, pkts, BURST), 0);
		tp_start(&tp);
		/* fresh rings: nothing stale comes back */
		CHECK_EQ(rte_eth_rx_burst(tp.port_id, 0, pkts, BURST), 0);
		CHECK_EQ(model_tx_collect(&tp.model, NULL, 64), 0);
		CHECK_EQ(model_avail_pending(&tp.model, MODEL_RXQ), 256);
		traffic(&tp, 100 * (i + 1));
	}
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/* Queues set up again between stop and start (another ring size). */
static void
test_reconfigure(void)
{
	struct test_port tp;

	tp_open(&tp, NULL, 0, 0);
	traffic(&tp, 0);
	tp_stop(&tp);
	CHECK_EQ(rte_eth_rx_queue_setup(tp.port_id, 0, 128, SOCKET_ID_ANY, NULL,
		tp.mp), 0);
	CHECK_EQ(rte_eth_tx_queue_setup(tp.port_id, 0, 64, SOCKET_ID_ANY, NULL),
		0);
	CHECK_EQ(tp_mbufs_out(&tp), 0);
	tp_start(&tp);
	CHECK_EQ(tp.model.vq[MODEL_RXQ].num, 128);
	CHECK_EQ(tp.model.vq[MODEL_TXQ].num, 64);
	traffic(&tp, 50);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

static void
test_close_twice(void)
{
	struct test_port tp;
	uint16_t port;

	tp_open(&tp, NULL, 0, 0);
	traffic(&tp, 0);
	port = tp.port_id;
	/* a started port cannot be closed (ethdev), stop first */
	CHECK(rte_eth_dev_close(port) < 0);
	tp_stop(&tp);
	CHECK_EQ(rte_eth_dev_close(port), 0);
	tp.created = false;
	CHECK_EQ(tp_mbufs_out(&tp), 0);
	CHECK(!rte_eth_dev_is_valid_port(port));
	CHECK_EQ(rte_eth_dev_close(port), -ENODEV);
	CHECK_EQ(vmmio_ethdev_destroy(tp.name), 0);	/* already closed */
	tp_close(&tp);

	/* close without start, and destroy through the driver's entry point */
	CHECK_EQ(tp_create(&tp, NULL), 0);
	tp_setup(&tp, 0, 0);
	CHECK_EQ(vmmio_ethdev_destroy(tp.name), 0);
	CHECK_EQ(vmmio_ethdev_destroy(tp.name), 0);
	tp.created = false;
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

static void
test_unsupported_ops(void)
{
	static const uint8_t def_mac[6] = MODEL_DEFAULT_MAC;
	struct rte_ether_addr mac = {
		.addr_bytes = { 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee } };
	struct rte_ether_addr cur;
	struct test_port tp;
	uint32_t cfg_writes;

	tp_open(&tp, NULL, 0, 0);
	/* no VIRTIO_NET_F_CTRL_RX: no receive filter to turn on */
	CHECK_EQ(rte_eth_promiscuous_get(tp.port_id), 1);
	CHECK_EQ(rte_eth_promiscuous_enable(tp.port_id), 0);
	CHECK_EQ(rte_eth_promiscuous_disable(tp.port_id), -ENOTSUP);
	CHECK_EQ(rte_eth_promiscuous_get(tp.port_id), 1);
	CHECK_EQ(rte_eth_allmulticast_get(tp.port_id), 1);
	CHECK_EQ(rte_eth_allmulticast_disable(tp.port_id), -ENOTSUP);
	CHECK_EQ(rte_eth_allmulticast_get(tp.port_id), 1);

	cfg_writes = tp.model.cfg_writes;
	if (legacy()) {
		/* 5.1.4.3: a legacy driver may write mac */
		CHECK_EQ(rte_eth_dev_default_mac_addr_set(tp.port_id, &mac), 0);
		CHECK(memcmp(&tp.model.cfg[VIRTIO_NET_CFG_MAC], mac.addr_bytes, 6) == 0);
		CHECK_EQ(rte_eth_macaddr_get(tp.port_id, &cur), 0);
		CHECK(memcmp(cur.addr_bytes, mac.addr_bytes, 6) == 0);
	} else {
		CHECK_EQ(rte_eth_dev_default_mac_addr_set(tp.port_id, &mac),
			-ENOTSUP);
		CHECK_EQ(tp.model.cfg_writes, cfg_writes);
		CHECK(memcmp(&tp.model.cfg[VIRTIO_NET_CFG_MAC], def_mac, 6) == 0);
		CHECK_EQ(rte_eth_macaddr_get(tp.port_id, &cur), 0);
		CHECK(memcmp(cur.addr_bytes, def_mac, 6) == 0);
	}
	/* ethdev ops the PMD does not implement */
	CHECK_EQ(rte_eth_dev_set_link_up(tp.port_id), -ENOTSUP);
	CHECK_EQ(rte_eth_dev_rx_intr_enable(tp.port_id, 0), -ENOTSUP);
	traffic(&tp, 0);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

static void
test_configure_limits(void)
{
	struct rte_eth_conf conf;
	struct test_port tp;

	CHECK_EQ(tp_create(&tp, NULL), 0);
	memset(&conf, 0, sizeof(conf));
	CHECK(rte_eth_dev_configure(tp.port_id, 2, 1, &conf) < 0);
	CHECK(rte_eth_dev_configure(tp.port_id, 1, 2, &conf) < 0);
	/* no interrupt line: LSC is refused, RX interrupts fall back to polling */
	conf.intr_conf.lsc = 1;
	CHECK(rte_eth_dev_configure(tp.port_id, 1, 1, &conf) < 0);
	conf.intr_conf.lsc = 0;
	conf.intr_conf.rxq = 1;
	CHECK_EQ(rte_eth_dev_configure(tp.port_id, 1, 1, &conf), 0);
	tp_setup(&tp, 0, 0);
	/* more descriptors than QueueNumMax */
	CHECK(rte_eth_rx_queue_setup(tp.port_id, 0, 512, SOCKET_ID_ANY, NULL,
		tp.mp) < 0);
	CHECK(rte_eth_tx_queue_setup(tp.port_id, 0, 512, SOCKET_ID_ANY, NULL) < 0);
	CHECK_EQ(tp_mbufs_out(&tp), 0);
	tp_start(&tp);
	traffic(&tp, 0);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

static void
test_mtu(void)
{
	struct model_opts o;
	struct test_port tp;
	uint16_t mtu;

	tp_open(&tp, NULL, 0, 0);
	CHECK_EQ(rte_eth_dev_get_mtu(tp.port_id, &mtu), 0);
	CHECK_EQ(mtu, RTE_ETHER_MTU);
	CHECK_EQ(rte_eth_dev_set_mtu(tp.port_id, RTE_ETHER_MTU + 1), -EINVAL);
	CHECK_EQ(rte_eth_dev_set_mtu(tp.port_id, 9000), -EINVAL);
	CHECK_EQ(rte_eth_dev_set_mtu(tp.port_id, 1000), 0);
	CHECK_EQ(rte_eth_dev_set_mtu(tp.port_id, RTE_ETHER_MTU), 0);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);

	/* device MTU 9000, but 2 KB mbufs: the RX buffers bound the MTU */
	test_opts(&o);
	o.features = VIRTIO_BIT(VIRTIO_NET_F_MAC) | VIRTIO_BIT(VIRTIO_NET_F_MTU) |
		(legacy() ? 0 : VIRTIO_BIT(VIRTIO_F_VERSION_1));
	o.mtu = 9000;
	tp_open(&tp, &o, 0, 0);
	CHECK_EQ(rte_eth_dev_set_mtu(tp.port_id, 9001), -EINVAL);
	CHECK_EQ(rte_eth_dev_set_mtu(tp.port_id, 9000), -EINVAL);
	CHECK_EQ(rte_eth_dev_set_mtu(tp.port_id, 2000), 0);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

static void
test_dev_info(void)
{
	struct rte_eth_dev_info info;
	struct model_opts o;
	struct test_port tp;

	test_opts(&o);
	o.queue_num_max = 128;
	CHECK_EQ(tp_create(&tp, &o), 0);
	CHECK_EQ(rte_eth_dev_info_get(tp.port_id, &info), 0);
	CHECK(strcmp(info.driver_name, VMMIO_DRIVER_NAME) == 0);
	CHECK_EQ(info.max_rx_queues, 1);
	CHECK_EQ(info.max_tx_queues, 1);
	CHECK_EQ(info.rx_desc_lim.nb_max, 128);
	CHECK_EQ(info.tx_desc_lim.nb_max, 128);
	CHECK(info.rx_desc_lim.nb_min <= 128);
	CHECK_EQ(info.max_mac_addrs, 1);
	CHECK_EQ(info.max_mtu, RTE_ETHER_MTU);
	CHECK(info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MULTI_SEGS);
	/*
	 * ethdev replaces 0 descriptors by default_*portconf.ring_size, so the
	 * default must fit QueueNumMax or "0 = default" setup fails.
	 */
	CHECK(info.default_rxportconf.ring_size <= info.rx_desc_lim.nb_max);
	CHECK(info.default_txportconf.ring_size <= info.tx_desc_lim.nb_max);
	tp_setup(&tp, 0, 0);
	tp_start(&tp);
	CHECK_EQ(tp.model.vq[MODEL_RXQ].num, 128);
	CHECK_EQ(tp.model.vq[MODEL_TXQ].num, 128);
	traffic(&tp, 0);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

static void
test_link(void)
{
	struct rte_eth_link link;
	struct test_port tp;
	uint8_t buf[64];

	tp_open(&tp, NULL, 0, 0);
	CHECK_EQ(rte_eth_link_get_nowait(tp.port_id, &link), 0);
	CHECK_EQ(link.link_status, RTE_ETH_LINK_UP);
	model_set_link(&tp.model, false);
	CHECK_EQ(rte_eth_link_get_nowait(tp.port_id, &link), 0);
	CHECK_EQ(link.link_status, RTE_ETH_LINK_DOWN);
	frame_fill(buf, sizeof(buf), 0);
	CHECK_EQ(model_rx_inject(&tp.model, buf, sizeof(buf)), -ENETDOWN);
	model_set_link(&tp.model, true);
	CHECK_EQ(rte_eth_link_get_nowait(tp.port_id, &link), 0);
	CHECK_EQ(link.link_status, RTE_ETH_LINK_UP);
	traffic(&tp, 0);
	tp_stop(&tp);
	CHECK_EQ(rte_eth_link_get_nowait(tp.port_id, &link), 0);
	CHECK_EQ(link.link_status, RTE_ETH_LINK_DOWN);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

static void
test_stats_reset(void)
{
	struct rte_eth_stats st;
	struct test_port tp;

	tp_open(&tp, NULL, 0, 0);
	traffic(&tp, 0);
	stats(&tp, &st);
	CHECK_EQ(st.ipackets, 8);
	CHECK_EQ(st.opackets, 8);
	CHECK_EQ(rte_eth_stats_reset(tp.port_id), 0);
	stats(&tp, &st);
	CHECK_EQ(st.ipackets, 0);
	CHECK_EQ(st.opackets, 0);
	CHECK_EQ(st.ibytes, 0);
	CHECK_EQ(st.obytes, 0);
	traffic(&tp, 8);
	stats(&tp, &st);
	CHECK_EQ(st.ipackets, 8);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/* RX pool too small to post even one buffer: start fails cleanly. */
static void
test_start_no_mbufs(void)
{
	struct rte_mbuf *hold[4095];
	struct test_port tp;
	unsigned int n;

	CHECK_EQ(tp_create(&tp, NULL), 0);
	tp_setup(&tp, 0, 0);
	for (n = 0; n < RTE_DIM(hold); n++) {
		hold[n] = rte_pktmbuf_alloc(tp.mp);
		if (hold[n] == NULL)
			break;
	}
	CHECK_EQ(rte_eth_dev_start(tp.port_id), -ENOMEM);
	CHECK(tp.model.status_ever & VIRTIO_STATUS_FAILED);
	CHECK(!model_driver_ok(&tp.model));
	rte_pktmbuf_free_bulk(hold, n);
	CHECK_EQ(tp_mbufs_out(&tp), 0);
	/* and works once mbufs are back */
	tp_start(&tp);
	traffic(&tp, 0);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

int
main(int argc, char **argv)
{
	test_init(argc, argv);
	RUN(test_restart);
	RUN(test_reconfigure);
	RUN(test_close_twice);
	RUN(test_unsupported_ops);
	RUN(test_configure_limits);
	RUN(test_mtu);
	RUN(test_link);
	RUN(test_stats_reset);
	RUN(test_start_no_mbufs);
	RUN(test_dev_info);
	return test_done();
}
