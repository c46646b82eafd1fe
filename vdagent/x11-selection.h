/* SPDX-License-Identifier: MIT */
/*
 * The X side of the clipboard: CLIPBOARD and PRIMARY, each an explicit
 * ownership state machine (see x11-selection.c), bridging X selection
 * conversions and the daemon's on-demand clipboard messages.
 */
#pragma once

#include <X11/Xlib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct x11_selection;

/* What the X side tells the daemon. */
struct x11_selection_ops {
	void (*grab)(void *user, uint8_t sel, const uint32_t *types,
		     uint32_t count);
	void (*release)(void *user, uint8_t sel);
	void (*request)(void *user, uint8_t sel, uint32_t type);
	/* type VDP_CLIPBOARD_NONE (and no data): the request failed */
	void (*data)(void *user, uint8_t sel, uint32_t type,
		     const uint8_t *data, size_t size);
};

struct x11_selection *x11_selection_new(Display *dpy,
					const struct x11_selection_ops *ops,
					void *user);
void x11_selection_free(struct x11_selection *s);

/* Feed every X event; true when it was ours. */
bool x11_selection_handle_event(struct x11_selection *s, XEvent *ev);

/* The client's line-ending wish and MAX_CLIPBOARD (<= 0: none). */
void x11_selection_set_client(struct x11_selection *s, bool crlf,
			      int32_t max_clipboard);

/* What the daemon tells the X side. */
void x11_selection_client_grab(struct x11_selection *s, uint8_t sel,
			       const uint32_t *types, uint32_t count);
void x11_selection_client_release(struct x11_selection *s, uint8_t sel);
void x11_selection_client_request(struct x11_selection *s, uint8_t sel,
				  uint32_t type);
/* Takes ownership of data (malloc'd, may be NULL when size is 0). */
void x11_selection_client_data(struct x11_selection *s, uint8_t sel,
			       uint32_t type, uint8_t *data, size_t size);
/* The client or the daemon went away: drop what it owned. */
void x11_selection_client_gone(struct x11_selection *s);
/* After (re)connecting: announce what guest apps currently own. */
void x11_selection_resend_grabs(struct x11_selection *s);
