/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <ethdev_driver.h>
#include <rte_alarm.h>
#include <rte_errno.h>
#include <rte_interrupts.h>
#include <rte_ring.h>

#include "vmmio_adapter.h"
#include "vmmio_log.h"
#include "vmmio_rxintr.h"

/* Frames per harvest step of the service (one software-ring enqueue). */
#define RXINTR_CHUNK	64

void
vmmio_rxintr_release(struct rte_eth_dev *dev)
{
	struct vmmio_adapter *ad = vmmio_adapter_of(dev);
	struct rte_intr_handle *h = ad->rxq_intr;
	int i, fd;

	if (h == NULL)
		return;
	/* direct: the one fd is the line's (vmmio_intr.c closes it) */
	for (i = 0; ad->rx_intr_mode == VMMIO_RXINTR_SWRING &&
	     i < rte_intr_nb_efd_get(h); i++) {
		fd = rte_intr_efds_index_get(h, i);
		if (fd >= 0)
			close(fd);
	}
	rte_intr_vec_list_free(h);
	rte_intr_instance_free(h);
	ad->rxq_intr = NULL;
	if (dev->intr_handle == h)
		dev->intr_handle = NULL;
}

int
vmmio_rxintr_configure(struct rte_eth_dev *dev, enum vmmio_rxintr_mode *mode_io,
	const struct vmmio_irqfd *line)
{
	enum vmmio_rxintr_mode mode = *mode_io;
	struct vmmio_adapter *ad = vmmio_adapter_of(dev);
	uint16_t nb = dev->data->nb_rx_queues, q;
	struct rte_intr_handle *h;
	int fd;

	vmmio_rxintr_release(dev);
	/* the line cannot tell queues apart: several share it through the EAL thread */
	if (mode == VMMIO_RXINTR_DIRECT && (nb != 1 || line->poll < 0))
		mode = VMMIO_RXINTR_SWRING;
	ad->rx_intr_mode = mode;
	*mode_io = mode;
	VMMIO_LOG(INFO, "%s: RX interrupts %s", dev->data->name,
		mode == VMMIO_RXINTR_DIRECT ? "direct (the line wakes the lcore)" :
		"through the EAL thread's software ring");
	h = rte_intr_instance_alloc(RTE_INTR_INSTANCE_F_PRIVATE);
	if (h == NULL)
		return -ENOMEM;
	ad->rxq_intr = h;
	/*
	 * VDEV type: EAL's epoll callback reads efd_counter_size bytes; 0
	 * for the line (direct), which the lcore consumes when it arms.
	 */
	if (rte_intr_type_set(h, RTE_INTR_HANDLE_VDEV) != 0 ||
	    rte_intr_efd_counter_size_set(h, mode == VMMIO_RXINTR_DIRECT ? 0 :
		sizeof(uint64_t)) != 0 ||
	    rte_intr_vec_list_alloc(h, "vmmio_rxq_vec", nb) != 0)
		goto fail;
	for (q = 0; q < nb; q++) {
		fd = mode == VMMIO_RXINTR_DIRECT ? line->poll :
			eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (fd < 0 || rte_intr_efds_index_set(h, q, fd) != 0 ||
		    rte_intr_vec_list_index_set(h, q, RTE_INTR_VEC_RXTX_OFFSET + q) != 0) {
			if (fd >= 0 && mode == VMMIO_RXINTR_SWRING)
				close(fd);
			goto fail;
		}
		rte_intr_nb_efd_set(h, q + 1);
	}
	rte_intr_max_intr_set(h, nb + 1);
	dev->intr_handle = h;
	return 0;
fail:
	vmmio_rxintr_release(dev);
	return -ENOMEM;
}

void
vmmio_rxintr_flush(struct vmmio_rxq *rxq)
{
	struct rte_mbuf *m;

	rxq->intr.armed = false;
	/* Harvested packets are the driver's: they go back to the pool. */
	while (rxq->intr.swr != NULL &&
	       rte_ring_sc_dequeue(rxq->intr.swr, (void **)&m) == 0)
		rte_pktmbuf_free(m);
}

void
vmmio_rxintr_free(struct vmmio_rxq *rxq)
{
	vmmio_rxintr_flush(rxq);
	rte_ring_free(rxq->intr.swr);
	rxq->intr.swr = NULL;
}

/* Back to plain polling: no eventfd, no software ring. */
static void
rxq_polling(struct vmmio_rxq *rxq)
{
	rxq->intr.efd = -1;
	rxq->intr.wfd = -1;
	rxq->intr.direct = false;
	vmmio_rxintr_free(rxq);
}

int
vmmio_rxintr_start(struct rte_eth_dev *dev, bool on)
{
	struct vmmio_adapter *ad = vmmio_adapter_of(dev);
	bool direct = ad->rx_intr_mode == VMMIO_RXINTR_DIRECT;
	char name[RTE_RING_NAMESIZE];
	struct vmmio_rxq *rxq;
	bool intr;
	uint16_t q;
	int ret = 0;

	on = on && dev->data->dev_conf.intr_conf.rxq && ad->rxq_intr != NULL;
	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		rxq = dev->data->rx_queues[q];
		if (rxq == NULL)
			continue;
		rxq->intr.armed = false;
		intr = on && q < rte_intr_nb_efd_get(ad->rxq_intr);
		/* Queues survive a reconfiguration: rings come and go here. */
		if (!intr || direct)
			rxq_polling(rxq);
		if (!intr)
			continue;
		rxq->intr.efd = rte_intr_efds_index_get(ad->rxq_intr, q);
		rxq->intr.wfd = direct ? ad->line.wake : rxq->intr.efd;
		rxq->intr.direct = direct;
		if (direct || rxq->intr.swr != NULL)
			continue;
		/* Room for two device rings: the device is refilled at once. */
		snprintf(name, sizeof(name), "vmmio_p%u_swr%u", dev->data->port_id, q);
		rxq->intr.swr = rte_ring_create(name, 2u * rxq->vq.size,
			dev->data->numa_node,
			RING_F_SP_ENQ | RING_F_SC_DEQ | RING_F_EXACT_SZ);
		if (rxq->intr.swr == NULL) {
			ret = -rte_errno;
			break;
		}
	}
	if (ret < 0) {
		on = false;
		for (q = 0; q < dev->data->nb_rx_queues; q++)
			if (dev->data->rx_queues[q] != NULL)
				rxq_polling(dev->data->rx_queues[q]);
	}
	/* Polling: the path the queues' switches ask for (the same on all). */
	rxq = dev->data->rx_queues[0];
	dev->rx_pkt_burst = on ? (direct ? vmmio_recv_pkts_direct :
		vmmio_recv_pkts_swring) : rxq != NULL ?
		vmmio_rx_burst_select(rxq->ofl, rxq->vq.packed, NULL) : vmmio_recv_pkts;
	return ret;
}

void
vmmio_rxintr_stop(struct rte_eth_dev *dev)
{
	struct vmmio_rxq *rxq;
	uint16_t q;

	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		rxq = dev->data->rx_queues[q];
		if (rxq == NULL || rxq->intr.efd < 0)
			continue;
		vmmio_rxintr_arm(rxq, false);
		/* rx_intr_enable answers -ENOTSUP until the next start */
		rxq->intr.efd = -1;
		rxq->intr.wfd = -1;
	}
}

static void
rxq_wake(struct vmmio_rxq *rxq)
{
	uint64_t one = 1;

	if (write(rxq->intr.wfd, &one, sizeof(one)) == sizeof(one))
		rxq->intr.wakeups++;
}

uint16_t
vmmio_rxintr_service(struct vmmio_rxq *rxq, uint16_t budget)
{
	struct rte_mbuf *pkts[RXINTR_CHUNK];
	uint16_t n, q, want, taken = 0, moved = 0;
	unsigned int rounds = 0;
	bool more = false;

	if (rxq->intr.swr == NULL)
		return 0;
	rte_spinlock_lock(&rxq->intr.lock);
	if (!rxq->intr.armed) {
		rte_spinlock_unlock(&rxq->intr.lock);
		return 0;
	}
	rxq->stats.interrupts++;
again:
	do {
		want = (uint16_t)RTE_MIN(RTE_DIM(pkts), (unsigned int)(budget - taken));
		n = vmmio_rxq_harvest(rxq, pkts, want, false);
		q = rte_ring_sp_enqueue_burst(rxq->intr.swr, (void **)pkts, n, NULL);
		vmmio_rxq_count(rxq, pkts, q);
		if (unlikely(q < n)) {
			/* Software ring full: these count as missed, not received. */
			rxq->intr.swr_drops += n - q;
			rte_pktmbuf_free_bulk(pkts + q, n - q);
		}
		taken += n;
		moved += q;
	} while (n == want && taken < budget);
	/* Keep the device fed while the lcore sleeps. */
	vmmio_rxq_refill(rxq, false);
	if (taken >= budget) {
		/* NAPI's budget spent: the lcore's own burst takes the rest. */
		more = vmmio_vq_has_used(&rxq->vq);
	} else if (rxq->vq.event_idx) {
		/*
		 * EVENT_IDX (2.7.7): the next interrupt comes only for an
		 * entry after used_event, so move it to what was consumed and
		 * look again: an entry used before the device saw the store
		 * raises none. Bounded; past the bound the lcore is woken.
		 */
		vmmio_vq_enable_intr(&rxq->vq);
		if (vmmio_vq_has_used(&rxq->vq)) {
			if (++rounds < 4)
				goto again;
			more = true;
		}
	}
	if (more || rte_ring_count(rxq->intr.swr) > 0)
		rxq_wake(rxq);
	rte_spinlock_unlock(&rxq->intr.lock);
	return moved;
}

/*
 * Direct mode: the lcore owns the line, so it consumes its events, unmasks
 * it and acknowledges InterruptStatus (4.2.2). A line that never masks
 * itself (VFIO) may skip the drain (@p drain false): its eventfd only
 * counts, and EAL's edge-triggered epoll wakes on every signal anyway.
 */
static void
rxq_ack_line(struct vmmio_rxq *rxq, bool drain)
{
	struct rte_eth_dev *dev = &rte_eth_devices[rxq->port_id];
	struct vmmio_adapter *ad = vmmio_adapter_of(dev);
	uint32_t isr;

	if (drain || rxq->hw->irq->unmask != NULL)
		vmmio_irqfd_drain(rxq->hw, &ad->line, dev->data->name);
	isr = vmmio_hw_ack_interrupt(rxq->hw);
	if (isr & VIRTIO_MMIO_INT_VRING)
		rxq->stats.interrupts++;
	if (likely(!(isr & VIRTIO_MMIO_INT_CONFIG)))
		return;
	/* A configuration change goes to the EAL thread (LSC, NEEDS_RESET). */
	if (ad->on_config == NULL || rte_eal_alarm_set(1, ad->on_config, dev) != 0)
		VMMIO_LOG(WARNING, "port %u: configuration change not handed to the "
			"EAL thread: only a Status check (status_check_ms) sees it",
			rxq->port_id);
}

int
vmmio_rxintr_arm(struct vmmio_rxq *rxq, bool on)
{
	struct vmmio_vq *vq = &rxq->vq;
	bool direct = rxq->intr.direct;

	if (rxq->intr.efd < 0)
		return -ENOTSUP;
	if (!direct)
		rte_spinlock_lock(&rxq->intr.lock);
	rxq->intr.armed = on;
	if (on) {
		/*
		 * Refill first: a device holding no buffer raises no interrupt.
		 * Then make sure it was told about every buffer: the stall
		 * recovery of rx_burst does not run while the lcore sleeps.
		 */
		vmmio_rxq_refill(rxq, true);
		/* Lower the line before asking again, or no new edge comes. */
		if (direct)
			rxq_ack_line(rxq, true);
		/* A frame used before this store would raise no interrupt. */
		vmmio_vq_enable_intr(vq);
		/* Nothing posted (mempool empty): polling must go on, not sleep. */
		if (vmmio_vq_has_used(vq) || vq->nb_free == vq->size ||
		    (rxq->intr.swr != NULL && rte_ring_count(rxq->intr.swr) > 0))
			rxq_wake(rxq);
	} else {
		vmmio_vq_disable_intr(vq);
	}
	if (!direct)
		rte_spinlock_unlock(&rxq->intr.lock);
	return 0;
}

int
vmmio_rx_queue_intr_enable(struct rte_eth_dev *dev, uint16_t qid)
{
	struct vmmio_rxq *rxq = dev->data->rx_queues[qid];

	if (rxq == NULL)
		return -ENOTSUP;
	return vmmio_rxintr_arm(rxq, true);
}

int
vmmio_rx_queue_intr_disable(struct rte_eth_dev *dev, uint16_t qid)
{
	struct vmmio_rxq *rxq = dev->data->rx_queues[qid];

	if (rxq == NULL)
		return -ENOTSUP;
	return vmmio_rxintr_arm(rxq, false);
}

/*
 * An application may drain an armed queue without disarming it: ask for
 * the next interrupt again (direct: after lowering the line, which nobody
 * else acknowledges), and wake the queue for entries used before the
 * device saw that.
 */
static void
rxq_rearm_drained(struct vmmio_rxq *rxq)
{
	/* per short burst while armed: no system call on a VFIO line */
	if (rxq->intr.direct)
		rxq_ack_line(rxq, false);
	vmmio_vq_enable_intr(&rxq->vq);
	if (vmmio_vq_has_used(&rxq->vq))
		rxq_wake(rxq);
}

uint16_t
vmmio_recv_pkts_swring(void *queue, struct rte_mbuf **rx_pkts, uint16_t nb_pkts)
{
	struct vmmio_rxq *rxq = queue;
	struct rte_ring *swr = rxq->intr.swr;
	uint16_t n;

	/* Older packets wait in the software ring. */
	if (!rte_spinlock_trylock(&rxq->intr.lock))
		return rte_ring_sc_dequeue_burst(swr, (void **)rx_pkts, nb_pkts, NULL);
	n = rte_ring_sc_dequeue_burst(swr, (void **)rx_pkts, nb_pkts, NULL);
	if (n < nb_pkts) {
		/* The software ring is empty: newer packets come from the ring. */
		n += vmmio_rxq_harvest(rxq, rx_pkts + n, nb_pkts - n, true);
		if (rxq->intr.armed)
			rxq_rearm_drained(rxq);
	}
	rte_spinlock_unlock(&rxq->intr.lock);
	return n;
}

uint16_t
vmmio_recv_pkts_direct(void *queue, struct rte_mbuf **rx_pkts, uint16_t nb_pkts)
{
	struct vmmio_rxq *rxq = queue;
	uint16_t n;

	n = vmmio_rxq_harvest(rxq, rx_pkts, nb_pkts, true);
	if (unlikely(rxq->intr.armed) && n < nb_pkts)
		rxq_rearm_drained(rxq);
	return n;
}
