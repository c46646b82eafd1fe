/* SPDX-License-Identifier: MIT */
/* Port backend: a character device such as a virtio-serial port. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "port.h"

static int chardev_open(const char *path)
{
	int fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);

	return fd < 0 ? -errno : fd;
}

const struct port_backend port_backend_chardev = {
	.name = "character device",
	.open = chardev_open,
	.udev_hotplug = true,
};
