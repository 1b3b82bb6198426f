/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * l2fwd for the virtio-mmio PMD: forwards every frame received on a port to
 * its pair (0<->1, 2<->3, ...), with burst RX, buffered TX drained
 * periodically, optional MAC rewriting and periodic and final statistics.
 *
 *   vmmio-l2fwd [EAL args] -- [-p PORTMASK] [-T SECONDS] [--no-mac-updating]
 *                             [--duration SECONDS] [--burst N]
 *                             [--rx-mode poll|interrupt|adaptive] [--idle-polls N]
 *                             [--no-offload|--rx-csum-only] [--mtu BYTES]
 *
 * --mtu sets the ports' MTU (rte_eth_dev_set_mtu; up to the device's MTU,
 * VIRTIO_NET_F_MTU). Frames larger than an mbuf then need scattered RX and
 * multi-segment TX, which l2fwd enables for that MTU even with --no-offload.
 *
 * Offloads (default on, --no-offload turns them off): each port enables the
 * RX checksum and LRO offloads its pair can send on (TX checksum and TSO),
 * so a TCP super-frame or a frame with a partial checksum crosses whole: the
 * RX offload information becomes the TX request of the forwarded mbuf
 * (the headers as the RX port parsed them, or rte_net_get_ptype where it did
 * not; the pseudo-header by rte_net_intel_cksum_prepare, DPDK's convention
 * for TX offload requests; the TX burst checks the request itself).
 *
 * --rx-csum-only configures the ports as DPDK's example routers do: RX
 * checksum offload on, no TX offload, frames forwarded as received. The PMD
 * then finishes partial checksums itself (it never hands such a port a
 * frame that TX offload would have to complete).
 *
 * RX modes: poll spins on rx_burst; interrupt sleeps in rte_epoll_wait on the
 * ports' RX interrupts as soon as a poll round finds nothing; adaptive sleeps
 * after --idle-polls empty rounds in a row (as DPDK's l3fwd-power does).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_epoll.h>
#include <rte_ethdev.h>
#include <rte_interrupts.h>
#include <rte_ether.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_net.h>

#define MAX_PKT_BURST		32
#define NB_RXD			512
#define NB_TXD			512
#define NB_MBUF			8191
#define MBUF_CACHE		256
#define DRAIN_US		100	/* TX buffer flush period */
#define LINK_WAIT_MS		9000
#define SLEEP_MAX_MS		100	/* epoll timeout: stats and quit stay timely */
/*
 * With LRO a 64 KiB super-frame spans RX buffers and TX descriptors: 16 KiB
 * mbufs keep that to a handful (2 KiB ones need 33 descriptors per frame,
 * and the TX ring overflows).
 */
#define LRO_MBUF_DATA		16384

enum rx_mode {
	RX_MODE_POLL,
	RX_MODE_INTERRUPT,
	RX_MODE_ADAPTIVE,
};

static const char * const rx_mode_names[] = {
	[RX_MODE_POLL] = "poll",
	[RX_MODE_INTERRUPT] = "interrupt",
	[RX_MODE_ADAPTIVE] = "adaptive",
};

struct port_stats {
	uint64_t rx;
	uint64_t tx;
	uint64_t dropped;
	uint64_t wakeups;	/* RX interrupt events seen for this port */
} __rte_cache_aligned;

static volatile bool force_quit;
static bool mac_updating = true;
static uint32_t port_mask = UINT32_MAX;
static unsigned int stats_period = 10;	/* seconds, 0 = only final */
static unsigned int duration;		/* seconds, 0 = until signal */
static unsigned int burst = MAX_PKT_BURST;
static enum rx_mode rx_mode = RX_MODE_POLL;
static unsigned int idle_polls = 300;	/* adaptive: empty rounds before sleeping */
static uint64_t lcore_sleeps[RTE_MAX_LCORE];
static bool offload = true;
static bool rx_csum_only;	/* RX checksum offload, no TX offload, no fix-up */
static uint16_t mtu;			/* 0: the port's default */

/* Offloads l2fwd asks for when the ports offer them. */
#define RX_OFFLOADS_WANTED (RTE_ETH_RX_OFFLOAD_TCP_CKSUM | \
	RTE_ETH_RX_OFFLOAD_UDP_CKSUM | RTE_ETH_RX_OFFLOAD_TCP_LRO)
#define TX_OFFLOADS_WANTED (RTE_ETH_TX_OFFLOAD_TCP_CKSUM | \
	RTE_ETH_TX_OFFLOAD_UDP_CKSUM | RTE_ETH_TX_OFFLOAD_TCP_TSO | \
	RTE_ETH_TX_OFFLOAD_MULTI_SEGS)

static uint16_t fwd_ports[RTE_MAX_ETHPORTS];
static uint16_t nb_fwd_ports;
static uint16_t dst_of[RTE_MAX_ETHPORTS];
static struct rte_ether_addr port_mac[RTE_MAX_ETHPORTS];
static struct rte_eth_dev_tx_buffer *tx_buf[RTE_MAX_ETHPORTS];
static struct port_stats stats[RTE_MAX_ETHPORTS];
static uint64_t rx_offloads[RTE_MAX_ETHPORTS];	/* enabled per port */
static uint64_t tx_offloads[RTE_MAX_ETHPORTS];

static void
usage(const char *prog)
{
	printf("usage: %s [EAL args] -- [-p PORTMASK] [-T STATS_SECONDS] "
		"[--no-mac-updating|--mac-updating] [--duration SECONDS] [--burst N] "
		"[--rx-mode poll|interrupt|adaptive] [--idle-polls N] "
		"[--no-offload|--rx-csum-only] [--mtu BYTES]\n",
		prog);
}

static int
parse_args(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "mac-updating", no_argument, NULL, 'm' },
		{ "no-mac-updating", no_argument, NULL, 'n' },
		{ "duration", required_argument, NULL, 'd' },
		{ "burst", required_argument, NULL, 'b' },
		{ "rx-mode", required_argument, NULL, 'r' },
		{ "idle-polls", required_argument, NULL, 'i' },
		{ "no-offload", no_argument, NULL, 'o' },
		{ "offload", no_argument, NULL, 'O' },
		{ "rx-csum-only", no_argument, NULL, 'R' },
		{ "mtu", required_argument, NULL, 'M' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long ul;
	unsigned int i;
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "p:T:P", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			port_mask = strtoul(optarg, &end, 16);
			if (*end != '\0' || port_mask == 0)
				return -1;
			break;
		case 'T':
			stats_period = strtoul(optarg, &end, 10);
			if (*end != '\0')
				return -1;
			break;
		case 'P':
			break;	/* promiscuous is always requested */
		case 'm':
			mac_updating = true;
			break;
		case 'n':
			mac_updating = false;
			break;
		case 'd':
			duration = strtoul(optarg, &end, 10);
			if (*end != '\0')
				return -1;
			break;
		case 'b':
			burst = strtoul(optarg, &end, 10);
			if (*end != '\0' || burst == 0 || burst > MAX_PKT_BURST)
				return -1;
			break;
		case 'r':
			for (i = 0; i < RTE_DIM(rx_mode_names); i++)
				if (strcmp(optarg, rx_mode_names[i]) == 0)
					break;
			if (i == RTE_DIM(rx_mode_names)) {
				fprintf(stderr, "error: --rx-mode must be poll, interrupt or adaptive\n");
				return -1;
			}
			rx_mode = (enum rx_mode)i;
			break;
		case 'o':
			offload = false;
			rx_csum_only = false;
			break;
		case 'O':
			offload = true;
			rx_csum_only = false;
			break;
		case 'R':
			offload = true;
			rx_csum_only = true;
			break;
		case 'M':
			ul = strtoul(optarg, &end, 10);
			if (*end != '\0' || ul < RTE_ETHER_MIN_MTU || ul > UINT16_MAX)
				return -1;
			mtu = (uint16_t)ul;
			break;
		case 'i':
			idle_polls = strtoul(optarg, &end, 10);
			if (*end != '\0' || idle_polls == 0)
				return -1;
			break;
		default:
			return -1;
		}
	}
	return 0;
}

static void
signal_handler(int sig)
{
	RTE_SET_USED(sig);
	force_quit = true;
}

static void
rewrite_mac(struct rte_mbuf *m, uint16_t dst)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);

	/* 02:00:00:00:00:<port>, as DPDK's l2fwd does */
	memset(&eth->dst_addr, 0, sizeof(eth->dst_addr));
	eth->dst_addr.addr_bytes[0] = 0x02;
	eth->dst_addr.addr_bytes[5] = (uint8_t)dst;
	rte_ether_addr_copy(&port_mac[dst], &eth->src_addr);
}

/*
 * Turn what the RX port said about @p m into the request the TX port needs
 * to send it unchanged: an LRO super-frame goes out as TSO with the same
 * segment size, a frame whose L4 checksum is only partial (RX_L4_CKSUM_NONE)
 * with checksum offload. Returns false if the packet cannot be sent so.
 */
static inline bool
rx_to_tx_offload(struct rte_mbuf *m, uint16_t dst)
{
	const uint64_t keep = RTE_MBUF_F_INDIRECT | RTE_MBUF_F_EXTERNAL;
	uint64_t ol = m->ol_flags, tx;
	struct rte_net_hdr_lens hl;
	uint32_t ptype, l4;
	bool lro = (ol & RTE_MBUF_F_RX_LRO) != 0;

	m->ol_flags = ol & keep;
	if (!lro && (ol & RTE_MBUF_F_RX_L4_CKSUM_MASK) != RTE_MBUF_F_RX_L4_CKSUM_NONE)
		return true;	/* complete as it is */
	/*
	 * The virtio-mmio PMD parsed the headers of every frame it reports LRO
	 * or a partial checksum for (packet_type and l2/l3/l4_len, even with
	 * packet type parsing off); parse here only what a driver left out.
	 */
	ptype = m->packet_type;
	if ((ptype & RTE_PTYPE_L4_MASK) == 0 || m->l2_len == 0 || m->l3_len == 0) {
		ptype = rte_net_get_ptype(m, &hl, RTE_PTYPE_L2_MASK |
			RTE_PTYPE_L3_MASK | RTE_PTYPE_L4_MASK);
		m->l2_len = hl.l2_len;
		m->l3_len = hl.l3_len;
		m->l4_len = hl.l4_len;
	}
	l4 = ptype & RTE_PTYPE_L4_MASK;
	if (RTE_ETH_IS_IPV4_HDR(ptype))
		tx = RTE_MBUF_F_TX_IPV4;
	else if (RTE_ETH_IS_IPV6_HDR(ptype))
		tx = RTE_MBUF_F_TX_IPV6;
	else
		return false;
	if (lro) {
		if (l4 != RTE_PTYPE_L4_TCP ||
		    !(tx_offloads[dst] & RTE_ETH_TX_OFFLOAD_TCP_TSO))
			return false;
		tx |= RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_TCP_CKSUM;	/* tso_segsz kept */
	} else if (l4 == RTE_PTYPE_L4_TCP &&
		   (tx_offloads[dst] & RTE_ETH_TX_OFFLOAD_TCP_CKSUM)) {
		tx |= RTE_MBUF_F_TX_TCP_CKSUM;
	} else if (l4 == RTE_PTYPE_L4_UDP &&
		   (tx_offloads[dst] & RTE_ETH_TX_OFFLOAD_UDP_CKSUM)) {
		tx |= RTE_MBUF_F_TX_UDP_CKSUM;
	} else {
		return false;
	}
	m->ol_flags |= tx;
	/* The pseudo-header checksum of the request; rte_eth_tx_prepare would
	 * check the request once more before the TX burst checks it again. */
	return rte_net_intel_cksum_prepare(m) == 0;
}

static void
print_offloads(uint16_t port)
{
	char rx[256] = "", tx[256] = "";
	uint64_t bit;
	size_t n;

	for (bit = 1; bit != 0; bit <<= 1) {
		if (rx_offloads[port] & bit) {
			n = strlen(rx);
			snprintf(rx + n, sizeof(rx) - n, "%s%s", n ? "," : "",
				rte_eth_dev_rx_offload_name(bit));
		}
		if (tx_offloads[port] & bit) {
			n = strlen(tx);
			snprintf(tx + n, sizeof(tx) - n, "%s%s", n ? "," : "",
				rte_eth_dev_tx_offload_name(bit));
		}
	}
	printf("L2FWD-OFFLOADS port=%u rx=%s tx=%s\n", port, rx[0] ? rx : "none",
		tx[0] ? tx : "none");
}

/* One extended statistic by name; 0 if the port has no such xstat. */
static uint64_t
xstat(uint16_t port, const char *name)
{
	uint64_t id, v;

	if (rte_eth_xstats_get_id_by_name(port, name, &id) != 0 ||
	    rte_eth_xstats_get_by_id(port, &id, &v, 1) != 1)
		return 0;
	return v;
}

static void
print_stats(const char *tag)
{
	struct rte_eth_stats es;
	uint16_t i, p;

	for (i = 0; i < nb_fwd_ports; i++) {
		p = fwd_ports[i];
		memset(&es, 0, sizeof(es));
		rte_eth_stats_get(p, &es);
		printf("%s port=%u rx=%" PRIu64 " tx=%" PRIu64 " dropped=%" PRIu64
			" ipackets=%" PRIu64 " opackets=%" PRIu64 " ierrors=%" PRIu64
			" oerrors=%" PRIu64 " imissed=%" PRIu64 " rx_nombuf=%" PRIu64
			" wakeups=%" PRIu64 " rx_notifications=%" PRIu64
			" tx_notifications=%" PRIu64 " rx_jumbo=%" PRIu64 "\n",
			tag, p, stats[p].rx, stats[p].tx, stats[p].dropped,
			es.ipackets, es.opackets, es.ierrors, es.oerrors, es.imissed,
			es.rx_nombuf, stats[p].wakeups,
			xstat(p, "rx_q0_notifications"), xstat(p, "tx_q0_notifications"),
			xstat(p, "rx_q0_size_1519_max_packets"));
	}
	if (rx_mode != RX_MODE_POLL) {
		uint64_t sleeps = 0;
		unsigned int l;

		for (l = 0; l < RTE_MAX_LCORE; l++)
			sleeps += lcore_sleeps[l];
		printf("L2FWD-SLEEPS at=%s sleeps=%" PRIu64 "\n", tag, sleeps);
	}
	fflush(stdout);
}

static void
flush_tx(const uint16_t *mine, uint16_t nb_mine)
{
	uint16_t i, p;

	for (i = 0; i < nb_mine; i++) {
		p = dst_of[mine[i]];
		stats[p].tx += rte_eth_tx_buffer_flush(p, 0, tx_buf[p]);
	}
}

/* Add this lcore's RX queues to its epoll set; false if one cannot sleep. */
static bool
intr_register(const uint16_t *mine, uint16_t nb_mine)
{
	uint16_t i;
	int ret;

	for (i = 0; i < nb_mine; i++) {
		ret = rte_eth_dev_rx_intr_ctl_q(mine[i], 0, RTE_EPOLL_PER_THREAD,
			RTE_INTR_EVENT_ADD, (void *)(uintptr_t)mine[i]);
		if (ret != 0) {
			printf("lcore %u: port %u has no RX interrupt (%s): polling\n",
				rte_lcore_id(), mine[i], rte_strerror(-ret));
			return false;
		}
	}
	return true;
}

/*
 * Arm the RX interrupts of this lcore's ports and sleep until one fires (or
 * SLEEP_MAX_MS pass). The PMD re-checks its ring when arming, so a packet that
 * arrived after the last empty poll wakes us at once.
 */
static void
sleep_on_rx(const uint16_t *mine, uint16_t nb_mine)
{
	struct rte_epoll_event ev[8];
	uint16_t i, armed = 0;
	int n, k;

	for (i = 0; i < nb_mine; i++)
		if (rte_eth_dev_rx_intr_enable(mine[i], 0) == 0)
			armed++;
	if (armed == nb_mine) {
		n = rte_epoll_wait(RTE_EPOLL_PER_THREAD, ev, RTE_DIM(ev), SLEEP_MAX_MS);
		for (k = 0; k < n; k++)
			stats[(uintptr_t)ev[k].epdata.data].wakeups++;
		lcore_sleeps[rte_lcore_id()]++;
	}
	for (i = 0; i < nb_mine; i++)
		rte_eth_dev_rx_intr_disable(mine[i], 0);
}

/* Each lcore serves the forwarding ports assigned to it round-robin. */
static int
fwd_loop(void *arg)
{
	const uint64_t drain_tsc = rte_get_timer_hz() * DRAIN_US / 1000000;
	const uint64_t stats_tsc = rte_get_timer_hz() * stats_period;
	const uint64_t end_tsc = duration != 0 ?
		rte_get_timer_cycles() + rte_get_timer_hz() * duration : UINT64_MAX;
	unsigned int my_idx = rte_lcore_index(rte_lcore_id());
	unsigned int nb_workers = rte_lcore_count();
	bool is_main = rte_lcore_id() == rte_get_main_lcore();
	struct rte_mbuf *pkts[MAX_PKT_BURST];
	uint64_t prev_drain = 0, prev_stats, now;
	uint16_t mine[RTE_MAX_ETHPORTS], nb_mine = 0, i, j, nb, p, dst;
	unsigned int idle = 0, sleep_after = UINT_MAX;
	bool got;

	RTE_SET_USED(arg);
	for (i = 0; i < nb_fwd_ports; i++)
		if (i % nb_workers == my_idx)
			mine[nb_mine++] = fwd_ports[i];
	if (nb_mine == 0 && !is_main)
		return 0;
	if (rx_mode != RX_MODE_POLL && nb_mine > 0 && intr_register(mine, nb_mine))
		sleep_after = rx_mode == RX_MODE_INTERRUPT ? 1 : idle_polls;
	prev_stats = rte_get_timer_cycles();
	while (!force_quit) {
		now = rte_get_timer_cycles();
		if (now - prev_drain > drain_tsc) {
			flush_tx(mine, nb_mine);
			prev_drain = now;
		}
		if (is_main) {
			if (stats_period != 0 && now - prev_stats > stats_tsc) {
				print_stats("L2FWD-STATS");
				prev_stats = now;
			}
			if (now > end_tsc)
				force_quit = true;
		}
		got = false;
		for (i = 0; i < nb_mine; i++) {
			p = mine[i];
			nb = rte_eth_rx_burst(p, 0, pkts, burst);
			if (nb == 0)
				continue;
			got = true;
			stats[p].rx += nb;
			dst = dst_of[p];
			for (j = 0; j < nb; j++) {
				if (rx_offloads[p] != 0 && !rx_csum_only &&
				    unlikely(!rx_to_tx_offload(pkts[j], dst))) {
					stats[dst].dropped++;
					rte_pktmbuf_free(pkts[j]);
					continue;
				}
				if (mac_updating)
					rewrite_mac(pkts[j], dst);
				stats[dst].tx += rte_eth_tx_buffer(dst, 0, tx_buf[dst], pkts[j]);
			}
		}
		idle = got ? 0 : idle + 1;
		if (idle >= sleep_after) {
			flush_tx(mine, nb_mine);
			sleep_on_rx(mine, nb_mine);
			idle = 0;
		}
	}
	return 0;
}

/* Link status interrupts (every RX mode, where the port has them): log every change. */
static int
lsc_event(uint16_t port, enum rte_eth_event_type type, void *arg, void *ret)
{
	struct rte_eth_link link;

	RTE_SET_USED(type);
	RTE_SET_USED(arg);
	RTE_SET_USED(ret);
	memset(&link, 0, sizeof(link));
	if (rte_eth_link_get_nowait(port, &link) != 0)
		link.link_status = RTE_ETH_LINK_DOWN;
	printf("L2FWD-LSC port=%u link=%s\n", port,
		link.link_status == RTE_ETH_LINK_UP ? "up" : "down");
	fflush(stdout);
	return 0;
}

/*
 * Offloads of @p port: TX what it offers of l2fwd's list; RX only what its
 * pair can send on (LRO needs TSO, checksum offloads need TX checksums).
 */
static int
choose_offloads(uint16_t port, uint16_t dst)
{
	struct rte_eth_dev_info info, dinfo;
	uint64_t rx;
	int ret;

	rx_offloads[port] = 0;
	tx_offloads[port] = 0;
	if (!offload)
		return 0;
	ret = rte_eth_dev_info_get(port, &info);
	if (ret == 0)
		ret = rte_eth_dev_info_get(dst, &dinfo);
	if (ret != 0)
		return ret;
	if (rx_csum_only) {
		rx_offloads[port] = info.rx_offload_capa &
			(RTE_ETH_RX_OFFLOAD_TCP_CKSUM | RTE_ETH_RX_OFFLOAD_UDP_CKSUM);
		if (rx_offloads[port] == 0)
			printf("port %u: no RX checksum offload (device without GUEST_CSUM)\n", port);
		return 0;
	}
	tx_offloads[port] = info.tx_offload_capa & TX_OFFLOADS_WANTED;
	rx = info.rx_offload_capa & RX_OFFLOADS_WANTED;
	if (!(dinfo.tx_offload_capa & RTE_ETH_TX_OFFLOAD_TCP_TSO) ||
	    !(dinfo.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MULTI_SEGS))
		rx &= ~RTE_ETH_RX_OFFLOAD_TCP_LRO;
	if (!(dinfo.tx_offload_capa & RTE_ETH_TX_OFFLOAD_TCP_CKSUM))
		rx &= ~RTE_ETH_RX_OFFLOAD_TCP_CKSUM;
	if (!(dinfo.tx_offload_capa & RTE_ETH_TX_OFFLOAD_UDP_CKSUM))
		rx &= ~RTE_ETH_RX_OFFLOAD_UDP_CKSUM;
	/* LRO frames carry partial TCP checksums: the pair must finish them */
	if (!(rx & RTE_ETH_RX_OFFLOAD_TCP_CKSUM))
		rx &= ~RTE_ETH_RX_OFFLOAD_TCP_LRO;
	rx_offloads[port] = rx;
	return 0;
}

static int
port_init(uint16_t port, struct rte_mempool *pool)
{
	struct rte_eth_conf conf;
	struct rte_eth_dev_info info;
	uint16_t nb_rxd = NB_RXD, nb_txd = NB_TXD;
	int ret;

	memset(&conf, 0, sizeof(conf));
	conf.intr_conf.rxq = rx_mode != RX_MODE_POLL;
	conf.rxmode.offloads = rx_offloads[port];
	conf.txmode.offloads = tx_offloads[port];
	ret = rte_eth_dev_info_get(port, &info);
	if (ret != 0)
		return ret;
	if (mtu != 0) {
		conf.rxmode.mtu = mtu;
		/* a frame longer than one mbuf: chains both ways */
		if ((uint32_t)mtu + RTE_ETHER_HDR_LEN + RTE_VLAN_HLEN >
		    (uint32_t)rte_pktmbuf_data_room_size(pool) - RTE_PKTMBUF_HEADROOM) {
			conf.rxmode.offloads |= info.rx_offload_capa &
				RTE_ETH_RX_OFFLOAD_SCATTER;
			conf.txmode.offloads |= info.tx_offload_capa &
				RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
		}
		rx_offloads[port] = conf.rxmode.offloads;
		tx_offloads[port] = conf.txmode.offloads;
	}
	/* A busy-polling port reports link changes too (its line serves config changes only). */
	if (*info.dev_flags & RTE_ETH_DEV_INTR_LSC) {
		conf.intr_conf.lsc = 1;
		rte_eth_dev_callback_register(port, RTE_ETH_EVENT_INTR_LSC,
			lsc_event, NULL);
	}
	ret = rte_eth_dev_configure(port, 1, 1, &conf);
	if (ret != 0)
		return ret;
	ret = rte_eth_dev_adjust_nb_rx_tx_desc(port, &nb_rxd, &nb_txd);
	if (ret != 0)
		return ret;
	ret = rte_eth_rx_queue_setup(port, 0, nb_rxd, rte_eth_dev_socket_id(port),
		NULL, pool);
	if (ret != 0)
		return ret;
	ret = rte_eth_tx_queue_setup(port, 0, nb_txd, rte_eth_dev_socket_id(port),
		NULL);
	if (ret != 0)
		return ret;
	tx_buf[port] = rte_zmalloc_socket("tx_buffer",
		RTE_ETH_TX_BUFFER_SIZE(MAX_PKT_BURST), 0, rte_eth_dev_socket_id(port));
	if (tx_buf[port] == NULL)
		return -ENOMEM;
	rte_eth_tx_buffer_init(tx_buf[port], burst);
	ret = rte_eth_tx_buffer_set_err_callback(tx_buf[port],
		rte_eth_tx_buffer_count_callback, &stats[port].dropped);
	if (ret != 0)
		return ret;
	/* l2fwd reads no packet_type: spare the PMD the parsing (as DPDK's l2fwd). */
	if (rte_eth_dev_set_ptypes(port, RTE_PTYPE_UNKNOWN, NULL, 0) != 0)
		printf("port %u: packet type parsing stays on\n", port);
	ret = rte_eth_dev_start(port);
	if (ret != 0)
		return ret;
	/* A forwarder must see frames for other MACs. */
	ret = rte_eth_promiscuous_enable(port);
	if (ret != 0 && ret != -ENOTSUP)
		printf("port %u: cannot enable promiscuous mode: %s\n", port,
			rte_strerror(-ret));
	rte_eth_macaddr_get(port, &port_mac[port]);
	printf("port %u: %s MAC " RTE_ETHER_ADDR_PRT_FMT " rxd %u txd %u\n", port,
		info.driver_name, RTE_ETHER_ADDR_BYTES(&port_mac[port]), nb_rxd, nb_txd);
	print_offloads(port);
	return 0;
}

static void
wait_links(void)
{
	struct rte_eth_link link;
	unsigned int waited;
	uint16_t i;
	char text[RTE_ETH_LINK_MAX_STR_LEN];

	for (i = 0; i < nb_fwd_ports; i++) {
		for (waited = 0; waited < LINK_WAIT_MS && !force_quit; waited += 100) {
			memset(&link, 0, sizeof(link));
			if (rte_eth_link_get_nowait(fwd_ports[i], &link) == 0 &&
			    link.link_status == RTE_ETH_LINK_UP)
				break;
			rte_delay_ms(100);
		}
		rte_eth_link_to_str(text, sizeof(text), &link);
		printf("port %u: %s\n", fwd_ports[i], text);
	}
}

int
main(int argc, char **argv)
{
	struct rte_mempool *pool;
	uint16_t port, i, data_room = RTE_MBUF_DEFAULT_BUF_SIZE;
	int ret;

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "error: EAL initialization failed: %s\n",
			rte_strerror(rte_errno));
		return 1;
	}
	argc -= ret;
	argv += ret;
	if (parse_args(argc, argv) != 0) {
		usage(argv[0]);
		rte_eal_cleanup();
		return 2;
	}
	signal(SIGINT, signal_handler);
	signal(SIGTERM, signal_handler);

	RTE_ETH_FOREACH_DEV(port) {
		if (port < 32 && (port_mask & (1u << port)))
			fwd_ports[nb_fwd_ports++] = port;
	}
	if (nb_fwd_ports == 0) {
		fprintf(stderr, "error: no Ethernet ports (see the PMD's error above; "
			"e.g. --vdev net_virtio_mmio0,dev=a003e00.virtio_mmio)\n");
		rte_eal_cleanup();
		return 1;
	}
	for (i = 0; i < nb_fwd_ports; i++)
		dst_of[fwd_ports[i]] = fwd_ports[(i ^ 1) < nb_fwd_ports ? (i ^ 1) : i];
	for (i = 0; i < nb_fwd_ports; i++) {
		ret = choose_offloads(fwd_ports[i], dst_of[fwd_ports[i]]);
		if (ret != 0) {
			fprintf(stderr, "error: port %u info: %s\n", fwd_ports[i],
				rte_strerror(-ret));
			rte_eal_cleanup();
			return 1;
		}
		if (rx_offloads[fwd_ports[i]] & RTE_ETH_RX_OFFLOAD_TCP_LRO)
			data_room = RTE_PKTMBUF_HEADROOM + LRO_MBUF_DATA;
	}
	pool = rte_pktmbuf_pool_create("mbuf_pool", NB_MBUF, MBUF_CACHE, 0,
		data_room, rte_socket_id());
	if (pool == NULL) {
		fprintf(stderr, "error: cannot create mbuf pool: %s\n",
			rte_strerror(rte_errno));
		rte_eal_cleanup();
		return 1;
	}
	for (i = 0; i < nb_fwd_ports; i++) {
		ret = port_init(fwd_ports[i], pool);
		if (ret != 0) {
			fprintf(stderr, "error: port %u init failed: %s\n", fwd_ports[i],
				rte_strerror(-ret));
			rte_eal_cleanup();
			return 1;
		}
	}
	wait_links();
	printf("L2FWD-READY ports=%u lcores=%u mac-updating=%s rx-mode=%s offload=%s\n",
		nb_fwd_ports, rte_lcore_count(), mac_updating ? "on" : "off",
		rx_mode_names[rx_mode], offload ? "on" : "off");
	fflush(stdout);

	rte_eal_mp_remote_launch(fwd_loop, NULL, CALL_MAIN);
	rte_eal_mp_wait_lcore();

	print_stats("L2FWD-FINAL");
	for (i = 0; i < nb_fwd_ports; i++) {
		rte_eth_dev_stop(fwd_ports[i]);
		rte_eth_dev_close(fwd_ports[i]);
	}
	rte_eal_cleanup();
	return 0;
}
