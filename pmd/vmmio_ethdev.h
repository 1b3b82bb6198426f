/* SPDX-License-Identifier: BSD-3-Clause */
/* ethdev glue: the port's private data and the constructor used by probe and tests. */
#ifndef VMMIO_ETHDEV_H
#define VMMIO_ETHDEV_H

#include <stdbool.h>
#include <stdint.h>

#include <ethdev_driver.h>
#include <rte_ether.h>

#include "vmmio_adapter.h"

/**
 * Create an ethdev port on an identified virtio-mmio device.
 *
 * Reads the device features and configuration (MAC, MTU), leaves the device
 * reset and registers the port with ethdev (rte_eth_dev_probing_finish).
 * Used by the vdev probe after VFIO setup and by host unit tests on the
 * software device model.
 *
 * @param name
 *   Port name (the vdev name).
 * @param hw
 *   Device with register backend set; copied into the port.
 * @param devname
 *   Platform device name for logs, or NULL.
 * @param device
 *   Generic device the port belongs to (the vdev's rte_device).
 * @param numa_node
 *   Socket for the port's memory.
 * @param[out] port_id
 *   Port created.
 * @return
 *   0; -ENODEV/-ENOTSUP if the device is not a supported virtio-net; -ENOMEM;
 *   -EIO if the device fails a step. On failure the device is left with
 *   Status FAILED and nothing is allocated.
 */
int vmmio_ethdev_create(const char *name, const struct vmmio_hw *hw,
	const char *devname, struct rte_device *device, int numa_node,
	uint16_t *port_id);

/**
 * Give a port its interrupt line: RX interrupts and, when the device offers
 * VIRTIO_NET_F_STATUS, link status interrupts (RTE_ETH_DEV_INTR_LSC) become
 * available. Call after vmmio_ethdev_create, before dev_configure.
 *
 * @param port_id
 *   Port created by vmmio_ethdev_create.
 * @param ops
 *   The backend's interrupt line (vmmio_hw.irq); NULL: none, the port polls.
 */
void vmmio_ethdev_set_irq(uint16_t port_id, const struct vmmio_irq_ops *ops);

/**
 * Port of this driver already using platform device @p devname.
 *
 * @return The port id, or -1 if no port uses it.
 */
int vmmio_ethdev_find(const char *devname);

/**
 * Destroy a port created by vmmio_ethdev_create: a started port is stopped
 * first (the device reset before its memory goes), then closed (bus remove,
 * rte_dev_remove() and rte_eal_cleanup() take this path).
 *
 * @return 0; -ENODEV if @p name is not a port of this driver; -EIO if the
 *   device did not complete its reset (its buffers were leaked, see
 *   vmmio_adapter.failed); the port is released in every case but -ENODEV.
 */
int vmmio_ethdev_destroy(const char *name);

#endif /* VMMIO_ETHDEV_H */
