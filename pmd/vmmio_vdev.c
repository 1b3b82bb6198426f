/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bus/vdev driver "net_virtio_mmio": DPDK 22.11 has no platform bus, so the
 * port is created from --vdev net_virtio_mmio0,dev=<platform device>[,access=...]
 * and the device is opened in probe, through vfio-platform or UIO
 * (uio_pdrv_genirq), whichever it is bound to.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bus_vdev_driver.h>
#include <ethdev_driver.h>
#include <rte_kvargs.h>

#include "vmmio_ethdev.h"
#include "vmmio_log.h"
#include "vmmio_rxintr.h"
#include "vmmio_uio.h"
#include "vmmio_vfio.h"

#define VMMIO_ARG_DEV		"dev"
#define VMMIO_ARG_ACCESS	"access"
#define VMMIO_ARG_KMOD		"kmod"
#define VMMIO_ARG_EVENT_IDX	"event_idx"
#define VMMIO_ARG_PACKED	"packed"
#define VMMIO_ARG_INDIRECT	"indirect"
#define VMMIO_ARG_STATUS_CHECK	"status_check_ms"
#define VMMIO_ARG_RX_INTR	"rx_intr"
#define VMMIO_ARG_INTR_BUDGET	"intr_budget"

/* Status check period of a port without interrupt line (milliseconds). */
#define VMMIO_STATUS_CHECK_MS	100
#define VMMIO_STATUS_CHECK_MAX	60000

static const char * const vmmio_valid_args[] = {
	VMMIO_ARG_DEV,
	VMMIO_ARG_ACCESS,
	VMMIO_ARG_KMOD,
	VMMIO_ARG_EVENT_IDX,
	VMMIO_ARG_PACKED,
	VMMIO_ARG_INDIRECT,
	VMMIO_ARG_STATUS_CHECK,
	VMMIO_ARG_RX_INTR,
	VMMIO_ARG_INTR_BUDGET,
	NULL,
};

struct vmmio_args {
	char dev[64];
	enum vmmio_access access;
	enum vmmio_kmod kmod;
	uint64_t features_off;	/**< feature bits the user turned off */
	uint32_t status_check_ms;
	bool rx_intr_swring;
	uint32_t intr_budget;
};

static int
arg_dev(const char *key, const char *value, void *opaque)
{
	struct vmmio_args *a = opaque;

	RTE_SET_USED(key);
	if (value == NULL || value[0] == '\0' ||
	    strlen(value) >= sizeof(a->dev) || strchr(value, '/') != NULL)
		return -EINVAL;
	snprintf(a->dev, sizeof(a->dev), "%s", value);
	return 0;
}

/* Index of @p value among a devarg's @p n choices, or -EINVAL. */
static int
arg_choice(const char *value, const char * const names[], int n)
{
	int i;

	for (i = 0; value != NULL && i < n; i++)
		if (strcmp(value, names[i]) == 0)
			return i;
	return -EINVAL;
}

/* access=auto|mmap|pread, in enum vmmio_access order. */
static int
arg_access(const char *key, const char *value, void *opaque)
{
	static const char * const names[] = { "auto", "mmap", "pread" };
	struct vmmio_args *a = opaque;
	int i = arg_choice(value, names, RTE_DIM(names));

	RTE_SET_USED(key);
	if (i < 0)
		return i;
	a->access = (enum vmmio_access)i;
	return 0;
}

/*
 * kmod=auto|vfio|uio, in enum vmmio_kmod order: the kernel interface
 * (default: the driver the device is bound to).
 */
static int
arg_kmod(const char *key, const char *value, void *opaque)
{
	static const char * const names[] = { "auto", "vfio", "uio" };
	struct vmmio_args *a = opaque;
	int i = arg_choice(value, names, RTE_DIM(names));

	RTE_SET_USED(key);
	if (i < 0)
		return i;
	a->kmod = (enum vmmio_kmod)i;
	return 0;
}

/*
 * <key>=0|1 for a feature negotiated when offered (1, the default) or
 * never (0): event_idx (VIRTIO_F_EVENT_IDX, 2.7.10, 2.8.10), packed
 * (VIRTIO_F_RING_PACKED, 2.8), indirect (VIRTIO_RING_F_INDIRECT_DESC,
 * 2.7.5.3, 2.8.19).
 */
static int
arg_feature(const char *key, const char *value, void *opaque)
{
	struct vmmio_args *a = opaque;
	uint64_t bit = strcmp(key, VMMIO_ARG_PACKED) == 0 ?
		VIRTIO_BIT(VIRTIO_F_RING_PACKED) :
		strcmp(key, VMMIO_ARG_INDIRECT) == 0 ?
		VIRTIO_BIT(VIRTIO_RING_F_INDIRECT_DESC) :
		VIRTIO_BIT(VIRTIO_RING_F_EVENT_IDX);

	if (value != NULL && strcmp(value, "0") == 0)
		a->features_off |= bit;
	else if (value != NULL && strcmp(value, "1") == 0)
		a->features_off &= ~bit;
	else
		return -EINVAL;
	return 0;
}

/* A whole decimal number in @p min..@p max. */
static int
parse_u32(const char *value, uint32_t min, uint32_t max, uint32_t *out)
{
	unsigned long v;
	char *end;

	if (value == NULL || value[0] < '0' || value[0] > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(value, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

/* status_check_ms=0..60000: Status (and, rx_intr=direct, link) check period. */
static int
arg_status_check(const char *key, const char *value, void *opaque)
{
	struct vmmio_args *a = opaque;

	RTE_SET_USED(key);
	return parse_u32(value, 0, VMMIO_STATUS_CHECK_MAX, &a->status_check_ms);
}

/* rx_intr=direct|swring: interrupt-mode RX scheme (vmmio_rxintr.h; default direct). */
static int
arg_rx_intr(const char *key, const char *value, void *opaque)
{
	static const char * const names[] = { "direct", "swring" };
	struct vmmio_args *a = opaque;
	int i = arg_choice(value, names, RTE_DIM(names));

	RTE_SET_USED(key);
	if (i < 0)
		return i;
	a->rx_intr_swring = i == 1;
	return 0;
}

/* intr_budget=32..4096: frames per RX queue per line event (swring). */
static int
arg_intr_budget(const char *key, const char *value, void *opaque)
{
	struct vmmio_args *a = opaque;

	RTE_SET_USED(key);
	return parse_u32(value, VMMIO_RXINTR_BUDGET_MIN, VMMIO_RXINTR_BUDGET_MAX,
		&a->intr_budget);
}

static int
parse_args(const char *name, const char *params, struct vmmio_args *a)
{
	struct rte_kvargs *kv;
	int ret = 0;

	memset(a, 0, sizeof(*a));
	a->status_check_ms = VMMIO_STATUS_CHECK_MS;
	a->intr_budget = VMMIO_RXINTR_BUDGET_DEFAULT;
	kv = rte_kvargs_parse(params != NULL ? params : "", vmmio_valid_args);
	if (kv == NULL) {
		VMMIO_LOG(ERR, "%s: bad devargs \"%s\" (valid: dev=<platform device>,access=auto|mmap|pread,kmod=auto|vfio|uio,event_idx=0|1,packed=0|1,indirect=0|1,status_check_ms=0..60000,rx_intr=direct|swring,intr_budget=%u..%u)",
			name, params != NULL ? params : "", VMMIO_RXINTR_BUDGET_MIN,
			VMMIO_RXINTR_BUDGET_MAX);
		return -EINVAL;
	}
	if (rte_kvargs_count(kv, VMMIO_ARG_DEV) != 1) {
		VMMIO_LOG(ERR, "%s: exactly one dev=<platform device> is required, "
			"e.g. dev=a003e00.virtio_mmio", name);
		ret = -EINVAL;
	} else if (rte_kvargs_process(kv, VMMIO_ARG_DEV, arg_dev, a) < 0) {
		VMMIO_LOG(ERR, "%s: bad dev= value", name);
		ret = -EINVAL;
	} else if (rte_kvargs_process(kv, VMMIO_ARG_ACCESS, arg_access, a) < 0) {
		VMMIO_LOG(ERR, "%s: access= must be auto, mmap or pread", name);
		ret = -EINVAL;
	} else if (rte_kvargs_process(kv, VMMIO_ARG_KMOD, arg_kmod, a) < 0) {
		VMMIO_LOG(ERR, "%s: kmod= must be auto, vfio or uio", name);
		ret = -EINVAL;
	} else if (rte_kvargs_process(kv, VMMIO_ARG_EVENT_IDX, arg_feature, a) < 0) {
		VMMIO_LOG(ERR, "%s: event_idx= must be 0 or 1", name);
		ret = -EINVAL;
	} else if (rte_kvargs_process(kv, VMMIO_ARG_PACKED, arg_feature, a) < 0) {
		VMMIO_LOG(ERR, "%s: packed= must be 0 or 1", name);
		ret = -EINVAL;
	} else if (rte_kvargs_process(kv, VMMIO_ARG_INDIRECT, arg_feature, a) < 0) {
		VMMIO_LOG(ERR, "%s: indirect= must be 0 or 1", name);
		ret = -EINVAL;
	} else if (rte_kvargs_process(kv, VMMIO_ARG_STATUS_CHECK, arg_status_check, a) < 0) {
		VMMIO_LOG(ERR, "%s: status_check_ms= must be 0..%u (0: no check)", name,
			VMMIO_STATUS_CHECK_MAX);
		ret = -EINVAL;
	} else if (rte_kvargs_process(kv, VMMIO_ARG_RX_INTR, arg_rx_intr, a) < 0) {
		VMMIO_LOG(ERR, "%s: rx_intr= must be direct or swring", name);
		ret = -EINVAL;
	} else if (rte_kvargs_process(kv, VMMIO_ARG_INTR_BUDGET, arg_intr_budget, a) < 0) {
		VMMIO_LOG(ERR, "%s: intr_budget= must be %u..%u frames", name,
			VMMIO_RXINTR_BUDGET_MIN, VMMIO_RXINTR_BUDGET_MAX);
		ret = -EINVAL;
	}
	rte_kvargs_free(kv);
	return ret;
}

/* The device's kernel interface: how it is opened, closed and interrupted. */
struct vmmio_kmod_ops {
	/** Open the device and map or reach its registers (vmmio_vfio_open). */
	int (*open)(const char *devname, enum vmmio_access access,
		struct vmmio_hw *hw, void **map_addr, size_t *map_len);
	/** Undo open, before a port exists. */
	void (*close)(const char *devname, struct vmmio_hw *hw, void *map_addr,
		size_t map_len);
	/** Undo open at port close (vmmio_adapter.release). */
	void (*release)(struct vmmio_adapter *ad);
	/** 0 if the device has a usable interrupt line, else negative errno. */
	int (*irq_check)(struct vmmio_hw *hw);
	/** The interrupt line (vmmio_hw.irq). */
	const struct vmmio_irq_ops *irq;
};

static void
vfio_release(struct vmmio_adapter *ad)
{
	vmmio_vfio_close(ad->devname, &ad->hw, ad->map_addr, ad->map_len);
	ad->map_addr = NULL;
}

static int
vfio_irq_check(struct vmmio_hw *hw)
{
	return vmmio_vfio_irq_check(hw->fd);
}

static void
uio_close(const char *devname, struct vmmio_hw *hw, void *map_addr, size_t map_len)
{
	RTE_SET_USED(devname);
	vmmio_uio_close(hw, map_addr, map_len);
}

static void
uio_release(struct vmmio_adapter *ad)
{
	vmmio_uio_close(&ad->hw, ad->map_addr, ad->map_len);
	ad->map_addr = NULL;
}

static const struct vmmio_kmod_ops kmod_vfio = {
	.open = vmmio_vfio_open,
	.close = vmmio_vfio_close,
	.release = vfio_release,
	.irq_check = vfio_irq_check,
	.irq = &vmmio_vfio_irq_ops,
};

static const struct vmmio_kmod_ops kmod_uio = {
	.open = vmmio_uio_open,
	.close = uio_close,
	.release = uio_release,
	.irq_check = vmmio_uio_irq_check,
	.irq = &vmmio_uio_irq_ops,
};

static int
vmmio_vdev_probe(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	const struct vmmio_kmod_ops *kops;
	struct vmmio_hw hw = { .fd = -1 };
	struct vmmio_adapter *ad;
	struct vmmio_args args;
	void *map_addr;
	size_t map_len;
	uint16_t port;
	int owner, ret;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY) {
		VMMIO_LOG(ERR, "%s: secondary processes are not supported", name);
		return -ENOTSUP;
	}
	ret = parse_args(name, rte_vdev_device_args(vdev), &args);
	if (ret < 0) {
		vmmio_platform_log_bound();
		return ret;
	}
	/* Before the device is opened: a second open would share (and reset) the first port's. */
	owner = vmmio_ethdev_find(args.dev);
	if (owner >= 0) {
		VMMIO_LOG(ERR, "%s: dev=%s is already used by port %d", name, args.dev,
			owner);
		return -EBUSY;
	}
	ret = vmmio_platform_check(args.dev, &args.kmod);
	if (ret < 0)
		return ret;
	kops = args.kmod == VMMIO_KMOD_UIO ? &kmod_uio : &kmod_vfio;
	ret = kops->open(args.dev, args.access, &hw, &map_addr, &map_len);
	if (ret < 0)
		return ret;
	hw.features_off = args.features_off;
	hw.status_check_ms = args.status_check_ms;
	hw.rx_intr_swring = args.rx_intr_swring;
	hw.intr_budget = (uint16_t)args.intr_budget;
	ret = vmmio_ethdev_create(name, &hw, args.dev, &vdev->device,
		vdev->device.numa_node, &port);
	if (ret < 0) {
		kops->close(args.dev, &hw, map_addr, map_len);
		return ret;
	}
	ad = rte_eth_devices[port].data->dev_private;
	ad->map_addr = map_addr;
	ad->map_len = map_len;
	ad->release = kops->release;
	ret = kops->irq_check(&ad->hw);
	if (ret == 0)
		vmmio_ethdev_set_irq(port, kops->irq);
	else
		VMMIO_LOG(NOTICE, "%s: dev=%s has no usable %s interrupt (%s): "
			"polling only", name, args.dev, kops->irq->name, strerror(-ret));
	return 0;
}

static int
vmmio_vdev_remove(struct rte_vdev_device *vdev)
{
	return vmmio_ethdev_destroy(rte_vdev_device_name(vdev));
}

static struct rte_vdev_driver vmmio_vdev_driver = {
	.probe = vmmio_vdev_probe,
	.remove = vmmio_vdev_remove,
};

RTE_PMD_REGISTER_VDEV(net_virtio_mmio, vmmio_vdev_driver);
RTE_PMD_REGISTER_PARAM_STRING(net_virtio_mmio,
	"dev=<platform device, e.g. a003e00.virtio_mmio> access=auto|mmap|pread "
	"kmod=auto|vfio|uio "
	"event_idx=0|1 packed=0|1 indirect=0|1 status_check_ms=<0-60000> rx_intr=direct|swring "
	"intr_budget=<32-4096>");
