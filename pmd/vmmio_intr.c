/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <ethdev_driver.h>
#include <rte_errno.h>
#include <rte_interrupts.h>
#include <rte_ring.h>

#include "vmmio_ethdev.h"
#include "vmmio_intr.h"
#include "vmmio_log.h"
#include "vmmio_rxtx.h"

void
vmmio_intr_release(struct rte_eth_dev *dev)
{
	struct vmmio_adapter *ad = dev->data->dev_private;
	struct rte_intr_handle *h = ad->rxq_intr;
	int i, fd;

	if (h == NULL)
		return;
	for (i = 0; i < rte_intr_nb_efd_get(h); i++) {
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
vmmio_intr_configure(struct rte_eth_dev *dev)
{
	struct vmmio_adapter *ad = dev->data->dev_private;
	uint16_t nb = dev->data->nb_rx_queues, q;
	struct rte_intr_handle *h;
	int fd;

	vmmio_intr_release(dev);
	if (!dev->data->dev_conf.intr_conf.rxq)
		return 0;
	if (ad->irq_set == NULL) {
		VMMIO_LOG(NOTICE, "%s: device has no usable interrupt: RX queues are polled "
			"and rx_intr_enable returns -ENOTSUP", dev->data->name);
		return -ENOTSUP;
	}
	h = rte_intr_instance_alloc(RTE_INTR_INSTANCE_F_PRIVATE);
	if (h == NULL)
		return -ENOMEM;
	ad->rxq_intr = h;
	/* VDEV type: EAL's epoll callback reads efd_counter_size bytes. */
	if (rte_intr_type_set(h, RTE_INTR_HANDLE_VDEV) != 0 ||
	    rte_intr_efd_counter_size_set(h, sizeof(uint64_t)) != 0 ||
	    rte_intr_vec_list_alloc(h, "vmmio_rxq_vec", nb) != 0)
		goto fail;
	for (q = 0; q < nb; q++) {
		fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (fd < 0 || rte_intr_efds_index_set(h, q, fd) != 0 ||
		    rte_intr_vec_list_index_set(h, q, RTE_INTR_VEC_RXTX_OFFSET + q) != 0) {
			if (fd >= 0)
				close(fd);
			goto fail;
		}
		rte_intr_nb_efd_set(h, q + 1);
	}
	rte_intr_max_intr_set(h, nb + 1);
	dev->intr_handle = h;
	return 0;
fail:
	vmmio_intr_release(dev);
	return -ENOMEM;
}

void
vmmio_intr_handle(struct rte_eth_dev *dev)
{
	struct vmmio_adapter *ad = dev->data->dev_private;
	struct vmmio_rxq *rxq;
	uint32_t isr;
	uint16_t q;

	/* Read and ack, or the line stays high and no new edge is sent. */
	isr = vmmio_hw_ack_interrupt(&ad->hw);
	ad->interrupts++;
	/* One line for all queues: service every armed one. */
	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		rxq = dev->data->rx_queues[q];
		if (rxq != NULL && rxq->swr != NULL)
			vmmio_rxq_intr_service(rxq);
	}
	/*
	 * Configuration change (4.2.2 InterruptStatus bit 1): link status, or
	 * DEVICE_NEEDS_RESET (2.1.2). Events go last: their callbacks may
	 * stop or close the port, after which nothing here may touch it.
	 */
	if (isr & VIRTIO_MMIO_INT_CONFIG) {
		ad->config_changes++;
		if (vmmio_dev_check_status(dev))
			return;
		if (vmmio_dev_link_update(dev, 0) == 0 &&
		    dev->data->dev_conf.intr_conf.lsc)
			rte_eth_dev_callback_process(dev, RTE_ETH_EVENT_INTR_LSC, NULL);
	}
}

static void
vmmio_intr_callback(void *arg)
{
	struct rte_eth_dev *dev = arg;
	struct vmmio_adapter *ad = dev->data->dev_private;
	uint64_t cnt;

	/* EXT handles are not read by EAL: clear the eventfd here. */
	if (read(rte_intr_fd_get(ad->irq_handle), &cnt, sizeof(cnt)) < 0 &&
	    errno != EAGAIN)
		VMMIO_LOG(ERR, "%s: reading the interrupt eventfd failed: %s",
			dev->data->name, strerror(errno));
	vmmio_intr_handle(dev);
}

/* EAL calls this once a callback unregistered from inside itself has returned. */
static void
irq_fd_close(struct rte_intr_handle *h, void *arg)
{
	RTE_SET_USED(arg);
	close(rte_intr_fd_get(h));
}

static void
irq_handle_free(struct vmmio_adapter *ad)
{
	int fd;

	if (ad->irq_handle == NULL)
		return;
	fd = rte_intr_fd_get(ad->irq_handle);
	if (fd >= 0)
		close(fd);
	rte_intr_instance_free(ad->irq_handle);
	ad->irq_handle = NULL;
}

/*
 * Give each RX queue its software ring and eventfd when RX interrupts are
 * configured, or take the ring away (fast polling path) when they are not.
 * Queues survive a reconfiguration, so this runs at every start.
 */
static int
rxqs_prepare(struct rte_eth_dev *dev, bool want)
{
	struct vmmio_adapter *ad = dev->data->dev_private;
	char name[RTE_RING_NAMESIZE];
	struct vmmio_rxq *rxq;
	uint16_t q;

	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		rxq = dev->data->rx_queues[q];
		if (rxq == NULL)
			continue;
		rxq->armed = false;
		rxq->efd = want && ad->rxq_intr != NULL &&
			q < rte_intr_nb_efd_get(ad->rxq_intr) ?
			rte_intr_efds_index_get(ad->rxq_intr, q) : -1;
		if (!want || rxq->efd < 0) {
			rte_ring_free(rxq->swr);
			rxq->swr = NULL;
			continue;
		}
		if (rxq->swr != NULL)
			continue;
		/* Room for two device rings: the device is refilled at once. */
		snprintf(name, sizeof(name), "vmmio_p%u_swr%u", dev->data->port_id, q);
		rxq->swr = rte_ring_create(name, 2u * rxq->vq.size,
			dev->data->numa_node,
			RING_F_SP_ENQ | RING_F_SC_DEQ | RING_F_EXACT_SZ);
		if (rxq->swr == NULL) {
			rxq->efd = -1;
			return -rte_errno;
		}
	}
	return 0;
}

int
vmmio_intr_start(struct rte_eth_dev *dev)
{
	struct vmmio_adapter *ad = dev->data->dev_private;
	struct rte_eth_intr_conf *ic = &dev->data->dev_conf.intr_conf;
	uint64_t one = 1;
	int fd, ret;

	if (ad->irq_on)
		return 0;
	ret = rxqs_prepare(dev, ic->rxq && ad->irq_set != NULL);
	if (ret < 0 || (!ic->rxq && !ic->lsc))
		return ret;
	if (ad->irq_set == NULL)
		return -ENOTSUP;
	ad->irq_handle = rte_intr_instance_alloc(RTE_INTR_INSTANCE_F_PRIVATE);
	fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (ad->irq_handle == NULL || fd < 0) {
		if (fd >= 0)
			close(fd);
		irq_handle_free(ad);
		return -ENOMEM;
	}
	rte_intr_type_set(ad->irq_handle, RTE_INTR_HANDLE_EXT);
	rte_intr_fd_set(ad->irq_handle, fd);
	ret = rte_intr_callback_register(ad->irq_handle, vmmio_intr_callback, dev);
	if (ret < 0) {
		irq_handle_free(ad);
		return ret;
	}
	ret = ad->irq_set(ad, fd);
	if (ret < 0) {
		rte_intr_callback_unregister_sync(ad->irq_handle, vmmio_intr_callback, dev);
		irq_handle_free(ad);
		return ret;
	}
	ad->irq_on = true;
	/* Status raised before the line was wired gave no edge: look once. */
	if (write(fd, &one, sizeof(one)) != sizeof(one))
		VMMIO_LOG(DEBUG, "%s: initial interrupt kick failed", dev->data->name);
	return 0;
}

void
vmmio_intr_stop(struct rte_eth_dev *dev)
{
	struct vmmio_adapter *ad = dev->data->dev_private;
	struct vmmio_rxq *rxq;
	uint16_t q;
	int ret;

	if (!ad->irq_on)
		return;
	ad->irq_set(ad, -1);
	if (!rte_thread_is_intr()) {
		/* Waits for a running callback: no queue is touched after this. */
		rte_intr_callback_unregister_sync(ad->irq_handle,
			vmmio_intr_callback, dev);
		irq_handle_free(ad);
	} else {
		/*
		 * In the interrupt thread (an event callback stopping the port):
		 * waiting for our own callback would never end. Not running:
		 * gone now. Running (we are inside it): EAL drops it when it
		 * returns and closes the eventfd then (irq_fd_close); the
		 * handler touches nothing after the event callbacks.
		 */
		ret = rte_intr_callback_unregister(ad->irq_handle,
			vmmio_intr_callback, dev);
		if (ret == -EAGAIN) {
			ret = rte_intr_callback_unregister_pending(ad->irq_handle,
				vmmio_intr_callback, dev, irq_fd_close);
			if (ret < 0)
				VMMIO_LOG(ERR, "%s: interrupt callback not unregistered: %s",
					dev->data->name, strerror(-ret));
			/* the eventfd stays open until EAL is done with it */
			rte_intr_instance_free(ad->irq_handle);
			ad->irq_handle = NULL;
		} else {
			irq_handle_free(ad);
		}
	}
	ad->irq_on = false;
	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		rxq = dev->data->rx_queues[q];
		if (rxq != NULL && rxq->swr != NULL)
			vmmio_rxq_intr_arm(rxq, false);
	}
}

int
vmmio_rx_queue_intr_enable(struct rte_eth_dev *dev, uint16_t qid)
{
	struct vmmio_adapter *ad = dev->data->dev_private;
	struct vmmio_rxq *rxq = dev->data->rx_queues[qid];

	if (!ad->irq_on || rxq == NULL || rxq->swr == NULL)
		return -ENOTSUP;
	vmmio_rxq_intr_arm(rxq, true);
	return 0;
}

int
vmmio_rx_queue_intr_disable(struct rte_eth_dev *dev, uint16_t qid)
{
	struct vmmio_adapter *ad = dev->data->dev_private;
	struct vmmio_rxq *rxq = dev->data->rx_queues[qid];

	if (!ad->irq_on || rxq == NULL || rxq->swr == NULL)
		return -ENOTSUP;
	vmmio_rxq_intr_arm(rxq, false);
	return 0;
}
