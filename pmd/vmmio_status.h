/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Link and device Status of a running port: the link from config space
 * (5.1.4), DEVICE_NEEDS_RESET (2.1.2), and the periodic Status check of a
 * port whose interrupt line does not reach the EAL thread.
 */
#ifndef VMMIO_STATUS_H
#define VMMIO_STATUS_H

#include <stdbool.h>

#include <ethdev_driver.h>

/**
 * Read the link from config space (VIRTIO_NET_F_STATUS, spec 5.1.4) and store
 * it in ethdev (eth_dev_ops.link_update). The link is up only while the
 * port runs and the device needs no reset.
 *
 * @param dev
 *   The port; control thread or EAL interrupt thread.
 * @param wait_to_complete
 *   Ignored: config space is read at once.
 * @return 0 if the link changed, -1 if not (rte_eth_linkstatus_set), or
 *   a negative errno if config space never settled (link kept).
 */
int vmmio_dev_link_update(struct rte_eth_dev *dev, int wait_to_complete);

/**
 * Look at the device's Status while the port runs (spec 2.1.2): when the
 * device sets DEVICE_NEEDS_RESET or drops DRIVER_OK (it reset itself), mark
 * the port, report the link down and raise RTE_ETH_EVENT_INTR_RESET once.
 * Runs in the EAL interrupt thread (configuration change interrupt, or the
 * periodic check of a port without interrupt line). The event's callbacks
 * may stop or close the port: the caller must not touch it afterwards.
 *
 * @return true if the event was raised.
 */
bool vmmio_dev_check_status(struct rte_eth_dev *dev);

/**
 * After a configuration change (InterruptStatus bit 1) or at a periodic
 * check: look at the device Status (vmmio_dev_check_status), update the
 * link and raise RTE_ETH_EVENT_INTR_LSC if it changed and intr_conf.lsc is
 * set. EAL interrupt thread only; the event's callbacks may stop or close
 * the port, so the caller must not touch it afterwards.
 *
 * @param dev
 *   Started port.
 */
void vmmio_dev_config_changed(struct rte_eth_dev *dev);

/**
 * dev_start, once the port runs: arm the Status check (an EAL alarm every
 * status_check_ms milliseconds, devarg) when the line does not reach the
 * EAL thread: no line, a line the lcore owns (rx_intr=direct), or a line
 * whose wiring failed. No-op otherwise or with status_check_ms=0; logs a
 * warning if the alarm cannot be set.
 *
 * @param dev
 *   Started port (control thread).
 */
void vmmio_status_alarm_start(struct rte_eth_dev *dev);

/**
 * dev_stop: cancel the Status check, waiting for one running in another
 * thread; from inside the check (an event callback stopping the port) it
 * only drops the re-armed alarm.
 *
 * @param dev
 *   Port being stopped.
 */
void vmmio_status_alarm_stop(struct rte_eth_dev *dev);

/**
 * Refuse operation @p op on a failed port (a reset that did not complete,
 * vmmio_adapter.failed) with one error line naming the way out.
 *
 * @param dev
 *   The port.
 * @param op
 *   Name of the operation for the log ("start", "RX queue setup", ...).
 * @return 0 if the port is not failed, else -EIO.
 */
int vmmio_refuse_failed(struct rte_eth_dev *dev, const char *op);

#endif /* VMMIO_STATUS_H */
