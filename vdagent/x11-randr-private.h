/* SPDX-License-Identifier: MIT */
/*
 * Shared by x11-randr.c (the client's monitors config) and
 * x11-randr-follow.c (the preferred modes of virtual GPUs).
 */
#pragma once

#include <X11/extensions/Xrandr.h>

#include "x11-randr.h"

struct follow_output;

struct x11_randr {
	Display *dpy;
	Window root;
	int event_base;
	int error_base;
	int min_w, min_h, max_w, max_h;
	/* connector name per display id, from GRAPHICS_DEVICE_INFO */
	char *connector[VDP_MONITORS_MAX];
	/* what x11-randr-follow.c saw last */
	struct follow_output *seen;
	int nseen;
};

/* What one output should look like. */
struct wanted {
	bool enabled;
	uint32_t w, h;
	int32_t x, y;
	uint16_t w_mm, h_mm;
	RRMode mode; /* None: one of w x h is found or created */
};

/* Set every output of res as want[i] (res->noutput entries) says, the
 * screen to their bounding box.  The caller grabs the server around it.
 * Returns 0 or negative errno. */
int x11_randr_apply_outputs(struct x11_randr *r, XRRScreenResources *res,
			    const struct wanted *want);

/* Take the first look at the outputs (x11-randr-follow.c); free it. */
void x11_randr_follow_init(struct x11_randr *r);
void x11_randr_follow_free(struct x11_randr *r);
