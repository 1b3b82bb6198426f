/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <rte_common.h>

#include "vmmio_irqfd.h"
#include "vmmio_log.h"

static int
epoll_add(int ep, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) == 0 ? 0 : -errno;
}

int
vmmio_irqfd_eventfd(struct vmmio_hw *hw)
{
	int fd;

	RTE_SET_USED(hw);
	fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	return fd >= 0 ? fd : -errno;
}

int
vmmio_irqfd_open(struct vmmio_hw *hw, struct vmmio_irqfd *f)
{
	int ret;

	*f = VMMIO_IRQFD_CLOSED;
	ret = hw->irq->open(hw);
	if (ret < 0)
		return ret;
	f->line = ret;
	if (hw->irq->wakeable) {
		f->wake = f->line;
		f->poll = f->line;
		return 0;
	}
	/*
	 * An epoll fd is readable while a member is: the sleeper's epoll
	 * (the application's, or EAL's) sees the line and the wakes as one fd.
	 */
	f->wake = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (f->wake < 0) {
		ret = -errno;
		goto fail;
	}
	f->poll = epoll_create1(EPOLL_CLOEXEC);
	if (f->poll < 0) {
		ret = -errno;
		goto fail;
	}
	ret = epoll_add(f->poll, f->line);
	if (ret == 0)
		ret = epoll_add(f->poll, f->wake);
	if (ret == 0)
		return 0;
fail:
	vmmio_irqfd_close(f);
	return ret;
}

void
vmmio_irqfd_close(struct vmmio_irqfd *f)
{
	if (f->poll >= 0 && f->poll != f->line)
		close(f->poll);
	if (f->wake >= 0 && f->wake != f->line)
		close(f->wake);
	if (f->line >= 0)
		close(f->line);
	*f = VMMIO_IRQFD_CLOSED;
}

bool
vmmio_irqfd_kick(const struct vmmio_irqfd *f)
{
	uint64_t one = 1;

	return write(f->wake, &one, sizeof(one)) == sizeof(one);
}

int
vmmio_irqfd_drain(struct vmmio_hw *hw, struct vmmio_irqfd *f, const char *name)
{
	uint64_t cnt;
	ssize_t n;
	int ret;

	if (f->wake != f->line && read(f->wake, &cnt, sizeof(cnt)) < 0 &&
	    errno != EAGAIN)
		VMMIO_LOG(ERR, "%s: reading the wake eventfd failed: %s", name,
			strerror(errno));
	if (f->dead)
		return -EIO;
	/* A UIO read must be exactly its 4-byte count; an eventfd's 8 bytes. */
	n = read(f->line, &cnt, hw->irq->count_size);
	if (n < 0 && errno != EAGAIN && errno != EINTR) {
		ret = -errno;
		f->dead = true;
		/* A dead UIO file stays readable: out of the set, or the sleeper spins. */
		if (f->poll != f->line)
			epoll_ctl(f->poll, EPOLL_CTL_DEL, f->line, NULL);
		VMMIO_LOG(ERR, "%s: the %s interrupt line failed (%s): no more interrupts",
			name, hw->irq->name, strerror(-ret));
		return ret;
	}
	if (n != hw->irq->count_size || hw->irq->unmask == NULL)
		return 0;
	ret = hw->irq->unmask(hw);
	if (ret < 0)
		VMMIO_LOG(ERR, "%s: unmasking the %s interrupt line failed: %s", name,
			hw->irq->name, strerror(-ret));
	return 0;
}
