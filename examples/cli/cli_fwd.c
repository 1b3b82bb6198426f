/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Forwarding engines and lcore management for vmmio-testpmd.
 *
 * Ports are paired in order (0<->1, 2<->3, an odd last port to itself), as
 * testpmd's default paired topology does. Each RX queue of a started port is
 * one stream towards the same-numbered TX queue of its peer (icmpecho replies
 * on the RX port itself); streams are dealt round-robin to the worker lcores,
 * so each TX queue has a single writer.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <netinet/ip_icmp.h>

#include <rte_arp.h>
#include <rte_byteorder.h>
#include <rte_epoll.h>
#include <rte_ethdev.h>
#include <rte_icmp.h>
#include <rte_interrupts.h>
#include <rte_ip.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "cli_fwd.h"
#include "cli_port.h"

#define CLI_FWD_MAX_STREAMS	64
#define CLI_FWD_SLEEP_MS	100	/* epoll timeout: "stop" stays prompt */
#define CLI_FWD_PKT_LEN		64	/* generated frames, as testpmd's txonly */

struct cli_fwd_conf cli_fwd_conf = {
	.mode = CLI_FWD_IO,
	.burst = 32,
	.rx_mode = CLI_RX_POLL,
};

struct cli_fwd_stream {
	uint16_t rx_port;
	uint16_t rx_queue;
	uint16_t tx_port;
	uint16_t tx_queue;
	unsigned int lcore;
	uint64_t rx;		/* packets returned by rx_burst */
	uint64_t tx;		/* packets accepted by tx_burst */
	uint64_t dropped;	/* packets tx_burst refused (freed) */
	uint64_t tx_first;	/* generated packets offered by tx_first */
	uint64_t sleeps;	/* interrupt mode: the lcore slept with this queue armed */
	uint64_t wakeups;	/* interrupt mode: epoll returned this queue's event */
} __rte_cache_aligned;

typedef uint16_t (*cli_fwd_engine_t)(struct cli_fwd_stream *s,
	struct rte_mbuf **pkts);

static const char * const cli_fwd_mode_names[CLI_FWD_MODE_COUNT] = {
	[CLI_FWD_IO] = "io",
	[CLI_FWD_MAC] = "mac",
	[CLI_FWD_MACSWAP] = "macswap",
	[CLI_FWD_RXONLY] = "rxonly",
	[CLI_FWD_TXONLY] = "txonly",
	[CLI_FWD_ICMPECHO] = "icmpecho",
};

static struct cli_fwd_stream cli_streams[CLI_FWD_MAX_STREAMS];
static uint16_t cli_nb_streams;
static unsigned int cli_fwd_lcores[RTE_MAX_LCORE];
static unsigned int cli_nb_fwd_lcores;
static bool cli_running;
static unsigned int cli_tx_first;
static volatile bool cli_fwd_quit;

int
cli_fwd_mode_parse(const char *name)
{
	int i;

	for (i = 0; i < CLI_FWD_MODE_COUNT; i++)
		if (strcmp(name, cli_fwd_mode_names[i]) == 0)
			return i;
	return -EINVAL;
}

const char *
cli_fwd_mode_name(enum cli_fwd_mode mode)
{
	return mode < CLI_FWD_MODE_COUNT ? cli_fwd_mode_names[mode] : "?";
}

bool
cli_fwd_running(void)
{
	return cli_running;
}

static void
cli_fwd_dump(const struct cli_fwd_stream *s, struct rte_mbuf **pkts, uint16_t nb)
{
	const struct rte_ether_hdr *eth;
	uint16_t i;

	for (i = 0; i < nb; i++) {
		eth = rte_pktmbuf_mtod(pkts[i], const struct rte_ether_hdr *);
		printf("RX port=%u queue=%u len=%u src=" RTE_ETHER_ADDR_PRT_FMT
			" dst=" RTE_ETHER_ADDR_PRT_FMT " type=0x%04x\n",
			s->rx_port, s->rx_queue, rte_pktmbuf_pkt_len(pkts[i]),
			RTE_ETHER_ADDR_BYTES(&eth->src_addr),
			RTE_ETHER_ADDR_BYTES(&eth->dst_addr),
			rte_be_to_cpu_16(eth->ether_type));
	}
}

static uint16_t
cli_fwd_rx(struct cli_fwd_stream *s, struct rte_mbuf **pkts)
{
	uint16_t nb;

	nb = rte_eth_rx_burst(s->rx_port, s->rx_queue, pkts, cli_fwd_conf.burst);
	s->rx += nb;
	if (nb > 0 && cli_fwd_conf.verbose > 0)
		cli_fwd_dump(s, pkts, nb);
	return nb;
}

/* No retry: what the ring refuses is dropped and counted, as in testpmd. */
static void
cli_fwd_tx(struct cli_fwd_stream *s, struct rte_mbuf **pkts, uint16_t nb)
{
	uint16_t sent = 0;

	if (nb > 0)
		sent = rte_eth_tx_burst(s->tx_port, s->tx_queue, pkts, nb);
	s->tx += sent;
	if (sent < nb) {
		s->dropped += nb - sent;
		rte_pktmbuf_free_bulk(&pkts[sent], nb - sent);
	}
}

/* testpmd's default peer address: 02:00:00:00:00:<port>. */
static void
cli_fwd_peer_addr(uint16_t port, struct rte_ether_addr *addr)
{
	memset(addr, 0, sizeof(*addr));
	addr->addr_bytes[0] = 0x02;
	addr->addr_bytes[5] = (uint8_t)port;
}

/* A 64-byte UDP/IPv4 frame 198.18.0.1:9 -> 198.18.0.2:9 (benchmark range). */
static struct rte_mbuf *
cli_fwd_make_udp(uint16_t tx_port)
{
	struct rte_ether_hdr *eth;
	struct rte_ipv4_hdr *ip;
	struct rte_udp_hdr *udp;
	struct rte_mbuf *m;
	char *data;

	m = rte_pktmbuf_alloc(cli_pool);
	if (m == NULL)
		return NULL;
	data = rte_pktmbuf_append(m, CLI_FWD_PKT_LEN);
	if (data == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	memset(data, 0, CLI_FWD_PKT_LEN);
	eth = (struct rte_ether_hdr *)data;
	cli_fwd_peer_addr(tx_port, &eth->dst_addr);
	rte_ether_addr_copy(&cli_ports[tx_port].mac, &eth->src_addr);
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	ip = (struct rte_ipv4_hdr *)(eth + 1);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16(CLI_FWD_PKT_LEN - sizeof(*eth));
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	/* unsigned: DPDK 22.11's RTE_IPV4 shifts an int (198 << 24 is UB) */
	ip->src_addr = rte_cpu_to_be_32(RTE_IPV4(198u, 18u, 0u, 1u));
	ip->dst_addr = rte_cpu_to_be_32(RTE_IPV4(198u, 18u, 0u, 2u));
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	udp = (struct rte_udp_hdr *)(ip + 1);
	udp->src_port = rte_cpu_to_be_16(9);
	udp->dst_port = rte_cpu_to_be_16(9);
	udp->dgram_len = rte_cpu_to_be_16(CLI_FWD_PKT_LEN - sizeof(*eth) - sizeof(*ip));
	return m;
}

static uint16_t
cli_fwd_gen_burst(struct cli_fwd_stream *s, struct rte_mbuf **pkts)
{
	uint16_t nb;

	for (nb = 0; nb < cli_fwd_conf.burst; nb++) {
		pkts[nb] = cli_fwd_make_udp(s->tx_port);
		if (pkts[nb] == NULL)
			break;
	}
	cli_fwd_tx(s, pkts, nb);
	return nb;
}

static uint16_t
cli_fwd_io(struct cli_fwd_stream *s, struct rte_mbuf **pkts)
{
	uint16_t nb = cli_fwd_rx(s, pkts);

	cli_fwd_tx(s, pkts, nb);
	return nb;
}

static uint16_t
cli_fwd_mac(struct cli_fwd_stream *s, struct rte_mbuf **pkts)
{
	uint16_t nb = cli_fwd_rx(s, pkts), i;
	struct rte_ether_hdr *eth;

	for (i = 0; i < nb; i++) {
		eth = rte_pktmbuf_mtod(pkts[i], struct rte_ether_hdr *);
		cli_fwd_peer_addr(s->tx_port, &eth->dst_addr);
		rte_ether_addr_copy(&cli_ports[s->tx_port].mac, &eth->src_addr);
	}
	cli_fwd_tx(s, pkts, nb);
	return nb;
}

static uint16_t
cli_fwd_macswap(struct cli_fwd_stream *s, struct rte_mbuf **pkts)
{
	uint16_t nb = cli_fwd_rx(s, pkts), i;
	struct rte_ether_hdr *eth;
	struct rte_ether_addr tmp;

	for (i = 0; i < nb; i++) {
		eth = rte_pktmbuf_mtod(pkts[i], struct rte_ether_hdr *);
		rte_ether_addr_copy(&eth->dst_addr, &tmp);
		rte_ether_addr_copy(&eth->src_addr, &eth->dst_addr);
		rte_ether_addr_copy(&tmp, &eth->src_addr);
	}
	cli_fwd_tx(s, pkts, nb);
	return nb;
}

static uint16_t
cli_fwd_rxonly(struct cli_fwd_stream *s, struct rte_mbuf **pkts)
{
	uint16_t nb = cli_fwd_rx(s, pkts);

	rte_pktmbuf_free_bulk(pkts, nb);
	return nb;
}

static uint16_t
cli_fwd_txonly(struct cli_fwd_stream *s, struct rte_mbuf **pkts)
{
	/* Never idle: an interrupt-mode lcore must not sleep in txonly. */
	return RTE_MAX(cli_fwd_gen_burst(s, pkts), 1);
}

/* ARP request for any address: answer with the port's MAC (testpmd does). */
static bool
cli_fwd_arp_reply(struct rte_mbuf *m, const struct rte_ether_addr *mine)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_arp_hdr *arp;
	uint32_t ip;

	if (rte_pktmbuf_data_len(m) < sizeof(*eth) + sizeof(*arp))
		return false;
	arp = (struct rte_arp_hdr *)(eth + 1);
	if (arp->arp_opcode != rte_cpu_to_be_16(RTE_ARP_OP_REQUEST) ||
	    arp->arp_protocol != rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4))
		return false;
	arp->arp_opcode = rte_cpu_to_be_16(RTE_ARP_OP_REPLY);
	rte_ether_addr_copy(&arp->arp_data.arp_sha, &arp->arp_data.arp_tha);
	rte_ether_addr_copy(mine, &arp->arp_data.arp_sha);
	ip = arp->arp_data.arp_tip;
	arp->arp_data.arp_tip = arp->arp_data.arp_sip;
	arp->arp_data.arp_sip = ip;
	rte_ether_addr_copy(&eth->src_addr, &eth->dst_addr);
	rte_ether_addr_copy(mine, &eth->src_addr);
	return true;
}

static bool
cli_fwd_echo_reply(struct rte_mbuf *m, const struct rte_ether_addr *mine)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_icmp_hdr *icmp;
	struct rte_ipv4_hdr *ip;
	uint32_t addr, len;
	uint16_t ihl;

	if (rte_pktmbuf_data_len(m) < sizeof(*eth) + sizeof(*ip) + sizeof(*icmp))
		return false;
	ip = (struct rte_ipv4_hdr *)(eth + 1);
	ihl = rte_ipv4_hdr_len(ip);
	len = rte_be_to_cpu_16(ip->total_length);
	if (ip->next_proto_id != IPPROTO_ICMP || ihl < sizeof(*ip) ||
	    len < ihl + sizeof(*icmp) ||
	    sizeof(*eth) + len > rte_pktmbuf_data_len(m))
		return false;
	icmp = (struct rte_icmp_hdr *)((char *)ip + ihl);
	if (icmp->icmp_type != ICMP_ECHO || icmp->icmp_code != 0)
		return false;
	icmp->icmp_type = ICMP_ECHOREPLY;
	icmp->icmp_cksum = 0;
	icmp->icmp_cksum = ~rte_raw_cksum(icmp, len - ihl);
	addr = ip->src_addr;
	ip->src_addr = ip->dst_addr;
	ip->dst_addr = addr;
	rte_ether_addr_copy(&eth->src_addr, &eth->dst_addr);
	rte_ether_addr_copy(mine, &eth->src_addr);
	return true;
}

static uint16_t
cli_fwd_icmpecho(struct cli_fwd_stream *s, struct rte_mbuf **pkts)
{
	const struct rte_ether_addr *mine = &cli_ports[s->rx_port].mac;
	uint16_t nb = cli_fwd_rx(s, pkts), i, nb_reply = 0;
	struct rte_ether_hdr *eth;
	bool reply;

	for (i = 0; i < nb; i++) {
		eth = rte_pktmbuf_mtod(pkts[i], struct rte_ether_hdr *);
		if (eth->ether_type == rte_cpu_to_be_16(RTE_ETHER_TYPE_ARP))
			reply = cli_fwd_arp_reply(pkts[i], mine);
		else if (eth->ether_type == rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4))
			reply = cli_fwd_echo_reply(pkts[i], mine);
		else
			reply = false;
		if (reply)
			pkts[nb_reply++] = pkts[i];
		else
			rte_pktmbuf_free(pkts[i]);
	}
	cli_fwd_tx(s, pkts, nb_reply);
	return nb;
}

static const cli_fwd_engine_t cli_fwd_engines[CLI_FWD_MODE_COUNT] = {
	[CLI_FWD_IO] = cli_fwd_io,
	[CLI_FWD_MAC] = cli_fwd_mac,
	[CLI_FWD_MACSWAP] = cli_fwd_macswap,
	[CLI_FWD_RXONLY] = cli_fwd_rxonly,
	[CLI_FWD_TXONLY] = cli_fwd_txonly,
	[CLI_FWD_ICMPECHO] = cli_fwd_icmpecho,
};

/*
 * Register (or with del, remove) the lcore's RX queues in its epoll set;
 * each event carries its stream, for the wake-up counts.
 */
static bool
cli_fwd_intr_ctl(struct cli_fwd_stream **mine, uint16_t nb, bool del)
{
	uint16_t i;
	int ret;

	for (i = 0; i < nb; i++) {
		ret = rte_eth_dev_rx_intr_ctl_q(mine[i]->rx_port, mine[i]->rx_queue,
			RTE_EPOLL_PER_THREAD,
			del ? RTE_INTR_EVENT_DEL : RTE_INTR_EVENT_ADD, mine[i]);
		if (ret != 0 && !del) {
			printf("lcore %u: port %u queue %u has no RX interrupt (%s): polling\n",
				rte_lcore_id(), mine[i]->rx_port, mine[i]->rx_queue,
				rte_strerror(-ret));
			cli_fwd_intr_ctl(mine, i, true);
			return false;
		}
	}
	return true;
}

/*
 * Arm the RX interrupts and sleep until one fires or CLI_FWD_SLEEP_MS pass.
 * The PMD re-checks its ring when arming, so nothing is missed in the gap.
 */
static void
cli_fwd_sleep(struct cli_fwd_stream **mine, uint16_t nb)
{
	struct rte_epoll_event ev[8];
	struct cli_fwd_stream *s;
	uint16_t i, armed = 0;
	int n, k;

	for (i = 0; i < nb; i++)
		if (rte_eth_dev_rx_intr_enable(mine[i]->rx_port, mine[i]->rx_queue) == 0)
			armed++;
	if (armed == nb) {
		for (i = 0; i < nb; i++)
			mine[i]->sleeps++;
		n = rte_epoll_wait(RTE_EPOLL_PER_THREAD, ev, RTE_DIM(ev),
			CLI_FWD_SLEEP_MS);
		for (k = 0; k < n; k++) {
			s = ev[k].epdata.data;
			if (s != NULL)
				s->wakeups++;
		}
	}
	for (i = 0; i < nb; i++)
		rte_eth_dev_rx_intr_disable(mine[i]->rx_port, mine[i]->rx_queue);
}

static int
cli_fwd_lcore(void *arg)
{
	cli_fwd_engine_t engine = cli_fwd_engines[cli_fwd_conf.mode];
	struct cli_fwd_stream *mine[CLI_FWD_MAX_STREAMS];
	struct rte_mbuf *pkts[CLI_FWD_MAX_BURST];
	unsigned int lcore = (unsigned int)(uintptr_t)arg;
	uint16_t nb_mine = 0, i, got;
	unsigned int b;
	bool intr = false;

	for (i = 0; i < cli_nb_streams; i++)
		if (cli_streams[i].lcore == lcore)
			mine[nb_mine++] = &cli_streams[i];
	for (i = 0; i < nb_mine; i++)
		for (b = 0; b < cli_tx_first; b++)
			mine[i]->tx_first += cli_fwd_gen_burst(mine[i], pkts);
	if (cli_fwd_conf.rx_mode == CLI_RX_INTERRUPT)
		intr = cli_fwd_intr_ctl(mine, nb_mine, false);
	while (!__atomic_load_n(&cli_fwd_quit, __ATOMIC_ACQUIRE)) {
		got = 0;
		for (i = 0; i < nb_mine; i++)
			got += engine(mine[i], pkts);
		if (intr && got == 0)
			cli_fwd_sleep(mine, nb_mine);
	}
	if (intr)
		cli_fwd_intr_ctl(mine, nb_mine, true);
	return 0;
}

/* The streams a start would run, from the ports started now. */
static int
cli_fwd_build_streams(void)
{
	uint16_t ports[RTE_MAX_ETHPORTS], nb_ports = 0, i, q, peer;
	struct cli_fwd_stream *s;
	unsigned int lcore;

	RTE_ETH_FOREACH_DEV(i)
		if (cli_ports[i].started)
			ports[nb_ports++] = i;
	cli_nb_fwd_lcores = 0;
	RTE_LCORE_FOREACH_WORKER(lcore)
		cli_fwd_lcores[cli_nb_fwd_lcores++] = lcore;
	cli_nb_streams = 0;
	for (i = 0; i < nb_ports; i++) {
		peer = (i ^ 1) < nb_ports ? ports[i ^ 1] : ports[i];
		if (cli_fwd_conf.mode == CLI_FWD_ICMPECHO)
			peer = ports[i];
		for (q = 0; q < cli_ports[ports[i]].nb_rxq; q++) {
			if (cli_nb_streams == CLI_FWD_MAX_STREAMS)
				return -ENOSPC;
			s = &cli_streams[cli_nb_streams];
			memset(s, 0, sizeof(*s));
			s->rx_port = ports[i];
			s->rx_queue = q;
			s->tx_port = peer;
			s->tx_queue = q % cli_ports[peer].nb_txq;
			s->lcore = cli_nb_fwd_lcores > 0 ?
				cli_fwd_lcores[cli_nb_streams % cli_nb_fwd_lcores] : 0;
			cli_nb_streams++;
		}
	}
	return 0;
}

int
cli_fwd_start(unsigned int tx_first)
{
	unsigned int i, launched = 0;
	uint16_t port;
	int ret;

	if (cli_running) {
		printf("error: packet forwarding already started\n");
		return -EBUSY;
	}
	RTE_ETH_FOREACH_DEV(port)
		if (!cli_ports[port].started) {
			printf("error: port %u is stopped: \"port start %u\" first\n",
				port, port);
			return -ENOTCONN;
		}
	ret = cli_fwd_build_streams();
	if (ret != 0) {
		printf("error: more than %u streams\n", CLI_FWD_MAX_STREAMS);
		return ret;
	}
	if (cli_nb_streams == 0) {
		printf("error: no started port to forward on\n");
		return -ENODEV;
	}
	if (cli_nb_fwd_lcores == 0) {
		printf("error: no forwarding lcore: give EAL at least two (-l 0,1)\n");
		return -ENOTSUP;
	}
	cli_tx_first = tx_first;
	__atomic_store_n(&cli_fwd_quit, false, __ATOMIC_RELEASE);
	for (i = 0; i < cli_nb_fwd_lcores && i < cli_nb_streams; i++) {
		ret = rte_eal_remote_launch(cli_fwd_lcore,
			(void *)(uintptr_t)cli_fwd_lcores[i], cli_fwd_lcores[i]);
		if (ret != 0) {
			printf("error: cannot launch lcore %u: %s\n",
				cli_fwd_lcores[i], rte_strerror(-ret));
			break;
		}
		launched++;
	}
	cli_running = true;
	if (launched < RTE_MIN(cli_nb_fwd_lcores, (unsigned int)cli_nb_streams)) {
		cli_fwd_stop();
		return -EBUSY;
	}
	printf("FWD-START mode=%s burst=%u rx-mode=%s lcores=%u streams=%u tx-first=%u\n",
		cli_fwd_mode_name(cli_fwd_conf.mode), cli_fwd_conf.burst,
		cli_fwd_conf.rx_mode == CLI_RX_INTERRUPT ? "interrupt" : "poll",
		launched, cli_nb_streams, tx_first);
	return 0;
}

int
cli_fwd_stop(void)
{
	uint64_t rx, tx, dropped, first, sum_rx = 0, sum_tx = 0, sum_dropped = 0;
	unsigned int i;
	uint16_t port;

	if (!cli_running) {
		printf("error: packet forwarding not started\n");
		return -EALREADY;
	}
	__atomic_store_n(&cli_fwd_quit, true, __ATOMIC_RELEASE);
	/* Join: after this no lcore touches a queue, so ports may change. */
	for (i = 0; i < cli_nb_fwd_lcores; i++)
		rte_eal_wait_lcore(cli_fwd_lcores[i]);
	cli_running = false;
	RTE_ETH_FOREACH_DEV(port) {
		rx = tx = dropped = first = 0;
		for (i = 0; i < cli_nb_streams; i++) {
			if (cli_streams[i].rx_port == port)
				rx += cli_streams[i].rx;
			if (cli_streams[i].tx_port == port) {
				tx += cli_streams[i].tx;
				dropped += cli_streams[i].dropped;
				first += cli_streams[i].tx_first;
			}
		}
		printf("FWD-STATS port=%u rx-packets=%" PRIu64 " tx-packets=%" PRIu64
			" tx-dropped=%" PRIu64 " tx-first=%" PRIu64 "\n",
			port, rx, tx, dropped, first);
		sum_rx += rx;
		sum_tx += tx;
		sum_dropped += dropped;
	}
	printf("FWD-STOP rx-packets=%" PRIu64 " tx-packets=%" PRIu64
		" tx-dropped=%" PRIu64 "\n", sum_rx, sum_tx, sum_dropped);
	return 0;
}

/* A per-queue counter of the PMD's xstats (rx_q<Q>_<what>), if it has one. */
static bool
cli_fwd_queue_xstat(uint16_t port, uint16_t q, const char *what, uint64_t *v)
{
	char name[RTE_ETH_XSTATS_NAME_SIZE];
	uint64_t id;

	snprintf(name, sizeof(name), "rx_q%u_%s", q, what);
	return rte_eth_xstats_get_id_by_name(port, name, &id) == 0 &&
		rte_eth_xstats_get_by_id(port, &id, v, 1) == 1;
}

void
cli_fwd_show_queue_stats(uint16_t port)
{
	const struct cli_fwd_stream *s;
	char intr[24];
	uint64_t v;
	uint16_t i;

	for (i = 0; i < cli_nb_streams; i++) {
		s = &cli_streams[i];
		if (s->rx_port != port)
			continue;
		if (cli_fwd_queue_xstat(port, s->rx_queue, "interrupts", &v))
			snprintf(intr, sizeof(intr), "%" PRIu64, v);
		else
			snprintf(intr, sizeof(intr), "n/a");
		printf("PORT-QSTATS port=%u queue=%u rx-packets=%" PRIu64
			" sleeps=%" PRIu64 " wakeups=%" PRIu64 " interrupts=%s\n",
			port, s->rx_queue, s->rx, s->sleeps, s->wakeups, intr);
	}
}

void
cli_fwd_show_config(void)
{
	uint16_t i;

	/* While running, show the live streams; else what a start would run. */
	if (!cli_running && cli_fwd_build_streams() != 0)
		printf("error: more than %u streams\n", CLI_FWD_MAX_STREAMS);
	printf("FWD-CONFIG mode=%s burst=%u verbose=%u rx-mode=%s lcores=%u "
		"streams=%u running=%s\n", cli_fwd_mode_name(cli_fwd_conf.mode),
		cli_fwd_conf.burst, cli_fwd_conf.verbose,
		cli_fwd_conf.rx_mode == CLI_RX_INTERRUPT ? "interrupt" : "poll",
		cli_nb_fwd_lcores, cli_nb_streams, cli_running ? "yes" : "no");
	for (i = 0; i < cli_nb_streams; i++)
		printf("FWD-STREAM lcore=%u rx-port=%u rx-queue=%u tx-port=%u tx-queue=%u\n",
			cli_streams[i].lcore, cli_streams[i].rx_port,
			cli_streams[i].rx_queue, cli_streams[i].tx_port,
			cli_streams[i].tx_queue);
}
