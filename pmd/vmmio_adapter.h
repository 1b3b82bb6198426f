/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The port's private data (dev->data->dev_private), shared by every file of
 * the port layer (doc/design.md, "Layers"): the device, the limits read at
 * probe, the life-cycle flags and the interrupt line's state.
 */
#ifndef VMMIO_ADAPTER_H
#define VMMIO_ADAPTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ethdev_driver.h>

#include "vmmio_hw.h"
#include "vmmio_irqfd.h"

/** Interrupt-mode RX scheme of a port (devarg rx_intr, vmmio_rxintr.h). */
enum vmmio_rxintr_mode {
	VMMIO_RXINTR_SWRING = 0,	/**< EAL thread harvests into a software ring */
	VMMIO_RXINTR_DIRECT,		/**< the interrupt wakes the lcore itself */
};

struct vmmio_ctrl;
struct vmmio_rxq;
struct vmmio_txq;

/** Driver name on bus/vdev. */
#define VMMIO_DRIVER_NAME	"net_virtio_mmio"

/** Smallest data room per RX buffer with scattered RX (headers in one segment). */
#define VMMIO_MIN_RX_SEG	128

/** Ring size used when the application asks for 0 descriptors. */
#define VMMIO_DEFAULT_RING	256u
#define VMMIO_MIN_RING		64

/** Private data of one port (dev->data->dev_private). */
struct vmmio_adapter {
	struct vmmio_hw hw;
	char devname[64];	/**< platform device, e.g. a003e00.virtio_mmio */
	void *map_addr;		/**< mmap of the region's page(s), or NULL */
	size_t map_len;
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

/** The port's private data. */
static inline struct vmmio_adapter *
vmmio_adapter_of(const struct rte_eth_dev *dev)
{
	return dev->data->dev_private;
}

#endif /* VMMIO_ADAPTER_H */
