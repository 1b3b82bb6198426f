/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ethdev operations built on the virtio-net control virtqueue
 * (virtio 1.2 section 5.1.6.5, transport in vmmio_cvq.h): receive filter
 * (5.1.6.5.1, VIRTIO_NET_F_CTRL_RX), MAC address and MAC table
 * (5.1.6.5.2), VLAN filter (5.1.6.5.3) and the number of queue pairs in use
 * (5.1.6.5.5, VIRTIO_NET_F_MQ).
 *
 * Filter state set while the port is stopped is kept by ethdev
 * (MAC addresses, VLAN table, promiscuous/all-multicast) or here (multicast
 * list) and replayed at every start, since a device reset forgets it.
 */
#ifndef VMMIO_CTRL_H
#define VMMIO_CTRL_H

#include <stdbool.h>
#include <stdint.h>

#include <ethdev_driver.h>
#include <rte_ether.h>

#include "vmmio_cvq.h"

/** Entries of ethdev's MAC address array (index 0 is the port's own MAC). */
#define VMMIO_MAX_MAC_ADDRS	32
/** Addresses set_mc_addr_list accepts. */
#define VMMIO_MAX_MC_ADDRS	32

/** Control queue and filter state of one port (ad->ctrl), allocated at port creation. */
struct vmmio_ctrl {
	struct vmmio_cvq cvq;		/**< the queue and its counters */
	uint8_t dev_mac[RTE_ETHER_ADDR_LEN];	/**< config space mac at probe */
	uint16_t nb_mc;			/**< multicast list (set_mc_addr_list) */
	struct rte_ether_addr mc[VMMIO_MAX_MC_ADDRS];
};

struct vmmio_adapter;

/**
 * Probe-time part: allocate ad->ctrl, remember the config MAC and read
 * max_virtqueue_pairs (5.1.4, valid with VIRTIO_NET_F_MQ) into
 * ad->max_pairs (1 without MQ; MQ is dropped from hw->features if the value
 * is out of the spec's 1..0x8000 range).
 *
 * @return 0, -ENOMEM, or a config read error.
 */
int vmmio_ctrl_probe(struct vmmio_adapter *ad, const uint8_t *mac,
	int numa_node, const char *name);

/**
 * Free the control queue's memory (port close). Safe to call twice. On a
 * failed port (vmmio_adapter.failed) the ring and command buffer the device
 * may still write are leaked, not freed.
 */
void vmmio_ctrl_release(struct vmmio_adapter *ad);

/**
 * dev_infos_get part: max_rx_queues/max_tx_queues (max_virtqueue_pairs with
 * MQ, else 1), max_mac_addrs (VMMIO_MAX_MAC_ADDRS with CTRL_RX, else 1),
 * RTE_ETH_RX_OFFLOAD_VLAN_FILTER with CTRL_VQ and CTRL_VLAN offered.
 */
void vmmio_ctrl_infos(struct rte_eth_dev *dev, struct rte_eth_dev_info *info);

/** RX offloads the control queue provides with features @p features. */
uint64_t vmmio_ctrl_rx_offload_capa(uint64_t features);

/**
 * dev_configure part: RX and TX queue counts must be equal (they are queue
 * pairs, 5.1.2) and at most max_virtqueue_pairs.
 *
 * @return 0 or -EINVAL.
 */
int vmmio_ctrl_configure(struct rte_eth_dev *dev);

/**
 * dev_start, before DRIVER_OK: set up the control queue (index
 * 2 * max_virtqueue_pairs with MQ negotiated, else 2; 5.1.2) when
 * VIRTIO_NET_F_CTRL_VQ was negotiated. No-op otherwise.
 *
 * @return 0, -ENOMEM, -ENODEV if the device has no such queue, or the
 *   transport's queue setup error.
 */
int vmmio_ctrl_setup(struct rte_eth_dev *dev);

/**
 * dev_start, after DRIVER_OK: the control queue goes live and the state a
 * reset lost is sent again: VQ_PAIRS_SET for more than one pair, the MAC
 * (ADDR_SET, or the legacy config write), the MAC table and the VLAN table.
 * Promiscuous and all-multicast are restored by ethdev after dev_start.
 *
 * @return 0, or the first failing command's error (dev_start fails).
 */
int vmmio_ctrl_restore(struct rte_eth_dev *dev);

/**
 * dev_stop, after the device reset: the device gave the queue back (2.4),
 * so its ring is reset and a command kept by a silent device is forgotten.
 */
void vmmio_ctrl_stop(struct rte_eth_dev *dev);

/*
 * ethdev operations (eth_dev_ops). Without the feature a command needs they
 * return -ENOTSUP, except enabling promiscuous/all-multicast mode without
 * VIRTIO_NET_F_CTRL_RX: the device has no filter, the mode is always on.
 * On a stopped port they check the feature and return 0: the state is
 * applied at start. A NAK from the device returns -EIO, no answer within
 * the timeout -ETIMEDOUT (then -EIO until the port is restarted); both are
 * logged on pmd.net.virtio_mmio. Control-thread only; calls are serialized
 * by the control queue's mutex (a second caller sleeps, at most the
 * timeout, instead of spinning).
 */

/** promiscuous_enable: VIRTIO_NET_CTRL_RX_PROMISC 1 (5.1.6.5.1). */
int vmmio_promiscuous_enable(struct rte_eth_dev *dev);
/** promiscuous_disable: VIRTIO_NET_CTRL_RX_PROMISC 0. */
int vmmio_promiscuous_disable(struct rte_eth_dev *dev);
/** allmulticast_enable: VIRTIO_NET_CTRL_RX_ALLMULTI 1. */
int vmmio_allmulticast_enable(struct rte_eth_dev *dev);
/** allmulticast_disable: VIRTIO_NET_CTRL_RX_ALLMULTI 0. */
int vmmio_allmulticast_disable(struct rte_eth_dev *dev);

/**
 * mac_addr_set: VIRTIO_NET_CTRL_MAC_ADDR_SET with VIRTIO_NET_F_CTRL_MAC_ADDR
 * (5.1.6.5.2); without it a legacy device takes the MAC in config space
 * (5.1.4.3, Legacy Interface), a modern one cannot: -ENOTSUP.
 */
int vmmio_mac_addr_set(struct rte_eth_dev *dev, struct rte_ether_addr *mac);

/**
 * mac_addr_add: VIRTIO_NET_CTRL_MAC_TABLE_SET (VIRTIO_NET_F_CTRL_RX) with
 * every secondary unicast address and every multicast address of the port.
 *
 * @param index
 *   Entry of dev->data->mac_addrs @p mac goes to (ethdev stores it there
 *   after success).
 * @param vmdq
 *   VMDq pool; ignored (no pools).
 */
int vmmio_mac_addr_add(struct rte_eth_dev *dev, struct rte_ether_addr *mac,
	uint32_t index, uint32_t vmdq);

/** mac_addr_remove: MAC_TABLE_SET without entry @p index (errors logged). */
void vmmio_mac_addr_remove(struct rte_eth_dev *dev, uint32_t index);

/**
 * set_mc_addr_list: MAC_TABLE_SET with @p nb multicast addresses (replacing
 * the previous list).
 *
 * @return 0; -ENOTSUP without CTRL_RX; -ENOSPC over VMMIO_MAX_MC_ADDRS;
 *   -EINVAL for a non-multicast address; -EIO/-ETIMEDOUT as above.
 */
int vmmio_set_mc_addr_list(struct rte_eth_dev *dev,
	struct rte_ether_addr *mc, uint32_t nb);

/**
 * vlan_filter_set: VIRTIO_NET_CTRL_VLAN_ADD/DEL of @p vlan_id (5.1.6.5.3).
 * ethdev calls it only with RTE_ETH_RX_OFFLOAD_VLAN_FILTER enabled, and
 * keeps the table (dev->data->vlan_filter_conf) replayed at start.
 *
 * @param on
 *   Non-zero: accept @p vlan_id; zero: drop it.
 */
int vmmio_vlan_filter_set(struct rte_eth_dev *dev, uint16_t vlan_id, int on);

#endif /* VMMIO_CTRL_H */
