/* SPDX-License-Identifier: MIT */
#include "clipboard-state.h"

#define STEP(state, acts) ((struct wa_clip_step){ (state), (acts) })

/* Events that mean the same in IDLE, CLIENT_OWNS and GUEST_OWNS. */
static struct wa_clip_step common(enum wa_clip_state s, enum wa_clip_event e)
{
	switch (e) {
	case WA_CLIP_EV_CLIENT_GRAB:
		return STEP(WA_CLIP_CLIENT_OWNS,
			    WA_CLIP_ACT_EMPTY | WA_CLIP_ACT_TAKE);
	case WA_CLIP_EV_GUEST_COPY:
		return STEP(WA_CLIP_GUEST_OWNS, WA_CLIP_ACT_SEND_GRAB);
	default:
		return STEP(s, WA_CLIP_ACT_NONE);
	}
}

struct wa_clip_step wa_clip_transition(enum wa_clip_state s,
				       enum wa_clip_event e)
{
	switch (s) {
	case WA_CLIP_IDLE:
		return common(s, e);
	case WA_CLIP_CLIENT_OWNS:
		switch (e) {
		case WA_CLIP_EV_CLIENT_GRAB_NONE:
		case WA_CLIP_EV_CLIENT_RELEASE:
		case WA_CLIP_EV_CLIENT_GONE:
			/* its data can no longer be had */
			return STEP(WA_CLIP_IDLE, WA_CLIP_ACT_EMPTY);
		case WA_CLIP_EV_GUEST_EMPTY:
			return STEP(WA_CLIP_IDLE, WA_CLIP_ACT_NONE);
		case WA_CLIP_EV_RENDER:
			return STEP(WA_CLIP_RENDERING,
				    WA_CLIP_ACT_SEND_REQUEST);
		default:
			return common(s, e);
		}
	case WA_CLIP_RENDERING:
		switch (e) {
		case WA_CLIP_EV_RENDER_END:
			return STEP(WA_CLIP_CLIENT_OWNS, WA_CLIP_ACT_NONE);
		case WA_CLIP_EV_CLIENT_GRAB:
		case WA_CLIP_EV_CLIENT_GRAB_NONE:
		case WA_CLIP_EV_CLIENT_RELEASE:
		case WA_CLIP_EV_CLIENT_GONE:
			return STEP(s, WA_CLIP_ACT_DEFER);
		default:
			/* no clipboard update or second render can reach
			 * us while the first one waits */
			return STEP(s, WA_CLIP_ACT_NONE);
		}
	case WA_CLIP_GUEST_OWNS:
		switch (e) {
		case WA_CLIP_EV_CLIENT_GRAB_NONE:
			/* the client shows something else now: so does the
			 * guest (an empty clipboard) */
			return STEP(WA_CLIP_IDLE, WA_CLIP_ACT_EMPTY);
		case WA_CLIP_EV_CLIENT_GONE:
			return STEP(WA_CLIP_IDLE, WA_CLIP_ACT_NONE);
		case WA_CLIP_EV_GUEST_EMPTY:
			return STEP(WA_CLIP_IDLE, WA_CLIP_ACT_SEND_RELEASE);
		default:
			return common(s, e);
		}
	}
	return STEP(s, WA_CLIP_ACT_NONE);
}

const char *wa_clip_state_name(enum wa_clip_state s)
{
	switch (s) {
	case WA_CLIP_IDLE:
		return "idle";
	case WA_CLIP_CLIENT_OWNS:
		return "client-owns";
	case WA_CLIP_RENDERING:
		return "rendering";
	case WA_CLIP_GUEST_OWNS:
		return "guest-owns";
	}
	return "?";
}

const char *wa_clip_event_name(enum wa_clip_event e)
{
	switch (e) {
	case WA_CLIP_EV_CLIENT_GRAB:
		return "client-grab";
	case WA_CLIP_EV_CLIENT_GRAB_NONE:
		return "client-grab-none";
	case WA_CLIP_EV_CLIENT_RELEASE:
		return "client-release";
	case WA_CLIP_EV_CLIENT_GONE:
		return "client-gone";
	case WA_CLIP_EV_GUEST_COPY:
		return "guest-copy";
	case WA_CLIP_EV_GUEST_EMPTY:
		return "guest-empty";
	case WA_CLIP_EV_RENDER:
		return "render";
	case WA_CLIP_EV_RENDER_END:
		return "render-end";
	}
	return "?";
}
