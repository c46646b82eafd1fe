/* SPDX-License-Identifier: MIT */
/* A GLib source that dispatches the events of a Wayland connection. */
#pragma once

#include <glib.h>
#include <wayland-client.h>

/* Called once when the connection fails or the compositor goes away. */
typedef void (*wl_source_error_func)(void *user);

/* Attach to the default main context: flushes requests before the loop
 * sleeps, reads and dispatches events when the socket is readable.
 * Returns the source id. */
guint wl_source_add(struct wl_display *d, wl_source_error_func on_error,
		    void *user);
