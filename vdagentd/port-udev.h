/* SPDX-License-Identifier: MIT */
/* Follows the virtio-ports subsystem with a libudev monitor, so that the
 * port device disappearing and coming back (hot-unplug/plug) is handled
 * without a restart and without polling. */
#pragma once

struct port;
struct port_udev;

/* NULL when udev is not usable here (the port then retries on a timer). */
struct port_udev *port_udev_new(struct port *p);
void port_udev_free(struct port_udev *u);
