/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the pieces of the device model (vmmio_model*.c) share and the tests
 * do not see: error records, guest memory, queue setup, the device side of
 * a virtqueue and its descriptor chains, and the queue owners' notify
 * handlers. Tests use vmmio_model.h.
 */
#ifndef VMMIO_MODEL_INTERNAL_H
#define VMMIO_MODEL_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>

#include "vmmio_model.h"

/* One guest buffer of a descriptor chain, translated. */
struct model_seg {
	uint8_t *p;
	uint32_t len;
};

/* One descriptor of a chain, either layout (AVAIL/USED bits dropped). */
struct model_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;		/* split: next descriptor */
};

static inline bool
is_legacy(const struct vmmio_model *m)
{
	return m->opts.version == VIRTIO_MMIO_VERSION_LEGACY;
}

/* Packed: ring slot and wrap counter of free-running position @p p (2.8.1). */
static inline uint32_t
pk_slot(const struct model_vq *vq, uint32_t p)
{
	return p % vq->num;
}

static inline bool
pk_wrap(const struct model_vq *vq, uint32_t p)
{
	return ((p / vq->num) & 1) == 0;
}

/* vmmio_model.c: the device */

/**
 * Record an error: count it, keep its text in m->last_error and print it.
 *
 * @param m
 *   The model.
 * @param counter
 *   The counter to increment (m->proto_errors, m->access_errors, ...).
 * @param fmt
 *   printf format of the text, then its arguments.
 */
void model_err(struct vmmio_model *m, uint32_t *counter, const char *fmt, ...)
	__rte_format_printf(3, 4);

/**
 * Guest address to model pointer.
 *
 * @param iova
 *   Guest (IO virtual) address.
 * @param len
 *   Bytes that must be reachable from @p iova.
 * @return
 *   Pointer to @p iova; NULL if @p len is 0, the range wraps, or
 *   [iova, iova + len) is not DPDK memory contiguous in virtual addresses.
 */
void *model_g2v(uint64_t iova, uint64_t len);

/**
 * Device reset (2.4): registers, queues and control-queue filters back to
 * their initial state. Counters and records are kept.
 *
 * @param m
 *   The model.
 */
void model_reset(struct vmmio_model *m);

/**
 * Set InterruptStatus bits (4.2.2); the line is InterruptStatus != 0, and
 * its rising edge is signalled on the line's eventfd (held, or kept while a
 * self-masking line is masked).
 *
 * @param m
 *   The model.
 * @param bits
 *   VIRTIO_MMIO_INT_VRING and/or VIRTIO_MMIO_INT_CONFIG.
 */
void model_raise(struct vmmio_model *m, uint32_t bits);

/* vmmio_model_vq.c: the device side of a virtqueue */

/**
 * The queue goes live (QueueReady 1 or a QueuePFN written): check and
 * translate its areas in the negotiated layout (2.7, 2.8). A protocol
 * error is recorded and the queue stays down if they are unusable.
 *
 * @param m
 *   The model.
 * @param vq
 *   One of m->vq, its num and addresses written by the driver.
 */
void model_vq_enable(struct vmmio_model *m, struct model_vq *vq);

/**
 * The queue goes down (QueueReady 0, QueuePFN 0).
 *
 * @param vq
 *   The queue.
 */
void model_vq_disable(struct model_vq *vq);

/**
 * Whether the device may use a queue now.
 *
 * @param m
 *   The model.
 * @param vq
 *   The queue.
 * @return
 *   0 if the queue is live, DRIVER_OK is set and DEVICE_NEEDS_RESET is not;
 *   -EIO otherwise.
 */
int model_vq_usable(const struct vmmio_model *m, const struct model_vq *vq);

/**
 * The @p k-th available buffer after the device's position, not consumed
 * (packed: its position and length kept for model_chain_start() and
 * model_avail_consume()). Protocol errors are recorded.
 *
 * @param m
 *   The model.
 * @param vq
 *   A live queue.
 * @param k
 *   Buffers to skip (0: the next one).
 * @param[out] head
 *   Head descriptor index (split) or buffer ID (packed).
 * @return
 *   0; -ENOSPC if fewer than k + 1 buffers are available; -EFAULT if the
 *   driver broke a ring rule (index out of range, buffer offered twice).
 */
int model_avail_peek_at(struct vmmio_model *m, struct model_vq *vq,
	uint16_t k, uint16_t *head);

/**
 * model_avail_peek_at() with @p k 0: the next available buffer.
 *
 * @return
 *   As model_avail_peek_at().
 */
int model_avail_peek(struct vmmio_model *m, struct model_vq *vq,
	uint16_t *head);

/**
 * Consume the buffer model_avail_peek() found last: the device owns it
 * until a used entry names it. Updates the device's event (EVENT_IDX).
 *
 * @param vq
 *   The queue.
 * @param head
 *   The head (split) or buffer ID (packed) that was peeked.
 */
void model_avail_consume(struct model_vq *vq, uint16_t head);

/**
 * Write one used entry (2.7.8; packed: a used descriptor, 2.8.6) at the
 * device's used position.
 *
 * @param m
 *   The model.
 * @param vq
 *   A live queue.
 * @param id
 *   Head descriptor index or buffer ID (any value: tests misbehave).
 * @param len
 *   Bytes written into the buffer.
 * @param hold
 *   True: leave it unpublished until model_used_publish().
 */
void model_used_write(struct vmmio_model *m, struct model_vq *vq, uint32_t id,
	uint32_t len, bool hold);

/**
 * Make the used entries written so far visible to the driver and send a
 * used buffer notification unless the driver suppressed it (2.7.7, 2.7.10,
 * 2.8.10).
 *
 * @param m
 *   The model.
 * @param vq
 *   A live queue.
 */
void model_used_publish(struct vmmio_model *m, struct model_vq *vq);

/**
 * Packed: mark the first @p n held used descriptors used, without a
 * notification (the rest stay held).
 *
 * @param vq
 *   A live packed queue.
 * @param n
 *   Held descriptors to mark (at most those held).
 */
void model_pk_flush(struct model_vq *vq, uint16_t n);

/* 2.7.8: publish one used entry. */
static inline void
used_put(struct vmmio_model *m, struct model_vq *vq, uint32_t id, uint32_t len)
{
	model_used_write(m, vq, id, len, false);
}

/* vmmio_model_chain.c: descriptor chains */

/**
 * Read descriptor @p it of a chain in the queue's layout.
 *
 * @param vq
 *   A live queue.
 * @param it
 *   Descriptor index (split) or free-running ring position (packed).
 * @param[out] d
 *   The descriptor; packed AVAIL/USED flags dropped.
 */
void model_chain_desc(const struct model_vq *vq, uint32_t it,
	struct model_desc *d);

/**
 * First descriptor of the chain of @p head, for model_chain_desc().
 *
 * @param vq
 *   A live queue.
 * @param head
 *   Head found by model_avail_peek() (packed: the buffer it found last).
 * @return
 *   Descriptor index or ring position.
 */
uint32_t model_chain_start(const struct model_vq *vq, uint16_t head);

/**
 * The descriptor after @p it in its chain.
 *
 * @param vq
 *   A live queue.
 * @param it
 *   The current descriptor index or ring position.
 * @param d
 *   The current descriptor, as model_chain_desc() read it.
 * @return
 *   The next index or position, or -1 if a split next is out of range.
 */
int64_t model_chain_next(const struct model_vq *vq, uint32_t it,
	const struct model_desc *d);

/**
 * Walk and translate the buffer at @p head (2.7.5; an indirect table
 * 2.7.5.3, 2.8.19) into m->segs; m->indirect tells if it was a table.
 * Protocol errors are recorded.
 *
 * @param m
 *   The model.
 * @param vq
 *   A live queue.
 * @param head
 *   Head found by model_avail_peek().
 * @param writable
 *   True for a receive buffer (device-writable), false for transmit.
 * @param[out] total
 *   Bytes of the buffer.
 * @return
 *   Segments in m->segs, or -EFAULT for a malformed buffer.
 */
int model_chain_walk(struct vmmio_model *m, struct model_vq *vq, uint16_t head,
	bool writable, uint64_t *total);

/**
 * Copy between the buffer model_chain_walk() translated and a flat buffer.
 *
 * @param m
 *   The model.
 * @param nseg
 *   Segments in m->segs.
 * @param off
 *   Byte offset in the chain.
 * @param buf
 *   The flat buffer.
 * @param len
 *   Bytes to copy (fewer if the chain ends first).
 * @param to_chain
 *   True: @p buf into the chain; false: the chain into @p buf.
 */
void model_chain_copy(struct vmmio_model *m, unsigned int nseg, uint64_t off,
	void *buf, uint64_t len, bool to_chain);

/* Queue owners, called from a QueueNotify write (vmmio_model_regs.c) */

/**
 * TX-on-notify (m->tx_on_notify): consume every available chain of
 * transmit queue @p q into m->tx_log.
 *
 * @param m
 *   The model.
 * @param q
 *   An odd queue number.
 */
void model_tx_on_notify(struct vmmio_model *m, unsigned int q);

/**
 * Take, apply and answer every available command of the control queue
 * (5.1.6.5), unless m->ctrl_silent.
 *
 * @param m
 *   The model.
 */
void model_ctrl_on_notify(struct vmmio_model *m);

#endif /* VMMIO_MODEL_INTERNAL_H */
