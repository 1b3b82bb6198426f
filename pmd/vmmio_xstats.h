/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Extended statistics of the port, DPDK style names. ethdev itself adds the
 * generic ones and, with RTE_ETH_DEV_AUTOFILL_QUEUE_XSTATS, rx_qN_packets,
 * rx_qN_bytes, rx_qN_errors, tx_qN_packets and tx_qN_bytes; this driver adds
 * per queue: size buckets (rx_qN_size_64_packets ... rx_qN_size_1519_max_packets),
 * tx_qN_errors, QueueNotify writes (rx_qN_notifications), interrupts
 * (rx_qN_interrupts), software-ring drops (rx_qN_swring_drops), wakeups
 * the driver wrote to the queue's eventfd (rx_qN_intr_wakeups: every one
 * in swring mode, only the re-arm checks' in direct mode, where the device
 * wakes the lcore itself), mbuf allocation failures
 * (rx_qN_mbuf_allocation_errors), and per port the line events the EAL
 * thread handled (interrupts, config_change_interrupts).
 */
#ifndef VMMIO_XSTATS_H
#define VMMIO_XSTATS_H

#include <stdint.h>

#include <ethdev_driver.h>

#include "vmmio_rxtx.h"

/**
 * eth_dev_ops.xstats_get_names: the driver's names, in the order of
 * vmmio_xstats_get(). Control thread.
 *
 * @param names
 *   Array of @p size entries, or NULL to ask for the count.
 * @return
 *   Number of driver xstats (more than @p size: nothing written).
 */
int vmmio_xstats_get_names(struct rte_eth_dev *dev,
	struct rte_eth_xstat_name *names, unsigned int size);

/**
 * eth_dev_ops.xstats_get: the driver's values, read without stopping the
 * datapath (each 64-bit counter is read whole on 64-bit CPUs; a value may be
 * one burst old). Control thread.
 *
 * @param xs
 *   Array of @p n entries, or NULL to ask for the count.
 * @return
 *   Number of driver xstats (more than @p n: nothing written).
 */
int vmmio_xstats_get(struct rte_eth_dev *dev, struct rte_eth_xstat *xs,
	unsigned int n);

#endif /* VMMIO_XSTATS_H */
