/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Register access backends. VFIO exposes the virtio-mmio window as region 0 of
 * the device fd; when the region is mmap-capable the registers are plain MMIO
 * (rte_read/rte_write, with the I/O barriers DPDK defines per architecture),
 * otherwise every access is a pread/pwrite system call at the region offset.
 */
#include <unistd.h>

#include <rte_io.h>

#include "vmmio_hw.h"
#include "vmmio_log.h"

static uint32_t
reg_mmap_read(struct vmmio_hw *hw, uint32_t off, unsigned int width)
{
	void *a = (uint8_t *)hw->base + off;

	switch (width) {
	case 1:
		return rte_read8(a);
	case 2:
		return rte_read16(a);
	default:
		return rte_read32(a);
	}
}

static void
reg_mmap_write(struct vmmio_hw *hw, uint32_t off, uint32_t val,
	unsigned int width)
{
	void *a = (uint8_t *)hw->base + off;

	switch (width) {
	case 1:
		rte_write8((uint8_t)val, a);
		break;
	case 2:
		rte_write16((uint16_t)val, a);
		break;
	default:
		rte_write32(val, a);
		break;
	}
}

const struct vmmio_reg_ops vmmio_reg_mmap_ops = {
	.name = "mmap",
	.read = reg_mmap_read,
	.write = reg_mmap_write,
};

static uint32_t
reg_pread_read(struct vmmio_hw *hw, uint32_t off, unsigned int width)
{
	uint32_t v32 = 0;
	uint16_t v16 = 0;
	uint8_t v8 = 0;
	void *buf = width == 1 ? (void *)&v8 : width == 2 ? (void *)&v16 : (void *)&v32;
	ssize_t r;

	/* Registers are little-endian, like both hosts this runs on. */
	r = pread(hw->fd, buf, width, hw->reg_off + off);
	if (r != (ssize_t)width) {
		VMMIO_LOG(ERR, "pread of register 0x%03x failed", off);
		return UINT32_MAX;
	}
	return width == 1 ? v8 : width == 2 ? v16 : v32;
}

static void
reg_pread_write(struct vmmio_hw *hw, uint32_t off, uint32_t val,
	unsigned int width)
{
	uint16_t v16 = (uint16_t)val;
	uint8_t v8 = (uint8_t)val;
	const void *buf = width == 1 ? (void *)&v8 : width == 2 ? (void *)&v16 : (void *)&val;

	if (pwrite(hw->fd, buf, width, hw->reg_off + off) != (ssize_t)width)
		VMMIO_LOG(ERR, "pwrite of register 0x%03x failed", off);
}

const struct vmmio_reg_ops vmmio_reg_pread_ops = {
	.name = "pread",
	.read = reg_pread_read,
	.write = reg_pread_write,
};
