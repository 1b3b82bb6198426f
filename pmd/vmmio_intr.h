/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Interrupts. A virtio-mmio device has one interrupt line for every queue
 * and for configuration changes (spec 4.2.3.4: InterruptStatus bit 0 used
 * buffer, bit 1 configuration change). VFIO delivers it as an edge-triggered,
 * unmaskable eventfd, so every event must read and acknowledge
 * InterruptStatus or no further edge comes. The EAL interrupt thread
 * demultiplexes it into one eventfd per RX queue (DPDK's rx-interrupt API)
 * and into RTE_ETH_EVENT_INTR_LSC.
 */
#ifndef VMMIO_INTR_H
#define VMMIO_INTR_H

#include <ethdev_driver.h>

/**
 * Create the per-RX-queue eventfds and the ethdev interrupt handle for
 * dev_conf.intr_conf.rxq (dev_configure).
 *
 * @return 0, -ENOTSUP when the device has no usable interrupt (the port
 *   then polls; one log line says so), or -ENOMEM.
 */
int vmmio_intr_configure(struct rte_eth_dev *dev);

/** Free what vmmio_intr_configure created (dev_close, reconfigure). */
void vmmio_intr_release(struct rte_eth_dev *dev);

/**
 * Wire the interrupt line (VFIO_DEVICE_SET_IRQS through the backend) and
 * register the demultiplexing handler with the EAL interrupt thread
 * (dev_start, when RX or LSC interrupts are configured).
 *
 * @return 0, or negative errno; on failure the port falls back to polling.
 */
int vmmio_intr_start(struct rte_eth_dev *dev);

/** Unwire the line and unregister the handler (dev_stop). */
void vmmio_intr_stop(struct rte_eth_dev *dev);

/** eth_dev_ops.rx_queue_intr_enable: -ENOTSUP without a wired interrupt. */
int vmmio_rx_queue_intr_enable(struct rte_eth_dev *dev, uint16_t qid);

/** eth_dev_ops.rx_queue_intr_disable. */
int vmmio_rx_queue_intr_disable(struct rte_eth_dev *dev, uint16_t qid);

/**
 * Handle one line event: read and acknowledge InterruptStatus, service the
 * armed RX queues, update the link and raise RTE_ETH_EVENT_INTR_LSC on a
 * configuration change. Runs on the EAL interrupt thread; exposed for tests.
 */
void vmmio_intr_handle(struct rte_eth_dev *dev);

#endif /* VMMIO_INTR_H */
