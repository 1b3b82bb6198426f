/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The seeded random misbehaving device of test_fuzz (see test_fuzz.c for
 * what it asserts): its state, its generator, and the operations one random
 * step performs (test_fuzz_ops.c).
 */
#ifndef TEST_FUZZ_H
#define TEST_FUZZ_H

#include <stdbool.h>
#include <stdint.h>

#include "test_common.h"
#include "vmmio_rxtx.h"

#define FZ_STEPS_DEFAULT	30000
#define FZ_BURST_MAX		48
#define FZ_COLLECT_MAX		32
#define FZ_TAKEN_MAX		8
#define FZ_FRAME_MAX		4000	/* MRG frames span buffers */
#define FZ_TXMP_SIZE		1023
#define FZ_TX_TAG		0x40000000u	/* TX frames: own sequence space */
#define FZ_BAD_TAG		0x80000000u	/* frames of faulty injects */
#define FZ_DIRTY_MAX		400	/* steps before a restart resyncs */
#define FZ_PHASE		200	/* steps of one fault intensity */

/* One configuration's run: its port, generator and oracle. */
struct fz {
	uint64_t rng;
	uint64_t salt;
	char cfg[48];
	bool mrg, evidx, intr;
	unsigned long step;
	unsigned int phase;	/* 0 good only, 1 benign faults, 2 all */
	struct test_port tp;
	struct rte_mempool *txmp;
	struct vmmio_rxq *rxq;
	struct vmmio_txq *txq;
	int efd;
	unsigned int swr_size;
	uint16_t hdr_len;
	/* what the test saw, over the port's life */
	uint64_t rx_pkts, rx_bytes, tx_pkts, tx_bytes;
	/* RX oracle */
	bool rx_dirty;
	uint32_t rx_seq;	/* next good frame */
	uint32_t rx_from;	/* first frame of the clean era */
	uint32_t rx_expect;	/* next frame the clean era may deliver */
	uint64_t rx_out;	/* clean-era frames delivered */
	uint64_t rx_err_base, rx_benign, rx_miss_base;
	uint16_t rx_taken[FZ_TAKEN_MAX];
	unsigned int rx_ntaken;
	/* TX oracle */
	bool tx_dirty;
	uint32_t tx_seq, tx_from, tx_expect;
	uint64_t tx_err_base, tx_benign;
	uint16_t tx_taken[FZ_TAKEN_MAX];
	unsigned int tx_ntaken;
	uint32_t model_err_base;
	uint32_t bad_seq;
	unsigned long dirty_steps;
	/* for the log */
	unsigned long n_faults, n_benign, n_taints, n_resyncs, n_restarts;
	unsigned long n_clean_steps, n_rx_checked, n_tx_checked, n_drain_checks;
};

/* splitmix64: seeds the generator of each configuration from the run's seed. */
static inline uint64_t
mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* xorshift64*: small, and the same on every machine. */
static inline uint64_t
rnd(struct fz *f)
{
	uint64_t x = f->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	f->rng = x;
	return x * 0x2545f4914f6cdd1dULL;
}

static inline uint32_t
rn(struct fz *f, uint32_t n)
{
	return n == 0 ? 0 : (uint32_t)((rnd(f) >> 32) % n);
}

static inline bool
chance(struct fz *f, unsigned int pct)
{
	return rn(f, 100) < pct;
}

static inline struct vmmio_model *
mdl(struct fz *f)
{
	return &f->tp.model;
}

/* Used entries the device published and the driver has not harvested. */
static inline uint16_t
used_pending(struct fz *f, unsigned int q)
{
	const struct model_vq *mv = &mdl(f)->vq[q];
	uint16_t cons = q == MODEL_RXQ ? f->rxq->vq.used_cons :
		f->txq->vq.used_cons;

	return (uint16_t)(mv->used_idx - cons);
}

/** Frames for model_tx_collect(), FZ_COLLECT_MAX of them (main() allocates). */
extern struct model_frame *fz_frames;

/*
 * Operations of one random step (test_fuzz_ops.c). Each draws what it
 * needs from @p f's generator, checks what it may check and updates the
 * oracle of @p f; a check that fails ends the test (test_fail).
 */

/** Receive a burst of a random size and check every mbuf (fz_rx_one). */
void fz_rx_burst(struct fz *f);

/** Take the packets waiting in the software ring (interrupt mode) and check them. */
void fz_flush_swr(struct fz *f);

/** Port statistics equal what the test received and sent. */
void fz_counters(struct fz *f);

/** Inject 1 to 8 good frames into the receive queue, some published in parts (MRG). */
void fz_rx_inject(struct fz *f);

/** Inject a frame with a lying num_buffers or forced header fields (ends the RX clean era). */
void fz_rx_bad_inject(struct fz *f);

/** The device takes a receive buffer and holds it (at most FZ_TAKEN_MAX). */
void fz_rx_take(struct fz *f);

/** The device returns a held receive buffer it never wrote, with a random length. */
void fz_rx_return(struct fz *f);

/**
 * A used entry naming no descriptor (id beyond the ring): a benign fault.
 *
 * @param f
 *   The run.
 * @param q
 *   MODEL_RXQ or MODEL_TXQ.
 */
void fz_oor(struct fz *f, unsigned int q);

/**
 * A used entry naming a descriptor in range (duplicate, not posted, held or
 * inside a chain): ends the clean era of queue @p q.
 *
 * @param f
 *   The run.
 * @param q
 *   MODEL_RXQ or MODEL_TXQ.
 */
void fz_inrange(struct fz *f, unsigned int q);

/**
 * used->idx moves without entries, by a random amount either way: ends the
 * clean era of queue @p q.
 *
 * @param f
 *   The run.
 * @param q
 *   MODEL_RXQ or MODEL_TXQ.
 */
void fz_jump(struct fz *f, unsigned int q);

/** One action of the interrupt path (arm, disarm, eventfd read, service). */
void fz_intr(struct fz *f);

/** Send a burst of a random size of good frames, some in 2-3 segments. */
void fz_tx_burst(struct fz *f);

/** The device consumes up to FZ_COLLECT_MAX transmit chains; frames checked. */
void fz_tx_collect(struct fz *f);

/** The device takes a transmit chain and holds it (at most FZ_TAKEN_MAX). */
void fz_tx_take(struct fz *f);

/** The device completes a held transmit chain. */
void fz_tx_return(struct fz *f);

#endif /* TEST_FUZZ_H */
