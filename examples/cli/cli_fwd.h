/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Forwarding for vmmio-testpmd: testpmd's engines (io, mac, macswap, rxonly,
 * txonly, icmpecho) run as streams (RX port/queue -> TX port/queue) on the
 * worker lcores, never on the main lcore that runs the prompt.
 */
#ifndef CLI_FWD_H
#define CLI_FWD_H

#include <stdbool.h>
#include <stdint.h>

#define CLI_FWD_MAX_BURST	512	/**< largest "set burst" value */

/** Forwarding engines, named as in testpmd. */
enum cli_fwd_mode {
	CLI_FWD_IO,
	CLI_FWD_MAC,
	CLI_FWD_MACSWAP,
	CLI_FWD_RXONLY,
	CLI_FWD_TXONLY,
	CLI_FWD_ICMPECHO,
	CLI_FWD_MODE_COUNT,
};

/** How forwarding lcores wait for packets. */
enum cli_rx_mode {
	CLI_RX_POLL,		/**< busy-poll rx_burst */
	CLI_RX_INTERRUPT,	/**< sleep on the RX interrupt after an empty round */
};

/** Forwarding settings ("set fwd|burst|verbose|rx-mode"). */
struct cli_fwd_conf {
	enum cli_fwd_mode mode;
	uint16_t burst;
	uint32_t verbose;	/**< > 0: one line per received packet */
	enum cli_rx_mode rx_mode;
};

/** Current forwarding settings; change them only while stopped. */
extern struct cli_fwd_conf cli_fwd_conf;

/**
 * Look up a forwarding engine by its testpmd name.
 *
 * @return the mode, or -EINVAL.
 */
int cli_fwd_mode_parse(const char *name);

/**
 * Name of a forwarding engine.
 */
const char *cli_fwd_mode_name(enum cli_fwd_mode mode);

/**
 * Start forwarding on every started port.
 *
 * @param tx_first bursts of generated packets each stream sends first
 *   ("start tx_first [n]"); 0 for plain "start".
 * @return 0 or a negative errno (message printed).
 */
int cli_fwd_start(unsigned int tx_first);

/**
 * Stop forwarding: signal the lcores, wait for each, print the statistics.
 *
 * @return 0, or -EALREADY if not running.
 */
int cli_fwd_stop(void);

/**
 * @return true while forwarding lcores run.
 */
bool cli_fwd_running(void);

/**
 * Print one line per RX queue of @p port that the last start forwarded
 * from: packets received by its stream, and in interrupt mode how often
 * the lcore slept with the queue armed, how often the queue's event woke
 * it (rte_epoll_wait), and the PMD's interrupt count for the queue
 * (xstat rx_q<N>_interrupts, "n/a" when the PMD has none). Counts since
 * that start; the lcore may still be updating them.
 */
void cli_fwd_show_queue_stats(uint16_t port);

/**
 * Print the forwarding configuration and the streams a start would run.
 */
void cli_fwd_show_config(void);

#endif /* CLI_FWD_H */
