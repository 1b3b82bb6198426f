/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VMMIO_LOG_H
#define VMMIO_LOG_H

#include <rte_log.h>

/** Dynamic log type "pmd.net.virtio_mmio" (registered in vmmio_ethdev.c). */
extern int vmmio_logtype;

#define VMMIO_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, vmmio_logtype, "virtio_mmio: " fmt "\n", \
		## __VA_ARGS__)

#endif /* VMMIO_LOG_H */
