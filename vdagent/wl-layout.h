/* SPDX-License-Identifier: MIT */
/*
 * The SCREEN_LAYOUT of a Wayland session, from what the compositor says
 * about its outputs.  Pure: no Wayland, no GLib, unit-tested.
 *
 * Compositors map absolute pointer input to the bounding box of their
 * outputs in logical coordinates; the daemon adds the client's pixel
 * coordinates on a display to that display's position.  So the layout
 * is the logical one scaled to pixels (by the largest pixel/logical
 * ratio of the outputs, exact when every output has the same scale),
 * its bounding box moved to 0,0, each display as big as its mode.
 *
 * Display ids: the client's GRAPHICS_DEVICE_INFO connector names when
 * given; otherwise, when every output is named PREFIX-N (N >= 1, as DRM
 * connectors and headless outputs are) with distinct N, id N-1;
 * otherwise the position of the output in name order.
 */
#pragma once

#include <stdint.h>

#include "vdp-ipc.h"

#define WL_LAYOUT_NAME_MAX 64

struct wl_layout_output {
	char name[WL_LAYOUT_NAME_MAX]; /* "" when the compositor gave none */
	int32_t x, y;          /* logical position */
	int32_t lw, lh;        /* logical size, > 0 */
	int32_t pw, ph;        /* pixel size (the mode, transformed), > 0 */
};

/* Copies a compositor's output name into dst (WL_LAYOUT_NAME_MAX
 * bytes): truncated, anything but printable ASCII replaced by '_'. */
void wl_layout_set_name(char *dst, const char *name);

/* The display id of each output (id[i], -1 for none), by the rules
 * above; n <= VDP_IPC_MAX_DISPLAYS. */
void wl_layout_ids(const struct wl_layout_output *outs, unsigned n,
		   char *const *connector, unsigned ncon, int *id);

/* connector[id]: the connector name of display id, or NULL (ncon may be
 * 0).  Outputs with a bad size, or no id, are left out.  Returns 0,
 * -EINVAL when no output is usable or the box is too big for the IPC. */
int wl_layout_build(const struct wl_layout_output *outs, unsigned n,
		    char *const *connector, unsigned ncon,
		    struct vdp_ipc_screen_layout *out);
