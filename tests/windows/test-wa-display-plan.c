/* SPDX-License-Identifier: MIT */
/* windows/vdagent/display-plan.c: MONITORS_CONFIG -> per-display plan. */
#include <errno.h>
#include <string.h>

#include "display-plan.h"
#include "tap.h"
#include "vdp-wire.h"

static void mon(struct vdp_monitors_config *mc, uint32_t i, uint32_t w,
		uint32_t h, int32_t x, int32_t y)
{
	mc->mon[i] = (struct vdp_monitor){ .width = w, .height = h, .x = x,
					   .y = y, .enabled = w && h };
	if (mc->count <= i)
		mc->count = i + 1;
}

int main(void)
{
	struct vdp_monitors_config mc;
	struct wa_display_target t[WA_DISPLAYS_MAX];
	size_t primary = 99;
	int r;

	memset(&mc, 0, sizeof(mc));
	mc.flags = VDP_MONITORS_FLAG_USE_POS;
	mon(&mc, 0, 1280, 800, 0, 0);
	r = wa_display_plan(&mc, NULL, 0, 1, t, &primary);
	is_int(r, 1, "one monitor, one display");
	ok(t[0].touched && t[0].enabled && t[0].width == 1280 &&
	   t[0].height == 800 && t[0].x == 0 && t[0].y == 0, "1280x800+0+0");
	is_int(primary, 0, "display 0 primary");

	/* spice-gtk: 16 entries, most of them 0x0 */
	memset(&mc, 0, sizeof(mc));
	mc.flags = VDP_MONITORS_FLAG_USE_POS | VDP_MONITORS_FLAG_PHYSICAL_SIZE;
	mon(&mc, 0, 1024, 768, 100, 50);
	mon(&mc, 1, 800, 600, 1124, 50);
	for (uint32_t i = 2; i < 16; i++)
		mon(&mc, i, 0, 0, 0, 0);
	r = wa_display_plan(&mc, NULL, 0, 2, t, &primary);
	is_int(r, 2, "16 sparse entries on 2 displays: 2 touched");
	ok(t[0].x == 0 && t[0].y == 0, "shifted: the primary at 0,0");
	ok(t[1].x == 1024 && t[1].y == 0 && t[1].width == 800,
	   "the second keeps its offset");

	/* disable the second */
	mon(&mc, 1, 0, 0, 0, 0);
	r = wa_display_plan(&mc, NULL, 0, 2, t, &primary);
	ok(r == 2 && t[1].touched && !t[1].enabled, "0x0 disables display 1");

	/* disable everything: refused */
	mon(&mc, 0, 0, 0, 0, 0);
	r = wa_display_plan(&mc, NULL, 0, 2, t, &primary);
	is_int(r, -EINVAL, "no display left enabled: refused");

	/* only display 0 disabled while display 1 stays untouched is fine */
	memset(&mc, 0, sizeof(mc));
	mon(&mc, 0, 0, 0, 0, 0);
	r = wa_display_plan(&mc, NULL, 0, 2, t, &primary);
	ok(r == 1 && !t[0].enabled && !t[1].touched,
	   "disabling 0 with 1 untouched is allowed");

	/* no USE_POS: side by side */
	memset(&mc, 0, sizeof(mc));
	mon(&mc, 0, 1024, 768, 500, 500);
	mon(&mc, 1, 640, 480, 9, 9);
	r = wa_display_plan(&mc, NULL, 0, 2, t, &primary);
	ok(r == 2 && t[0].x == 0 && t[1].x == 1024 && t[1].y == 0,
	   "without USE_POS: side by side");

	/* more entries than displays: ignored */
	r = wa_display_plan(&mc, NULL, 0, 1, t, &primary);
	is_int(r, 1, "ids without a display are ignored");

	/* a map from GRAPHICS_DEVICE_INFO: id 0 -> display 1, id 1 -> none */
	{
		int map[2] = { 1, -1 };

		mc.flags = VDP_MONITORS_FLAG_USE_POS;
		r = wa_display_plan(&mc, map, 2, 2, t, &primary);
		ok(r == 1 && t[1].touched && t[1].width == 1024 &&
		   !t[0].touched && primary == 1, "mapped id 0 -> display 1");
	}

	/* hostile positions do not overflow */
	memset(&mc, 0, sizeof(mc));
	mc.flags = VDP_MONITORS_FLAG_USE_POS;
	mon(&mc, 0, 100, 100, INT32_MIN, INT32_MIN);
	mon(&mc, 1, 100, 100, INT32_MAX, INT32_MAX);
	r = wa_display_plan(&mc, NULL, 0, 2, t, &primary);
	ok(r == 2 && t[0].x == 0 && t[1].x == INT32_MAX,
	   "extreme positions clamp");

	{
		const struct wa_mode modes[] = {
			{ 640, 480 }, { 800, 600 }, { 1024, 768 },
			{ 1280, 800 }, { 1920, 1080 } };

		is_int(wa_display_pick_mode(modes, 5, 1280, 800), 3,
		       "exact mode");
		is_int(wa_display_pick_mode(modes, 5, 1300, 790), 3,
		       "closest mode");
		is_int(wa_display_pick_mode(modes, 5, 5000, 5000), 4,
		       "too big: the largest");
		is_int(wa_display_pick_mode(modes, 0, 1, 1), -ENOENT,
		       "no modes");
	}
	return tap_done();
}
