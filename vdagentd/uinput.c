/* SPDX-License-Identifier: MIT */
/* The pointer device: state and I/O common to the real and fake backends. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "uinput-backend.h"
#include "uinput.h"
#include "vdp-util.h"

struct vda_uinput {
	const struct vda_uinput_backend *backend;
	char *path;
	int fd;
	uint32_t width;
	uint32_t height;
};

struct vda_uinput *vda_uinput_new(const char *path, bool fake)
{
	struct vda_uinput *u = zalloc(sizeof(*u));

	if (!u)
		return NULL;
	u->path = strdup(path);
	if (!u->path) {
		free(u);
		return NULL;
	}
	u->backend = fake ? &vda_uinput_backend_fake : &vda_uinput_backend_real;
	u->fd = -1;
	return u;
}

static void uinput_close(struct vda_uinput *u)
{
	if (u->fd < 0)
		return;
	u->backend->close(u->fd);
	u->fd = -1;
}

void vda_uinput_free(struct vda_uinput *u)
{
	if (!u)
		return;
	uinput_close(u);
	free(u->path);
	free(u);
}

const char *vda_uinput_backend_name(const struct vda_uinput *u)
{
	return u->backend->name;
}

int vda_uinput_open(struct vda_uinput *u)
{
	int fd;

	if (u->fd >= 0)
		return 0;
	if (u->width == 0 || u->height == 0)
		return -EINVAL;
	fd = u->backend->open(u->path, u->width, u->height);
	if (fd < 0)
		return fd;
	u->fd = fd;
	return 1;
}

int vda_uinput_set_size(struct vda_uinput *u, uint32_t width, uint32_t height)
{
	if (width == 0 || height == 0)
		return -EINVAL;
	if (u->width == width && u->height == height)
		return 0;
	u->width = width;
	u->height = height;
	if (!u->backend->recreate_on_resize)
		return 0;
	/* Create the new device now so the X server sees it before the next event. */
	uinput_close(u);
	return vda_uinput_open(u);
}

ssize_t vda_uinput_write(struct vda_uinput *u, const void *buf, size_t size)
{
	ssize_t w;

	if (u->fd < 0)
		return -EBADF;
	do {
		w = write(u->fd, buf, size);
	} while (w < 0 && errno == EINTR);
	if (w >= 0)
		return w;
	/* A FIFO whose reader is slow: the caller keeps the events. */
	if (errno == EAGAIN || errno == EWOULDBLOCK)
		return 0;
	/*
	 * Reader gone (EPIPE), device removed (ENODEV), file system full
	 * (ENOSPC): start over with a fresh device next time.
	 */
	int r = -errno;

	uinput_close(u);
	return r;
}

int vda_uinput_fd(const struct vda_uinput *u)
{
	return u->fd;
}
