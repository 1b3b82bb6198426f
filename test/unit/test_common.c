/* SPDX-License-Identifier: BSD-3-Clause */
#include <dirent.h>
#include <string.h>
#include <unistd.h>

#include <dev_driver.h>
#include <rte_alarm.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ether.h>
#include <rte_lcore.h>
#include <rte_memzone.h>

#include "test_common.h"
#include "vmmio_ethdev.h"

uint32_t test_version = VIRTIO_MMIO_VERSION_MODERN;
bool test_plain;
bool test_packed;
const char *test_filter;
unsigned int test_ran;

/* ethdev's info_get dereferences dev->device->driver->name. */
static const struct rte_driver fake_driver = {
	.name = VMMIO_DRIVER_NAME,
};
static struct rte_device fake_device = {
	.name = "vmmio_model",
	.driver = &fake_driver,
	.numa_node = SOCKET_ID_ANY,
};

static struct test_port *cur_port;	/* for failure diagnostics */
void (*test_fail_context)(FILE *out);
static unsigned int port_seq;

void
test_fail(const char *file, int line, const char *expr, const char *detail)
{
	fprintf(stderr, "%s:%d: CHECK failed: %s%s%s\n", file, line, expr,
		detail != NULL ? ": " : "", detail != NULL ? detail : "");
	if (cur_port != NULL && cur_port->model.last_error[0] != '\0')
		fprintf(stderr, "  model's last error: %s\n",
			cur_port->model.last_error);
	if (test_fail_context != NULL)
		test_fail_context(stderr);
	fflush(stdout);
	fflush(stderr);
	exit(1);
}

void
test_init(int argc, char **argv)
{
	/*
	 * --base-virtaddr: with --iova-mode=va a legacy queue's QueuePFN is the
	 * ring's virtual address / 4096 and must fit 32 bits (below 16 TiB).
	 * The EAL's default hint (4 GiB) lies in AddressSanitizer's shadow gap
	 * on x86_64, so under ASan the kernel places the memory near 0x7f..
	 * instead; ASan leaves only low memory below 0x7fff8000 usable below
	 * 16 TiB. 512 MiB is free in both builds (PIE, top-down mmap), so it
	 * is used always: both lanes run the same EAL layout.
	 */
	char *eal_args[] = {
		argv[0], "--no-huge", "-m", "256", "--no-pci", "--no-shconf",
		"--no-telemetry", "-l", "0", "--iova-mode=va",
		"--base-virtaddr=0x20000000",
		"--log-level=pmd.net.virtio_mmio:debug",
	};
	int ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && strcmp(argv[1], "legacy") == 0)
		test_version = VIRTIO_MMIO_VERSION_LEGACY;
	else if (argc > 1 && strcmp(argv[1], "plain") == 0)
		test_plain = true;
	else if (argc > 1 && strcmp(argv[1], "packed") == 0)
		test_packed = true;
	else if (argc > 1 && strcmp(argv[1], "modern") != 0) {
		fprintf(stderr, "usage: %s [modern|legacy|plain|packed [test-case]]\n",
			argv[0]);
		exit(2);
	}
	if (argc > 2)
		test_filter = argv[2];
	ret = rte_eal_init(RTE_DIM(eal_args), eal_args);
	if (ret < 0) {
		fprintf(stderr, "rte_eal_init failed: %s\n", rte_strerror(rte_errno));
		exit(1);
	}
}

int
test_done(void)
{
	if (test_ran == 0) {
		fprintf(stderr, "no test case named %s\n",
			test_filter != NULL ? test_filter : "(any)");
		exit(1);
	}
	rte_eal_cleanup();
	printf("PASS\n");
	return 0;
}

uint16_t
tp_used_pending(struct vmmio_vq *vq)
{
	uint16_t n = 0;

	if (!vq->packed)
		return vmmio_vq_used_pending(vq);
	while (n < vq->size && vmmio_vq_packed_used(vq, vq->used_cons + n) != NULL)
		n++;
	return n;
}

uint32_t *
tp_used_len(struct vmmio_vq *vq)
{
	if (vq->packed)
		return &vq->pdesc[vq->used_cons & vq->mask].len;
	return &vq->used->ring[vq->used_cons & vq->mask].len;
}

void
test_opts(struct model_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->version = test_version;
}

void
tp_model(struct test_port *tp, const struct model_opts *opts)
{
	struct model_opts def;

	memset(tp, 0, sizeof(*tp));
	if (opts == NULL)
		test_opts(&def);
	else
		def = *opts;
	/* the packed variant: every modern device offers packed rings */
	def.packed = def.packed || test_packed;
	CHECK(model_init(&tp->model, &def) == 0);
	model_hw(&tp->model, &tp->hw);
	cur_port = tp;
}

int
tp_create_port(struct test_port *tp)
{
	int ret;

	/* One platform device name per model: the PMD refuses a second port on one. */
	snprintf(tp->devname, sizeof(tp->devname), "model%u", port_seq);
	snprintf(tp->name, sizeof(tp->name), "net_vmmio_test%u", port_seq++);
	ret = vmmio_ethdev_create(tp->name, &tp->hw, tp->devname, &fake_device,
		SOCKET_ID_ANY, &tp->port_id);
	tp->created = ret == 0;
	return ret;
}

int
tp_create(struct test_port *tp, const struct model_opts *opts)
{
	tp_model(tp, opts);
	return tp_create_port(tp);
}

void
tp_setup(struct test_port *tp, uint16_t nb_rxd, uint16_t nb_txd)
{
	struct rte_eth_conf conf;

	memset(&conf, 0, sizeof(conf));
	tp_setup_ex(tp, &conf, nb_rxd, nb_txd, 0);
}

void
tp_setup_ex(struct test_port *tp, const struct rte_eth_conf *conf,
	uint16_t nb_rxd, uint16_t nb_txd, uint16_t data_room)
{
	struct rte_eth_txconf txconf;
	struct rte_eth_dev_info info;
	char name[RTE_MEMPOOL_NAMESIZE];

	CHECK_EQ(rte_eth_dev_configure(tp->port_id, 1, 1, conf), 0);
	if (test_plain)
		CHECK_EQ(rte_eth_dev_set_ptypes(tp->port_id, RTE_PTYPE_UNKNOWN,
			NULL, 0), 0);
	/* enough for both rings full plus what a test holds */
	tp->mp_size = 4095;
	snprintf(name, sizeof(name), "tp_mp%u", port_seq);
	tp->mp = rte_pktmbuf_pool_create(name, tp->mp_size,
		tp->mp_cache != 0 ? tp->mp_cache : 32, 0,
		data_room != 0 ? data_room : RTE_MBUF_DEFAULT_BUF_SIZE,
		SOCKET_ID_ANY);
	CHECK(tp->mp != NULL);
	CHECK_EQ(rte_eth_rx_queue_setup(tp->port_id, 0, nb_rxd, SOCKET_ID_ANY,
		NULL, tp->mp), 0);
	CHECK_EQ(rte_eth_dev_info_get(tp->port_id, &info), 0);
	txconf = info.default_txconf;
	txconf.tx_free_thresh = tp->tx_free_thresh;
	CHECK_EQ(rte_eth_tx_queue_setup(tp->port_id, 0, nb_txd, SOCKET_ID_ANY,
		&txconf), 0);
	tp->nb_rxd = nb_rxd;
	tp->nb_txd = nb_txd;
}

void
tp_start(struct test_port *tp)
{
	struct rte_eth_burst_mode mode;
	struct rte_eth_conf conf;

	CHECK_EQ(rte_eth_dev_start(tp->port_id), 0);
	tp->started = true;
	CHECK(model_driver_ok(&tp->model));
	/* the plain variant runs the plain receive path where it applies */
	CHECK_EQ(rte_eth_dev_conf_get(tp->port_id, &conf), 0);
	if (test_plain && conf.rxmode.offloads == 0) {
		CHECK_EQ(rte_eth_rx_burst_mode_get(tp->port_id, 0, &mode), 0);
		CHECK_EQ(strncmp(mode.info, "plain", 5), 0);
	}
	/* the packed variant runs packed rings on every modern device */
	if (test_packed && tp->model.opts.version == VIRTIO_MMIO_VERSION_MODERN) {
		CHECK_EQ(rte_eth_rx_burst_mode_get(tp->port_id, 0, &mode), 0);
		CHECK(strstr(mode.info, ",packed") != NULL);
		CHECK_EQ(rte_eth_tx_burst_mode_get(tp->port_id, 0, &mode), 0);
		CHECK(strstr(mode.info, ",packed") != NULL);
	}
}

/* The model's interrupt line, wired as VFIO does. */
static int
tp_line_set(struct vmmio_hw *hw, int fd)
{
	struct vmmio_model *m = hw->priv;

	m->irq_efd = fd;
	return 0;
}

const struct vmmio_irq_ops tp_irq_ops = {
	.name = "model",
	.open = vmmio_irqfd_eventfd,
	.set = tp_line_set,
	.count_size = sizeof(uint64_t),
	.wakeable = true,
};

/* As UIO: set(fd) unmasks (a write of 1), set(-1) masks (0); masked at each edge. */
static int
tp_uio_line_set(struct vmmio_hw *hw, int fd)
{
	struct vmmio_model *m = hw->priv;

	m->irq_efd = fd;
	m->irq_masks = true;
	/* a write of 0 masks; an edge kept while masked comes at the next 1 */
	if (fd >= 0)
		model_irq_unmask(m);
	else
		m->irq_masked = true;
	return 0;
}

static int
tp_uio_line_unmask(struct vmmio_hw *hw)
{
	model_irq_unmask(hw->priv);
	return 0;
}

const struct vmmio_irq_ops tp_uio_irq_ops = {
	.name = "model-uio",
	.open = vmmio_irqfd_eventfd,
	.set = tp_uio_line_set,
	.unmask = tp_uio_line_unmask,
	.count_size = sizeof(uint64_t),
	.wakeable = false,
};

void
tp_irq_ops_set(struct test_port *tp, bool hold, const struct vmmio_irq_ops *ops)
{
	tp->model.irq_hold = hold;
	vmmio_ethdev_set_irq(tp->port_id, ops);
}

void
tp_irq(struct test_port *tp, bool hold)
{
	tp_irq_ops_set(tp, hold, &tp_irq_ops);
}

static void
sync_alarm(void *arg)
{
	__atomic_store_n((int *)arg, 1, __ATOMIC_RELEASE);
}

bool
test_wait_u64(const uint64_t *v, uint64_t above)
{
	unsigned int ms;

	for (ms = 0; ms < TEST_WAIT_MS; ms++) {
		if (__atomic_load_n(v, __ATOMIC_ACQUIRE) > above)
			return true;
		rte_delay_us_sleep(1000);
	}
	return false;
}

unsigned int
test_open_fds(void)
{
	struct dirent *e;
	unsigned int n = 0;
	DIR *d = opendir("/proc/self/fd");

	CHECK(d != NULL);
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

uint64_t
efd_take(int fd)
{
	uint64_t v = 0;

	if (read(fd, &v, sizeof(v)) != sizeof(v))
		return 0;
	return v;
}

void
eal_thread_sync(void)
{
	int done = 0;
	unsigned int ms;

	/* alarms run on the EAL interrupt thread, after what it is running */
	CHECK_EQ(rte_eal_alarm_set(1, sync_alarm, &done), 0);
	for (ms = 0; ms < TEST_WAIT_MS; ms++) {
		if (__atomic_load_n(&done, __ATOMIC_ACQUIRE))
			return;
		rte_delay_us_sleep(1000);
	}
	CHECK(!"EAL interrupt thread ran no alarm within TEST_WAIT_MS");
}

uint64_t
tp_irq_served(const struct test_port *tp)
{
	const struct vmmio_adapter *ad =
		rte_eth_devices[tp->port_id].data->dev_private;

	return __atomic_load_n(&ad->interrupts, __ATOMIC_ACQUIRE);
}

void
tp_irq_wait(struct test_port *tp, uint64_t served)
{
	const struct vmmio_adapter *ad =
		rte_eth_devices[tp->port_id].data->dev_private;

	CHECK(test_wait_u64(&ad->interrupts, served));
	eal_thread_sync();
}

bool
tp_irq_serve(struct test_port *tp)
{
	uint64_t served = tp_irq_served(tp);

	if (tp->model.irq_held == 0)
		return false;
	model_irq_deliver(&tp->model);
	tp_irq_wait(tp, served);
	return true;
}

void
tp_setup_intr(struct test_port *tp, uint16_t nb_rxd, uint16_t nb_txd)
{
	struct rte_eth_conf conf;

	memset(&conf, 0, sizeof(conf));
	conf.intr_conf.rxq = 1;
	tp_setup_ex(tp, &conf, nb_rxd, nb_txd, 0);
}

void
tp_start_intr(struct test_port *tp)
{
	uint64_t served = tp_irq_served(tp);
	const struct vmmio_adapter *ad;

	tp_start(tp);
	ad = rte_eth_devices[tp->port_id].data->dev_private;
	CHECK(ad->irq_on);
	/* the EAL thread serves the start's look at the line before the test goes on */
	if (!vmmio_irq_lcore(ad))
		tp_irq_wait(tp, served);
}

void
tp_open(struct test_port *tp, const struct model_opts *opts, uint16_t nb_rxd,
	uint16_t nb_txd)
{
	CHECK_EQ(tp_create(tp, opts), 0);
	tp_setup(tp, nb_rxd, nb_txd);
	tp_start(tp);
}

void
tp_stop(struct test_port *tp)
{
	CHECK_EQ(rte_eth_dev_stop(tp->port_id), 0);
	tp->started = false;
}

unsigned int
tp_mbufs_out(const struct test_port *tp)
{
	return tp->mp_size - rte_mempool_avail_count(tp->mp);
}

void
tp_close(struct test_port *tp)
{
	if (tp->started)
		tp_stop(tp);
	if (tp->created)
		CHECK_EQ(rte_eth_dev_close(tp->port_id), 0);
	tp->created = false;
	if (tp->mp != NULL) {
		CHECK_EQ(tp_mbufs_out(tp), 0);
		rte_mempool_free(tp->mp);
		tp->mp = NULL;
	}
	model_fini(&tp->model);
	if (cur_port == tp)
		cur_port = NULL;
}

uint32_t
frame_len(uint32_t seq)
{
	return TEST_FRAME_MIN + (seq * 37) % (RTE_ETHER_MAX_LEN -
		RTE_ETHER_CRC_LEN - TEST_FRAME_MIN + 1);
}

static uint8_t
frame_byte(uint32_t seq, uint32_t i)
{
	return (uint8_t)(seq * 13 + i * 7 + (i >> 8));
}

void
frame_fill(uint8_t *buf, uint32_t len, uint32_t seq)
{
	static const uint8_t dst[6] = MODEL_DEFAULT_MAC;
	static const uint8_t src[6] = { 0x02, 0, 0, 0, 0, 0x01 };
	uint32_t i;

	memcpy(buf, dst, 6);
	memcpy(buf + 6, src, 6);
	buf[12] = TEST_ETHERTYPE >> 8;
	buf[13] = TEST_ETHERTYPE & 0xff;
	memcpy(buf + 14, &seq, sizeof(seq));
	memcpy(buf + 18, &len, sizeof(len));
	for (i = 22; i < len; i++)
		buf[i] = frame_byte(seq, i);
}

bool
frame_ok(const uint8_t *buf, uint32_t len, uint32_t seq)
{
	uint32_t s, l, i;

	if (len < 22)
		return false;
	memcpy(&s, buf + 14, sizeof(s));
	memcpy(&l, buf + 18, sizeof(l));
	if (s != seq || l != len ||
	    buf[12] != TEST_ETHERTYPE >> 8 || buf[13] != (TEST_ETHERTYPE & 0xff))
		return false;
	for (i = 22; i < len; i++)
		if (buf[i] != frame_byte(seq, i))
			return false;
	return true;
}

struct rte_mbuf *
mbuf_frame(struct rte_mempool *mp, uint32_t len, uint32_t seq)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
	uint8_t *p;

	CHECK(m != NULL);
	p = (uint8_t *)rte_pktmbuf_append(m, len);
	CHECK(p != NULL);
	frame_fill(p, len, seq);
	return m;
}

void
inject(struct test_port *tp, uint32_t seq)
{
	uint8_t buf[RTE_ETHER_MAX_LEN];
	uint32_t len = frame_len(seq);

	frame_fill(buf, len, seq);
	CHECK_EQ(model_rx_inject(&tp->model, buf, len), 0);
}

uint16_t
rx_some(struct test_port *tp, struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t got = 0;
	int tries;

	/* the model is synchronous: nothing arrives later, a few polls suffice */
	for (tries = 0; tries < 4 && got < n; tries++)
		got += rte_eth_rx_burst(tp->port_id, 0, pkts + got, n - got);
	return got;
}

void
stats(const struct test_port *tp, struct rte_eth_stats *st)
{
	CHECK_EQ(rte_eth_stats_get(tp->port_id, st), 0);
}

uint64_t
xstat(const struct test_port *tp, const char *name)
{
	uint64_t id, v = 0;

	CHECK_EQ(rte_eth_xstats_get_id_by_name(tp->port_id, name, &id), 0);
	CHECK_EQ(rte_eth_xstats_get_by_id(tp->port_id, &id, &v, 1), 1);
	return v;
}

void
tp_traffic(struct test_port *tp, uint32_t base, uint32_t n)
{
	struct model_frame *f = malloc(sizeof(*f) * 8);
	struct rte_mbuf *pkts[8];
	uint32_t i;

	CHECK(f != NULL && n <= 8);
	for (i = 0; i < n; i++)
		inject(tp, base + i);
	CHECK_EQ(rx_some(tp, pkts, n), n);
	for (i = 0; i < n; i++) {
		CHECK(frame_ok(rte_pktmbuf_mtod(pkts[i], uint8_t *),
			pkts[i]->pkt_len, base + i));
		rte_pktmbuf_free(pkts[i]);
	}
	for (i = 0; i < n; i++)
		pkts[i] = mbuf_frame(tp->mp, frame_len(base + i), base + i);
	CHECK_EQ(rte_eth_tx_burst(tp->port_id, 0, pkts, n), n);
	CHECK_EQ(model_tx_collect(&tp->model, f, n), n);
	for (i = 0; i < n; i++)
		CHECK(frame_ok(f[i].data, f[i].len, base + i));
	free(f);
}

static void
mz_count_cb(const struct rte_memzone *mz, void *arg)
{
	if (strcmp(mz->name, "rte_eth_dev_data") != 0)
		(*(unsigned int *)arg)++;
}

unsigned int
test_memzones(void)
{
	unsigned int n = 0;

	rte_memzone_walk(mz_count_cb, &n);
	return n;
}
