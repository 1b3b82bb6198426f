/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Port management for vmmio-testpmd: configuration kept across port
 * stop/start, the ethdev calls behind the "port", "set promisc|allmulti" and
 * "show|clear port" commands, and the per-port state they keep consistent.
 */
#ifndef CLI_PORT_H
#define CLI_PORT_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_mempool.h>

/** Settings applied at the next "port start" (testpmd's port config). */
struct cli_port_conf {
	uint16_t nb_rxq;	/**< RX queues per port */
	uint16_t nb_txq;	/**< TX queues per port */
	uint16_t nb_rxd;	/**< RX descriptors per queue (0: PMD default) */
	uint16_t nb_txd;	/**< TX descriptors per queue (0: PMD default) */
	bool rx_intr;		/**< configure RX queue interrupts (rx-mode interrupt) */
};

/** What the application knows about one port. */
struct cli_port {
	bool started;		/**< rte_eth_dev_start succeeded, no stop since */
	bool closed;		/**< rte_eth_dev_close was called: id is gone */
	uint16_t nb_rxq;	/**< queues of the last successful configure */
	uint16_t nb_txq;
	uint16_t nb_rxd;	/**< descriptors actually set up */
	uint16_t nb_txd;
	struct rte_ether_addr mac;
};

/** Configuration used by the next port start. */
extern struct cli_port_conf cli_port_conf;
/** Per-port state, indexed by port id. */
extern struct cli_port cli_ports[RTE_MAX_ETHPORTS];
/** The mbuf pool of every RX queue and of generated packets. */
extern struct rte_mempool *cli_pool;

/**
 * Create the mbuf pool and configure and start every port.
 *
 * @return 0, or a negative errno (the port that failed is reported).
 */
int cli_port_init_all(void);

/**
 * Stop and close every port still open (at exit).
 */
void cli_port_close_all(void);

/**
 * Check that @p port names a usable (probed, not closed) port; print an
 * error line if not.
 *
 * @return true if usable.
 */
bool cli_port_check(uint32_t port);

/**
 * Configure (with cli_port_conf), set up the queues and start one port.
 *
 * @return 0 or a negative errno.
 */
int cli_port_start(uint16_t port);

/**
 * Stop one port.
 *
 * @return 0 or a negative errno.
 */
int cli_port_stop(uint16_t port);

/**
 * Stop (if started) and close one port; its id is released.
 *
 * @return 0 or a negative errno.
 */
int cli_port_close(uint16_t port);

/**
 * Validate and store one "port config all rxq|txq|rxd|txd" setting against
 * every open port's limits.
 *
 * @param what "rxq", "txq", "rxd" or "txd".
 * @return 0, or -EINVAL (message printed) leaving the old value.
 */
int cli_port_config_all(const char *what, uint32_t value);

/** Print "show port info" for one port. */
void cli_port_show_info(uint16_t port);
/** Print "show port stats" for one port. */
void cli_port_show_stats(uint16_t port);
/** Print "show port xstats" for one port. */
void cli_port_show_xstats(uint16_t port);

/**
 * Print an error line for a failed ethdev call, with rte_strerror.
 *
 * @param ret negative errno from ethdev.
 */
void cli_port_error(uint16_t port, const char *op, int ret);

#endif /* CLI_PORT_H */
