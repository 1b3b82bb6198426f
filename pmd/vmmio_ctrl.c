/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ethdev filter and multiqueue operations on the control virtqueue
 * (virtio 1.2 section 5.1.6.5; transport in vmmio_cvq.c). See vmmio_ctrl.h
 * for the rules.
 */
#include <errno.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_malloc.h>

#include "vmmio_adapter.h"
#include "vmmio_ctrl.h"
#include "vmmio_cvq.h"
#include "vmmio_features.h"
#include "vmmio_log.h"

uint64_t
vmmio_ctrl_rx_offload_capa(uint64_t features)
{
	uint64_t need = VIRTIO_BIT(VIRTIO_NET_F_CTRL_VQ) |
		VIRTIO_BIT(VIRTIO_NET_F_CTRL_VLAN);

	return (features & need) == need ? RTE_ETH_RX_OFFLOAD_VLAN_FILTER : 0;
}

int
vmmio_ctrl_probe(struct vmmio_adapter *ad, const uint8_t *mac, int numa_node,
	const char *name)
{
	struct vmmio_hw *hw = &ad->hw;
	uint16_t pairs = 1;
	int ret;

	ad->ctrl = rte_zmalloc_socket("vmmio_ctrl", sizeof(*ad->ctrl),
		RTE_CACHE_LINE_SIZE, numa_node);
	if (ad->ctrl == NULL)
		return -ENOMEM;
	vmmio_cvq_init(&ad->ctrl->cvq);
	memcpy(ad->ctrl->dev_mac, mac, RTE_ETHER_ADDR_LEN);
	ad->max_pairs = 1;
	if (!vmmio_with(hw, VIRTIO_NET_F_MQ))
		return 0;
	/* 5.1.4: max_virtqueue_pairs exists with MQ; 1..0x8000 (5.1.4.1). */
	ret = vmmio_hw_read_config(hw, VIRTIO_NET_CFG_MAX_VQ_PAIRS, &pairs,
		sizeof(pairs));
	if (ret < 0)
		return ret;
	pairs = rte_le_to_cpu_16(pairs);
	/* 0x8000 pairs is legal, but its control queue (0x10000) is beyond
	 * the driver's 16-bit queue numbers: without MQ it is queue 2. */
	if (pairs < VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MIN ||
	    pairs > VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MAX || pairs > UINT16_MAX / 2) {
		VMMIO_LOG(WARNING, "%s: max_virtqueue_pairs %u out of range: multiqueue not used",
			name, pairs);
		hw->features &= ~VIRTIO_BIT(VIRTIO_NET_F_MQ);
		/* and not again at dev_start's negotiation */
		hw->features_off |= VIRTIO_BIT(VIRTIO_NET_F_MQ);
		return 0;
	}
	/* The control queue index follows the device's count, not ours. */
	ad->dev_pairs = pairs;
	ad->max_pairs = RTE_MIN(pairs, RTE_MAX_QUEUES_PER_PORT);
	return 0;
}

void
vmmio_ctrl_release(struct vmmio_adapter *ad)
{
	if (ad->ctrl == NULL)
		return;
	vmmio_cvq_free(&ad->ctrl->cvq, ad->failed);
	rte_free(ad->ctrl);
	ad->ctrl = NULL;
}

void
vmmio_ctrl_infos(struct rte_eth_dev *dev, struct rte_eth_dev_info *info)
{
	struct vmmio_adapter *ad = vmmio_adapter_of(dev);
	uint64_t f = vmmio_features_ctrl(ad->hw.device_features,
		RTE_ETH_RX_OFFLOAD_VLAN_FILTER);

	/* Queue pairs only with MQ negotiable; the device steers by flow (no RSS). */
	info->max_rx_queues = (f & VIRTIO_BIT(VIRTIO_NET_F_MQ)) &&
		vmmio_with(&ad->hw, VIRTIO_NET_F_MQ) ? ad->max_pairs : 1;
	info->max_tx_queues = info->max_rx_queues;
	info->max_mac_addrs = (f & VIRTIO_BIT(VIRTIO_NET_F_CTRL_RX)) ?
		VMMIO_MAX_MAC_ADDRS : 1;
	info->rx_offload_capa |= vmmio_ctrl_rx_offload_capa(f);
}

int
vmmio_ctrl_configure(struct rte_eth_dev *dev)
{
	struct vmmio_adapter *ad = vmmio_adapter_of(dev);
	uint16_t nrx = dev->data->nb_rx_queues, ntx = dev->data->nb_tx_queues;

	if (nrx != ntx) {
		VMMIO_LOG(ERR, "%s: %u RX and %u TX queues: virtio-net queues are pairs (5.1.2), configure as many of each",
			dev->data->name, nrx, ntx);
		return -EINVAL;
	}
	if (nrx > ad->max_pairs) {
		VMMIO_LOG(ERR, "%s: %u queue pairs, the device has %u", dev->data->name,
			nrx, ad->max_pairs);
		return -EINVAL;
	}
	return 0;
}

/*
 * 5.1.2: the control queue follows the device's last queue pair, also when
 * the port uses fewer (max_pairs is capped at RTE_MAX_QUEUES_PER_PORT).
 */
static uint16_t
ctrl_index(const struct vmmio_adapter *ad)
{
	return VIRTIO_NET_CTRL_VQ(vmmio_with(&ad->hw, VIRTIO_NET_F_MQ) ? ad->dev_pairs : 1);
}

int
vmmio_ctrl_setup(struct rte_eth_dev *dev)
{
	struct vmmio_adapter *ad = vmmio_adapter_of(dev);

	if (!vmmio_with(&ad->hw, VIRTIO_NET_F_CTRL_VQ))
		return 0;
	return vmmio_cvq_setup(&ad->ctrl->cvq, &ad->hw, ctrl_index(ad),
		dev->data->port_id, dev->data->numa_node, dev->data->name);
}

void
vmmio_ctrl_stop(struct rte_eth_dev *dev)
{
	struct vmmio_ctrl *c = vmmio_adapter_of(dev)->ctrl;

	if (c != NULL)
		vmmio_cvq_stop(&c->cvq);
}

static int
ctrl_cmd(struct rte_eth_dev *dev, uint8_t cls, uint8_t cmd,
	const struct vmmio_cvq_part *parts, unsigned int nparts)
{
	struct vmmio_adapter *ad = vmmio_adapter_of(dev);

	return vmmio_cvq_send(&ad->ctrl->cvq, &ad->hw, dev->data->name, cls, cmd,
		parts, nparts);
}

static int
ctrl_cmd1(struct rte_eth_dev *dev, uint8_t cls, uint8_t cmd, const void *p,
	uint32_t len)
{
	struct vmmio_cvq_part part = { .p = p, .len = len };

	return ctrl_cmd(dev, cls, cmd, &part, 1);
}

/* Commands reach the device only while the port runs; else start applies them. */
static bool
running(struct rte_eth_dev *dev)
{
	return vmmio_adapter_of(dev)->started;
}

/* Feature check: negotiated while running, else what start will negotiate. */
static bool
has(struct rte_eth_dev *dev, unsigned int bit)
{
	struct vmmio_adapter *ad = vmmio_adapter_of(dev);

	if (running(dev))
		return vmmio_with(&ad->hw, bit);
	return (vmmio_hw_features_for(&ad->hw,
		vmmio_features_wanted(ad->hw.device_features,
			dev->data->dev_conf.rxmode.offloads,
			dev->data->dev_conf.txmode.offloads)) & VIRTIO_BIT(bit)) != 0;
}

static int
rx_mode(struct rte_eth_dev *dev, uint8_t cmd, uint8_t on)
{
	if (!has(dev, VIRTIO_NET_F_CTRL_RX)) {
		if (on)
			return 0;	/* no filter: the mode is always on */
		VMMIO_LOG(NOTICE, "%s: device has no receive filter (no VIRTIO_NET_F_CTRL_RX)",
			dev->data->name);
		return -ENOTSUP;
	}
	if (!running(dev))
		return 0;	/* ethdev restores the mode after dev_start */
	return ctrl_cmd1(dev, VIRTIO_NET_CTRL_RX, cmd, &on, 1);
}

int
vmmio_promiscuous_enable(struct rte_eth_dev *dev)
{
	return rx_mode(dev, VIRTIO_NET_CTRL_RX_PROMISC, 1);
}

int
vmmio_promiscuous_disable(struct rte_eth_dev *dev)
{
	return rx_mode(dev, VIRTIO_NET_CTRL_RX_PROMISC, 0);
}

int
vmmio_allmulticast_enable(struct rte_eth_dev *dev)
{
	return rx_mode(dev, VIRTIO_NET_CTRL_RX_ALLMULTI, 1);
}

int
vmmio_allmulticast_disable(struct rte_eth_dev *dev)
{
	return rx_mode(dev, VIRTIO_NET_CTRL_RX_ALLMULTI, 0);
}

/* Give the device @p mac: ADDR_SET, or the legacy config write. */
static int
mac_apply(struct rte_eth_dev *dev, const struct rte_ether_addr *mac,
	bool ctrl)
{
	struct vmmio_adapter *ad = vmmio_adapter_of(dev);

	if (ctrl)
		return ctrl_cmd1(dev, VIRTIO_NET_CTRL_MAC,
			VIRTIO_NET_CTRL_MAC_ADDR_SET, mac->addr_bytes,
			RTE_ETHER_ADDR_LEN);
	/* 5.1.4.3: only a legacy driver may write mac in config space. */
	if (ad->hw.version != VIRTIO_MMIO_VERSION_LEGACY ||
	    !(ad->hw.device_features & VIRTIO_BIT(VIRTIO_NET_F_MAC)))
		return -ENOTSUP;
	vmmio_hw_write_config(&ad->hw, VIRTIO_NET_CFG_MAC, mac->addr_bytes,
		RTE_ETHER_ADDR_LEN);
	return 0;
}

int
vmmio_mac_addr_set(struct rte_eth_dev *dev, struct rte_ether_addr *mac)
{
	bool ctrl = has(dev, VIRTIO_NET_F_CTRL_MAC_ADDR);

	if (ctrl && !running(dev))
		return 0;	/* sent at start from mac_addrs[0] */
	return mac_apply(dev, mac, ctrl);
}

/*
 * struct virtio_net_ctrl_mac: le32 entries, then the addresses (5.1.6.5.2).
 * The addresses follow at offset 4 with no padding; the length sent is
 * computed from entries, so sizeof (tail padding) never matters.
 */
struct mac_table {
	uint32_t entries;
	uint8_t macs[VMMIO_MAX_MAC_ADDRS + VMMIO_MAX_MC_ADDRS][RTE_ETHER_ADDR_LEN];
};

static void
table_add(struct mac_table *t, const struct rte_ether_addr *a)
{
	memcpy(t->macs[t->entries++], a->addr_bytes, RTE_ETHER_ADDR_LEN);
}

/*
 * MAC_TABLE_SET from the port's secondary addresses (entry @p index replaced
 * by @p add, or left out when @p add is NULL) and multicast list @p mc.
 */
static int
send_mac_table(struct rte_eth_dev *dev, int32_t index,
	const struct rte_ether_addr *add, const struct rte_ether_addr *mc,
	uint16_t nb_mc)
{
	struct mac_table uc, mt;
	const struct rte_ether_addr *a;
	struct vmmio_cvq_part parts[2];
	uint32_t i;

	uc.entries = 0;
	mt.entries = 0;
	/* Entry 0 is the port's own address, which the device always accepts. */
	for (i = 1; i < VMMIO_MAX_MAC_ADDRS; i++) {
		a = (int32_t)i == index ? add : &dev->data->mac_addrs[i];
		if (a == NULL || rte_is_zero_ether_addr(a))
			continue;
		table_add(rte_is_multicast_ether_addr(a) ? &mt : &uc, a);
	}
	for (i = 0; i < nb_mc; i++)
		table_add(&mt, &mc[i]);
	parts[0].p = &uc;
	parts[0].len = sizeof(uc.entries) + uc.entries * RTE_ETHER_ADDR_LEN;
	parts[1].p = &mt;
	parts[1].len = sizeof(mt.entries) + mt.entries * RTE_ETHER_ADDR_LEN;
	uc.entries = rte_cpu_to_le_32(uc.entries);
	mt.entries = rte_cpu_to_le_32(mt.entries);
	return ctrl_cmd(dev, VIRTIO_NET_CTRL_MAC, VIRTIO_NET_CTRL_MAC_TABLE_SET,
		parts, 2);
}

int
vmmio_mac_addr_add(struct rte_eth_dev *dev, struct rte_ether_addr *mac,
	uint32_t index, uint32_t vmdq)
{
	struct vmmio_ctrl *c = vmmio_adapter_of(dev)->ctrl;

	RTE_SET_USED(vmdq);
	if (!has(dev, VIRTIO_NET_F_CTRL_RX))
		return -ENOTSUP;
	if (index == 0 || index >= VMMIO_MAX_MAC_ADDRS)
		return -EINVAL;
	if (!running(dev))
		return 0;
	return send_mac_table(dev, index, mac, c->mc, c->nb_mc);
}

void
vmmio_mac_addr_remove(struct rte_eth_dev *dev, uint32_t index)
{
	struct vmmio_ctrl *c = vmmio_adapter_of(dev)->ctrl;

	if (!has(dev, VIRTIO_NET_F_CTRL_RX) || !running(dev) ||
	    index == 0 || index >= VMMIO_MAX_MAC_ADDRS)
		return;
	if (send_mac_table(dev, index, NULL, c->mc, c->nb_mc) < 0)
		VMMIO_LOG(ERR, "%s: MAC address %u not removed from the device's table",
			dev->data->name, index);
}

int
vmmio_set_mc_addr_list(struct rte_eth_dev *dev, struct rte_ether_addr *mc,
	uint32_t nb)
{
	struct vmmio_ctrl *c = vmmio_adapter_of(dev)->ctrl;
	uint32_t i;
	int ret;

	if (!has(dev, VIRTIO_NET_F_CTRL_RX))
		return -ENOTSUP;
	if (nb > VMMIO_MAX_MC_ADDRS)
		return -ENOSPC;
	for (i = 0; i < nb; i++)
		if (!rte_is_multicast_ether_addr(&mc[i]))
			return -EINVAL;
	if (running(dev)) {
		ret = send_mac_table(dev, -1, NULL, mc, nb);
		if (ret < 0)
			return ret;
	}
	if (nb > 0)
		memcpy(c->mc, mc, nb * sizeof(*mc));
	c->nb_mc = nb;
	return 0;
}

int
vmmio_vlan_filter_set(struct rte_eth_dev *dev, uint16_t vlan_id, int on)
{
	uint16_t vid = rte_cpu_to_le_16(vlan_id);

	if (!has(dev, VIRTIO_NET_F_CTRL_VLAN))
		return -ENOTSUP;
	if (vlan_id > RTE_ETHER_MAX_VLAN_ID)
		return -EINVAL;
	if (!running(dev))
		return 0;	/* ethdev keeps the table; replayed at start */
	return ctrl_cmd1(dev, VIRTIO_NET_CTRL_VLAN, on ? VIRTIO_NET_CTRL_VLAN_ADD :
		VIRTIO_NET_CTRL_VLAN_DEL, &vid, sizeof(vid));
}

int
vmmio_ctrl_restore(struct rte_eth_dev *dev)
{
	struct vmmio_adapter *ad = vmmio_adapter_of(dev);
	struct vmmio_ctrl *c = ad->ctrl;
	struct rte_vlan_filter_conf *vf = &dev->data->vlan_filter_conf;
	struct rte_ether_addr *mac = &dev->data->mac_addrs[0];
	bool ctrl_mac = vmmio_with(&ad->hw, VIRTIO_NET_F_CTRL_MAC_ADDR);
	bool table = c->nb_mc > 0;
	uint16_t pairs, vid, le;
	unsigned int i;
	int ret;

	if (vmmio_with(&ad->hw, VIRTIO_NET_F_CTRL_VQ))
		vmmio_cvq_start(&c->cvq);
	/* 5.1.6.5.5: after reset only the first pair is used. */
	if (vmmio_with(&ad->hw, VIRTIO_NET_F_MQ) && dev->data->nb_rx_queues > 1) {
		pairs = rte_cpu_to_le_16(dev->data->nb_rx_queues);
		ret = ctrl_cmd1(dev, VIRTIO_NET_CTRL_MQ,
			VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET, &pairs, sizeof(pairs));
		if (ret < 0)
			return ret;
	}
	/* A reset gave the device its own MAC back. */
	if (memcmp(mac->addr_bytes, c->dev_mac, RTE_ETHER_ADDR_LEN) != 0) {
		ret = mac_apply(dev, mac, ctrl_mac);
		if (ret < 0 && ret != -ENOTSUP)
			return ret;
	}
	if (vmmio_with(&ad->hw, VIRTIO_NET_F_CTRL_RX)) {
		for (i = 1; i < VMMIO_MAX_MAC_ADDRS && !table; i++)
			table = !rte_is_zero_ether_addr(&dev->data->mac_addrs[i]);
		if (table) {
			ret = send_mac_table(dev, -1, NULL, c->mc, c->nb_mc);
			if (ret < 0)
				return ret;
		}
	}
	if (vmmio_with(&ad->hw, VIRTIO_NET_F_CTRL_VLAN)) {
		for (vid = 0; vid <= RTE_ETHER_MAX_VLAN_ID; vid++) {
			if (!(vf->ids[vid / 64] & RTE_BIT64(vid % 64)))
				continue;
			le = rte_cpu_to_le_16(vid);
			ret = ctrl_cmd1(dev, VIRTIO_NET_CTRL_VLAN,
				VIRTIO_NET_CTRL_VLAN_ADD, &le, sizeof(le));
			if (ret < 0)
				return ret;
		}
	}
	return 0;
}
