/* SPDX-License-Identifier: MIT */
/* windows/vdagent/mouse-plan.c: MOUSE_STATE -> exact input actions. */
#include <string.h>

#include "mouse-plan.h"
#include "tap.h"
#include "vdp-wire.h"

static const struct wa_rect desk = { 0, 0, 2048, 768 };
static const struct wa_rect mon0 = { 0, 0, 1024, 768 };
static const struct wa_rect mon1 = { 1024, 0, 1024, 768 };

static size_t plan(struct wa_mouse_track *t, uint32_t x, uint32_t y,
		   uint32_t buttons, const struct wa_rect *mon,
		   struct wa_input_action *out)
{
	struct vdp_mouse_state m = { x, y, buttons, 0 };

	return wa_mouse_plan(t, &m, mon, &desk, out);
}

int main(void)
{
	struct wa_mouse_track t = { 0 };
	struct wa_input_action a[WA_MOUSE_ACTIONS_MAX];
	size_t n;

	is_int(wa_mouse_normalise(0, 0, 1024), 0, "first pixel -> 0");
	is_int(wa_mouse_normalise(1023, 0, 1024), 65535, "last pixel -> 65535");
	is_int(wa_mouse_normalise(-5, 0, 1024), 0, "left of the desktop clamps");
	is_int(wa_mouse_normalise(5000, 0, 1024), 65535, "right clamps");
	is_int(wa_mouse_normalise(100, 100, 1), 0, "1-pixel extent");
	is_int(wa_mouse_normalise(0, -1024, 2048), 32784,
	       "negative origin (monitor left of the primary)");
	/* every pixel maps back with x * (extent - 1) / 65535, rounded */
	{
		int bad = 0;

		for (int32_t px = 0; px < 1920; px++) {
			int32_t nx = wa_mouse_normalise(px, 0, 1920);
			int32_t back = (int32_t)(((int64_t)nx * 1919 + 32767) /
						 65535);

			if (back != px)
				bad++;
		}
		is_int(bad, 0, "1920 pixels round-trip");
	}

	n = plan(&t, 100, 200, 0, &mon0, a);
	is_int(n, 1, "first state: one move");
	is_int(a[0].kind, WA_INPUT_MOVE, "a move");
	is_int(a[0].x, wa_mouse_normalise(100, 0, 2048), "x normalised");
	is_int(a[0].y, wa_mouse_normalise(200, 0, 768), "y normalised");

	n = plan(&t, 100, 200, 0, &mon0, a);
	is_int(n, 0, "same state again: nothing");

	n = plan(&t, 100, 200, VDP_BUTTON_LEFT, &mon0, a);
	is_int(n, 1, "left pressed: one action");
	ok(a[0].kind == WA_INPUT_DOWN && a[0].button == WA_BUTTON_LEFT,
	   "left down");
	n = plan(&t, 100, 200, VDP_BUTTON_LEFT, &mon0, a);
	is_int(n, 0, "left still held: no duplicate click");
	n = plan(&t, 300, 400, 0, &mon1, a);
	is_int(n, 2, "moved to monitor 1 and released");
	ok(a[0].kind == WA_INPUT_MOVE &&
	   a[0].x == wa_mouse_normalise(1024 + 300, 0, 2048), "move on mon 1");
	ok(a[1].kind == WA_INPUT_UP && a[1].button == WA_BUTTON_LEFT,
	   "left up not lost");

	n = plan(&t, 300, 400,
		 VDP_BUTTON_MIDDLE | VDP_BUTTON_RIGHT | VDP_BUTTON_SIDE |
			 VDP_BUTTON_EXTRA,
		 &mon1, a);
	is_int(n, 4, "four buttons at once");
	ok(a[0].button == WA_BUTTON_MIDDLE && a[1].button == WA_BUTTON_RIGHT &&
	   a[2].button == WA_BUTTON_X1 && a[3].button == WA_BUTTON_X2,
	   "middle, right, X1, X2 in order");
	n = wa_mouse_plan_release(&t, a);
	is_int(n, 4, "release everything held");
	ok(a[0].kind == WA_INPUT_UP && a[3].kind == WA_INPUT_UP, "all ups");
	is_int(t.buttons, 0, "nothing held after release");

	n = plan(&t, 300, 400, VDP_BUTTON_UP, &mon1, a);
	ok(n == 1 && a[0].kind == WA_INPUT_WHEEL && a[0].steps == 1,
	   "wheel up press: one step");
	n = plan(&t, 300, 400, VDP_BUTTON_UP, &mon1, a);
	is_int(n, 0, "wheel up held: no second step");
	n = plan(&t, 300, 400, 0, &mon1, a);
	is_int(n, 0, "wheel release: nothing");
	n = plan(&t, 300, 400, VDP_BUTTON_DOWN, &mon1, a);
	ok(n == 1 && a[0].kind == WA_INPUT_WHEEL && a[0].steps == -1,
	   "wheel down press: one step back");

	n = plan(&t, 99999, 99999, 0, &mon0, a);
	ok(n == 1 && a[0].x == wa_mouse_normalise(1023, 0, 2048) &&
	   a[0].y == 65535, "coordinates past the monitor clamp to its edge");

	{
		struct wa_rect empty = { 0, 0, 0, 0 };
		struct vdp_mouse_state m = { 1, 1, VDP_BUTTON_LEFT, 0 };

		n = wa_mouse_plan(&t, &m, &empty, &desk, a);
		ok(n == 1 && a[0].kind == WA_INPUT_DOWN,
		   "zero-size monitor: no move, the button still counts");
	}
	return tap_done();
}
