/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The control virtqueue's transport (virtio 1.2 5.1.6.5): its ring and
 * command buffer, and one synchronous command at a time: a 2-byte
 * class/command header, the data parts and the device-writable ack, each
 * in a descriptor of its own, then a bounded poll of the used ring. What
 * the commands mean is vmmio_ctrl.c's.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_memzone.h>
#include <rte_pause.h>

#include "vmmio_cvq.h"
#include "vmmio_log.h"
#include "vmmio_notify.h"

/* Layout of the command buffer (one IOVA-contiguous memzone). */
#define CVQ_HDR_OFF	0	/* u8 class, u8 command */
#define CVQ_ACK_OFF	8	/* u8 ack, device-writable */
#define CVQ_DATA_OFF	64	/* command-specific data */
#define CVQ_BUF_SIZE	4096
#define CVQ_ACK_NONE	0xff	/* neither VIRTIO_NET_OK nor VIRTIO_NET_ERR */

void
vmmio_cvq_init(struct vmmio_cvq *c)
{
	pthread_mutex_init(&c->lock, NULL);
	c->timeout_ms = VMMIO_CVQ_TIMEOUT_MS;
}

void
vmmio_cvq_free(struct vmmio_cvq *c, bool device_may_write)
{
	/* A device that did not complete its reset may still write the ring
	 * and the acknowledgement byte: leak both. */
	if (!device_may_write) {
		vmmio_vq_free(&c->vq);
		rte_memzone_free(c->buf_mz);
	}
	c->buf_mz = NULL;
	pthread_mutex_destroy(&c->lock);
}

int
vmmio_cvq_setup(struct vmmio_cvq *c, struct vmmio_hw *hw, uint16_t idx,
	uint16_t port_id, int numa_node, const char *port)
{
	char name[RTE_MEMZONE_NAMESIZE];
	uint16_t max, size;
	int ret;

	max = vmmio_hw_queue_max(hw, idx);
	if (max == 0) {
		VMMIO_LOG(ERR, "%s: VIRTIO_NET_F_CTRL_VQ offered but queue %u does not exist",
			port, idx);
		return -ENODEV;
	}
	size = rte_align32prevpow2(RTE_MIN(max, VMMIO_CVQ_RING));
	if (c->vq.mz != NULL && (c->vq.index != idx || c->vq.size != size))
		vmmio_vq_free(&c->vq);
	if (c->vq.mz == NULL) {
		snprintf(name, sizeof(name), "vmmio_p%u_cvq", port_id);
		ret = vmmio_vq_alloc(&c->vq, name, idx, size, numa_node);
		if (ret < 0)
			return ret;
	}
	if (c->buf_mz == NULL) {
		snprintf(name, sizeof(name), "vmmio_p%u_cvqbuf", port_id);
		c->buf_mz = rte_memzone_reserve_aligned(name, CVQ_BUF_SIZE,
			numa_node, RTE_MEMZONE_IOVA_CONTIG, RTE_CACHE_LINE_SIZE);
		if (c->buf_mz == NULL)
			return -ENOMEM;
		c->buf = c->buf_mz->addr;
		c->buf_iova = c->buf_mz->iova;
	}
	vmmio_vq_layout(&c->vq, vmmio_with(hw, VIRTIO_F_RING_PACKED));
	/* Split with EVENT_IDX: through used_event (2.7.7.1: flags 0); packed: DISABLE. */
	c->vq.event_idx = vmmio_with(hw, VIRTIO_RING_F_EVENT_IDX);
	/* Answers are polled (synchronous commands): no interrupt needed. */
	vmmio_vq_disable_intr(&c->vq);
	return hw->tp->setup_queue(hw, idx, &c->vq);
}

void
vmmio_cvq_start(struct vmmio_cvq *c)
{
	pthread_mutex_lock(&c->lock);
	c->live = true;
	pthread_mutex_unlock(&c->lock);
}

void
vmmio_cvq_stop(struct vmmio_cvq *c)
{
	pthread_mutex_lock(&c->lock);
	c->live = false;
	c->broken = false;
	if (c->vq.mz != NULL)
		vmmio_vq_reset(&c->vq);
	pthread_mutex_unlock(&c->lock);
}

static const char *
cmd_name(uint8_t cls, uint8_t cmd)
{
	switch (cls << 8 | cmd) {
	case VIRTIO_NET_CTRL_RX << 8 | VIRTIO_NET_CTRL_RX_PROMISC:
		return "RX_PROMISC";
	case VIRTIO_NET_CTRL_RX << 8 | VIRTIO_NET_CTRL_RX_ALLMULTI:
		return "RX_ALLMULTI";
	case VIRTIO_NET_CTRL_MAC << 8 | VIRTIO_NET_CTRL_MAC_TABLE_SET:
		return "MAC_TABLE_SET";
	case VIRTIO_NET_CTRL_MAC << 8 | VIRTIO_NET_CTRL_MAC_ADDR_SET:
		return "MAC_ADDR_SET";
	case VIRTIO_NET_CTRL_VLAN << 8 | VIRTIO_NET_CTRL_VLAN_ADD:
		return "VLAN_ADD";
	case VIRTIO_NET_CTRL_VLAN << 8 | VIRTIO_NET_CTRL_VLAN_DEL:
		return "VLAN_DEL";
	case VIRTIO_NET_CTRL_MQ << 8 | VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET:
		return "MQ_VQ_PAIRS_SET";
	default:
		return "?";
	}
}

/* Wait, bounded, for the one command in flight to come back. */
static int
cvq_wait(struct vmmio_cvq *c)
{
	uint64_t deadline = rte_get_timer_cycles() +
		rte_get_timer_hz() * c->timeout_ms / 1000;
	unsigned int spins = 0;

	while (!vmmio_vq_has_used(&c->vq)) {
		if (rte_get_timer_cycles() > deadline)
			return -ETIMEDOUT;
		/* A device answers at once or after a host scheduling delay. */
		if (++spins < 1000)
			rte_pause();
		else
			rte_delay_us_sleep(50);
	}
	return 0;
}

/*
 * Send one command and wait for its ack (5.1.6.5): a header descriptor, one
 * descriptor per data part, and the device-writable ack descriptor. This
 * framing is also what legacy devices require (5.1.6.5, Legacy Interface:
 * header, each table and ack in descriptors of their own).
 */
int
vmmio_cvq_send(struct vmmio_cvq *c, struct vmmio_hw *hw, const char *port,
	uint8_t cls, uint8_t cmd, const struct vmmio_cvq_part *parts,
	unsigned int nparts)
{
	struct vmmio_vq *vq = &c->vq;
	struct vmmio_vq_seg segs[VMMIO_CVQ_MAX_PARTS + 2];
	uint32_t off = CVQ_DATA_OFF, id, len;
	volatile uint8_t *ack;
	uint16_t n = 0, i;
	uint8_t a;
	int ret, head;

	pthread_mutex_lock(&c->lock);
	if (!c->live || c->broken) {
		VMMIO_LOG(ERR, "%s: control queue %s: %s not sent", port,
			c->broken ? "lost a command (restart the port)" : "not running",
			cmd_name(cls, cmd));
		ret = -EIO;
		goto out;
	}
	if (nparts > VMMIO_CVQ_MAX_PARTS || vq->nb_free < nparts + 2) {
		ret = -EIO;
		goto out;
	}
	c->buf[CVQ_HDR_OFF] = cls;
	c->buf[CVQ_HDR_OFF + 1] = cmd;
	ack = &c->buf[CVQ_ACK_OFF];
	*ack = CVQ_ACK_NONE;
	segs[n++] = (struct vmmio_vq_seg){ c->buf_iova + CVQ_HDR_OFF, 2, false };
	for (i = 0; i < nparts; i++) {
		if (off + parts[i].len > CVQ_BUF_SIZE || parts[i].len == 0) {
			ret = -EINVAL;
			goto out;
		}
		memcpy(c->buf + off, parts[i].p, parts[i].len);
		segs[n++] = (struct vmmio_vq_seg){ c->buf_iova + off, parts[i].len, false };
		off += RTE_ALIGN_CEIL(parts[i].len, 8);
	}
	segs[n++] = (struct vmmio_vq_seg){ c->buf_iova + CVQ_ACK_OFF, 1, true };
	head = vmmio_vq_add_chain(vq, segs, n);
	if (head < 0) {
		ret = -EIO;
		goto out;
	}
	if (vmmio_vq_need_notify(vq))
		vmmio_notify(hw, vq, &c->notifies);

	ret = cvq_wait(c);
	if (ret < 0) {
		/* The device still owns the buffer: no command until reset. */
		c->broken = true;
		c->timeouts++;
		VMMIO_LOG(ERR, "%s: control command %s (class %u, command %u): no answer within %u ms; control queue disabled until the port restarts",
			port, cmd_name(cls, cmd), cls, cmd, c->timeout_ms);
		goto out;
	}
	vmmio_vq_get_used(vq, n, &id, &len);
	if (id != (uint32_t)head) {
		c->broken = true;
		VMMIO_LOG(ERR, "%s: control queue: used id %u, command was %d; disabled until the port restarts",
			port, id, head);
		ret = -EIO;
		goto out;
	}
	a = *ack;
	vmmio_vq_put_chain(vq, head, n);
	if (a == VIRTIO_NET_OK) {
		c->cmds++;
		ret = 0;
	} else {
		c->naks++;
		VMMIO_LOG(ERR, "%s: device refused control command %s (class %u, command %u): ack %u",
			port, cmd_name(cls, cmd), cls, cmd, a);
		ret = -EIO;
	}
out:
	pthread_mutex_unlock(&c->lock);
	return ret;
}

