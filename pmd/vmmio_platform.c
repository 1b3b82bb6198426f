/* SPDX-License-Identifier: BSD-3-Clause */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vmmio_log.h"
#include "vmmio_platform.h"

#define SYSFS_DRIVERS	"/sys/bus/platform/drivers"

/* " dev dev ..." bound to @p drv, or " none". */
static void
list_bound(const char *drv, char *buf, size_t len)
{
	char path[PATH_MAX];
	struct dirent *e;
	size_t used = 0;
	DIR *d;

	buf[0] = '\0';
	snprintf(path, sizeof(path), SYSFS_DRIVERS "/%s", drv);
	d = opendir(path);
	while (d != NULL && (e = readdir(d)) != NULL && used < len) {
		if (strstr(e->d_name, "virtio_mmio") == NULL)
			continue;
		used += snprintf(buf + used, len - used, " %s", e->d_name);
	}
	if (d != NULL)
		closedir(d);
	if (buf[0] == '\0')
		snprintf(buf, len, " none");
}

static void
log_bound(const char *prefix)
{
	char vfio[256], uio[256];

	list_bound(VMMIO_DRV_VFIO, vfio, sizeof(vfio));
	list_bound(VMMIO_DRV_UIO, uio, sizeof(uio));
	VMMIO_LOG(ERR, "%svirtio-mmio devices bound to " VMMIO_DRV_VFIO ":%s; to "
		VMMIO_DRV_UIO ":%s", prefix, vfio, uio);
}

void
vmmio_platform_log_bound(void)
{
	log_bound("");
}

static bool
driver_loaded(const char *drv)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), SYSFS_DRIVERS "/%s", drv);
	return stat(path, &st) == 0;
}

static const char *
kmod_driver(enum vmmio_kmod kmod)
{
	return kmod == VMMIO_KMOD_UIO ? VMMIO_DRV_UIO : VMMIO_DRV_VFIO;
}

static void
log_not_loaded(enum vmmio_kmod kmod)
{
	if (kmod == VMMIO_KMOD_UIO)
		VMMIO_LOG(ERR, "uio_pdrv_genirq module not loaded (load uio and uio_pdrv_genirq)");
	else
		VMMIO_LOG(ERR, "vfio or vfio-platform module not loaded "
			"(load vfio with enable_unsafe_noiommu_mode=1 and vfio-platform)");
}

int
vmmio_platform_check(const char *devname, enum vmmio_kmod *kmod)
{
	char path[PATH_MAX], link[PATH_MAX], prefix[128];
	const char *drv;
	struct stat st;
	ssize_t n;

	if (*kmod != VMMIO_KMOD_AUTO && !driver_loaded(kmod_driver(*kmod))) {
		log_not_loaded(*kmod);
		return -ENODEV;
	}
	snprintf(path, sizeof(path), VMMIO_SYSFS_PLATFORM "/%s", devname);
	if (stat(path, &st) != 0) {
		snprintf(prefix, sizeof(prefix), "dev=%s: no such platform device; ",
			devname);
		log_bound(prefix);
		return -ENODEV;
	}
	snprintf(path, sizeof(path), VMMIO_SYSFS_PLATFORM "/%s/driver", devname);
	n = readlink(path, link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	drv = strrchr(link, '/');
	drv = drv != NULL ? drv + 1 : "no driver";
	if (*kmod == VMMIO_KMOD_AUTO) {
		if (strcmp(drv, VMMIO_DRV_VFIO) == 0) {
			*kmod = VMMIO_KMOD_VFIO;
		} else if (strcmp(drv, VMMIO_DRV_UIO) == 0) {
			*kmod = VMMIO_KMOD_UIO;
		} else if (!driver_loaded(VMMIO_DRV_VFIO) && !driver_loaded(VMMIO_DRV_UIO)) {
			VMMIO_LOG(ERR, "neither vfio-platform nor uio_pdrv_genirq is loaded "
				"(load one, see doc/user-guide.md)");
			return -ENODEV;
		} else {
			VMMIO_LOG(ERR, "dev=%s is bound to %s, not vfio-platform or uio_pdrv_genirq "
				"(usertools/vmmio-devbind --bind %s %s)", devname, drv,
				driver_loaded(VMMIO_DRV_VFIO) ? VMMIO_DRV_VFIO : VMMIO_DRV_UIO,
				devname);
			return -ENODEV;
		}
		return 0;
	}
	if (strcmp(drv, kmod_driver(*kmod)) != 0) {
		VMMIO_LOG(ERR, "dev=%s is bound to %s, not %s (usertools/vmmio-devbind --bind %s %s)",
			devname, drv, kmod_driver(*kmod), kmod_driver(*kmod), devname);
		return -ENODEV;
	}
	return 0;
}

uint64_t
vmmio_platform_base(const char *devname)
{
	return strtoull(devname, NULL, 16);
}
