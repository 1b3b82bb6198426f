/* SPDX-License-Identifier: BSD-3-Clause */
/* VFIO platform glue: open a virtio-mmio device bound to vfio-platform. */
#ifndef VMMIO_VFIO_H
#define VMMIO_VFIO_H

#include <stddef.h>

#include "vmmio_hw.h"

/** Register access method requested through the `access=` devarg. */
enum vmmio_access {
	VMMIO_ACCESS_AUTO,	/**< mmap when the region allows it, else pread */
	VMMIO_ACCESS_MMAP,
	VMMIO_ACCESS_PREAD,
};

/** Where the platform devices live in sysfs (rte_vfio_setup_device sysfs_base). */
#define VMMIO_SYSFS_PLATFORM	"/sys/bus/platform/devices"

/**
 * Open platform device @p devname through rte_vfio and set up register
 * access on region 0.
 *
 * Checks, each with a one-line error naming the fix: the device exists (else
 * lists the virtio-mmio devices bound to vfio-platform), it is bound to
 * vfio-platform, the vfio module is loaded, and EAL runs in IOVA-as-PA mode
 * when VFIO has no IOMMU (no-IOMMU mode).
 *
 * @param devname
 *   Platform device name, e.g. "a003e00.virtio_mmio".
 * @param access
 *   Requested register access method.
 * @param[out] hw
 *   Register backend fields (reg, base, fd, reg_off) filled in.
 * @param[out] map_addr
 *   Start of the mapping to munmap later, or NULL for pread access.
 * @param[out] map_len
 *   Bytes mapped.
 * @return
 *   0; -ENODEV (no such device, wrong driver, vfio missing), -EINVAL (IOVA
 *   mode), -ENOTSUP (mmap requested but the region cannot be mapped), or the
 *   negative errno of the failing VFIO call.
 */
int vmmio_vfio_open(const char *devname, enum vmmio_access access,
	struct vmmio_hw *hw, void **map_addr, size_t *map_len);

/**
 * Undo vmmio_vfio_open: unmap and release the device through rte_vfio.
 */
void vmmio_vfio_close(const char *devname, struct vmmio_hw *hw,
	void *map_addr, size_t map_len);

/**
 * Check that the device's VFIO IRQ index 0 exists and can signal an eventfd
 * (VFIO_DEVICE_GET_IRQ_INFO). A virtio-mmio device has one interrupt line
 * for all queues and configuration changes (spec 4.2.3.4).
 *
 * @param fd
 *   VFIO device fd.
 * @return 0, -ENOTSUP if there is no eventfd-capable IRQ or it is
 *   level-triggered (VFIO_IRQ_INFO_AUTOMASKED: the driver handles edge
 *   lines only), or the negative errno of the ioctl.
 */
int vmmio_vfio_irq_check(int fd);

/**
 * Route the device's interrupt line to eventfd @p efd, or, with @p efd < 0,
 * disconnect it (VFIO_DEVICE_SET_IRQS, index 0, ACTION_TRIGGER). VFIO
 * platform IRQs of virtio-mmio are edge-triggered and not maskable: the
 * caller must read and acknowledge InterruptStatus after every signal.
 *
 * @return 0 or the negative errno of the ioctl.
 */
int vmmio_vfio_irq_set(int fd, int efd);

/** Log one line listing the virtio-mmio devices bound to vfio-platform. */
void vmmio_vfio_log_bound(void);

#endif /* VMMIO_VFIO_H */
