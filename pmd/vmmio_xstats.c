/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Extended statistics: a table of per-queue counters (offsets into the
 * queue structures) plus a few per-port ones. The datapath only adds to
 * plain per-queue counters owned by its lcore; nothing here is atomic.
 */
#include <stddef.h>
#include <stdio.h>

#include "vmmio_adapter.h"
#include "vmmio_rxtx.h"
#include "vmmio_xstats.h"

struct vmmio_xstat_desc {
	const char *name;	/**< after "rx_qN_" / "tx_qN_" */
	size_t off;		/**< uint64_t counter in the queue structure */
};

#define RXQ_STAT(n, f)	{ n, offsetof(struct vmmio_rxq, f) }
#define TXQ_STAT(n, f)	{ n, offsetof(struct vmmio_txq, f) }

/* Size buckets come first in each queue's block (enum vmmio_size_bin order). */
static const char * const size_bin_names[VMMIO_SIZE_BINS] = {
	[VMMIO_SIZE_64] = "size_64_packets",
	[VMMIO_SIZE_65_127] = "size_65_127_packets",
	[VMMIO_SIZE_128_255] = "size_128_255_packets",
	[VMMIO_SIZE_256_511] = "size_256_511_packets",
	[VMMIO_SIZE_512_1023] = "size_512_1023_packets",
	[VMMIO_SIZE_1024_1518] = "size_1024_1518_packets",
	[VMMIO_SIZE_1519_MAX] = "size_1519_max_packets",
};

static const struct vmmio_xstat_desc rxq_xstats[] = {
	RXQ_STAT("notifications", stats.notifies),
	RXQ_STAT("interrupts", stats.interrupts),
	RXQ_STAT("intr_wakeups", intr.wakeups),
	RXQ_STAT("swring_drops", intr.swr_drops),
	RXQ_STAT("mbuf_allocation_errors", stats.nombuf),
};

static const struct vmmio_xstat_desc txq_xstats[] = {
	TXQ_STAT("errors", stats.errors),
	TXQ_STAT("notifications", stats.notifies),
};

/* One direction's per-queue block: its table and where its size buckets are. */
struct vmmio_xstat_dir {
	const char *prefix;	/**< "rx" or "tx" */
	const struct vmmio_xstat_desc *t;
	unsigned int nt;
	size_t bins_off;	/**< size_bins[] in the queue structure */
};

static const struct vmmio_xstat_dir dirs[2] = {
	{ "rx", rxq_xstats, RTE_DIM(rxq_xstats),
		offsetof(struct vmmio_rxq, stats.size_bins) },
	{ "tx", txq_xstats, RTE_DIM(txq_xstats),
		offsetof(struct vmmio_txq, stats.size_bins) },
};

/* Per port: the single interrupt line (4.2.3.4). */
static const struct vmmio_xstat_desc port_xstats[] = {
	{ "interrupts", offsetof(struct vmmio_adapter, interrupts) },
	{ "config_change_interrupts", offsetof(struct vmmio_adapter, config_changes) },
};

static uint16_t
nb_queues(const struct rte_eth_dev *dev, unsigned int d)
{
	return d == 0 ? dev->data->nb_rx_queues : dev->data->nb_tx_queues;
}

static void *
queue_of(const struct rte_eth_dev *dev, unsigned int d, uint16_t q)
{
	return d == 0 ? dev->data->rx_queues[q] : dev->data->tx_queues[q];
}

static unsigned int
xstats_count(const struct rte_eth_dev *dev)
{
	return RTE_DIM(port_xstats) +
		nb_queues(dev, 0) * (VMMIO_SIZE_BINS + dirs[0].nt) +
		nb_queues(dev, 1) * (VMMIO_SIZE_BINS + dirs[1].nt);
}

int
vmmio_xstats_get_names(struct rte_eth_dev *dev,
	struct rte_eth_xstat_name *names, unsigned int size)
{
	unsigned int count = xstats_count(dev), k = 0, i, d;
	uint16_t q;

	if (names == NULL || size < count)
		return count;
	for (i = 0; i < RTE_DIM(port_xstats); i++)
		snprintf(names[k++].name, RTE_ETH_XSTATS_NAME_SIZE, "%s",
			port_xstats[i].name);
	for (d = 0; d < RTE_DIM(dirs); d++)
		for (q = 0; q < nb_queues(dev, d); q++) {
			for (i = 0; i < VMMIO_SIZE_BINS; i++)
				snprintf(names[k++].name, RTE_ETH_XSTATS_NAME_SIZE,
					"%s_q%u_%s", dirs[d].prefix, q, size_bin_names[i]);
			for (i = 0; i < dirs[d].nt; i++)
				snprintf(names[k++].name, RTE_ETH_XSTATS_NAME_SIZE,
					"%s_q%u_%s", dirs[d].prefix, q, dirs[d].t[i].name);
		}
	return count;
}

/* Counter at @p off in @p base, 0 for a queue not set up. */
static inline uint64_t
counter(const void *base, size_t off)
{
	return base == NULL ? 0 : *(const uint64_t *)RTE_PTR_ADD(base, off);
}

int
vmmio_xstats_get(struct rte_eth_dev *dev, struct rte_eth_xstat *xs,
	unsigned int n)
{
	unsigned int count = xstats_count(dev), k = 0, i, d;
	const void *qp;
	uint16_t q;

	if (xs == NULL || n < count)
		return count;
	for (i = 0; i < RTE_DIM(port_xstats); i++, k++) {
		xs[k].id = k;
		xs[k].value = counter(dev->data->dev_private, port_xstats[i].off);
	}
	for (d = 0; d < RTE_DIM(dirs); d++)
		for (q = 0; q < nb_queues(dev, d); q++) {
			qp = queue_of(dev, d, q);
			for (i = 0; i < VMMIO_SIZE_BINS; i++, k++) {
				xs[k].id = k;
				xs[k].value = counter(qp, dirs[d].bins_off +
					i * sizeof(uint64_t));
			}
			for (i = 0; i < dirs[d].nt; i++, k++) {
				xs[k].id = k;
				xs[k].value = counter(qp, dirs[d].t[i].off);
			}
		}
	return count;
}
