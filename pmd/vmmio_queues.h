/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Queue setup and release of a port (eth_dev_ops), and the info getters.
 * Control thread only; ethdev calls them on a stopped port.
 */
#ifndef VMMIO_QUEUES_H
#define VMMIO_QUEUES_H

#include <stdint.h>

#include <ethdev_driver.h>

struct vmmio_adapter;

/**
 * eth_dev_ops.rx_queue_setup: a receive queue (receiveq qid+1, 5.1.2) of
 * @p nb_desc descriptors (0: VMMIO_DEFAULT_RING), rounded down to a power
 * of two within QueueNumMax, filled with mbufs of @p mp at dev_start.
 *
 * @return 0; -EIO on a failed port; -EINVAL for rx_deferred_start or mbufs
 *   too small for a frame (a header without RTE_ETH_RX_OFFLOAD_SCATTER);
 *   -ENODEV if the device has no such queue; -ENOMEM.
 */
int vmmio_rx_queue_setup(struct rte_eth_dev *dev, uint16_t qid, uint16_t nb_desc,
	unsigned int socket_id, const struct rte_eth_rxconf *conf,
	struct rte_mempool *mp);

/**
 * eth_dev_ops.tx_queue_setup: a transmit queue (transmitq qid+1) of
 * @p nb_desc descriptors, with one virtio-net header and one indirect
 * table (VMMIO_TX_INDIRECT_MAX descriptors) per buffer ID in an
 * IOVA-contiguous memzone.
 *
 * @return 0; -EIO on a failed port; -EINVAL for tx_deferred_start;
 *   -ENODEV if the device has no such queue; -ENOMEM.
 */
int vmmio_tx_queue_setup(struct rte_eth_dev *dev, uint16_t qid, uint16_t nb_desc,
	unsigned int socket_id, const struct rte_eth_txconf *conf);

/**
 * eth_dev_ops.rx_queue_release: free RX queue @p qid and its mbufs; on a
 * failed port keep it (the device may still write it) for
 * vmmio_free_kept.
 */
void vmmio_rx_queue_release(struct rte_eth_dev *dev, uint16_t qid);

/** eth_dev_ops.tx_queue_release: as vmmio_rx_queue_release for TX queue @p qid. */
void vmmio_tx_queue_release(struct rte_eth_dev *dev, uint16_t qid);

/**
 * Release every queue and the RX interrupt handles: what configure and
 * queue setup built (close, rte_eth_dev_reset).
 */
void vmmio_release_queues(struct rte_eth_dev *dev);

/**
 * Free the queues kept while the port was failed, once a reset completed
 * (the device owns nothing any more).
 */
void vmmio_free_kept(struct vmmio_adapter *ad);

/** eth_dev_ops.rxq_info_get: the ring actually used (a power of two), its pool. */
void vmmio_rxq_info_get(struct rte_eth_dev *dev, uint16_t qid,
	struct rte_eth_rxq_info *qinfo);

/** eth_dev_ops.txq_info_get: the ring actually used and its free threshold. */
void vmmio_txq_info_get(struct rte_eth_dev *dev, uint16_t qid,
	struct rte_eth_txq_info *qinfo);

/**
 * eth_dev_ops.rx_burst_mode_get: the receive path ("plain", "offload",
 * "scattered", vmmio_rx_burst_select) and ",packed", ",intr-direct" or
 * ",intr-swring".
 *
 * @return 0.
 */
int vmmio_rx_burst_mode_get(struct rte_eth_dev *dev, uint16_t qid,
	struct rte_eth_burst_mode *mode);

/**
 * eth_dev_ops.tx_burst_mode_get: "plain+chains" (or "chains" on a legacy
 * device without ANY_LAYOUT), ",packed", ",indirect".
 *
 * @return 0.
 */
int vmmio_tx_burst_mode_get(struct rte_eth_dev *dev, uint16_t qid,
	struct rte_eth_burst_mode *mode);

#endif /* VMMIO_QUEUES_H */
