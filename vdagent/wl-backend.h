/* SPDX-License-Identifier: MIT */
/*
 * The Wayland session backend: the layout from wl_output and xdg-output
 * (wl-outputs.h, wl-layout.h) behind the backend table.
 */
#pragma once

#include <wayland-client.h>

#include "backend.h"

struct wl_backend_args {
	struct wl_display *display; /* stays owned by the caller */
	/* the connection to the compositor failed: the session is over */
	void (*gone)(void *user);
	void *gone_user;
	/* Opens Xwayland's display (a Display *, owned by the caller), or
	 * NULL; may be NULL.  Called only when the compositor offers no
	 * data-control protocol: Xwayland's selections then carry the
	 * clipboard (mutter bridges both selections between X and Wayland
	 * clients). */
	void *(*open_x11)(void *user);
	void *open_x11_user;
};

/* arg: a struct wl_backend_args *.  Takes a lock in $XDG_RUNTIME_DIR so
 * that one agent serves one Wayland display. */
struct backend *wl_backend_open(void *arg, const struct backend_events *ev,
				void *user, bool *already_running);
