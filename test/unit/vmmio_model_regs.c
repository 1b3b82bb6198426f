/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The model's MMIO register file (virtio 1.2 4.2.2, legacy 4.2.4): access
 * rules of each register and of the configuration space, Status and the
 * device initialization sequence (2.1, 3.1.1), feature words, the queue
 * setup registers and QueueNotify, handed on to the queue's owner.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>

#include "vmmio_model_internal.h"

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

static const struct reg_info *
reg_lookup(uint32_t off)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(reg_table); i++)
		if (reg_table[i].off == off)
			return &reg_table[i];
	return NULL;
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
		model_vq_disable(vq);
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
	model_vq_enable(m, vq);
}

static void
queue_ready_write(struct vmmio_model *m, uint32_t val)
{
	struct model_vq *vq = sel_vq(m, "QueueReady write");

	if (vq == NULL)
		return;
	if (val == 0) {
		model_vq_disable(vq);
		return;
	}
	check_setup_allowed(m, "QueueReady write");
	if (val != 1)
		model_err(m, &m->proto_errors, "QueueReady written with %u", val);
	vq->ready = 1;
	model_vq_enable(m, vq);
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
		model_ctrl_on_notify(m);
	else if (val % 2 == 1 && m->tx_on_notify)
		model_tx_on_notify(m, val);
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
