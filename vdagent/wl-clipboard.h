/* SPDX-License-Identifier: MIT */
/*
 * The clipboard of a Wayland session through a data-control protocol
 * (wlr-data-control v2 or ext-data-control v1, wl-data-control-protocol.h):
 * a client of the compositor with no surface and no focus that sees and
 * sets CLIPBOARD and, where offered, PRIMARY.
 *
 * Per selection, the ownership state machine of the X11 backend:
 *
 *   NONE   --selection event with an offer we carry: GRAB---> GUEST
 *   GUEST  --selection event: nothing, or nothing we carry:
 *             RELEASE----------------------------------------> NONE
 *   any    --client GRAB: our source becomes the selection---> CLIENT
 *   CLIENT --source cancelled (a guest app took it)----------> NONE
 *             (the selection event that follows leads to GUEST)
 *   CLIENT --client RELEASE / client gone: source destroyed--> NONE
 *
 * Data moves only on request, through pipes watched by the main loop (no
 * transfer blocks it): a client REQUEST in GUEST reads the offer; a guest
 * application's paste in CLIENT waits for the client's DATA (one REQUEST
 * per type, cached until the next grab: clip-cache.h, shared with the X11
 * backend) and is written to its pipe.
 * While our source is the selection, the selection events it causes are
 * ours and ignored, so our grabs never echo.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wayland-client.h>

#include "backend.h"

struct wl_clip;

struct wl_clip *wl_clip_new(struct wl_display *d,
			    const struct backend_events *ev, void *user);
void wl_clip_free(struct wl_clip *c);

/* Registry events: true when the global was ours (seat, managers). */
bool wl_clip_global(struct wl_clip *c, struct wl_registry *reg,
		    uint32_t name, const char *iface, uint32_t version);
/* After the globals are known: bind the best data-control protocol
 * offered.  Returns its name, or NULL when there is none. */
const char *wl_clip_start(struct wl_clip *c, struct wl_registry *reg);

/* What the daemon says (semantics of x11-selection.h). */
void wl_clip_set_client(struct wl_clip *c, bool crlf, int32_t max_clipboard);
void wl_clip_client_grab(struct wl_clip *c, uint8_t sel,
			 const uint32_t *types, uint32_t count);
void wl_clip_client_release(struct wl_clip *c, uint8_t sel);
void wl_clip_client_request(struct wl_clip *c, uint8_t sel, uint32_t type);
/* Takes ownership of data (malloc'd, may be NULL when size is 0). */
void wl_clip_client_data(struct wl_clip *c, uint8_t sel, uint32_t type,
			 uint8_t *data, size_t size);
void wl_clip_client_gone(struct wl_clip *c);
void wl_clip_resend_grabs(struct wl_clip *c);
