// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-platform reset handler for virtio-mmio transports (DT compatible
 * "virtio,mmio"), part of the virtio-mmio PMD lab.
 *
 * vfio_platform_common calls it when a device is opened and when its last
 * fd is released, including when the process holding it died (kill -9).
 * Without it a crashed DPDK application leaves the device in DRIVER_OK with
 * its virtqueues pointing into hugepages the kernel has already freed; the
 * device may go on writing received frames there until the next probe.
 *
 * The reset is the transport's own (virtio 1.2):
 * - 4.2.2 (MMIO device register layout): MagicValue at 0x000 reads
 *   0x74726976, Version at 0x004, DeviceID at 0x008; writing 0 to Status
 *   (0x070) triggers a device reset. The legacy interface (Version 1,
 *   4.2.4) has the same registers at the same offsets and resets the same
 *   way.
 * - 4.2.3.1 (device initialization): a driver must ignore a device whose
 *   MagicValue or Version is wrong, and must not touch any other register
 *   of a transport with DeviceID 0 (no device behind it).
 * - 2.1 (device status field), 2.4 (device reset): the device sets Status
 *   to 0 on reset, and the driver should consider a reset complete when it
 *   reads Status as 0; after that the device uses no buffer and sends no
 *   notification.
 */

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/io.h>
#include <linux/iopoll.h>

#include "../vfio_platform_private.h"

#define DRIVER_DESC	"Reset support for virtio-mmio vfio platform devices"

#define VIRTIO_MMIO_MAGIC_VALUE	0x000
#define VIRTIO_MMIO_VERSION	0x004
#define VIRTIO_MMIO_DEVICE_ID	0x008
#define VIRTIO_MMIO_STATUS	0x070
#define VIRTIO_MMIO_MIN_SIZE	0x100

#define VIRTIO_MMIO_MAGIC	0x74726976	/* "virt" */

/*
 * QEMU resets synchronously inside the Status write; a real device may take
 * longer, so poll, sleeping between reads (open and release may sleep).
 */
#define VIRTIO_MMIO_RESET_POLL_US	1000
#define VIRTIO_MMIO_RESET_TIMEOUT_US	(100 * 1000)

static int vfio_platform_virtio_mmio_reset(struct vfio_platform_device *vdev)
{
	struct vfio_platform_region *reg = &vdev->regions[0];
	u32 magic, version, status;
	int ret;

	if (vdev->num_regions < 1 || reg->size < VIRTIO_MMIO_MIN_SIZE)
		return -EINVAL;
	if (!reg->ioaddr) {
		reg->ioaddr = ioremap(reg->addr, reg->size);
		if (!reg->ioaddr)
			return -ENOMEM;
	}

	magic = readl(reg->ioaddr + VIRTIO_MMIO_MAGIC_VALUE);
	if (magic != VIRTIO_MMIO_MAGIC) {
		dev_warn(vdev->device, "MagicValue 0x%08x, not virtio-mmio: no reset\n",
			 magic);
		return -ENODEV;
	}
	version = readl(reg->ioaddr + VIRTIO_MMIO_VERSION);
	if (version != 1 && version != 2) {
		dev_warn(vdev->device, "virtio-mmio Version %u unknown: no reset\n",
			 version);
		return -ENODEV;
	}
	/* An empty transport: nothing to reset, nothing else to touch. */
	if (readl(reg->ioaddr + VIRTIO_MMIO_DEVICE_ID) == 0)
		return 0;

	writel(0, reg->ioaddr + VIRTIO_MMIO_STATUS);
	ret = readl_poll_timeout(reg->ioaddr + VIRTIO_MMIO_STATUS, status,
				 status == 0, VIRTIO_MMIO_RESET_POLL_US,
				 VIRTIO_MMIO_RESET_TIMEOUT_US);
	if (ret) {
		dev_warn(vdev->device, "reset: Status still 0x%x after %d ms\n",
			 status, VIRTIO_MMIO_RESET_TIMEOUT_US / 1000);
		return -ETIMEDOUT;
	}
	return 0;
}

module_vfio_reset_handler("virtio,mmio", vfio_platform_virtio_mmio_reset);

MODULE_LICENSE("GPL v2");
MODULE_DESCRIPTION(DRIVER_DESC);
