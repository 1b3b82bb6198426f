/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * UIO glue: a virtio-mmio device bound to the kernel's generic UIO platform
 * driver, uio_pdrv_genirq (upstream, no patch). Its memory map 0 is the
 * page holding the register window (sysfs maps/map0/offset says where the
 * window starts in it, so QEMU's 0x200-byte windows need no kernel change);
 * its device file /dev/uioN signals the interrupt line and masks it after
 * each event until a write of 1 unmasks it. There is no IOMMU: the device
 * is given physical addresses (EAL IOVA mode PA), as with DPDK's igb_uio
 * and uio_pci_generic.
 */
#ifndef VMMIO_UIO_H
#define VMMIO_UIO_H

#include <stddef.h>

#include "vmmio_hw.h"
#include "vmmio_platform.h"

/**
 * Open platform device @p devname through its UIO device and map its
 * registers. The caller has checked the binding (vmmio_platform_check).
 *
 * Checks, each with a one-line error: EAL runs in IOVA-as-PA mode, register
 * access is not pread (UIO only maps), the device has a UIO device whose
 * memory map 0 is the page of this window (maps/map0/addr + offset is the
 * base in the device name), and no other process has the device
 * open through this driver (an exclusive flock(2) on /dev/uioN, dropped by
 * the kernel when the process ends however it ends).
 *
 * @param devname
 *   Platform device name, e.g. "a003e00.virtio_mmio".
 * @param access
 *   Requested register access method (auto or mmap).
 * @param[out] hw
 *   Register backend fields (reg, base, fd) filled in; fd is /dev/uioN.
 * @param[out] map_addr
 *   Start of the mapping to munmap later.
 * @param[out] map_len
 *   Bytes mapped.
 * @return
 *   0; -EINVAL (IOVA mode VA); -ENOTSUP (access=pread); -ENODEV (no UIO
 *   device or map); -EBUSY (open in another process); or the negative
 *   errno of open, flock or mmap.
 */
int vmmio_uio_open(const char *devname, enum vmmio_access access,
	struct vmmio_hw *hw, void **map_addr, size_t *map_len);

/**
 * Undo vmmio_uio_open: unmap and close the device file (the lock goes with it).
 *
 * @param hw
 *   Device opened by vmmio_uio_open; fd set to -1, base to NULL.
 * @param map_addr
 *   Mapping returned by vmmio_uio_open, or NULL.
 * @param map_len
 *   Its length in bytes.
 */
void vmmio_uio_close(struct vmmio_hw *hw, void *map_addr, size_t map_len);

/**
 * Check that the UIO device has an interrupt line, and quiet it until the
 * port starts (a write of 0 masks it).
 *
 * @param hw
 *   Device opened by vmmio_uio_open.
 * @return 0, or -EIO (no interrupt: the device was bound without one),
 *   -ENOSYS (no interrupt control), -EINVAL (the UIO device is going
 *   away), or another negative errno of write.
 */
int vmmio_uio_irq_check(struct vmmio_hw *hw);

/**
 * The UIO interrupt line (struct vmmio_irq_ops): each user opens /dev/uioN
 * again (its own event count); a 4-byte read returns the count; a
 * 4-byte write of 1 unmasks the line, of 0 masks it (uio_pdrv_genirq).
 */
extern const struct vmmio_irq_ops vmmio_uio_irq_ops;

#endif /* VMMIO_UIO_H */
