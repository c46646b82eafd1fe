/* SPDX-License-Identifier: MIT */
/*
 * Fake uinput (-f): struct input_event records written to a FIFO or file,
 * no ioctls.  Xspice creates the FIFO and reads EV_ABS ABS_X/ABS_Y in desktop
 * pixels, EV_KEY BTN_LEFT/MIDDLE/RIGHT and EV_REL REL_WHEEL (+1 up, -1 down).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "uinput-backend.h"

static int fake_open(const char *path, uint32_t width, uint32_t height)
{
	/*
	 * Non-blocking: a FIFO without reader fails with ENXIO instead of
	 * waiting, and a full one takes nothing (EAGAIN) instead of stalling
	 * the daemon: mouse.c keeps the events until the FIFO has room.  No
	 * O_CREAT: the reader (Xspice) creates the FIFO.
	 */
	int fd = open(path, O_WRONLY | O_APPEND | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

static void fake_close(int fd)
{
	close(fd);
}

const struct vda_uinput_backend vda_uinput_backend_fake = {
	.name = "fake",
	.recreate_on_resize = false,
	.open = fake_open,
	.close = fake_close,
};
