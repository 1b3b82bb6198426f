/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The interrupt line. A virtio-mmio device has one line for every queue
 * and for configuration changes (spec 4.2.2 InterruptStatus: bit 0 used
 * buffer, bit 1 configuration change). The backend (vmmio_hw.irq: VFIO's
 * eventfd, or UIO's device file, which also masks the line at each event)
 * signals it edge-triggered, so every event must read and acknowledge
 * InterruptStatus or no further edge comes. This file wires the line and,
 * in swring mode, demultiplexes it on the EAL interrupt thread into the RX
 * queues (vmmio_rxintr.h) and RTE_ETH_EVENT_INTR_LSC; in direct mode the
 * line's fd goes to the lcore and configuration changes come back here as
 * an EAL alarm.
 */
#ifndef VMMIO_INTR_H
#define VMMIO_INTR_H

#include <ethdev_driver.h>

/**
 * Prepare RX interrupts for dev_conf.intr_conf.rxq (dev_configure): the
 * line's fds for direct mode (devarg rx_intr=direct) and the ethdev
 * interrupt handle (vmmio_rxintr_configure).
 *
 * @param dev
 *   Port being configured (control thread).
 * @return 0, -ENOTSUP when the device has no usable interrupt (the port
 *   then polls; one log line says so), or -ENOMEM / -errno of eventfd().
 */
int vmmio_intr_configure(struct rte_eth_dev *dev);

/**
 * Free what vmmio_intr_configure created (dev_close, reconfigure): the
 * line's fds first, so they leave every epoll set before the handle.
 *
 * @param dev
 *   Port; stopped.
 */
void vmmio_intr_release(struct rte_eth_dev *dev);

/**
 * Prepare the RX queues (vmmio_rxintr_start), wire the interrupt line
 * (vmmio_irq_ops.set of the backend) and, in swring mode or for
 * LSC alone, register the demultiplexing handler with the EAL interrupt
 * thread (dev_start).
 *
 * @param dev
 *   Port being started, after DRIVER_OK (control thread).
 * @return 0; -ENOTSUP without a usable interrupt; or negative errno
 *   (allocation, callback registration, the backend's set); on failure
 *   the queues poll and a Status check alarm covers LSC.
 */
int vmmio_intr_start(struct rte_eth_dev *dev);

/**
 * Unwire the line and unregister the handler, waiting for a running one
 * unless called from inside it (dev_stop); then disarm the queues.
 *
 * @param dev
 *   Port being stopped.
 */
void vmmio_intr_stop(struct rte_eth_dev *dev);

/**
 * Handle one line event: read and acknowledge InterruptStatus, service the
 * armed RX queues, update the link and raise RTE_ETH_EVENT_INTR_LSC on a
 * configuration change. Runs on the EAL interrupt thread; exposed for tests.
 *
 * @param dev
 *   Started port whose line fired.
 */
void vmmio_intr_handle(struct rte_eth_dev *dev);

#endif /* VMMIO_INTR_H */
