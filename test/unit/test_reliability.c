/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A port's life through faults: removal of a started port, a device that
 * does not complete its reset, event callbacks that stop or close their own
 * port, a second port on one device, DEVICE_NEEDS_RESET (virtio 1.2 section
 * 2.1.2) by interrupt and by the periodic Status check, and the smaller
 * checks of probe and queue setup.
 */
#include <errno.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <rte_alarm.h>
#include <rte_cycles.h>
#include <rte_ether.h>

#include "test_common.h"
#include "vmmio_ethdev.h"
#include "vmmio_rxintr.h"
#include "vmmio_rxtx.h"

#define BURST		32
#define WAIT_MS		3000

static bool
legacy(void)
{
	return test_version == VIRTIO_MMIO_VERSION_LEGACY;
}

/* A few frames each way, checked end to end. */
#define traffic(tp, base)	tp_traffic(tp, base, 4)

/* Wait (bounded) until *flag is non-zero; the test thread touches nothing else. */
static bool
wait_flag(volatile int *flag)
{
	unsigned int ms;

	for (ms = 0; ms < WAIT_MS; ms++) {
		if (__atomic_load_n(flag, __ATOMIC_ACQUIRE) != 0)
			return true;
		rte_delay_us_sleep(1000);
	}
	return false;
}

/*
 * Item 1: a started port removed without rte_eth_dev_stop() (bus remove,
 * rte_dev_remove, rte_eal_cleanup) is stopped first: the device is reset
 * before its buffers go back to the pool.
 */
static void
test_remove_started(void)
{
	struct test_port tp;
	unsigned int mz0 = test_memzones();

	tp_open(&tp, NULL, 0, 0);
	traffic(&tp, 0);
	inject(&tp, 100);		/* a frame the application never took */
	CHECK(model_driver_ok(&tp.model));
	CHECK(tp_mbufs_out(&tp) > 0);
	CHECK_EQ(vmmio_ethdev_destroy(tp.name), 0);
	tp.created = false;
	tp.started = false;
	CHECK_EQ(tp.model.status, 0);
	CHECK(!rte_eth_dev_is_valid_port(tp.port_id));
	CHECK_EQ(tp_mbufs_out(&tp), 0);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
	CHECK_EQ(test_memzones(), mz0);	/* rings and headers freed too */
}

/*
 * Item 3: a device that does not complete its reset at stop keeps every
 * buffer and ring (nothing freed); the port is stopped for ethdev but
 * failed: every later op says -EIO until rte_eth_dev_reset() sees a reset
 * complete, after which the port comes back.
 */
static void
test_reset_timeout(void)
{
	struct rte_eth_link link;
	struct rte_eth_conf conf;
	struct test_port tp;
	unsigned int out, mz0 = test_memzones(), mz_started;

	tp_open(&tp, NULL, 0, 0);
	traffic(&tp, 0);
	out = tp_mbufs_out(&tp);
	CHECK_EQ(out, 256);		/* the posted RX ring */
	mz_started = test_memzones();
	tp.model.opts.reset_stuck = true;
	CHECK_EQ(rte_eth_dev_stop(tp.port_id), 0);
	tp.started = false;
	CHECK_EQ(rte_eth_devices[tp.port_id].data->dev_started, 0);
	CHECK_EQ(tp_mbufs_out(&tp), out);	/* leaked, never freed */
	CHECK_EQ(test_memzones(), mz_started);
	CHECK_EQ(rte_eth_link_get_nowait(tp.port_id, &link), 0);
	CHECK_EQ(link.link_status, RTE_ETH_LINK_DOWN);
	/* consistent: no op pretends the port works */
	CHECK_EQ(rte_eth_dev_start(tp.port_id), -EIO);
	CHECK_EQ(rte_eth_rx_queue_setup(tp.port_id, 0, 0, SOCKET_ID_ANY, NULL,
		tp.mp), -EIO);
	CHECK_EQ(rte_eth_tx_queue_setup(tp.port_id, 0, 0, SOCKET_ID_ANY, NULL),
		-EIO);
	/* (ethdev releases the queues when configure fails: still kept) */
	memset(&conf, 0, sizeof(conf));
	CHECK_EQ(rte_eth_dev_configure(tp.port_id, 1, 1, &conf), -EIO);
	CHECK_EQ(tp_mbufs_out(&tp), out);
	CHECK_EQ(test_memzones(), mz_started);
	/* still stuck: reset fails and changes nothing */
	CHECK_EQ(rte_eth_dev_reset(tp.port_id), -EIO);
	CHECK_EQ(tp_mbufs_out(&tp), out);
	/* the device answers again: reset, set up, start, forward */
	tp.model.opts.reset_stuck = false;
	CHECK_EQ(rte_eth_dev_reset(tp.port_id), 0);
	CHECK_EQ(tp_mbufs_out(&tp), 0);
	CHECK(test_memzones() < mz_started);
	rte_mempool_free(tp.mp);
	tp.mp = NULL;
	tp_setup(&tp, 0, 0);
	tp_start(&tp);
	traffic(&tp, 10);
	model_clear_errors(&tp.model);	/* the stuck resets themselves */
	tp_close(&tp);
	CHECK_EQ(test_memzones(), mz0);

	/* closed while failed: -EIO, the port is gone, its memory stays */
	tp_open(&tp, NULL, 0, 0);
	out = tp_mbufs_out(&tp);
	tp.model.opts.reset_stuck = true;
	CHECK_EQ(rte_eth_dev_stop(tp.port_id), 0);
	tp.started = false;
	CHECK_EQ(rte_eth_dev_close(tp.port_id), -EIO);
	tp.created = false;
	CHECK(!rte_eth_dev_is_valid_port(tp.port_id));
	CHECK_EQ(tp_mbufs_out(&tp), out);
	CHECK(test_memzones() > mz0);
	/* the test's own teardown: the model is gone with the pool */
	rte_mempool_free(tp.mp);
	tp.mp = NULL;
	model_clear_errors(&tp.model);
	tp_close(&tp);
}

/* Interrupt line of the test ports: the eventfd the PMD wires. */
static int test_irq_efd = -1;

static int
test_irq_set(struct vmmio_hw *hw, int efd)
{
	RTE_SET_USED(hw);
	test_irq_efd = efd;
	return 0;
}

static const struct vmmio_irq_ops test_irq_ops = {
	.name = "test",
	.open = vmmio_irqfd_eventfd,
	.set = test_irq_set,
	.count_size = sizeof(uint64_t),
	.wakeable = true,
};

static int
test_irq_unmask(struct vmmio_hw *hw)
{
	RTE_SET_USED(hw);
	return 0;
}

/* As UIO: the line's fd is not the wake fd (an epoll set of both). */
static const struct vmmio_irq_ops test_uio_irq_ops = {
	.name = "test-uio",
	.open = vmmio_irqfd_eventfd,
	.set = test_irq_set,
	.unmask = test_irq_unmask,
	.count_size = sizeof(uint64_t),
	.wakeable = false,
};

/* Line backend of the next open_irq(). */
static const struct vmmio_irq_ops *test_ops = &test_irq_ops;

static void
raise_irq(void)
{
	uint64_t one = 1;

	CHECK(test_irq_efd >= 0);
	CHECK_EQ(write(test_irq_efd, &one, sizeof(one)), sizeof(one));
}

/* Open a port with an interrupt line and LSC configured. */
static void
open_irq(struct test_port *tp, const struct model_opts *o)
{
	struct rte_eth_conf conf;

	CHECK_EQ(tp_create(tp, o), 0);
	vmmio_ethdev_set_irq(tp->port_id, test_ops);
	memset(&conf, 0, sizeof(conf));
	conf.intr_conf.lsc = 1;
	tp_setup_ex(tp, &conf, 0, 0, 0);
	test_irq_efd = -1;
	tp_start(tp);
	CHECK(test_irq_efd >= 0);
	/* the start kick is serviced before the test touches the model */
	tp_irq_wait(tp, 0);
}

enum cb_action { CB_NOTHING, CB_STOP, CB_CLOSE };

struct cb_state {
	enum cb_action action;
	int ret;
	volatile int done;
	volatile int events;
};

static int
event_cb(uint16_t port, enum rte_eth_event_type ev, void *arg, void *ret_param)
{
	struct cb_state *st = arg;

	RTE_SET_USED(ev);
	RTE_SET_USED(ret_param);
	st->events++;
	if (st->action == CB_STOP || st->action == CB_CLOSE)
		st->ret = rte_eth_dev_stop(port);
	if (st->action == CB_CLOSE && st->ret == 0)
		st->ret = rte_eth_dev_close(port);
	__atomic_store_n(&st->done, 1, __ATOMIC_RELEASE);
	return 0;
}

static void
alarm_cb(void *arg)
{
	__atomic_store_n((volatile int *)arg, 1, __ATOMIC_RELEASE);
}

/* The EAL interrupt thread still runs callbacks (an alarm is one). */
static void
check_intr_thread_alive(void)
{
	volatile int fired = 0;

	CHECK_EQ(rte_eal_alarm_set(1000, alarm_cb, (void *)(uintptr_t)&fired), 0);
	CHECK(wait_flag(&fired));
}

/*
 * Item 4: an LSC callback stopping, or stopping and closing, its own port
 * from the EAL interrupt thread returns; the thread lives on.
 */
static void
test_lsc_stop_in_callback(void)
{
	static const enum cb_action actions[] = { CB_STOP, CB_CLOSE };
	unsigned int i, fds0 = 0, mz0 = test_memzones();
	struct cb_state st;
	struct test_port tp;

	/* both actions on a VFIO-like line, then on a UIO-like one (epoll set) */
	for (i = 0; i < 2 * RTE_DIM(actions); i++) {
		test_ops = i < RTE_DIM(actions) ? &test_irq_ops : &test_uio_irq_ops;
		open_irq(&tp, NULL);
		memset(&st, 0, sizeof(st));
		st.action = actions[i % RTE_DIM(actions)];
		CHECK_EQ(rte_eth_dev_callback_register(tp.port_id,
			RTE_ETH_EVENT_INTR_LSC, event_cb, &st), 0);
		model_set_link(&tp.model, false);
		raise_irq();
		CHECK(wait_flag(&st.done));
		CHECK_EQ(st.ret, 0);
		tp.started = false;
		CHECK_EQ(tp.model.status, 0);
		check_intr_thread_alive();
		if (st.action == CB_CLOSE) {
			tp.created = false;
			CHECK(!rte_eth_dev_is_valid_port(tp.port_id));
		} else {
			CHECK_EQ(rte_eth_devices[tp.port_id].data->dev_started, 0);
			/* and starts again, interrupt line and all */
			model_set_link(&tp.model, true);
			tp_start(&tp);
			traffic(&tp, 0);
			rte_eth_dev_callback_unregister(tp.port_id,
				RTE_ETH_EVENT_INTR_LSC, event_cb, &st);
		}
		CHECK_MODEL_CLEAN(&tp.model);
		tp_close(&tp);
		CHECK_EQ(test_memzones(), mz0);
		/* the fds EAL kept for its running callback are closed too */
		eal_thread_sync();
		if (i == 0)
			fds0 = test_open_fds();
		else
			CHECK_EQ(test_open_fds(), fds0);
	}
	test_ops = &test_irq_ops;
}

/* Item 5: a second port on a device that already has one is refused. */
static void
test_second_port_refused(void)
{
	struct test_port tp, tp2;
	uint16_t port2, before;

	tp_open(&tp, NULL, 0, 0);
	before = rte_eth_dev_count_avail();
	tp_model(&tp2, NULL);
	CHECK_EQ(vmmio_ethdev_create("net_vmmio_dup", &tp2.hw, tp.devname,
		rte_eth_devices[tp.port_id].device, SOCKET_ID_ANY, &port2), -EBUSY);
	CHECK_EQ(rte_eth_dev_count_avail(), before);
	CHECK_EQ(tp2.model.status_writes, 0);	/* the device was not touched */
	CHECK(rte_eth_dev_allocated("net_vmmio_dup") == NULL);
	model_fini(&tp2.model);
	/* the first port is unaffected */
	traffic(&tp, 0);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/* The device sets DEVICE_NEEDS_RESET and, if @p irq, raises a config interrupt. */
static void
device_needs_reset(struct test_port *tp, bool irq)
{
	tp->model.status |= VIRTIO_STATUS_DEVICE_NEEDS_RESET;
	if (irq) {
		tp->model.isr |= VIRTIO_MMIO_INT_CONFIG;
		raise_irq();
	}
}

/*
 * Item 6: DEVICE_NEEDS_RESET by configuration interrupt raises
 * RTE_ETH_EVENT_INTR_RESET once, the link goes down, and
 * rte_eth_dev_reset() + configure + setup + start brings the port back.
 */
static void
test_needs_reset_intr(void)
{
	struct rte_eth_link link;
	struct cb_state st;
	struct test_port tp;

	open_irq(&tp, NULL);
	memset(&st, 0, sizeof(st));
	CHECK_EQ(rte_eth_dev_callback_register(tp.port_id,
		RTE_ETH_EVENT_INTR_RESET, event_cb, &st), 0);
	traffic(&tp, 0);
	device_needs_reset(&tp, true);
	CHECK(wait_flag(&st.done));
	CHECK_EQ(st.events, 1);
	CHECK_EQ(rte_eth_link_get_nowait(tp.port_id, &link), 0);
	CHECK_EQ(link.link_status, RTE_ETH_LINK_DOWN);
	/* a second config interrupt does not raise it again */
	tp.model.isr |= VIRTIO_MMIO_INT_CONFIG;
	raise_irq();
	check_intr_thread_alive();
	check_intr_thread_alive();
	CHECK_EQ(st.events, 1);
	CHECK_EQ(rte_eth_dev_reset(tp.port_id), 0);
	tp.started = false;
	CHECK_EQ(tp.model.status, 0);
	CHECK_EQ(tp_mbufs_out(&tp), 0);
	/* back: configure, queues, start */
	rte_mempool_free(tp.mp);
	tp.mp = NULL;
	tp_setup(&tp, 0, 0);
	tp_start(&tp);
	CHECK_EQ(rte_eth_link_get_nowait(tp.port_id, &link), 0);
	CHECK_EQ(link.link_status, RTE_ETH_LINK_UP);
	traffic(&tp, 10);
	rte_eth_dev_callback_unregister(tp.port_id, RTE_ETH_EVENT_INTR_RESET,
		event_cb, &st);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/*
 * Item 6 without interrupt line: the periodic Status check sees
 * DEVICE_NEEDS_RESET, or a device that reset itself (DRIVER_OK gone), and
 * a plain stop and start brings the port back.
 */
static void
test_needs_reset_polled(void)
{
	struct rte_eth_link link;
	struct cb_state st;
	struct test_port tp;
	unsigned int how;

	for (how = 0; how < 2; how++) {
		tp_model(&tp, NULL);
		tp.hw.status_check_ms = 5;
		CHECK_EQ(tp_create_port(&tp), 0);
		tp_setup(&tp, 0, 0);
		memset(&st, 0, sizeof(st));
		CHECK_EQ(rte_eth_dev_callback_register(tp.port_id,
			RTE_ETH_EVENT_INTR_RESET, event_cb, &st), 0);
		tp_start(&tp);
		traffic(&tp, 0);
		if (how == 0)
			device_needs_reset(&tp, false);
		else
			tp.model.status = 0;	/* reset itself, said nothing */
		CHECK(wait_flag(&st.done));
		CHECK_EQ(st.events, 1);
		CHECK_EQ(rte_eth_link_get_nowait(tp.port_id, &link), 0);
		CHECK_EQ(link.link_status, RTE_ETH_LINK_DOWN);
		tp_stop(&tp);
		tp_start(&tp);
		CHECK_EQ(rte_eth_link_get_nowait(tp.port_id, &link), 0);
		CHECK_EQ(link.link_status, RTE_ETH_LINK_UP);
		traffic(&tp, 10);
		CHECK_EQ(st.events, 1);
		rte_eth_dev_callback_unregister(tp.port_id,
			RTE_ETH_EVENT_INTR_RESET, event_cb, &st);
		CHECK_MODEL_CLEAN(&tp.model);
		tp_close(&tp);
	}
}

/*
 * Item 7: frames the software ring could not take count as missed only:
 * packets, bytes and the size bins hold exactly what was delivered.
 */
static void
test_swr_full_accounting(void)
{
	struct rte_eth_xstat_name *names;
	struct rte_mbuf *pkts[BURST];
	struct rte_eth_xstat *xs;
	struct rte_eth_stats st;
	struct vmmio_rxq *rxq;
	struct test_port tp;
	uint64_t bytes = 0, bins = 0;
	uint32_t seq = 0, kept;
	uint16_t got, k;
	int n, i;

	/* swring mode, 64 descriptors: a software ring of 128; the test serves the line */
	tp_model(&tp, NULL);
	tp.hw.rx_intr_swring = true;
	CHECK_EQ(tp_create_port(&tp), 0);
	tp_irq(&tp, true);
	tp_setup_intr(&tp, 64, 64);
	tp_start_intr(&tp);
	rxq = rte_eth_devices[tp.port_id].data->rx_queues[0];
	kept = rte_ring_get_capacity(rxq->intr.swr);
	CHECK_EQ(kept, 128);
	CHECK_EQ(vmmio_rxintr_arm(rxq, true), 0);
	/* two device rings fill the software ring; 24 more find it full */
	for (k = 0; k < 3; k++) {
		for (i = 0; i < (k < 2 ? 64 : 24); i++)
			inject(&tp, seq++);
		CHECK_EQ(vmmio_rxintr_service(rxq, VMMIO_RXINTR_BUDGET_DEFAULT),
			k < 2 ? 64 : 0);
	}
	CHECK_EQ(rxq->intr.swr_drops, 24);
	stats(&tp, &st);
	CHECK_EQ(st.ipackets, kept);
	CHECK_EQ(st.imissed, 24);
	for (seq = 0; seq < kept; seq++)
		bytes += frame_len(seq);
	CHECK_EQ(st.ibytes, bytes);
	/* the frame-size bins count the delivered packets only */
	n = rte_eth_xstats_get_names(tp.port_id, NULL, 0);
	CHECK(n > 0);
	names = calloc(n, sizeof(*names));
	xs = calloc(n, sizeof(*xs));
	CHECK(names != NULL && xs != NULL);
	CHECK_EQ(rte_eth_xstats_get_names(tp.port_id, names, n), n);
	CHECK_EQ(rte_eth_xstats_get(tp.port_id, xs, n), n);
	for (i = 0; i < n; i++)
		if (strncmp(names[i].name, "rx_q0_size_", 11) == 0)
			bins += xs[i].value;
	CHECK_EQ(bins, kept);
	free(names);
	free(xs);
	CHECK_EQ(vmmio_rxintr_arm(rxq, false), 0);
	for (seq = 0; seq < kept; seq += got) {
		got = rx_some(&tp, pkts, BURST);
		CHECK_EQ(got, BURST);
		for (k = 0; k < got; k++) {
			CHECK(frame_ok(rte_pktmbuf_mtod(pkts[k], uint8_t *),
				pkts[k]->pkt_len, seq + k));
			rte_pktmbuf_free(pkts[k]);
		}
	}
	CHECK_EQ(rx_some(&tp, pkts, BURST), 0);
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

/*
 * Item 8: deferred queue start refused; the ring size used is reported by
 * rxq/txq_info_get; an unreadable link keeps the last known state (a
 * device MTU below 68: test_probe_mtu).
 */
static void
test_setup_checks(void)
{
	struct rte_eth_rxconf rxc;
	struct rte_eth_txconf txc;
	struct rte_eth_rxq_info rqi;
	struct rte_eth_txq_info tqi;
	struct rte_eth_dev_info info;
	struct rte_eth_link link;
	struct test_port tp;
	int ret;

	CHECK_EQ(tp_create(&tp, NULL), 0);
	tp_setup(&tp, 0, 0);
	/*
	 * Deferred start refused: by the PMD (-EINVAL), or since DPDK 25.11 by
	 * ethdev itself, which sees no queue start op (-ENOTSUP).
	 */
	memset(&rxc, 0, sizeof(rxc));
	rxc.rx_deferred_start = 1;
	ret = rte_eth_rx_queue_setup(tp.port_id, 0, 0, SOCKET_ID_ANY, &rxc, tp.mp);
	CHECK(ret == -EINVAL || ret == -ENOTSUP);
	CHECK_EQ(rte_eth_dev_info_get(tp.port_id, &info), 0);
	txc = info.default_txconf;
	txc.tx_deferred_start = 1;
	ret = rte_eth_tx_queue_setup(tp.port_id, 0, 0, SOCKET_ID_ANY, &txc);
	CHECK(ret == -EINVAL || ret == -ENOTSUP);
	/* 200 descriptors asked: a split ring is a power of two (2.7) */
	CHECK_EQ(rte_eth_rx_queue_setup(tp.port_id, 0, 200, SOCKET_ID_ANY, NULL,
		tp.mp), 0);
	CHECK_EQ(rte_eth_tx_queue_setup(tp.port_id, 0, 100, SOCKET_ID_ANY, NULL),
		0);
	CHECK_EQ(rte_eth_rx_queue_info_get(tp.port_id, 0, &rqi), 0);
	CHECK_EQ(rte_eth_tx_queue_info_get(tp.port_id, 0, &tqi), 0);
	CHECK_EQ(rqi.nb_desc, 128);
	CHECK_EQ(tqi.nb_desc, 64);
	CHECK(rqi.mp == tp.mp);
	tp_start(&tp);
	CHECK_EQ(tp.model.vq[MODEL_RXQ].num, 128);
	CHECK_EQ(tp.model.vq[MODEL_TXQ].num, 64);
	traffic(&tp, 0);
	/* config space that never settles: the link stays as it was */
	if (!legacy()) {
		model_set_link(&tp.model, false);
		tp.model.cfg_gen_bumps = 1000;
		CHECK_EQ(rte_eth_link_get_nowait(tp.port_id, &link), 0);
		CHECK_EQ(link.link_status, RTE_ETH_LINK_UP);
		tp.model.cfg_gen_bumps = 0;
		CHECK_EQ(rte_eth_link_get_nowait(tp.port_id, &link), 0);
		CHECK_EQ(link.link_status, RTE_ETH_LINK_DOWN);
		model_set_link(&tp.model, true);
	}
	CHECK_MODEL_CLEAN(&tp.model);
	tp_close(&tp);
}

int
main(int argc, char **argv)
{
	test_init(argc, argv);
	RUN(test_remove_started);
	RUN(test_reset_timeout);
	RUN(test_lsc_stop_in_callback);
	RUN(test_second_port_refused);
	RUN(test_needs_reset_intr);
	RUN(test_needs_reset_polled);
	RUN(test_swr_full_accounting);
	RUN(test_setup_checks);
	return test_done();
}
