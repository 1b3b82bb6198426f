/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The interrupt path end to end on the model's interrupt line (an eventfd
 * written on each rising edge of InterruptStatus != 0, as VFIO does for
 * QEMU's virtio-mmio): the EAL thread's demultiplexing over several RX
 * queues and the configuration bit (swring mode), the NAPI budget, the
 * re-arm checks that keep a frame from waiting for an interrupt that never
 * comes, and direct mode (the line's eventfd is the queue's), each with and
 * without VIRTIO_F_EVENT_IDX, on modern and legacy devices.
 *
 * In swring mode the model holds its edges until the test hands them to
 * the EAL interrupt thread (tp_irq_serve), so that thread never runs the
 * PMD's handler against the model while this one drives the model. The
 * exceptions are the Status check alarms of the direct and line-failure
 * cases: there the test changes the link once and then only waits.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include <ethdev_driver.h>
#include <rte_ring.h>

#include "test_common.h"
#include "vmmio_ethdev.h"
#include "vmmio_rxintr.h"
#include "vmmio_rxtx.h"

#define BURST	32

#define F(x)	VIRTIO_BIT(VIRTIO_NET_F_##x)

static bool
legacy(void)
{
	return test_version == VIRTIO_MMIO_VERSION_LEGACY;
}

struct intr_cfg {
	bool evidx;		/**< offer VIRTIO_F_EVENT_IDX */
	uint16_t pairs;		/**< queue pairs configured (MQ when > 1) */
	bool direct;		/**< devarg rx_intr=direct */
	bool lsc;		/**< intr_conf.lsc */
	bool hold;		/**< model holds its edges (swring tests) */
	bool uio;		/**< the line masks itself at each edge, as UIO's does */
	uint16_t budget;	/**< devarg intr_budget, 0: default */
	uint32_t status_check_ms;
};

/* A started port with RX interrupts on the model's line. */
static void
open_intr(struct test_port *tp, const struct intr_cfg *c)
{
	struct rte_eth_conf conf;
	struct model_opts o;
	uint16_t q;

	test_opts(&o);
	o.features = F(MAC) | F(STATUS) |
		(legacy() ? VIRTIO_BIT(VIRTIO_F_ANY_LAYOUT) : VIRTIO_BIT(VIRTIO_F_VERSION_1)) |
		(c->evidx ? VIRTIO_BIT(VIRTIO_RING_F_EVENT_IDX) : 0) |
		(c->pairs > 1 ? F(CTRL_VQ) | F(MQ) : 0);
	o.max_pairs = c->pairs > 1 ? c->pairs : 0;
	tp_model(tp, &o);
	tp->hw.rx_intr_swring = !c->direct;
	tp->hw.intr_budget = c->budget;
	tp->hw.status_check_ms = c->status_check_ms;
	CHECK_EQ(tp_create_port(tp), 0);
	tp_irq_ops_set(tp, c->hold, c->uio ? &tp_uio_irq_ops : &tp_irq_ops);
	memset(&conf, 0, sizeof(conf));
	conf.intr_conf.rxq = 1;
	conf.intr_conf.lsc = c->lsc;
	tp_setup_ex(tp, &conf, 256, 256, 0);
	if (c->pairs > 1) {
		/* the same again with more queue pairs (tp_setup_ex made one) */
		CHECK_EQ(rte_eth_dev_configure(tp->port_id, c->pairs, c->pairs, &conf), 0);
		for (q = 0; q < c->pairs; q++) {
			CHECK_EQ(rte_eth_rx_queue_setup(tp->port_id, q, 256,
				SOCKET_ID_ANY, NULL, tp->mp), 0);
			CHECK_EQ(rte_eth_tx_queue_setup(tp->port_id, q, 256,
				SOCKET_ID_ANY, NULL), 0);
		}
	}
	tp_start_intr(tp);
	CHECK(!!(tp->model.driver_features & VIRTIO_BIT(VIRTIO_RING_F_EVENT_IDX)) ==
		c->evidx);
}

static struct vmmio_rxq *
rxq_of(const struct test_port *tp, uint16_t q)
{
	return rte_eth_devices[tp->port_id].data->rx_queues[q];
}

static struct vmmio_adapter *
ad_of(const struct test_port *tp)
{
	return rte_eth_devices[tp->port_id].data->dev_private;
}

/*
 * What a sleeping lcore sees on a queue's fd: an eventfd's count (taken), or,
 * for the epoll set of a UIO line (direct), 1 if it is readable: the PMD
 * consumes that one when the queue is armed again.
 */
static uint64_t
qtake(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	uint64_t v = 0;

	if (read(fd, &v, sizeof(v)) == sizeof(v))
		return v;
	if (errno != EINVAL)
		return 0;
	return poll(&p, 1, 0) == 1 ? 1 : 0;
}

static int
qfd(const struct test_port *tp, uint16_t q)
{
	int fd = rte_eth_dev_rx_intr_ctl_q_get_fd(tp->port_id, q);

	CHECK(fd >= 0);
	return fd;
}

/* One frame on queue pair @p pair. */
static void
inject_on(struct test_port *tp, uint16_t pair, uint32_t seq)
{
	uint8_t buf[RTE_ETHER_MAX_LEN];
	struct model_rx_opts ro;
	uint32_t len = frame_len(seq);

	memset(&ro, 0, sizeof(ro));
	ro.pair = pair;
	frame_fill(buf, len, seq);
	CHECK_EQ(model_rx_inject_ex(&tp->model, &ro, buf, len), 0);
}

/* Receive exactly the frames @p from..@p to-1 on queue @p q, in order. */
static void
rx_expect(struct test_port *tp, uint16_t q, uint32_t from, uint32_t to)
{
	struct rte_mbuf *pkts[BURST];
	uint32_t seq = from;
	uint16_t n, i;
	int tries;

	for (tries = 0; tries < 64 && seq < to; tries++) {
		n = rte_eth_rx_burst(tp->port_id, q, pkts,
			(uint16_t)RTE_MIN((uint32_t)BURST, to - seq));
		for (i = 0; i < n; i++, seq++) {
			CHECK(frame_ok(rte_pktmbuf_mtod(pkts[i], uint8_t *),
				pkts[i]->pkt_len, seq));
			rte_pktmbuf_free(pkts[i]);
		}
	}
	CHECK_EQ(seq, to);
	CHECK_EQ(rte_eth_rx_burst(tp->port_id, q, pkts, BURST), 0);
}

static uint64_t lsc_events;

static int
lsc_cb(uint16_t port, enum rte_eth_event_type ev, void *arg, void *ret_param)
{
	RTE_SET_USED(port);
	RTE_SET_USED(arg);
	RTE_SET_USED(ret_param);
	if (ev == RTE_ETH_EVENT_INTR_LSC)
		__atomic_fetch_add(&lsc_events, 1, __ATOMIC_RELEASE);
	return 0;
}

static bool
link_up(const struct test_port *tp)
{
	struct rte_eth_link l;

	CHECK_EQ(rte_eth_link_get_nowait(tp->port_id, &l), 0);
	return l.link_status == RTE_ETH_LINK_UP;
}

/*
 * swring, two queue pairs: one line event wakes exactly the queues whose
 * used ring moved; frames on both wake both; the configuration bit of the
 * same line raises LSC.
 */
static void
test_intr_demux(void)
{
	struct intr_cfg c = { .pairs = 2, .lsc = true, .hold = true };
	struct test_port tp;
	unsigned int k;
	uint64_t events;
	int fd0, fd1;

	for (k = 0; k < 4; k++) {
		c.evidx = k & 1;
		c.uio = k >> 1;
		open_intr(&tp, &c);
		CHECK_EQ(ad_of(&tp)->rx_intr_mode, VMMIO_RXINTR_SWRING);
		CHECK(!vmmio_irq_lcore(ad_of(&tp)));
		CHECK_EQ(rte_eth_dev_callback_register(tp.port_id,
			RTE_ETH_EVENT_INTR_LSC, lsc_cb, NULL), 0);
		fd0 = qfd(&tp, 0);
		fd1 = qfd(&tp, 1);
		CHECK(fd0 != fd1);
		CHECK_EQ(rte_eth_dev_rx_intr_enable(tp.port_id, 0), 0);
		CHECK_EQ(rte_eth_dev_rx_intr_enable(tp.port_id, 1), 0);
		CHECK_EQ(qtake(fd0), 0);	/* nothing waiting: nobody woken */
		CHECK_EQ(qtake(fd1), 0);

		/* a frame on pair 1: queue 1 woken, queue 0 sleeps on */
		inject_on(&tp, 1, 0);
		CHECK_EQ(tp.model.irq_held, 1);
		CHECK(tp_irq_serve(&tp));
		CHECK(qtake(fd1) > 0);
		CHECK_EQ(qtake(fd0), 0);
		CHECK_EQ(xstat(&tp, "rx_q1_intr_wakeups"), 1);
		CHECK_EQ(xstat(&tp, "rx_q0_intr_wakeups"), 0);
		/* harvested by the EAL thread: the software ring holds it */
		CHECK_EQ(rte_ring_count(rxq_of(&tp, 1)->intr.swr), 1);
		CHECK_EQ(rte_eth_dev_rx_intr_disable(tp.port_id, 1), 0);
		rx_expect(&tp, 1, 0, 1);
		rx_expect(&tp, 0, 0, 0);
		CHECK_EQ(rte_eth_dev_rx_intr_enable(tp.port_id, 1), 0);
		CHECK_EQ(qtake(fd1), 0);

		/* frames on both pairs share one edge and wake both queues */
		inject_on(&tp, 0, 1);
		inject_on(&tp, 1, 2);
		CHECK_EQ(tp.model.irq_held, 1);
		CHECK(tp_irq_serve(&tp));
		CHECK(qtake(fd0) > 0);
		CHECK(qtake(fd1) > 0);
		rx_expect(&tp, 0, 1, 2);
		rx_expect(&tp, 1, 2, 3);

		/* the configuration bit: LSC, and no RX queue woken */
		events = __atomic_load_n(&lsc_events, __ATOMIC_ACQUIRE);
		CHECK(link_up(&tp));
		model_set_link(&tp.model, false);
		CHECK(tp_irq_serve(&tp));
		CHECK_EQ(__atomic_load_n(&lsc_events, __ATOMIC_ACQUIRE), events + 1);
		CHECK(!link_up(&tp));
		CHECK_EQ(qtake(fd0), 0);
		CHECK_EQ(qtake(fd1), 0);
		CHECK_EQ(xstat(&tp, "config_change_interrupts"), 1);

		rte_eth_dev_callback_unregister(tp.port_id, RTE_ETH_EVENT_INTR_LSC,
			lsc_cb, NULL);
		/* stopped: the line quiet (UIO: masked, after the callback is gone) */
		tp_stop(&tp);
		CHECK_EQ(tp.model.irq_efd, -1);
		CHECK(!c.uio || tp.model.irq_masked);
		CHECK_MODEL_CLEAN(&tp.model);
		tp_close(&tp);
	}
}

/*
 * NAPI budget: one line event harvests at most intr_budget frames, wakes
 * the lcore for the rest, and the lcore's burst takes them in order; the
 * queue drained while still armed gets its next interrupt.
 */
static void
test_intr_budget(void)
{
	struct intr_cfg c = { .pairs = 1, .hold = true, .budget = 32 };
	struct vmmio_rxq *rxq;
	struct test_port tp;
	unsigned int k;
	uint32_t seq;
	int fd;

	for (k = 0; k < 4; k++) {
		c.evidx = k & 1;
		c.uio = k >> 1;
		open_intr(&tp, &c);
		rxq = rxq_of(&tp, 0);
		fd = qfd(&tp, 0);
		CHECK_EQ(rte_eth_dev_rx_intr_enable(tp.port_id, 0), 0);
		for (seq = 0; seq < 100; seq++)
			inject_on(&tp, 0, seq);
		CHECK_EQ(tp.model.irq_held, 1);
		CHECK(tp_irq_serve(&tp));
		/* the EAL thread stopped at the budget and woke the lcore */
		CHECK_EQ(rte_ring_count(rxq->intr.swr), 32);
		CHECK_EQ(tp_used_pending(&rxq->vq), 68);
		CHECK(qtake(fd) > 0);
		/* the lcore drains without disarming: software ring, then device */
		rx_expect(&tp, 0, 0, 100);
		qtake(fd);
		/* armed still: the next frame raises the line again */
		CHECK_EQ(tp.model.irq_held, 0);
		inject_on(&tp, 0, 100);
		CHECK_EQ(tp.model.irq_held, 1);
		CHECK(tp_irq_serve(&tp));
		CHECK(qtake(fd) > 0);
		CHECK_EQ(rte_eth_dev_rx_intr_disable(tp.port_id, 0), 0);
		rx_expect(&tp, 0, 100, 101);
		CHECK_EQ(xstat(&tp, "rx_q0_packets"), 101);
		CHECK_MODEL_CLEAN(&tp.model);
		tp_close(&tp);
	}
}

/*
 * The re-arm check: a frame used while the queue was disarmed raises no
 * interrupt, so arming must find it and wake the lcore itself; with nothing
 * waiting, arming wakes nobody and the next frame's interrupt does.
 */
static void
test_intr_rearm(void)
{
	struct intr_cfg c = { .pairs = 1, .hold = true };
	struct test_port tp;
	unsigned int k;
	int fd;

	for (k = 0; k < 4; k++) {
		c.evidx = k & 1;
		c.uio = k >> 1;
		open_intr(&tp, &c);
		fd = qfd(&tp, 0);
		/* disarmed (busy polling): no interrupt for a frame */
		inject_on(&tp, 0, 0);
		CHECK_EQ(tp.model.irq_held, 0);
		CHECK_EQ(qtake(fd), 0);
		/* arming finds it: woken at once */
		CHECK_EQ(rte_eth_dev_rx_intr_enable(tp.port_id, 0), 0);
		CHECK(qtake(fd) > 0);
		CHECK_EQ(rte_eth_dev_rx_intr_disable(tp.port_id, 0), 0);
		rx_expect(&tp, 0, 0, 1);
		/* nothing waiting: arming wakes nobody, the next frame does */
		CHECK_EQ(rte_eth_dev_rx_intr_enable(tp.port_id, 0), 0);
		CHECK_EQ(qtake(fd), 0);
		inject_on(&tp, 0, 1);
		CHECK_EQ(tp.model.irq_held, 1);
		CHECK(tp_irq_serve(&tp));
		CHECK(qtake(fd) > 0);
		CHECK_EQ(rte_eth_dev_rx_intr_disable(tp.port_id, 0), 0);
		rx_expect(&tp, 0, 1, 2);
		CHECK_MODEL_CLEAN(&tp.model);
		tp_close(&tp);
	}
}

/*
 * direct: the queue's eventfd is the line's, the lcore acknowledges
 * InterruptStatus when it arms, a configuration change it acknowledges
 * reaches the EAL thread as LSC, and so does one seen by the periodic
 * check while the lcore polls.
 */
static void
test_intr_direct(void)
{
	struct intr_cfg c = { .pairs = 1, .direct = true, .lsc = true };
	struct test_port tp;
	unsigned int k;
	uint64_t events;
	int fd;

	for (k = 0; k < 4; k++) {
		c.evidx = k & 1;
		c.uio = k >> 1;
		open_intr(&tp, &c);
		CHECK_EQ(ad_of(&tp)->rx_intr_mode, VMMIO_RXINTR_DIRECT);
		CHECK(vmmio_irq_lcore(ad_of(&tp)));
		CHECK_EQ(rte_eth_dev_callback_register(tp.port_id,
			RTE_ETH_EVENT_INTR_LSC, lsc_cb, NULL), 0);
		fd = qfd(&tp, 0);
		/* UIO's line: an epoll set of it and a wake eventfd */
		CHECK_EQ(fd == tp.model.irq_efd, !c.uio);
		CHECK(rxq_of(&tp, 0)->intr.swr == NULL);
		qtake(fd);

		/* arming lowers the line; the next frame raises it: woken */
		CHECK_EQ(rte_eth_dev_rx_intr_enable(tp.port_id, 0), 0);
		CHECK_EQ(tp.model.isr, 0);
		CHECK_EQ(qtake(fd), 0);
		inject_on(&tp, 0, 0);
		CHECK_EQ(qtake(fd), 1);
		CHECK_EQ(rte_eth_dev_rx_intr_disable(tp.port_id, 0), 0);
		rx_expect(&tp, 0, 0, 1);

		/* drained while armed: the line is lowered again, next frame wakes */
		CHECK_EQ(rte_eth_dev_rx_intr_enable(tp.port_id, 0), 0);
		inject_on(&tp, 0, 1);
		CHECK_EQ(qtake(fd), 1);
		rx_expect(&tp, 0, 1, 2);
		inject_on(&tp, 0, 2);
		CHECK_EQ(qtake(fd), 1);
		rx_expect(&tp, 0, 2, 3);
		CHECK_EQ(rte_eth_dev_rx_intr_disable(tp.port_id, 0), 0);
		CHECK_EQ(xstat(&tp, "rx_q0_packets"), 3);

		/* a frame while disarmed: arming finds it and wakes itself */
		inject_on(&tp, 0, 3);
		CHECK_EQ(qtake(fd), 0);
		CHECK_EQ(rte_eth_dev_rx_intr_enable(tp.port_id, 0), 0);
		CHECK(qtake(fd) > 0);
		CHECK_EQ(rte_eth_dev_rx_intr_disable(tp.port_id, 0), 0);
		rx_expect(&tp, 0, 3, 4);
		/* that wake was consumed: nothing waiting, nobody woken */
		CHECK_EQ(rte_eth_dev_rx_intr_enable(tp.port_id, 0), 0);
		CHECK_EQ(qtake(fd), 0);
		CHECK_EQ(rte_eth_dev_rx_intr_disable(tp.port_id, 0), 0);

		/* link down while armed: woken, and arming again hands it over */
		events = __atomic_load_n(&lsc_events, __ATOMIC_ACQUIRE);
		CHECK_EQ(rte_eth_dev_rx_intr_enable(tp.port_id, 0), 0);
		model_set_link(&tp.model, false);
		CHECK_EQ(qtake(fd), 1);
		CHECK_EQ(rte_eth_dev_rx_intr_disable(tp.port_id, 0), 0);
		CHECK_EQ(rte_eth_dev_rx_intr_enable(tp.port_id, 0), 0);
		CHECK(test_wait_u64(&lsc_events, events));
		eal_thread_sync();
		/* exactly once: no Status check runs (status_check_ms=0) */
		CHECK_EQ(__atomic_load_n(&lsc_events, __ATOMIC_ACQUIRE), events + 1);
		CHECK(!link_up(&tp));
		CHECK_EQ(xstat(&tp, "config_change_interrupts"), 1);
		CHECK_EQ(rte_eth_dev_rx_intr_disable(tp.port_id, 0), 0);

		/* link up while the lcore polls: the periodic check sees it */
		tp_stop(&tp);
		ad_of(&tp)->hw.status_check_ms = 20;
		tp_start_intr(&tp);
		CHECK(!link_up(&tp));
		events = __atomic_load_n(&lsc_events, __ATOMIC_ACQUIRE);
		model_set_link(&tp.model, true);
		CHECK(test_wait_u64(&lsc_events, events));
		eal_thread_sync();
		CHECK(link_up(&tp));

		rte_eth_dev_callback_unregister(tp.port_id, RTE_ETH_EVENT_INTR_LSC,
			lsc_cb, NULL);
		tp_stop(&tp);
		/* stopped: no interrupt to enable, the line unwired (UIO: masked) */
		CHECK_EQ(rte_eth_dev_rx_intr_enable(tp.port_id, 0), -ENOTSUP);
		CHECK_EQ(tp.model.irq_efd, -1);
		CHECK(!c.uio || tp.model.irq_masked);
		CHECK_MODEL_CLEAN(&tp.model);
		tp_close(&tp);
	}
}

/* Between InterruptStatus read and ACK the device sets bit 1 (config change). */
static void
config_change_on_read(struct vmmio_model *m, void *arg)
{
	RTE_SET_USED(arg);
	m->isr_read_hook = NULL;
	model_set_link(m, true);	/* the link stays up: bit 1 only */
}

/*
 * A bit the device sets between the driver's InterruptStatus read and its
 * InterruptACK keeps the line high: no edge would ever come again. The
 * driver acknowledges until the register reads 0, and the configuration
 * change it saw on the way still reaches the EAL thread.
 */
static void
test_intr_ack_race(void)
{
	struct intr_cfg c = { .pairs = 1, .direct = true, .lsc = true };
	struct test_port tp;
	unsigned int k;
	uint64_t changes;
	int fd;

	for (k = 0; k < 4; k++) {
		c.evidx = k & 1;
		c.uio = k >> 1;
		open_intr(&tp, &c);
		fd = qfd(&tp, 0);
		CHECK_EQ(rte_eth_dev_rx_intr_enable(tp.port_id, 0), 0);
		qtake(fd);
		inject_on(&tp, 0, 0);
		CHECK_EQ(qtake(fd), 1);
		CHECK_EQ(rte_eth_dev_rx_intr_disable(tp.port_id, 0), 0);
		rx_expect(&tp, 0, 0, 1);
		/* the used-buffer bit is still set: arming reads it, then bit 1 comes */
		CHECK_EQ(tp.model.isr, VIRTIO_MMIO_INT_VRING);
		changes = xstat(&tp, "config_change_interrupts");
		tp.model.isr_read_hook = config_change_on_read;
		CHECK_EQ(rte_eth_dev_rx_intr_enable(tp.port_id, 0), 0);
		CHECK(tp.model.isr_read_hook == NULL);	/* the hook ran */
		CHECK_EQ(tp.model.isr, 0);	/* the line is low again */
		qtake(fd);
		inject_on(&tp, 0, 1);
		CHECK_EQ(qtake(fd), 1);	/* so the next frame raises it */
		eal_thread_sync();
		CHECK_EQ(xstat(&tp, "config_change_interrupts"), changes + 1);
		CHECK_EQ(rte_eth_dev_rx_intr_disable(tp.port_id, 0), 0);
		rx_expect(&tp, 0, 1, 2);
		CHECK_MODEL_CLEAN(&tp.model);
		tp_close(&tp);
	}
}

/* A backend whose VFIO_DEVICE_SET_IRQS fails. */
static int
irq_set_fails(struct vmmio_hw *hw, int efd)
{
	RTE_SET_USED(hw);
	return efd >= 0 ? -EIO : 0;
}

static const struct vmmio_irq_ops irq_fails_ops = {
	.name = "fails",
	.open = vmmio_irqfd_eventfd,
	.set = irq_set_fails,
	.count_size = sizeof(uint64_t),
	.wakeable = true,
};

/*
 * The line cannot be wired: the port starts anyway and polls
 * (rx_intr_enable -ENOTSUP, the busy-poll burst), and LSC, which the
 * application was granted, comes from the Status check. Both schemes.
 */
static void
test_intr_line_fails(void)
{
	struct intr_cfg c = { .pairs = 1, .lsc = true, .hold = true,
		.status_check_ms = 20 };
	struct test_port tp;
	unsigned int k;
	struct vmmio_rxq *rxq0;
	uint64_t events;

	for (k = 0; k < 2; k++) {
		c.direct = k == 1;
		open_intr(&tp, &c);	/* wired by tp_irq; rewired below */
		tp_stop(&tp);
		vmmio_ethdev_set_irq(tp.port_id, &irq_fails_ops);
		CHECK_EQ(rte_eth_dev_callback_register(tp.port_id,
			RTE_ETH_EVENT_INTR_LSC, lsc_cb, NULL), 0);
		tp_start(&tp);
		CHECK(!ad_of(&tp)->irq_on);
		CHECK_EQ(rte_eth_dev_rx_intr_enable(tp.port_id, 0), -ENOTSUP);
		/* the polling path its offload switches select */
		rxq0 = rte_eth_devices[tp.port_id].data->rx_queues[0];
		CHECK(rte_eth_devices[tp.port_id].rx_pkt_burst ==
			vmmio_rx_burst_select(rxq0->ofl, rxq0->vq.packed, NULL));
		tp_traffic(&tp, 0, 4);
		events = __atomic_load_n(&lsc_events, __ATOMIC_ACQUIRE);
		model_set_link(&tp.model, false);
		CHECK(test_wait_u64(&lsc_events, events));
		eal_thread_sync();
		CHECK(!link_up(&tp));
		rte_eth_dev_callback_unregister(tp.port_id, RTE_ETH_EVENT_INTR_LSC,
			lsc_cb, NULL);
		CHECK_MODEL_CLEAN(&tp.model);
		tp_close(&tp);
	}
}

/* Eventfds and rings come and go with the port: none is left behind. */
static void
test_intr_no_leak(void)
{
	struct intr_cfg c = { .pairs = 1, .hold = true };
	unsigned int fds = 0, mz = 0, k;
	struct test_port tp;

	for (k = 0; k < 8; k++) {
		c.direct = k & 1;
		c.uio = (k >> 1) & 1;
		open_intr(&tp, &c);
		CHECK_EQ(ad_of(&tp)->rx_intr_mode, c.direct ? VMMIO_RXINTR_DIRECT :
			VMMIO_RXINTR_SWRING);
		/* and one reconfiguration with the other scheme */
		tp_stop(&tp);
		ad_of(&tp)->hw.rx_intr_swring = c.direct;
		CHECK_EQ(rte_eth_dev_configure(tp.port_id, 1, 1,
			&rte_eth_devices[tp.port_id].data->dev_conf), 0);
		CHECK_EQ(ad_of(&tp)->rx_intr_mode, c.direct ? VMMIO_RXINTR_SWRING :
			VMMIO_RXINTR_DIRECT);
		tp_start_intr(&tp);
		tp_traffic(&tp, 0, 2);
		tp_close(&tp);
		/* the first rounds let EAL open what it opens once */
		if (k == 1) {
			fds = test_open_fds();
			mz = test_memzones();
		} else if (k > 1) {
			CHECK_EQ(test_open_fds(), fds);
			CHECK_EQ(test_memzones(), mz);
		}
	}
}

/* What the application's lcore does: rte_epoll_wait on its queue fds. */
static int
app_wait(int timeout_ms)
{
	struct rte_epoll_event ev[1];

	return rte_epoll_wait(RTE_EPOLL_PER_THREAD, ev, 1, timeout_ms);
}

/* Frame @p seq arrives on an armed queue: the application's wait returns it. */
static void
frame_wakes(struct test_port *tp, const struct intr_cfg *c, uint32_t seq)
{
	inject_on(tp, 0, seq);
	CHECK(c->direct || tp_irq_serve(tp));
	CHECK_EQ(app_wait(TEST_WAIT_MS), 1);
}

/*
 * The application's own wait path (rte_eth_dev_rx_intr_ctl_q, then
 * rte_epoll_wait: EAL's edge-triggered epoll, over an eventfd or over the
 * UIO line's epoll set): a frame wakes it, a consumed wake does not come
 * again, and a queue drained while armed is woken by the next frame. Both
 * schemes, both line types.
 */
static void
test_intr_epoll(void)
{
	struct intr_cfg c = { .pairs = 1 };
	struct test_port tp;
	unsigned int k;

	for (k = 0; k < 4; k++) {
		c.direct = k & 1;
		c.uio = k >> 1;
		c.hold = !c.direct;
		open_intr(&tp, &c);
		CHECK_EQ(rte_eth_dev_rx_intr_ctl_q(tp.port_id, 0, RTE_EPOLL_PER_THREAD,
			RTE_INTR_EVENT_ADD, NULL), 0);
		CHECK_EQ(rte_eth_dev_rx_intr_enable(tp.port_id, 0), 0);
		CHECK_EQ(app_wait(0), 0);
		/* a frame wakes the lcore */
		frame_wakes(&tp, &c, 0);
		CHECK_EQ(rte_eth_dev_rx_intr_disable(tp.port_id, 0), 0);
		rx_expect(&tp, 0, 0, 1);
		/* armed again with nothing waiting: no wake */
		CHECK_EQ(rte_eth_dev_rx_intr_enable(tp.port_id, 0), 0);
		CHECK_EQ(app_wait(0), 0);
		/* drained while armed: the next frame still wakes it */
		frame_wakes(&tp, &c, 1);
		rx_expect(&tp, 0, 1, 2);
		CHECK_EQ(app_wait(0), 0);
		frame_wakes(&tp, &c, 2);
		CHECK_EQ(rte_eth_dev_rx_intr_disable(tp.port_id, 0), 0);
		rx_expect(&tp, 0, 2, 3);
		/* a frame while disarmed: arming finds it and wakes the lcore */
		inject_on(&tp, 0, 3);
		CHECK_EQ(rte_eth_dev_rx_intr_enable(tp.port_id, 0), 0);
		CHECK_EQ(app_wait(TEST_WAIT_MS), 1);
		CHECK_EQ(rte_eth_dev_rx_intr_disable(tp.port_id, 0), 0);
		rx_expect(&tp, 0, 3, 4);
		CHECK_EQ(rte_eth_dev_rx_intr_ctl_q(tp.port_id, 0, RTE_EPOLL_PER_THREAD,
			RTE_INTR_EVENT_DEL, NULL), 0);
		CHECK_MODEL_CLEAN(&tp.model);
		tp_close(&tp);
	}
}

/* direct needs one RX queue: two fall back to the software ring. */
static void
test_intr_direct_mq(void)
{
	struct intr_cfg c = { .pairs = 2, .direct = true, .hold = true };
	struct test_port tp;

	open_intr(&tp, &c);
	CHECK_EQ(ad_of(&tp)->rx_intr_mode, VMMIO_RXINTR_SWRING);
	CHECK(!vmmio_irq_lcore(ad_of(&tp)));
	CHECK(rxq_of(&tp, 0)->intr.swr != NULL && rxq_of(&tp, 1)->intr.swr != NULL);
	CHECK(qfd(&tp, 0) != qfd(&tp, 1));
	tp_traffic(&tp, 0, 4);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

int
main(int argc, char **argv)
{
	test_init(argc, argv);
	RUN(test_intr_demux);
	RUN(test_intr_budget);
	RUN(test_intr_rearm);
	RUN(test_intr_direct);
	RUN(test_intr_direct_mq);
	RUN(test_intr_ack_race);
	RUN(test_intr_line_fails);
	RUN(test_intr_no_leak);
	RUN(test_intr_epoll);
	return test_done();
}
