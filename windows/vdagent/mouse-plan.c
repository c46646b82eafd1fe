/* SPDX-License-Identifier: MIT */
#include "mouse-plan.h"
#include "vdp-wire.h"

static const struct {
	uint32_t bit;
	int button;
} button_bits[] = {
	{ VDP_BUTTON_LEFT, WA_BUTTON_LEFT },
	{ VDP_BUTTON_MIDDLE, WA_BUTTON_MIDDLE },
	{ VDP_BUTTON_RIGHT, WA_BUTTON_RIGHT },
	{ VDP_BUTTON_SIDE, WA_BUTTON_X1 },
	{ VDP_BUTTON_EXTRA, WA_BUTTON_X2 },
};

int32_t wa_mouse_normalise(int32_t pos, int32_t origin, int32_t extent)
{
	int64_t off = (int64_t)pos - origin;

	if (extent <= 1 || off <= 0)
		return 0;
	if (off >= extent - 1)
		return 65535;
	/* rounded, so that x * (extent - 1) / 65535 maps back to off */
	return (int32_t)((off * 65535 + (extent - 1) / 2) / (extent - 1));
}

static int32_t clamp_in(uint32_t v, int32_t extent)
{
	if (extent <= 0)
		return 0;
	return v >= (uint32_t)extent ? extent - 1 : (int32_t)v;
}

size_t wa_mouse_plan(struct wa_mouse_track *t, const struct vdp_mouse_state *m,
		     const struct wa_rect *monitor,
		     const struct wa_rect *desktop,
		     struct wa_input_action *out)
{
	size_t n = 0;

	if (monitor->width > 0 && monitor->height > 0 && desktop->width > 0 &&
	    desktop->height > 0) {
		int32_t px = monitor->x + clamp_in(m->x, monitor->width);
		int32_t py = monitor->y + clamp_in(m->y, monitor->height);
		int32_t nx = wa_mouse_normalise(px, desktop->x, desktop->width);
		int32_t ny = wa_mouse_normalise(py, desktop->y, desktop->height);

		if (!t->have_pos || nx != t->x || ny != t->y) {
			out[n++] = (struct wa_input_action){
				.kind = WA_INPUT_MOVE, .x = nx, .y = ny };
			t->have_pos = true;
			t->x = nx;
			t->y = ny;
		}
	}
	for (size_t i = 0; i < sizeof(button_bits) / sizeof(button_bits[0]);
	     i++) {
		uint32_t bit = button_bits[i].bit;
		bool was = t->buttons & bit, now = m->buttons & bit;

		if (was != now)
			out[n++] = (struct wa_input_action){
				.kind = now ? WA_INPUT_DOWN : WA_INPUT_UP,
				.button = button_bits[i].button };
	}
	if ((m->buttons & VDP_BUTTON_UP) && !(t->buttons & VDP_BUTTON_UP))
		out[n++] = (struct wa_input_action){ .kind = WA_INPUT_WHEEL,
						     .steps = 1 };
	if ((m->buttons & VDP_BUTTON_DOWN) && !(t->buttons & VDP_BUTTON_DOWN))
		out[n++] = (struct wa_input_action){ .kind = WA_INPUT_WHEEL,
						     .steps = -1 };
	t->buttons = m->buttons;
	return n;
}

size_t wa_mouse_plan_release(struct wa_mouse_track *t,
			     struct wa_input_action *out)
{
	size_t n = 0;

	for (size_t i = 0; i < sizeof(button_bits) / sizeof(button_bits[0]);
	     i++)
		if (t->buttons & button_bits[i].bit)
			out[n++] = (struct wa_input_action){
				.kind = WA_INPUT_UP,
				.button = button_bits[i].button };
	t->buttons = 0;
	return n;
}
