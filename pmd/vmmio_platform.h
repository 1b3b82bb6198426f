/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Platform devices and the kernel drivers that hand them to userspace:
 * vfio-platform (vmmio_vfio.h) or the generic UIO platform driver
 * uio_pdrv_genirq (vmmio_uio.h). Which one a device is bound to decides
 * the backend, unless devarg kmod= forces one.
 */
#ifndef VMMIO_PLATFORM_H
#define VMMIO_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

/** Register access method requested through the `access=` devarg. */
enum vmmio_access {
	VMMIO_ACCESS_AUTO,	/**< mmap when the region allows it, else pread */
	VMMIO_ACCESS_MMAP,
	VMMIO_ACCESS_PREAD,	/**< pread/pwrite on the VFIO device fd (VFIO only) */
};

/** Kernel interface requested through the `kmod=` devarg. */
enum vmmio_kmod {
	VMMIO_KMOD_AUTO,	/**< the driver the device is bound to */
	VMMIO_KMOD_VFIO,	/**< vfio-platform (no-IOMMU mode or an IOMMU) */
	VMMIO_KMOD_UIO,		/**< uio_pdrv_genirq */
};

/** Where the platform devices live in sysfs (rte_vfio_setup_device sysfs_base). */
#define VMMIO_SYSFS_PLATFORM	"/sys/bus/platform/devices"
/** Platform driver names of the two kernel interfaces. */
#define VMMIO_DRV_VFIO		"vfio-platform"
#define VMMIO_DRV_UIO		"uio_pdrv_genirq"

/**
 * Check that platform device @p devname exists and is bound to the driver
 * of @p kmod (with VMMIO_KMOD_AUTO: to either, and set @p kmod to it), and
 * that the driver's module is loaded. Each failure is one ERR line naming
 * the fix (the module to load, or the vmmio-devbind command), and lists
 * the virtio-mmio devices bound to the drivers when the device is unknown.
 *
 * @param devname
 *   Platform device name, e.g. "a003e00.virtio_mmio".
 * @param[in,out] kmod
 *   Interface asked for; on success the one to use (never AUTO).
 * @return 0, or -ENODEV.
 */
int vmmio_platform_check(const char *devname, enum vmmio_kmod *kmod);

/** Log one ERR line listing the virtio-mmio devices bound to each driver. */
void vmmio_platform_log_bound(void);

/**
 * Physical base address of a device named after it ("a003e00.virtio_mmio",
 * the device tree's unit address).
 *
 * @param devname
 *   Platform device name.
 * @return The address, or 0 if the name does not start with one.
 */
uint64_t vmmio_platform_base(const char *devname);

#endif /* VMMIO_PLATFORM_H */
