/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "vdp-util.h"
#include "wl-monitors.h"

/* The common PREFIX of outputs all named PREFIX-N, or false. */
static bool common_prefix(const struct wl_layout_output *outs, unsigned n,
			  char *prefix, size_t size)
{
	if (!n)
		return false;
	for (unsigned i = 0; i < n; i++) {
		const char *dash = strrchr(outs[i].name, '-');
		if (!dash || dash == outs[i].name || !dash[1] ||
		    strspn(dash + 1, "0123456789") != strlen(dash + 1))
			return false;
		size_t len = (size_t)(dash - outs[i].name);
		if (len + 1 > size)
			return false;
		if (i == 0) {
			memcpy(prefix, outs[i].name, len);
			prefix[len] = 0;
		} else if (strlen(prefix) != len ||
			   strncmp(prefix, outs[i].name, len) != 0) {
			return false;
		}
	}
	return true;
}

/* An enabled entry with sizes and a position the IPC could report. */
static bool usable(const struct vdp_monitor *m)
{
	return m->enabled && m->width <= VDP_IPC_MAX_DIMENSION &&
	       m->height <= VDP_IPC_MAX_DIMENSION &&
	       m->x >= -VDP_IPC_MAX_DIMENSION && m->x <= VDP_IPC_MAX_DIMENSION &&
	       m->y >= -VDP_IPC_MAX_DIMENSION && m->y <= VDP_IPC_MAX_DIMENSION;
}

/* The pixel/logical ratio of the layout (as wl_layout_build). */
static double layout_scale(const struct wl_layout_output *outs, unsigned n)
{
	double s = 0;
	for (unsigned i = 0; i < n; i++)
		if (outs[i].lw > 0 && outs[i].lh > 0 && outs[i].pw > 0)
			s = fmax(s, (double)outs[i].pw / outs[i].lw);
	return s > 0 ? s : 1;
}

unsigned wl_monitors_plan(const struct wl_layout_output *outs, unsigned n,
			  char *const *connector, unsigned ncon,
			  const struct vdp_monitors_config *mc,
			  struct wl_output_wish *wish, unsigned max)
{
	int id[VDP_IPC_MAX_DISPLAYS];
	int32_t px[VDP_MONITORS_MAX], py[VDP_MONITORS_MAX];
	bool use_pos = mc->flags & VDP_MONITORS_FLAG_USE_POS;
	int64_t min_x = INT64_MAX, min_y = INT64_MAX, next_x = 0;
	unsigned k = 0;

	if (n > VDP_IPC_MAX_DISPLAYS)
		n = VDP_IPC_MAX_DISPLAYS;
	wl_layout_ids(outs, n, connector, ncon, id);

	for (uint32_t i = 0; i < mc->count; i++) {
		const struct vdp_monitor *m = &mc->mon[i];
		if (!usable(m))
			continue;
		px[i] = use_pos ? m->x : (int32_t)next_x;
		py[i] = use_pos ? m->y : 0;
		next_x += m->width;
		if (px[i] < min_x)
			min_x = px[i];
		if (py[i] < min_y)
			min_y = py[i];
	}
	double s = layout_scale(outs, n);

	/* every output we know: as its entry says */
	for (unsigned i = 0; i < n && k < max; i++) {
		if (id[i] < 0)
			continue;
		struct wl_output_wish *w = &wish[k++];
		memset(w, 0, sizeof(*w));
		memcpy(w->name, outs[i].name, sizeof(w->name));
		uint32_t e = (uint32_t)id[i];
		if (e >= mc->count || !usable(&mc->mon[e]))
			continue; /* disabled */
		w->enable = true;
		w->w = (int32_t)mc->mon[e].width;
		w->h = (int32_t)mc->mon[e].height;
		w->x = (int32_t)lround((double)(px[e] - min_x) / s);
		w->y = (int32_t)lround((double)(py[e] - min_y) / s);
	}

	/* enabled entries without an output: PREFIX-(id+1) */
	char prefix[WL_LAYOUT_NAME_MAX];
	if (!common_prefix(outs, n, prefix, sizeof(prefix) - 4))
		return k;
	for (uint32_t e = 0; e < mc->count && e < VDP_IPC_MAX_DISPLAYS &&
			     k < max; e++) {
		bool known = false;
		for (unsigned i = 0; i < n; i++)
			known |= id[i] == (int)e;
		if (known || !usable(&mc->mon[e]))
			continue;
		struct wl_output_wish *w = &wish[k++];
		memset(w, 0, sizeof(*w));
		snprintf(w->name, sizeof(w->name), "%s-%u", prefix, e + 1);
		w->enable = true;
		w->w = (int32_t)mc->mon[e].width;
		w->h = (int32_t)mc->mon[e].height;
		w->x = (int32_t)lround((double)(px[e] - min_x) / s);
		w->y = (int32_t)lround((double)(py[e] - min_y) / s);
	}
	return k;
}
