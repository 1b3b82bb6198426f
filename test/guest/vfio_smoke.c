/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Guest smoke test for the vfio-platform lab: open each virtio-mmio device
 * through VFIO (no-IOMMU), read its registers by mmap (when the region allows
 * it, see usertools/kernel-patches/0002-vfio-platform-map-subpage.patch) or
 * by pread/pwrite on the device fd, and check MagicValue, Version, DeviceID
 * and the MAC address in the config space. Plain <linux/vfio.h>, no DPDK.
 * --access uio does the same through a device bound to uio_pdrv_genirq:
 * map 0 of /dev/uioN is the window's page (sysfs maps/map0/offset), and a
 * 4-byte write to the device file masks its interrupt line.
 *
 * Usage: vfio_smoke [--version 1|2] [--access auto|mmap|pread|uio] [--reads N]
 *                   [--leave-running] DEV=MAC...
 *   e.g. vfio_smoke --version 2 a003e00.virtio_mmio=52:54:00:12:34:01
 * --access mmap fails a device whose region cannot be mmapped; pread uses
 * pread/pwrite even when mmap is possible; auto (default) prefers mmap.
 * --leave-running: after the checks, set ACKNOWLEDGE and DRIVER and exit
 * with the device fds still open, like an application that exits without
 * resetting its device; the kernel releases them at exit (test/guest/reset.sh
 * checks that vfio-platform's reset handler then resets the device).
 * Exit status 0 only if every device passes.
 */

#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/vfio.h>

#define PLATFORM_DEVICES "/sys/bus/platform/devices"

#define VIRTIO_MMIO_MAGIC_VALUE	0x000
#define VIRTIO_MMIO_VERSION	0x004
#define VIRTIO_MMIO_DEVICE_ID	0x008
#define VIRTIO_MMIO_VENDOR_ID	0x00c
#define VIRTIO_MMIO_STATUS	0x070
#define VIRTIO_MMIO_CONFIG	0x100

#define VIRTIO_MMIO_MAGIC	0x74726976 /* "virt" */
#define VIRTIO_ID_NET		1
#define VIRTIO_STATUS_ACK	1
#define VIRTIO_STATUS_DRIVER	2

enum access_mode {
	ACCESS_AUTO,
	ACCESS_MMAP,
	ACCESS_PREAD,
	ACCESS_UIO,
};

struct smoke_dev {
	const char *name;
	uint8_t mac[6];
	int container;
	int group;
	int fd;
	uint64_t phys;			/* region 0 physical base */
	struct vfio_region_info reg;
	volatile uint8_t *map;		/* page mapping, NULL for pread */
	size_t map_len;
	size_t map_off;			/* registers' offset inside the page */
	int io_error;
};

static char fail_msg[256];

static int
fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(fail_msg, sizeof(fail_msg), fmt, ap);
	va_end(ap);
	return -1;
}

static uint32_t
reg_read32(struct smoke_dev *d, uint32_t off)
{
	uint32_t v;

	if (d->map != NULL)
		return *(volatile uint32_t *)(d->map + d->map_off + off);
	if (pread(d->fd, &v, sizeof(v), d->reg.offset + off) != sizeof(v)) {
		d->io_error = errno ? errno : EIO;
		return UINT32_MAX;
	}
	return v;
}

static void
reg_write32(struct smoke_dev *d, uint32_t off, uint32_t v)
{
	if (d->map != NULL) {
		*(volatile uint32_t *)(d->map + d->map_off + off) = v;
		return;
	}
	if (pwrite(d->fd, &v, sizeof(v), d->reg.offset + off) != sizeof(v))
		d->io_error = errno ? errno : EIO;
}

static uint8_t
reg_read8(struct smoke_dev *d, uint32_t off)
{
	uint8_t v;

	if (d->map != NULL)
		return *(d->map + d->map_off + off);
	if (pread(d->fd, &v, sizeof(v), d->reg.offset + off) != sizeof(v)) {
		d->io_error = errno ? errno : EIO;
		return UINT8_MAX;
	}
	return v;
}

static int
parse_mac(const char *s, uint8_t mac[6])
{
	unsigned int b[6];
	char extra;
	int i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3],
			&b[4], &b[5], &extra) != 6)
		return -1;
	for (i = 0; i < 6; i++) {
		if (b[i] > 0xff)
			return -1;
		mac[i] = b[i];
	}
	return 0;
}

/*
 * Physical base of the device's first region: of_node/reg (big-endian,
 * #address-cells = 2 on QEMU virt), else the unit address in the device
 * name ("a003e00.virtio_mmio"). VFIO itself does not report it.
 */
static int
device_phys_base(const char *name, uint64_t *base)
{
	char path[PATH_MAX];
	unsigned char cells[8];
	char *end;
	FILE *f;
	int i;

	snprintf(path, sizeof(path), PLATFORM_DEVICES "/%s/of_node/reg", name);
	f = fopen(path, "rb");
	if (f != NULL) {
		if (fread(cells, 1, sizeof(cells), f) == sizeof(cells)) {
			fclose(f);
			*base = 0;
			for (i = 0; i < 8; i++)
				*base = (*base << 8) | cells[i];
			return 0;
		}
		fclose(f);
	}
	errno = 0;
	*base = strtoull(name, &end, 16);
	if (errno != 0 || end == name || *end != '.')
		return -1;
	return 0;
}

static int
open_group(const char *name)
{
	char path[PATH_MAX], link[PATH_MAX], dev[64];
	unsigned long grp;
	const char *p;
	char *end;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), PLATFORM_DEVICES "/%s/iommu_group", name);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return fail("no iommu_group for %s (not bound to vfio-platform?)",
			name);
	link[n] = '\0';
	p = strrchr(link, '/');
	p = p != NULL ? p + 1 : link;
	errno = 0;
	grp = strtoul(p, &end, 10);
	if (errno != 0 || end == p || *end != '\0')
		return fail("unexpected iommu_group link %s", link);
	/* no-IOMMU groups are /dev/vfio/noiommu-N */
	snprintf(dev, sizeof(dev), "/dev/vfio/noiommu-%lu", grp);
	fd = open(dev, O_RDWR);
	if (fd < 0 && errno == ENOENT) {
		snprintf(dev, sizeof(dev), "/dev/vfio/%lu", grp);
		fd = open(dev, O_RDWR);
	}
	if (fd < 0)
		return fail("open %s: %s", dev, strerror(errno));
	return fd;
}

static int
vfio_open(struct smoke_dev *d, enum access_mode mode)
{
	struct vfio_group_status gs = { .argsz = sizeof(gs) };
	struct vfio_device_info di = { .argsz = sizeof(di) };
	long page = sysconf(_SC_PAGESIZE);
	void *m;

	d->container = open("/dev/vfio/vfio", O_RDWR);
	if (d->container < 0)
		return fail("open /dev/vfio/vfio: %s", strerror(errno));
	if (ioctl(d->container, VFIO_GET_API_VERSION) != VFIO_API_VERSION)
		return fail("unknown VFIO API version");
	if (ioctl(d->container, VFIO_CHECK_EXTENSION, VFIO_NOIOMMU_IOMMU) != 1)
		return fail("VFIO no-IOMMU mode not available (enable_unsafe_noiommu_mode=1?)");
	d->group = open_group(d->name);
	if (d->group < 0)
		return -1;
	if (ioctl(d->group, VFIO_GROUP_GET_STATUS, &gs) < 0)
		return fail("VFIO_GROUP_GET_STATUS: %s", strerror(errno));
	if (!(gs.flags & VFIO_GROUP_FLAGS_VIABLE))
		return fail("VFIO group not viable");
	if (ioctl(d->group, VFIO_GROUP_SET_CONTAINER, &d->container) < 0)
		return fail("VFIO_GROUP_SET_CONTAINER: %s", strerror(errno));
	if (ioctl(d->container, VFIO_SET_IOMMU, VFIO_NOIOMMU_IOMMU) < 0)
		return fail("VFIO_SET_IOMMU(NOIOMMU): %s", strerror(errno));
	d->fd = ioctl(d->group, VFIO_GROUP_GET_DEVICE_FD, d->name);
	if (d->fd < 0)
		return fail("VFIO_GROUP_GET_DEVICE_FD: %s", strerror(errno));
	if (ioctl(d->fd, VFIO_DEVICE_GET_INFO, &di) < 0)
		return fail("VFIO_DEVICE_GET_INFO: %s", strerror(errno));
	if (!(di.flags & VFIO_DEVICE_FLAGS_PLATFORM) || di.num_regions < 1)
		return fail("not a vfio-platform device with a region (flags 0x%x, %u regions)",
			di.flags, di.num_regions);
	d->reg.argsz = sizeof(d->reg);
	d->reg.index = 0;
	if (ioctl(d->fd, VFIO_DEVICE_GET_REGION_INFO, &d->reg) < 0)
		return fail("VFIO_DEVICE_GET_REGION_INFO: %s", strerror(errno));
	if (d->reg.size < VIRTIO_MMIO_CONFIG + 6)
		return fail("region 0 too small (0x%llx bytes)",
			(unsigned long long)d->reg.size);
	if (device_phys_base(d->name, &d->phys) < 0)
		return fail("cannot find the physical base of %s", d->name);

	if (mode == ACCESS_PREAD)
		return 0;
	if (!(d->reg.flags & VFIO_REGION_INFO_FLAG_MMAP)) {
		if (mode == ACCESS_MMAP)
			return fail("region 0 is not mmappable (flags 0x%x; vfio-platform map_subpage=0?)",
				d->reg.flags);
		return 0;
	}
	/*
	 * A page-sized region maps as is. A sub-page one (map_subpage) maps
	 * the whole page that contains it: the registers are at the
	 * physical base's offset inside that page.
	 */
	if (d->reg.size >= (uint64_t)page && !(d->phys & (page - 1))) {
		d->map_len = d->reg.size;
		d->map_off = 0;
	} else {
		d->map_len = page;
		d->map_off = d->phys & (page - 1);
	}
	m = mmap(NULL, d->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, d->fd,
		d->reg.offset);
	if (m == MAP_FAILED)
		return fail("mmap of region 0 (%zu bytes): %s", d->map_len,
			strerror(errno));
	d->map = m;
	return 0;
}

/* One number of /sys/class/uio/<uio>/maps/map0/<attr> (printed as 0x...). */
static int
uio_map0(const char *uio, const char *attr, unsigned long long *v)
{
	char path[PATH_MAX], buf[32];
	FILE *f;
	int ret = -1;

	snprintf(path, sizeof(path), "/sys/class/uio/%s/maps/map0/%s", uio, attr);
	f = fopen(path, "r");
	if (f == NULL)
		return -1;
	if (fgets(buf, sizeof(buf), f) != NULL) {
		*v = strtoull(buf, NULL, 0);
		ret = 0;
	}
	fclose(f);
	return ret;
}

static int
uio_open(struct smoke_dev *d)
{
	unsigned long long off = 0, size = 0;
	char path[PATH_MAX], uio[64] = "";
	int32_t mask = 0;
	struct dirent *e;
	DIR *dir;
	void *m;

	snprintf(path, sizeof(path), PLATFORM_DEVICES "/%s/uio", d->name);
	dir = opendir(path);
	if (dir == NULL)
		return fail("%s has no UIO device (bound to uio_pdrv_genirq?)", d->name);
	while ((e = readdir(dir)) != NULL)
		if (strncmp(e->d_name, "uio", 3) == 0 && strlen(e->d_name) < sizeof(uio))
			strcpy(uio, e->d_name);
	closedir(dir);
	if (uio[0] == '\0')
		return fail("%s: empty %s", d->name, path);
	if (uio_map0(uio, "offset", &off) < 0 || uio_map0(uio, "size", &size) < 0 ||
	    size < off + VIRTIO_MMIO_CONFIG + 6)
		return fail("%s: no map 0 holding the window (offset 0x%llx size 0x%llx)",
			uio, off, size);
	if (device_phys_base(d->name, &d->phys) < 0)
		return fail("cannot find the physical base of %s", d->name);
	snprintf(path, sizeof(path), "/dev/%s", uio);
	d->fd = open(path, O_RDWR);
	if (d->fd < 0)
		return fail("open %s: %s", path, strerror(errno));
	/* uio_pdrv_genirq's interrupt control: 0 masks the line */
	if (write(d->fd, &mask, sizeof(mask)) != sizeof(mask))
		return fail("%s: no interrupt control: %s", path, strerror(errno));
	m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, d->fd, 0);
	if (m == MAP_FAILED)
		return fail("mmap of %s map 0 (0x%llx bytes): %s", path, size,
			strerror(errno));
	if ((d->phys & (sysconf(_SC_PAGESIZE) - 1)) != off)
		return fail("%s: window offset 0x%llx in map 0, physical base 0x%" PRIx64,
			uio, off, d->phys);
	d->map = m;
	d->map_len = size;
	d->map_off = off;
	d->reg.size = size - off;
	return 0;
}

static void
vfio_close(struct smoke_dev *d)
{
	if (d->map != NULL)
		munmap((void *)d->map, d->map_len);
	if (d->fd >= 0)
		close(d->fd);
	if (d->group >= 0)
		close(d->group);
	if (d->container >= 0)
		close(d->container);
}

static double
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int
check_device(struct smoke_dev *d, unsigned int want_version,
	     unsigned int reads, double *read_us)
{
	uint32_t magic, version, id, status;
	uint8_t mac[6];
	unsigned int i;
	double t0;

	magic = reg_read32(d, VIRTIO_MMIO_MAGIC_VALUE);
	if (d->io_error)
		return fail("register read failed: %s", strerror(d->io_error));
	if (magic != VIRTIO_MMIO_MAGIC)
		return fail("MagicValue 0x%08x, expected 0x%08x", magic,
			VIRTIO_MMIO_MAGIC);
	version = reg_read32(d, VIRTIO_MMIO_VERSION);
	if (version != want_version)
		return fail("Version %u, expected %u", version, want_version);
	id = reg_read32(d, VIRTIO_MMIO_DEVICE_ID);
	if (id != VIRTIO_ID_NET)
		return fail("DeviceID %u, expected %u (net)", id, VIRTIO_ID_NET);
	for (i = 0; i < 6; i++)
		mac[i] = reg_read8(d, VIRTIO_MMIO_CONFIG + i);
	if (d->io_error)
		return fail("config space read failed: %s",
			strerror(d->io_error));
	if (memcmp(mac, d->mac, 6) != 0)
		return fail("MAC %02x:%02x:%02x:%02x:%02x:%02x, expected %02x:%02x:%02x:%02x:%02x:%02x",
			mac[0], mac[1], mac[2], mac[3], mac[4], mac[5],
			d->mac[0], d->mac[1], d->mac[2], d->mac[3], d->mac[4],
			d->mac[5]);
	/* Write path: reset, ACKNOWLEDGE, read back, reset again. */
	reg_write32(d, VIRTIO_MMIO_STATUS, 0);
	reg_write32(d, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACK);
	status = reg_read32(d, VIRTIO_MMIO_STATUS);
	reg_write32(d, VIRTIO_MMIO_STATUS, 0);
	if (d->io_error)
		return fail("Status register access failed: %s",
			strerror(d->io_error));
	if (status != VIRTIO_STATUS_ACK)
		return fail("Status read back 0x%x after writing ACKNOWLEDGE",
			status);
	t0 = now_us();
	for (i = 0; i < reads; i++)
		(void)reg_read32(d, VIRTIO_MMIO_VENDOR_ID);
	*read_us = reads ? (now_us() - t0) / reads : 0;
	if (d->io_error)
		return fail("register read failed: %s", strerror(d->io_error));
	return 0;
}

/* Status bits are added one at a time; the driver never clears one (2.1.1). */
static int
leave_running(struct smoke_dev *d)
{
	uint32_t status;

	reg_write32(d, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACK);
	reg_write32(d, VIRTIO_MMIO_STATUS,
		VIRTIO_STATUS_ACK | VIRTIO_STATUS_DRIVER);
	status = reg_read32(d, VIRTIO_MMIO_STATUS);
	if (d->io_error)
		return fail("Status register access failed: %s",
			strerror(d->io_error));
	if (status != (VIRTIO_STATUS_ACK | VIRTIO_STATUS_DRIVER))
		return fail("Status read back 0x%x after ACKNOWLEDGE|DRIVER",
			status);
	return 0;
}

static void
usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [--version 1|2] [--access auto|mmap|pread|uio] [--reads N] [--leave-running] DEV=MAC...\n"
		"  e.g. %s --version 2 a003e00.virtio_mmio=52:54:00:12:34:01\n",
		prog, prog);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "version", required_argument, NULL, 'v' },
		{ "access", required_argument, NULL, 'a' },
		{ "reads", required_argument, NULL, 'r' },
		{ "leave-running", no_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum access_mode mode = ACCESS_AUTO;
	unsigned int want_version = 2, reads = 1000;
	int opt, i, failed = 0, leave = 0;

	while ((opt = getopt_long(argc, argv, "v:a:r:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'v':
			want_version = strtoul(optarg, NULL, 0);
			if (want_version != 1 && want_version != 2) {
				usage(argv[0]);
				return 2;
			}
			break;
		case 'a':
			if (strcmp(optarg, "auto") == 0)
				mode = ACCESS_AUTO;
			else if (strcmp(optarg, "mmap") == 0)
				mode = ACCESS_MMAP;
			else if (strcmp(optarg, "pread") == 0)
				mode = ACCESS_PREAD;
			else if (strcmp(optarg, "uio") == 0)
				mode = ACCESS_UIO;
			else {
				usage(argv[0]);
				return 2;
			}
			break;
		case 'r':
			reads = strtoul(optarg, NULL, 0);
			break;
		case 'L':
			leave = 1;
			break;
		default:
			usage(argv[0]);
			return opt == 'h' ? 0 : 2;
		}
	}
	if (optind >= argc) {
		usage(argv[0]);
		return 2;
	}

	for (i = optind; i < argc; i++) {
		struct smoke_dev d = { .container = -1, .group = -1, .fd = -1 };
		char *arg = strdup(argv[i]);
		char *eq = arg != NULL ? strchr(arg, '=') : NULL;
		char access[48];
		double read_us = 0;
		int rc;

		fail_msg[0] = '\0';
		if (eq == NULL || parse_mac(eq + 1, d.mac) < 0) {
			printf("FAIL %s: expected DEV=MAC (like a003e00.virtio_mmio=52:54:00:12:34:01)\n",
				argv[i]);
			failed++;
			free(arg);
			continue;
		}
		*eq = '\0';
		d.name = arg;
		rc = mode == ACCESS_UIO ? uio_open(&d) : vfio_open(&d, mode);
		if (rc == 0)
			rc = check_device(&d, want_version, reads, &read_us);
		if (rc == 0 && leave)
			rc = leave_running(&d);
		if (d.map != NULL)
			snprintf(access, sizeof(access), "%s(page+0x%zx)",
				mode == ACCESS_UIO ? "uio" : "mmap", d.map_off);
		else
			snprintf(access, sizeof(access), "pread");
		if (rc == 0)
			printf("PASS %s: access=%s version=%u id=%u mac=%s region=0x%llx@0x%" PRIx64 " flags=0x%x read=%.2fus\n",
				d.name, access, want_version, VIRTIO_ID_NET,
				eq + 1, (unsigned long long)d.reg.size, d.phys,
				d.reg.flags, read_us);
		else {
			printf("FAIL %s: access=%s: %s\n", d.name, access,
				fail_msg);
			failed++;
		}
		/* --leave-running: the fds stay open until exit closes them. */
		if (!leave)
			vfio_close(&d);
		free(arg);
	}
	printf("vfio_smoke: %d passed, %d failed\n", argc - optind - failed,
		failed);
	return failed ? 1 : 0;
}
