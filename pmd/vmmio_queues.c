/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Queue setup and release (eth_dev_ops): receive and transmit queues with
 * their rings, headers and indirect tables; the queues kept while the port
 * is failed; the per-queue info and burst mode getters.
 */
#include <errno.h>
#include <stdio.h>

#include <ethdev_driver.h>
#include <rte_malloc.h>
#include <rte_memzone.h>

#include "vmmio_adapter.h"
#include "vmmio_intr.h"
#include "vmmio_log.h"
#include "vmmio_queues.h"
#include "vmmio_rxintr.h"
#include "vmmio_rxtx.h"
#include "vmmio_status.h"

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

static void
vmmio_rxq_free(struct vmmio_rxq *rxq)
{
	vmmio_rxintr_free(rxq);
	vmmio_rxq_drain(rxq);
	vmmio_vq_free(&rxq->vq);
	rte_free(rxq);
}

void
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
void
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

void
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
void
vmmio_release_queues(struct rte_eth_dev *dev)
{
	uint16_t i;

	for (i = 0; i < dev->data->nb_rx_queues; i++)
		vmmio_rx_queue_release(dev, i);
	for (i = 0; i < dev->data->nb_tx_queues; i++)
		vmmio_tx_queue_release(dev, i);
	vmmio_intr_release(dev);
}

int
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
	rxq->intr.efd = -1;
	rte_spinlock_init(&rxq->intr.lock);
	dev->data->rx_queues[qid] = rxq;
	return 0;
}

int
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
	dev->data->tx_queues[qid] = txq;
	return 0;
}

/* The ring actually used: a requested size is rounded down to a power of two. */
void
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

void
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
int
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
int
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
