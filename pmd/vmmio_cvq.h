/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The control virtqueue's transport (virtio 1.2 5.1.6.5): ring, command
 * buffer, and synchronous commands with a bounded wait for the device's
 * ack. The ethdev operations built on it are vmmio_ctrl.h's.
 */
#ifndef VMMIO_CVQ_H
#define VMMIO_CVQ_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_memzone.h>

#include "vmmio_hw.h"
#include "vmmio_vq.h"

/** Default bound of the wait for the device's answer to a command (ms). */
#define VMMIO_CVQ_TIMEOUT_MS	1000
/** Descriptors of the control queue (a command takes at most 4). */
#define VMMIO_CVQ_RING		16
/** Data parts of one command (MAC_TABLE_SET: unicast and multicast tables). */
#define VMMIO_CVQ_MAX_PARTS	2

/** One device-readable piece of command data. */
struct vmmio_cvq_part {
	const void *p;		/**< data, copied into the command buffer */
	uint32_t len;		/**< bytes, > 0 */
};

/** A control virtqueue; zeroed, then vmmio_cvq_init. */
struct vmmio_cvq {
	struct vmmio_vq vq;		/**< ring memory from the first setup */
	const struct rte_memzone *buf_mz;	/**< header, data and ack */
	uint8_t *buf;
	uint64_t buf_iova;
	pthread_mutex_t lock;		/**< one command at a time; a waiter sleeps */
	bool live;			/**< queue set up and device running */
	bool broken;			/**< the device kept a command: none until restart */
	uint32_t timeout_ms;		/**< bound of the wait for an answer */
	uint64_t cmds;			/**< commands answered VIRTIO_NET_OK */
	uint64_t naks;			/**< commands answered VIRTIO_NET_ERR or garbage */
	uint64_t timeouts;		/**< commands never answered */
	uint64_t notifies;		/**< QueueNotify writes */
};

/** Initialize a zeroed @p c: its mutex, the default timeout. */
void vmmio_cvq_init(struct vmmio_cvq *c);

/**
 * Free the ring and command buffer of @p c and destroy its mutex.
 *
 * @param device_may_write
 *   The device did not complete a reset: ring and buffer are leaked, not
 *   freed.
 */
void vmmio_cvq_free(struct vmmio_cvq *c, bool device_may_write);

/**
 * Program the control queue (dev_start, after the device reset and before
 * DRIVER_OK): its ring (allocated at the first setup, VMMIO_CVQ_RING
 * descriptors or QueueNumMax rounded down to a power of two), the
 * negotiated layout, interrupts suppressed (answers are polled).
 *
 * @param hw
 *   The device, features negotiated.
 * @param idx
 *   Virtqueue number (VIRTIO_NET_CTRL_VQ, 5.1.2).
 * @param port_id
 *   Port, for memzone names.
 * @param numa_node
 *   Socket of the memory.
 * @param port
 *   Port name for logs.
 * @return 0, -ENODEV if the device has no queue @p idx, -ENOMEM, or the
 *   transport's queue setup error.
 */
int vmmio_cvq_setup(struct vmmio_cvq *c, struct vmmio_hw *hw, uint16_t idx,
	uint16_t port_id, int numa_node, const char *port);

/** The device runs (after DRIVER_OK): commands may be sent. */
void vmmio_cvq_start(struct vmmio_cvq *c);

/**
 * After the device reset (dev_stop): the device gave the queue back (2.4),
 * so the ring is reset and a command a silent device kept is forgotten;
 * no command is sent until vmmio_cvq_start.
 */
void vmmio_cvq_stop(struct vmmio_cvq *c);

/**
 * Send one command and wait, at most c->timeout_ms, for its ack (5.1.6.5).
 * Serialized by the queue's mutex (a second caller sleeps). Logs every
 * failure on pmd.net.virtio_mmio.
 *
 * @param hw
 *   The device.
 * @param port
 *   Port name for logs.
 * @param cls
 *   VIRTIO_NET_CTRL_* class.
 * @param cmd
 *   Command of that class.
 * @param parts
 *   Data parts, at most VMMIO_CVQ_MAX_PARTS.
 * @param nparts
 *   Number of @p parts.
 * @return 0 on VIRTIO_NET_OK; -EIO if the queue is not live or lost a
 *   command, on a NAK or a wrong used id; -ETIMEDOUT without an answer
 *   (the queue is then broken until restarted); -EINVAL if the data does
 *   not fit the command buffer.
 */
int vmmio_cvq_send(struct vmmio_cvq *c, struct vmmio_hw *hw, const char *port,
	uint8_t cls, uint8_t cmd, const struct vmmio_cvq_part *parts,
	unsigned int nparts);

#endif /* VMMIO_CVQ_H */
