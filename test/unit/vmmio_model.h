/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Software model of a virtio-mmio virtio-net device (device side of the
 * virtio 1.2 specification), used as the register backend of host unit
 * tests. Version 2 (modern, 4.2.2/4.2.3) and Version 1 (legacy, 4.2.4).
 *
 * The model is synchronous: it only acts inside register accesses and the
 * model_* calls below, so tests are deterministic and need no thread.
 * Guest memory (rings, buffers) is DPDK memory reached through
 * rte_mem_iova2virt(), so EAL must run with --iova-mode=va or on real
 * physical addresses.
 */
#ifndef VMMIO_MODEL_H
#define VMMIO_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "vmmio_hw.h"

/**
 * Queues of the model: receiveq1 (0) and transmitq1 (1); with
 * VIRTIO_NET_F_MQ up to MODEL_MAX_PAIRS pairs; with VIRTIO_NET_F_CTRL_VQ the
 * control queue after them (5.1.2, see model_ctrl_index()).
 */
#define MODEL_RXQ		0
#define MODEL_TXQ		1
#define MODEL_MAX_PAIRS		4
#define MODEL_MAX_QUEUES	(2 * MODEL_MAX_PAIRS + 1)
/** Control commands the model records (further ones are only answered). */
#define MODEL_CTRL_LOG_MAX	64
/** Bytes of command-specific data recorded per command. */
#define MODEL_CTRL_DATA_MAX	1024
/** Entries of each MAC table the model keeps (QEMU keeps 64). */
#define MODEL_MAC_TABLE_MAX	64

/** Largest frame (without virtio-net header) the model records: a GSO frame. */
#define MODEL_FRAME_MAX		VIRTIO_NET_MAX_GSO_FRAME
/** Frames kept by the TX-on-notify mode (further ones are only counted). */
#define MODEL_TX_LOG_MAX	512
/** Used descriptors a packed queue may hold back (model_rx_opts.publish) */
#define MODEL_HOLD_MAX		64
/** Bytes of device configuration space (5.1.4, up to duplex). */
#define MODEL_CFG_SIZE		24

/** Default MAC address of the model: 52:54:00:12:34:56. */
#define MODEL_DEFAULT_MAC	{ 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 }

/** Options fixed when the model is created (model_init). */
struct model_opts {
	uint32_t version;	/**< Version register: 1 legacy, 2 modern */
	uint32_t magic;		/**< MagicValue; 0 means the right one */
	uint32_t device_id;	/**< DeviceID; 0 means virtio-net (1) */
	uint64_t features;	/**< offered; 0 means the default set */
	bool features_exact;	/**< offer @p features even if 0 */
	uint16_t queue_num_max;	/**< QueueNumMax; 0 means 256 */
	uint8_t mac[6];		/**< config mac; all-zero means the default */
	uint16_t mtu;		/**< config mtu; 0 means 1500 */
	uint32_t speed;		/**< config speed (Mb/s) with SPEED_DUPLEX */
	bool refuse_features_ok;	/**< never accept FEATURES_OK */
	bool needs_reset_on_driver_ok;	/**< set DEVICE_NEEDS_RESET at DRIVER_OK */
	bool reset_stuck;	/**< Status never reads back 0 after a reset */
	/** config max_virtqueue_pairs (5.1.4); 0 means 1; at most MODEL_MAX_PAIRS */
	uint16_t max_pairs;
	/** offer VIRTIO_F_RING_PACKED (2.8) besides @p features (modern only) */
	bool packed;
};

/** One command taken from the control queue (5.1.6.5), as the device saw it. */
struct model_ctrl_cmd {
	uint8_t cls;		/**< class */
	uint8_t cmd;		/**< command */
	uint8_t ack;		/**< VIRTIO_NET_OK or VIRTIO_NET_ERR written back */
	uint16_t ndesc;		/**< descriptors in the chain */
	uint32_t seg_len[8];	/**< length of each descriptor (first 8) */
	bool seg_write[8];	/**< device-writable */
	uint32_t data_len;	/**< command-specific data bytes */
	uint8_t data[MODEL_CTRL_DATA_MAX];
};

/** One frame the device took from the transmit queue. */
struct model_frame {
	uint8_t hdr[VIRTIO_NET_HDR_LEN_MODERN];	/**< virtio-net header bytes */
	uint16_t hdr_len;	/**< header bytes the device expected */
	uint16_t ndesc;		/**< descriptors in the chain (or its indirect table) */
	bool indirect;		/**< one indirect descriptor (2.7.5.3, 2.8.19) */
	uint16_t head;		/**< head descriptor index */
	uint32_t len;		/**< frame bytes (after the header) */
	/**
	 * NEEDS_CSUM without GSO: the model completed the checksum in @c data
	 * as a device does (5.1.6.2); with GSO @c data is as sent.
	 */
	bool csum_done;
	uint8_t data[MODEL_FRAME_MAX];
};

/** How model_rx_inject_ex() delivers a frame. */
struct model_rx_opts {
	/** flags, gso_type, hdr_len, gso_size, csum_start, csum_offset to write. */
	struct virtio_net_hdr hdr;
	/** Write @c num_buffers instead of the true count (misbehave). */
	bool set_num_buffers;
	uint16_t num_buffers;
	/** Publish only this many used entries now (0: all); model_rx_publish() the rest. */
	uint16_t publish;
	/** Write header fields the negotiated features do not allow (misbehave). */
	bool force;
	/** Queue pair whose receive queue gets the frame (0: receiveq1). */
	uint16_t pair;
};

/** Device-side state of one virtqueue. */
struct model_vq {
	uint32_t num;		/**< QueueNum */
	uint32_t ready;		/**< QueueReady (modern) */
	uint32_t pfn;		/**< QueuePFN (legacy) */
	uint32_t align;		/**< QueueAlign (legacy) */
	uint64_t desc_iova;
	uint64_t avail_iova;
	uint64_t used_iova;
	struct vring_desc *desc;	/**< translated when the queue goes live */
	struct vring_avail *avail;
	struct vring_used *used;
	bool live;		/**< addresses valid and translated */
	bool no_notify;		/**< keep VRING_USED_F_NO_NOTIFY set */
	uint16_t last_avail;	/**< next avail entry the device consumes (packed: buffers consumed) */
	uint16_t used_idx;	/**< device's used->idx (packed: used entries written) */
	uint64_t notifies;	/**< QueueNotify writes naming this queue */
	uint64_t interrupts;	/**< used buffer notifications raised */
	uint8_t *inflight;	/**< per head: consumed, not yet used */
	/* VIRTIO_F_EVENT_IDX (2.7.10) */
	bool event_idx;		/**< negotiated when the queue went live */
	/**
	 * avail_event set by the test (model_set_avail_event) instead of the
	 * default: the device's next avail position after every consume, as
	 * QEMU does once it has caught up.
	 */
	bool avail_event_manual;
	uint16_t signalled_used;	/**< used->idx at the previous publish */
	/* VIRTIO_F_RING_PACKED (2.8): free-running descriptor positions */
	bool packed;		/**< negotiated when the queue went live */
	struct vring_packed_desc *pdesc;	/**< descriptor ring */
	struct vring_packed_event *drv_ev;	/**< driver area (read-only here) */
	struct vring_packed_event *dev_ev;	/**< device area (written here) */
	uint32_t pk_avail;	/**< next descriptor the device reads */
	uint32_t pk_used;	/**< next position the device writes used */
	uint32_t pk_signalled;	/**< pk_used at the previous publish */
	uint32_t pk_peek;	/**< position of the buffer last peeked */
	uint16_t pk_peek_len;	/**< its descriptors */
	uint16_t *pk_ndesc;	/**< per buffer ID: descriptors consumed */
	uint32_t pk_hold[MODEL_HOLD_MAX];	/**< used positions not yet marked */
	uint16_t pk_hold_flags[MODEL_HOLD_MAX];
	uint16_t pk_nhold;
};

struct model_seg;

/** The device. Counters are public for tests to check. */
struct vmmio_model {
	struct model_opts opts;
	/* registers */
	uint32_t status;
	uint32_t dev_features_sel;
	uint32_t drv_features_sel;
	uint64_t driver_features;	/**< as written by the driver */
	uint32_t guest_page_size;	/**< legacy */
	uint32_t queue_sel;
	uint32_t config_generation;
	uint32_t isr;		/**< InterruptStatus; the line is isr != 0 */
	/**
	 * Interrupt line as VFIO delivers it: eventfd written once per rising
	 * edge of the line (-1: no line). With @c irq_hold the edges are
	 * counted in @c irq_held and written by model_irq_deliver(), so a
	 * test decides when another thread (the EAL interrupt thread) may
	 * run the PMD's handler against the model.
	 */
	int irq_efd;
	bool irq_hold;
	uint32_t irq_held;	/**< edges not written to irq_efd yet */
	uint32_t irq_edges;	/**< rising edges of the line, ever */
	/**
	 * The line masks itself at each edge it signals, as UIO's
	 * uio_pdrv_genirq does, until model_irq_unmask(); an edge while
	 * masked is kept (@c irq_pending) and signalled at the unmask, as
	 * the kernel replays an edge that came while the IRQ was disabled.
	 */
	bool irq_masks;
	bool irq_masked;
	bool irq_pending;
	uint32_t irq_unmasks;	/**< model_irq_unmask() calls */
	uint8_t cfg[MODEL_CFG_SIZE];	/**< device configuration space */
	uint16_t nqueues;	/**< queues that exist (QueueNumMax != 0) */
	struct model_vq vq[MODEL_MAX_QUEUES];
	/* behaviour switches, changeable at any time */
	bool tx_on_notify;	/**< consume TX chains inside QueueNotify */
	/** Called after every InterruptStatus read (the value read is the one before). */
	void (*isr_read_hook)(struct vmmio_model *m, void *arg);
	void *isr_read_arg;
	/** Called inside every QueueNotify write (after the model's own work). */
	void (*notify_hook)(struct vmmio_model *m, unsigned int q, void *arg);
	void *notify_arg;
	uint32_t cfg_gen_bumps;	/**< bump ConfigGeneration on that many reads */
	/* records */
	uint32_t reg_reads[VIRTIO_MMIO_CONFIG / 4];	/**< per 32-bit register */
	uint32_t reg_writes[VIRTIO_MMIO_CONFIG / 4];
	uint32_t cfg_reads;	/**< config space accesses */
	uint32_t cfg_writes;
	uint32_t status_writes;
	uint32_t status_ever;	/**< OR of every Status value written */
	uint32_t resets;	/**< writes of 0 to Status */
	uint32_t version_errors;	/**< registers not valid for the Version */
	uint32_t access_errors;	/**< bad width/offset, RO written, WO read */
	uint32_t proto_errors;	/**< driver broke a rule of the spec */
	/** Modern config accesses not of the field's natural width (4.2.2.2). */
	uint32_t cfg_width_errors;
	/** QueueNotify writes before DRIVER_OK (3.1.1). */
	uint32_t early_notifies;
	bool reset_pending;	/**< reset_stuck: Status reads non-zero */
	char last_error[160];	/**< text of the last error recorded */
	/* datapath records */
	uint64_t rx_frames;	/**< frames delivered into RX buffers */
	uint64_t tx_frames;	/**< TX chains consumed */
	uint64_t tx_bytes;	/**< frame bytes (without header) consumed */
	struct model_frame *tx_log;	/**< TX-on-notify capture, MODEL_TX_LOG_MAX */
	uint32_t tx_log_count;
	uint64_t tx_log_dropped;
	/* control queue (5.1.6.5): switches, records and the filter state */
	bool ctrl_nak;		/**< answer every command VIRTIO_NET_ERR */
	bool ctrl_silent;	/**< never answer (the driver must time out) */
	struct model_ctrl_cmd *ctrl_log;	/**< MODEL_CTRL_LOG_MAX commands */
	uint32_t ctrl_count;	/**< commands answered (recorded or not) */
	uint8_t rx_promisc;	/**< 1 after reset, as QEMU */
	uint8_t rx_allmulti;
	uint16_t vq_pairs;	/**< queue pairs in use (1 after reset) */
	uint32_t uc_entries;	/**< unicast MAC table */
	uint8_t uc[MODEL_MAC_TABLE_MAX][6];
	uint32_t mc_entries;	/**< multicast MAC table */
	uint8_t mc[MODEL_MAC_TABLE_MAX][6];
	uint8_t vlans[4096 / 8];	/**< VLAN filter, bit per VLAN id */
	struct model_seg *segs;		/**< scratch: chain being processed */
	bool indirect;			/**< that chain was an indirect table */
	struct model_frame *scratch;	/**< scratch frame for counting only */
};

/**
 * Register backend of the model; set hw->reg to it and hw->priv to the model.
 */
extern const struct vmmio_reg_ops model_reg_ops;

/**
 * Initialize a model in reset state.
 *
 * @param m
 *   Model to initialize (any previous content is discarded; call
 *   model_fini first if it was initialized).
 * @param opts
 *   Options; NULL for a default modern device. Zero fields take defaults:
 *   modern offers VERSION_1, MAC and STATUS; legacy offers MAC, STATUS and
 *   ANY_LAYOUT (bits above 31 are dropped for legacy).
 * @return
 *   0, or -ENOMEM.
 */
int model_init(struct vmmio_model *m, const struct model_opts *opts);

/** Free what model_init allocated. */
void model_fini(struct vmmio_model *m);

/**
 * Fill a struct vmmio_hw whose register backend is model @p m.
 */
void model_hw(struct vmmio_model *m, struct vmmio_hw *hw);

/** True once the driver set DRIVER_OK and did not reset since. */
bool model_driver_ok(const struct vmmio_model *m);

/** Virtio-net header length the device uses for the accepted features. */
uint16_t model_hdr_len(const struct vmmio_model *m);

/**
 * Total of version, access and protocol errors recorded (cfg_width_errors
 * and early_notifies are kept apart, checked by their own tests).
 */
uint32_t model_errors(const struct vmmio_model *m);

/** Forget all error records (counters and text). */
void model_clear_errors(struct vmmio_model *m);

/**
 * Deliver one frame: take one available receive chain, write a zeroed
 * virtio-net header (num_buffers = 1 when 12 bytes) and the frame, and put
 * a used entry.
 *
 * @return
 *   0; -ENOSPC if the driver offered no buffer; -EIO if the queue is not
 *   live or DRIVER_OK is not set; -ENETDOWN if the link is down;
 *   -EMSGSIZE if the buffer is too small (nothing consumed); -EFAULT if the
 *   chain is malformed (protocol error recorded, nothing consumed).
 */
int model_rx_inject(struct vmmio_model *m, const void *frame, uint32_t len);

/**
 * Deliver one frame with the header fields of @p o (5.1.6.4). With
 * VIRTIO_NET_F_MRG_RXBUF negotiated a frame larger than one buffer spans
 * several, each with its own used entry, and num_buffers counts them;
 * without it the frame must fit one buffer.
 *
 * @return
 *   As model_rx_inject(); -ENOSPC also when the available buffers cannot
 *   hold the frame (nothing consumed, as QEMU does); -EINVAL if @p o sets
 *   header fields the negotiated features forbid and o->force is false.
 */
int model_rx_inject_ex(struct vmmio_model *m, const struct model_rx_opts *o,
	const void *frame, uint32_t len);

/**
 * Publish used entries of receiveq1 held back by model_rx_opts.publish
 * (a frame for another pair stays held).
 */
void model_rx_publish(struct vmmio_model *m);

/**
 * Take one available chain of queue @p q without processing or returning
 * it: the caller completes it later (or never) with model_put_used().
 *
 * @param q
 *   MODEL_RXQ (chain must be device-writable) or MODEL_TXQ (readable).
 * @param[out] head
 *   Head descriptor index.
 * @param[out] cap
 *   Bytes of the chain (may be NULL).
 * @return 0, -ENOSPC, -EIO or -EFAULT as model_rx_inject.
 */
int model_take(struct vmmio_model *m, unsigned int q, uint16_t *head,
	uint32_t *cap);

/**
 * Consume up to @p max available transmit chains: each is header plus frame,
 * possibly over several descriptors. Each chain gets a used entry (len 0).
 *
 * @param out
 *   Array of @p max frames to fill, or NULL to count only.
 * @param max
 *   Chains to consume at most.
 * @return
 *   Chains consumed (>= 0), -EIO if the queue is not live, or -EFAULT when
 *   a malformed chain stopped the collection (protocol error recorded).
 */
int model_tx_collect(struct vmmio_model *m, struct model_frame *out,
	unsigned int max);

/**
 * Available entries of queue @p q the device has not consumed yet.
 */
uint16_t model_avail_pending(const struct vmmio_model *m, unsigned int q);

/**
 * True if descriptor @p id heads a chain the driver offered on queue @p q
 * and the device has not returned: pending in the avail ring or taken.
 */
bool model_desc_offered(const struct vmmio_model *m, unsigned int q,
	uint16_t id);

/**
 * Misbehave: write used entry {id, len} at the device's used index of queue
 * @p q and publish it (used->idx + 1), whatever the driver offered.
 */
void model_put_used(struct vmmio_model *m, unsigned int q, uint32_t id,
	uint32_t len);

/**
 * Misbehave: add @p delta to used->idx of queue @p q without writing entries.
 */
void model_bump_used_idx(struct vmmio_model *m, unsigned int q, uint16_t delta);

/**
 * Set or clear VRING_USED_F_NO_NOTIFY on queue @p q (kept across queue
 * re-enable: the model reapplies it when the queue goes live).
 */
void model_set_no_notify(struct vmmio_model *m, unsigned int q, bool on);

/**
 * VIRTIO_F_EVENT_IDX: write avail_event of queue @p q (2.7.10) and keep it
 * (no automatic update) until the queue is reset.
 */
void model_set_avail_event(struct vmmio_model *m, unsigned int q, uint16_t v);

/** VIRTIO_F_EVENT_IDX: the driver's used_event of queue @p q (2.7.10). */
uint16_t model_used_event(const struct vmmio_model *m, unsigned int q);

/** Write the held interrupt edges (model.irq_hold) to the line's eventfd. */
void model_irq_deliver(struct vmmio_model *m);

/** Unmask a self-masking line (model.irq_masks), signalling a kept edge. */
void model_irq_unmask(struct vmmio_model *m);

/**
 * Change the link state in config status (VIRTIO_NET_S_LINK_UP), bump
 * ConfigGeneration and raise a configuration change interrupt.
 */
void model_set_link(struct vmmio_model *m, bool up);

/**
 * Queue number of the control queue: 2 * max_virtqueue_pairs with MQ
 * negotiated, else 2 (5.1.2).
 */
uint16_t model_ctrl_index(const struct vmmio_model *m);

/** True if VLAN @p vid passes the model's VLAN filter table. */
bool model_vlan_on(const struct vmmio_model *m, uint16_t vid);

/** As model_tx_collect() on transmit queue @p q (an odd queue number). */
int model_tx_collect_q(struct vmmio_model *m, unsigned int q,
	struct model_frame *out, unsigned int max);

/**
 * Drop the TX-on-notify capture (tx_log) and its counters.
 */
void model_tx_log_clear(struct vmmio_model *m);

#endif /* VMMIO_MODEL_H */
