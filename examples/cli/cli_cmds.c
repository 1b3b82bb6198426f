/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vmmio-testpmd commands on DPDK's cmdline library, with testpmd's words.
 * A command taking "all|<port>" is two cmdline instances sharing one
 * handler; the "all" instance passes a non-NULL data pointer.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmdline_parse_num.h>
#include <cmdline_parse_string.h>
#include <rte_common.h>
#include <rte_errno.h>
#include <rte_ethdev.h>

#include "cli_cmds.h"
#include "cli_fwd.h"
#include "cli_port.h"

#define CLI_ALL ((void *)1)	/* inst->data of the "all" variants */
#define CLI_LINE_MAX 512

volatile bool cli_cmds_quit;

/* Ports that an "all|<port>" command covers; false (message printed) if none. */
static bool
cli_cmds_each_port(void *all, uint16_t port, uint16_t *list, uint16_t *nb)
{
	uint16_t p;

	*nb = 0;
	if (all == NULL) {
		if (!cli_port_check(port))
			return false;
		list[(*nb)++] = port;
		return true;
	}
	RTE_ETH_FOREACH_DEV(p)
		list[(*nb)++] = p;
	if (*nb == 0)
		printf("error: no port left\n");
	return *nb > 0;
}

static bool
cli_cmds_fwd_idle(void)
{
	if (cli_fwd_running()) {
		printf("error: packet forwarding is running: \"stop\" first\n");
		return false;
	}
	return true;
}

/* start | start tx_first | start tx_first <n> */
struct cli_cmd_start_result {
	cmdline_fixed_string_t start;
	cmdline_fixed_string_t tx_first;
	uint32_t n;
};

static void
cli_cmd_start_parsed(void *parsed, struct cmdline *cl, void *data)
{
	struct cli_cmd_start_result *res = parsed;
	uintptr_t kind = (uintptr_t)data;	/* 0 start, 1 tx_first, 2 tx_first n */

	RTE_SET_USED(cl);
	if (kind == 2 && res->n == 0) {
		printf("error: tx_first needs at least 1 burst\n");
		return;
	}
	cli_fwd_start(kind == 0 ? 0 : kind == 1 ? 1 : res->n);
}

static cmdline_parse_token_string_t cli_cmd_start_start =
	TOKEN_STRING_INITIALIZER(struct cli_cmd_start_result, start, "start");
static cmdline_parse_token_string_t cli_cmd_start_tx_first =
	TOKEN_STRING_INITIALIZER(struct cli_cmd_start_result, tx_first, "tx_first");
static cmdline_parse_token_num_t cli_cmd_start_n =
	TOKEN_NUM_INITIALIZER(struct cli_cmd_start_result, n, RTE_UINT32);

static cmdline_parse_inst_t cli_cmd_start = {
	.f = cli_cmd_start_parsed,
	.data = (void *)0,
	.help_str = "start: start packet forwarding",
	.tokens = { (void *)&cli_cmd_start_start, NULL },
};
static cmdline_parse_inst_t cli_cmd_start_txf = {
	.f = cli_cmd_start_parsed,
	.data = (void *)1,
	.help_str = "start tx_first: start forwarding after sending one burst per stream",
	.tokens = { (void *)&cli_cmd_start_start, (void *)&cli_cmd_start_tx_first, NULL },
};
static cmdline_parse_inst_t cli_cmd_start_txf_n = {
	.f = cli_cmd_start_parsed,
	.data = (void *)2,
	.help_str = "start tx_first <n>: start forwarding after sending n bursts per stream",
	.tokens = { (void *)&cli_cmd_start_start, (void *)&cli_cmd_start_tx_first,
		(void *)&cli_cmd_start_n, NULL },
};

/* stop | quit | help: one word each */
struct cli_cmd_word_result {
	cmdline_fixed_string_t word;
};

static void
cli_cmd_stop_parsed(void *parsed, struct cmdline *cl, void *data)
{
	RTE_SET_USED(parsed);
	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	cli_fwd_stop();
}

static void
cli_cmd_quit_parsed(void *parsed, struct cmdline *cl, void *data)
{
	RTE_SET_USED(parsed);
	RTE_SET_USED(data);
	cli_cmds_quit = true;
	cmdline_quit(cl);
}

static void
cli_cmd_help_parsed(void *parsed, struct cmdline *cl, void *data)
{
	unsigned int i;

	RTE_SET_USED(parsed);
	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	printf("Commands (<port> is a port id; TAB completes, ? lists choices):\n");
	for (i = 0; cli_cmds_ctx[i] != NULL; i++)
		printf("  %s\n", cli_cmds_ctx[i]->help_str);
}

static cmdline_parse_token_string_t cli_cmd_stop_word =
	TOKEN_STRING_INITIALIZER(struct cli_cmd_word_result, word, "stop");
static cmdline_parse_token_string_t cli_cmd_quit_word =
	TOKEN_STRING_INITIALIZER(struct cli_cmd_word_result, word, "quit");
static cmdline_parse_token_string_t cli_cmd_help_word =
	TOKEN_STRING_INITIALIZER(struct cli_cmd_word_result, word, "help");

static cmdline_parse_inst_t cli_cmd_stop = {
	.f = cli_cmd_stop_parsed,
	.help_str = "stop: stop packet forwarding and print its statistics",
	.tokens = { (void *)&cli_cmd_stop_word, NULL },
};
static cmdline_parse_inst_t cli_cmd_quit = {
	.f = cli_cmd_quit_parsed,
	.help_str = "quit: stop forwarding, close the ports and exit",
	.tokens = { (void *)&cli_cmd_quit_word, NULL },
};
static cmdline_parse_inst_t cli_cmd_help = {
	.f = cli_cmd_help_parsed,
	.help_str = "help: list the commands",
	.tokens = { (void *)&cli_cmd_help_word, NULL },
};

/* show port info|stats|xstats all|<port>, clear port stats all|<port> */
struct cli_cmd_show_port_result {
	cmdline_fixed_string_t show;
	cmdline_fixed_string_t port_kw;
	cmdline_fixed_string_t what;
	cmdline_fixed_string_t all;
	uint16_t port;
};

static void
cli_cmd_show_port_parsed(void *parsed, struct cmdline *cl, void *data)
{
	struct cli_cmd_show_port_result *res = parsed;
	uint16_t list[RTE_MAX_ETHPORTS], nb, i;
	int ret;

	RTE_SET_USED(cl);
	if (!cli_cmds_each_port(data, res->port, list, &nb))
		return;
	for (i = 0; i < nb; i++) {
		if (strcmp(res->show, "clear") == 0) {
			ret = rte_eth_stats_reset(list[i]);
			if (ret != 0)
				cli_port_error(list[i], "stats reset", ret);
			else
				printf("PORT-STATS-CLEARED port=%u\n", list[i]);
		} else if (strcmp(res->what, "info") == 0) {
			cli_port_show_info(list[i]);
		} else if (strcmp(res->what, "stats") == 0) {
			cli_port_show_stats(list[i]);
			cli_fwd_show_queue_stats(list[i]);
		} else {
			cli_port_show_xstats(list[i]);
		}
	}
}

static cmdline_parse_token_string_t cli_cmd_show_port_show =
	TOKEN_STRING_INITIALIZER(struct cli_cmd_show_port_result, show, "show");
static cmdline_parse_token_string_t cli_cmd_show_port_clear =
	TOKEN_STRING_INITIALIZER(struct cli_cmd_show_port_result, show, "clear");
static cmdline_parse_token_string_t cli_cmd_show_port_port =
	TOKEN_STRING_INITIALIZER(struct cli_cmd_show_port_result, port_kw, "port");
static cmdline_parse_token_string_t cli_cmd_show_port_what =
	TOKEN_STRING_INITIALIZER(struct cli_cmd_show_port_result, what,
		"info#stats#xstats");
static cmdline_parse_token_string_t cli_cmd_show_port_stats =
	TOKEN_STRING_INITIALIZER(struct cli_cmd_show_port_result, what, "stats");
static cmdline_parse_token_string_t cli_cmd_show_port_all =
	TOKEN_STRING_INITIALIZER(struct cli_cmd_show_port_result, all, "all");
static cmdline_parse_token_num_t cli_cmd_show_port_id =
	TOKEN_NUM_INITIALIZER(struct cli_cmd_show_port_result, port, RTE_UINT16);

static cmdline_parse_inst_t cli_cmd_show_port_all_inst = {
	.f = cli_cmd_show_port_parsed,
	.data = CLI_ALL,
	.help_str = "show port info|stats|xstats all: port details, counters, extended counters",
	.tokens = { (void *)&cli_cmd_show_port_show, (void *)&cli_cmd_show_port_port,
		(void *)&cli_cmd_show_port_what, (void *)&cli_cmd_show_port_all, NULL },
};
static cmdline_parse_inst_t cli_cmd_show_port_one = {
	.f = cli_cmd_show_port_parsed,
	.help_str = "show port info|stats|xstats <port>",
	.tokens = { (void *)&cli_cmd_show_port_show, (void *)&cli_cmd_show_port_port,
		(void *)&cli_cmd_show_port_what, (void *)&cli_cmd_show_port_id, NULL },
};
static cmdline_parse_inst_t cli_cmd_clear_port_all = {
	.f = cli_cmd_show_port_parsed,
	.data = CLI_ALL,
	.help_str = "clear port stats all: reset the counters of every port",
	.tokens = { (void *)&cli_cmd_show_port_clear, (void *)&cli_cmd_show_port_port,
		(void *)&cli_cmd_show_port_stats, (void *)&cli_cmd_show_port_all, NULL },
};
static cmdline_parse_inst_t cli_cmd_clear_port_one = {
	.f = cli_cmd_show_port_parsed,
	.help_str = "clear port stats <port>",
	.tokens = { (void *)&cli_cmd_show_port_clear, (void *)&cli_cmd_show_port_port,
		(void *)&cli_cmd_show_port_stats, (void *)&cli_cmd_show_port_id, NULL },
};

/* set fwd <mode> | set rx-mode poll|interrupt */
struct cli_cmd_set_word_result {
	cmdline_fixed_string_t set;
	cmdline_fixed_string_t what;
	cmdline_fixed_string_t value;
};

static void
cli_cmd_set_word_parsed(void *parsed, struct cmdline *cl, void *data)
{
	struct cli_cmd_set_word_result *res = parsed;
	uint16_t port;
	int mode;

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	if (!cli_cmds_fwd_idle())
		return;
	if (strcmp(res->what, "fwd") == 0) {
		mode = cli_fwd_mode_parse(res->value);
		if (mode < 0) {
			printf("error: unknown forwarding mode %s\n", res->value);
			return;
		}
		cli_fwd_conf.mode = mode;
		printf("Set %s packet forwarding mode\n", res->value);
		return;
	}
	cli_fwd_conf.rx_mode = strcmp(res->value, "interrupt") == 0 ?
		CLI_RX_INTERRUPT : CLI_RX_POLL;
	/* RX interrupts are a port configuration: they need a port restart. */
	cli_port_conf.rx_intr = cli_fwd_conf.rx_mode == CLI_RX_INTERRUPT;
	printf("Set rx-mode %s\n", res->value);
	RTE_ETH_FOREACH_DEV(port)
		if (cli_ports[port].started) {
			printf("note: ports apply the RX interrupt setting at their next start "
				"(port stop all; port start all)\n");
			break;
		}
}

static cmdline_parse_token_string_t cli_cmd_set_word_set =
	TOKEN_STRING_INITIALIZER(struct cli_cmd_set_word_result, set, "set");
static cmdline_parse_token_string_t cli_cmd_set_word_fwd =
	TOKEN_STRING_INITIALIZER(struct cli_cmd_set_word_result, what, "fwd");
static cmdline_parse_token_string_t cli_cmd_set_word_modes =
	TOKEN_STRING_INITIALIZER(struct cli_cmd_set_word_result, value,
		"io#mac#macswap#rxonly#txonly#icmpecho");
static cmdline_parse_token_string_t cli_cmd_set_word_rx_mode =
	TOKEN_STRING_INITIALIZER(struct cli_cmd_set_word_result, what, "rx-mode");
static cmdline_parse_token_string_t cli_cmd_set_word_rx_modes =
	TOKEN_STRING_INITIALIZER(struct cli_cmd_set_word_result, value, "poll#interrupt");

static cmdline_parse_inst_t cli_cmd_set_fwd = {
	.f = cli_cmd_set_word_parsed,
	.help_str = "set fwd io|mac|macswap|rxonly|txonly|icmpecho: forwarding engine",
	.tokens = { (void *)&cli_cmd_set_word_set, (void *)&cli_cmd_set_word_fwd,
		(void *)&cli_cmd_set_word_modes, NULL },
};
static cmdline_parse_inst_t cli_cmd_set_rx_mode = {
	.f = cli_cmd_set_word_parsed,
	.help_str = "set rx-mode poll|interrupt: busy-poll, or sleep on RX interrupts when idle",
	.tokens = { (void *)&cli_cmd_set_word_set, (void *)&cli_cmd_set_word_rx_mode,
		(void *)&cli_cmd_set_word_rx_modes, NULL },
};

/* set burst|verbose <n> */
struct cli_cmd_set_num_result {
	cmdline_fixed_string_t set;
	cmdline_fixed_string_t what;
	uint32_t value;
};

static void
cli_cmd_set_num_parsed(void *parsed, struct cmdline *cl, void *data)
{
	struct cli_cmd_set_num_result *res = parsed;

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	if (strcmp(res->what, "verbose") == 0) {
		printf("Change verbose level from %u to %u\n", cli_fwd_conf.verbose,
			res->value);
		cli_fwd_conf.verbose = res->value;
		return;
	}
	if (res->value == 0 || res->value > CLI_FWD_MAX_BURST) {
		printf("error: burst must be 1..%u\n", CLI_FWD_MAX_BURST);
		return;
	}
	cli_fwd_conf.burst = res->value;
	printf("Number of packets per burst set to %u\n", res->value);
}

static cmdline_parse_token_string_t cli_cmd_set_num_set =
	TOKEN_STRING_INITIALIZER(struct cli_cmd_set_num_result, set, "set");
static cmdline_parse_token_string_t cli_cmd_set_num_what =
	TOKEN_STRING_INITIALIZER(struct cli_cmd_set_num_result, what, "burst#verbose");
static cmdline_parse_token_num_t cli_cmd_set_num_value =
	TOKEN_NUM_INITIALIZER(struct cli_cmd_set_num_result, value, RTE_UINT32);

static cmdline_parse_inst_t cli_cmd_set_num = {
	.f = cli_cmd_set_num_parsed,
	.help_str = "set burst|verbose <n>: packets per burst; verbose > 0 prints each received packet",
	.tokens = { (void *)&cli_cmd_set_num_set, (void *)&cli_cmd_set_num_what,
		(void *)&cli_cmd_set_num_value, NULL },
};

/* set promisc|allmulti all|<port> on|off */
struct cli_cmd_set_filter_result {
	cmdline_fixed_string_t set;
	cmdline_fixed_string_t what;
	cmdline_fixed_string_t all;
	uint16_t port;
	cmdline_fixed_string_t on_off;
};

static void
cli_cmd_set_filter_parsed(void *parsed, struct cmdline *cl, void *data)
{
	struct cli_cmd_set_filter_result *res = parsed;
	bool promisc = strcmp(res->what, "promisc") == 0;
	bool on = strcmp(res->on_off, "on") == 0;
	uint16_t list[RTE_MAX_ETHPORTS], nb, i;
	int ret;

	RTE_SET_USED(cl);
	if (!cli_cmds_each_port(data, res->port, list, &nb))
		return;
	for (i = 0; i < nb; i++) {
		if (promisc)
			ret = on ? rte_eth_promiscuous_enable(list[i]) :
				rte_eth_promiscuous_disable(list[i]);
		else
			ret = on ? rte_eth_allmulticast_enable(list[i]) :
				rte_eth_allmulticast_disable(list[i]);
		if (ret != 0)
			cli_port_error(list[i], promisc ? (on ? "promiscuous enable" :
				"promiscuous disable") : (on ? "allmulticast enable" :
				"allmulticast disable"), ret);
		else
			printf("PORT-%s port=%u %s\n", promisc ? "PROMISC" : "ALLMULTI",
				list[i], res->on_off);
	}
}

static cmdline_parse_token_string_t cli_cmd_set_filter_set =
	TOKEN_STRING_INITIALIZER(struct cli_cmd_set_filter_result, set, "set");
static cmdline_parse_token_string_t cli_cmd_set_filter_what =
	TOKEN_STRING_INITIALIZER(struct cli_cmd_set_filter_result, what, "promisc#allmulti");
static cmdline_parse_token_string_t cli_cmd_set_filter_all =
	TOKEN_STRING_INITIALIZER(struct cli_cmd_set_filter_result, all, "all");
static cmdline_parse_token_num_t cli_cmd_set_filter_port =
	TOKEN_NUM_INITIALIZER(struct cli_cmd_set_filter_result, port, RTE_UINT16);
static cmdline_parse_token_string_t cli_cmd_set_filter_on_off =
	TOKEN_STRING_INITIALIZER(struct cli_cmd_set_filter_result, on_off, "on#off");

static cmdline_parse_inst_t cli_cmd_set_filter_all_inst = {
	.f = cli_cmd_set_filter_parsed,
	.data = CLI_ALL,
	.help_str = "set promisc|allmulti all on|off: receive filter of every port",
	.tokens = { (void *)&cli_cmd_set_filter_set, (void *)&cli_cmd_set_filter_what,
		(void *)&cli_cmd_set_filter_all, (void *)&cli_cmd_set_filter_on_off, NULL },
};
static cmdline_parse_inst_t cli_cmd_set_filter_one = {
	.f = cli_cmd_set_filter_parsed,
	.help_str = "set promisc|allmulti <port> on|off",
	.tokens = { (void *)&cli_cmd_set_filter_set, (void *)&cli_cmd_set_filter_what,
		(void *)&cli_cmd_set_filter_port, (void *)&cli_cmd_set_filter_on_off, NULL },
};

/* port stop|start|close all|<port> */
struct cli_cmd_port_op_result {
	cmdline_fixed_string_t port_kw;
	cmdline_fixed_string_t op;
	cmdline_fixed_string_t all;
	uint16_t port;
};

static void
cli_cmd_port_op_parsed(void *parsed, struct cmdline *cl, void *data)
{
	struct cli_cmd_port_op_result *res = parsed;
	uint16_t list[RTE_MAX_ETHPORTS], nb, i;

	RTE_SET_USED(cl);
	if (!cli_cmds_fwd_idle() || !cli_cmds_each_port(data, res->port, list, &nb))
		return;
	for (i = 0; i < nb; i++) {
		if (strcmp(res->op, "start") == 0)
			cli_port_start(list[i]);
		else if (strcmp(res->op, "stop") == 0)
			cli_port_stop(list[i]);
		else
			cli_port_close(list[i]);
	}
}

static cmdline_parse_token_string_t cli_cmd_port_op_port =
	TOKEN_STRING_INITIALIZER(struct cli_cmd_port_op_result, port_kw, "port");
static cmdline_parse_token_string_t cli_cmd_port_op_op =
	TOKEN_STRING_INITIALIZER(struct cli_cmd_port_op_result, op, "stop#start#close");
static cmdline_parse_token_string_t cli_cmd_port_op_all =
	TOKEN_STRING_INITIALIZER(struct cli_cmd_port_op_result, all, "all");
static cmdline_parse_token_num_t cli_cmd_port_op_id =
	TOKEN_NUM_INITIALIZER(struct cli_cmd_port_op_result, port, RTE_UINT16);

static cmdline_parse_inst_t cli_cmd_port_op_all_inst = {
	.f = cli_cmd_port_op_parsed,
	.data = CLI_ALL,
	.help_str = "port stop|start|close all: stop, (re)configure and start, or close every port",
	.tokens = { (void *)&cli_cmd_port_op_port, (void *)&cli_cmd_port_op_op,
		(void *)&cli_cmd_port_op_all, NULL },
};
static cmdline_parse_inst_t cli_cmd_port_op_one = {
	.f = cli_cmd_port_op_parsed,
	.help_str = "port stop|start|close <port>",
	.tokens = { (void *)&cli_cmd_port_op_port, (void *)&cli_cmd_port_op_op,
		(void *)&cli_cmd_port_op_id, NULL },
};

/* port config all rxq|txq|rxd|txd <n> */
struct cli_cmd_port_config_result {
	cmdline_fixed_string_t port_kw;
	cmdline_fixed_string_t config;
	cmdline_fixed_string_t all;
	cmdline_fixed_string_t what;
	uint32_t value;
};

static void
cli_cmd_port_config_parsed(void *parsed, struct cmdline *cl, void *data)
{
	struct cli_cmd_port_config_result *res = parsed;
	uint16_t port;

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	if (!cli_cmds_fwd_idle())
		return;
	/* As testpmd: queue and ring sizes change only on stopped ports. */
	RTE_ETH_FOREACH_DEV(port)
		if (cli_ports[port].started) {
			printf("error: port %u is started: \"port stop all\" first\n", port);
			return;
		}
	cli_port_config_all(res->what, res->value);
}

static cmdline_parse_token_string_t cli_cmd_port_config_port =
	TOKEN_STRING_INITIALIZER(struct cli_cmd_port_config_result, port_kw, "port");
static cmdline_parse_token_string_t cli_cmd_port_config_config =
	TOKEN_STRING_INITIALIZER(struct cli_cmd_port_config_result, config, "config");
static cmdline_parse_token_string_t cli_cmd_port_config_all =
	TOKEN_STRING_INITIALIZER(struct cli_cmd_port_config_result, all, "all");
static cmdline_parse_token_string_t cli_cmd_port_config_what =
	TOKEN_STRING_INITIALIZER(struct cli_cmd_port_config_result, what, "rxq#txq#rxd#txd");
static cmdline_parse_token_num_t cli_cmd_port_config_value =
	TOKEN_NUM_INITIALIZER(struct cli_cmd_port_config_result, value, RTE_UINT32);

static cmdline_parse_inst_t cli_cmd_port_config = {
	.f = cli_cmd_port_config_parsed,
	.help_str = "port config all rxq|txq|rxd|txd <n>: queues and ring sizes (ports stopped)",
	.tokens = { (void *)&cli_cmd_port_config_port, (void *)&cli_cmd_port_config_config,
		(void *)&cli_cmd_port_config_all, (void *)&cli_cmd_port_config_what,
		(void *)&cli_cmd_port_config_value, NULL },
};

/* port config mtu <port> <value> */
struct cli_cmd_port_mtu_result {
	cmdline_fixed_string_t port_kw;
	cmdline_fixed_string_t config;
	cmdline_fixed_string_t mtu;
	uint16_t port;
	uint16_t value;
};

static void
cli_cmd_port_mtu_parsed(void *parsed, struct cmdline *cl, void *data)
{
	struct cli_cmd_port_mtu_result *res = parsed;
	int ret;

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	if (!cli_cmds_fwd_idle() || !cli_port_check(res->port))
		return;
	ret = rte_eth_dev_set_mtu(res->port, res->value);
	if (ret != 0)
		cli_port_error(res->port, "set mtu", ret);
	else
		printf("PORT-MTU port=%u mtu=%u\n", res->port, res->value);
}

static cmdline_parse_token_string_t cli_cmd_port_mtu_port =
	TOKEN_STRING_INITIALIZER(struct cli_cmd_port_mtu_result, port_kw, "port");
static cmdline_parse_token_string_t cli_cmd_port_mtu_config =
	TOKEN_STRING_INITIALIZER(struct cli_cmd_port_mtu_result, config, "config");
static cmdline_parse_token_string_t cli_cmd_port_mtu_mtu =
	TOKEN_STRING_INITIALIZER(struct cli_cmd_port_mtu_result, mtu, "mtu");
static cmdline_parse_token_num_t cli_cmd_port_mtu_id =
	TOKEN_NUM_INITIALIZER(struct cli_cmd_port_mtu_result, port, RTE_UINT16);
static cmdline_parse_token_num_t cli_cmd_port_mtu_value =
	TOKEN_NUM_INITIALIZER(struct cli_cmd_port_mtu_result, value, RTE_UINT16);

static cmdline_parse_inst_t cli_cmd_port_mtu = {
	.f = cli_cmd_port_mtu_parsed,
	.help_str = "port config mtu <port> <value>: set the MTU",
	.tokens = { (void *)&cli_cmd_port_mtu_port, (void *)&cli_cmd_port_mtu_config,
		(void *)&cli_cmd_port_mtu_mtu, (void *)&cli_cmd_port_mtu_id,
		(void *)&cli_cmd_port_mtu_value, NULL },
};

/* show config fwd */
struct cli_cmd_show_config_result {
	cmdline_fixed_string_t show;
	cmdline_fixed_string_t config;
	cmdline_fixed_string_t fwd;
};

static void
cli_cmd_show_config_parsed(void *parsed, struct cmdline *cl, void *data)
{
	RTE_SET_USED(parsed);
	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	cli_fwd_show_config();
}

static cmdline_parse_token_string_t cli_cmd_show_config_show =
	TOKEN_STRING_INITIALIZER(struct cli_cmd_show_config_result, show, "show");
static cmdline_parse_token_string_t cli_cmd_show_config_config =
	TOKEN_STRING_INITIALIZER(struct cli_cmd_show_config_result, config, "config");
static cmdline_parse_token_string_t cli_cmd_show_config_fwd =
	TOKEN_STRING_INITIALIZER(struct cli_cmd_show_config_result, fwd, "fwd");

static cmdline_parse_inst_t cli_cmd_show_config = {
	.f = cli_cmd_show_config_parsed,
	.help_str = "show config fwd: forwarding engine, lcores and streams",
	.tokens = { (void *)&cli_cmd_show_config_show, (void *)&cli_cmd_show_config_config,
		(void *)&cli_cmd_show_config_fwd, NULL },
};

cmdline_parse_ctx_t cli_cmds_ctx[] = {
	&cli_cmd_start,
	&cli_cmd_start_txf,
	&cli_cmd_start_txf_n,
	&cli_cmd_stop,
	&cli_cmd_quit,
	&cli_cmd_help,
	&cli_cmd_show_port_all_inst,
	&cli_cmd_show_port_one,
	&cli_cmd_clear_port_all,
	&cli_cmd_clear_port_one,
	&cli_cmd_set_fwd,
	&cli_cmd_set_rx_mode,
	&cli_cmd_set_num,
	&cli_cmd_set_filter_all_inst,
	&cli_cmd_set_filter_one,
	&cli_cmd_port_op_all_inst,
	&cli_cmd_port_op_one,
	&cli_cmd_port_config,
	&cli_cmd_port_mtu,
	&cli_cmd_show_config,
	NULL,
};

unsigned int
cli_cmds_run_stream(struct cmdline *cl, FILE *in)
{
	char line[CLI_LINE_MAX];
	unsigned int failed = 0;
	size_t len;
	char *p;
	int ret;

	while (!cli_cmds_quit && fgets(line, sizeof(line) - 1, in) != NULL) {
		len = strlen(line);
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		for (p = line; *p == ' ' || *p == '\t'; p++)
			;
		if (*p == '\0' || *p == '#')
			continue;
		/* Echo, so a log reads like an interactive session. */
		printf("%s%s\n", CLI_PROMPT, p);
		/* cmdline parses complete lines only: give the newline back. */
		line[len] = '\n';
		line[len + 1] = '\0';
		ret = cmdline_parse(cl, p);
		line[len] = '\0';
		if (ret >= 0)	/* the length parsed */
			continue;
		failed++;
		if (ret == CMDLINE_PARSE_AMBIGUOUS)
			printf("error: ambiguous command: %s\n", p);
		else if (ret == CMDLINE_PARSE_BAD_ARGS)
			printf("error: bad arguments: %s (try help)\n", p);
		else
			printf("error: unknown command: %s (try help)\n", p);
	}
	return failed;
}
