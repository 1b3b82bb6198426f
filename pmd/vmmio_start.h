/* SPDX-License-Identifier: BSD-3-Clause */
/* dev_start and dev_stop of a port (vmmio_start.c). */
#ifndef VMMIO_START_H
#define VMMIO_START_H

#include <ethdev_driver.h>

/**
 * eth_dev_ops.dev_start: the device initialization of virtio 1.2 3.1.1
 * (reset, ACKNOWLEDGE, DRIVER, feature negotiation with FEATURES_OK, every
 * queue pair and the control queue, RX buffers, DRIVER_OK), then the
 * control queue state a reset forgot, interrupts and the Status check.
 * Control thread.
 *
 * @param dev
 *   Port with every RX and TX queue of dev->data set up.
 * @return 0; -EIO on a failed port; -EINVAL if a queue is missing or a
 *   queue pair exceeds the device's QueueNumMax; -ENOTSUP for an offload
 *   the device no longer offers; -EPROTO if the header length changed since
 *   queue setup; -ENOMEM; or the failing step's error (Status FAILED set,
 *   one error line naming the step). Once the device may know the rings a
 *   failure resets it and takes the buffers back; if that reset does not
 *   complete the port is failed and -EIO returned.
 */
int vmmio_dev_start(struct rte_eth_dev *dev);

/**
 * eth_dev_ops.dev_stop: stop the Status check and interrupts, reset the
 * device (2.4: it gives every buffer back) and free the mbufs the rings
 * held. Control thread, or an event callback on the EAL interrupt thread.
 *
 * @param dev
 *   The port.
 * @return 0 always, so that ethdev marks the port stopped; a device that
 *   does not complete the reset leaves the port failed (one error line).
 */
int vmmio_dev_stop(struct rte_eth_dev *dev);

#endif /* VMMIO_START_H */
