/* SPDX-License-Identifier: MIT */
/* A GLib source that dispatches the events of an Xlib connection. */
#pragma once

#include <X11/Xlib.h>
#include <glib.h>

typedef void (*x11_event_func)(XEvent *ev, void *user);

/* Attach to the default main context.  The source flushes the output
 * buffer before the loop sleeps and also runs when Xlib already holds
 * queued events.  Returns the source id. */
guint x11_source_add(Display *dpy, x11_event_func func, void *user);
