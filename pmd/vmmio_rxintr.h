/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Interrupt-mode RX (DPDK's rx-interrupt API: rte_eth_dev_rx_intr_enable,
 * rte_eth_dev_rx_intr_ctl_q, rte_epoll_wait): everything between "the
 * device's line fired" and "the lcore's rte_epoll_wait returned", for one
 * of two schemes, chosen per port by devarg rx_intr:
 *
 *  direct  (default) The line's eventfd is the queue's eventfd: the device
 *          interrupt wakes the lcore itself, which harvests from the device
 *          with the busy-poll burst. No thread in between, so one wake-up
 *          per interrupt instead of two. One RX queue per port (the line
 *          cannot tell queues apart and the lcore acknowledges
 *          InterruptStatus); a port with more gets swring.
 *  swring  The EAL interrupt thread services every armed queue of the port
 *          (vmmio_rxintr_service): it harvests the used ring into the
 *          queue's software ring, refills the device at once (NAPI-style
 *          batching), then writes the queue's own eventfd. Any number of
 *          queues share the line.
 *
 * This file owns the queue's interrupt state (struct vmmio_rxq_intr); the
 * line itself (VFIO wiring, the InterruptStatus demux, LSC) is vmmio_intr.c.
 */
#ifndef VMMIO_RXINTR_H
#define VMMIO_RXINTR_H

#include <stdbool.h>
#include <stdint.h>

#include <ethdev_driver.h>

#include "vmmio_adapter.h"
#include "vmmio_irqfd.h"
#include "vmmio_rxtx.h"

/** Default of devarg intr_budget: frames per queue per line event (swring). */
#define VMMIO_RXINTR_BUDGET_DEFAULT	256
/** Smallest and largest intr_budget. */
#define VMMIO_RXINTR_BUDGET_MIN		32
#define VMMIO_RXINTR_BUDGET_MAX		4096

/**
 * Build the ethdev interrupt handle for dev_conf.intr_conf.rxq (dev_configure):
 * one eventfd per RX queue (swring), or the line's fd @p line->poll for the
 * single queue (direct; EAL reads nothing from it, the lcore consumes the
 * line's events when it arms). A port with more than one RX queue gets
 * swring; one INFO line names the scheme. Control thread.
 *
 * @param dev
 *   Port being configured; nb_rx_queues is final.
 * @param[in,out] mode
 *   Scheme asked for (devarg rx_intr); on return the scheme in use.
 * @param line
 *   The line's fds (vmmio_intr.c opens them) for direct mode; closed
 *   (poll -1) forces swring.
 * @return
 *   0, or -ENOMEM (eventfd, interrupt instance).
 */
int vmmio_rxintr_configure(struct rte_eth_dev *dev, enum vmmio_rxintr_mode *mode,
	const struct vmmio_irqfd *line);

/**
 * Close the per-queue eventfds and free the handle (dev_close,
 * reconfigure). The line's eventfd (direct) is vmmio_intr.c's.
 *
 * @param dev
 *   Port; stopped.
 */
void vmmio_rxintr_release(struct rte_eth_dev *dev);

/**
 * Give each RX queue its interrupt state for this start and pick the RX
 * burst function: the busy-poll burst for ports without RX interrupts (or
 * without a wired line), else the scheme's own (dev_start, control thread).
 * Creates the software rings (swring), sized for two device rings.
 *
 * @param dev
 *   Port being started (queues set up, before the line is wired).
 * @param on
 *   The port has a line to wire (false: every queue polls).
 * @return
 *   0, or negative errno of rte_ring_create; every queue then polls.
 */
int vmmio_rxintr_start(struct rte_eth_dev *dev, bool on);

/**
 * Disarm every queue; rx_intr_enable returns -ENOTSUP until the next start
 * (dev_stop, after the line is unwired).
 *
 * @param dev
 *   Port being stopped.
 */
void vmmio_rxintr_stop(struct rte_eth_dev *dev);

/**
 * EAL-thread service of one RX queue after a used-buffer interrupt (swring):
 * harvest at most @p budget frames into the software ring, refill the
 * device, ask for the next interrupt and wake the lcore when frames wait.
 * Past the budget the lcore is woken and harvests the rest itself, so
 * sustained traffic never holds the interrupt thread. No-op for a queue
 * that is not armed or not in swring mode. Takes the queue's lock.
 *
 * @param rxq
 *   Queue of the port whose line fired.
 * @param budget
 *   Frames (packets) at most.
 * @return
 *   Frames moved to the software ring.
 */
uint16_t vmmio_rxintr_service(struct vmmio_rxq *rxq, uint16_t budget);

/**
 * Arm or disarm a queue's interrupt. Arming refills the device, notifies
 * it of every posted buffer, acknowledges InterruptStatus (direct: the
 * lcore owns the line; a configuration change then goes to the EAL thread
 * as an alarm), clears the suppression (spec 2.7.7:
 * VRING_AVAIL_F_NO_INTERRUPT, or used_event with EVENT_IDX) and then looks
 * again: a frame used before that store raises no interrupt, so the
 * queue's eventfd is written at once when one waits, or when no buffer
 * could be posted. Disarming suppresses again. swring: takes the queue's
 * lock (safe against vmmio_rxintr_service); direct: the lcore that polls
 * the queue only.
 *
 * @param rxq
 *   The queue.
 * @param on
 *   true: arm (rx_intr_enable); false: disarm.
 * @return
 *   0, or -ENOTSUP for a queue without interrupt (no line, no
 *   intr_conf.rxq, or the port is stopped).
 */
int vmmio_rxintr_arm(struct vmmio_rxq *rxq, bool on);

/**
 * eth_dev_ops.rx_queue_intr_enable (rte_eth_dev_rx_intr_enable):
 * vmmio_rxintr_arm(true).
 *
 * @return 0, or -ENOTSUP (no interrupt for this queue, port stopped).
 */
int vmmio_rx_queue_intr_enable(struct rte_eth_dev *dev, uint16_t qid);

/**
 * eth_dev_ops.rx_queue_intr_disable (rte_eth_dev_rx_intr_disable):
 * vmmio_rxintr_arm(false).
 *
 * @return 0, or -ENOTSUP (no interrupt for this queue, port stopped).
 */
int vmmio_rx_queue_intr_disable(struct rte_eth_dev *dev, uint16_t qid);

/**
 * rx_burst of a swring port: the software ring first, then the device.
 * When the application drains an armed queue the next interrupt is asked
 * for again. Same contract as vmmio_recv_pkts; the queue's lock is only
 * tried (a running service never blocks the lcore).
 *
 * @return Packets stored in @p rx_pkts.
 */
uint16_t vmmio_recv_pkts_swring(void *rxq, struct rte_mbuf **rx_pkts,
	uint16_t nb_pkts);

/**
 * rx_burst of a direct port: the busy-poll burst; an armed queue drained
 * by it acknowledges the line and asks for the next interrupt again (two
 * register accesses: disarm before polling to avoid them). Same contract
 * as vmmio_recv_pkts.
 *
 * @return Packets stored in @p rx_pkts.
 */
uint16_t vmmio_recv_pkts_direct(void *rxq, struct rte_mbuf **rx_pkts,
	uint16_t nb_pkts);

/**
 * Disarm and free the packets waiting in the software ring (queue drain
 * at stop or reset).
 *
 * @param rxq
 *   Queue of a stopped port.
 */
void vmmio_rxintr_flush(struct vmmio_rxq *rxq);

/**
 * vmmio_rxintr_flush, then free the software ring itself (queue release,
 * a scheme change at start).
 *
 * @param rxq
 *   Queue of a stopped port.
 */
void vmmio_rxintr_free(struct vmmio_rxq *rxq);

#endif /* VMMIO_RXINTR_H */
