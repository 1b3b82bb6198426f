/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The model's control queue (5.1.6.5): command chains checked, applied to
 * the receive filter, MAC tables, VLAN filter and queue pairs, and
 * answered.
 */
#include <errno.h>
#include <string.h>

#include <rte_common.h>

#include "vmmio_model_internal.h"

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

	ret = model_avail_peek(m, vq, &head);
	if (ret == -ENOSPC)
		return 0;
	if (ret < 0)
		return ret;
	if (m->ctrl_count >= MODEL_CTRL_LOG_MAX)
		c = &tmp;	/* answered, not recorded */
	memset(c, 0, sizeof(*c));
	for (id = model_chain_start(vq, head);; id = (uint32_t)nx) {
		model_chain_desc(vq, id, dsc);
		if (c->ndesc == vq->num || dsc->len == 0 ||
		    (dsc->flags & ~(VRING_DESC_F_NEXT | VRING_DESC_F_WRITE))) {
			model_err(m, &m->proto_errors, "control chain %u: bad descriptor %u", head, id);
			return -EFAULT;
		}
		p = model_g2v(dsc->addr, dsc->len);
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
		nx = model_chain_next(vq, id, dsc);
		if (nx < 0) {
			model_err(m, &m->proto_errors, "control chain %u: next out of range", head);
			return -EFAULT;
		}
	}
	model_avail_consume(vq, head);
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

void
model_ctrl_on_notify(struct vmmio_model *m)
{
	struct model_vq *vq = &m->vq[model_ctrl_index(m)];

	if (m->ctrl_silent || model_vq_usable(m, vq) < 0)
		return;
	while (ctrl_one(m, vq) > 0)
		;
}
