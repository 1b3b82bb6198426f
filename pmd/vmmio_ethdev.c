/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ethdev port: creation on an identified device (probe reads features
 * and configuration and leaves the device reset, virtio 1.2 3.1), the
 * eth_dev_ops table, configure, info, close, rte_eth_dev_reset, stats, MTU
 * and packet types. Start and stop are vmmio_start.c's, queue setup
 * vmmio_queues.c's.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <ethdev_driver.h>
#include <rte_malloc.h>

#include "vmmio_compat.h"
#include "vmmio_ctrl.h"
#include "vmmio_ethdev.h"
#include "vmmio_features.h"
#include "vmmio_intr.h"
#include "vmmio_log.h"
#include "vmmio_offload.h"
#include "vmmio_queues.h"
#include "vmmio_rxintr.h"
#include "vmmio_rxtx.h"
#include "vmmio_start.h"
#include "vmmio_status.h"
#include "vmmio_xstats.h"

RTE_LOG_REGISTER(vmmio_logtype, pmd.net.virtio_mmio, NOTICE);

static int
vmmio_dev_configure(struct rte_eth_dev *dev)
{
	int ret;

	ret = vmmio_refuse_failed(dev, "configure");
	if (ret < 0)
		return ret;
	ret = vmmio_ctrl_configure(dev);
	if (ret < 0)
		return ret;
	/* RX interrupts without a usable line: the port polls (one log line). */
	ret = vmmio_intr_configure(dev);
	return ret == -ENOTSUP ? 0 : ret;
}

static int
vmmio_dev_infos_get(struct rte_eth_dev *dev, struct rte_eth_dev_info *info)
{
	struct vmmio_adapter *ad = vmmio_adapter_of(dev);

	info->min_mtu = RTE_ETHER_MIN_MTU;
	info->max_mtu = ad->max_mtu;
	/* The device's MTU (5.1.4) bounds every frame but LRO aggregates. */
	info->max_rx_pktlen = ad->max_mtu + RTE_ETHER_HDR_LEN + RTE_VLAN_HLEN;
	info->min_rx_bufsize = RTE_ETHER_MIN_LEN;
	vmmio_offload_capa(ad->hw.device_features, &info->rx_offload_capa,
		&info->tx_offload_capa);
	/* queues, MAC filter and VLAN filter come with the control queue */
	vmmio_ctrl_infos(dev, info);
	/* A GSO frame from the device may be up to 64 KiB (5.1.6.3). */
	if (info->rx_offload_capa & RTE_ETH_RX_OFFLOAD_TCP_LRO)
		info->max_lro_pkt_size = VIRTIO_NET_MAX_GSO_FRAME;
	info->rx_desc_lim.nb_max = ad->rxq_max;
	info->rx_desc_lim.nb_min = RTE_MIN(VMMIO_MIN_RING, ad->rxq_max);
	info->rx_desc_lim.nb_align = 1;
	info->tx_desc_lim.nb_max = ad->txq_max;
	info->tx_desc_lim.nb_min = RTE_MIN(VMMIO_MIN_RING, ad->txq_max);
	info->tx_desc_lim.nb_align = 1;
	/* The header may take one descriptor of the chain. */
	info->tx_desc_lim.nb_seg_max = ad->txq_max > 1 ? ad->txq_max - 1 : 1;
	info->tx_desc_lim.nb_mtu_seg_max = info->tx_desc_lim.nb_seg_max;
	info->default_rxportconf.ring_size = RTE_MIN(VMMIO_DEFAULT_RING,
		rte_align32prevpow2(ad->rxq_max));
	info->default_txportconf.ring_size = RTE_MIN(VMMIO_DEFAULT_RING,
		rte_align32prevpow2(ad->txq_max));
	info->default_rxportconf.burst_size = 32;
	info->default_txportconf.burst_size = 32;
	info->speed_capa = RTE_ETH_LINK_SPEED_FIXED;
	return 0;
}

static int
vmmio_dev_close(struct rte_eth_dev *dev)
{
	struct vmmio_adapter *ad = vmmio_adapter_of(dev);

	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return 0;
	vmmio_dev_stop(dev);
	vmmio_release_queues(dev);
	vmmio_ctrl_release(ad);
	/* The backend goes too: with an IOMMU the device loses its mappings. */
	if (ad->release != NULL)
		ad->release(ad);
	ad->release = NULL;
	if (ad->failed) {
		VMMIO_LOG(ERR, "%s: closed; memory of device %s was leaked (it did not complete its reset)",
			dev->data->name, ad->devname);
		return -EIO;
	}
	return 0;
}

/* Read what ethdev needs before start; the device is reset afterwards. */
static int vmmio_read_device(struct vmmio_adapter *ad, struct rte_ether_addr *mac,
	const char *name);

/*
 * rte_eth_dev_reset(): ethdev stopped the port. The device is reset (again,
 * for a failed port), every queue released and the device read afresh as
 * at probe (features, MAC, MTU may have changed); the application then
 * configures, sets up and starts the port as after probe.
 */
static int
vmmio_dev_reset(struct rte_eth_dev *dev)
{
	struct vmmio_adapter *ad = vmmio_adapter_of(dev);
	struct rte_ether_addr mac;
	int ret;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return -E_RTE_SECONDARY;
	if (ad->failed) {
		ret = vmmio_hw_reset(&ad->hw);
		if (ret < 0) {
			VMMIO_LOG(ERR, "%s: device %s still does not complete its reset: port stays failed",
				dev->data->name, ad->devname);
			return -EIO;
		}
		/* Reset completed: the device owns nothing, everything may go
		 * (the queues still set up go with vmmio_release_queues). */
		ad->failed = false;
		vmmio_free_kept(ad);
	}
	vmmio_release_queues(dev);
	vmmio_ctrl_release(ad);
	ad->needs_reset = false;
	ret = vmmio_read_device(ad, &mac, dev->data->name);
	if (ret == 0)
		ret = vmmio_ctrl_probe(ad, mac.addr_bytes, dev->data->numa_node,
			dev->data->name);
	if (ret < 0) {
		/* Nothing is posted, but the port cannot run on this device. */
		vmmio_ctrl_release(ad);
		ad->failed = true;
		VMMIO_LOG(ERR, "%s: device %s unusable after reset: %s", dev->data->name,
			ad->devname, strerror(-ret));
		return ret;
	}
	rte_ether_addr_copy(&mac, &dev->data->mac_addrs[0]);
	memset(&dev->data->mac_addrs[1], 0,
		(VMMIO_MAX_MAC_ADDRS - 1) * sizeof(dev->data->mac_addrs[0]));
	VMMIO_LOG(INFO, "%s: reset; configure and start the port again", dev->data->name);
	return 0;
}

static int
vmmio_stats_get(struct rte_eth_dev *dev, struct rte_eth_stats *st,
	struct eth_queue_stats *qs)
{
	struct vmmio_rxq *rxq;
	struct vmmio_txq *txq;
	uint16_t i;

	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		rxq = dev->data->rx_queues[i];
		if (rxq == NULL)
			continue;
		st->ipackets += rxq->stats.packets;
		st->ibytes += rxq->stats.bytes;
		st->ierrors += rxq->stats.errors;
		st->imissed += rxq->intr.swr_drops;
		if (qs != NULL && i < RTE_ETHDEV_QUEUE_STAT_CNTRS) {
			qs->q_ipackets[i] = rxq->stats.packets;
			qs->q_ibytes[i] = rxq->stats.bytes;
			qs->q_errors[i] = rxq->stats.errors;
		}
	}
	for (i = 0; i < dev->data->nb_tx_queues; i++) {
		txq = dev->data->tx_queues[i];
		if (txq == NULL)
			continue;
		st->opackets += txq->stats.packets;
		st->obytes += txq->stats.bytes;
		st->oerrors += txq->stats.errors;
		if (qs != NULL && i < RTE_ETHDEV_QUEUE_STAT_CNTRS) {
			qs->q_opackets[i] = txq->stats.packets;
			qs->q_obytes[i] = txq->stats.bytes;
		}
	}
	st->rx_nombuf = dev->data->rx_mbuf_alloc_failed;
	return 0;
}
VMMIO_STATS_GET_DEFINE(vmmio_stats_get)

static const uint32_t *
vmmio_dev_supported_ptypes_get(struct rte_eth_dev *dev, size_t *no_of_elements)
{
	RTE_SET_USED(dev);
	return vmmio_rx_ptypes(no_of_elements);
}
VMMIO_PTYPES_GET_DEFINE(vmmio_dev_supported_ptypes_get)

/* rte_eth_dev_set_ptypes: 0 stops the parsing (testpmd, l2fwd); next start. */
static int
vmmio_dev_ptypes_set(struct rte_eth_dev *dev, uint32_t ptype_mask)
{
	vmmio_adapter_of(dev)->ptype_parse = ptype_mask != 0;
	return 0;
}

static int
vmmio_stats_reset(struct rte_eth_dev *dev)
{
	struct vmmio_rxq *rxq;
	struct vmmio_txq *txq;
	uint16_t i;

	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		rxq = dev->data->rx_queues[i];
		if (rxq == NULL)
			continue;
		memset(&rxq->stats, 0, sizeof(rxq->stats));
		rxq->intr.swr_drops = 0;
		rxq->intr.wakeups = 0;
	}
	for (i = 0; i < dev->data->nb_tx_queues; i++) {
		txq = dev->data->tx_queues[i];
		if (txq != NULL)
			memset(&txq->stats, 0, sizeof(txq->stats));
	}
	dev->data->rx_mbuf_alloc_failed = 0;
	vmmio_adapter_of(dev)->interrupts = 0;
	vmmio_adapter_of(dev)->config_changes = 0;
	return 0;
}

static int
vmmio_mtu_set(struct rte_eth_dev *dev, uint16_t mtu)
{
	struct vmmio_adapter *ad = vmmio_adapter_of(dev);
	uint32_t frame = (uint32_t)mtu + RTE_ETHER_HDR_LEN + RTE_VLAN_HLEN;
	struct vmmio_rxq *rxq;
	uint16_t q;

	if (mtu > ad->max_mtu)
		return -EINVAL;
	if (dev->data->dev_conf.rxmode.offloads &
	    (RTE_ETH_RX_OFFLOAD_SCATTER | RTE_ETH_RX_OFFLOAD_TCP_LRO))
		return 0;	/* frames larger than a buffer become chains */
	/* Queues may use mempools of different buffer sizes: check each. */
	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		rxq = dev->data->rx_queues[q];
		if (rxq != NULL && frame + rxq->hdr_len > rxq->buf_len) {
			VMMIO_LOG(ERR, "%s: MTU %u does not fit the buffers of RX queue %u (%u bytes)",
				dev->data->name, mtu, q, rxq->buf_len - rxq->hdr_len);
			return -EINVAL;
		}
	}
	return 0;
}

static const struct eth_dev_ops vmmio_eth_dev_ops = {
	.dev_configure = vmmio_dev_configure,
	.dev_infos_get = vmmio_dev_infos_get,
	.dev_start = vmmio_dev_start,
	.dev_stop = vmmio_dev_stop,
	.dev_close = vmmio_dev_close,
	.dev_reset = vmmio_dev_reset,
	.link_update = vmmio_dev_link_update,
	.stats_get = VMMIO_STATS_GET(vmmio_stats_get),
	.dev_supported_ptypes_get = VMMIO_PTYPES_GET(vmmio_dev_supported_ptypes_get),
	.dev_ptypes_set = vmmio_dev_ptypes_set,
	.stats_reset = vmmio_stats_reset,
	.promiscuous_enable = vmmio_promiscuous_enable,
	.promiscuous_disable = vmmio_promiscuous_disable,
	.allmulticast_enable = vmmio_allmulticast_enable,
	.allmulticast_disable = vmmio_allmulticast_disable,
	.mtu_set = vmmio_mtu_set,
	.mac_addr_set = vmmio_mac_addr_set,
	.mac_addr_add = vmmio_mac_addr_add,
	.mac_addr_remove = vmmio_mac_addr_remove,
	.set_mc_addr_list = vmmio_set_mc_addr_list,
	.vlan_filter_set = vmmio_vlan_filter_set,
	.xstats_get = vmmio_xstats_get,
	.xstats_get_names = vmmio_xstats_get_names,
	.xstats_reset = vmmio_stats_reset,
	.rx_queue_intr_enable = vmmio_rx_queue_intr_enable,
	.rx_queue_intr_disable = vmmio_rx_queue_intr_disable,
	.rx_queue_setup = vmmio_rx_queue_setup,
	.rx_queue_release = vmmio_rx_queue_release,
	.tx_queue_setup = vmmio_tx_queue_setup,
	.tx_queue_release = vmmio_tx_queue_release,
	.rxq_info_get = vmmio_rxq_info_get,
	.txq_info_get = vmmio_txq_info_get,
	.rx_burst_mode_get = vmmio_rx_burst_mode_get,
	.tx_burst_mode_get = vmmio_tx_burst_mode_get,
};

static int
vmmio_read_device(struct vmmio_adapter *ad, struct rte_ether_addr *mac,
	const char *name)
{
	struct vmmio_hw *hw = &ad->hw;
	uint16_t mtu = RTE_ETHER_MTU;
	int ret;

	ret = vmmio_hw_reset(hw);
	if (ret < 0)
		return ret;
	vmmio_hw_add_status(hw, VIRTIO_STATUS_ACKNOWLEDGE);
	vmmio_hw_add_status(hw, VIRTIO_STATUS_DRIVER);
	hw->device_features = vmmio_hw_read_device_features(hw);
	/* What dev_start will negotiate, known now for queue setup. */
	vmmio_hw_preview_features(hw, vmmio_features_wanted(hw->device_features,
		0, 0));
	if (vmmio_with(hw, VIRTIO_NET_F_MAC)) {
		ret = vmmio_hw_read_config(hw, VIRTIO_NET_CFG_MAC, mac->addr_bytes,
			RTE_ETHER_ADDR_LEN);
		if (ret < 0)
			return ret;
	} else {
		rte_eth_random_addr(mac->addr_bytes);
		VMMIO_LOG(NOTICE, "%s: device has no MAC (no VIRTIO_NET_F_MAC), using a random one",
			name);
	}
	if (vmmio_with(hw, VIRTIO_NET_F_MTU)) {
		ret = vmmio_hw_read_config(hw, VIRTIO_NET_CFG_MTU, &mtu, sizeof(mtu));
		if (ret < 0)
			return ret;
		/* 5.1.4.1: the device MUST set mtu to 68..65535. */
		if (mtu < RTE_ETHER_MIN_MTU) {
			VMMIO_LOG(WARNING, "%s: device mtu %u is below %u (5.1.4.1): "
				"VIRTIO_NET_F_MTU not used", name, mtu, RTE_ETHER_MIN_MTU);
			hw->features &= ~VIRTIO_BIT(VIRTIO_NET_F_MTU);
			hw->features_off |= VIRTIO_BIT(VIRTIO_NET_F_MTU);
			mtu = RTE_ETHER_MTU;
		}
	}
	ad->max_mtu = mtu;
	ad->rxq_max = vmmio_hw_queue_max(hw, VIRTIO_NET_RXQ_VQ(0));
	ad->txq_max = vmmio_hw_queue_max(hw, VIRTIO_NET_TXQ_VQ(0));
	if (ad->rxq_max == 0 || ad->txq_max == 0) {
		VMMIO_LOG(ERR, "%s: device has no receiveq1/transmitq1", name);
		return -ENODEV;
	}
	return vmmio_hw_reset(hw);
}

int
vmmio_ethdev_create(const char *name, const struct vmmio_hw *hw,
	const char *devname, struct rte_device *device, int numa_node,
	uint16_t *port_id)
{
	struct rte_eth_dev *eth_dev;
	struct vmmio_adapter *ad;
	struct rte_ether_addr *mac;
	int owner, ret;

	owner = devname != NULL ? vmmio_ethdev_find(devname) : -1;
	if (owner >= 0) {
		VMMIO_LOG(ERR, "%s: device %s is already used by port %d", name,
			devname, owner);
		return -EBUSY;
	}
	eth_dev = rte_eth_dev_allocate(name);
	if (eth_dev == NULL)
		return -ENOMEM;
	ad = rte_zmalloc_socket(name, sizeof(*ad), RTE_CACHE_LINE_SIZE, numa_node);
	/* ethdev's MAC array: max_mac_addrs entries (the MAC table, 5.1.6.5.2) */
	mac = rte_zmalloc_socket(name, VMMIO_MAX_MAC_ADDRS * sizeof(*mac), 0,
		numa_node);
	if (ad == NULL || mac == NULL) {
		rte_free(ad);
		rte_free(mac);
		rte_eth_dev_release_port(eth_dev);
		return -ENOMEM;
	}
	ad->hw = *hw;
	if (ad->hw.intr_budget == 0)
		ad->hw.intr_budget = VMMIO_RXINTR_BUDGET_DEFAULT;
	ad->line = VMMIO_IRQFD_CLOSED;
	ad->eal_line = VMMIO_IRQFD_CLOSED;
	if (devname != NULL)
		snprintf(ad->devname, sizeof(ad->devname), "%s", devname);
	ret = vmmio_hw_identify(&ad->hw);
	if (ret == 0)
		ret = vmmio_read_device(ad, mac, name);
	if (ret == 0)
		ret = vmmio_ctrl_probe(ad, mac->addr_bytes, numa_node, name);
	if (ret < 0) {
		vmmio_ctrl_release(ad);
		if (ret != -ENODEV && ret != -ENOTSUP)
			vmmio_hw_add_status(&ad->hw, VIRTIO_STATUS_FAILED);
		VMMIO_LOG(ERR, "%s: cannot use device %s: %s", name,
			devname != NULL ? devname : "", strerror(-ret));
		rte_free(ad);
		rte_free(mac);
		rte_eth_dev_release_port(eth_dev);
		return ret;
	}
	eth_dev->device = device;
	eth_dev->data->dev_private = ad;
	eth_dev->data->mac_addrs = mac;
	eth_dev->data->numa_node = numa_node;
	eth_dev->data->promiscuous = 1;
	eth_dev->data->all_multicast = 1;
	eth_dev->data->dev_flags |= RTE_ETH_DEV_AUTOFILL_QUEUE_XSTATS;
	ad->ptype_parse = true;
	eth_dev->dev_ops = &vmmio_eth_dev_ops;
	eth_dev->rx_pkt_burst = vmmio_recv_pkts;
	eth_dev->tx_pkt_burst = vmmio_xmit_pkts;
	eth_dev->tx_pkt_prepare = vmmio_xmit_prep;
	rte_eth_dev_probing_finish(eth_dev);
	*port_id = eth_dev->data->port_id;
	VMMIO_LOG(INFO, "%s: %s virtio-net %s, MAC " RTE_ETHER_ADDR_PRT_FMT
		", %s registers, queues %u/%u", name,
		ad->hw.version == VIRTIO_MMIO_VERSION_MODERN ? "modern" : "legacy",
		devname != NULL ? devname : "", RTE_ETHER_ADDR_BYTES(mac),
		ad->hw.reg->name, ad->rxq_max, ad->txq_max);
	return 0;
}

void
vmmio_ethdev_set_irq(uint16_t port_id, const struct vmmio_irq_ops *ops)
{
	struct rte_eth_dev *dev = &rte_eth_devices[port_id];
	struct vmmio_adapter *ad = vmmio_adapter_of(dev);

	ad->hw.irq = ops;
	if (ops != NULL &&
	    (ad->hw.device_features & VIRTIO_BIT(VIRTIO_NET_F_STATUS)))
		dev->data->dev_flags |= RTE_ETH_DEV_INTR_LSC;
}

int
vmmio_ethdev_find(const char *devname)
{
	struct vmmio_adapter *ad;
	uint16_t p;

	for (p = 0; p < RTE_MAX_ETHPORTS; p++) {
		if (rte_eth_devices[p].state == RTE_ETH_DEV_UNUSED ||
		    rte_eth_devices[p].dev_ops != &vmmio_eth_dev_ops)
			continue;
		ad = rte_eth_devices[p].data->dev_private;
		if (ad != NULL && strcmp(ad->devname, devname) == 0)
			return p;
	}
	return -1;
}

int
vmmio_ethdev_destroy(const char *name)
{
	struct rte_eth_dev *eth_dev = rte_eth_dev_allocated(name);
	uint16_t port;
	int ret;

	if (eth_dev == NULL)
		return 0;	/* already closed */
	if (eth_dev->dev_ops != &vmmio_eth_dev_ops)
		return -ENODEV;
	port = eth_dev->data->port_id;
	/* ethdev refuses to close a started port: stop it, or the device
	 * would go on writing into memory freed at exit (as PCI remove does). */
	if (eth_dev->data->dev_started) {
		VMMIO_LOG(NOTICE, "%s: removed while started: stopping it", name);
		ret = rte_eth_dev_stop(port);
		if (ret < 0)
			VMMIO_LOG(ERR, "%s: stop failed: %s", name, strerror(-ret));
	}
	return rte_eth_dev_close(port);
}
