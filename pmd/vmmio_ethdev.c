/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ethdev operations. Device lifecycle (virtio 1.2 section 3.1): probe reads
 * features and configuration and leaves the device reset; dev_start runs the
 * whole initialization (reset, ACKNOWLEDGE, DRIVER, features, FEATURES_OK,
 * queues, DRIVER_OK); dev_stop resets the device so it drops every buffer,
 * then the driver frees what the rings still held. A device that does not
 * complete a reset keeps its buffers: the port is failed (vmmio_adapter.failed)
 * until rte_eth_dev_reset() sees a reset complete.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <ethdev_driver.h>
#include <rte_alarm.h>
#include <rte_malloc.h>

#include "vmmio_compat.h"
#include "vmmio_ctrl.h"
#include "vmmio_ethdev.h"
#include "vmmio_features.h"
#include "vmmio_intr.h"
#include "vmmio_log.h"
#include "vmmio_notify.h"
#include "vmmio_offload.h"
#include "vmmio_rxintr.h"
#include "vmmio_rxtx.h"
#include "vmmio_status.h"
#include "vmmio_xstats.h"

RTE_LOG_REGISTER(vmmio_logtype, pmd.net.virtio_mmio, NOTICE);

static int
ring_size(uint16_t nb_desc, uint16_t max, uint16_t *size)
{
	uint16_t want = nb_desc == 0 ? VMMIO_DEFAULT_RING : nb_desc;

	if (max == 0)
		return -ENODEV;
	/* 2.7: split queue sizes are powers of two, at most QueueNumMax. */
	*size = rte_align32prevpow2(RTE_MIN(want, max));
	if (*size != want)
		VMMIO_LOG(INFO, "ring of %u descriptors used for %u requested (max %u)",
			*size, want, max);
	return 0;
}

/* One line for every op refused on a failed port. */
static int
vmmio_refuse_failed(struct rte_eth_dev *dev, const char *op)
{
	struct vmmio_adapter *ad = vmmio_adapter_of(dev);

	if (!ad->failed)
		return 0;
	VMMIO_LOG(ERR, "%s: %s refused: device %s did not complete its reset "
		"(port failed; rte_eth_dev_reset() retries, or close the port)",
		dev->data->name, op, ad->devname);
	return -EIO;
}

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

static void
vmmio_fail(struct vmmio_hw *hw, const char *name, const char *step, int err)
{
	VMMIO_LOG(ERR, "%s: %s failed: %s", name, step, strerror(-err));
	vmmio_hw_add_status(hw, VIRTIO_STATUS_FAILED);
}

static void
vmmio_queues_drain(struct rte_eth_dev *dev)
{
	uint16_t q;

	for (q = 0; q < dev->data->nb_rx_queues; q++)
		if (dev->data->rx_queues[q] != NULL) {
			vmmio_rxintr_flush(dev->data->rx_queues[q]);
			vmmio_rxq_drain(dev->data->rx_queues[q]);
		}
	for (q = 0; q < dev->data->nb_tx_queues; q++)
		if (dev->data->tx_queues[q] != NULL)
			vmmio_txq_drain(dev->data->tx_queues[q]);
}

/*
 * Take every buffer back from the device: reset it (after a completed reset
 * the device owns no buffer and uses no ring, 2.4 and 3.3.1), then free
 * what the rings held. A device that does not complete its reset may still
 * write into them: nothing is freed, the port is failed.
 */
static int
vmmio_quiesce(struct rte_eth_dev *dev)
{
	struct vmmio_adapter *ad = vmmio_adapter_of(dev);
	int ret;

	ret = vmmio_hw_reset(&ad->hw);
	if (ret < 0) {
		ad->failed = true;
		VMMIO_LOG(ERR, "%s: device %s did not complete its reset: its buffers "
			"and rings stay allocated (leaked), the port is failed; "
			"rte_eth_dev_reset() retries", dev->data->name, ad->devname);
		return -EIO;
	}
	vmmio_ctrl_stop(dev);
	vmmio_queues_drain(dev);
	return 0;
}

/*
 * Per-queue offload switches from the negotiated features. Every offload the
 * application enabled must be backed by a negotiated feature (the device may
 * have withdrawn an offer since probe): -ENOTSUP otherwise.
 */
static int
set_queue_offloads(struct rte_eth_dev *dev, struct vmmio_rxq *rxq,
	struct vmmio_txq *txq)
{
	struct vmmio_adapter *ad = vmmio_adapter_of(dev);
	struct vmmio_hw *hw = &ad->hw;
	uint64_t rxo = dev->data->dev_conf.rxmode.offloads;
	uint64_t txo = dev->data->dev_conf.txmode.offloads;
	uint64_t rx_capa, tx_capa;

	vmmio_offload_capa(hw->features, &rx_capa, &tx_capa);
	rx_capa |= vmmio_ctrl_rx_offload_capa(hw->features);
	if ((rxo & ~rx_capa) || (txo & ~tx_capa)) {
		VMMIO_LOG(ERR, "%s: offloads rx 0x%" PRIx64 " tx 0x%" PRIx64
			" not negotiated (features 0x%" PRIx64 ")", dev->data->name,
			rxo & ~rx_capa, txo & ~tx_capa, hw->features);
		return -ENOTSUP;
	}
	rxq->ofl = 0;
	if (vmmio_with(hw, VIRTIO_NET_F_GUEST_CSUM))
		rxq->ofl |= VMMIO_OFL_RX_CSUM;
	if (vmmio_with(hw, VIRTIO_NET_F_GUEST_TSO4))
		rxq->ofl |= VMMIO_OFL_RX_TSO4;
	if (vmmio_with(hw, VIRTIO_NET_F_GUEST_TSO6))
		rxq->ofl |= VMMIO_OFL_RX_TSO6;
	if (vmmio_with(hw, VIRTIO_NET_F_MRG_RXBUF))
		rxq->ofl |= VMMIO_OFL_RX_MRG;
	if (rxo & (RTE_ETH_RX_OFFLOAD_SCATTER | RTE_ETH_RX_OFFLOAD_TCP_LRO))
		rxq->ofl |= VMMIO_OFL_RX_SCATTER;
	if (ad->ptype_parse)
		rxq->ofl |= VMMIO_OFL_RX_PTYPE;
	/*
	 * A partial checksum (NEEDS_CSUM, 5.1.6.4) is left for TX checksum
	 * offload to finish only where the application has it on this port;
	 * otherwise it would forward the frame with the checksum unfinished.
	 */
	if (!(txo & RTE_ETH_TX_OFFLOAD_TCP_CKSUM))
		rxq->ofl |= VMMIO_OFL_RX_FINISH_TCP;
	if (!(txo & RTE_ETH_TX_OFFLOAD_UDP_CKSUM))
		rxq->ofl |= VMMIO_OFL_RX_FINISH_UDP;
	if ((rxq->ofl & VMMIO_OFL_RX_CSUM) && !ad->finish_logged &&
	    (rxq->ofl & (VMMIO_OFL_RX_FINISH_TCP | VMMIO_OFL_RX_FINISH_UDP))) {
		ad->finish_logged = true;
		VMMIO_LOG(INFO, "%s: RX partial checksums (VIRTIO_NET_HDR_F_NEEDS_CSUM) of %s completed in software: its TX checksum offload is not enabled",
			dev->data->name, !(rxq->ofl & VMMIO_OFL_RX_FINISH_UDP) ? "TCP" :
			!(rxq->ofl & VMMIO_OFL_RX_FINISH_TCP) ? "UDP" : "TCP and UDP");
	}
	txq->ofl = 0;
	if (vmmio_with(hw, VIRTIO_NET_F_CSUM))
		txq->ofl |= VMMIO_OFL_TX_CSUM;
	if (vmmio_with(hw, VIRTIO_NET_F_HOST_TSO4))
		txq->ofl |= VMMIO_OFL_TX_TSO4;
	if (vmmio_with(hw, VIRTIO_NET_F_HOST_TSO6))
		txq->ofl |= VMMIO_OFL_TX_TSO6;
	if (txo & RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE)
		txq->ofl |= VMMIO_OFL_TX_FAST_FREE;
	dev->data->scattered_rx = (rxq->ofl & VMMIO_OFL_RX_SCATTER) != 0;
	return 0;
}

/* Every queue pair set up (5.1.2: start uses pairs 0 .. nb_rx_queues-1). */
static int
start_check_queues(struct rte_eth_dev *dev)
{
	uint16_t nq = dev->data->nb_rx_queues, q;

	for (q = 0; q < RTE_MAX(nq, 1); q++) {
		if (q >= nq || q >= dev->data->nb_tx_queues ||
		    dev->data->rx_queues[q] == NULL || dev->data->tx_queues[q] == NULL) {
			VMMIO_LOG(ERR, "%s: start needs RX and TX queue %u set up",
				dev->data->name, q);
			return -EINVAL;
		}
	}
	return 0;
}

/* 3.1.1 steps 1-3; the device owns nothing yet (drained at stop). */
static int
start_reset(struct rte_eth_dev *dev)
{
	struct vmmio_adapter *ad = vmmio_adapter_of(dev);
	int ret;

	ret = vmmio_hw_reset(&ad->hw);
	if (ret < 0)
		return ret;
	ad->needs_reset = false;
	vmmio_hw_add_status(&ad->hw, VIRTIO_STATUS_ACKNOWLEDGE);
	vmmio_hw_add_status(&ad->hw, VIRTIO_STATUS_DRIVER);
	return 0;
}

/* steps 4-6: the offload bits only for offloads the application enabled */
static int
start_features(struct rte_eth_dev *dev)
{
	struct vmmio_hw *hw = &vmmio_adapter_of(dev)->hw;
	struct vmmio_rxq *rxq;
	struct vmmio_txq *txq;
	uint16_t q;
	int ret;

	ret = vmmio_hw_negotiate(hw, vmmio_features_wanted(hw->device_features,
		dev->data->dev_conf.rxmode.offloads,
		dev->data->dev_conf.txmode.offloads));
	for (q = 0; ret == 0 && q < dev->data->nb_rx_queues; q++) {
		rxq = dev->data->rx_queues[q];
		txq = dev->data->tx_queues[q];
		ret = set_queue_offloads(dev, rxq, txq);
		/* Buffers were sized at queue setup for the header of probe's preview. */
		if (ret == 0 && (hw->hdr_len != rxq->hdr_len || hw->hdr_len != txq->hdr_len)) {
			VMMIO_LOG(ERR, "%s: header length %u, queues set up for %u",
				dev->data->name, hw->hdr_len, rxq->hdr_len);
			ret = -EPROTO;
		}
	}
	return ret;
}

/* step 7: queue pairs and the control queue, interrupts suppressed (2.7.7) */
static int
start_queues(struct rte_eth_dev *dev)
{
	struct vmmio_hw *hw = &vmmio_adapter_of(dev)->hw;
	struct vmmio_rxq *rxq;
	struct vmmio_txq *txq;
	uint16_t q;
	int ret;

	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		rxq = dev->data->rx_queues[q];
		txq = dev->data->tx_queues[q];
		/* drained at the last stop: nothing on the rings to lose */
		vmmio_vq_layout(&rxq->vq, vmmio_with(hw, VIRTIO_F_RING_PACKED));
		vmmio_vq_layout(&txq->vq, rxq->vq.packed);
		rxq->vq.event_idx = vmmio_with(hw, VIRTIO_RING_F_EVENT_IDX);
		txq->vq.event_idx = rxq->vq.event_idx;
		txq->indirect = vmmio_with(hw, VIRTIO_RING_F_INDIRECT_DESC);
		vmmio_vq_disable_intr(&rxq->vq);
		vmmio_vq_disable_intr(&txq->vq);
		if (q > 0 && (vmmio_hw_queue_max(hw, rxq->vq.index) < rxq->vq.size ||
		    vmmio_hw_queue_max(hw, txq->vq.index) < txq->vq.size)) {
			VMMIO_LOG(ERR, "%s: queue pair %u cannot take %u/%u descriptors",
				dev->data->name, q, rxq->vq.size, txq->vq.size);
			return -EINVAL;
		}
		ret = hw->tp->setup_queue(hw, rxq->vq.index, &rxq->vq);
		if (ret == 0)
			ret = hw->tp->setup_queue(hw, txq->vq.index, &txq->vq);
		if (ret < 0)
			return ret;
	}
	txq = dev->data->tx_queues[0];
	dev->tx_pkt_burst = txq->vq.packed ? vmmio_xmit_pkts_packed : vmmio_xmit_pkts;
	return vmmio_ctrl_setup(dev);
}

/* RX buffers are published before DRIVER_OK, notified after it (3.1.1). */
static int
start_fill(struct rte_eth_dev *dev)
{
	uint16_t q;
	int ret;

	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		ret = vmmio_rxq_fill(dev->data->rx_queues[q]);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/* step 8, then the buffers posted before it are notified */
static int
start_driver_ok(struct rte_eth_dev *dev)
{
	struct vmmio_hw *hw = &vmmio_adapter_of(dev)->hw;
	struct vmmio_rxq *rxq;
	uint16_t q;

	vmmio_hw_add_status(hw, VIRTIO_STATUS_DRIVER_OK);
	if (vmmio_hw_get_status(hw) & VIRTIO_STATUS_DEVICE_NEEDS_RESET) {
		VMMIO_LOG(ERR, "%s: device needs a reset right after DRIVER_OK",
			dev->data->name);
		return -EIO;
	}
	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		rxq = dev->data->rx_queues[q];
		vmmio_notify(hw, &rxq->vq, &rxq->stats.notifies);
	}
	return 0;
}

/* The port runs: interrupts (or polling), Status check, queue states, link. */
static void
start_running(struct rte_eth_dev *dev)
{
	struct vmmio_adapter *ad = vmmio_adapter_of(dev);
	struct vmmio_rxq *rxq = dev->data->rx_queues[0];
	struct vmmio_txq *txq = dev->data->tx_queues[0];
	struct vmmio_hw *hw = &ad->hw;
	uint16_t nq = dev->data->nb_rx_queues, q;
	int ret;

	ret = vmmio_intr_start(dev);
	if (ret < 0 && ret != -ENOTSUP)
		VMMIO_LOG(WARNING, "%s: interrupt setup failed (%s): polling only",
			dev->data->name, strerror(-ret));
	ad->started = true;
	vmmio_status_alarm_start(dev);
	for (q = 0; q < nq; q++) {
		dev->data->rx_queue_state[q] = RTE_ETH_QUEUE_STATE_STARTED;
		dev->data->tx_queue_state[q] = RTE_ETH_QUEUE_STATE_STARTED;
	}
	vmmio_dev_link_update(dev, 0);
	VMMIO_LOG(INFO, "%s: started (%s, %s registers, features 0x%016" PRIx64
		", %u queue pair(s) of %u/%u descriptors)", dev->data->name,
		hw->version == VIRTIO_MMIO_VERSION_MODERN ? "modern" : "legacy",
		hw->reg->name, hw->features, nq, rxq->vq.size, txq->vq.size);
	vmmio_features_log(dev);
}

/* One step of dev_start (virtio 1.2 3.1.1). */
struct start_step {
	const char *name;			/**< for the failure's log line */
	int (*run)(struct rte_eth_dev *dev);
	/** the device may know rings or buffers once this step ran: a failure resets it */
	bool device_knows;
};

static const struct start_step start_steps[] = {
	{ "reset", start_reset, false },
	{ "feature negotiation", start_features, false },
	{ "queue setup", start_queues, true },
	{ "RX buffer allocation", start_fill, true },
	{ "DRIVER_OK", start_driver_ok, true },
	/* pairs in use, MAC, MAC and VLAN tables: a reset forgot them */
	{ "control queue restore", vmmio_ctrl_restore, true },
};

/*
 * The whole device initialization (3.1.1) as the steps above, with one
 * unwind: a failing step sets FAILED and logs its name; once the device
 * may know the rings, it is reset and the buffers taken back (a device
 * that does not complete that reset leaves the port failed: -EIO).
 */
static int
vmmio_dev_start(struct rte_eth_dev *dev)
{
	struct vmmio_hw *hw = &vmmio_adapter_of(dev)->hw;
	unsigned int i;
	int ret;

	ret = vmmio_refuse_failed(dev, "start");
	if (ret == 0)
		ret = start_check_queues(dev);
	if (ret < 0)
		return ret;
	for (i = 0; i < RTE_DIM(start_steps); i++) {
		ret = start_steps[i].run(dev);
		if (ret == 0)
			continue;
		vmmio_fail(hw, dev->data->name, start_steps[i].name, ret);
		if (start_steps[i].device_knows && vmmio_quiesce(dev) < 0)
			return -EIO;
		return ret;
	}
	start_running(dev);
	return 0;
}

/*
 * Always 0 so that ethdev marks the port stopped (a failing stop would
 * leave it "started" for ever: no start, no close). A device that did not
 * complete its reset leaves the port failed instead, which every later op
 * reports (-EIO), with one error line here.
 */
static int
vmmio_dev_stop(struct rte_eth_dev *dev)
{
	struct vmmio_adapter *ad = vmmio_adapter_of(dev);
	uint16_t q;

	if (!ad->started)
		return 0;
	ad->started = false;
	vmmio_status_alarm_stop(dev);
	/* The interrupt thread must not touch a queue from here on. */
	vmmio_intr_stop(dev);
	vmmio_quiesce(dev);
	for (q = 0; q < dev->data->nb_rx_queues; q++)
		dev->data->rx_queue_state[q] = RTE_ETH_QUEUE_STATE_STOPPED;
	for (q = 0; q < dev->data->nb_tx_queues; q++)
		dev->data->tx_queue_state[q] = RTE_ETH_QUEUE_STATE_STOPPED;
	vmmio_dev_link_update(dev, 0);
	return 0;
}

static void
vmmio_rxq_free(struct vmmio_rxq *rxq)
{
	vmmio_rxintr_free(rxq);
	vmmio_rxq_drain(rxq);
	vmmio_vq_free(&rxq->vq);
	rte_free(rxq);
}

static void
vmmio_rx_queue_release(struct rte_eth_dev *dev, uint16_t qid)
{
	struct vmmio_adapter *ad = vmmio_adapter_of(dev);
	struct vmmio_rxq *rxq = dev->data->rx_queues[qid];

	if (rxq == NULL)
		return;
	dev->data->rx_queues[qid] = NULL;
	if (ad->failed) {
		/* Posted buffers and the ring may still be written: kept. */
		vmmio_rxintr_free(rxq);
		rxq->kept_next = ad->kept_rxq;
		ad->kept_rxq = rxq;
		return;
	}
	vmmio_rxq_free(rxq);
}

static void
vmmio_txq_free(struct vmmio_txq *txq)
{
	vmmio_txq_drain(txq);
	vmmio_vq_free(&txq->vq);
	rte_memzone_free(txq->hdr_mz);
	rte_free(txq);
}

/* After a completed reset: the queues kept while the port was failed. */
static void
vmmio_free_kept(struct vmmio_adapter *ad)
{
	struct vmmio_rxq *rxq;
	struct vmmio_txq *txq;

	while ((rxq = ad->kept_rxq) != NULL) {
		ad->kept_rxq = rxq->kept_next;
		vmmio_rxq_free(rxq);
	}
	while ((txq = ad->kept_txq) != NULL) {
		ad->kept_txq = txq->kept_next;
		vmmio_txq_free(txq);
	}
}

static void
vmmio_tx_queue_release(struct rte_eth_dev *dev, uint16_t qid)
{
	struct vmmio_txq *txq = dev->data->tx_queues[qid];

	if (txq == NULL)
		return;
	dev->data->tx_queues[qid] = NULL;
	/* A failed device may still use the ring: kept, with its chains. */
	if (vmmio_adapter_of(dev)->failed) {
		txq->kept_next = vmmio_adapter_of(dev)->kept_txq;
		vmmio_adapter_of(dev)->kept_txq = txq;
		return;
	}
	vmmio_txq_free(txq);
}

/* Queues, RX interrupt handles and control queue: what configure built. */
static void
vmmio_release_queues(struct rte_eth_dev *dev)
{
	uint16_t i;

	for (i = 0; i < dev->data->nb_rx_queues; i++)
		vmmio_rx_queue_release(dev, i);
	for (i = 0; i < dev->data->nb_tx_queues; i++)
		vmmio_tx_queue_release(dev, i);
	vmmio_intr_release(dev);
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
vmmio_rx_queue_setup(struct rte_eth_dev *dev, uint16_t qid, uint16_t nb_desc,
	unsigned int socket_id, const struct rte_eth_rxconf *conf,
	struct rte_mempool *mp)
{
	struct vmmio_adapter *ad = vmmio_adapter_of(dev);
	uint32_t room = rte_pktmbuf_data_room_size(mp);
	uint32_t frame = dev->data->mtu + RTE_ETHER_HDR_LEN + RTE_VLAN_HLEN;
	char name[RTE_MEMZONE_NAMESIZE];
	struct vmmio_rxq *rxq;
	uint16_t size;
	int ret;

	bool scatter = (dev->data->dev_conf.rxmode.offloads &
		(RTE_ETH_RX_OFFLOAD_SCATTER | RTE_ETH_RX_OFFLOAD_TCP_LRO)) != 0;

	ret = vmmio_refuse_failed(dev, "RX queue setup");
	if (ret < 0)
		return ret;
	if (conf != NULL && conf->rx_deferred_start) {
		VMMIO_LOG(ERR, "%s: RX queue %u: rx_deferred_start is not supported "
			"(queues start with the port)", dev->data->name, qid);
		return -EINVAL;
	}
	ret = ring_size(nb_desc, ad->rxq_max, &size);
	if (ret < 0)
		return ret;
	/*
	 * The header lands in the headroom. Without scattered RX (MRG_RXBUF,
	 * 5.1.6.3) a whole frame must fit one buffer; with it a buffer needs
	 * only room for the headers of a packet.
	 */
	if (RTE_PKTMBUF_HEADROOM < ad->hw.hdr_len ||
	    room < RTE_PKTMBUF_HEADROOM + (scatter ? VMMIO_MIN_RX_SEG : frame)) {
		VMMIO_LOG(ERR, "%s: mbufs of %u bytes data room cannot hold %s",
			dev->data->name, room, scatter ? "the packet headers" :
			"a full frame (enable RTE_ETH_RX_OFFLOAD_SCATTER)");
		return -EINVAL;
	}
	rxq = rte_zmalloc_socket("vmmio_rxq", sizeof(*rxq) +
		size * sizeof(rxq->sw_ring[0]), RTE_CACHE_LINE_SIZE, socket_id);
	if (rxq == NULL)
		return -ENOMEM;
	snprintf(name, sizeof(name), "vmmio_p%u_rxq%u", dev->data->port_id, qid);
	ret = vmmio_vq_alloc(&rxq->vq, name, VIRTIO_NET_RXQ_VQ(qid), size,
		socket_id);
	if (ret < 0) {
		rte_free(rxq);
		return ret;
	}
	rxq->hw = &ad->hw;
	rxq->mp = mp;
	rxq->ol_flags_init = (rte_pktmbuf_priv_flags(mp) &
		RTE_PKTMBUF_POOL_F_PINNED_EXT_BUF) ? RTE_MBUF_F_EXTERNAL : 0;
	rxq->alloc_failed = &dev->data->rx_mbuf_alloc_failed;
	rxq->hdr_len = ad->hw.hdr_len;
	rxq->buf_len = room - RTE_PKTMBUF_HEADROOM + rxq->hdr_len;
	rxq->port_id = dev->data->port_id;
	rxq->queue_id = qid;
	rxq->intr.efd = -1;
	rte_spinlock_init(&rxq->intr.lock);
	dev->data->rx_queues[qid] = rxq;
	return 0;
}

static int
vmmio_tx_queue_setup(struct rte_eth_dev *dev, uint16_t qid, uint16_t nb_desc,
	unsigned int socket_id, const struct rte_eth_txconf *conf)
{
	struct vmmio_adapter *ad = vmmio_adapter_of(dev);
	char name[RTE_MEMZONE_NAMESIZE];
	const struct rte_memzone *mz;
	struct vmmio_txq *txq;
	uint16_t size;
	size_t hdrs_len;
	int ret;

	ret = vmmio_refuse_failed(dev, "TX queue setup");
	if (ret < 0)
		return ret;
	if (conf != NULL && conf->tx_deferred_start) {
		VMMIO_LOG(ERR, "%s: TX queue %u: tx_deferred_start is not supported "
			"(queues start with the port)", dev->data->name, qid);
		return -EINVAL;
	}
	ret = ring_size(nb_desc, ad->txq_max, &size);
	if (ret < 0)
		return ret;
	txq = rte_zmalloc_socket("vmmio_txq", sizeof(*txq) +
		size * sizeof(txq->slots[0]), RTE_CACHE_LINE_SIZE, socket_id);
	if (txq == NULL)
		return -ENOMEM;
	/*
	 * Per buffer ID: a header, and an indirect table (used only when
	 * VIRTIO_RING_F_INDIRECT_DESC is negotiated at start, 128 bytes).
	 */
	hdrs_len = RTE_ALIGN_CEIL(size * sizeof(struct virtio_net_hdr),
		sizeof(struct vring_desc));
	snprintf(name, sizeof(name), "vmmio_p%u_txh%u", dev->data->port_id, qid);
	mz = rte_memzone_reserve_aligned(name, hdrs_len + (size_t)size *
		VMMIO_TX_INDIRECT_MAX * sizeof(struct vring_desc),
		socket_id, RTE_MEMZONE_IOVA_CONTIG, RTE_CACHE_LINE_SIZE);
	if (mz == NULL) {
		rte_free(txq);
		return -ENOMEM;
	}
	snprintf(name, sizeof(name), "vmmio_p%u_txq%u", dev->data->port_id, qid);
	ret = vmmio_vq_alloc(&txq->vq, name, VIRTIO_NET_TXQ_VQ(qid), size,
		socket_id);
	if (ret < 0) {
		rte_memzone_free(mz);
		rte_free(txq);
		return ret;
	}
	txq->hdr_mz = mz;
	txq->hdrs = mz->addr;
	txq->hdrs_iova = mz->iova;
	txq->ind = RTE_PTR_ADD(mz->addr, hdrs_len);
	txq->ind_iova = mz->iova + hdrs_len;
	txq->hw = &ad->hw;
	txq->hdr_len = ad->hw.hdr_len;
	/* Modern devices accept any layout (5.1.6.6); legacy ones only if offered. */
	txq->any_layout = vmmio_with(&ad->hw, VIRTIO_F_VERSION_1) ||
		vmmio_with(&ad->hw, VIRTIO_F_ANY_LAYOUT);
	txq->free_thresh = conf != NULL && conf->tx_free_thresh != 0 ?
		RTE_MIN(conf->tx_free_thresh, size) : RTE_MIN(32, size / 4);
	txq->port_id = dev->data->port_id;
	txq->queue_id = qid;
	dev->data->tx_queues[qid] = txq;
	return 0;
}

/* The ring actually used: a requested size is rounded down to a power of two. */
static void
vmmio_rxq_info_get(struct rte_eth_dev *dev, uint16_t qid,
	struct rte_eth_rxq_info *qinfo)
{
	struct vmmio_rxq *rxq = dev->data->rx_queues[qid];

	qinfo->mp = rxq->mp;
	qinfo->nb_desc = rxq->vq.size;
	qinfo->scattered_rx = dev->data->scattered_rx;
	qinfo->rx_buf_size = rxq->buf_len - rxq->hdr_len;
	qinfo->conf.offloads = dev->data->dev_conf.rxmode.offloads;
}

static void
vmmio_txq_info_get(struct rte_eth_dev *dev, uint16_t qid,
	struct rte_eth_txq_info *qinfo)
{
	struct vmmio_txq *txq = dev->data->tx_queues[qid];

	qinfo->nb_desc = txq->vq.size;
	qinfo->conf.tx_free_thresh = txq->free_thresh;
	qinfo->conf.offloads = dev->data->dev_conf.txmode.offloads;
}

/*
 * The receive path the queue runs (vmmio_rx_burst_select), and how an
 * interrupt-mode queue is served.
 */
static int
vmmio_rx_burst_mode_get(struct rte_eth_dev *dev, uint16_t qid,
	struct rte_eth_burst_mode *mode)
{
	struct vmmio_rxq *rxq = dev->data->rx_queues[qid];
	const char *path;

	vmmio_rx_burst_select(rxq->ofl, rxq->vq.packed, &path);
	snprintf(mode->info, sizeof(mode->info), "%s%s%s", path,
		rxq->vq.packed ? ",packed" : "",
		rxq->intr.efd < 0 ? "" : rxq->intr.direct ? ",intr-direct" :
		",intr-swring");
	return 0;
}

/*
 * One transmit function: plain packets (one segment, no offload request)
 * take one descriptor with the header in their headroom, others a chain,
 * or one indirect descriptor with VIRTIO_RING_F_INDIRECT_DESC.
 */
static int
vmmio_tx_burst_mode_get(struct rte_eth_dev *dev, uint16_t qid,
	struct rte_eth_burst_mode *mode)
{
	struct vmmio_txq *txq = dev->data->tx_queues[qid];

	snprintf(mode->info, sizeof(mode->info), "%s%s%s",
		txq->any_layout ? "plain+chains" : "chains",
		txq->vq.packed ? ",packed" : "",
		txq->indirect ? ",indirect" : "");
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
