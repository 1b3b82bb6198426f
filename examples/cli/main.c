/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vmmio-testpmd: a testpmd-style interactive application for the
 * virtio-mmio PMD (and any ethdev port).
 *
 *   vmmio-testpmd [EAL args] -- [-i] [-a|--auto-start] [--cmdline-file FILE]
 *       [--forward-mode MODE] [--burst N] [--rxd N] [--txd N]
 *       [--rx-mode poll|interrupt]
 *
 * The main lcore runs the prompt; forwarding runs on the worker lcores
 * (EAL -l 0,1 or more). Commands come from --cmdline-file first, then from
 * standard input: an interactive cmdline prompt on a terminal, one command
 * per line otherwise (pipes, scripts, the guest console FIFO).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmdline.h>
#include <cmdline_socket.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>

#include "cli_cmds.h"
#include "cli_fwd.h"
#include "cli_port.h"

struct cli_opts {
	const char *cmdline_file;
	bool auto_start;
};

static void
cli_usage(const char *prog)
{
	printf("usage: %s [EAL args] -- [-i] [-a|--auto-start] [--cmdline-file FILE]\n"
		"    [--forward-mode io|mac|macswap|rxonly|txonly|icmpecho] [--burst N]\n"
		"    [--rxd N] [--txd N] [--rx-mode poll|interrupt]\n", prog);
}

static int
cli_parse_num(const char *s, unsigned long max, unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(s, &end, 10);
	return errno != 0 || *end != '\0' || end == s || *v > max ? -EINVAL : 0;
}

static int
cli_parse_args(int argc, char **argv, struct cli_opts *o)
{
	static const struct option opts[] = {
		{ "interactive", no_argument, NULL, 'i' },
		{ "auto-start", no_argument, NULL, 'a' },
		{ "cmdline-file", required_argument, NULL, 'f' },
		{ "forward-mode", required_argument, NULL, 'm' },
		{ "burst", required_argument, NULL, 'b' },
		{ "rxd", required_argument, NULL, 'r' },
		{ "txd", required_argument, NULL, 't' },
		{ "rx-mode", required_argument, NULL, 'x' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long v;
	int c, mode;

	while ((c = getopt_long(argc, argv, "ia", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			break;	/* testpmd's flag: the prompt is always there */
		case 'a':
			o->auto_start = true;
			break;
		case 'f':
			o->cmdline_file = optarg;
			break;
		case 'm':
			mode = cli_fwd_mode_parse(optarg);
			if (mode < 0)
				return -EINVAL;
			cli_fwd_conf.mode = mode;
			break;
		case 'b':
			if (cli_parse_num(optarg, CLI_FWD_MAX_BURST, &v) != 0 || v == 0)
				return -EINVAL;
			cli_fwd_conf.burst = v;
			break;
		case 'r':
		case 't':
			if (cli_parse_num(optarg, UINT16_MAX, &v) != 0)
				return -EINVAL;
			if (c == 'r')
				cli_port_conf.nb_rxd = v;
			else
				cli_port_conf.nb_txd = v;
			break;
		case 'x':
			if (strcmp(optarg, "poll") != 0 && strcmp(optarg, "interrupt") != 0)
				return -EINVAL;
			cli_fwd_conf.rx_mode = optarg[0] == 'i' ?
				CLI_RX_INTERRUPT : CLI_RX_POLL;
			cli_port_conf.rx_intr = cli_fwd_conf.rx_mode == CLI_RX_INTERRUPT;
			break;
		default:
			return -EINVAL;
		}
	}
	return optind == argc ? 0 : -EINVAL;
}

static void
cli_signal(int sig)
{
	RTE_SET_USED(sig);
	cli_cmds_quit = true;
}

/* No SA_RESTART: a signal must interrupt the blocking read of the prompt. */
static void
cli_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = cli_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static int
cli_run_file(const char *path)
{
	struct cmdline *cl;
	unsigned int failed;
	FILE *f;

	f = fopen(path, "r");
	if (f == NULL) {
		printf("error: cannot open command file %s: %s\n", path, strerror(errno));
		return -errno;
	}
	cl = cmdline_new(cli_cmds_ctx, CLI_PROMPT, -1, -1);
	if (cl == NULL) {
		fclose(f);
		return -ENOMEM;
	}
	failed = cli_cmds_run_stream(cl, f);
	printf("Read CLI commands from %s (%u failed)\n", path, failed);
	cmdline_free(cl);
	fclose(f);
	return 0;
}

static void
cli_run_stdin(void)
{
	struct cmdline *cl;

	if (isatty(STDIN_FILENO)) {
		cl = cmdline_stdin_new(cli_cmds_ctx, CLI_PROMPT);
		if (cl == NULL)
			return;
		cmdline_interact(cl);
		cmdline_stdin_exit(cl);
		return;
	}
	cl = cmdline_new(cli_cmds_ctx, CLI_PROMPT, -1, -1);
	if (cl == NULL)
		return;
	cli_cmds_run_stream(cl, stdin);
	cmdline_free(cl);
}

int
main(int argc, char **argv)
{
	struct cli_opts opts = { 0 };
	int ret;

	/* Lines reach a pipe or the console at once, in order with EAL's. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "error: EAL initialization failed: %s\n",
			rte_strerror(rte_errno));
		return 1;
	}
	argc -= ret;
	argv += ret;
	if (cli_parse_args(argc, argv, &opts) != 0) {
		cli_usage(argv[0]);
		rte_eal_cleanup();
		return 2;
	}
	cli_signals();
	if (rte_eth_dev_count_avail() == 0) {
		fprintf(stderr, "error: no Ethernet ports (e.g. --vdev "
			"net_virtio_mmio0,dev=a003e00.virtio_mmio)\n");
		rte_eal_cleanup();
		return 1;
	}
	ret = cli_port_init_all();
	if (ret != 0) {
		cli_port_close_all();
		rte_eal_cleanup();
		return 1;
	}
	printf("CLI-READY ports=%u fwd-lcores=%u\n", rte_eth_dev_count_avail(),
		rte_lcore_count() - 1);
	if (opts.cmdline_file != NULL)
		cli_run_file(opts.cmdline_file);
	if (!cli_cmds_quit && opts.auto_start)
		cli_fwd_start(0);
	if (!cli_cmds_quit)
		cli_run_stdin();
	if (cli_fwd_running())
		cli_fwd_stop();
	cli_port_close_all();
	printf("Bye...\n");
	rte_eal_cleanup();
	return 0;
}
