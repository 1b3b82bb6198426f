/* SPDX-License-Identifier: BSD-3-Clause */
/* The one QueueNotify sequence of every virtqueue: receive, transmit, control. */
#ifndef VMMIO_NOTIFY_H
#define VMMIO_NOTIFY_H

#include <stdint.h>

#include "vmmio_hw.h"
#include "vmmio_vq.h"

/**
 * Tell the device that queue @p vq has new available buffers: write its
 * index to QueueNotify (virtio 1.2 4.2.2, 4.2.3.3), record that everything
 * published so far was notified (the suppression and stall logic of
 * vmmio_vq.h) and count the write.
 *
 * @param hw
 *   The device.
 * @param vq
 *   The virtqueue; its owner thread only.
 * @param notifies
 *   Counter of QueueNotify writes (an xstat), incremented by one.
 */
static inline void
vmmio_notify(struct vmmio_hw *hw, struct vmmio_vq *vq, uint64_t *notifies)
{
	vmmio_hw_notify(hw, vq->index);
	vmmio_vq_notified(vq);
	(*notifies)++;
}

#endif /* VMMIO_NOTIFY_H */
