/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>

#include "display-plan.h"
#include "vdp-wire.h"

static int32_t clamp32(int64_t v)
{
	return v > INT32_MAX ? INT32_MAX : v < INT32_MIN ? INT32_MIN : (int32_t)v;
}

static int display_of(const int *id_to_display, size_t nids, size_t id,
		      size_t ndisplays)
{
	int d;

	if (!id_to_display)
		return id < ndisplays ? (int)id : -1;
	if (id >= nids)
		return -1;
	d = id_to_display[id];
	return d >= 0 && (size_t)d < ndisplays ? d : -1;
}

int wa_display_plan(const struct vdp_monitors_config *mc,
		    const int *id_to_display, size_t nids, size_t ndisplays,
		    struct wa_display_target *out, size_t *primary)
{
	bool use_pos = mc->flags & VDP_MONITORS_FLAG_USE_POS;
	int64_t next_x = 0;
	int touched = 0;
	int first = -1;

	if (ndisplays > WA_DISPLAYS_MAX)
		ndisplays = WA_DISPLAYS_MAX;
	for (size_t i = 0; i < ndisplays; i++)
		out[i] = (struct wa_display_target){ 0 };
	for (size_t id = 0; id < mc->count; id++) {
		const struct vdp_monitor *m = &mc->mon[id];
		int d = display_of(id_to_display, nids, id, ndisplays);
		struct wa_display_target *t;

		if (d < 0 || out[d].touched)
			continue;
		t = &out[d];
		t->touched = true;
		touched++;
		t->enabled = m->enabled;
		if (!m->enabled)
			continue;
		t->width = m->width;
		t->height = m->height;
		if (use_pos) {
			t->x = m->x;
			t->y = m->y;
		} else {
			/* clamp: a hostile width must not overflow */
			t->x = clamp32(next_x);
			t->y = 0;
			next_x += m->width;
		}
		if (first < 0)
			first = d;
	}
	if (first < 0) {
		/* nothing enabled by the message: is anything left on? */
		bool any = false;

		for (size_t i = 0; i < ndisplays; i++)
			if (!out[i].touched)
				any = true;
		if (!any || touched == 0)
			return touched ? -EINVAL : 0;
		*primary = 0;
		return touched;
	}
	int32_t ox = out[first].x, oy = out[first].y;

	for (size_t i = 0; i < ndisplays; i++) {
		if (!out[i].enabled)
			continue;
		out[i].x = clamp32((int64_t)out[i].x - ox);
		out[i].y = clamp32((int64_t)out[i].y - oy);
	}
	*primary = (size_t)first;
	return touched;
}

int wa_display_pick_mode(const struct wa_mode *modes, size_t n,
			 uint32_t width, uint32_t height)
{
	uint64_t best_cost = UINT64_MAX;
	int best = -ENOENT;

	for (size_t i = 0; i < n; i++) {
		uint64_t dw = modes[i].width > width ? modes[i].width - width
						     : width - modes[i].width;
		uint64_t dh = modes[i].height > height
				      ? modes[i].height - height
				      : height - modes[i].height;

		if (dw + dh < best_cost) {
			best_cost = dw + dh;
			best = (int)i;
		}
	}
	return best;
}
