/* SPDX-License-Identifier: BSD-3-Clause */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>

#include "vmmio_log.h"
#include "vmmio_uio.h"

/* "uioN" of the device, from VMMIO_SYSFS_PLATFORM/<dev>/uio/. */
static int
uio_name(const char *devname, char *name, size_t len)
{
	char path[PATH_MAX];
	struct dirent *e;
	int ret = -ENODEV;
	DIR *d;

	snprintf(path, sizeof(path), VMMIO_SYSFS_PLATFORM "/%s/uio", devname);
	d = opendir(path);
	if (d == NULL)
		return -ENODEV;
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, "uio", 3) == 0 && strlen(e->d_name) < len) {
			snprintf(name, len, "%s", e->d_name);
			ret = 0;
			break;
		}
	}
	closedir(d);
	return ret;
}

/* One number (sysfs prints maps as 0x...) from maps/map0/<attr>. */
static int
map0_attr(const char *uio, const char *attr, uint64_t *val)
{
	char path[PATH_MAX], buf[32];
	FILE *f;
	int ret = -ENODEV;

	snprintf(path, sizeof(path), "/sys/class/uio/%s/maps/map0/%s", uio, attr);
	f = fopen(path, "r");
	if (f == NULL)
		return -ENODEV;
	if (fgets(buf, sizeof(buf), f) != NULL) {
		*val = strtoull(buf, NULL, 0);
		ret = 0;
	}
	fclose(f);
	return ret;
}

int
vmmio_uio_open(const char *devname, enum vmmio_access access,
	struct vmmio_hw *hw, void **map_addr, size_t *map_len)
{
	uint64_t addr0 = 0, offset = 0, size = 0;
	char uio[32], path[64];
	void *addr;
	int fd, ret;

	if (rte_eal_iova_mode() != RTE_IOVA_PA) {
		VMMIO_LOG(ERR, "UIO gives the device no IOMMU but EAL IOVA mode is VA: "
			"add --iova-mode=pa to the EAL arguments");
		return -EINVAL;
	}
	if (access == VMMIO_ACCESS_PREAD) {
		VMMIO_LOG(ERR, "dev=%s: access=pread needs vfio-platform; "
			"uio_pdrv_genirq maps the registers (access=auto or mmap)", devname);
		return -ENOTSUP;
	}
	if (uio_name(devname, uio, sizeof(uio)) < 0) {
		VMMIO_LOG(ERR, "dev=%s is bound to uio_pdrv_genirq but has no UIO device",
			devname);
		return -ENODEV;
	}
	/* map 0 must be the page of this window (a node may list several) */
	if (map0_attr(uio, "addr", &addr0) < 0 || map0_attr(uio, "offset", &offset) < 0 ||
	    map0_attr(uio, "size", &size) < 0 || size < offset + VIRTIO_MMIO_CONFIG + 8 ||
	    addr0 + offset != vmmio_platform_base(devname)) {
		VMMIO_LOG(ERR, "dev=%s: %s map 0 (0x%" PRIx64 " + 0x%" PRIx64 ", 0x%" PRIx64 " bytes) does not hold the registers",
			devname, uio, addr0, offset, size);
		return -ENODEV;
	}
	snprintf(path, sizeof(path), "/dev/%s", uio);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		VMMIO_LOG(ERR, "dev=%s: cannot open %s: %s", devname, path, strerror(errno));
		return ret;
	}
	/* UIO lets any number of processes open the device: only one may drive it. */
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		ret = errno == EWOULDBLOCK ? -EBUSY : -errno;
		if (ret == -EBUSY)
			VMMIO_LOG(ERR, "dev=%s (%s) is used by another process", devname, path);
		else
			VMMIO_LOG(ERR, "dev=%s: cannot lock %s: %s", devname, path, strerror(-ret));
		close(fd);
		return ret;
	}
	/* Map N of a UIO device is at offset N pages of its file. */
	addr = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (addr == MAP_FAILED) {
		ret = -errno;
		VMMIO_LOG(ERR, "dev=%s: mmap of %s map 0 failed: %s", devname, path,
			strerror(errno));
		close(fd);
		return ret;
	}
	hw->fd = fd;
	hw->reg_off = 0;
	hw->base = (uint8_t *)addr + offset;
	hw->reg = &vmmio_reg_mmap_ops;
	*map_addr = addr;
	*map_len = size;
	return 0;
}

void
vmmio_uio_close(struct vmmio_hw *hw, void *map_addr, size_t map_len)
{
	if (map_addr != NULL)
		munmap(map_addr, map_len);
	if (hw->fd >= 0)
		close(hw->fd);
	hw->fd = -1;
	hw->base = NULL;
}

/* uio_pdrv_genirq's irqcontrol: 1 unmasks the line, 0 masks it. */
static int
uio_irq_control(struct vmmio_hw *hw, int32_t on)
{
	if (write(hw->fd, &on, sizeof(on)) != sizeof(on))
		return -errno;
	return 0;
}

int
vmmio_uio_irq_check(struct vmmio_hw *hw)
{
	return uio_irq_control(hw, 0);
}

static int
uio_line_open(struct vmmio_hw *hw)
{
	struct stat st;
	char path[64];
	int fd;

	/* A new open file: its own event count. /dev/uioN has minor N. */
	if (fstat(hw->fd, &st) != 0)
		return -errno;
	snprintf(path, sizeof(path), "/dev/uio%u", minor(st.st_rdev));
	fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	return fd >= 0 ? fd : -errno;
}

static int
uio_line_set(struct vmmio_hw *hw, int fd)
{
	return uio_irq_control(hw, fd >= 0);
}

static int
uio_line_unmask(struct vmmio_hw *hw)
{
	return uio_irq_control(hw, 1);
}

const struct vmmio_irq_ops vmmio_uio_irq_ops = {
	.name = "uio",
	.open = uio_line_open,
	.set = uio_line_set,
	.unmask = uio_line_unmask,
	.count_size = sizeof(int32_t),
	.wakeable = false,
};
