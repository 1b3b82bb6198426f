/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The interrupt line's file descriptors, one shape for every backend
 * (struct vmmio_irq_ops): a fd to sleep on, a fd to wake that sleeper, and
 * one call that consumes an event and lets the next one through. With an
 * eventfd backend (vfio-platform) the three are the same eventfd; with UIO,
 * whose device file cannot be written to wake a reader, the sleeper waits
 * on an epoll set holding the device file and a wake eventfd.
 */
#ifndef VMMIO_IRQFD_H
#define VMMIO_IRQFD_H

#include <stdbool.h>

#include "vmmio_hw.h"

/** File descriptors of one user of the line (closed: all -1). */
struct vmmio_irqfd {
	int line;	/**< signalled by the backend at each line event */
	int wake;	/**< eventfd the driver writes to wake the sleeper */
	int poll;	/**< what the sleeper waits on (epoll or poll, EPOLLIN) */
	bool dead;	/**< @c line failed a read (device gone): no longer read */
};

/** Initializer of a closed struct vmmio_irqfd. */
#define VMMIO_IRQFD_CLOSED	((struct vmmio_irqfd){ .line = -1, .wake = -1, .poll = -1 })

/**
 * vmmio_irq_ops.open of a backend that signals an eventfd the driver
 * supplies (VFIO_DEVICE_SET_IRQS, the unit tests' device model).
 *
 * @param hw
 *   The device (unused).
 * @return A non-blocking, close-on-exec eventfd, or the negative errno of eventfd().
 */
int vmmio_irqfd_eventfd(struct vmmio_hw *hw);

/**
 * Open the line's fd through the backend (hw->irq->open) and, for a backend
 * whose fd is not an eventfd, a wake eventfd and an epoll set of both.
 * The line is not routed yet (hw->irq->set). Control thread.
 *
 * @param hw
 *   Device with an interrupt backend (hw->irq != NULL).
 * @param[out] f
 *   Filled in; all -1 on failure.
 * @return 0, or the negative errno of open/eventfd/epoll_create1/epoll_ctl.
 */
int vmmio_irqfd_open(struct vmmio_hw *hw, struct vmmio_irqfd *f);

/**
 * Close what vmmio_irqfd_open opened (each fd once) and mark @p f closed.
 *
 * @param f
 *   The fds; closed ones (-1) are skipped.
 */
void vmmio_irqfd_close(struct vmmio_irqfd *f);

/**
 * Wake whoever waits on f->poll (one eventfd write), e.g. for work found
 * without an interrupt. Any thread.
 *
 * @param f
 *   Open fds.
 * @return true if the write went through.
 */
bool vmmio_irqfd_kick(const struct vmmio_irqfd *f);

/**
 * Consume the events pending on @p f (line count and wakes; non-blocking)
 * and, if the line signalled an event since the last drain, unmask it
 * (hw->irq->unmask: a UIO line is masked only together with an event) so
 * that the next event is signalled. The caller then reads and acknowledges
 * InterruptStatus (spec 4.2.2): an edge of the line comes only after that.
 * A line whose read fails (UIO device unbound) is logged once, taken out
 * of the epoll set so that it cannot keep its sleeper busy, and not read
 * again. Called by the thread that owns the line (EAL interrupt thread, or
 * the lcore in direct mode).
 *
 * @param hw
 *   The device.
 * @param f
 *   Open fds of this user of the line.
 * @param name
 *   Port name for log lines.
 * @return 0, or the negative errno of a failed read (the line is dead).
 */
int vmmio_irqfd_drain(struct vmmio_hw *hw, struct vmmio_irqfd *f, const char *name);

#endif /* VMMIO_IRQFD_H */
