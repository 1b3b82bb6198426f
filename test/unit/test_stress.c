/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Life-cycle stress: many rounds of configure / queue setup / start / stop
 * with the configuration changing every round (ring sizes, RX interrupts on
 * or off, scattered RX on or off) and work left behind at every stop:
 * frames in the used ring, in the software ring, on the transmit ring.
 * After every stop the mempool must be full and the memzones exactly those
 * of the queues set up; every few rounds the port is closed and created
 * again, and everything must be back to where it started.
 *
 * VMMIO_STRESS_ROUNDS (default 1000) and VMMIO_STRESS_SEED (default: time)
 * change the run; the seed is printed so that a failure replays.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include <rte_ether.h>

#include "test_common.h"
#include "vmmio_ethdev.h"
#include "vmmio_rxintr.h"
#include "vmmio_rxtx.h"

#define BURST		32
#define RECREATE_EVERY	50

static uint64_t rng;

/* xorshift64*: small, seedable, the same everywhere. */
static uint32_t
rnd(uint32_t n)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 0x2545F4914F6CDD1DULL) >> 32) % n;
}

static uint64_t
env_u64(const char *name, uint64_t def)
{
	const char *v = getenv(name);

	return v != NULL && v[0] != '\0' ? strtoull(v, NULL, 0) : def;
}

static int
stress_irq_set(struct vmmio_hw *hw, int efd)
{
	RTE_SET_USED(hw);
	RTE_SET_USED(efd);
	return 0;
}

/* A line that never fires (the stress drives no device interrupts). */
static const struct vmmio_irq_ops stress_irq_ops = {
	.name = "stress",
	.open = vmmio_irqfd_eventfd,
	.set = stress_irq_set,
	.count_size = sizeof(uint64_t),
	.wakeable = true,
};

struct round {
	uint16_t nb_rxd;
	uint16_t nb_txd;
	bool intr;
	bool direct;	/**< RX interrupts in direct mode (devarg rx_intr=direct) */
	bool scatter;
	bool reconfigure;
};

/* Configure the port and (re)create its queues as @p r asks. */
static void
setup(struct test_port *tp, const struct round *r)
{
	struct rte_eth_conf conf;

	memset(&conf, 0, sizeof(conf));
	conf.intr_conf.rxq = r->intr;
	if (r->scatter)
		conf.rxmode.offloads = RTE_ETH_RX_OFFLOAD_SCATTER;
	CHECK_EQ(rte_eth_dev_configure(tp->port_id, 1, 1, &conf), 0);
	CHECK_EQ(rte_eth_rx_queue_setup(tp->port_id, 0, r->nb_rxd, SOCKET_ID_ANY,
		NULL, tp->mp), 0);
	CHECK_EQ(rte_eth_tx_queue_setup(tp->port_id, 0, r->nb_txd, SOCKET_ID_ANY,
		NULL), 0);
}

/* Some traffic checked end to end, then work left behind for stop. */
static void
run_round(struct test_port *tp, const struct round *r, uint32_t *seq)
{
	struct rte_mbuf *pkts[BURST];
	struct vmmio_rxq *rxq = rte_eth_devices[tp->port_id].data->rx_queues[0];
	uint32_t n, i, sent;

	n = 1 + rnd(8);
	tp_traffic(tp, *seq, n);
	*seq += n;
	/* frames in the software ring: the interrupt service, driven here */
	if (r->intr && !r->direct && rnd(2) == 0) {
		CHECK(rxq->intr.swr != NULL);
		CHECK_EQ(rte_eth_dev_rx_intr_enable(tp->port_id, 0), 0);
		n = 1 + rnd(8);
		for (i = 0; i < n; i++)
			inject(tp, (*seq)++);
		CHECK_EQ(vmmio_rxintr_service(rxq, VMMIO_RXINTR_BUDGET_DEFAULT), n);
		CHECK_EQ(rte_ring_count(rxq->intr.swr), n);
		if (rnd(2) == 0)
			CHECK_EQ(rte_eth_dev_rx_intr_disable(tp->port_id, 0), 0);
	}
	/* frames in the used ring, never received */
	n = rnd(8);
	for (i = 0; i < n; i++)
		inject(tp, (*seq)++);
	/* packets on the transmit ring, never completed by the device */
	n = rnd(BURST);
	for (i = 0; i < n; i++)
		pkts[i] = mbuf_frame(tp->mp, frame_len(*seq + i), *seq + i);
	sent = rte_eth_tx_burst(tp->port_id, 0, pkts, (uint16_t)n);
	if (sent < n)
		rte_pktmbuf_free_bulk(pkts + sent, n - sent);
	*seq += n;
}

/* A new port; its device offers MRG_RXBUF (scattered RX possible) or not. */
static bool
create(struct test_port *tp)
{
	bool mrg = rnd(2) == 0;
	struct model_opts o;

	test_opts(&o);
	o.features = VIRTIO_BIT(VIRTIO_NET_F_MAC) | VIRTIO_BIT(VIRTIO_NET_F_STATUS) |
		(test_version == VIRTIO_MMIO_VERSION_LEGACY ?
		VIRTIO_BIT(VIRTIO_F_ANY_LAYOUT) : VIRTIO_BIT(VIRTIO_F_VERSION_1)) |
		(mrg ? VIRTIO_BIT(VIRTIO_NET_F_MRG_RXBUF) : 0);
	CHECK_EQ(tp_create(tp, &o), 0);
	return mrg;
}

static void
test_stress_lifecycle(void)
{
	uint64_t rounds = env_u64("VMMIO_STRESS_ROUNDS", 1000);
	uint64_t seed = env_u64("VMMIO_STRESS_SEED", (uint64_t)time(NULL));
	static const uint16_t sizes[] = { 64, 128, 256, 100, 0 };
	struct round r;
	struct test_port tp;
	struct rte_mempool *mp;
	struct vmmio_adapter *ad;
	unsigned int mz0, mz_pool, mz_queues;
	uint64_t k, kicks;
	uint32_t seq = 0;
	bool swr = false, mrg;

	printf("stress: %" PRIu64 " rounds, VMMIO_STRESS_SEED=%" PRIu64 "\n",
		rounds, seed);
	rng = seed != 0 ? seed : 1;
	mz0 = test_memzones();
	/* one mempool for the whole run: it must be full after every stop */
	mrg = create(&tp);
	tp_setup(&tp, 0, 0);
	mp = tp.mp;
	/* the pool's own memzones: all but the three of the queue pair */
	mz_pool = test_memzones() - mz0 - 3;
	for (k = 0; k < rounds; k++) {
		if (k > 0 && k % RECREATE_EVERY == 0) {
			tp.mp = NULL;
			tp_close(&tp);	/* checks the model saw no protocol error */
			CHECK_EQ(rte_mempool_avail_count(mp), mp->size);
			CHECK_EQ(test_memzones(), mz0 + mz_pool);
			mrg = create(&tp);
			tp.mp = mp;
			tp.mp_size = mp->size;
			swr = false;
		}
		vmmio_ethdev_set_irq(tp.port_id, &stress_irq_ops);
		r.nb_rxd = sizes[rnd(RTE_DIM(sizes))];
		r.nb_txd = sizes[rnd(RTE_DIM(sizes))];
		r.intr = rnd(2) == 0;
		r.scatter = mrg && rnd(2) == 0;
		r.reconfigure = rnd(4) != 0 || k % RECREATE_EVERY == 0;
		ad = rte_eth_devices[tp.port_id].data->dev_private;
		if (r.reconfigure) {
			r.direct = r.intr && rnd(2) == 0;
			ad->hw.rx_intr_swring = !r.direct;
			setup(&tp, &r);
		} else {
			r.intr = rte_eth_devices[tp.port_id].data->dev_conf.intr_conf.rxq;
			r.direct = r.intr && ad->rx_intr_mode == VMMIO_RXINTR_DIRECT;
		}
		kicks = __atomic_load_n(&ad->interrupts, __ATOMIC_ACQUIRE);
		tp_start(&tp);
		/* direct: the lcore owns the line, the EAL thread takes no kick */
		if (r.intr && !r.direct)
			tp_irq_wait(&tp, kicks);
		CHECK_EQ(vmmio_irq_lcore(ad), r.direct);
		swr = r.intr && !r.direct;
		run_round(&tp, &r, &seq);
		tp_stop(&tp);
		if (tp_mbufs_out(&tp) != 0 || tp.model.status != 0)
			printf("round %" PRIu64 " of seed %" PRIu64 " failed\n", k, seed);
		CHECK_EQ(tp_mbufs_out(&tp), 0);
		CHECK_EQ(tp.model.status, 0);
		/* rings of RX and TX, the TX headers, the software ring if any */
		mz_queues = 3 + (swr ? 1 : 0);
		CHECK_EQ(test_memzones(), mz0 + mz_pool + mz_queues);
	}
	tp.mp = NULL;
	tp_close(&tp);
	CHECK_EQ(rte_mempool_avail_count(mp), mp->size);
	rte_mempool_free(mp);
	CHECK_EQ(test_memzones(), mz0);
}

int
main(int argc, char **argv)
{
	test_init(argc, argv);
	RUN(test_stress_lifecycle);
	return test_done();
}
