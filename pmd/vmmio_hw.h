/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio-mmio transport: register access backends (mmap, pread/pwrite, or a
 * test model) and the device initialization steps of virtio 1.2 section 3.1,
 * with the modern (Version 2, 4.2.3) and legacy (Version 1, 4.2.4) sequences
 * behind one ops table.
 */
#ifndef VMMIO_HW_H
#define VMMIO_HW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "virtio_mmio_spec.h"

struct vmmio_hw;
struct vmmio_vq;

/**
 * Register access backend of one virtio-mmio window.
 *
 * Registers are accessed with 32-bit width only; the device configuration
 * space (offset >= VIRTIO_MMIO_CONFIG) also with 8 and 16 bits (spec 4.2.2.2).
 * Callbacks never fail: a failed pread/pwrite is logged and reads return
 * all-ones, which later validation (magic, status read-back) catches.
 */
struct vmmio_reg_ops {
	/** Name of the access method, for logs ("mmap", "pread", ...). */
	const char *name;
	/** Read @p width (1, 2 or 4) bytes at @p off (bytes from window base). */
	uint32_t (*read)(struct vmmio_hw *hw, uint32_t off, unsigned int width);
	/** Write @p width bytes of @p val at @p off. */
	void (*write)(struct vmmio_hw *hw, uint32_t off, uint32_t val,
		unsigned int width);
};

/** Version-specific steps (modern 4.2.3 / legacy 4.2.4). */
struct vmmio_transport_ops {
	/** Write the negotiated features; modern also sets and checks FEATURES_OK. */
	int (*set_features)(struct vmmio_hw *hw, uint64_t features);
	/** Program queue @p idx from @p vq and make it live. */
	int (*setup_queue)(struct vmmio_hw *hw, uint16_t idx, struct vmmio_vq *vq);
	/** Detach queue @p idx from its memory. */
	void (*del_queue)(struct vmmio_hw *hw, uint16_t idx);
};

/**
 * Interrupt line backend of one device. A virtio-mmio device has one line
 * for every queue and for configuration changes (spec 4.2.3.4); the
 * backend signals it on a file descriptor. vfio-platform signals an
 * eventfd the driver supplies (VFIO_DEVICE_SET_IRQS); UIO signals its
 * device file and masks the line at each event until the driver unmasks
 * it. vmmio_irqfd.h builds the driver's view on these. open and set run on
 * the control thread (set(-1) also on the EAL interrupt thread, when an
 * event callback stops the port); unmask on the thread that owns the line
 * (EAL interrupt thread, or the lcore in direct RX-interrupt mode).
 */
struct vmmio_irq_ops {
	/** Name of the backend, for logs ("vfio", "uio", ...). */
	const char *name;
	/**
	 * Open a file descriptor (non-blocking, close-on-exec) that becomes
	 * readable at each line event once set() has routed the line to it.
	 * @param hw The device.
	 * @return the fd, or negative errno.
	 */
	int (*open)(struct vmmio_hw *hw);
	/**
	 * Route the line to @p fd, or quiet it.
	 * @param hw The device.
	 * @param fd An fd from open(), or < 0 to quiet the line.
	 * @return 0 or negative errno.
	 */
	int (*set)(struct vmmio_hw *hw, int fd);
	/**
	 * Let the next event through after one was consumed (UIO: the line
	 * is masked at each event). NULL: the line never masks itself.
	 * @param hw The device.
	 * @return 0 or negative errno.
	 */
	int (*unmask)(struct vmmio_hw *hw);
	/** Bytes one read() of the fd consumes (8: eventfd, 4: UIO event count). */
	uint8_t count_size;
	/** The fd is an eventfd the driver may write to wake whoever waits on it. */
	bool wakeable;
};

/** One virtio-mmio device as seen by the driver. */
struct vmmio_hw {
	const struct vmmio_reg_ops *reg;	/**< register backend */
	const struct vmmio_transport_ops *tp;	/**< version-specific steps */
	/** Interrupt line backend, or NULL: no usable line (the port polls). */
	const struct vmmio_irq_ops *irq;
	void *base;		/**< mmap: window address; NULL otherwise */
	int fd;			/**< VFIO device fd or /dev/uioN, else -1 */
	uint64_t reg_off;	/**< pread: region offset in the device fd */
	void *priv;		/**< backend private data (test model) */
	uint32_t version;	/**< Version register: 1 legacy, 2 modern */
	uint64_t device_features;	/**< offered by the device */
	uint64_t features;	/**< negotiated */
	uint64_t features_wanted;	/**< asked for at the last negotiation */
	uint16_t hdr_len;	/**< virtio-net header bytes (10 or 12) */
	/** Bits never negotiated, whatever is wanted (devargs, e.g. event_idx=0). */
	uint64_t features_off;
	/**
	 * Period of the Status check of a started port without interrupt line
	 * (milliseconds; devarg status_check_ms; 0: no check).
	 */
	uint32_t status_check_ms;
	/**
	 * RX interrupts through the EAL thread's software ring even for a
	 * port with one RX queue (devarg rx_intr=swring; default: direct).
	 */
	bool rx_intr_swring;
	/**
	 * Frames per RX queue one line event may harvest on the EAL thread
	 * (devarg intr_budget; 0 at create: VMMIO_RXINTR_BUDGET_DEFAULT).
	 */
	uint16_t intr_budget;
};

/** Register backend using loads/stores on an mmap'ed window (rte_read32/rte_write32). */
extern const struct vmmio_reg_ops vmmio_reg_mmap_ops;
/** Register backend using pread/pwrite on the VFIO device fd. */
extern const struct vmmio_reg_ops vmmio_reg_pread_ops;

static inline uint32_t
vmmio_read32(struct vmmio_hw *hw, uint32_t off)
{
	return hw->reg->read(hw, off, 4);
}

static inline void
vmmio_write32(struct vmmio_hw *hw, uint32_t off, uint32_t val)
{
	hw->reg->write(hw, off, val, 4);
}

static inline bool
vmmio_with(const struct vmmio_hw *hw, unsigned int bit)
{
	return (hw->features & VIRTIO_BIT(bit)) != 0;
}

/**
 * Check MagicValue, Version and DeviceID and pick the transport ops.
 *
 * @param hw
 *   Device with its register backend set.
 * @return
 *   0 on success; -ENODEV if MagicValue is wrong or DeviceID is not
 *   virtio-net (1); -ENOTSUP for an unknown Version.
 */
int vmmio_hw_identify(struct vmmio_hw *hw);

/**
 * Reset the device (write 0 to Status, spec 4.2.3.1.1 / 2.4.2) and wait,
 * bounded, until Status reads back 0.
 *
 * @return 0, or -ETIMEDOUT if the device never reports the reset done.
 */
int vmmio_hw_reset(struct vmmio_hw *hw);

/** Read the Status register (spec 2.1). */
uint8_t vmmio_hw_get_status(struct vmmio_hw *hw);

/** OR @p bits into the Status register (spec 3.1.1). */
void vmmio_hw_add_status(struct vmmio_hw *hw, uint8_t bits);

/** Read the 64 device feature bits (DeviceFeatures/DeviceFeaturesSel). */
uint64_t vmmio_hw_read_device_features(struct vmmio_hw *hw);

/**
 * Bytes of the virtio-net header (5.1.6) with feature bits @p features:
 * 12 with num_buffers (VIRTIO_F_VERSION_1, or VIRTIO_NET_F_MRG_RXBUF on a
 * legacy device), else 10.
 */
static inline uint16_t
vmmio_net_hdr_len(uint64_t features)
{
	return (features & (VIRTIO_BIT(VIRTIO_F_VERSION_1) |
		VIRTIO_BIT(VIRTIO_NET_F_MRG_RXBUF))) ?
		VIRTIO_NET_HDR_LEN_MODERN : VIRTIO_NET_HDR_LEN_LEGACY;
}

/**
 * The bits a negotiation asking for @p wanted gets: those the device offers
 * (hw->device_features as last read), minus hw->features_off (devargs).
 */
static inline uint64_t
vmmio_hw_features_for(const struct vmmio_hw *hw, uint64_t wanted)
{
	return hw->device_features & wanted & ~hw->features_off;
}

/**
 * Preview a negotiation without telling the device (probe, before the
 * application configures anything): set hw->features_wanted,
 * hw->features (vmmio_hw_features_for) and hw->hdr_len as
 * vmmio_hw_negotiate would.
 *
 * @param hw
 *   The device, with device_features read.
 * @param wanted
 *   Feature bits asked for (VIRTIO_BIT()).
 */
void vmmio_hw_preview_features(struct vmmio_hw *hw, uint64_t wanted);

/**
 * Negotiate: read the device's offer, keep the bits of @p wanted it offers
 * (minus hw->features_off), write them and, on modern devices, set
 * FEATURES_OK and read it back (spec 3.1.1 steps 4-6).
 * Sets hw->features and hw->hdr_len.
 *
 * @return 0, or -EIO if the device refuses FEATURES_OK.
 */
int vmmio_hw_negotiate(struct vmmio_hw *hw, uint64_t wanted);

/**
 * Spell feature bits by their spec names without the VIRTIO_NET_F_,
 * VIRTIO_F_ or VIRTIO_RING_F_ prefix ("MAC MRG_RXBUF EVENT_IDX"), for logs;
 * unnamed bits as "bitN". An empty set reads "none".
 *
 * @param bits
 *   VIRTIO_BIT() mask.
 * @param[out] buf
 *   Output, always NUL-terminated (truncated if too short).
 * @param size
 *   Size of @p buf in bytes.
 * @return
 *   @p buf.
 */
const char *vmmio_hw_feature_names(uint64_t bits, char *buf, size_t size);

/**
 * Read one field of device configuration space: @p len bytes at @p off,
 * accessed with the field's width (8-bit fields byte by byte, 16-bit fields
 * 16 bits wide, 32/64-bit fields 32 bits wide, spec 4.2.2.2); on modern
 * devices retried until ConfigGeneration is stable (spec 2.5.1, 4.2.2.2).
 *
 * @param off
 *   Field offset in bytes from the start of the configuration space.
 * @param dst
 *   Where the field's bytes go (device byte order, little endian).
 * @param len
 *   Field size in bytes: 1, 2, 4, 8, or the length of a byte array (MAC).
 * @return 0, or -EAGAIN if the generation kept changing.
 */
int vmmio_hw_read_config(struct vmmio_hw *hw, uint32_t off, void *dst,
	uint32_t len);

/** Write @p len bytes of device configuration space at @p off. */
void vmmio_hw_write_config(struct vmmio_hw *hw, uint32_t off, const void *src,
	uint32_t len);

/** QueueNumMax of queue @p idx; 0 if the queue does not exist. */
uint16_t vmmio_hw_queue_max(struct vmmio_hw *hw, uint16_t idx);

/**
 * Notify the device that queue @p idx has new available buffers
 * (QueueNotify, spec 4.2.3.3).
 */
static inline void
vmmio_hw_notify(struct vmmio_hw *hw, uint16_t idx)
{
	vmmio_write32(hw, VIRTIO_MMIO_QUEUE_NOTIFY, idx);
}

/**
 * Read InterruptStatus and acknowledge the bits read (spec 4.2.2), until it
 * reads 0: a bit the device sets between a read and its acknowledgement
 * would keep the line high, and an edge-triggered line (VFIO platform)
 * then never signals again. Bounded (4 rounds).
 *
 * @param hw
 *   The device.
 * @return
 *   Every InterruptStatus bit seen (VIRTIO_MMIO_INT_VRING, _CONFIG).
 */
uint32_t vmmio_hw_ack_interrupt(struct vmmio_hw *hw);

#endif /* VMMIO_HW_H */
