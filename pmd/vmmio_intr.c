/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <ethdev_driver.h>
#include <rte_alarm.h>
#include <rte_interrupts.h>

#include "vmmio_adapter.h"
#include "vmmio_intr.h"
#include "vmmio_log.h"
#include "vmmio_rxintr.h"
#include "vmmio_status.h"

void
vmmio_intr_release(struct rte_eth_dev *dev)
{
	struct vmmio_adapter *ad = vmmio_adapter_of(dev);

	/* The fds first: they leave every epoll set before the handle holding
	 * their events goes. */
	vmmio_irqfd_close(&ad->line);
	vmmio_rxintr_release(dev);
}

int
vmmio_intr_configure(struct rte_eth_dev *dev)
{
	struct vmmio_adapter *ad = vmmio_adapter_of(dev);
	enum vmmio_rxintr_mode mode = ad->hw.rx_intr_swring ?
		VMMIO_RXINTR_SWRING : VMMIO_RXINTR_DIRECT;
	int ret;

	vmmio_intr_release(dev);
	if (!dev->data->dev_conf.intr_conf.rxq)
		return 0;
	if (ad->hw.irq == NULL) {
		VMMIO_LOG(NOTICE, "%s: device has no usable interrupt: RX queues are polled "
			"and rx_intr_enable returns -ENOTSUP", dev->data->name);
		return -ENOTSUP;
	}
	/* direct: the application's epoll holds the line's fd from now on */
	if (mode == VMMIO_RXINTR_DIRECT) {
		ret = vmmio_irqfd_open(&ad->hw, &ad->line);
		if (ret < 0)
			return ret;
	}
	ret = vmmio_rxintr_configure(dev, &mode, &ad->line);
	if (ret < 0) {
		vmmio_intr_release(dev);
		return ret;
	}
	if (mode != VMMIO_RXINTR_DIRECT)
		vmmio_irqfd_close(&ad->line);
	return 0;
}

/* Direct mode: a configuration change the lcore acknowledged (EAL alarm). */
static void
intr_config_alarm(void *arg)
{
	struct rte_eth_dev *dev = arg;
	struct vmmio_adapter *ad = vmmio_adapter_of(dev);

	ad->config_changes++;
	vmmio_dev_config_changed(dev);
}

void
vmmio_intr_handle(struct rte_eth_dev *dev)
{
	struct vmmio_adapter *ad = vmmio_adapter_of(dev);
	struct vmmio_rxq *rxq;
	uint32_t isr;
	uint16_t q;

	/* Read and ack, or the line stays high and no new edge is sent. */
	isr = vmmio_hw_ack_interrupt(&ad->hw);
	ad->interrupts++;
	/* One line for all queues: service every armed one, each on a budget. */
	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		rxq = dev->data->rx_queues[q];
		if (rxq != NULL)
			vmmio_rxintr_service(rxq, ad->hw.intr_budget);
	}
	/*
	 * Configuration change (4.2.2 InterruptStatus bit 1): link status, or
	 * DEVICE_NEEDS_RESET (2.1.2). Events go last: their callbacks may
	 * stop or close the port, after which nothing here may touch it.
	 */
	if (isr & VIRTIO_MMIO_INT_CONFIG) {
		ad->config_changes++;
		vmmio_dev_config_changed(dev);
	}
}

static void
vmmio_intr_callback(void *arg)
{
	struct rte_eth_dev *dev = arg;
	struct vmmio_adapter *ad = vmmio_adapter_of(dev);

	/* EXT handles are not read by EAL: consume the event and unmask here. */
	vmmio_irqfd_drain(&ad->hw, &ad->eal_line, dev->data->name);
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
	vmmio_irqfd_close(&ad->eal_line);
	rte_intr_instance_free(ad->irq_handle);
	ad->irq_handle = NULL;
}

/* swring mode, or LSC alone: the EAL interrupt thread serves the line. */
static int
line_to_eal(struct rte_eth_dev *dev)
{
	struct vmmio_adapter *ad = vmmio_adapter_of(dev);
	int ret;

	ad->irq_handle = rte_intr_instance_alloc(RTE_INTR_INSTANCE_F_PRIVATE);
	if (ad->irq_handle == NULL)
		return -ENOMEM;
	ret = vmmio_irqfd_open(&ad->hw, &ad->eal_line);
	if (ret < 0) {
		irq_handle_free(ad);
		return ret;
	}
	if (rte_intr_type_set(ad->irq_handle, RTE_INTR_HANDLE_EXT) != 0 ||
	    rte_intr_fd_set(ad->irq_handle, ad->eal_line.poll) != 0) {
		irq_handle_free(ad);
		return -EINVAL;
	}
	ret = rte_intr_callback_register(ad->irq_handle, vmmio_intr_callback, dev);
	if (ret < 0) {
		irq_handle_free(ad);
		return ret;
	}
	ret = ad->hw.irq->set(&ad->hw, ad->eal_line.line);
	if (ret < 0) {
		rte_intr_callback_unregister_sync(ad->irq_handle, vmmio_intr_callback, dev);
		irq_handle_free(ad);
		return ret;
	}
	ad->irq_on = true;
	/* Status raised before the line was wired gave no edge: look once. */
	if (!vmmio_irqfd_kick(&ad->eal_line))
		VMMIO_LOG(DEBUG, "%s: initial interrupt kick failed", dev->data->name);
	return 0;
}

/*
 * direct mode: the line wakes the lcore; its first arming lowers a line
 * raised before, and configuration changes come through intr_config_alarm
 * and the periodic Status check.
 */
static int
line_to_lcore(struct rte_eth_dev *dev)
{
	struct vmmio_adapter *ad = vmmio_adapter_of(dev);
	int ret;

	ret = ad->hw.irq->set(&ad->hw, ad->line.line);
	if (ret < 0)
		return ret;
	ad->irq_on = true;
	return 0;
}

int
vmmio_intr_start(struct rte_eth_dev *dev)
{
	struct vmmio_adapter *ad = vmmio_adapter_of(dev);
	struct rte_eth_intr_conf *ic = &dev->data->dev_conf.intr_conf;
	int ret;

	if (ad->irq_on)
		return 0;
	/* direct queues hand configuration changes back through this */
	ad->on_config = intr_config_alarm;
	ret = vmmio_rxintr_start(dev, ad->hw.irq != NULL);
	if (ret < 0 || (!ic->rxq && !ic->lsc))
		return ret;
	if (ad->hw.irq == NULL)
		return -ENOTSUP;
	ret = ad->line.line >= 0 ? line_to_lcore(dev) : line_to_eal(dev);
	if (ret < 0)
		vmmio_rxintr_start(dev, false);	/* the queues poll */
	return ret;
}

void
vmmio_intr_stop(struct rte_eth_dev *dev)
{
	struct vmmio_adapter *ad = vmmio_adapter_of(dev);
	int ret;

	if (!ad->irq_on)
		return;
	if (vmmio_irq_lcore(ad)) {
		ad->hw.irq->set(&ad->hw, -1);
		/* from the alarm itself (a callback stopping the port) it is not waited for */
		rte_eal_alarm_cancel(intr_config_alarm, dev);
	} else if (!rte_thread_is_intr()) {
		/* Waits for a running callback: no queue is touched after this. */
		rte_intr_callback_unregister_sync(ad->irq_handle,
			vmmio_intr_callback, dev);
		/* only now: a running callback would unmask a UIO line again */
		ad->hw.irq->set(&ad->hw, -1);
		irq_handle_free(ad);
	} else {
		ad->hw.irq->set(&ad->hw, -1);
		/*
		 * In the interrupt thread (an event callback stopping the port):
		 * waiting for our own callback would never end. Not running:
		 * gone now. Running (we are inside it): EAL drops it when it
		 * returns and closes the fd it waits on then (irq_fd_close); the
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
			/*
			 * The fd EAL waits on stays open until EAL is done
			 * with it; the rest of an epoll set goes now.
			 */
			if (ad->eal_line.poll != ad->eal_line.line) {
				ad->eal_line.poll = -1;
				vmmio_irqfd_close(&ad->eal_line);
			}
			ad->eal_line = VMMIO_IRQFD_CLOSED;
			rte_intr_instance_free(ad->irq_handle);
			ad->irq_handle = NULL;
		} else {
			irq_handle_free(ad);
		}
	}
	ad->irq_on = false;
	vmmio_rxintr_stop(dev);
}
