/* SPDX-License-Identifier: BSD-3-Clause */
/* Helpers shared by the host unit tests: checks, EAL, ports on the model. */
#ifndef TEST_COMMON_H
#define TEST_COMMON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "vmmio_model.h"
#include "vmmio_vq.h"

/** Fail the test: print where and why, then exit 1. */
#define CHECK(cond) do { \
	if (!(cond)) \
		test_fail(__FILE__, __LINE__, #cond, NULL); \
} while (0)

/** As CHECK, printing both values. */
#define CHECK_EQ(a, b) do { \
	long long a_ = (long long)(a), b_ = (long long)(b); \
	if (a_ != b_) { \
		char m_[96]; \
		snprintf(m_, sizeof(m_), "%lld != %lld", a_, b_); \
		test_fail(__FILE__, __LINE__, #a " == " #b, m_); \
	} \
} while (0)

/** Model has recorded no version, access or protocol error. */
#define CHECK_MODEL_CLEAN(m) do { \
	if (model_errors(m) != 0) \
		test_fail(__FILE__, __LINE__, "model_errors(" #m ") == 0", \
			(m)->last_error); \
} while (0)

/** Bound of every wait for another thread (milliseconds). */
#define TEST_WAIT_MS		5000

/** Frame geometry used by the tests. */
#define TEST_FRAME_MIN		60
#define TEST_ETHERTYPE		0x88b5	/* local experimental */

/** A port on a model device, with its own mempool. */
struct test_port {
	struct vmmio_model model;
	struct vmmio_hw hw;
	uint16_t port_id;
	bool created;
	bool started;
	struct rte_mempool *mp;
	unsigned int mp_size;
	unsigned int mp_cache;		/**< per-lcore mempool cache; 0 = 32 */
	uint16_t nb_rxd;
	uint16_t nb_txd;
	uint16_t tx_free_thresh;	/**< for tx_queue_setup; 0 = PMD default */
	char name[32];			/**< ethdev name */
	char devname[16];		/**< platform device name given to the PMD */
};

/** Variant of a test run: modern (Version 2) or legacy (Version 1). */
extern uint32_t test_version;

/**
 * Variant "plain": a modern device, ports set up by tp_setup_ex() without
 * packet_type parsing (rte_eth_dev_set_ptypes UNKNOWN), so that receive
 * queues without offloads take the plain path.
 */
extern bool test_plain;
/** Variant 'packed': models offer VIRTIO_F_RING_PACKED (2.8). */
extern bool test_packed;

/**
 * Used entries the device returned and the driver has not consumed, in
 * either ring layout (packed: receive buffers, one descriptor each).
 */
uint16_t tp_used_pending(struct vmmio_vq *vq);

/** Length field of the next used entry of @p vq, in either layout. */
uint32_t *tp_used_len(struct vmmio_vq *vq);

void test_fail(const char *file, int line, const char *expr, const char *detail)
	__rte_noreturn;

/**
 * Optional: test_fail calls it to add context to every failure message
 * (a randomized test's seed and step, so the failure can be replayed).
 */
extern void (*test_fail_context)(FILE *out);

/**
 * Start EAL for a unit test (no hugepages, no shared files, IOVA as VA) and
 * parse the arguments: variant ("modern" or "legacy", default modern), then
 * an optional test case name to run alone.
 */
void test_init(int argc, char **argv);

/** Optional test case name (second argument): run only that case. */
extern const char *test_filter;
/** Test cases run so far. */
extern unsigned int test_ran;

/**
 * Run one named test case (unless filtered out), printing its name. The
 * cases of an executable are its main()'s RUN lines: meson.build registers
 * each line RUN(test_<case>); as a test, and refuses a RUN it cannot read
 * or a function test_<case>(void) that main() does not RUN.
 */
#define RUN(fn) do { \
	if (test_filter != NULL && strcmp(#fn, test_filter) != 0) \
		break; \
	printf("--- %s (%s)\n", #fn, test_version == 1 ? "legacy" : "modern"); \
	fflush(stdout); \
	test_ran++; \
	fn(); \
} while (0)

/** End the test: EAL cleanup and exit status 0 (1 if no case matched). */
int test_done(void);

/** Model options of the current variant with defaults. */
void test_opts(struct model_opts *o);

/** Initialize the port's model with @p opts (NULL: variant defaults). */
void tp_model(struct test_port *tp, const struct model_opts *opts);

/**
 * Create the port on the model set up by tp_model.
 *
 * @return vmmio_ethdev_create()'s result (the model stays initialized).
 */
int tp_create_port(struct test_port *tp);

/** tp_model + tp_create_port. */
int tp_create(struct test_port *tp, const struct model_opts *opts);

/** Configure the port and set up its queues (0 = default ring sizes). */
void tp_setup(struct test_port *tp, uint16_t nb_rxd, uint16_t nb_txd);

/**
 * As tp_setup with port configuration @p conf (offloads) and mbufs of
 * @p data_room bytes (0: RTE_MBUF_DEFAULT_BUF_SIZE). All steps checked.
 */
void tp_setup_ex(struct test_port *tp, const struct rte_eth_conf *conf,
	uint16_t nb_rxd, uint16_t nb_txd, uint16_t data_room);

/** rte_eth_dev_start (checked) and check the device reached DRIVER_OK. */
void tp_start(struct test_port *tp);

/** tp_create + tp_setup + tp_start, all checked. */
void tp_open(struct test_port *tp, const struct model_opts *opts,
	uint16_t nb_rxd, uint16_t nb_txd);

/** Stop the port (checked). */
void tp_stop(struct test_port *tp);

/**
 * Give a created port the model's interrupt line (before configure). With
 * @p hold the model keeps its edges until tp_irq_serve(), so the EAL
 * interrupt thread never runs against the model while the test does.
 */
void tp_irq(struct test_port *tp, bool hold);

/** The model's line as VFIO signals it (an eventfd per edge). */
extern const struct vmmio_irq_ops tp_irq_ops;
/** The model's line as UIO signals it: masked at each edge until unmasked. */
extern const struct vmmio_irq_ops tp_uio_irq_ops;

/** tp_irq with the line backend @p ops. */
void tp_irq_ops_set(struct test_port *tp, bool hold, const struct vmmio_irq_ops *ops);

/** tp_setup with dev_conf.intr_conf.rxq set (RX interrupts). */
void tp_setup_intr(struct test_port *tp, uint16_t nb_rxd, uint16_t nb_txd);

/**
 * Start a port with an interrupt line (tp_irq) and wait until the EAL
 * thread has served the start's first look at it (swring mode).
 */
void tp_start_intr(struct test_port *tp);

/** Line events the PMD's handler has taken so far (vmmio_adapter.interrupts). */
uint64_t tp_irq_served(const struct test_port *tp);

/** Wait (bounded) until the handler has taken more than @p served events and returned. */
void tp_irq_wait(struct test_port *tp, uint64_t served);

/**
 * Deliver the held edges and wait until the EAL thread has served them.
 * @return false if there was no edge to deliver.
 */
bool tp_irq_serve(struct test_port *tp);

/** Wait (bounded) until *v > @p above; false on timeout. */
bool test_wait_u64(const uint64_t *v, uint64_t above);

/** File descriptors this process has open (/proc/self/fd), for leak checks. */
unsigned int test_open_fds(void);

/** Read a non-blocking eventfd as a sleeping lcore would: its count, 0 if not signalled. */
uint64_t efd_take(int fd);

/** Return once the EAL interrupt thread has finished what it was running. */
void eal_thread_sync(void);

/**
 * Stop and close the port, check every mbuf returned to the pool, free the
 * pool and the model.
 */
void tp_close(struct test_port *tp);

/** Mbufs of the port's pool not in the pool (held by PMD or test). */
unsigned int tp_mbufs_out(const struct test_port *tp);

/** Fill @p buf with test frame number @p seq of @p len bytes. */
void frame_fill(uint8_t *buf, uint32_t len, uint32_t seq);

/** True if @p buf holds frame @p seq of @p len bytes. */
bool frame_ok(const uint8_t *buf, uint32_t len, uint32_t seq);

/** Length of test frame @p seq: varies between 60 and 1514 bytes. */
uint32_t frame_len(uint32_t seq);

/** Single-segment mbuf holding frame @p seq of @p len bytes. */
struct rte_mbuf *mbuf_frame(struct rte_mempool *mp, uint32_t len, uint32_t seq);

/** Inject frame @p seq into the model's receive queue (checked). */
void inject(struct test_port *tp, uint32_t seq);

/** Receive up to @p n packets into @p pkts, polling a few times. */
uint16_t rx_some(struct test_port *tp, struct rte_mbuf **pkts, uint16_t n);

/**
 * @p n (at most 8) frames each way from sequence number @p base: injected
 * and received intact, sent and seen intact by the model (all checked).
 */
void tp_traffic(struct test_port *tp, uint32_t base, uint32_t n);

/** Memzones reserved, but ethdev's shared port data (kept after the first port). */
unsigned int test_memzones(void);

/** Read port stats (checked). */
void stats(const struct test_port *tp, struct rte_eth_stats *st);

/**
 * Read one extended statistic by name (checked). Per-queue counters are
 * read this way ("rx_q0_packets"): DPDK 25.11 took them out of struct
 * rte_eth_stats; ethdev's queue xstats carry them in every version.
 */
uint64_t xstat(const struct test_port *tp, const char *name);

#endif /* TEST_COMMON_H */
