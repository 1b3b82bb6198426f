/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Software virtio-mmio virtio-net device (virtio 1.2 sections 2.1, 2.7, 2.8,
 * 3.1, 4.2 and 5.1) with up to MODEL_MAX_PAIRS queue pairs and a control
 * queue. Every rule of the spec the driver can break is checked and
 * counted, so tests can assert the driver behaved.
 *
 * This file: the device as a whole: creation and reset, the error records,
 * guest memory translation, the interrupt line and the link. The register
 * file is vmmio_model_regs.c, the virtqueues vmmio_model_vq.c and
 * vmmio_model_chain.c, the network queues vmmio_model_net.c and the
 * control queue vmmio_model_ctrl.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_ether.h>
#include <rte_memory.h>

#include "vmmio_model_internal.h"

void
model_err(struct vmmio_model *m, uint32_t *counter, const char *fmt, ...)
{
	va_list ap;

	(*counter)++;
	va_start(ap, fmt);
	vsnprintf(m->last_error, sizeof(m->last_error), fmt, ap);
	va_end(ap);
	fprintf(stderr, "model(v%u): %s\n", m->opts.version, m->last_error);
}

/*
 * Guest address to model pointer: the whole [iova, iova + len) must be
 * DPDK memory and virtually contiguous.
 */
void *
model_g2v(uint64_t iova, uint64_t len)
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
void
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
void
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
