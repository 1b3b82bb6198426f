/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Constants of the virtio 1.2 specification used by the PMD: the virtio-mmio
 * register map (section 4.2.2, legacy 4.2.4), device status bits (2.1),
 * feature bits (6, 5.1.3), split virtqueue layout (2.7) and the virtio-net
 * header and configuration layout (5.1.4, 5.1.6).
 */
#ifndef VIRTIO_MMIO_SPEC_H
#define VIRTIO_MMIO_SPEC_H

#include <stdint.h>

/* 4.2.2 MMIO Device Register Layout (offsets in bytes) */
#define VIRTIO_MMIO_MAGIC_VALUE		0x000
#define VIRTIO_MMIO_VERSION		0x004
#define VIRTIO_MMIO_DEVICE_ID		0x008
#define VIRTIO_MMIO_VENDOR_ID		0x00c
#define VIRTIO_MMIO_DEVICE_FEATURES	0x010
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL	0x014
#define VIRTIO_MMIO_DRIVER_FEATURES	0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL	0x024
#define VIRTIO_MMIO_GUEST_PAGE_SIZE	0x028	/* legacy only, 4.2.4 */
#define VIRTIO_MMIO_QUEUE_SEL		0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX	0x034
#define VIRTIO_MMIO_QUEUE_NUM		0x038
#define VIRTIO_MMIO_QUEUE_ALIGN		0x03c	/* legacy only */
#define VIRTIO_MMIO_QUEUE_PFN		0x040	/* legacy only */
#define VIRTIO_MMIO_QUEUE_READY		0x044	/* modern only */
#define VIRTIO_MMIO_QUEUE_NOTIFY	0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS	0x060
#define VIRTIO_MMIO_INTERRUPT_ACK	0x064
#define VIRTIO_MMIO_STATUS		0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW	0x080	/* modern only */
#define VIRTIO_MMIO_QUEUE_DESC_HIGH	0x084
#define VIRTIO_MMIO_QUEUE_AVAIL_LOW	0x090
#define VIRTIO_MMIO_QUEUE_AVAIL_HIGH	0x094
#define VIRTIO_MMIO_QUEUE_USED_LOW	0x0a0
#define VIRTIO_MMIO_QUEUE_USED_HIGH	0x0a4
#define VIRTIO_MMIO_CONFIG_GENERATION	0x0fc	/* modern only */
#define VIRTIO_MMIO_CONFIG		0x100

#define VIRTIO_MMIO_MAGIC		0x74726976	/* "virt" little-endian */
#define VIRTIO_MMIO_VERSION_LEGACY	1
#define VIRTIO_MMIO_VERSION_MODERN	2
#define VIRTIO_ID_NET			1

/* 4.2.2 InterruptStatus bits */
#define VIRTIO_MMIO_INT_VRING		(1u << 0)
#define VIRTIO_MMIO_INT_CONFIG		(1u << 1)

/* 2.1 Device Status Field */
#define VIRTIO_STATUS_ACKNOWLEDGE	1
#define VIRTIO_STATUS_DRIVER		2
#define VIRTIO_STATUS_DRIVER_OK		4
#define VIRTIO_STATUS_FEATURES_OK	8
#define VIRTIO_STATUS_DEVICE_NEEDS_RESET 64
#define VIRTIO_STATUS_FAILED		128

/*
 * 5.1.2 virtqueues of a virtio-net device: receiveqN is 2(N-1) and
 * transmitqN 2(N-1)+1, the control queue follows the last pair (2 without
 * VIRTIO_NET_F_MQ). Here by DPDK's zero-based queue id.
 */
#define VIRTIO_NET_RXQ_VQ(qid)		(2 * (qid))
#define VIRTIO_NET_TXQ_VQ(qid)		(2 * (qid) + 1)
#define VIRTIO_NET_CTRL_VQ(pairs)	(2 * (pairs))

/* 5.1.3 virtio-net feature bits */
#define VIRTIO_NET_F_CSUM		0
#define VIRTIO_NET_F_GUEST_CSUM		1
#define VIRTIO_NET_F_MTU		3
#define VIRTIO_NET_F_MAC		5
#define VIRTIO_NET_F_GUEST_TSO4		7
#define VIRTIO_NET_F_GUEST_TSO6		8
#define VIRTIO_NET_F_GUEST_ECN		9
#define VIRTIO_NET_F_GUEST_UFO		10
#define VIRTIO_NET_F_HOST_TSO4		11
#define VIRTIO_NET_F_HOST_TSO6		12
#define VIRTIO_NET_F_HOST_ECN		13
#define VIRTIO_NET_F_HOST_UFO		14
#define VIRTIO_NET_F_MRG_RXBUF		15
#define VIRTIO_NET_F_STATUS		16
#define VIRTIO_NET_F_CTRL_VQ		17
#define VIRTIO_NET_F_CTRL_RX		18
#define VIRTIO_NET_F_CTRL_VLAN		19
#define VIRTIO_NET_F_CTRL_RX_EXTRA	20
#define VIRTIO_NET_F_GUEST_ANNOUNCE	21
#define VIRTIO_NET_F_MQ			22
#define VIRTIO_NET_F_CTRL_MAC_ADDR	23
#define VIRTIO_NET_F_SPEED_DUPLEX	63
/* 6 Reserved (device-independent) feature bits */
#define VIRTIO_F_NOTIFY_ON_EMPTY	24	/* legacy */
#define VIRTIO_F_ANY_LAYOUT		27	/* legacy */
#define VIRTIO_RING_F_INDIRECT_DESC	28
#define VIRTIO_RING_F_EVENT_IDX		29
#define VIRTIO_F_VERSION_1		32
#define VIRTIO_F_ACCESS_PLATFORM	33
#define VIRTIO_F_RING_PACKED		34

#define VIRTIO_BIT(b)			(1ULL << (b))

/* 5.1.4 virtio-net device configuration layout (offsets in config space) */
#define VIRTIO_NET_CFG_MAC		0
#define VIRTIO_NET_CFG_STATUS		6
#define VIRTIO_NET_CFG_MAX_VQ_PAIRS	8
#define VIRTIO_NET_CFG_MTU		10
#define VIRTIO_NET_CFG_SPEED		12
#define VIRTIO_NET_CFG_DUPLEX		16
#define VIRTIO_NET_S_LINK_UP		1

/* 2.7.5 / 2.7.6 / 2.7.8 split virtqueue structures */
#define VRING_DESC_F_NEXT		1
#define VRING_DESC_F_WRITE		2
/* 2.7.5.3, 2.8.19: the buffer is a table of descriptors (VIRTIO_RING_F_INDIRECT_DESC) */
#define VRING_DESC_F_INDIRECT		4
#define VRING_AVAIL_F_NO_INTERRUPT	1
#define VRING_USED_F_NO_NOTIFY		1

struct vring_desc {
	uint64_t addr;	/* guest-physical (IOVA) */
	uint32_t len;	/* bytes */
	uint16_t flags;
	uint16_t next;
};

struct vring_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[];
};

struct vring_used_elem {
	uint32_t id;	/* head descriptor index */
	uint32_t len;	/* bytes written into the buffer */
};

struct vring_used {
	uint16_t flags;
	uint16_t idx;
	struct vring_used_elem ring[];
};

/* 2.8.1 / 2.8.10 / 2.8.13 / 2.8.14 packed virtqueue structures */
#define VRING_PACKED_DESC_F_AVAIL	(1u << 7)
#define VRING_PACKED_DESC_F_USED	(1u << 15)
#define RING_EVENT_FLAGS_ENABLE		0x0
#define RING_EVENT_FLAGS_DISABLE	0x1
#define RING_EVENT_FLAGS_DESC		0x2	/* with VIRTIO_F_EVENT_IDX */
#define RING_EVENT_WRAP_SHIFT		15	/* off_wrap: offset 0..14, wrap 15 */

struct vring_packed_desc {
	uint64_t addr;	/* guest-physical (IOVA) */
	uint32_t len;	/* bytes; used: bytes written */
	uint16_t id;	/* buffer ID */
	uint16_t flags;	/* VRING_DESC_F_*, VRING_PACKED_DESC_F_* */
};

struct vring_packed_event {
	uint16_t off_wrap;	/* RING_EVENT_FLAGS_DESC: ring offset | wrap << 15 */
	uint16_t flags;		/* RING_EVENT_FLAGS_* */
};

/* 2.7 alignments; legacy (4.2.4) aligns the used ring to QueueAlign. */
#define VRING_LEGACY_ALIGN		4096

/*
 * 5.1.6 Device Operation: header preceding every packet. Fields are little
 * endian for modern devices; a legacy device uses the guest's byte order
 * (5.1.6.1), which is little endian on the aarch64 guests this PMD serves.
 */
struct virtio_net_hdr {
	uint8_t flags;		/* VIRTIO_NET_HDR_F_* */
	uint8_t gso_type;	/* VIRTIO_NET_HDR_GSO_* */
	uint16_t hdr_len;	/* bytes of L2-L4 headers (GSO; a hint on RX) */
	uint16_t gso_size;	/* payload bytes per segment (GSO) */
	uint16_t csum_start;	/* NEEDS_CSUM: checksum from this offset... */
	uint16_t csum_offset;	/* ...stored this many bytes after csum_start */
	uint16_t num_buffers;	/* present with VERSION_1 or MRG_RXBUF only */
};
#define VIRTIO_NET_HDR_LEN_LEGACY	10
#define VIRTIO_NET_HDR_LEN_MODERN	12
/* 5.1.6 flags */
#define VIRTIO_NET_HDR_F_NEEDS_CSUM	1
#define VIRTIO_NET_HDR_F_DATA_VALID	2
#define VIRTIO_NET_HDR_F_RSC_INFO	4
/* 5.1.6 gso_type */
#define VIRTIO_NET_HDR_GSO_NONE		0
#define VIRTIO_NET_HDR_GSO_TCPV4	1
#define VIRTIO_NET_HDR_GSO_UDP		3
#define VIRTIO_NET_HDR_GSO_TCPV6	4
#define VIRTIO_NET_HDR_GSO_ECN		0x80
/* Largest GSO frame a device hands over (5.1.6.3: 65562-byte buffers incl. header). */
#define VIRTIO_NET_MAX_GSO_FRAME	65550

/*
 * 5.1.6.5 Control Virtqueue: struct virtio_net_ctrl is { u8 class; u8
 * command; u8 command-specific-data[]; u8 ack; }, the ack written by the
 * device.
 */
#define VIRTIO_NET_OK			0
#define VIRTIO_NET_ERR			1
/* 5.1.6.5.1 Packet Receive Filtering (VIRTIO_NET_F_CTRL_RX); data: u8 on */
#define VIRTIO_NET_CTRL_RX		0
#define VIRTIO_NET_CTRL_RX_PROMISC	0
#define VIRTIO_NET_CTRL_RX_ALLMULTI	1
/* 5.1.6.5.2 Setting MAC Address Filtering */
#define VIRTIO_NET_CTRL_MAC		1
#define VIRTIO_NET_CTRL_MAC_TABLE_SET	0	/* two tables: le32 entries; u8 macs[][6] */
#define VIRTIO_NET_CTRL_MAC_ADDR_SET	1	/* u8 mac[6] (VIRTIO_NET_F_CTRL_MAC_ADDR) */
/* 5.1.6.5.3 VLAN Filtering (VIRTIO_NET_F_CTRL_VLAN); data: le16 vid */
#define VIRTIO_NET_CTRL_VLAN		2
#define VIRTIO_NET_CTRL_VLAN_ADD	0
#define VIRTIO_NET_CTRL_VLAN_DEL	1
/* 5.1.6.5.5 Automatic receive steering in multiqueue mode (VIRTIO_NET_F_MQ) */
#define VIRTIO_NET_CTRL_MQ		4
#define VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET	0	/* le16 virtqueue_pairs */
#define VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MIN	1
#define VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MAX	0x8000

#endif /* VIRTIO_MMIO_SPEC_H */
