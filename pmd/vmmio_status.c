/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the port learns from the device while it runs: the link
 * (VIRTIO_NET_F_STATUS, 5.1.4), the device Status (DEVICE_NEEDS_RESET, or
 * DRIVER_OK dropped, 2.1.2) and, for a port whose line does not reach the
 * EAL thread, the periodic check that stands in for the configuration
 * change interrupt.
 */
#include <errno.h>
#include <string.h>

#include <ethdev_driver.h>
#include <rte_alarm.h>

#include "vmmio_adapter.h"
#include "vmmio_log.h"
#include "vmmio_status.h"

int
vmmio_dev_link_update(struct rte_eth_dev *dev, int wait_to_complete)
{
	struct vmmio_adapter *ad = vmmio_adapter_of(dev);
	struct vmmio_hw *hw = &ad->hw;
	struct rte_eth_link link;
	uint16_t status = VIRTIO_NET_S_LINK_UP;
	uint32_t speed = RTE_ETH_SPEED_NUM_UNKNOWN;
	uint8_t duplex = 1;
	int ret = 0;

	RTE_SET_USED(wait_to_complete);
	memset(&link, 0, sizeof(link));
	/* 5.1.4: status is valid only with VIRTIO_NET_F_STATUS; else link is up. */
	if (hw->device_features & VIRTIO_BIT(VIRTIO_NET_F_STATUS))
		ret = vmmio_hw_read_config(hw, VIRTIO_NET_CFG_STATUS, &status,
			sizeof(status));
	if (ret == 0 && (hw->device_features & VIRTIO_BIT(VIRTIO_NET_F_SPEED_DUPLEX))) {
		ret = vmmio_hw_read_config(hw, VIRTIO_NET_CFG_SPEED, &speed,
			sizeof(speed));
		if (ret == 0)
			ret = vmmio_hw_read_config(hw, VIRTIO_NET_CFG_DUPLEX,
				&duplex, sizeof(duplex));
		if (speed == UINT32_MAX)
			speed = RTE_ETH_SPEED_NUM_UNKNOWN;
	}
	/* Config space never settled: keep the link ethdev last saw. */
	if (ret < 0) {
		VMMIO_LOG(WARNING, "%s: link status unreadable (%s): kept as it was",
			dev->data->name, strerror(-ret));
		return ret;
	}
	link.link_status = ad->started && !ad->needs_reset && !ad->failed &&
		(status & VIRTIO_NET_S_LINK_UP) ? RTE_ETH_LINK_UP : RTE_ETH_LINK_DOWN;
	link.link_speed = speed;
	link.link_duplex = duplex == 0 ? RTE_ETH_LINK_HALF_DUPLEX :
		RTE_ETH_LINK_FULL_DUPLEX;
	link.link_autoneg = RTE_ETH_LINK_FIXED;
	return rte_eth_linkstatus_set(dev, &link);
}

bool
vmmio_dev_check_status(struct rte_eth_dev *dev)
{
	struct vmmio_adapter *ad = vmmio_adapter_of(dev);
	uint8_t st;

	if (!ad->started || ad->needs_reset || ad->failed)
		return false;
	st = vmmio_hw_get_status(&ad->hw);
	if (!(st & VIRTIO_STATUS_DEVICE_NEEDS_RESET) &&
	    (st & VIRTIO_STATUS_DRIVER_OK))
		return false;
	ad->needs_reset = true;
	VMMIO_LOG(ERR, "%s: device %s %s (Status 0x%02x): link down until "
		"rte_eth_dev_reset() or a stop and start", dev->data->name,
		ad->devname, (st & VIRTIO_STATUS_DEVICE_NEEDS_RESET) ?
		"needs a reset" : "was reset", st);
	vmmio_dev_link_update(dev, 0);
	rte_eth_dev_callback_process(dev, RTE_ETH_EVENT_INTR_RESET, NULL);
	return true;
}

void
vmmio_dev_config_changed(struct rte_eth_dev *dev)
{
	if (vmmio_dev_check_status(dev))
		return;
	if (vmmio_dev_link_update(dev, 0) == 0 && dev->data->dev_conf.intr_conf.lsc)
		rte_eth_dev_callback_process(dev, RTE_ETH_EVENT_INTR_LSC, NULL);
}

/*
 * Status check of a started port whose interrupt line does not reach the
 * EAL thread: no line (DEVICE_NEEDS_RESET only), a line the lcore owns
 * (rx_intr=direct), or a line whose wiring failed; the link too where LSC
 * was asked for or the lcore owns the line. An EAL alarm (interrupt
 * thread), never the datapath.
 */
static void
vmmio_status_alarm(void *arg)
{
	struct rte_eth_dev *dev = arg;
	struct vmmio_adapter *ad = vmmio_adapter_of(dev);

	/* Re-armed first: the event's callbacks may stop or close the port,
	 * and stop cancels the alarm. */
	if (rte_eal_alarm_set(ad->hw.status_check_ms * 1000ULL,
	    vmmio_status_alarm, dev) != 0)
		ad->status_alarm_on = false;
	if (vmmio_irq_lcore(ad) || dev->data->dev_conf.intr_conf.lsc)
		vmmio_dev_config_changed(dev);
	else
		vmmio_dev_check_status(dev);
}

void
vmmio_status_alarm_start(struct rte_eth_dev *dev)
{
	struct vmmio_adapter *ad = vmmio_adapter_of(dev);

	if ((ad->irq_on && !vmmio_irq_lcore(ad)) || ad->hw.status_check_ms == 0)
		return;
	ad->status_alarm_on = rte_eal_alarm_set(ad->hw.status_check_ms * 1000ULL,
		vmmio_status_alarm, dev) == 0;
	if (!ad->status_alarm_on)
		VMMIO_LOG(WARNING, "%s: no Status check: a device needing reset "
			"goes unnoticed", dev->data->name);
}

void
vmmio_status_alarm_stop(struct rte_eth_dev *dev)
{
	struct vmmio_adapter *ad = vmmio_adapter_of(dev);

	if (!ad->status_alarm_on)
		return;
	/* Waits for a running check in another thread; from inside the
	 * check itself (an event callback stopping the port) it only drops
	 * the re-armed alarm. */
	rte_eal_alarm_cancel(vmmio_status_alarm, dev);
	ad->status_alarm_on = false;
}

/* One line for every op refused on a failed port. */
int
vmmio_refuse_failed(struct rte_eth_dev *dev, const char *op)
{
	struct vmmio_adapter *ad = vmmio_adapter_of(dev);

	if (!ad->failed)
		return 0;
	VMMIO_LOG(ERR, "%s: %s refused: device %s did not complete its reset "
		"(port failed; rte_eth_dev_reset() retries, or close the port)",
		dev->data->name, op, ad->devname);
	return -EIO;
}
