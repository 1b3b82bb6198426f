/* SPDX-License-Identifier: BSD-3-Clause */
/* VFIO platform glue: open a virtio-mmio device bound to vfio-platform. */
#ifndef VMMIO_VFIO_H
#define VMMIO_VFIO_H

#include <stddef.h>

#include "vmmio_hw.h"
#include "vmmio_platform.h"

/**
 * Open platform device @p devname through rte_vfio and set up register
 * access on region 0.
 *
 * The caller has checked the binding (vmmio_platform_check). Checks, each
 * with a one-line error naming the fix: the vfio module is loaded, and EAL
 * runs in IOVA-as-PA mode when VFIO has no IOMMU (no-IOMMU mode).
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
 *   0; -ENODEV (vfio missing, not a VFIO device), -EINVAL (IOVA
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
 * The VFIO interrupt line (struct vmmio_irq_ops): an eventfd the driver
 * opens, routed with VFIO_DEVICE_SET_IRQS (index 0, ACTION_TRIGGER; quieted
 * with DATA_NONE, count 0). VFIO platform IRQs of virtio-mmio are
 * edge-triggered and not maskable: after every event InterruptStatus must
 * be read and acknowledged. hw->fd is the VFIO device fd.
 */
extern const struct vmmio_irq_ops vmmio_vfio_irq_ops;

#endif /* VMMIO_VFIO_H */
