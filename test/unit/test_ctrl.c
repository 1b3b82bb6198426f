/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Control virtqueue (virtio 1.2 section 5.1.6.5) through the ethdev calls
 * DPDK applications make: the wire format of each command as the device
 * model parsed it (class, command, data, descriptor framing, ack), NAKs,
 * -ENOTSUP without the feature, the state replayed after a restart, the
 * queue pairs of VIRTIO_NET_F_MQ and a device that never answers.
 */
#include <errno.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>

#include "test_common.h"
#include "vmmio_ctrl.h"
#include "vmmio_ethdev.h"

#define F(b)	VIRTIO_BIT(VIRTIO_NET_F_ ## b)

static bool
legacy(void)
{
	return test_version == VIRTIO_MMIO_VERSION_LEGACY;
}

/* Model options: MAC (+ VERSION_1 on modern) and @p extra; @p pairs with MQ. */
static void
ctrl_opts(struct model_opts *o, uint64_t extra, uint16_t pairs)
{
	test_opts(o);
	o->features = VIRTIO_BIT(VIRTIO_NET_F_MAC) | extra |
		(legacy() ? 0 : VIRTIO_BIT(VIRTIO_F_VERSION_1));
	o->max_pairs = pairs;
}

static const struct model_ctrl_cmd *
last_cmd(const struct test_port *tp)
{
	CHECK(tp->model.ctrl_count > 0 && tp->model.ctrl_count <= MODEL_CTRL_LOG_MAX);
	return &tp->model.ctrl_log[tp->model.ctrl_count - 1];
}

/* Index of the last recorded command of class/command, or -1. */
static int
find_cmd(const struct test_port *tp, uint8_t cls, uint8_t cmd)
{
	int i;

	for (i = (int)RTE_MIN(tp->model.ctrl_count, (uint32_t)MODEL_CTRL_LOG_MAX) - 1;
	    i >= 0; i--)
		if (tp->model.ctrl_log[i].cls == cls && tp->model.ctrl_log[i].cmd == cmd)
			return i;
	return -1;
}

/* 5.1.6.5: header, one descriptor per data part, device-writable ack byte. */
static void
check_framing(const struct model_ctrl_cmd *c, unsigned int nparts)
{
	unsigned int i;

	CHECK_EQ(c->ndesc, nparts + 2);
	CHECK_EQ(c->seg_len[0], 2);
	CHECK(!c->seg_write[0]);
	for (i = 1; i <= nparts; i++)
		CHECK(!c->seg_write[i]);
	CHECK_EQ(c->seg_len[nparts + 1], 1);
	CHECK(c->seg_write[nparts + 1]);
}

static void
check_cmd(const struct model_ctrl_cmd *c, uint8_t cls, uint8_t cmd,
	const void *data, uint32_t len, uint8_t ack)
{
	CHECK_EQ(c->cls, cls);
	CHECK_EQ(c->cmd, cmd);
	CHECK_EQ(c->data_len, len);
	CHECK(memcmp(c->data, data, len) == 0);
	CHECK_EQ(c->ack, ack);
}

static struct vmmio_ctrl *
ctrl_of(const struct test_port *tp)
{
	struct vmmio_adapter *ad = rte_eth_devices[tp->port_id].data->dev_private;

	return ad->ctrl;
}

/* One frame received on the port, then one sent back (queue 0). */
static void
traffic(struct test_port *tp, uint32_t seq)
{
	struct rte_mbuf *m;

	inject(tp, seq);
	CHECK_EQ(rx_some(tp, &m, 1), 1);
	rte_pktmbuf_free(m);
	m = mbuf_frame(tp->mp, frame_len(seq + 1), seq + 1);
	CHECK_EQ(rte_eth_tx_burst(tp->port_id, 0, &m, 1), 1);
	CHECK_EQ(model_tx_collect(&tp->model, NULL, 1), 1);
}

/*
 * CTRL_VQ and what depends on it (5.1.3.1) are accepted together; without
 * CTRL_VQ none is. CTRL_VLAN only with the VLAN_FILTER offload.
 */
static void
test_ctrl_features(void)
{
	const uint64_t dep = F(CTRL_RX) | F(CTRL_MAC_ADDR) | F(CTRL_VLAN) | F(MQ);
	struct rte_eth_dev_info info;
	struct model_opts o;
	struct test_port tp;

	ctrl_opts(&o, F(CTRL_VQ) | dep, 2);
	tp_open(&tp, &o, 0, 0);
	CHECK_EQ(tp.model.driver_features & (F(CTRL_VQ) | dep),
		F(CTRL_VQ) | F(CTRL_RX) | F(CTRL_MAC_ADDR) | F(MQ));
	CHECK_EQ(rte_eth_dev_info_get(tp.port_id, &info), 0);
	CHECK_EQ(info.max_rx_queues, 2);
	CHECK_EQ(info.max_tx_queues, 2);
	CHECK_EQ(info.max_mac_addrs, VMMIO_MAX_MAC_ADDRS);
	CHECK(info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_VLAN_FILTER);
	/* the device steers by flow: no RSS is offered */
	CHECK_EQ(info.flow_type_rss_offloads, 0);
	CHECK(!(info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_RSS_HASH));
	/* control queue after the last pair (5.1.2): 2 * max_virtqueue_pairs */
	CHECK_EQ(model_ctrl_index(&tp.model), 4);
	CHECK(tp.model.vq[4].live);
	traffic(&tp, 1);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);

	ctrl_opts(&o, dep, 2);
	tp_open(&tp, &o, 0, 0);
	CHECK_EQ(tp.model.driver_features & (F(CTRL_VQ) | dep), 0);
	CHECK_EQ(rte_eth_dev_info_get(tp.port_id, &info), 0);
	CHECK_EQ(info.max_rx_queues, 1);
	CHECK_EQ(info.max_mac_addrs, 1);
	CHECK(!(info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_VLAN_FILTER));
	CHECK_EQ(rte_eth_promiscuous_disable(tp.port_id), -ENOTSUP);
	traffic(&tp, 2);
	CHECK_EQ(tp.model.ctrl_count, 0);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/* 5.1.6.5.1: VIRTIO_NET_CTRL_RX_PROMISC / ALLMULTI with one data byte. */
static void
test_ctrl_rx_mode(void)
{
	static const uint8_t on = 1, off = 0;
	struct model_opts o;
	struct test_port tp;
	uint32_t n;

	ctrl_opts(&o, F(CTRL_VQ) | F(CTRL_RX), 0);
	tp_open(&tp, &o, 0, 0);
	/* ethdev restores both modes (on) after dev_start */
	CHECK(find_cmd(&tp, VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_PROMISC) >= 0);
	CHECK(find_cmd(&tp, VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_ALLMULTI) >= 0);
	CHECK_EQ(tp.model.rx_promisc, 1);
	CHECK_EQ(tp.model.rx_allmulti, 1);

	CHECK_EQ(rte_eth_promiscuous_disable(tp.port_id), 0);
	check_cmd(last_cmd(&tp), VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_PROMISC,
		&off, 1, VIRTIO_NET_OK);
	check_framing(last_cmd(&tp), 1);
	CHECK_EQ(tp.model.rx_promisc, 0);
	CHECK_EQ(rte_eth_promiscuous_get(tp.port_id), 0);
	CHECK_EQ(rte_eth_promiscuous_enable(tp.port_id), 0);
	check_cmd(last_cmd(&tp), VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_PROMISC,
		&on, 1, VIRTIO_NET_OK);
	CHECK_EQ(tp.model.rx_promisc, 1);

	CHECK_EQ(rte_eth_allmulticast_disable(tp.port_id), 0);
	check_cmd(last_cmd(&tp), VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_ALLMULTI,
		&off, 1, VIRTIO_NET_OK);
	CHECK_EQ(tp.model.rx_allmulti, 0);
	CHECK_EQ(rte_eth_allmulticast_get(tp.port_id), 0);
	CHECK_EQ(rte_eth_allmulticast_enable(tp.port_id), 0);
	check_cmd(last_cmd(&tp), VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_ALLMULTI,
		&on, 1, VIRTIO_NET_OK);
	CHECK_EQ(tp.model.rx_allmulti, 1);

	/* stopped: nothing sent, the mode is applied at the next start */
	CHECK_EQ(rte_eth_promiscuous_disable(tp.port_id), 0);
	tp_stop(&tp);
	n = tp.model.ctrl_count;
	CHECK_EQ(rte_eth_promiscuous_enable(tp.port_id), 0);
	CHECK_EQ(rte_eth_promiscuous_disable(tp.port_id), 0);
	CHECK_EQ(tp.model.ctrl_count, n);
	tp_start(&tp);
	CHECK_EQ(tp.model.rx_promisc, 0);	/* the reset had set it to 1 */
	CHECK_EQ(rte_eth_promiscuous_get(tp.port_id), 0);
	traffic(&tp, 3);
	CHECK_EQ(ctrl_of(&tp)->cvq.naks, 0);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/* A NAK (VIRTIO_NET_ERR) is -EIO and changes nothing; the queue stays usable. */
static void
test_ctrl_nak(void)
{
	struct rte_ether_addr uc = { .addr_bytes = { 0x02, 0, 0, 0, 0, 0x42 } };
	struct rte_ether_addr mac = { .addr_bytes = { 0x02, 0, 0, 0, 0, 0x43 } };
	struct model_opts o;
	struct test_port tp;

	ctrl_opts(&o, F(CTRL_VQ) | F(CTRL_RX) | F(CTRL_MAC_ADDR), 0);
	tp_open(&tp, &o, 0, 0);
	tp.model.ctrl_nak = true;
	CHECK_EQ(rte_eth_promiscuous_disable(tp.port_id), -EIO);
	CHECK_EQ(last_cmd(&tp)->ack, VIRTIO_NET_ERR);
	CHECK_EQ(rte_eth_promiscuous_get(tp.port_id), 1);
	CHECK_EQ(tp.model.rx_promisc, 1);
	CHECK_EQ(rte_eth_dev_mac_addr_add(tp.port_id, &uc, 0), -EIO);
	CHECK_EQ(tp.model.uc_entries, 0);
	CHECK_EQ(rte_eth_dev_default_mac_addr_set(tp.port_id, &mac), -EIO);
	CHECK_EQ(ctrl_of(&tp)->cvq.naks, 3);
	tp.model.ctrl_nak = false;
	CHECK_EQ(rte_eth_promiscuous_disable(tp.port_id), 0);
	CHECK_EQ(tp.model.rx_promisc, 0);
	traffic(&tp, 4);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/* Without the feature: -ENOTSUP (or ethdev's refusal), never a command. */
static void
test_ctrl_enotsup(void)
{
	struct rte_ether_addr mc = { .addr_bytes = { 0x01, 0, 0x5e, 0, 0, 1 } };
	struct rte_ether_addr mac = { .addr_bytes = { 0x02, 0, 0, 0, 0, 0x44 } };
	struct rte_ether_addr uc = { .addr_bytes = { 0x02, 0, 0, 0, 0, 0x45 } };
	struct rte_eth_conf conf;
	struct model_opts o;
	struct test_port tp;
	unsigned int v;

	/* v 0: no control queue at all; v 1: a control queue without filters */
	for (v = 0; v < 2; v++) {
		ctrl_opts(&o, v == 0 ? 0 : F(CTRL_VQ), 0);
		tp_open(&tp, &o, 0, 0);
		CHECK_EQ(rte_eth_promiscuous_enable(tp.port_id), 0);	/* always on */
		CHECK_EQ(rte_eth_promiscuous_disable(tp.port_id), -ENOTSUP);
		CHECK_EQ(rte_eth_promiscuous_get(tp.port_id), 1);
		CHECK_EQ(rte_eth_allmulticast_disable(tp.port_id), -ENOTSUP);
		CHECK_EQ(rte_eth_dev_set_mc_addr_list(tp.port_id, &mc, 1), -ENOTSUP);
		/* max_mac_addrs is 1: ethdev finds no free entry */
		CHECK_EQ(rte_eth_dev_mac_addr_add(tp.port_id, &uc, 0), -ENOSPC);
		if (legacy()) {
			/* 5.1.4.3: a legacy driver writes mac in config space */
			CHECK_EQ(rte_eth_dev_default_mac_addr_set(tp.port_id, &mac), 0);
			CHECK(memcmp(&tp.model.cfg[VIRTIO_NET_CFG_MAC], mac.addr_bytes, 6) == 0);
		} else {
			CHECK_EQ(rte_eth_dev_default_mac_addr_set(tp.port_id, &mac), -ENOTSUP);
		}
		/* VLAN filtering is not offered: ethdev refuses the offload */
		tp_stop(&tp);
		memset(&conf, 0, sizeof(conf));
		conf.rxmode.offloads = RTE_ETH_RX_OFFLOAD_VLAN_FILTER;
		CHECK(rte_eth_dev_configure(tp.port_id, 1, 1, &conf) < 0);
		memset(&conf, 0, sizeof(conf));
		CHECK_EQ(rte_eth_dev_configure(tp.port_id, 1, 1, &conf), 0);
		CHECK_EQ(rte_eth_dev_vlan_filter(tp.port_id, 10, 1), -ENOSYS);
		tp_start(&tp);
		/* legacy: the MAC written before the restart is written again */
		if (legacy())
			CHECK(memcmp(&tp.model.cfg[VIRTIO_NET_CFG_MAC], mac.addr_bytes, 6) == 0);
		traffic(&tp, 5);
		CHECK_EQ(tp.model.ctrl_count, 0);
		CHECK_MODEL_CLEAN(&tp.model);
		tp_close(&tp);
	}
}

/* 5.1.6.5.2: MAC_ADDR_SET (6 bytes) and MAC_TABLE_SET (two tables). */
static void
test_ctrl_mac(void)
{
	struct rte_ether_addr mac = { .addr_bytes = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 } };
	struct rte_ether_addr uc = { .addr_bytes = { 0x02, 0, 0, 0, 0, 0x46 } };
	struct rte_ether_addr mc1 = { .addr_bytes = { 0x01, 0, 0x5e, 0, 0, 1 } };
	struct rte_ether_addr mcl[VMMIO_MAX_MC_ADDRS + 1];
	const struct model_ctrl_cmd *c;
	struct model_opts o;
	struct test_port tp;
	uint8_t want[4 + 6 + 4 + 6];
	uint32_t one = 1, i;

	ctrl_opts(&o, F(CTRL_VQ) | F(CTRL_RX) | F(CTRL_MAC_ADDR), 0);
	tp_open(&tp, &o, 0, 0);
	CHECK_EQ(rte_eth_dev_default_mac_addr_set(tp.port_id, &mac), 0);
	check_cmd(last_cmd(&tp), VIRTIO_NET_CTRL_MAC, VIRTIO_NET_CTRL_MAC_ADDR_SET,
		mac.addr_bytes, 6, VIRTIO_NET_OK);
	check_framing(last_cmd(&tp), 1);
	CHECK(memcmp(&tp.model.cfg[VIRTIO_NET_CFG_MAC], mac.addr_bytes, 6) == 0);

	/* a unicast and a multicast address: one entry in each table */
	CHECK_EQ(rte_eth_dev_mac_addr_add(tp.port_id, &uc, 0), 0);
	CHECK_EQ(tp.model.uc_entries, 1);
	CHECK_EQ(rte_eth_dev_mac_addr_add(tp.port_id, &mc1, 0), 0);
	c = last_cmd(&tp);
	memcpy(want, &one, 4);
	memcpy(want + 4, uc.addr_bytes, 6);
	memcpy(want + 10, &one, 4);
	memcpy(want + 14, mc1.addr_bytes, 6);
	check_cmd(c, VIRTIO_NET_CTRL_MAC, VIRTIO_NET_CTRL_MAC_TABLE_SET,
		want, sizeof(want), VIRTIO_NET_OK);
	/* the two tables in descriptors of their own (legacy framing) */
	check_framing(c, 2);
	CHECK_EQ(c->seg_len[1], 10);
	CHECK_EQ(c->seg_len[2], 10);
	CHECK_EQ(tp.model.uc_entries, 1);
	CHECK_EQ(tp.model.mc_entries, 1);
	CHECK(memcmp(tp.model.mc[0], mc1.addr_bytes, 6) == 0);

	/* multicast list: replaces the list, keeps the mac_addr_add entries */
	for (i = 0; i < RTE_DIM(mcl); i++) {
		memset(&mcl[i], 0, sizeof(mcl[i]));
		mcl[i].addr_bytes[0] = 0x01;
		mcl[i].addr_bytes[5] = (uint8_t)(i + 2);
	}
	CHECK_EQ(rte_eth_dev_set_mc_addr_list(tp.port_id, mcl, 2), 0);
	CHECK_EQ(tp.model.uc_entries, 1);
	CHECK_EQ(tp.model.mc_entries, 3);
	CHECK_EQ(rte_eth_dev_set_mc_addr_list(tp.port_id, mcl, RTE_DIM(mcl)), -ENOSPC);
	CHECK_EQ(rte_eth_dev_set_mc_addr_list(tp.port_id, &uc, 1), -EINVAL);
	CHECK_EQ(tp.model.mc_entries, 3);

	/* a restart resets the device; the driver gives it everything again */
	tp_stop(&tp);
	tp_start(&tp);
	CHECK(memcmp(&tp.model.cfg[VIRTIO_NET_CFG_MAC], mac.addr_bytes, 6) == 0);
	CHECK_EQ(tp.model.uc_entries, 1);
	CHECK_EQ(tp.model.mc_entries, 3);

	CHECK_EQ(rte_eth_dev_mac_addr_remove(tp.port_id, &uc), 0);
	CHECK_EQ(tp.model.uc_entries, 0);
	CHECK_EQ(tp.model.mc_entries, 3);
	CHECK_EQ(rte_eth_dev_set_mc_addr_list(tp.port_id, NULL, 0), 0);
	CHECK_EQ(tp.model.mc_entries, 1);
	traffic(&tp, 6);
	CHECK_EQ(ctrl_of(&tp)->cvq.naks, 0);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/* 5.1.6.5.3: VLAN_ADD / VLAN_DEL with a le16 id, replayed after a restart. */
static void
test_ctrl_vlan(void)
{
	struct rte_eth_dev_info info;
	struct rte_eth_conf conf;
	struct model_opts o;
	struct test_port tp;
	uint16_t vid = 100;

	ctrl_opts(&o, F(CTRL_VQ) | F(CTRL_RX) | F(CTRL_VLAN), 0);
	CHECK_EQ(tp_create(&tp, &o), 0);
	CHECK_EQ(rte_eth_dev_info_get(tp.port_id, &info), 0);
	CHECK(info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_VLAN_FILTER);
	memset(&conf, 0, sizeof(conf));
	conf.rxmode.offloads = RTE_ETH_RX_OFFLOAD_VLAN_FILTER;
	tp_setup_ex(&tp, &conf, 0, 0, 0);
	/* set before start: applied at start */
	CHECK_EQ(rte_eth_dev_vlan_filter(tp.port_id, 200, 1), 0);
	CHECK_EQ(tp.model.ctrl_count, 0);
	tp_start(&tp);
	CHECK(tp.model.driver_features & F(CTRL_VLAN));
	CHECK(model_vlan_on(&tp.model, 200));
	CHECK_EQ(rte_eth_dev_vlan_filter(tp.port_id, vid, 1), 0);
	check_cmd(last_cmd(&tp), VIRTIO_NET_CTRL_VLAN, VIRTIO_NET_CTRL_VLAN_ADD,
		&vid, 2, VIRTIO_NET_OK);
	check_framing(last_cmd(&tp), 1);
	CHECK(model_vlan_on(&tp.model, 100));
	CHECK(!model_vlan_on(&tp.model, 101));
	CHECK_EQ(rte_eth_dev_vlan_filter(tp.port_id, 200, 0), 0);
	vid = 200;
	check_cmd(last_cmd(&tp), VIRTIO_NET_CTRL_VLAN, VIRTIO_NET_CTRL_VLAN_DEL,
		&vid, 2, VIRTIO_NET_OK);
	CHECK(!model_vlan_on(&tp.model, 200));
	tp_stop(&tp);
	tp_start(&tp);
	CHECK(model_vlan_on(&tp.model, 100));
	CHECK(!model_vlan_on(&tp.model, 200));
	traffic(&tp, 7);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);

	/* offered but not enabled by the application: not negotiated */
	tp_open(&tp, &o, 0, 0);
	CHECK(!(tp.model.driver_features & F(CTRL_VLAN)));
	CHECK_EQ(rte_eth_dev_vlan_filter(tp.port_id, 100, 1), -ENOSYS);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/* A device that never answers: a bounded wait, -ETIMEDOUT, then -EIO until restart. */
static void
test_ctrl_timeout(void)
{
	struct rte_eth_conf conf;
	struct model_opts o;
	struct test_port tp;
	uint64_t t0, ms;

	ctrl_opts(&o, F(CTRL_VQ) | F(CTRL_RX) | F(MQ), 2);
	tp_open(&tp, &o, 0, 0);
	ctrl_of(&tp)->cvq.timeout_ms = 100;
	tp.model.ctrl_silent = true;
	t0 = rte_get_timer_cycles();
	CHECK_EQ(rte_eth_promiscuous_disable(tp.port_id), -ETIMEDOUT);
	ms = (rte_get_timer_cycles() - t0) * 1000 / rte_get_timer_hz();
	CHECK(ms >= 100 && ms < 2000);
	CHECK_EQ(ctrl_of(&tp)->cvq.timeouts, 1);
	CHECK_EQ(rte_eth_promiscuous_get(tp.port_id), 1);
	/* the device still owns the buffer: nothing more is sent */
	CHECK_EQ(rte_eth_allmulticast_disable(tp.port_id), -EIO);
	traffic(&tp, 8);	/* the datapath is not affected */
	/* a restart gives the queue back */
	tp.model.ctrl_silent = false;
	tp_stop(&tp);
	tp_start(&tp);
	CHECK_EQ(rte_eth_promiscuous_disable(tp.port_id), 0);
	CHECK_EQ(tp.model.rx_promisc, 0);

	/* silent while starting with two pairs: start fails, nothing leaks */
	tp_stop(&tp);
	memset(&conf, 0, sizeof(conf));
	CHECK_EQ(rte_eth_dev_configure(tp.port_id, 2, 2, &conf), 0);
	CHECK_EQ(rte_eth_rx_queue_setup(tp.port_id, 1, 0, SOCKET_ID_ANY, NULL, tp.mp), 0);
	CHECK_EQ(rte_eth_tx_queue_setup(tp.port_id, 1, 0, SOCKET_ID_ANY, NULL), 0);
	tp.model.ctrl_silent = true;
	CHECK_EQ(rte_eth_dev_start(tp.port_id), -ETIMEDOUT);
	CHECK_EQ(tp_mbufs_out(&tp), 0);
	CHECK(!model_driver_ok(&tp.model));
	tp.model.ctrl_silent = false;
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/* 5.1.6.5.5: queue pairs, VQ_PAIRS_SET at start, queue numbers (5.1.2). */
static void
test_ctrl_mq(void)
{
	static const uint16_t two = 2;
	struct rte_eth_dev_info info;
	struct rte_eth_stats st;
	struct rte_eth_conf conf;
	struct rte_mbuf *m[4];
	struct model_frame *f = malloc(sizeof(*f));
	uint8_t buf[RTE_ETHER_MAX_LEN];
	struct model_rx_opts ro;
	struct model_opts o;
	struct test_port tp;
	int i;

	CHECK(f != NULL);
	ctrl_opts(&o, F(CTRL_VQ) | F(MQ), 4);
	CHECK_EQ(tp_create(&tp, &o), 0);
	CHECK_EQ(rte_eth_dev_info_get(tp.port_id, &info), 0);
	CHECK_EQ(info.max_rx_queues, 4);
	CHECK_EQ(info.max_tx_queues, 4);
	memset(&conf, 0, sizeof(conf));
	CHECK(rte_eth_dev_configure(tp.port_id, 5, 5, &conf) < 0);
	CHECK_EQ(rte_eth_dev_configure(tp.port_id, 3, 2, &conf), -EINVAL);
	/* one pair first: no VQ_PAIRS_SET, control queue still at 2 * 4 */
	tp_setup(&tp, 0, 0);
	tp_start(&tp);
	CHECK_EQ(find_cmd(&tp, VIRTIO_NET_CTRL_MQ, VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET), -1);
	CHECK_EQ(model_ctrl_index(&tp.model), 8);
	CHECK(tp.model.vq[8].live);
	CHECK_EQ(tp.model.vq_pairs, 1);
	tp_stop(&tp);

	/* two pairs */
	CHECK_EQ(rte_eth_dev_configure(tp.port_id, 2, 2, &conf), 0);
	for (i = 0; i < 2; i++) {
		CHECK_EQ(rte_eth_rx_queue_setup(tp.port_id, i, 0, SOCKET_ID_ANY,
			NULL, tp.mp), 0);
		CHECK_EQ(rte_eth_tx_queue_setup(tp.port_id, i, 0, SOCKET_ID_ANY,
			NULL), 0);
	}
	tp_start(&tp);
	i = find_cmd(&tp, VIRTIO_NET_CTRL_MQ, VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET);
	CHECK(i >= 0);
	check_cmd(&tp.model.ctrl_log[i], VIRTIO_NET_CTRL_MQ,
		VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET, &two, 2, VIRTIO_NET_OK);
	check_framing(&tp.model.ctrl_log[i], 1);
	CHECK_EQ(tp.model.vq_pairs, 2);
	for (i = 0; i < 4; i++)
		CHECK(tp.model.vq[i].live);
	for (i = 4; i < 8; i++)
		CHECK(!tp.model.vq[i].live);
	CHECK(tp.model.vq[8].live);
	/* the device posted buffers on both receive queues */
	CHECK(model_avail_pending(&tp.model, 0) > 0);
	CHECK(model_avail_pending(&tp.model, 2) > 0);

	/* a frame on receiveq2 comes out of ethdev queue 1 only */
	memset(&ro, 0, sizeof(ro));
	ro.pair = 1;
	frame_fill(buf, 100, 9);
	CHECK_EQ(model_rx_inject_ex(&tp.model, &ro, buf, 100), 0);
	CHECK_EQ(rte_eth_rx_burst(tp.port_id, 0, m, 4), 0);
	CHECK_EQ(rte_eth_rx_burst(tp.port_id, 1, m, 4), 1);
	CHECK(frame_ok(rte_pktmbuf_mtod(m[0], uint8_t *), 100, 9));
	/* sent on ethdev queue 1: transmitq2 (queue 3) */
	CHECK_EQ(rte_eth_tx_burst(tp.port_id, 1, m, 1), 1);
	CHECK_EQ(model_tx_collect(&tp.model, NULL, 4), 0);
	CHECK_EQ(model_tx_collect_q(&tp.model, 3, f, 4), 1);
	CHECK(frame_ok(f->data, f->len, 9));
	stats(&tp, &st);
	CHECK_EQ(xstat(&tp, "rx_q0_packets"), 0);
	CHECK_EQ(xstat(&tp, "rx_q1_packets"), 1);
	CHECK_EQ(xstat(&tp, "tx_q0_packets"), 0);
	CHECK_EQ(xstat(&tp, "tx_q1_packets"), 1);
	traffic(&tp, 10);	/* and pair 0 */
	/* a restart sends VQ_PAIRS_SET again: the reset went back to one pair */
	tp_stop(&tp);
	tp_start(&tp);
	CHECK_EQ(tp.model.vq_pairs, 2);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
	free(f);
}

int
main(int argc, char **argv)
{
	test_init(argc, argv);
	RUN(test_ctrl_features);
	RUN(test_ctrl_rx_mode);
	RUN(test_ctrl_nak);
	RUN(test_ctrl_enotsup);
	RUN(test_ctrl_mac);
	RUN(test_ctrl_vlan);
	RUN(test_ctrl_timeout);
	RUN(test_ctrl_mq);
	return test_done();
}
