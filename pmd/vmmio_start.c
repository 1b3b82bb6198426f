/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dev_start and dev_stop (virtio 1.2 3.1.1, 2.4): dev_start runs the whole
 * device initialization as named steps with one unwind; dev_stop resets
 * the device so it drops every buffer, then frees what the rings held. A
 * device that does not complete a reset keeps its buffers: the port is
 * failed (vmmio_adapter.failed) until rte_eth_dev_reset() sees a reset
 * complete.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <ethdev_driver.h>

#include "vmmio_adapter.h"
#include "vmmio_ctrl.h"
#include "vmmio_features.h"
#include "vmmio_intr.h"
#include "vmmio_log.h"
#include "vmmio_notify.h"
#include "vmmio_offload.h"
#include "vmmio_rxintr.h"
#include "vmmio_rxtx.h"
#include "vmmio_start.h"
#include "vmmio_status.h"

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
int
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
int
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
