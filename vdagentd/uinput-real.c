/* SPDX-License-Identifier: MIT */
/* A real absolute pointer device created through /dev/uinput. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/uinput.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "uinput-backend.h"
#include "vdp-util.h"

/* The reference daemon's device name: xorg.conf and udev rules match on it. */
#define DEVICE_NAME "spice vdagent tablet"

static const unsigned int device_keys[] = {
	BTN_LEFT, BTN_MIDDLE, BTN_RIGHT, BTN_SIDE, BTN_EXTRA,
};

static int set_bits(int fd)
{
	if (ioctl(fd, UI_SET_EVBIT, EV_KEY) < 0 ||
	    ioctl(fd, UI_SET_EVBIT, EV_REL) < 0 ||
	    ioctl(fd, UI_SET_EVBIT, EV_ABS) < 0 ||
	    ioctl(fd, UI_SET_RELBIT, REL_WHEEL) < 0 ||
	    ioctl(fd, UI_SET_ABSBIT, ABS_X) < 0 ||
	    ioctl(fd, UI_SET_ABSBIT, ABS_Y) < 0)
		return -errno;
	for (size_t i = 0; i < ARRAY_LENGTH(device_keys); i++)
		if (ioctl(fd, UI_SET_KEYBIT, device_keys[i]) < 0)
			return -errno;
	return 0;
}

static const struct input_id device_id = {
	.bustype = BUS_VIRTUAL,
	.version = 1,
};

/* Kernel >= 4.5. */
static int setup_modern(int fd, uint32_t width, uint32_t height)
{
	struct uinput_setup setup = { .id = device_id };
	struct uinput_abs_setup abs_x = {
		.code = ABS_X,
		.absinfo = { .minimum = 0, .maximum = (int32_t)width - 1 },
	};
	struct uinput_abs_setup abs_y = {
		.code = ABS_Y,
		.absinfo = { .minimum = 0, .maximum = (int32_t)height - 1 },
	};

	memcpy(setup.name, DEVICE_NAME, sizeof(DEVICE_NAME));
	if (ioctl(fd, UI_DEV_SETUP, &setup) < 0 ||
	    ioctl(fd, UI_ABS_SETUP, &abs_x) < 0 ||
	    ioctl(fd, UI_ABS_SETUP, &abs_y) < 0)
		return -errno;
	return 0;
}

/* Older kernels: the device description is written to the fd. */
static int setup_legacy(int fd, uint32_t width, uint32_t height)
{
	struct uinput_user_dev dev = { .id = device_id };

	memcpy(dev.name, DEVICE_NAME, sizeof(DEVICE_NAME));
	dev.absmax[ABS_X] = (int32_t)width - 1;
	dev.absmax[ABS_Y] = (int32_t)height - 1;
	ssize_t w = write(fd, &dev, sizeof(dev));

	if (w < 0)
		return -errno;
	return w == (ssize_t)sizeof(dev) ? 0 : -EIO;
}

static int real_open(const char *path, uint32_t width, uint32_t height)
{
	int fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	int r;

	if (fd < 0)
		return -errno;
	r = set_bits(fd);
	if (r == 0) {
		r = setup_modern(fd, width, height);
		if (r == -ENOTTY || r == -EINVAL)
			r = setup_legacy(fd, width, height);
	}
	if (r == 0 && ioctl(fd, UI_DEV_CREATE) < 0)
		r = -errno;
	if (r < 0) {
		close(fd);
		return r;
	}
	return fd;
}

static void real_close(int fd)
{
	ioctl(fd, UI_DEV_DESTROY);
	close(fd);
}

const struct vda_uinput_backend vda_uinput_backend_real = {
	.name = "uinput",
	.recreate_on_resize = true,
	.open = real_open,
	.close = real_close,
};
