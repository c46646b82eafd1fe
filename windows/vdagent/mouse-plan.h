/* SPDX-License-Identifier: MIT */
/*
 * MOUSE_STATE -> the input actions that bring Windows to that state.
 * No Windows API here (mouse.c turns actions into SendInput records), so
 * the unit test checks exact action lists.
 *
 * Only what changed since the last state is produced: a move when the
 * position changed, a down or up per button whose bit flipped, one wheel
 * step per press of the wheel "buttons".  The tracker starts with no
 * buttons down and no known position.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vdp-validate.h"

struct wa_rect {
	int32_t x, y;
	int32_t width, height;
};

enum wa_input_kind {
	WA_INPUT_MOVE,   /* x, y: 0..65535 over the virtual desktop */
	WA_INPUT_DOWN,   /* button: 1 left, 2 middle, 3 right, 4 X1, 5 X2 */
	WA_INPUT_UP,     /* button as above */
	WA_INPUT_WHEEL,  /* steps: +1 away from the user, -1 towards */
};

enum wa_button {
	WA_BUTTON_LEFT = 1,
	WA_BUTTON_MIDDLE,
	WA_BUTTON_RIGHT,
	WA_BUTTON_X1,
	WA_BUTTON_X2,
};

struct wa_input_action {
	enum wa_input_kind kind;
	int32_t x, y;
	int button;
	int steps;
};

/* A move, 5 button changes and 2 wheel steps at most. */
#define WA_MOUSE_ACTIONS_MAX 8

struct wa_mouse_track {
	uint32_t buttons; /* vdp_button_mask bits of the last state */
	bool have_pos;
	int32_t x, y;     /* last normalised position */
};

/* pos (pixels) on a desktop axis starting at origin with extent pixels
 * -> 0..65535, the first pixel 0 and the last 65535; pos is clamped. */
int32_t wa_mouse_normalise(int32_t pos, int32_t origin, int32_t extent);

/*
 * The actions for m on monitor (its rectangle in virtual-desktop pixels;
 * m->x, m->y are relative to it and clamped into it) within desktop (the
 * virtual desktop's rectangle).  Writes at most WA_MOUSE_ACTIONS_MAX
 * entries to out and returns their number; updates *t.  A monitor or
 * desktop of zero size gives no move.
 */
size_t wa_mouse_plan(struct wa_mouse_track *t, const struct vdp_mouse_state *m,
		     const struct wa_rect *monitor,
		     const struct wa_rect *desktop,
		     struct wa_input_action *out);

/* Release everything held (the client went away): ups for held buttons. */
size_t wa_mouse_plan_release(struct wa_mouse_track *t,
			     struct wa_input_action *out);
