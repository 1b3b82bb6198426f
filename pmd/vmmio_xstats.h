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

/** Frame size buckets (bytes, without CRC), as RFC 2819 etherStats count them. */
enum vmmio_size_bin {
	VMMIO_SIZE_64,		/**< up to 64 */
	VMMIO_SIZE_65_127,
	VMMIO_SIZE_128_255,
	VMMIO_SIZE_256_511,
	VMMIO_SIZE_512_1023,
	VMMIO_SIZE_1024_1518,
	VMMIO_SIZE_1519_MAX,	/**< jumbo and GSO super-frames */
	VMMIO_SIZE_BINS,
};

/** Bucket of a frame of @p len bytes: a compare, a count-leading-zeros, no table. */
static inline unsigned int
vmmio_size_bin(uint32_t len)
{
	if (len <= 64)
		return VMMIO_SIZE_64;
	if (len >= 1519)
		return VMMIO_SIZE_1519_MAX;
	/* 65..127 have 7 significant bits, 128..255 have 8, ... 1024..1518 11 */
	return 32 - __builtin_clz(len) - 6;
}

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
