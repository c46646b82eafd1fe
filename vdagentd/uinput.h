/* SPDX-License-Identifier: MIT */
/*
 * The pointer device behind vdagentd/mouse.c: either a real uinput device
 * (/dev/uinput, ioctls) or "fake uinput", a FIFO or file that receives the
 * same struct input_event records (what Xspice reads).  The backend is chosen
 * once in vda_uinput_new(); see uinput-real.c and uinput-fake.c.
 */
#pragma once

#include <linux/input.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct vda_uinput;

/* No I/O; NULL only when out of memory. */
struct vda_uinput *vda_uinput_new(const char *path, bool fake);
void vda_uinput_free(struct vda_uinput *u);

/*
 * Absolute range of the device: 0..width-1, 0..height-1.  The real backend
 * (re)creates the device when the size differs; the fake one only records it.
 */
int vda_uinput_set_size(struct vda_uinput *u, uint32_t width, uint32_t height);

/*
 * Open the device if it is not open: returns 1 when it was (re)opened now
 * (a fresh device: no position known, every key up), 0 when it was already
 * open, or a negative errno.
 */
int vda_uinput_open(struct vda_uinput *u);

/*
 * One write() of size bytes (whole or partial struct input_event records)
 * to the open device.  Returns how many bytes it took: size, fewer (a FIFO
 * with little room), or 0 when it takes nothing now (EAGAIN: wait until
 * vda_uinput_fd() is writable).  A negative errno means the device is gone
 * (reader left, device removed, disk full) and was closed;
 * vda_uinput_open() makes a fresh one.
 */
ssize_t vda_uinput_write(struct vda_uinput *u, const void *buf, size_t size);

/* The open device's fd (to wait for it to be writable), or -1. */
int vda_uinput_fd(const struct vda_uinput *u);

/* Name of the backend ("uinput" or "fake"), for logs. */
const char *vda_uinput_backend_name(const struct vda_uinput *u);
