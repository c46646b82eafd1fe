/* SPDX-License-Identifier: MIT */
/*
 * Who owns the Windows clipboard, as the agent sees it, as a state
 * machine.  No Windows API: unit-tested as it is.
 *
 *   IDLE         nothing for the client, nothing from it
 *   CLIENT_OWNS  the client grabbed: our window owns the Windows clipboard
 *                with its types as delayed-rendered formats
 *   RENDERING    inside WM_RENDERFORMAT: a REQUEST went to the client and
 *                we wait for its CLIPBOARD
 *   GUEST_OWNS   a Windows program copied something we can offer: the
 *                client was sent a GRAB and may REQUEST it
 *
 * Loops are cut where they would start: the clipboard updates our own
 * window causes are not events (the caller checks the owner), so a
 * client grab never comes back to the client as a guest grab.
 */
#pragma once

#include <stdbool.h>

enum wa_clip_state {
	WA_CLIP_IDLE,
	WA_CLIP_CLIENT_OWNS,
	WA_CLIP_RENDERING,
	WA_CLIP_GUEST_OWNS,
};

enum wa_clip_event {
	WA_CLIP_EV_CLIENT_GRAB,      /* with at least one type we render */
	WA_CLIP_EV_CLIENT_GRAB_NONE, /* with nothing we can use */
	WA_CLIP_EV_CLIENT_RELEASE,
	WA_CLIP_EV_CLIENT_GONE,      /* disconnected, or the port closed */
	WA_CLIP_EV_GUEST_COPY,       /* another program put types we offer */
	WA_CLIP_EV_GUEST_EMPTY,      /* another program put nothing for us */
	WA_CLIP_EV_RENDER,           /* WM_RENDERFORMAT */
	WA_CLIP_EV_RENDER_END,       /* the client's data came, or not */
};

/* What the caller does on a transition, in this order. */
enum wa_clip_action {
	WA_CLIP_ACT_NONE = 0,
	/* open the clipboard, empty it (we become the owner) and, with
	 * TAKE, announce the client's types as delayed formats */
	WA_CLIP_ACT_EMPTY = 1 << 0,
	WA_CLIP_ACT_TAKE = 1 << 1,
	WA_CLIP_ACT_SEND_GRAB = 1 << 2,    /* the guest's types */
	WA_CLIP_ACT_SEND_RELEASE = 1 << 3,
	WA_CLIP_ACT_SEND_REQUEST = 1 << 4, /* and wait for the data */
	/* during RENDERING the clipboard is open by the program asking for
	 * the data: the event is kept and replayed after RENDER_END */
	WA_CLIP_ACT_DEFER = 1 << 5,
};

struct wa_clip_step {
	enum wa_clip_state next;
	unsigned actions; /* enum wa_clip_action bits */
};

struct wa_clip_step wa_clip_transition(enum wa_clip_state s,
				       enum wa_clip_event e);
const char *wa_clip_state_name(enum wa_clip_state s);
const char *wa_clip_event_name(enum wa_clip_event e);
