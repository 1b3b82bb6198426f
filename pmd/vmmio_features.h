/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Which feature bits the port asks for (virtio 1.2 2.2, 3.1.1 steps 4-6):
 * the one place that decides, used by dev_start's negotiation, by probe's
 * preview of what start will get, and by the control-queue operations of
 * a stopped port.
 */
#ifndef VMMIO_FEATURES_H
#define VMMIO_FEATURES_H

#include <stdint.h>

#include <ethdev_driver.h>

#include "vmmio_hw.h"

/**
 * Features this driver always accepts when offered (spec names, 5.1.3 and
 * 6). VIRTIO_F_ACCESS_PLATFORM (6.1: SHOULD accept): every address the
 * driver gives the device is already a DMA address (an IOVA). The offload
 * bits are added per configuration (vmmio_offload_features).
 * MRG_RXBUF fixes the header length (12 bytes, also on legacy devices) at
 * probe, before the application configures anything.
 * VIRTIO_F_RING_PACKED (2.8): packed virtqueues whenever a modern device
 * offers them (devarg packed=0 refuses).
 */
#define VMMIO_SUPPORTED_FEATURES ( \
	VIRTIO_BIT(VIRTIO_F_VERSION_1) | \
	VIRTIO_BIT(VIRTIO_F_ACCESS_PLATFORM) | \
	VIRTIO_BIT(VIRTIO_F_ANY_LAYOUT) | \
	VIRTIO_BIT(VIRTIO_F_RING_PACKED) | \
	VIRTIO_BIT(VIRTIO_NET_F_MRG_RXBUF) | \
	VIRTIO_BIT(VIRTIO_NET_F_MAC) | \
	VIRTIO_BIT(VIRTIO_NET_F_STATUS) | \
	VIRTIO_BIT(VIRTIO_NET_F_MTU) | \
	VIRTIO_BIT(VIRTIO_NET_F_SPEED_DUPLEX))

/**
 * Feature bits of the control queue to accept from @p device_features,
 * honouring 5.1.3.1: CTRL_RX, CTRL_VLAN, CTRL_MAC_ADDR and MQ only together
 * with CTRL_VQ. CTRL_VLAN only when the application enabled
 * RTE_ETH_RX_OFFLOAD_VLAN_FILTER in @p rx_offloads: once negotiated, a
 * device drops tagged frames of VLANs not added (QEMU does).
 *
 * @return Feature bits (VIRTIO_BIT()), 0 without CTRL_VQ.
 */
uint64_t vmmio_features_ctrl(uint64_t device_features, uint64_t rx_offloads);

/**
 * Every feature bit the port asks for with the offloads the application
 * enabled: VMMIO_SUPPORTED_FEATURES, VIRTIO_RING_F_EVENT_IDX and
 * VIRTIO_RING_F_INDIRECT_DESC, the offload bits of those offloads
 * (vmmio_offload_features) and the control-queue bits
 * (vmmio_features_ctrl). Bits the device does not offer or devargs turn off
 * are dropped by the negotiation (vmmio_hw_negotiate, vmmio_hw_features_for);
 * CTRL_VQ is asked for even when not offered so that it is named as missed.
 *
 * @param device_features
 *   The device's offer (DeviceFeatures).
 * @param rx_offloads
 *   RTE_ETH_RX_OFFLOAD_* the application enabled (0 at probe).
 * @param tx_offloads
 *   RTE_ETH_TX_OFFLOAD_* the application enabled (0 at probe).
 * @return Feature bits (VIRTIO_BIT()).
 */
uint64_t vmmio_features_wanted(uint64_t device_features, uint64_t rx_offloads,
	uint64_t tx_offloads);

/**
 * Log (INFO) the features the port runs with and those it asked for that
 * the device did not offer (e.g. no CTRL_VQ: no filters, no promiscuous
 * mode switch). The transport's own bits are never named as missed.
 *
 * @param dev
 *   The port, after negotiation.
 */
void vmmio_features_log(struct rte_eth_dev *dev);

#endif /* VMMIO_FEATURES_H */
