/* SPDX-License-Identifier: BSD-3-Clause */
/* The feature bits the port asks for, and the log of what it got. */
#include <ethdev_driver.h>

#include "vmmio_adapter.h"
#include "vmmio_features.h"
#include "vmmio_log.h"
#include "vmmio_offload.h"

uint64_t
vmmio_features_ctrl(uint64_t device_features, uint64_t rx_offloads)
{
	uint64_t f;

	/* 5.1.3.1: the control features all require VIRTIO_NET_F_CTRL_VQ. */
	if (!(device_features & VIRTIO_BIT(VIRTIO_NET_F_CTRL_VQ)))
		return 0;
	f = VIRTIO_BIT(VIRTIO_NET_F_CTRL_VQ) | VIRTIO_BIT(VIRTIO_NET_F_CTRL_RX) |
		VIRTIO_BIT(VIRTIO_NET_F_CTRL_MAC_ADDR) | VIRTIO_BIT(VIRTIO_NET_F_MQ);
	if (rx_offloads & RTE_ETH_RX_OFFLOAD_VLAN_FILTER)
		f |= VIRTIO_BIT(VIRTIO_NET_F_CTRL_VLAN);
	return f & device_features;
}

uint64_t
vmmio_features_wanted(uint64_t device_features, uint64_t rx_offloads,
	uint64_t tx_offloads)
{
	return VMMIO_SUPPORTED_FEATURES |
		VIRTIO_BIT(VIRTIO_RING_F_EVENT_IDX) |
		VIRTIO_BIT(VIRTIO_RING_F_INDIRECT_DESC) |
		/* taken with its companions when offered; named when not */
		VIRTIO_BIT(VIRTIO_NET_F_CTRL_VQ) |
		vmmio_offload_features(rx_offloads, tx_offloads) |
		vmmio_features_ctrl(device_features, rx_offloads);
}

/*
 * What the port runs with, and what it asked for that the device did not
 * offer (e.g. no CTRL_VQ: no filters, no promiscuous mode switch). The
 * transport's own bits (VERSION_1, ACCESS_PLATFORM, ANY_LAYOUT) are taken
 * when offered, never missed.
 */
void
vmmio_features_log(struct rte_eth_dev *dev)
{
	const uint64_t transport = VIRTIO_BIT(VIRTIO_F_VERSION_1) |
		VIRTIO_BIT(VIRTIO_F_ACCESS_PLATFORM) | VIRTIO_BIT(VIRTIO_F_ANY_LAYOUT);
	struct vmmio_hw *hw = &vmmio_adapter_of(dev)->hw;
	char got[512], missed[512];

	VMMIO_LOG(INFO, "%s: features %s; asked for, not offered: %s",
		dev->data->name, vmmio_hw_feature_names(hw->features, got, sizeof(got)),
		vmmio_hw_feature_names(hw->features_wanted & ~hw->device_features &
			~transport, missed, sizeof(missed)));
}
