/* SPDX-License-Identifier: BSD-3-Clause */
/* ethdev glue: the port's private data and the constructor used by probe and tests. */
#ifndef VMMIO_ETHDEV_H
#define VMMIO_ETHDEV_H

#include <stdbool.h>
#include <stdint.h>

#include <ethdev_driver.h>
#include <rte_ether.h>

#include "vmmio_hw.h"
#include "vmmio_irqfd.h"
#include "vmmio_rxintr.h"

struct vmmio_ctrl;
struct vmmio_rxq;
struct vmmio_txq;

/** Driver name on bus/vdev. */
#define VMMIO_DRIVER_NAME	"net_virtio_mmio"

/** virtio-net queue numbers of the single queue pair (spec 5.1.2). */
#define VMMIO_RXQ_INDEX		0
#define VMMIO_TXQ_INDEX		1

/** Smallest data room per RX buffer with scattered RX (headers in one segment). */
#define VMMIO_MIN_RX_SEG	128

/** Ring size used when the application asks for 0 descriptors. */
#define VMMIO_DEFAULT_RING	256
#define VMMIO_MIN_RING		64

/**
 * Features this driver always accepts when offered (spec names, 5.1.3 and
 * 6). VIRTIO_F_ACCESS_PLATFORM (6.1: SHOULD accept): every address the
 * driver gives the device is already a DMA address (an IOVA). The offload
 * bits are added per configuration (vmmio_offload_features).
 * MRG_RXBUF fixes the header length (12 bytes, also on legacy devices) at
 * probe, before the application configures anything.
 * VIRTIO_F_RING_PACKED (2.8): packed virtqueues whenever a modern device
 * offers them (devarg packed=0 refuses).
 */
#define VMMIO_SUPPORTED_FEATURES ( \
	VIRTIO_BIT(VIRTIO_F_VERSION_1) | \
	VIRTIO_BIT(VIRTIO_F_ACCESS_PLATFORM) | \
	VIRTIO_BIT(VIRTIO_F_ANY_LAYOUT) | \
	VIRTIO_BIT(VIRTIO_F_RING_PACKED) | \
	VIRTIO_BIT(VIRTIO_NET_F_MRG_RXBUF) | \
	VIRTIO_BIT(VIRTIO_NET_F_MAC) | \
	VIRTIO_BIT(VIRTIO_NET_F_STATUS) | \
	VIRTIO_BIT(VIRTIO_NET_F_MTU) | \
	VIRTIO_BIT(VIRTIO_NET_F_SPEED_DUPLEX))

/** Private data of one port (dev->data->dev_private). */
struct vmmio_adapter {
	struct vmmio_hw hw;
	char devname[64];	/**< platform device, e.g. a003e00.virtio_mmio */
	void *map_addr;		/**< mmap of the region's page(s), or NULL */
	size_t map_len;
	bool vfio_owned;	/**< release through rte_vfio on close */
	uint16_t max_mtu;	/**< from config space with VIRTIO_NET_F_MTU */
	uint16_t rxq_max;	/**< QueueNumMax of the receive queue */
	uint16_t txq_max;
	uint16_t max_pairs;	/**< max_virtqueue_pairs with MQ (5.1.4), else 1 */
	uint16_t dev_pairs;	/**< max_virtqueue_pairs as the device reports it (MQ) */
	struct vmmio_ctrl *ctrl;	/**< control queue and filter state (vmmio_ctrl.h) */
	bool started;
	/**
	 * The device did not complete a reset: it may still own the posted
	 * buffers and rings, so they are never freed (leaked) and every op
	 * but stop, close, reset and the getters returns -EIO.
	 * rte_eth_dev_reset() retries the reset.
	 */
	bool failed;
	/** Queues released while failed, freed once a reset completes. */
	struct vmmio_rxq *kept_rxq;
	struct vmmio_txq *kept_txq;
	/** DEVICE_NEEDS_RESET seen (2.1.2) and RTE_ETH_EVENT_INTR_RESET raised. */
	bool needs_reset;
	bool status_alarm_on;	/**< Status check alarm armed (no interrupt line) */
	/** packet_type on RX (default; rte_eth_dev_set_ptypes(0) clears, next start) */
	bool ptype_parse;
	bool finish_logged;	/**< the software checksum completion was logged */
	/* Interrupts: one line for all queues and config changes (4.2.3.4), hw.irq. */
	struct rte_intr_handle *irq_handle;	/**< EAL thread's callback on @c eal_line */
	struct vmmio_irqfd eal_line;	/**< the line's fds served by the EAL thread */
	struct rte_intr_handle *rxq_intr;	/**< per-queue eventfds for ethdev */
	enum vmmio_rxintr_mode rx_intr_mode;	/**< scheme in use (vmmio_rxintr.h) */
	/** direct mode: the line's fds (the lcore's), from configure to close, else closed */
	struct vmmio_irqfd line;
	/**
	 * direct mode: EAL alarm (argument: the rte_eth_dev) for a
	 * configuration change the lcore acknowledged (vmmio_intr.c's)
	 */
	void (*on_config)(void *arg);
	bool irq_on;		/**< line wired (and callback registered unless direct) */
	uint64_t interrupts;	/**< line events handled */
	uint64_t config_changes;	/**< InterruptStatus bit 1 seen */
	/** Undo the backend setup (VFIO release, munmap) at close; may be NULL. */
	void (*release)(struct vmmio_adapter *ad);
};

/**
 * The port's line is wired to the lcore (direct RX interrupts: the line's
 * fd is the queue's), so no EAL callback serves it.
 */
static inline bool
vmmio_irq_lcore(const struct vmmio_adapter *ad)
{
	return ad->irq_on && ad->line.line >= 0;
}

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
 * Read the link from config space (VIRTIO_NET_F_STATUS, spec 5.1.4) and store
 * it in ethdev (eth_dev_ops.link_update).
 *
 * @return 0 if the link changed, -1 if not (rte_eth_linkstatus_set).
 */
int vmmio_dev_link_update(struct rte_eth_dev *dev, int wait_to_complete);

/**
 * Look at the device's Status while the port runs (spec 2.1.2): when the
 * device sets DEVICE_NEEDS_RESET or drops DRIVER_OK (it reset itself), mark
 * the port, report the link down and raise RTE_ETH_EVENT_INTR_RESET once.
 * Runs in the EAL interrupt thread (configuration change interrupt, or the
 * periodic check of a port without interrupt line). The event's callbacks
 * may stop or close the port: the caller must not touch it afterwards.
 *
 * @return true if the event was raised.
 */
bool vmmio_dev_check_status(struct rte_eth_dev *dev);

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
