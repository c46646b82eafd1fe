/* SPDX-License-Identifier: MIT */
/*
 * Monitor layout through RandR 1.2+: apply the client's MONITORS_CONFIG to
 * the X outputs and describe the current layout for the daemon.
 *
 * Display id N is the N-th output of the screen's resources unless the
 * client's GRAPHICS_DEVICE_INFO names a connector for it.
 */
#pragma once

#include <X11/Xlib.h>
#include <stdbool.h>

#include "vdp-ipc.h"
#include "vdp-validate.h"

struct x11_randr;

/* Fails (NULL) when the server has no RandR 1.2 or later. */
struct x11_randr *x11_randr_new(Display *dpy);
void x11_randr_free(struct x11_randr *r);

/* Feed every X event; returns true when the screen layout changed
 * (RRScreenChangeNotify or a CRTC/output change). */
bool x11_randr_handle_event(struct x11_randr *r, const XEvent *ev);

/* Apply a validated MONITORS_CONFIG.  Returns 0 or negative errno. */
int x11_randr_apply(struct x11_randr *r, const struct vdp_monitors_config *mc);

/* Virtual GPUs (qxl, virtio-gpu) may take the client's monitor config
 * themselves and publish it as their connectors' preferred modes (and,
 * qxl, "suggested X/Y" positions).  Call after RandR events: when every
 * output is a virtual GPU's (a "hotplug_mode_update" property, or an EDID
 * made by QEMU) and a preferred mode, position or connection changed since
 * the last call, the outputs are set to it, as a desktop environment
 * would.  A user's own
 * xrandr settings are left alone until the host changes something again.
 * Returns true when the layout was set. */
bool x11_randr_follow_preferred(struct x11_randr *r);

/* Set the display id -> connector name map from GRAPHICS_DEVICE_INFO
 * (names resolved through libdrm); NULL clears it. */
void x11_randr_set_device_info(struct x11_randr *r,
			       const struct vdp_graphics_device_info *info);

/* The current layout: screen size and each enabled output that has a
 * display id.  Returns 0 or negative errno. */
int x11_randr_get_layout(struct x11_randr *r,
			 struct vdp_ipc_screen_layout *out);
