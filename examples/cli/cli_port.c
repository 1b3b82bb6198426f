/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Port management for vmmio-testpmd. Every ethdev call's negative errno is
 * printed with rte_strerror and the port keeps the state ethdev reports, so a
 * refused operation never leaves the application believing otherwise.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "cli_port.h"

#define CLI_NB_MBUF	16383	/* 2 ports x (1024 RX + 1024 TX) + caches, twice */
#define CLI_MBUF_CACHE	256

struct cli_port_conf cli_port_conf = {
	.nb_rxq = 1,
	.nb_txq = 1,
};
struct cli_port cli_ports[RTE_MAX_ETHPORTS];
struct rte_mempool *cli_pool;

void
cli_port_error(uint16_t port, const char *op, int ret)
{
	printf("error: port %u: %s failed: %s (%d)\n", port, op,
		rte_strerror(-ret), ret);
}

bool
cli_port_check(uint32_t port)
{
	if (port < RTE_MAX_ETHPORTS && cli_ports[port].closed) {
		printf("error: port %u is closed\n", port);
		return false;
	}
	if (port >= RTE_MAX_ETHPORTS || !rte_eth_dev_is_valid_port(port)) {
		printf("error: invalid port %u (%u ports available)\n", port,
			rte_eth_dev_count_avail());
		return false;
	}
	return true;
}

static int
cli_port_setup_queues(uint16_t port, uint16_t *nb_rxd, uint16_t *nb_txd)
{
	int socket = rte_eth_dev_socket_id(port);
	struct rte_eth_dev_info info;
	uint16_t q;
	int ret;

	ret = rte_eth_dev_info_get(port, &info);
	if (ret != 0)
		return ret;
	/* 0 means the PMD's preferred ring size, as ethdev itself does. */
	if (*nb_rxd == 0)
		*nb_rxd = info.default_rxportconf.ring_size;
	if (*nb_txd == 0)
		*nb_txd = info.default_txportconf.ring_size;
	ret = rte_eth_dev_adjust_nb_rx_tx_desc(port, nb_rxd, nb_txd);
	if (ret != 0)
		return ret;
	for (q = 0; q < cli_port_conf.nb_rxq; q++) {
		ret = rte_eth_rx_queue_setup(port, q, *nb_rxd, socket, NULL, cli_pool);
		if (ret != 0)
			return ret;
	}
	for (q = 0; q < cli_port_conf.nb_txq; q++) {
		ret = rte_eth_tx_queue_setup(port, q, *nb_txd, socket, NULL);
		if (ret != 0)
			return ret;
	}
	return 0;
}

int
cli_port_start(uint16_t port)
{
	struct cli_port *cp = &cli_ports[port];
	uint16_t nb_rxd = cli_port_conf.nb_rxd;
	uint16_t nb_txd = cli_port_conf.nb_txd;
	struct rte_eth_conf conf;
	int ret;

	if (cp->started) {
		printf("port %u: already started\n", port);
		return 0;
	}
	/* Always reconfigure: port config changes apply at the next start. */
	memset(&conf, 0, sizeof(conf));
	conf.intr_conf.rxq = cli_port_conf.rx_intr;
	ret = rte_eth_dev_configure(port, cli_port_conf.nb_rxq,
		cli_port_conf.nb_txq, &conf);
	if (ret != 0) {
		cli_port_error(port, "configure", ret);
		return ret;
	}
	ret = cli_port_setup_queues(port, &nb_rxd, &nb_txd);
	if (ret != 0) {
		cli_port_error(port, "queue setup", ret);
		return ret;
	}
	/* The engines read no packet_type: no parsing in the PMD (as testpmd). */
	if (rte_eth_dev_set_ptypes(port, RTE_PTYPE_UNKNOWN, NULL, 0) != 0)
		printf("port %u: packet type parsing stays on\n", port);
	ret = rte_eth_dev_start(port);
	if (ret != 0) {
		cli_port_error(port, "start", ret);
		return ret;
	}
	cp->started = true;
	cp->nb_rxq = cli_port_conf.nb_rxq;
	cp->nb_txq = cli_port_conf.nb_txq;
	cp->nb_rxd = nb_rxd;
	cp->nb_txd = nb_txd;
	/* A forwarder must see frames for other MACs. */
	ret = rte_eth_promiscuous_enable(port);
	if (ret != 0 && ret != -ENOTSUP)
		cli_port_error(port, "promiscuous enable", ret);
	rte_eth_macaddr_get(port, &cp->mac);
	printf("PORT-START port=%u rxq=%u txq=%u rxd=%u txd=%u rx-intr=%s\n",
		port, cp->nb_rxq, cp->nb_txq, nb_rxd, nb_txd,
		cli_port_conf.rx_intr ? "on" : "off");
	return 0;
}

int
cli_port_stop(uint16_t port)
{
	int ret;

	if (!cli_ports[port].started) {
		printf("port %u: already stopped\n", port);
		return 0;
	}
	ret = rte_eth_dev_stop(port);
	if (ret != 0) {
		/* ethdev keeps the port started when the PMD fails. */
		cli_port_error(port, "stop", ret);
		return ret;
	}
	cli_ports[port].started = false;
	printf("PORT-STOP port=%u\n", port);
	return 0;
}

int
cli_port_close(uint16_t port)
{
	int ret;

	if (cli_ports[port].started) {
		ret = cli_port_stop(port);
		if (ret != 0)
			return ret;
	}
	ret = rte_eth_dev_close(port);
	if (ret != 0) {
		cli_port_error(port, "close", ret);
		return ret;
	}
	cli_ports[port].closed = true;
	printf("PORT-CLOSE port=%u\n", port);
	return 0;
}

int
cli_port_config_all(const char *what, uint32_t value)
{
	struct rte_eth_dev_info info;
	bool queues = what[2] == 'q';	/* rxq/txq vs rxd/txd */
	bool rx = what[0] == 'r';
	uint16_t port;
	uint32_t lo, hi;
	int ret;

	RTE_ETH_FOREACH_DEV(port) {
		ret = rte_eth_dev_info_get(port, &info);
		if (ret != 0) {
			cli_port_error(port, "info get", ret);
			return ret;
		}
		if (queues) {
			lo = 1;
			hi = rx ? info.max_rx_queues : info.max_tx_queues;
		} else {
			lo = rx ? info.rx_desc_lim.nb_min : info.tx_desc_lim.nb_min;
			hi = rx ? info.rx_desc_lim.nb_max : info.tx_desc_lim.nb_max;
		}
		if (value < lo || value > hi) {
			printf("error: port %u: %s %u out of range [%u, %u]\n",
				port, what, value, lo, hi);
			return -EINVAL;
		}
	}
	if (queues && rx)
		cli_port_conf.nb_rxq = value;
	else if (queues)
		cli_port_conf.nb_txq = value;
	else if (rx)
		cli_port_conf.nb_rxd = value;
	else
		cli_port_conf.nb_txd = value;
	printf("PORT-CONFIG %s=%u (applies at the next port start)\n", what, value);
	return 0;
}

int
cli_port_init_all(void)
{
	uint16_t port;
	int ret;

	cli_pool = rte_pktmbuf_pool_create("cli_mbuf_pool", CLI_NB_MBUF,
		CLI_MBUF_CACHE, 0, RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	if (cli_pool == NULL) {
		printf("error: cannot create the mbuf pool: %s\n",
			rte_strerror(rte_errno));
		return -rte_errno;
	}
	RTE_ETH_FOREACH_DEV(port) {
		ret = cli_port_start(port);
		if (ret != 0)
			return ret;
	}
	return 0;
}

void
cli_port_close_all(void)
{
	uint16_t port;

	RTE_ETH_FOREACH_DEV(port)
		cli_port_close(port);
}

static const char *
on_off(int v)
{
	return v == 1 ? "on" : v == 0 ? "off" : "unknown";
}

void
cli_port_show_info(uint16_t port)
{
	struct cli_port *cp = &cli_ports[port];
	struct rte_eth_dev_info info;
	struct rte_ether_addr mac;
	struct rte_eth_link link;
	char speed[16];
	uint16_t mtu = 0;
	int ret;

	ret = rte_eth_dev_info_get(port, &info);
	if (ret != 0) {
		cli_port_error(port, "info get", ret);
		return;
	}
	memset(&link, 0, sizeof(link));
	ret = rte_eth_link_get_nowait(port, &link);
	if (ret != 0)
		cli_port_error(port, "link get", ret);
	rte_eth_macaddr_get(port, &mac);
	rte_eth_dev_get_mtu(port, &mtu);
	if (link.link_speed == RTE_ETH_SPEED_NUM_UNKNOWN ||
	    link.link_speed == RTE_ETH_SPEED_NUM_NONE)
		snprintf(speed, sizeof(speed), "unknown");
	else
		snprintf(speed, sizeof(speed), "%u", link.link_speed);
	/* One key=value line: stable for scripts, see doc/cli.md. */
	printf("PORT-INFO port=%u name=%s driver=%s state=%s link=%s speed-mbps=%s "
		"duplex=%s mac=" RTE_ETHER_ADDR_PRT_FMT " mtu=%u min-mtu=%u max-mtu=%u "
		"rxq=%u txq=%u rxd=%u txd=%u max-rxq=%u max-txq=%u "
		"max-rxd=%u max-txd=%u promisc=%s allmulti=%s rx-intr=%s\n",
		port, info.device != NULL ? rte_dev_name(info.device) : "?",
		info.driver_name, cp->started ? "started" : "stopped",
		link.link_status == RTE_ETH_LINK_UP ? "up" : "down", speed,
		link.link_duplex == RTE_ETH_LINK_FULL_DUPLEX ? "full" : "half",
		RTE_ETHER_ADDR_BYTES(&mac), mtu, info.min_mtu, info.max_mtu,
		cp->nb_rxq, cp->nb_txq, cp->nb_rxd, cp->nb_txd,
		info.max_rx_queues, info.max_tx_queues,
		info.rx_desc_lim.nb_max, info.tx_desc_lim.nb_max,
		on_off(rte_eth_promiscuous_get(port)),
		on_off(rte_eth_allmulticast_get(port)),
		cli_port_conf.rx_intr ? "on" : "off");
}

void
cli_port_show_stats(uint16_t port)
{
	struct rte_eth_stats st;
	int ret;

	memset(&st, 0, sizeof(st));
	ret = rte_eth_stats_get(port, &st);
	if (ret != 0) {
		cli_port_error(port, "stats get", ret);
		return;
	}
	printf("PORT-STATS port=%u rx-packets=%" PRIu64 " rx-bytes=%" PRIu64
		" rx-errors=%" PRIu64 " rx-missed=%" PRIu64 " rx-nombuf=%" PRIu64
		" tx-packets=%" PRIu64 " tx-bytes=%" PRIu64 " tx-errors=%" PRIu64 "\n",
		port, st.ipackets, st.ibytes, st.ierrors, st.imissed, st.rx_nombuf,
		st.opackets, st.obytes, st.oerrors);
}

void
cli_port_show_xstats(uint16_t port)
{
	struct rte_eth_xstat_name *names = NULL;
	struct rte_eth_xstat *values = NULL;
	int n, got, i;

	n = rte_eth_xstats_get_names(port, NULL, 0);
	if (n < 0) {
		cli_port_error(port, "xstats get names", n);
		return;
	}
	names = calloc(n, sizeof(*names));
	values = calloc(n, sizeof(*values));
	if (names == NULL || values == NULL) {
		printf("error: port %u: out of memory for %d xstats\n", port, n);
		goto out;
	}
	if (rte_eth_xstats_get_names(port, names, n) != n) {
		printf("error: port %u: xstats names changed while reading\n", port);
		goto out;
	}
	got = rte_eth_xstats_get(port, values, n);
	if (got < 0 || got > n) {
		cli_port_error(port, "xstats get", got < 0 ? got : -EAGAIN);
		goto out;
	}
	for (i = 0; i < got; i++)
		if (values[i].id < (uint64_t)n)
			printf("PORT-XSTAT port=%u %s=%" PRIu64 "\n", port,
				names[values[i].id].name, values[i].value);
out:
	free(names);
	free(values);
}
