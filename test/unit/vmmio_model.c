/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Device side of virtio-mmio (virtio 1.2 sections 2.1, 2.7, 3.1, 4.2 and
 * 5.1) for a virtio-net device with one queue pair. Every rule of the spec
 * the driver can break is checked and counted, so tests can assert the
 * driver behaved.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_ether.h>
#include <rte_memory.h>

#include "vmmio_model.h"

#define MODEL_VENDOR_ID		0x554d4551	/* "QEMU" */

/* Register access rules (4.2.2 table 4.1, legacy 4.2.4 table 4.2). */
#define REG_R		1
#define REG_W		2
#define REG_BOTH	0
#define REG_MODERN	1
#define REG_LEGACY	2

struct reg_info {
	uint32_t off;
	uint8_t rw;
	uint8_t ver;
	const char *name;
};

static const struct reg_info reg_table[] = {
	{ VIRTIO_MMIO_MAGIC_VALUE, REG_R, REG_BOTH, "MagicValue" },
	{ VIRTIO_MMIO_VERSION, REG_R, REG_BOTH, "Version" },
	{ VIRTIO_MMIO_DEVICE_ID, REG_R, REG_BOTH, "DeviceID" },
	{ VIRTIO_MMIO_VENDOR_ID, REG_R, REG_BOTH, "VendorID" },
	{ VIRTIO_MMIO_DEVICE_FEATURES, REG_R, REG_BOTH, "DeviceFeatures" },
	{ VIRTIO_MMIO_DEVICE_FEATURES_SEL, REG_W, REG_BOTH, "DeviceFeaturesSel" },
	{ VIRTIO_MMIO_DRIVER_FEATURES, REG_W, REG_BOTH, "DriverFeatures" },
	{ VIRTIO_MMIO_DRIVER_FEATURES_SEL, REG_W, REG_BOTH, "DriverFeaturesSel" },
	{ VIRTIO_MMIO_GUEST_PAGE_SIZE, REG_W, REG_LEGACY, "GuestPageSize" },
	{ VIRTIO_MMIO_QUEUE_SEL, REG_W, REG_BOTH, "QueueSel" },
	{ VIRTIO_MMIO_QUEUE_NUM_MAX, REG_R, REG_BOTH, "QueueNumMax" },
	{ VIRTIO_MMIO_QUEUE_NUM, REG_W, REG_BOTH, "QueueNum" },
	{ VIRTIO_MMIO_QUEUE_ALIGN, REG_W, REG_LEGACY, "QueueAlign" },
	{ VIRTIO_MMIO_QUEUE_PFN, REG_R | REG_W, REG_LEGACY, "QueuePFN" },
	{ VIRTIO_MMIO_QUEUE_READY, REG_R | REG_W, REG_MODERN, "QueueReady" },
	{ VIRTIO_MMIO_QUEUE_NOTIFY, REG_W, REG_BOTH, "QueueNotify" },
	{ VIRTIO_MMIO_INTERRUPT_STATUS, REG_R, REG_BOTH, "InterruptStatus" },
	{ VIRTIO_MMIO_INTERRUPT_ACK, REG_W, REG_BOTH, "InterruptACK" },
	{ VIRTIO_MMIO_STATUS, REG_R | REG_W, REG_BOTH, "Status" },
	{ VIRTIO_MMIO_QUEUE_DESC_LOW, REG_W, REG_MODERN, "QueueDescLow" },
	{ VIRTIO_MMIO_QUEUE_DESC_HIGH, REG_W, REG_MODERN, "QueueDescHigh" },
	{ VIRTIO_MMIO_QUEUE_AVAIL_LOW, REG_W, REG_MODERN, "QueueDriverLow" },
	{ VIRTIO_MMIO_QUEUE_AVAIL_HIGH, REG_W, REG_MODERN, "QueueDriverHigh" },
	{ VIRTIO_MMIO_QUEUE_USED_LOW, REG_W, REG_MODERN, "QueueDeviceLow" },
	{ VIRTIO_MMIO_QUEUE_USED_HIGH, REG_W, REG_MODERN, "QueueDeviceHigh" },
	{ VIRTIO_MMIO_CONFIG_GENERATION, REG_R, REG_MODERN, "ConfigGeneration" },
};

/* virtio-net configuration fields (5.1.4) and their natural width. */
struct cfg_field {
	uint8_t off;
	uint8_t size;
	bool legacy_writable;
};

static const struct cfg_field cfg_fields[] = {
	{ VIRTIO_NET_CFG_MAC + 0, 1, true },
	{ VIRTIO_NET_CFG_MAC + 1, 1, true },
	{ VIRTIO_NET_CFG_MAC + 2, 1, true },
	{ VIRTIO_NET_CFG_MAC + 3, 1, true },
	{ VIRTIO_NET_CFG_MAC + 4, 1, true },
	{ VIRTIO_NET_CFG_MAC + 5, 1, true },
	{ VIRTIO_NET_CFG_STATUS, 2, false },
	{ VIRTIO_NET_CFG_MAX_VQ_PAIRS, 2, false },
	{ VIRTIO_NET_CFG_MTU, 2, false },
	{ VIRTIO_NET_CFG_SPEED, 4, false },
	{ VIRTIO_NET_CFG_DUPLEX, 1, false },
};

/* One guest buffer of a descriptor chain, translated. */
struct model_seg {
	uint8_t *p;
	uint32_t len;
};

static void __rte_format_printf(3, 4)
model_err(struct vmmio_model *m, uint32_t *counter, const char *fmt, ...)
{
	va_list ap;

	(*counter)++;
	va_start(ap, fmt);
	vsnprintf(m->last_error, sizeof(m->last_error), fmt, ap);
	va_end(ap);
	fprintf(stderr, "model(v%u): %s\n", m->opts.version, m->last_error);
}

static bool
is_legacy(const struct vmmio_model *m)
{
	return m->opts.version == VIRTIO_MMIO_VERSION_LEGACY;
}

static const struct reg_info *
reg_lookup(uint32_t off)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(reg_table); i++)
		if (reg_table[i].off == off)
			return &reg_table[i];
	return NULL;
}

/*
 * Guest address to model pointer: the whole [iova, iova + len) must be
 * DPDK memory and virtually contiguous.
 */
static void *
g2v(uint64_t iova, uint64_t len)
{
	uint8_t *p, *q;

	if (len == 0 || iova + len < iova)
		return NULL;
	p = rte_mem_iova2virt(iova);
	if (p == NULL)
		return NULL;
	if (len > 1) {
		q = rte_mem_iova2virt(iova + len - 1);
		if (q != p + len - 1)
			return NULL;
	}
	return p;
}

uint16_t
model_hdr_len(const struct vmmio_model *m)
{
	/* 5.1.6: num_buffers exists with VERSION_1 or MRG_RXBUF */
	return (m->driver_features & (VIRTIO_BIT(VIRTIO_F_VERSION_1) |
		VIRTIO_BIT(VIRTIO_NET_F_MRG_RXBUF))) ?
		VIRTIO_NET_HDR_LEN_MODERN : VIRTIO_NET_HDR_LEN_LEGACY;
}

bool
model_driver_ok(const struct vmmio_model *m)
{
	return (m->status & VIRTIO_STATUS_DRIVER_OK) != 0;
}

uint32_t
model_errors(const struct vmmio_model *m)
{
	return m->version_errors + m->access_errors + m->proto_errors;
}

void
model_clear_errors(struct vmmio_model *m)
{
	m->version_errors = 0;
	m->access_errors = 0;
	m->proto_errors = 0;
	m->cfg_width_errors = 0;
	m->early_notifies = 0;
	m->last_error[0] = '\0';
}

static void
vq_clear(struct model_vq *vq)
{
	bool no_notify = vq->no_notify;
	uint64_t notifies = vq->notifies, interrupts = vq->interrupts;
	uint8_t *inflight = vq->inflight;
	uint16_t *pk_ndesc = vq->pk_ndesc;

	memset(vq, 0, sizeof(*vq));
	vq->no_notify = no_notify;
	vq->notifies = notifies;
	vq->interrupts = interrupts;
	vq->inflight = inflight;
	vq->pk_ndesc = pk_ndesc;
}

/* 2.4 Device Reset: back to the initial state, the queues forgotten. */
static void
model_reset(struct vmmio_model *m)
{
	unsigned int q;

	m->status = 0;
	m->dev_features_sel = 0;
	m->drv_features_sel = 0;
	m->driver_features = 0;
	m->guest_page_size = 0;
	m->queue_sel = 0;
	m->isr = 0;
	for (q = 0; q < MODEL_MAX_QUEUES; q++)
		vq_clear(&m->vq[q]);
	/* 5.1.6.5: filters back to their defaults, as QEMU's reset does */
	m->rx_promisc = 1;
	m->rx_allmulti = 0;
	m->vq_pairs = 1;
	m->uc_entries = 0;
	m->mc_entries = 0;
	memset(m->vlans, 0, sizeof(m->vlans));
	memcpy(&m->cfg[VIRTIO_NET_CFG_MAC], m->opts.mac, 6);
}

int
model_init(struct vmmio_model *m, const struct model_opts *opts)
{
	static const uint8_t def_mac[6] = MODEL_DEFAULT_MAC;
	static const uint8_t zero_mac[6];
	struct model_opts *o = &m->opts;
	unsigned int q;

	memset(m, 0, sizeof(*m));
	m->irq_efd = -1;
	if (opts != NULL)
		*o = *opts;
	if (o->version == 0)
		o->version = VIRTIO_MMIO_VERSION_MODERN;
	if (o->magic == 0)
		o->magic = VIRTIO_MMIO_MAGIC;
	if (o->device_id == 0)
		o->device_id = VIRTIO_ID_NET;
	if (o->queue_num_max == 0)
		o->queue_num_max = 256;
	if (o->features == 0 && !o->features_exact)
		o->features = is_legacy(m) ?
			VIRTIO_BIT(VIRTIO_NET_F_MAC) |
			VIRTIO_BIT(VIRTIO_NET_F_STATUS) |
			VIRTIO_BIT(VIRTIO_F_ANY_LAYOUT) :
			VIRTIO_BIT(VIRTIO_F_VERSION_1) |
			VIRTIO_BIT(VIRTIO_NET_F_MAC) |
			VIRTIO_BIT(VIRTIO_NET_F_STATUS);
	if (o->packed)
		o->features |= VIRTIO_BIT(VIRTIO_F_RING_PACKED);
	if (is_legacy(m))
		o->features &= UINT32_MAX;	/* one feature word (4.2.4) */
	if (memcmp(o->mac, zero_mac, sizeof(zero_mac)) == 0)
		memcpy(o->mac, def_mac, sizeof(def_mac));
	if (o->mtu == 0)
		o->mtu = RTE_ETHER_MTU;
	if (o->max_pairs == 0)
		o->max_pairs = 1;
	if (o->max_pairs > MODEL_MAX_PAIRS)
		return -EINVAL;
	m->nqueues = (o->features & VIRTIO_BIT(VIRTIO_NET_F_MQ)) ?
		2 * o->max_pairs : 2;
	if (o->features & VIRTIO_BIT(VIRTIO_NET_F_CTRL_VQ))
		m->nqueues++;

	memcpy(&m->cfg[VIRTIO_NET_CFG_MAC], o->mac, 6);
	m->cfg[VIRTIO_NET_CFG_STATUS] = VIRTIO_NET_S_LINK_UP;
	m->cfg[VIRTIO_NET_CFG_MAX_VQ_PAIRS] = (uint8_t)o->max_pairs;
	m->cfg[VIRTIO_NET_CFG_MAX_VQ_PAIRS + 1] = (uint8_t)(o->max_pairs >> 8);
	m->cfg[VIRTIO_NET_CFG_MTU] = (uint8_t)o->mtu;
	m->cfg[VIRTIO_NET_CFG_MTU + 1] = (uint8_t)(o->mtu >> 8);
	m->cfg[VIRTIO_NET_CFG_SPEED] = (uint8_t)o->speed;
	m->cfg[VIRTIO_NET_CFG_SPEED + 1] = (uint8_t)(o->speed >> 8);
	m->cfg[VIRTIO_NET_CFG_SPEED + 2] = (uint8_t)(o->speed >> 16);
	m->cfg[VIRTIO_NET_CFG_SPEED + 3] = (uint8_t)(o->speed >> 24);
	m->cfg[VIRTIO_NET_CFG_DUPLEX] = 1;

	m->segs = calloc(o->queue_num_max, sizeof(*m->segs));
	m->tx_log = calloc(MODEL_TX_LOG_MAX, sizeof(*m->tx_log));
	m->scratch = calloc(1, sizeof(*m->scratch));
	m->ctrl_log = calloc(MODEL_CTRL_LOG_MAX, sizeof(*m->ctrl_log));
	if (m->segs == NULL || m->tx_log == NULL || m->scratch == NULL ||
	    m->ctrl_log == NULL) {
		model_fini(m);
		return -ENOMEM;
	}
	for (q = 0; q < MODEL_MAX_QUEUES; q++) {
		m->vq[q].inflight = calloc(o->queue_num_max, 1);
		m->vq[q].pk_ndesc = calloc(o->queue_num_max, sizeof(uint16_t));
		if (m->vq[q].inflight == NULL || m->vq[q].pk_ndesc == NULL) {
			model_fini(m);
			return -ENOMEM;
		}
	}
	model_reset(m);
	return 0;
}

void
model_fini(struct vmmio_model *m)
{
	unsigned int q;

	free(m->segs);
	free(m->tx_log);
	free(m->scratch);
	free(m->ctrl_log);
	m->segs = NULL;
	m->tx_log = NULL;
	m->scratch = NULL;
	m->ctrl_log = NULL;
	for (q = 0; q < MODEL_MAX_QUEUES; q++) {
		free(m->vq[q].inflight);
		m->vq[q].inflight = NULL;
		free(m->vq[q].pk_ndesc);
		m->vq[q].pk_ndesc = NULL;
	}
}

void
model_hw(struct vmmio_model *m, struct vmmio_hw *hw)
{
	memset(hw, 0, sizeof(*hw));
	hw->reg = &model_reg_ops;
	hw->fd = -1;
	hw->priv = m;
}

static struct model_vq *
sel_vq(struct vmmio_model *m, const char *what)
{
	if (m->queue_sel >= m->nqueues) {
		model_err(m, &m->proto_errors, "%s on queue %u that does not exist",
			what, m->queue_sel);
		return NULL;
	}
	return &m->vq[m->queue_sel];
}

static bool
vq_enabled(const struct vmmio_model *m, const struct model_vq *vq)
{
	return is_legacy(m) ? vq->pfn != 0 : vq->ready != 0;
}

/* Queue setup is step 7 of 3.1.1: after FEATURES_OK (modern) or DRIVER. */
static void
check_setup_allowed(struct vmmio_model *m, const char *what)
{
	uint32_t need = is_legacy(m) ? VIRTIO_STATUS_DRIVER :
		VIRTIO_STATUS_FEATURES_OK;

	if (!(m->status & need))
		model_err(m, &m->proto_errors, "%s before %s (status 0x%02x)",
			what, is_legacy(m) ? "DRIVER" : "FEATURES_OK", m->status);
}

/* Packed: ring slot and wrap counter of free-running position @p p (2.8.1). */
static inline uint32_t
pk_slot(const struct model_vq *vq, uint32_t p)
{
	return p % vq->num;
}

static inline bool
pk_wrap(const struct model_vq *vq, uint32_t p)
{
	return ((p / vq->num) & 1) == 0;
}

static inline uint16_t
pk_off_wrap(const struct model_vq *vq, uint32_t p)
{
	return (uint16_t)(pk_slot(vq, p) |
		(pk_wrap(vq, p) ? 1u << RING_EVENT_WRAP_SHIFT : 0));
}

/*
 * The device event suppression structure (2.8.10): DISABLE while the test
 * holds notifications off; with EVENT_IDX and no value set by the test,
 * DESC at the next descriptor to read, as QEMU does once caught up.
 */
static void
pk_dev_event(struct model_vq *vq)
{
	if (vq->no_notify) {
		__atomic_store_n(&vq->dev_ev->flags, RING_EVENT_FLAGS_DISABLE,
			__ATOMIC_SEQ_CST);
	} else if (vq->event_idx && !vq->avail_event_manual) {
		__atomic_store_n(&vq->dev_ev->off_wrap, pk_off_wrap(vq, vq->pk_avail),
			__ATOMIC_SEQ_CST);
		__atomic_store_n(&vq->dev_ev->flags, RING_EVENT_FLAGS_DESC,
			__ATOMIC_SEQ_CST);
	} else if (!vq->event_idx) {
		__atomic_store_n(&vq->dev_ev->flags, RING_EVENT_FLAGS_ENABLE,
			__ATOMIC_SEQ_CST);
	}
}

/* The packed queue goes live (2.8.10.1: alignment 16, 4, 4; ring zeroed). */
static void
pk_enable(struct vmmio_model *m, struct model_vq *vq)
{
	uint32_t n = vq->num, i;

	if (n & (n - 1))
		model_err(m, &m->proto_errors, "packed queue size %u is not a power of two (this model needs one)", n);
	if (vq->desc_iova % 16 || vq->avail_iova % 4 || vq->used_iova % 4) {
		model_err(m, &m->proto_errors, "misaligned packed ring 0x%" PRIx64
			"/0x%" PRIx64 "/0x%" PRIx64, vq->desc_iova,
			vq->avail_iova, vq->used_iova);
		return;
	}
	vq->pdesc = g2v(vq->desc_iova, sizeof(struct vring_packed_desc) * n);
	vq->drv_ev = g2v(vq->avail_iova, sizeof(struct vring_packed_event));
	vq->dev_ev = g2v(vq->used_iova, sizeof(struct vring_packed_event));
	if (vq->pdesc == NULL || vq->drv_ev == NULL || vq->dev_ev == NULL) {
		model_err(m, &m->proto_errors, "ring address outside guest memory");
		return;
	}
	for (i = 0; i < n; i++)
		if (vq->pdesc[i].flags != 0) {
			model_err(m, &m->proto_errors, "packed ring not zeroed at enable");
			break;
		}
	vq->pk_avail = 0;
	vq->pk_used = 0;
	vq->pk_signalled = 0;
	vq->pk_nhold = 0;
	memset(vq->inflight, 0, m->opts.queue_num_max);
	vq->avail_event_manual = false;
	pk_dev_event(vq);
	vq->live = true;
}

/* The queue goes live: translate and check the three areas (2.7). */
static void
vq_enable(struct vmmio_model *m, struct model_vq *vq)
{
	uint32_t n = vq->num;

	vq->live = false;
	if (n == 0 || n > m->opts.queue_num_max) {
		model_err(m, &m->proto_errors, "queue enabled with QueueNum %u (max %u)",
			n, m->opts.queue_num_max);
		return;
	}
	if (!is_legacy(m) && (vq->desc_iova % 16 || vq->avail_iova % 2 ||
	    vq->used_iova % 4)) {
		model_err(m, &m->proto_errors, "misaligned ring 0x%" PRIx64
			"/0x%" PRIx64 "/0x%" PRIx64, vq->desc_iova,
			vq->avail_iova, vq->used_iova);
		return;
	}
	vq->packed = (m->driver_features & VIRTIO_BIT(VIRTIO_F_RING_PACKED)) != 0;
	vq->event_idx = (m->driver_features &
		VIRTIO_BIT(VIRTIO_RING_F_EVENT_IDX)) != 0;
	if (vq->packed) {
		pk_enable(m, vq);
		return;
	}
	vq->desc = g2v(vq->desc_iova, sizeof(struct vring_desc) * n);
	vq->avail = g2v(vq->avail_iova, sizeof(uint16_t) * (3 + n));
	vq->used = g2v(vq->used_iova, sizeof(uint16_t) * 3 +
		sizeof(struct vring_used_elem) * n);
	if (vq->desc == NULL || vq->avail == NULL || vq->used == NULL) {
		model_err(m, &m->proto_errors, "ring address outside guest memory");
		return;
	}
	/* 4.2.3.2 / 4.2.4: the driver zeroes the queue memory first. */
	if (vq->used->idx != 0 || vq->used->flags != 0 || vq->avail->idx != 0)
		model_err(m, &m->proto_errors, "queue memory not zeroed at enable");
	vq->last_avail = 0;
	vq->used_idx = 0;
	memset(vq->inflight, 0, m->opts.queue_num_max);
	vq->avail_event_manual = false;
	vq->signalled_used = 0;
	if (vq->no_notify && !vq->event_idx)
		vq->used->flags = VRING_USED_F_NO_NOTIFY;
	vq->live = true;
}

static void
vq_disable(struct model_vq *vq)
{
	vq->live = false;
	vq->ready = 0;
	vq->pfn = 0;
}

/* One edge to the line's eventfd (held, or kept while the line is masked). */
static void
model_irq_signal(struct vmmio_model *m)
{
	if (m->irq_masks) {
		if (m->irq_masked) {
			m->irq_pending = true;
			return;
		}
		m->irq_masked = true;
	}
	m->irq_held++;
	if (!m->irq_hold)
		model_irq_deliver(m);
}

/*
 * Set InterruptStatus bits (4.2.2). The line is InterruptStatus != 0, as in
 * QEMU's virtio-mmio, and VFIO signals its eventfd on each rising edge: a
 * bit set while another is still unacknowledged gives no edge.
 */
static void
model_raise(struct vmmio_model *m, uint32_t bits)
{
	if (__atomic_fetch_or(&m->isr, bits, __ATOMIC_SEQ_CST) != 0)
		return;
	m->irq_edges++;
	/* VFIO drops an edge of a line not wired to an eventfd */
	if (m->irq_efd < 0)
		return;
	model_irq_signal(m);
}

void
model_irq_unmask(struct vmmio_model *m)
{
	m->irq_unmasks++;
	m->irq_masked = false;
	if (m->irq_pending && m->irq_efd >= 0) {
		m->irq_pending = false;
		model_irq_signal(m);
	}
}

void
model_irq_deliver(struct vmmio_model *m)
{
	uint64_t n = m->irq_held;

	if (m->irq_efd < 0 || n == 0)
		return;
	m->irq_held = 0;
	if (write(m->irq_efd, &n, sizeof(n)) != sizeof(n))
		model_err(m, &m->proto_errors, "interrupt eventfd %d not written",
			m->irq_efd);
}

/*
 * Packed: mark the first @p n held used descriptors used, the first of
 * them last (2.8.9: a multi-buffer request's first buffer after the rest).
 */
static void
pk_flush(struct model_vq *vq, uint16_t n)
{
	uint16_t k;

	n = RTE_MIN(n, vq->pk_nhold);
	for (k = n; k > 0; k--)
		__atomic_store_n(&vq->pdesc[pk_slot(vq, vq->pk_hold[k - 1])].flags,
			vq->pk_hold_flags[k - 1], __ATOMIC_RELEASE);
	memmove(vq->pk_hold, vq->pk_hold + n, (vq->pk_nhold - n) * sizeof(vq->pk_hold[0]));
	memmove(vq->pk_hold_flags, vq->pk_hold_flags + n,
		(vq->pk_nhold - n) * sizeof(vq->pk_hold_flags[0]));
	vq->pk_nhold -= n;
}

/*
 * Packed: mark held descriptors used and send a used buffer notification
 * unless the driver event suppression structure says not to (2.8.10):
 * DISABLE never, ENABLE always, DESC when the position it names was
 * passed since the previous publish.
 */
static void
pk_publish(struct vmmio_model *m, struct model_vq *vq)
{
	uint32_t old = vq->pk_signalled, now, base, ev;
	uint16_t flags, ow;
	bool fire;

	pk_flush(vq, vq->pk_nhold);
	now = vq->pk_used;
	vq->pk_signalled = now;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	flags = __atomic_load_n(&vq->drv_ev->flags, __ATOMIC_ACQUIRE);
	ow = __atomic_load_n(&vq->drv_ev->off_wrap, __ATOMIC_ACQUIRE);
	if (flags == RING_EVENT_FLAGS_DESC) {
		if (!vq->event_idx)
			model_err(m, &m->proto_errors, "RING_EVENT_FLAGS_DESC without EVENT_IDX");
		if ((ow & ((1u << RING_EVENT_WRAP_SHIFT) - 1)) >= vq->num)
			model_err(m, &m->proto_errors, "driver event offset %u beyond queue of %u",
				ow & 0x7fff, vq->num);
		/* the event's position in the lap of @c now, or the lap before */
		base = now - pk_slot(vq, now);
		ev = base + (ow & 0x7fff);
		if (!!(ow >> RING_EVENT_WRAP_SHIFT) != pk_wrap(vq, now))
			ev -= vq->num;
		fire = ev >= old && ev < now;
	} else if (flags == RING_EVENT_FLAGS_DISABLE) {
		fire = false;
	} else {
		if (flags != RING_EVENT_FLAGS_ENABLE)
			model_err(m, &m->proto_errors, "driver event flags 0x%x", flags);
		fire = now != old;
	}
	if (fire) {
		vq->interrupts++;
		model_raise(m, VIRTIO_MMIO_INT_VRING);
	}
}

static int pk_peek_at(struct vmmio_model *m, struct model_vq *vq, uint16_t k,
	uint16_t *head);
static void avail_consume(struct model_vq *vq, uint16_t head);

/*
 * Packed: write a used descriptor for buffer @p id at the device's used
 * position (2.8.6: one for the whole list), held until pk_publish; the
 * position moves on by the buffer's descriptors (1 for an ID the device
 * does not hold: a misbehaving device).
 */
static void
pk_used_write(struct vmmio_model *m, struct model_vq *vq, uint32_t id,
	uint32_t len, bool hold)
{
	struct vring_packed_desc *d = &vq->pdesc[pk_slot(vq, vq->pk_used)];
	uint16_t ndesc = 1, taken;

	/*
	 * An ID the device does not hold, with nothing consumed to return:
	 * the slot holds a buffer the device has not read, so it takes that
	 * one and returns it under the wrong ID (model_put_used's misbehave;
	 * a packed device cannot write past what it read).
	 */
	if ((id >= vq->num || !vq->inflight[id]) && vq->pk_used == vq->pk_avail &&
	    pk_peek_at(m, vq, 0, &taken) == 0)
		avail_consume(vq, taken);
	if (vq->pk_nhold == MODEL_HOLD_MAX)
		pk_flush(vq, 1);
	d->id = (uint16_t)id;
	d->len = len;
	vq->pk_hold[vq->pk_nhold] = vq->pk_used;
	vq->pk_hold_flags[vq->pk_nhold++] = (len ? VRING_DESC_F_WRITE : 0) |
		(pk_wrap(vq, vq->pk_used) ?
		VRING_PACKED_DESC_F_AVAIL | VRING_PACKED_DESC_F_USED : 0);
	if (id < vq->num && vq->inflight[id]) {
		ndesc = vq->pk_ndesc[id];
		vq->inflight[id] = 0;
	}
	vq->pk_used += ndesc;
	vq->used_idx++;	/* used entries written, as a split ring counts them */
	if (!hold)
		pk_publish(m, vq);
}

/* Make used entries up to the device's used index visible (2.7.8). */
static void
used_publish(struct vmmio_model *m, struct model_vq *vq)
{
	uint16_t old = vq->signalled_used, flags, ev;
	bool fire;

	if (vq->packed) {
		pk_publish(m, vq);
		return;
	}

	__atomic_store_n(&vq->used->idx, vq->used_idx, __ATOMIC_RELEASE);
	vq->signalled_used = vq->used_idx;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	flags = __atomic_load_n(&vq->avail->flags, __ATOMIC_ACQUIRE);
	if (vq->event_idx) {
		/* 2.7.7.1: with EVENT_IDX the driver MUST keep flags 0 */
		if (flags != 0)
			model_err(m, &m->proto_errors, "avail->flags 0x%x with EVENT_IDX",
				flags);
		/* 2.7.10: interrupt when the used index passes used_event */
		ev = __atomic_load_n(&vq->avail->ring[vq->num], __ATOMIC_ACQUIRE);
		fire = (uint16_t)(vq->used_idx - ev - 1) <
			(uint16_t)(vq->used_idx - old);
	} else {
		/* 2.7.7: the driver may ask for no used buffer notification. */
		fire = !(flags & VRING_AVAIL_F_NO_INTERRUPT);
	}
	if (fire) {
		vq->interrupts++;
		model_raise(m, VIRTIO_MMIO_INT_VRING);
	}
}

/* 2.7.8: write one used entry, published at once unless @p hold. */
static void
used_write(struct vmmio_model *m, struct model_vq *vq, uint32_t id,
	uint32_t len, bool hold)
{
	struct vring_used_elem *e;

	if (vq->packed) {
		pk_used_write(m, vq, id, len, hold);
		return;
	}
	e = &vq->used->ring[vq->used_idx % vq->num];
	e->id = id;
	e->len = len;
	if (id < vq->num)
		vq->inflight[id] = 0;
	vq->used_idx++;
	if (!hold)
		used_publish(m, vq);
}

/* 2.7.8: publish one used entry. */
static void
used_put(struct vmmio_model *m, struct model_vq *vq, uint32_t id, uint32_t len)
{
	used_write(m, vq, id, len, false);
}

static int
vq_usable(const struct vmmio_model *m, const struct model_vq *vq)
{
	return vq->live && model_driver_ok(m) &&
		!(m->status & VIRTIO_STATUS_DEVICE_NEEDS_RESET) ? 0 : -EIO;
}

/* Packed: descriptor flags @p f at position @p p mark it available (2.8.1). */
static inline bool
pk_avail(const struct model_vq *vq, uint32_t p, uint16_t f)
{
	bool w = pk_wrap(vq, p);

	return !!(f & VRING_PACKED_DESC_F_AVAIL) == w &&
		!!(f & VRING_PACKED_DESC_F_USED) != w;
}

/*
 * Packed: the @p k-th available buffer after the device's position; its
 * ID (in the list's last descriptor, 2.8.6) in @p head, its position and
 * length kept for chain_walk and avail_consume.
 */
static int
pk_peek_at(struct vmmio_model *m, struct model_vq *vq, uint16_t k,
	uint16_t *head)
{
	uint16_t ids[64], j, len;
	uint32_t p = vq->pk_avail, q;

	for (j = 0;; j++) {
		if (p - vq->pk_avail >= vq->num ||
		    !pk_avail(vq, p, __atomic_load_n(&vq->pdesc[pk_slot(vq, p)].flags,
		    __ATOMIC_ACQUIRE)))
			return -ENOSPC;
		for (q = p, len = 1; vq->pdesc[pk_slot(vq, q)].flags & VRING_DESC_F_NEXT;
		     q++, len++) {
			if (len >= vq->num) {
				model_err(m, &m->proto_errors, "descriptor list at %u never ends",
					pk_slot(vq, p));
				return -EFAULT;
			}
			if (!pk_avail(vq, q + 1, vq->pdesc[pk_slot(vq, q + 1)].flags)) {
				model_err(m, &m->proto_errors, "descriptor list at %u exposed before its descriptor %u",
					pk_slot(vq, p), pk_slot(vq, q + 1));
				return -EFAULT;
			}
		}
		*head = vq->pdesc[pk_slot(vq, q)].id;
		if (*head >= vq->num) {
			model_err(m, &m->proto_errors, "buffer ID %u at %u (queue of %u)",
				*head, pk_slot(vq, q), vq->num);
			return -EFAULT;
		}
		if (vq->inflight[*head]) {
			model_err(m, &m->proto_errors, "buffer ID %u offered again while the device owns it",
				*head);
			return -EFAULT;
		}
		if (j == k)
			break;
		if (j < RTE_DIM(ids))
			ids[j] = *head;
		p += len;
	}
	for (j = 0; j < k && j < RTE_DIM(ids); j++)
		if (ids[j] == *head) {
			model_err(m, &m->proto_errors, "buffer ID %u offered twice", *head);
			return -EFAULT;
		}
	vq->pk_peek = p;
	vq->pk_peek_len = len;
	return 0;
}

/* The @p k-th available head after the device's position, not consumed. */
static int
avail_peek_at(struct vmmio_model *m, struct model_vq *vq, uint16_t k,
	uint16_t *head)
{
	uint16_t aidx = vq->packed ? 0 :
		__atomic_load_n(&vq->avail->idx, __ATOMIC_ACQUIRE);
	uint16_t pending = (uint16_t)(aidx - vq->last_avail);
	uint16_t pos = (uint16_t)(vq->last_avail + k);
	uint16_t i;

	if (vq->packed)
		return pk_peek_at(m, vq, k, head);
	if (pending > vq->num) {
		model_err(m, &m->proto_errors, "avail->idx %u is %u entries ahead of the device (queue of %u)",
			aidx, pending, vq->num);
		return -EFAULT;
	}
	if (k >= pending)
		return -ENOSPC;
	*head = vq->avail->ring[pos % vq->num];
	if (*head >= vq->num) {
		model_err(m, &m->proto_errors, "avail entry %u names descriptor %u (queue of %u)",
			pos, *head, vq->num);
		return -EFAULT;
	}
	if (vq->inflight[*head]) {
		model_err(m, &m->proto_errors, "descriptor %u offered again while the device owns it",
			*head);
		return -EFAULT;
	}
	for (i = 0; i < k; i++)
		if (vq->avail->ring[(uint16_t)(vq->last_avail + i) % vq->num] == *head) {
			model_err(m, &m->proto_errors, "descriptor %u offered twice", *head);
			return -EFAULT;
		}
	return 0;
}

/* Next available head, not consumed. */
static int
avail_peek(struct vmmio_model *m, struct model_vq *vq, uint16_t *head)
{
	return avail_peek_at(m, vq, 0, head);
}

/* 2.7.10: the device's avail_event, the word after the used ring. */
static uint16_t *
avail_event_ptr(const struct model_vq *vq)
{
	return (uint16_t *)&vq->used->ring[vq->num];
}

static void
avail_consume(struct model_vq *vq, uint16_t head)
{
	if (vq->packed) {
		/* the buffer pk_peek_at found first */
		vq->inflight[head] = 1;
		vq->pk_ndesc[head] = vq->pk_peek_len;
		vq->pk_avail = vq->pk_peek + vq->pk_peek_len;
		vq->last_avail++;	/* buffers consumed */
		pk_dev_event(vq);
		return;
	}
	vq->inflight[head] = 1;
	vq->last_avail++;
	/* caught up: ask for a notification at the next new entry */
	if (vq->event_idx && !vq->avail_event_manual)
		__atomic_store_n(avail_event_ptr(vq), vq->last_avail, __ATOMIC_SEQ_CST);
}

/*
 * Walk and translate the chain at @p head (2.7.5): device-writable buffers
 * for RX, device-readable for TX. Returns the number of segments or -EFAULT.
 */
/* One descriptor of a chain, either layout (AVAIL/USED bits dropped). */
struct model_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;		/* split: next descriptor */
};

/*
 * Descriptor @p it of a chain: a descriptor index (split) or a ring
 * position (packed; the chain pk_peek_at found). chain_start() gives the
 * first, chain_next() the one after @p d.
 */
static void
chain_desc(const struct model_vq *vq, uint32_t it, struct model_desc *d)
{
	const struct vring_packed_desc *p;

	if (vq->packed) {
		p = &vq->pdesc[pk_slot(vq, it)];
		d->addr = p->addr;
		d->len = p->len;
		d->flags = p->flags & ~(VRING_PACKED_DESC_F_AVAIL |
			VRING_PACKED_DESC_F_USED);
		d->next = 0;
	} else {
		d->addr = vq->desc[it].addr;
		d->len = vq->desc[it].len;
		d->flags = vq->desc[it].flags;
		d->next = vq->desc[it].next;
	}
}

static uint32_t
chain_start(const struct model_vq *vq, uint16_t head)
{
	return vq->packed ? vq->pk_peek : head;
}

/* The descriptor after @p it, or -1 if a split next is out of range. */
static int64_t
chain_next(const struct model_vq *vq, uint32_t it, const struct model_desc *d)
{
	if (vq->packed)
		return (int64_t)it + 1;
	return d->next < vq->num ? d->next : -1;
}

/*
 * Descriptor @p d (number @p id of its chain or table) as segment @p n:
 * direction, length and guest memory checked. 0 or -EFAULT.
 */
static int
chain_seg(struct vmmio_model *m, const struct model_desc *d, uint32_t id,
	unsigned int n, bool writable, uint64_t *total)
{
	if (!!(d->flags & VRING_DESC_F_WRITE) != writable) {
		model_err(m, &m->proto_errors, "%s queue descriptor %u is device-%s",
			writable ? "receive" : "transmit", id,
			writable ? "readable" : "writable");
		return -EFAULT;
	}
	if (d->len == 0) {
		model_err(m, &m->proto_errors, "descriptor %u has length 0", id);
		return -EFAULT;
	}
	m->segs[n].p = g2v(d->addr, d->len);
	m->segs[n].len = d->len;
	if (m->segs[n].p == NULL) {
		model_err(m, &m->proto_errors, "descriptor %u: buffer 0x%" PRIx64
			"+%u outside guest memory", id, d->addr, d->len);
		return -EFAULT;
	}
	*total += d->len;
	return 0;
}

/*
 * The table of indirect descriptor @p t (2.7.5.3, 2.8.19), the only
 * descriptor of its buffer: split entries chain through next from entry 0,
 * packed entries follow each other; no entry may be INDIRECT (2.7.5.3.1,
 * 2.8.20), packed ones carry no NEXT. Returns the segments or -EFAULT.
 */
static int
chain_indirect(struct vmmio_model *m, struct model_vq *vq,
	const struct model_desc *t, bool writable, uint64_t *total)
{
	unsigned int n = 0, k = 0, cnt = t->len / sizeof(struct vring_desc);
	const struct vring_desc *sd;
	struct model_desc d;

	if (!(m->driver_features & VIRTIO_BIT(VIRTIO_RING_F_INDIRECT_DESC)) ||
	    (t->flags & VRING_DESC_F_NEXT) || t->len == 0 ||
	    t->len % sizeof(struct vring_desc) != 0 || cnt > vq->num) {
		model_err(m, &m->proto_errors, "indirect descriptor: flags 0x%x, %u bytes (INDIRECT %snegotiated, queue of %u)",
			t->flags, t->len, (m->driver_features &
			VIRTIO_BIT(VIRTIO_RING_F_INDIRECT_DESC)) ? "" : "not ", vq->num);
		return -EFAULT;
	}
	sd = g2v(t->addr, t->len);
	if (sd == NULL) {
		model_err(m, &m->proto_errors, "indirect table 0x%" PRIx64 "+%u outside guest memory",
			t->addr, t->len);
		return -EFAULT;
	}
	for (;;) {
		if (n == cnt) {
			model_err(m, &m->proto_errors, "indirect table of %u entries loops", cnt);
			return -EFAULT;
		}
		if (vq->packed) {
			const struct vring_packed_desc *p =
				(const struct vring_packed_desc *)&sd[k];

			d.addr = p->addr;
			d.len = p->len;
			d.flags = p->flags;
			d.next = 0;
		} else {
			d.addr = sd[k].addr;
			d.len = sd[k].len;
			d.flags = sd[k].flags;
			d.next = sd[k].next;
		}
		if (d.flags & ~(VRING_DESC_F_WRITE |
		    (vq->packed ? 0 : VRING_DESC_F_NEXT))) {
			model_err(m, &m->proto_errors, "indirect entry %u has flags 0x%x", k, d.flags);
			return -EFAULT;
		}
		if (chain_seg(m, &d, k, n, writable, total) < 0)
			return -EFAULT;
		n++;
		if (vq->packed ? n == cnt : !(d.flags & VRING_DESC_F_NEXT))
			break;
		k = vq->packed ? k + 1 : d.next;
		if (k >= cnt) {
			model_err(m, &m->proto_errors, "indirect entry: next %u beyond the table of %u",
				k, cnt);
			return -EFAULT;
		}
	}
	m->indirect = true;
	return (int)n;
}

static int
chain_walk(struct vmmio_model *m, struct model_vq *vq, uint16_t head,
	bool writable, uint64_t *total)
{
	struct model_desc dd, *d = &dd;
	uint32_t id = chain_start(vq, head);
	unsigned int n = 0;
	int64_t nx;

	*total = 0;
	m->indirect = false;
	for (;;) {
		if (n == vq->num) {
			model_err(m, &m->proto_errors, "descriptor chain at %u loops", head);
			return -EFAULT;
		}
		chain_desc(vq, id, d);
		if ((d->flags & VRING_DESC_F_INDIRECT) && n == 0)
			return chain_indirect(m, vq, d, writable, total);
		if (d->flags & ~(VRING_DESC_F_NEXT | VRING_DESC_F_WRITE)) {
			model_err(m, &m->proto_errors, "descriptor %u has flags 0x%x",
				id, d->flags);
			return -EFAULT;
		}
		if (chain_seg(m, d, id, n, writable, total) < 0)
			return -EFAULT;
		n++;
		if (!(d->flags & VRING_DESC_F_NEXT))
			break;
		nx = chain_next(vq, id, d);
		if (nx < 0) {
			model_err(m, &m->proto_errors, "descriptor %u: next %u out of range",
				id, d->next);
			return -EFAULT;
		}
		id = (uint32_t)nx;
	}
	return (int)n;
}

/* Copy @p len bytes between the chain (at byte @p off) and @p buf. */
static void
chain_copy(struct vmmio_model *m, unsigned int nseg, uint64_t off, void *buf,
	uint64_t len, bool to_chain)
{
	uint8_t *b = buf;
	unsigned int i;
	uint64_t n;

	for (i = 0; i < nseg && len > 0; i++) {
		if (off >= m->segs[i].len) {
			off -= m->segs[i].len;
			continue;
		}
		n = RTE_MIN(len, m->segs[i].len - off);
		if (to_chain)
			memcpy(m->segs[i].p + off, b, n);
		else
			memcpy(b, m->segs[i].p + off, n);
		b += n;
		len -= n;
		off = 0;
	}
}

int
model_take(struct vmmio_model *m, unsigned int q, uint16_t *head,
	uint32_t *cap)
{
	struct model_vq *vq = &m->vq[q];
	uint64_t total;
	int ret;

	ret = vq_usable(m, vq);
	if (ret < 0)
		return ret;
	ret = avail_peek(m, vq, head);
	if (ret < 0)
		return ret;
	ret = chain_walk(m, vq, *head, q % 2 == 0, &total);
	if (ret < 0)
		return ret;
	avail_consume(vq, *head);
	if (cap != NULL)
		*cap = (uint32_t)RTE_MIN(total, UINT32_MAX);
	return 0;
}

/* 5.1.6.4.1: header fields a device may only set with these features. */
static bool
rx_hdr_allowed(const struct vmmio_model *m, const struct virtio_net_hdr *h)
{
	uint64_t f = m->driver_features;

	if (h->flags != 0 && !(f & VIRTIO_BIT(VIRTIO_NET_F_GUEST_CSUM)))
		return false;
	if ((h->gso_type & VIRTIO_NET_HDR_GSO_ECN) &&
	    !(f & VIRTIO_BIT(VIRTIO_NET_F_GUEST_ECN)))
		return false;
	switch (h->gso_type & ~VIRTIO_NET_HDR_GSO_ECN) {
	case VIRTIO_NET_HDR_GSO_NONE:
		return true;
	case VIRTIO_NET_HDR_GSO_TCPV4:
		return (f & VIRTIO_BIT(VIRTIO_NET_F_GUEST_TSO4)) != 0;
	case VIRTIO_NET_HDR_GSO_TCPV6:
		return (f & VIRTIO_BIT(VIRTIO_NET_F_GUEST_TSO6)) != 0;
	case VIRTIO_NET_HDR_GSO_UDP:
		return (f & VIRTIO_BIT(VIRTIO_NET_F_GUEST_UFO)) != 0;
	default:
		return false;
	}
}

int
model_rx_inject_ex(struct vmmio_model *m, const struct model_rx_opts *o,
	const void *frame, uint32_t len)
{
	struct model_vq *vq = &m->vq[2 * RTE_MIN(o->pair, MODEL_MAX_PAIRS - 1)];
	bool mrg = (m->driver_features & VIRTIO_BIT(VIRTIO_NET_F_MRG_RXBUF)) != 0;
	uint16_t hdr_len = model_hdr_len(m), head, nbuf, k, used0;
	uint64_t need = (uint64_t)hdr_len + len, cap = 0, total, off, n;
	struct virtio_net_hdr h;
	uint8_t *stage;
	int ret, nseg;

	ret = vq_usable(m, vq);
	if (ret < 0)
		return ret;
	if ((m->opts.features & VIRTIO_BIT(VIRTIO_NET_F_STATUS)) &&
	    !(m->cfg[VIRTIO_NET_CFG_STATUS] & VIRTIO_NET_S_LINK_UP))
		return -ENETDOWN;
	if (!o->force && !rx_hdr_allowed(m, &o->hdr))
		return -EINVAL;
	/* How many buffers, before consuming any (QEMU checks first too). */
	for (k = 0; cap < need; k++) {
		if (k > 0 && !mrg)
			break;
		ret = avail_peek_at(m, vq, k, &head);
		if (ret < 0)
			return ret;
		nseg = chain_walk(m, vq, head, true, &total);
		if (nseg < 0)
			return nseg;
		/* 5.1.6.3.1: with MRG_RXBUF every buffer holds at least a header */
		if (mrg && total < hdr_len)
			model_err(m, &m->proto_errors, "receive buffer of %" PRIu64
				" bytes is smaller than the header", total);
		cap += total;
	}
	if (cap < need) {
		model_err(m, &m->proto_errors, "receive buffer of %" PRIu64
			" bytes cannot hold header and %u-byte frame", cap, len);
		return -EMSGSIZE;
	}
	nbuf = k;
	stage = malloc(need);
	if (stage == NULL)
		return -ENOMEM;
	/* 5.1.6.4: num_buffers counts the buffers (present in 12-byte headers) */
	h = o->hdr;
	h.num_buffers = o->set_num_buffers ? o->num_buffers : nbuf;
	memcpy(stage, &h, hdr_len);
	memcpy(stage + hdr_len, frame, len);
	used0 = vq->used_idx;
	for (k = 0, off = 0; k < nbuf; k++) {
		avail_peek(m, vq, &head);
		nseg = chain_walk(m, vq, head, true, &total);
		n = RTE_MIN(total, need - off);
		chain_copy(m, nseg, 0, stage + off, n, true);
		off += n;
		avail_consume(vq, head);
		used_write(m, vq, head, (uint32_t)n, true);
	}
	free(stage);
	if (o->publish == 0 || o->publish >= nbuf) {
		used_publish(m, vq);
	} else if (vq->packed) {
		pk_flush(vq, o->publish);
	} else {
		__atomic_store_n(&vq->used->idx, (uint16_t)(used0 + o->publish),
			__ATOMIC_RELEASE);
	}
	m->rx_frames++;
	return 0;
}

int
model_rx_inject(struct vmmio_model *m, const void *frame, uint32_t len)
{
	static const struct model_rx_opts plain;

	return model_rx_inject_ex(m, &plain, frame, len);
}

void
model_rx_publish(struct vmmio_model *m)
{
	struct model_vq *vq = &m->vq[MODEL_RXQ];

	if (vq->live)
		used_publish(m, vq);
}

/* Ones' complement sum of @p len bytes (network order words), not inverted. */
static uint16_t
csum16(const uint8_t *p, uint32_t len)
{
	uint32_t sum = 0, i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/*
 * 5.1.6.2 / 5.1.6.2.1: check a transmit header against the negotiated
 * features and, like a device, complete a requested checksum (no GSO).
 */
static void
tx_hdr_apply(struct vmmio_model *m, const struct virtio_net_hdr *h,
	struct model_frame *f, uint16_t hdr_len)
{
	uint64_t feat = m->driver_features;
	uint32_t end;
	uint16_t sum;
	uint8_t gso = h->gso_type;

	if (h->flags & ~VIRTIO_NET_HDR_F_NEEDS_CSUM)
		model_err(m, &m->proto_errors, "transmit header flags 0x%x: only NEEDS_CSUM is the driver's",
			h->flags);
	if (hdr_len == VIRTIO_NET_HDR_LEN_MODERN && h->num_buffers != 0)
		model_err(m, &m->proto_errors, "transmit header num_buffers %u (must be 0)",
			h->num_buffers);
	if ((h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) &&
	    !(feat & VIRTIO_BIT(VIRTIO_NET_F_CSUM)))
		model_err(m, &m->proto_errors, "NEEDS_CSUM without VIRTIO_NET_F_CSUM");
	if (gso != VIRTIO_NET_HDR_GSO_NONE) {
		if ((gso == VIRTIO_NET_HDR_GSO_TCPV4 &&
		     !(feat & VIRTIO_BIT(VIRTIO_NET_F_HOST_TSO4))) ||
		    (gso == VIRTIO_NET_HDR_GSO_TCPV6 &&
		     !(feat & VIRTIO_BIT(VIRTIO_NET_F_HOST_TSO6))) ||
		    (gso != VIRTIO_NET_HDR_GSO_TCPV4 && gso != VIRTIO_NET_HDR_GSO_TCPV6))
			model_err(m, &m->proto_errors, "transmit gso_type 0x%x not negotiated (features 0x%" PRIx64 ")",
				gso, feat);
		if (!(h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) || h->gso_size == 0 ||
		    h->hdr_len == 0 || h->hdr_len >= f->len)
			model_err(m, &m->proto_errors, "GSO header flags 0x%x gso_size %u hdr_len %u for a %u-byte frame",
				h->flags, h->gso_size, h->hdr_len, f->len);
	} else if (h->gso_size != 0 || h->hdr_len != 0) {
		model_err(m, &m->proto_errors, "gso_size %u hdr_len %u without GSO",
			h->gso_size, h->hdr_len);
	}
	if (!(h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM)) {
		if (h->csum_start != 0 || h->csum_offset != 0)
			model_err(m, &m->proto_errors, "csum_start %u csum_offset %u without NEEDS_CSUM",
				h->csum_start, h->csum_offset);
		return;
	}
	end = (uint32_t)h->csum_start + h->csum_offset + 2;
	if (end > f->len) {
		model_err(m, &m->proto_errors, "checksum at %u+%u outside the %u-byte frame",
			h->csum_start, h->csum_offset, f->len);
		return;
	}
	if (gso != VIRTIO_NET_HDR_GSO_NONE)
		return;	/* the device would segment: each segment's checksum */
	sum = (uint16_t)~csum16(f->data + h->csum_start, f->len - h->csum_start);
	f->data[h->csum_start + h->csum_offset] = (uint8_t)(sum >> 8);
	f->data[h->csum_start + h->csum_offset + 1] = (uint8_t)sum;
	f->csum_done = true;
}

/* Consume one TX chain into @p f (may be NULL). 1 done, 0 none, <0 error. */
static int
tx_collect_one(struct vmmio_model *m, unsigned int q, struct model_frame *f)
{
	struct model_vq *vq = &m->vq[q];
	uint16_t hdr_len = model_hdr_len(m), head;
	struct virtio_net_hdr h;
	bool any_layout;
	uint64_t total, flen;
	int ret, nseg;

	ret = avail_peek(m, vq, &head);
	if (ret == -ENOSPC)
		return 0;
	if (ret < 0)
		return ret;
	nseg = chain_walk(m, vq, head, false, &total);
	if (nseg < 0)
		return nseg;
	avail_consume(vq, head);
	if (f == NULL)
		f = m->scratch;
	memset(f->hdr, 0, sizeof(f->hdr));
	f->hdr_len = hdr_len;
	f->ndesc = (uint16_t)nseg;
	f->indirect = m->indirect;
	f->head = head;
	f->len = 0;
	f->csum_done = false;
	if (total < hdr_len) {
		model_err(m, &m->proto_errors, "transmit chain %u of %" PRIu64
			" bytes is shorter than the %u-byte header", head, total, hdr_len);
		used_put(m, vq, head, 0);
		return 1;
	}
	/* 5.1.6.6 / 2.6.4: without ANY_LAYOUT a legacy header is alone. */
	any_layout = (m->driver_features & (VIRTIO_BIT(VIRTIO_F_VERSION_1) |
		VIRTIO_BIT(VIRTIO_F_ANY_LAYOUT))) != 0;
	if (!any_layout && m->segs[0].len != hdr_len)
		model_err(m, &m->proto_errors, "transmit chain %u: header shares a descriptor (%u bytes) without ANY_LAYOUT",
			head, m->segs[0].len);
	chain_copy(m, nseg, 0, f->hdr, hdr_len, false);
	memset(&h, 0, sizeof(h));
	memcpy(&h, f->hdr, hdr_len);
	f->csum_done = false;
	flen = total - hdr_len;
	if (flen > MODEL_FRAME_MAX) {
		model_err(m, &m->proto_errors, "transmit frame of %" PRIu64
			" bytes truncated to %u", flen, MODEL_FRAME_MAX);
		flen = MODEL_FRAME_MAX;
	}
	chain_copy(m, nseg, hdr_len, f->data, flen, false);
	f->len = (uint32_t)flen;
	tx_hdr_apply(m, &h, f, hdr_len);
	used_put(m, vq, head, 0);
	m->tx_frames++;
	m->tx_bytes += total - hdr_len;
	return 1;
}

int
model_tx_collect(struct vmmio_model *m, struct model_frame *out,
	unsigned int max)
{
	return model_tx_collect_q(m, MODEL_TXQ, out, max);
}

int
model_tx_collect_q(struct vmmio_model *m, unsigned int q,
	struct model_frame *out, unsigned int max)
{
	unsigned int n;
	int ret;

	if (q >= MODEL_MAX_QUEUES || q % 2 != 1)
		return -EINVAL;
	ret = vq_usable(m, &m->vq[q]);
	if (ret < 0)
		return ret;
	for (n = 0; n < max; n++) {
		ret = tx_collect_one(m, q, out != NULL ? &out[n] : NULL);
		if (ret < 0)
			return n > 0 ? (int)n : ret;
		if (ret == 0)
			break;
	}
	return (int)n;
}

void
model_tx_log_clear(struct vmmio_model *m)
{
	m->tx_log_count = 0;
	m->tx_log_dropped = 0;
}

static void
tx_on_notify(struct vmmio_model *m, unsigned int q)
{
	struct model_frame *f;

	if (vq_usable(m, &m->vq[q]) < 0)
		return;
	for (;;) {
		f = m->tx_log_count < MODEL_TX_LOG_MAX ?
			&m->tx_log[m->tx_log_count] : NULL;
		if (tx_collect_one(m, q, f) <= 0)
			break;
		if (f != NULL)
			m->tx_log_count++;
		else
			m->tx_log_dropped++;
	}
}

uint16_t
model_avail_pending(const struct vmmio_model *m, unsigned int q)
{
	const struct model_vq *vq = &m->vq[q];

	uint32_t p, n = 0;

	if (!vq->live)
		return 0;
	if (vq->packed) {
		/* descriptors made available and not read yet */
		for (p = vq->pk_avail; p - vq->pk_avail < vq->num &&
		     pk_avail(vq, p, __atomic_load_n(&vq->pdesc[pk_slot(vq, p)].flags,
		     __ATOMIC_ACQUIRE)); p++)
			n += !(vq->pdesc[pk_slot(vq, p)].flags & VRING_DESC_F_NEXT);
		return (uint16_t)n;
	}
	return (uint16_t)(__atomic_load_n(&vq->avail->idx, __ATOMIC_ACQUIRE) -
		vq->last_avail);
}

bool
model_desc_offered(const struct vmmio_model *m, unsigned int q, uint16_t id)
{
	const struct model_vq *vq = &m->vq[q];
	uint16_t i, n;

	if (!vq->live || id >= vq->num)
		return false;
	if (vq->inflight[id])
		return true;
	if (vq->packed) {
		uint32_t p;

		for (p = vq->pk_avail; p - vq->pk_avail < vq->num &&
		     pk_avail(vq, p, vq->pdesc[pk_slot(vq, p)].flags); p++)
			if (!(vq->pdesc[pk_slot(vq, p)].flags & VRING_DESC_F_NEXT) &&
			    vq->pdesc[pk_slot(vq, p)].id == id)
				return true;
		return false;
	}
	n = model_avail_pending(m, q);
	for (i = 0; i < n && i < vq->num; i++)
		if (vq->avail->ring[(uint16_t)(vq->last_avail + i) % vq->num] == id)
			return true;
	return false;
}

void
model_put_used(struct vmmio_model *m, unsigned int q, uint32_t id, uint32_t len)
{
	struct model_vq *vq = &m->vq[q];

	if (vq->live)
		used_put(m, vq, id, len);
}

void
model_bump_used_idx(struct vmmio_model *m, unsigned int q, uint16_t delta)
{
	struct model_vq *vq = &m->vq[q];

	if (!vq->live || vq->packed)
		return;	/* packed rings have no used index */
	vq->used_idx += delta;
	__atomic_store_n(&vq->used->idx, vq->used_idx, __ATOMIC_RELEASE);
}

void
model_set_no_notify(struct vmmio_model *m, unsigned int q, bool on)
{
	struct model_vq *vq = &m->vq[q];

	vq->no_notify = on;
	if (vq->live && vq->packed)
		pk_dev_event(vq);
	else if (vq->live)
		__atomic_store_n(&vq->used->flags, on ? VRING_USED_F_NO_NOTIFY : 0,
			__ATOMIC_SEQ_CST);
}

void
model_set_avail_event(struct vmmio_model *m, unsigned int q, uint16_t v)
{
	struct model_vq *vq = &m->vq[q];

	if (!vq->live)
		return;
	vq->avail_event_manual = true;
	if (vq->packed) {
		/* @p v as a free-running descriptor position */
		__atomic_store_n(&vq->dev_ev->off_wrap, pk_off_wrap(vq, v),
			__ATOMIC_SEQ_CST);
		__atomic_store_n(&vq->dev_ev->flags, RING_EVENT_FLAGS_DESC,
			__ATOMIC_SEQ_CST);
		return;
	}
	__atomic_store_n(avail_event_ptr(vq), v, __ATOMIC_SEQ_CST);
}

uint16_t
model_used_event(const struct vmmio_model *m, unsigned int q)
{
	const struct model_vq *vq = &m->vq[q];

	return vq->live && !vq->packed ? __atomic_load_n(&vq->avail->ring[vq->num],
		__ATOMIC_SEQ_CST) : 0;
}

void
model_set_link(struct vmmio_model *m, bool up)
{
	if (up)
		m->cfg[VIRTIO_NET_CFG_STATUS] |= VIRTIO_NET_S_LINK_UP;
	else
		m->cfg[VIRTIO_NET_CFG_STATUS] &= ~VIRTIO_NET_S_LINK_UP;
	m->config_generation++;
	model_raise(m, VIRTIO_MMIO_INT_CONFIG);
}

/* 2.1 / 3.1.1: Status written by the driver. */
static void
status_write(struct vmmio_model *m, uint32_t val)
{
	uint32_t old = m->status, set;

	m->status_writes++;
	m->status_ever |= val;
	if (val == 0) {
		model_reset(m);
		m->resets++;
		/* reset_stuck: the device never reports the reset done */
		m->reset_pending = m->opts.reset_stuck;
		if (m->reset_pending)
			m->status = VIRTIO_STATUS_DEVICE_NEEDS_RESET;
		return;
	}
	if (val > UINT8_MAX) {
		model_err(m, &m->access_errors, "Status 0x%x has bits above 7", val);
		val &= UINT8_MAX;
	}
	if (old & ~val & ~VIRTIO_STATUS_DEVICE_NEEDS_RESET)
		model_err(m, &m->proto_errors, "Status 0x%02x clears bits of 0x%02x without reset",
			val, old);
	if ((val & VIRTIO_STATUS_DEVICE_NEEDS_RESET) &&
	    !(old & VIRTIO_STATUS_DEVICE_NEEDS_RESET))
		model_err(m, &m->proto_errors, "driver set DEVICE_NEEDS_RESET");
	set = val & ~old;
	if ((set & VIRTIO_STATUS_DRIVER) && !(val & VIRTIO_STATUS_ACKNOWLEDGE))
		model_err(m, &m->proto_errors, "DRIVER before ACKNOWLEDGE");
	if (set & VIRTIO_STATUS_FEATURES_OK) {
		if (is_legacy(m)) {
			model_err(m, &m->proto_errors, "FEATURES_OK on a legacy device");
		} else {
			if (!(val & VIRTIO_STATUS_DRIVER))
				model_err(m, &m->proto_errors, "FEATURES_OK before DRIVER");
			if (m->driver_features & ~m->opts.features) {
				model_err(m, &m->proto_errors, "driver accepted features 0x%" PRIx64
					" not offered (0x%" PRIx64 ")",
					m->driver_features, m->opts.features);
				val &= ~VIRTIO_STATUS_FEATURES_OK;
			}
			/* 6.1: a driver MUST accept VERSION_1 if offered */
			if ((m->opts.features & VIRTIO_BIT(VIRTIO_F_VERSION_1)) &&
			    !(m->driver_features & VIRTIO_BIT(VIRTIO_F_VERSION_1))) {
				model_err(m, &m->proto_errors, "driver did not accept VERSION_1");
				val &= ~VIRTIO_STATUS_FEATURES_OK;
			}
			if (m->opts.refuse_features_ok)
				val &= ~VIRTIO_STATUS_FEATURES_OK;
		}
	}
	if (set & VIRTIO_STATUS_DRIVER_OK) {
		if (!is_legacy(m) && !(val & VIRTIO_STATUS_FEATURES_OK))
			model_err(m, &m->proto_errors, "DRIVER_OK without FEATURES_OK");
		if (is_legacy(m) && !(val & VIRTIO_STATUS_DRIVER))
			model_err(m, &m->proto_errors, "DRIVER_OK without DRIVER");
		if (is_legacy(m) && (m->driver_features & ~m->opts.features))
			model_err(m, &m->proto_errors, "driver accepted features 0x%" PRIx64
				" not offered (0x%" PRIx64 ")",
				m->driver_features, m->opts.features);
		if (m->opts.needs_reset_on_driver_ok)
			val |= VIRTIO_STATUS_DEVICE_NEEDS_RESET;
	}
	m->status = val | (old & VIRTIO_STATUS_DEVICE_NEEDS_RESET);
}

static void
driver_features_write(struct vmmio_model *m, uint32_t val)
{
	if (!(m->status & VIRTIO_STATUS_DRIVER) ||
	    (m->status & (VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK)))
		model_err(m, &m->proto_errors, "DriverFeatures written in status 0x%02x",
			m->status);
	switch (m->drv_features_sel) {
	case 0:
		m->driver_features = (m->driver_features & ~(uint64_t)UINT32_MAX) | val;
		break;
	case 1:
		if (is_legacy(m) && val != 0)
			model_err(m, &m->proto_errors, "legacy device has no feature word 1");
		else
			m->driver_features = (m->driver_features & UINT32_MAX) |
				(uint64_t)val << 32;
		break;
	default:
		if (val != 0)
			model_err(m, &m->proto_errors, "DriverFeatures word %u = 0x%x",
				m->drv_features_sel, val);
		break;
	}
}

static void
queue_addr_write(struct vmmio_model *m, uint32_t off, uint32_t val)
{
	struct model_vq *vq = sel_vq(m, "queue address write");
	uint64_t *a;

	if (vq == NULL)
		return;
	check_setup_allowed(m, "queue address write");
	if (vq->ready)
		model_err(m, &m->proto_errors, "queue %u address written while ready",
			m->queue_sel);
	switch (off & ~7u) {
	case VIRTIO_MMIO_QUEUE_DESC_LOW:
		a = &vq->desc_iova;
		break;
	case VIRTIO_MMIO_QUEUE_AVAIL_LOW:
		a = &vq->avail_iova;
		break;
	default:
		a = &vq->used_iova;
		break;
	}
	if (off & 4)
		*a = (*a & UINT32_MAX) | (uint64_t)val << 32;
	else
		*a = (*a & ~(uint64_t)UINT32_MAX) | val;
}

static void
queue_pfn_write(struct vmmio_model *m, uint32_t val)
{
	struct model_vq *vq = sel_vq(m, "QueuePFN write");
	uint64_t base, used;

	if (vq == NULL)
		return;
	if (val == 0) {
		vq_disable(vq);
		return;
	}
	check_setup_allowed(m, "QueuePFN write");
	if (vq->pfn != 0)
		model_err(m, &m->proto_errors, "QueuePFN of live queue %u rewritten",
			m->queue_sel);
	if (m->guest_page_size == 0) {
		model_err(m, &m->proto_errors, "QueuePFN before GuestPageSize");
		return;
	}
	if (vq->align == 0) {
		model_err(m, &m->proto_errors, "QueuePFN before QueueAlign");
		return;
	}
	/* 4.2.4 legacy layout: desc | avail | pad to QueueAlign | used */
	base = (uint64_t)val * m->guest_page_size;
	used = RTE_ALIGN_CEIL(base + sizeof(struct vring_desc) * vq->num +
		sizeof(uint16_t) * (3 + vq->num), vq->align);
	vq->pfn = val;
	vq->desc_iova = base;
	vq->avail_iova = base + sizeof(struct vring_desc) * vq->num;
	vq->used_iova = used;
	vq_enable(m, vq);
}

static void
queue_ready_write(struct vmmio_model *m, uint32_t val)
{
	struct model_vq *vq = sel_vq(m, "QueueReady write");

	if (vq == NULL)
		return;
	if (val == 0) {
		vq_disable(vq);
		return;
	}
	check_setup_allowed(m, "QueueReady write");
	if (val != 1)
		model_err(m, &m->proto_errors, "QueueReady written with %u", val);
	vq->ready = 1;
	vq_enable(m, vq);
}

/*
 * Control queue (5.1.6.5). A command is a chain of device-readable
 * descriptors (class, command, data) followed by one device-writable ack
 * byte; the model checks that framing, that the command's feature was
 * negotiated and its data, applies it and answers VIRTIO_NET_OK or
 * VIRTIO_NET_ERR.
 */
uint16_t
model_ctrl_index(const struct vmmio_model *m)
{
	return (m->driver_features & VIRTIO_BIT(VIRTIO_NET_F_MQ)) ?
		2 * m->opts.max_pairs : 2;
}

bool
model_vlan_on(const struct vmmio_model *m, uint16_t vid)
{
	return vid < 4096 && (m->vlans[vid / 8] & (1u << (vid % 8)));
}

static bool
ctrl_feature(struct vmmio_model *m, unsigned int bit, const char *what)
{
	if (m->driver_features & VIRTIO_BIT(bit))
		return true;
	model_err(m, &m->proto_errors, "control command %s without feature bit %u",
		what, bit);
	return false;
}

/* MAC_TABLE_SET data: two tables of le32 entries + 6-byte addresses. */
static bool
ctrl_mac_table(struct vmmio_model *m, const uint8_t *d, uint32_t len)
{
	uint32_t n[2], off = 0, t;

	for (t = 0; t < 2; t++) {
		if (off + 4 > len)
			return false;
		memcpy(&n[t], d + off, 4);
		off += 4;
		if (n[t] > MODEL_MAC_TABLE_MAX || off + 6 * n[t] > len)
			return false;
		memcpy(t == 0 ? m->uc : m->mc, d + off, 6 * n[t]);
		off += 6 * n[t];
	}
	if (off != len)
		return false;
	m->uc_entries = n[0];
	m->mc_entries = n[1];
	return true;
}

/* Check and apply one command; returns the ack. */
static uint8_t
ctrl_apply(struct vmmio_model *m, const struct model_ctrl_cmd *c)
{
	const uint8_t *d = c->data;
	uint16_t v16 = 0;

	if (c->data_len == 2)
		memcpy(&v16, d, 2);
	switch (c->cls << 8 | c->cmd) {
	case VIRTIO_NET_CTRL_RX << 8 | VIRTIO_NET_CTRL_RX_PROMISC:
	case VIRTIO_NET_CTRL_RX << 8 | VIRTIO_NET_CTRL_RX_ALLMULTI:
		if (!ctrl_feature(m, VIRTIO_NET_F_CTRL_RX, "RX") || c->data_len != 1)
			return VIRTIO_NET_ERR;
		if (m->ctrl_nak)
			return VIRTIO_NET_ERR;
		if (c->cmd == VIRTIO_NET_CTRL_RX_PROMISC)
			m->rx_promisc = d[0] != 0;
		else
			m->rx_allmulti = d[0] != 0;
		return VIRTIO_NET_OK;
	case VIRTIO_NET_CTRL_MAC << 8 | VIRTIO_NET_CTRL_MAC_TABLE_SET:
		if (!ctrl_feature(m, VIRTIO_NET_F_CTRL_RX, "MAC_TABLE_SET") || m->ctrl_nak)
			return VIRTIO_NET_ERR;
		return ctrl_mac_table(m, d, c->data_len) ? VIRTIO_NET_OK : VIRTIO_NET_ERR;
	case VIRTIO_NET_CTRL_MAC << 8 | VIRTIO_NET_CTRL_MAC_ADDR_SET:
		if (!ctrl_feature(m, VIRTIO_NET_F_CTRL_MAC_ADDR, "MAC_ADDR_SET") ||
		    c->data_len != 6 || m->ctrl_nak)
			return VIRTIO_NET_ERR;
		memcpy(&m->cfg[VIRTIO_NET_CFG_MAC], d, 6);
		return VIRTIO_NET_OK;
	case VIRTIO_NET_CTRL_VLAN << 8 | VIRTIO_NET_CTRL_VLAN_ADD:
	case VIRTIO_NET_CTRL_VLAN << 8 | VIRTIO_NET_CTRL_VLAN_DEL:
		if (!ctrl_feature(m, VIRTIO_NET_F_CTRL_VLAN, "VLAN") ||
		    c->data_len != 2 || v16 >= 4096 || m->ctrl_nak)
			return VIRTIO_NET_ERR;
		if (c->cmd == VIRTIO_NET_CTRL_VLAN_ADD)
			m->vlans[v16 / 8] |= 1u << (v16 % 8);
		else
			m->vlans[v16 / 8] &= ~(1u << (v16 % 8));
		return VIRTIO_NET_OK;
	case VIRTIO_NET_CTRL_MQ << 8 | VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET:
		if (!ctrl_feature(m, VIRTIO_NET_F_MQ, "MQ_VQ_PAIRS_SET"))
			return VIRTIO_NET_ERR;
		/* 5.1.6.5.5: 1..max_virtqueue_pairs */
		if (c->data_len != 2 || v16 < 1 || v16 > m->opts.max_pairs) {
			model_err(m, &m->proto_errors, "VQ_PAIRS_SET %u (max %u)",
				v16, m->opts.max_pairs);
			return VIRTIO_NET_ERR;
		}
		if (m->ctrl_nak)
			return VIRTIO_NET_ERR;
		m->vq_pairs = v16;
		return VIRTIO_NET_OK;
	default:
		return VIRTIO_NET_ERR;	/* unknown commands are refused (5.1.6.5) */
	}
}

/* Take one command chain; 1 done, 0 none, <0 malformed. */
static int
ctrl_one(struct vmmio_model *m, struct model_vq *vq)
{
	struct model_ctrl_cmd *c = m->ctrl_count < MODEL_CTRL_LOG_MAX ?
		&m->ctrl_log[m->ctrl_count] : m->ctrl_log;
	struct model_ctrl_cmd tmp;
	uint8_t hdr[2], *p, *ack = NULL;
	uint32_t got = 0, take, id;
	struct model_desc dd, *dsc = &dd;
	bool writing = false;
	uint16_t head;
	int64_t nx;
	int ret;

	ret = avail_peek(m, vq, &head);
	if (ret == -ENOSPC)
		return 0;
	if (ret < 0)
		return ret;
	if (m->ctrl_count >= MODEL_CTRL_LOG_MAX)
		c = &tmp;	/* answered, not recorded */
	memset(c, 0, sizeof(*c));
	for (id = chain_start(vq, head);; id = (uint32_t)nx) {
		chain_desc(vq, id, dsc);
		if (c->ndesc == vq->num || dsc->len == 0 ||
		    (dsc->flags & ~(VRING_DESC_F_NEXT | VRING_DESC_F_WRITE))) {
			model_err(m, &m->proto_errors, "control chain %u: bad descriptor %u", head, id);
			return -EFAULT;
		}
		p = g2v(dsc->addr, dsc->len);
		if (p == NULL) {
			model_err(m, &m->proto_errors, "control descriptor %u outside guest memory", id);
			return -EFAULT;
		}
		if (c->ndesc < RTE_DIM(c->seg_len)) {
			c->seg_len[c->ndesc] = dsc->len;
			c->seg_write[c->ndesc] = (dsc->flags & VRING_DESC_F_WRITE) != 0;
		}
		c->ndesc++;
		if (dsc->flags & VRING_DESC_F_WRITE) {
			writing = true;
			ack = ack == NULL ? p : ack;
		} else if (writing) {
			/* 2.7.4.2: readable descriptors come before writable ones */
			model_err(m, &m->proto_errors, "control chain %u: readable after writable", head);
			return -EFAULT;
		} else {
			/* class and command, then the data */
			for (take = 0; take < dsc->len; take++, got++) {
				if (got < 2)
					hdr[got] = p[take];
				else if (got - 2 < MODEL_CTRL_DATA_MAX)
					c->data[got - 2] = p[take];
			}
		}
		if (!(dsc->flags & VRING_DESC_F_NEXT))
			break;
		nx = chain_next(vq, id, dsc);
		if (nx < 0) {
			model_err(m, &m->proto_errors, "control chain %u: next out of range", head);
			return -EFAULT;
		}
	}
	avail_consume(vq, head);
	if (got < 2 || ack == NULL) {
		model_err(m, &m->proto_errors, "control chain %u: %u readable bytes, %s ack",
			head, got, ack == NULL ? "no" : "an");
		used_put(m, vq, head, 0);
		return 1;
	}
	c->cls = hdr[0];
	c->cmd = hdr[1];
	c->data_len = got - 2;
	c->ack = ctrl_apply(m, c);
	*ack = c->ack;
	m->ctrl_count++;
	used_put(m, vq, head, 1);
	return 1;
}

static void
ctrl_on_notify(struct vmmio_model *m)
{
	struct model_vq *vq = &m->vq[model_ctrl_index(m)];

	if (m->ctrl_silent || vq_usable(m, vq) < 0)
		return;
	while (ctrl_one(m, vq) > 0)
		;
}

static void
queue_notify_write(struct vmmio_model *m, uint32_t val)
{
	struct model_vq *vq;

	if (val >= m->nqueues) {
		model_err(m, &m->proto_errors, "QueueNotify of queue %u that does not exist",
			val);
		return;
	}
	vq = &m->vq[val];
	vq->notifies++;
	/* 3.1.1: no available buffer notification before DRIVER_OK */
	if (!model_driver_ok(m)) {
		if (m->early_notifies++ == 0)
			fprintf(stderr, "model(v%u): QueueNotify(%u) before DRIVER_OK (status 0x%02x)\n",
				m->opts.version, val, m->status);
	}
	if (!vq_enabled(m, vq))
		model_err(m, &m->proto_errors, "QueueNotify of queue %u not enabled", val);
	if (val == model_ctrl_index(m) &&
	    (m->opts.features & VIRTIO_BIT(VIRTIO_NET_F_CTRL_VQ)))
		ctrl_on_notify(m);
	else if (val % 2 == 1 && m->tx_on_notify)
		tx_on_notify(m, val);
	if (m->notify_hook != NULL)
		m->notify_hook(m, val, m->notify_arg);
}

/* Device configuration space access at @p off (relative to 0x100). */
static const struct cfg_field *
cfg_field_at(uint32_t off)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(cfg_fields); i++)
		if (off >= cfg_fields[i].off &&
		    off < (uint32_t)cfg_fields[i].off + cfg_fields[i].size)
			return &cfg_fields[i];
	return NULL;
}

static bool
cfg_check(struct vmmio_model *m, uint32_t off, unsigned int width, bool write)
{
	const struct cfg_field *f = cfg_field_at(off);

	if (width != 1 && width != 2 && width != 4) {
		model_err(m, &m->access_errors, "config access of width %u", width);
		return false;
	}
	if (f == NULL || off + width > MODEL_CFG_SIZE) {
		model_err(m, &m->access_errors, "config %s at 0x%x width %u outside the fields",
			write ? "write" : "read", off, width);
		return false;
	}
	/* 4.2.2.2: natural width and alignment for modern devices */
	if (!is_legacy(m) && (f->off != off || f->size != width)) {
		if (m->cfg_width_errors++ == 0)
			fprintf(stderr, "model(v%u): config %s at 0x%x width %u: field at 0x%x is %u bytes wide\n",
				m->opts.version, write ? "write" : "read", off,
				width, f->off, f->size);
	}
	return true;
}

static uint32_t
cfg_read(struct vmmio_model *m, uint32_t off, unsigned int width)
{
	uint32_t v = 0;
	unsigned int i;

	m->cfg_reads++;
	if (!cfg_check(m, off, width, false))
		return 0;
	for (i = 0; i < width; i++)
		v |= (uint32_t)m->cfg[off + i] << (8 * i);
	return v;
}

static void
cfg_write(struct vmmio_model *m, uint32_t off, uint32_t val, unsigned int width)
{
	const struct cfg_field *f;
	unsigned int i;

	m->cfg_writes++;
	if (!cfg_check(m, off, width, true))
		return;
	if (!is_legacy(m)) {
		model_err(m, &m->proto_errors, "config write at 0x%x on a modern device", off);
		return;
	}
	for (i = 0; i < width; i++) {
		f = cfg_field_at(off + i);
		if (f == NULL || !f->legacy_writable) {
			model_err(m, &m->access_errors, "config write of read-only byte 0x%x",
				off + i);
			continue;
		}
		m->cfg[off + i] = (uint8_t)(val >> (8 * i));
	}
}

static const struct reg_info *
reg_check(struct vmmio_model *m, uint32_t off, unsigned int width, uint8_t rw)
{
	const struct reg_info *r = reg_lookup(off);

	if (width != 4) {
		model_err(m, &m->access_errors, "register 0x%03x accessed with width %u",
			off, width);
		return NULL;
	}
	if (r == NULL) {
		model_err(m, &m->access_errors, "%s of unknown register 0x%03x",
			rw == REG_R ? "read" : "write", off);
		return NULL;
	}
	if (rw == REG_R)
		m->reg_reads[off / 4]++;
	else
		m->reg_writes[off / 4]++;
	if (!(r->rw & rw)) {
		model_err(m, &m->access_errors, "%s of %s register %s",
			rw == REG_R ? "read" : "write",
			rw == REG_R ? "write-only" : "read-only", r->name);
		return NULL;
	}
	if ((r->ver == REG_MODERN && is_legacy(m)) ||
	    (r->ver == REG_LEGACY && !is_legacy(m))) {
		model_err(m, &m->version_errors, "%s of %s, not a Version %u register",
			rw == REG_R ? "read" : "write", r->name, m->opts.version);
		return NULL;
	}
	return r;
}

static uint32_t
model_reg_read(struct vmmio_hw *hw, uint32_t off, unsigned int width)
{
	struct vmmio_model *m = hw->priv;
	struct model_vq *vq;
	uint32_t v;

	if (off >= VIRTIO_MMIO_CONFIG)
		return cfg_read(m, off - VIRTIO_MMIO_CONFIG, width);
	if (reg_check(m, off, width, REG_R) == NULL)
		return 0;
	switch (off) {
	case VIRTIO_MMIO_MAGIC_VALUE:
		return m->opts.magic;
	case VIRTIO_MMIO_VERSION:
		return m->opts.version;
	case VIRTIO_MMIO_DEVICE_ID:
		return m->opts.device_id;
	case VIRTIO_MMIO_VENDOR_ID:
		return MODEL_VENDOR_ID;
	case VIRTIO_MMIO_DEVICE_FEATURES:
		if (m->dev_features_sel > 1)
			return 0;
		return (uint32_t)(m->opts.features >> (32 * m->dev_features_sel));
	case VIRTIO_MMIO_QUEUE_NUM_MAX:
		return m->queue_sel < m->nqueues ? m->opts.queue_num_max : 0;
	case VIRTIO_MMIO_QUEUE_PFN:
		vq = sel_vq(m, "QueuePFN read");
		return vq != NULL ? vq->pfn : 0;
	case VIRTIO_MMIO_QUEUE_READY:
		vq = sel_vq(m, "QueueReady read");
		return vq != NULL ? vq->ready : 0;
	case VIRTIO_MMIO_INTERRUPT_STATUS:
		v = __atomic_load_n(&m->isr, __ATOMIC_SEQ_CST);
		/* after the read: what the device does before the driver's ACK */
		if (m->isr_read_hook != NULL)
			m->isr_read_hook(m, m->isr_read_arg);
		return v;
	case VIRTIO_MMIO_STATUS:
		return m->status;
	case VIRTIO_MMIO_CONFIG_GENERATION:
		if (m->cfg_gen_bumps > 0) {
			m->cfg_gen_bumps--;
			m->config_generation++;
		}
		return m->config_generation;
	default:
		return 0;
	}
}

static void
model_reg_write(struct vmmio_hw *hw, uint32_t off, uint32_t val,
	unsigned int width)
{
	struct vmmio_model *m = hw->priv;
	struct model_vq *vq;

	if (off >= VIRTIO_MMIO_CONFIG) {
		cfg_write(m, off - VIRTIO_MMIO_CONFIG, val, width);
		return;
	}
	if (reg_check(m, off, width, REG_W) == NULL)
		return;
	switch (off) {
	case VIRTIO_MMIO_DEVICE_FEATURES_SEL:
		m->dev_features_sel = val;
		break;
	case VIRTIO_MMIO_DRIVER_FEATURES:
		driver_features_write(m, val);
		break;
	case VIRTIO_MMIO_DRIVER_FEATURES_SEL:
		m->drv_features_sel = val;
		break;
	case VIRTIO_MMIO_GUEST_PAGE_SIZE:
		if (val == 0 || (val & (val - 1)) != 0)
			model_err(m, &m->proto_errors, "GuestPageSize %u", val);
		else
			m->guest_page_size = val;
		break;
	case VIRTIO_MMIO_QUEUE_SEL:
		m->queue_sel = val;
		break;
	case VIRTIO_MMIO_QUEUE_NUM:
		vq = sel_vq(m, "QueueNum write");
		if (vq == NULL)
			break;
		check_setup_allowed(m, "QueueNum write");
		if (vq_enabled(m, vq))
			model_err(m, &m->proto_errors, "QueueNum of live queue %u written",
				m->queue_sel);
		if (val == 0 || val > m->opts.queue_num_max)
			model_err(m, &m->proto_errors, "QueueNum %u (QueueNumMax %u)",
				val, m->opts.queue_num_max);
		vq->num = val;
		break;
	case VIRTIO_MMIO_QUEUE_ALIGN:
		vq = sel_vq(m, "QueueAlign write");
		if (vq == NULL)
			break;
		if (val == 0 || (val & (val - 1)) != 0)
			model_err(m, &m->proto_errors, "QueueAlign %u", val);
		else
			vq->align = val;
		break;
	case VIRTIO_MMIO_QUEUE_PFN:
		queue_pfn_write(m, val);
		break;
	case VIRTIO_MMIO_QUEUE_READY:
		queue_ready_write(m, val);
		break;
	case VIRTIO_MMIO_QUEUE_NOTIFY:
		queue_notify_write(m, val);
		break;
	case VIRTIO_MMIO_INTERRUPT_ACK:
		__atomic_fetch_and(&m->isr, ~val, __ATOMIC_SEQ_CST);
		break;
	case VIRTIO_MMIO_STATUS:
		status_write(m, val);
		break;
	case VIRTIO_MMIO_QUEUE_DESC_LOW:
	case VIRTIO_MMIO_QUEUE_DESC_HIGH:
	case VIRTIO_MMIO_QUEUE_AVAIL_LOW:
	case VIRTIO_MMIO_QUEUE_AVAIL_HIGH:
	case VIRTIO_MMIO_QUEUE_USED_LOW:
	case VIRTIO_MMIO_QUEUE_USED_HIGH:
		queue_addr_write(m, off, val);
		break;
	default:
		break;
	}
}

const struct vmmio_reg_ops model_reg_ops = {
	.name = "model",
	.read = model_reg_read,
	.write = model_reg_write,
};
