/* SPDX-License-Identifier: MIT */
/* The dispatch table behind uinput.c: one per kind of pointer device. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct vda_uinput_backend {
	const char *name;
	/* A size change needs a new device (the range is fixed at creation). */
	bool recreate_on_resize;
	/* Open (and create) the device for 0..width-1 x 0..height-1: an fd or -errno. */
	int (*open)(const char *path, uint32_t width, uint32_t height);
	/* Remove the device and close fd. */
	void (*close)(int fd);
};

extern const struct vda_uinput_backend vda_uinput_backend_real;
extern const struct vda_uinput_backend vda_uinput_backend_fake;
