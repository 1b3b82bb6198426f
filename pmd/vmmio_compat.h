/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The driver-facing ethdev API of the DPDK releases this PMD builds on
 * (22.11, 24.11 and 25.11 LTS). The driver is written against the newest
 * API; this header shims the older ones. Every version test of the PMD
 * lives here.
 */
#ifndef VMMIO_COMPAT_H
#define VMMIO_COMPAT_H

#include <string.h>

#include <ethdev_driver.h>
#include <rte_version.h>

#if RTE_VERSION < RTE_VERSION_NUM(22, 11, 0, 0)
#error "net_virtio_mmio needs DPDK 22.11 or later"
#endif

/*
 * eth_stats_get_t: since 25.11 the per-queue counters travel in their own
 * struct eth_queue_stats (may be NULL); before, they were the q_* arrays at
 * the end of struct rte_eth_stats. The driver implements the 25.11 form;
 * VMMIO_STATS_GET(fn) names what goes into eth_dev_ops.stats_get, and
 * VMMIO_STATS_GET_DEFINE(fn) (after fn) defines the older form's wrapper.
 */
#if RTE_VERSION >= RTE_VERSION_NUM(25, 11, 0, 0)
#define VMMIO_STATS_GET(fn) fn
#define VMMIO_STATS_GET_DEFINE(fn)
#else
/** Per-queue counters, as ethdev_driver.h defines them since 25.11. */
struct eth_queue_stats {
	uint64_t q_ipackets[RTE_ETHDEV_QUEUE_STAT_CNTRS];
	uint64_t q_opackets[RTE_ETHDEV_QUEUE_STAT_CNTRS];
	uint64_t q_ibytes[RTE_ETHDEV_QUEUE_STAT_CNTRS];
	uint64_t q_obytes[RTE_ETHDEV_QUEUE_STAT_CNTRS];
	uint64_t q_errors[RTE_ETHDEV_QUEUE_STAT_CNTRS];
};
#define VMMIO_STATS_GET(fn) fn ## _compat
#define VMMIO_STATS_GET_DEFINE(fn) \
static int \
fn ## _compat(struct rte_eth_dev *dev, struct rte_eth_stats *st) \
{ \
	struct eth_queue_stats qs; \
	int ret; \
\
	memset(&qs, 0, sizeof(qs)); \
	ret = fn(dev, st, &qs); \
	memcpy(st->q_ipackets, qs.q_ipackets, sizeof(st->q_ipackets)); \
	memcpy(st->q_opackets, qs.q_opackets, sizeof(st->q_opackets)); \
	memcpy(st->q_ibytes, qs.q_ibytes, sizeof(st->q_ibytes)); \
	memcpy(st->q_obytes, qs.q_obytes, sizeof(st->q_obytes)); \
	memcpy(st->q_errors, qs.q_errors, sizeof(st->q_errors)); \
	return ret; \
}
#endif

/*
 * eth_dev_supported_ptypes_get_t: since 24.03 it also returns the number of
 * packet types; before, the list's RTE_PTYPE_UNKNOWN end was all there was.
 * VMMIO_PTYPES_GET(fn) / VMMIO_PTYPES_GET_DEFINE(fn) as for stats_get.
 */
#if RTE_VERSION >= RTE_VERSION_NUM(24, 3, 0, 0)
#define VMMIO_PTYPES_GET(fn) fn
#define VMMIO_PTYPES_GET_DEFINE(fn)
#else
#define VMMIO_PTYPES_GET(fn) fn ## _compat
#define VMMIO_PTYPES_GET_DEFINE(fn) \
static const uint32_t * \
fn ## _compat(struct rte_eth_dev *dev) \
{ \
	size_t n; \
\
	return fn(dev, &n); \
}
#endif

#endif /* VMMIO_COMPAT_H */
