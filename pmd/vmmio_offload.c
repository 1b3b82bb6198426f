/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio-net header <-> mbuf offload mapping (virtio 1.2 sections 5.1.3,
 * 5.1.6.2 and 5.1.6.4). Only TCP and UDP checksums and TCP segmentation:
 * UFO/USO, ECN and the RSC extension are never negotiated.
 */
#include <errno.h>
#include <stddef.h>

#include <ethdev_driver.h>
#include <rte_branch_prediction.h>
#include <rte_errno.h>
#include <rte_ip.h>
#include <rte_net.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "vmmio_offload.h"

#define TCP_CSUM_OFF	offsetof(struct rte_tcp_hdr, cksum)
#define UDP_CSUM_OFF	offsetof(struct rte_udp_hdr, dgram_cksum)

void
vmmio_offload_capa(uint64_t f, uint64_t *rx_capa, uint64_t *tx_capa)
{
	/* FAST_FREE: reclaim puts mbufs straight back in their pool */
	uint64_t rx = 0, tx = RTE_ETH_TX_OFFLOAD_MULTI_SEGS |
		RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE;

	if (f & VIRTIO_BIT(VIRTIO_NET_F_GUEST_CSUM)) {
		rx |= RTE_ETH_RX_OFFLOAD_TCP_CKSUM | RTE_ETH_RX_OFFLOAD_UDP_CKSUM;
		if ((f & VIRTIO_BIT(VIRTIO_NET_F_MRG_RXBUF)) &&
		    (f & (VIRTIO_BIT(VIRTIO_NET_F_GUEST_TSO4) |
			  VIRTIO_BIT(VIRTIO_NET_F_GUEST_TSO6))))
			rx |= RTE_ETH_RX_OFFLOAD_TCP_LRO;
	}
	if (f & VIRTIO_BIT(VIRTIO_NET_F_MRG_RXBUF))
		rx |= RTE_ETH_RX_OFFLOAD_SCATTER;
	if (f & VIRTIO_BIT(VIRTIO_NET_F_CSUM)) {
		tx |= RTE_ETH_TX_OFFLOAD_TCP_CKSUM | RTE_ETH_TX_OFFLOAD_UDP_CKSUM;
		if (f & (VIRTIO_BIT(VIRTIO_NET_F_HOST_TSO4) |
			 VIRTIO_BIT(VIRTIO_NET_F_HOST_TSO6)))
			tx |= RTE_ETH_TX_OFFLOAD_TCP_TSO;
	}
	*rx_capa = rx;
	*tx_capa = tx;
}

uint64_t
vmmio_offload_features(uint64_t rx_offloads, uint64_t tx_offloads)
{
	uint64_t f = 0;

	/* 5.1.3.1: GUEST_TSO4/6 require GUEST_CSUM, HOST_TSO4/6 require CSUM. */
	if (rx_offloads & (RTE_ETH_RX_OFFLOAD_TCP_CKSUM |
	    RTE_ETH_RX_OFFLOAD_UDP_CKSUM | RTE_ETH_RX_OFFLOAD_TCP_LRO))
		f |= VIRTIO_BIT(VIRTIO_NET_F_GUEST_CSUM);
	if (rx_offloads & RTE_ETH_RX_OFFLOAD_TCP_LRO)
		f |= VIRTIO_BIT(VIRTIO_NET_F_GUEST_TSO4) |
			VIRTIO_BIT(VIRTIO_NET_F_GUEST_TSO6);
	if (tx_offloads & (RTE_ETH_TX_OFFLOAD_TCP_CKSUM |
	    RTE_ETH_TX_OFFLOAD_UDP_CKSUM | RTE_ETH_TX_OFFLOAD_TCP_TSO))
		f |= VIRTIO_BIT(VIRTIO_NET_F_CSUM);
	if (tx_offloads & RTE_ETH_TX_OFFLOAD_TCP_TSO)
		f |= VIRTIO_BIT(VIRTIO_NET_F_HOST_TSO4) |
			VIRTIO_BIT(VIRTIO_NET_F_HOST_TSO6);
	return f;
}

/*
 * Can the queue do what @p m asks? Returns the checksum field offset from
 * csum_start (> 0), 0 if nothing is asked, or a negative errno.
 */
static int
tx_check(const struct rte_mbuf *m, uint32_t ofl)
{
	uint64_t ol = m->ol_flags;
	uint64_t l4 = ol & RTE_MBUF_F_TX_L4_MASK;
	uint32_t start = (uint32_t)m->l2_len + m->l3_len;
	int off;

	if (!(ol & VMMIO_TX_OL_WORK))
		return 0;
	if (!(ofl & VMMIO_OFL_TX_CSUM))
		return -ENOTSUP;
	if (!(ol & (RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IPV6)) || m->l3_len == 0)
		return -EINVAL;
	if (ol & RTE_MBUF_F_TX_TCP_SEG) {
		if (!(ofl & ((ol & RTE_MBUF_F_TX_IPV4) ? VMMIO_OFL_TX_TSO4 :
		    VMMIO_OFL_TX_TSO6)))
			return -ENOTSUP;
		if (l4 != RTE_MBUF_F_TX_L4_NO_CKSUM && l4 != RTE_MBUF_F_TX_TCP_CKSUM)
			return -EINVAL;
		if (m->tso_segsz == 0 || m->l4_len < sizeof(struct rte_tcp_hdr) ||
		    m->data_len < start + m->l4_len ||
		    m->pkt_len <= start + m->l4_len ||
		    m->pkt_len - start > UINT16_MAX)
			return -EINVAL;
		l4 = RTE_MBUF_F_TX_TCP_CKSUM;
	}
	switch (l4) {
	case RTE_MBUF_F_TX_TCP_CKSUM:
		off = TCP_CSUM_OFF;
		break;
	case RTE_MBUF_F_TX_UDP_CKSUM:
		off = UDP_CSUM_OFF;
		break;
	default:
		return -ENOTSUP;	/* SCTP: no virtio-net equivalent */
	}
	/* The device writes the checksum inside the packet's first segment. */
	if (m->data_len < start + off + sizeof(uint16_t))
		return -EINVAL;
	return off;
}

/* Add the TCP length to a pseudo-header sum stored without it. */
static void
tso_add_len(struct rte_mbuf *m)
{
	struct rte_tcp_hdr *th = rte_pktmbuf_mtod_offset(m, struct rte_tcp_hdr *,
		m->l2_len + m->l3_len);
	uint32_t sum;

	sum = (uint32_t)th->cksum +
		rte_cpu_to_be_16((uint16_t)(m->pkt_len - m->l2_len - m->l3_len));
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	th->cksum = (uint16_t)sum;
}

int
vmmio_tx_offload(struct virtio_net_hdr *h, struct rte_mbuf *m, uint32_t ofl)
{
	int off = tx_check(m, ofl);

	if (off <= 0)
		return off;
	/* 5.1.6.2: partial checksum from csum_start, stored at +csum_offset. */
	h->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	h->csum_start = m->l2_len + m->l3_len;
	h->csum_offset = (uint16_t)off;
	if (m->ol_flags & RTE_MBUF_F_TX_TCP_SEG) {
		/* 5.1.6.2: segmentation; ECN never set (HOST_ECN not negotiated). */
		h->gso_type = (m->ol_flags & RTE_MBUF_F_TX_IPV4) ?
			VIRTIO_NET_HDR_GSO_TCPV4 : VIRTIO_NET_HDR_GSO_TCPV6;
		h->gso_size = m->tso_segsz;
		h->hdr_len = m->l2_len + m->l3_len + m->l4_len;
		tso_add_len(m);
	}
	return 0;
}

/* Store 16 bits at byte @p off of a possibly segmented packet. */
static void
mbuf_store16(struct rte_mbuf *m, uint32_t off, uint16_t v)
{
	const uint8_t *b = (const uint8_t *)&v;
	unsigned int i;
	uint32_t o;
	struct rte_mbuf *s;

	for (i = 0; i < sizeof(v); i++) {
		for (s = m, o = off + i; s != NULL && o >= s->data_len; s = s->next)
			o -= s->data_len;
		if (s != NULL)
			*rte_pktmbuf_mtod_offset(s, uint8_t *, o) = b[i];
	}
}

/* What rte_net_get_ptype() reports for the outer layers parsed below. */
#define RX_PTYPE_LAYERS (RTE_PTYPE_L2_MASK | RTE_PTYPE_L3_MASK | RTE_PTYPE_L4_MASK)

static const uint32_t rx_ptypes[] = {
	RTE_PTYPE_L2_ETHER,
	RTE_PTYPE_L2_ETHER_VLAN,
	RTE_PTYPE_L2_ETHER_QINQ,
	RTE_PTYPE_L2_ETHER_MPLS,
	RTE_PTYPE_L3_IPV4,
	RTE_PTYPE_L3_IPV4_EXT,
	RTE_PTYPE_L3_IPV6,
	RTE_PTYPE_L3_IPV6_EXT,
	RTE_PTYPE_L4_TCP,
	RTE_PTYPE_L4_UDP,
	RTE_PTYPE_L4_SCTP,
	RTE_PTYPE_L4_FRAG,
	RTE_PTYPE_UNKNOWN,
};

const uint32_t *
vmmio_rx_ptypes(size_t *no_of_elements)
{
	*no_of_elements = RTE_DIM(rx_ptypes) - 1;
	return rx_ptypes;
}

int
vmmio_rx_offload(struct rte_mbuf *m, const struct virtio_net_hdr *h,
	uint32_t ofl)
{
	struct rte_net_hdr_lens hl;
	uint32_t ptype, l4, start, off;
	uint16_t sum;
	bool tcp, udp;

	/*
	 * 5.1.6.4.1: without GUEST_CSUM the device sends flags 0, GSO none.
	 * 5.1.6.4.2: unknown flag bits are ignored.
	 */
	if (!(ofl & VMMIO_OFL_RX_CSUM) ||
	    (!(h->flags & (VIRTIO_NET_HDR_F_NEEDS_CSUM | VIRTIO_NET_HDR_F_DATA_VALID)) &&
	     h->gso_type == VIRTIO_NET_HDR_GSO_NONE)) {
		if (ofl & VMMIO_OFL_RX_PTYPE)
			m->packet_type = rte_net_get_ptype(m, NULL, RX_PTYPE_LAYERS);
		return 0;
	}
	ptype = rte_net_get_ptype(m, &hl, RX_PTYPE_LAYERS);
	m->packet_type = ptype;
	m->l2_len = hl.l2_len;
	m->l3_len = hl.l3_len;
	m->l4_len = hl.l4_len;
	l4 = ptype & RTE_PTYPE_L4_MASK;
	tcp = l4 == RTE_PTYPE_L4_TCP;
	udp = l4 == RTE_PTYPE_L4_UDP;
	if (h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) {
		start = h->csum_start;
		off = h->csum_offset;
		if (start == (uint32_t)hl.l2_len + hl.l3_len &&
		    ((tcp && off == TCP_CSUM_OFF && !(ofl & VMMIO_OFL_RX_FINISH_TCP)) ||
		     (udp && off == UDP_CSUM_OFF && !(ofl & VMMIO_OFL_RX_FINISH_UDP)))) {
			/* Payload intact, checksum field holds the pseudo-header sum. */
			m->ol_flags |= RTE_MBUF_F_RX_L4_CKSUM_NONE;
		} else {
			/*
			 * Not a header we describe, or one the application
			 * could not finish on TX: finish the checksum here.
			 */
			if (start >= m->pkt_len ||
			    start + off + sizeof(uint16_t) > m->pkt_len ||
			    rte_raw_cksum_mbuf(m, start, m->pkt_len - start, &sum) != 0)
				return -EINVAL;
			sum = (uint16_t)~sum;
			if (sum == 0 && udp)
				sum = 0xffff;
			mbuf_store16(m, start + off, sum);
			m->ol_flags |= RTE_MBUF_F_RX_L4_CKSUM_GOOD;
		}
	} else if (h->flags & VIRTIO_NET_HDR_F_DATA_VALID) {
		m->ol_flags |= RTE_MBUF_F_RX_L4_CKSUM_GOOD;
	}
	if (h->gso_type == VIRTIO_NET_HDR_GSO_NONE)
		return 0;
	/* 5.1.6.4.1: only the GSO types the driver negotiated, ECN never. */
	switch (h->gso_type) {
	case VIRTIO_NET_HDR_GSO_TCPV4:
		if (!(ofl & VMMIO_OFL_RX_TSO4) || !RTE_ETH_IS_IPV4_HDR(ptype))
			return -EINVAL;
		break;
	case VIRTIO_NET_HDR_GSO_TCPV6:
		if (!(ofl & VMMIO_OFL_RX_TSO6) || !RTE_ETH_IS_IPV6_HDR(ptype))
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	if (!tcp || h->gso_size == 0)
		return -EINVAL;
	m->tso_segsz = h->gso_size;
	m->ol_flags |= RTE_MBUF_F_RX_LRO;
	return 0;
}

uint16_t
vmmio_tx_prepare(struct rte_mbuf **tx_pkts, uint16_t nb_pkts, uint32_t ofl)
{
	struct rte_mbuf *m;
	uint64_t ol;
	uint16_t i;
	int ret;

	for (i = 0; i < nb_pkts; i++) {
		m = tx_pkts[i];
		ol = m->ol_flags;
		if ((ol & RTE_MBUF_F_TX_OFFLOAD_MASK & ~VMMIO_TX_OL_SUPPORTED) ||
		    (ol & RTE_MBUF_F_TX_L4_MASK) == RTE_MBUF_F_TX_SCTP_CKSUM) {
			rte_errno = ENOTSUP;
			return i;
		}
		ret = tx_check(m, ofl);
		if (ret > 0)
			ret = rte_net_intel_cksum_prepare(m);
		if (ret < 0) {
			rte_errno = -ret;
			return i;
		}
	}
	return nb_pkts;
}
