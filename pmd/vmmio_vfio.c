/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * VFIO platform glue. QEMU's virtio-mmio windows are 0x200 bytes, eight to a
 * page; stock vfio-platform will not mmap such a region, so register access
 * falls back to pread/pwrite on the device fd. With a page-sized window (or a
 * vfio-platform that maps the containing page, see doc/guest-lab.md) the
 * registers are mmap'ed.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/vfio.h>

#include <rte_eal.h>
#include <rte_vfio.h>

#include "vmmio_irqfd.h"
#include "vmmio_log.h"
#include "vmmio_vfio.h"

/* After vmmio_platform_check: VFIO itself and the IOVA mode. */
static int
check_vfio(void)
{
	if (rte_vfio_is_enabled("vfio") != 1) {
		VMMIO_LOG(ERR, "vfio or vfio-platform module not loaded "
			"(load vfio with enable_unsafe_noiommu_mode=1 and vfio-platform)");
		return -ENODEV;
	}
	if (rte_vfio_noiommu_is_enabled() == 1 && rte_eal_iova_mode() != RTE_IOVA_PA) {
		VMMIO_LOG(ERR, "VFIO runs without an IOMMU but EAL IOVA mode is VA: "
			"add --iova-mode=pa to the EAL arguments");
		return -EINVAL;
	}
	return 0;
}

int
vmmio_vfio_open(const char *devname, enum vmmio_access access,
	struct vmmio_hw *hw, void **map_addr, size_t *map_len)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	struct vfio_region_info reg = { .argsz = sizeof(reg), .index = 0 };
	long pgsz = sysconf(_SC_PAGESIZE);
	uint64_t inpage = 0;
	size_t len;
	void *addr;
	int fd, ret;

	ret = check_vfio();
	if (ret < 0)
		return ret;
	ret = rte_vfio_setup_device(VMMIO_SYSFS_PLATFORM, devname, &fd, &info);
	if (ret != 0) {
		VMMIO_LOG(ERR, "dev=%s: VFIO setup failed%s", devname,
			ret > 0 ? " (device not managed by VFIO)" : "");
		return ret > 0 ? -ENODEV : ret;
	}
	if (info.num_regions < 1 ||
	    ioctl(fd, VFIO_DEVICE_GET_REGION_INFO, &reg) != 0 ||
	    reg.size < VIRTIO_MMIO_CONFIG + 8) {
		VMMIO_LOG(ERR, "dev=%s: VFIO region 0 missing or too small", devname);
		rte_vfio_release_device(VMMIO_SYSFS_PLATFORM, devname, fd);
		return -ENODEV;
	}
	hw->fd = fd;
	hw->reg_off = reg.offset;
	hw->base = NULL;
	hw->reg = &vmmio_reg_pread_ops;
	*map_addr = NULL;
	*map_len = 0;
	if (access == VMMIO_ACCESS_PREAD ||
	    (access == VMMIO_ACCESS_AUTO && !(reg.flags & VFIO_REGION_INFO_FLAG_MMAP)))
		return 0;
	if (!(reg.flags & VFIO_REGION_INFO_FLAG_MMAP)) {
		VMMIO_LOG(ERR, "dev=%s: region of 0x%llx bytes cannot be mmap'ed "
			"(use access=pread, or vfio-platform map_subpage=1)", devname,
			(unsigned long long)reg.size);
		rte_vfio_release_device(VMMIO_SYSFS_PLATFORM, devname, fd);
		return -ENOTSUP;
	}
	/* A sub-page window is mapped as its whole page; the registers sit inside it. */
	if (reg.size < (uint64_t)pgsz)
		inpage = vmmio_platform_base(devname) & (pgsz - 1);
	len = RTE_ALIGN_CEIL(inpage + reg.size, (size_t)pgsz);
	addr = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, reg.offset);
	if (addr == MAP_FAILED) {
		ret = -errno;
		VMMIO_LOG(ERR, "dev=%s: mmap of region 0 failed: %s", devname, strerror(errno));
		rte_vfio_release_device(VMMIO_SYSFS_PLATFORM, devname, fd);
		return ret;
	}
	hw->base = (uint8_t *)addr + inpage;
	hw->reg = &vmmio_reg_mmap_ops;
	*map_addr = addr;
	*map_len = len;
	return 0;
}

void
vmmio_vfio_close(const char *devname, struct vmmio_hw *hw, void *map_addr,
	size_t map_len)
{
	if (map_addr != NULL)
		munmap(map_addr, map_len);
	if (hw->fd >= 0)
		rte_vfio_release_device(VMMIO_SYSFS_PLATFORM, devname, hw->fd);
	hw->fd = -1;
	hw->base = NULL;
}

int
vmmio_vfio_irq_check(int fd)
{
	struct vfio_irq_info irq = { .argsz = sizeof(irq), .index = 0 };

	if (ioctl(fd, VFIO_DEVICE_GET_IRQ_INFO, &irq) != 0)
		return -errno;
	if (irq.count < 1 || !(irq.flags & VFIO_IRQ_INFO_EVENTFD))
		return -ENOTSUP;
	/*
	 * A level-triggered line is masked by VFIO at every event and would
	 * need an unmask after each InterruptACK; the datapath is written for
	 * edge-triggered lines (QEMU virt, microVM VMMs), so poll instead.
	 */
	if (irq.flags & VFIO_IRQ_INFO_AUTOMASKED)
		return -ENOTSUP;
	return 0;
}

static int
vfio_irq_set(int fd, int efd)
{
	char buf[sizeof(struct vfio_irq_set) + sizeof(int32_t)];
	struct vfio_irq_set *set = (struct vfio_irq_set *)buf;

	memset(buf, 0, sizeof(buf));
	set->argsz = sizeof(buf);
	set->index = 0;
	set->start = 0;
	if (efd >= 0) {
		set->flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
		set->count = 1;
		memcpy(set->data, &efd, sizeof(int32_t));
	} else {
		/* DATA_NONE with count 0 tears the trigger down. */
		set->flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER;
		set->count = 0;
		set->argsz = sizeof(*set);
	}
	if (ioctl(fd, VFIO_DEVICE_SET_IRQS, set) != 0)
		return -errno;
	return 0;
}

static int
vfio_line_set(struct vmmio_hw *hw, int fd)
{
	return vfio_irq_set(hw->fd, fd);
}

const struct vmmio_irq_ops vmmio_vfio_irq_ops = {
	.name = "vfio",
	.open = vmmio_irqfd_eventfd,
	.set = vfio_line_set,
	.unmask = NULL,		/* edge-triggered and not maskable */
	.count_size = sizeof(uint64_t),
	.wakeable = true,
};
