/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vdp-util.h"
#include "wl-layout.h"

static bool usable(const struct wl_layout_output *o)
{
	return o->lw > 0 && o->lh > 0 && o->pw > 0 && o->ph > 0 &&
	       o->pw <= VDP_IPC_MAX_DIMENSION &&
	       o->ph <= VDP_IPC_MAX_DIMENSION &&
	       o->lw <= VDP_IPC_MAX_DIMENSION &&
	       o->lh <= VDP_IPC_MAX_DIMENSION &&
	       o->x >= -VDP_IPC_MAX_DIMENSION &&
	       o->x <= VDP_IPC_MAX_DIMENSION &&
	       o->y >= -VDP_IPC_MAX_DIMENSION &&
	       o->y <= VDP_IPC_MAX_DIMENSION;
}

/* N of a name "PREFIX-N" (1..VDP_IPC_MAX_DISPLAYS), else 0. */
static unsigned name_number(const char *name)
{
	const char *dash = strrchr(name, '-');
	if (!dash || dash == name || !dash[1] || strlen(dash + 1) > 3)
		return 0;
	unsigned n = 0;
	for (const char *p = dash + 1; *p; p++) {
		if (*p < '0' || *p > '9')
			return 0;
		n = n * 10 + (unsigned)(*p - '0');
	}
	return n >= 1 && n <= VDP_IPC_MAX_DISPLAYS ? n : 0;
}

/* Names in natural order: "X-2" before "X-10". */
static int name_cmp(const char *a, const char *b)
{
	while (*a && *b) {
		if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
			char *ea, *eb;
			unsigned long na = strtoul(a, &ea, 10);
			unsigned long nb = strtoul(b, &eb, 10);
			if (na != nb)
				return na < nb ? -1 : 1;
			a = ea;
			b = eb;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	return *a ? 1 : *b ? -1 : 0;
}

static unsigned ids_from_connectors(const struct wl_layout_output *outs,
				    unsigned n, char *const *connector,
				    unsigned ncon, int *id)
{
	unsigned found = 0;

	for (unsigned k = 0; k < ncon && k < VDP_IPC_MAX_DISPLAYS; k++) {
		if (!connector[k])
			continue;
		for (unsigned i = 0; i < n; i++) {
			if (id[i] < 0 && usable(&outs[i]) &&
			    streq(outs[i].name, connector[k])) {
				id[i] = (int)k;
				found++;
				break;
			}
		}
	}
	return found;
}

static bool ids_from_numbers(const struct wl_layout_output *outs, unsigned n,
			     int *id)
{
	bool taken[VDP_IPC_MAX_DISPLAYS + 1] = { false };

	for (unsigned i = 0; i < n; i++) {
		if (!usable(&outs[i]))
			continue;
		unsigned num = name_number(outs[i].name);
		if (!num || taken[num])
			return false;
		taken[num] = true;
	}
	for (unsigned i = 0; i < n; i++)
		if (usable(&outs[i]))
			id[i] = (int)name_number(outs[i].name) - 1;
	return true;
}

static void ids_from_order(const struct wl_layout_output *outs, unsigned n,
			   int *id)
{
	for (unsigned i = 0; i < n; i++) {
		if (!usable(&outs[i]))
			continue;
		int rank = 0;
		for (unsigned j = 0; j < n; j++) {
			if (j == i || !usable(&outs[j]))
				continue;
			int c = name_cmp(outs[j].name, outs[i].name);
			if (c < 0 || (c == 0 && j < i))
				rank++;
		}
		id[i] = rank;
	}
}

static int by_id(const void *pa, const void *pb)
{
	const struct vdp_ipc_display *a = pa, *b = pb;
	return a->display_id < b->display_id ? -1 :
	       a->display_id > b->display_id;
}

void wl_layout_set_name(char *dst, const char *name)
{
	size_t i = 0;
	for (; name[i] && i + 1 < WL_LAYOUT_NAME_MAX; i++) {
		unsigned char c = (unsigned char)name[i];
		dst[i] = c > 0x20 && c < 0x7f ? (char)c : '_';
	}
	dst[i] = 0;
}

void wl_layout_ids(const struct wl_layout_output *outs, unsigned n,
		   char *const *connector, unsigned ncon, int *id)
{
	for (unsigned i = 0; i < n; i++)
		id[i] = -1;
	if (n > VDP_IPC_MAX_DISPLAYS)
		n = VDP_IPC_MAX_DISPLAYS;
	if (!ids_from_connectors(outs, n, connector, ncon, id) &&
	    !ids_from_numbers(outs, n, id))
		ids_from_order(outs, n, id);
}

int wl_layout_build(const struct wl_layout_output *outs, unsigned n,
		    char *const *connector, unsigned ncon,
		    struct vdp_ipc_screen_layout *out)
{
	int id[VDP_IPC_MAX_DISPLAYS];

	if (n > VDP_IPC_MAX_DISPLAYS)
		n = VDP_IPC_MAX_DISPLAYS;
	wl_layout_ids(outs, n, connector, ncon, id);

	double scale = 0;
	int32_t minx = INT32_MAX, miny = INT32_MAX;
	for (unsigned i = 0; i < n; i++) {
		if (id[i] < 0)
			continue;
		const struct wl_layout_output *o = &outs[i];
		double sx = (double)o->pw / o->lw, sy = (double)o->ph / o->lh;
		scale = fmax(scale, fmax(sx, sy));
		if (o->x < minx)
			minx = o->x;
		if (o->y < miny)
			miny = o->y;
	}
	if (scale <= 0)
		return -EINVAL;

	memset(out, 0, sizeof(*out));
	int64_t w = 0, h = 0;
	for (unsigned i = 0; i < n; i++) {
		if (id[i] < 0)
			continue;
		const struct wl_layout_output *o = &outs[i];
		struct vdp_ipc_display *d = &out->displays[out->count++];
		int64_t x = llround((double)(o->x - minx) * scale);
		int64_t y = llround((double)(o->y - miny) * scale);
		if (x + o->pw > VDP_IPC_MAX_DIMENSION ||
		    y + o->ph > VDP_IPC_MAX_DIMENSION)
			return -EINVAL;
		d->display_id = (uint32_t)id[i];
		d->x = (int32_t)x;
		d->y = (int32_t)y;
		d->width = (uint32_t)o->pw;
		d->height = (uint32_t)o->ph;
		if (x + o->pw > w)
			w = x + o->pw;
		if (y + o->ph > h)
			h = y + o->ph;
	}
	out->width = (uint32_t)w;
	out->height = (uint32_t)h;
	qsort(out->displays, out->count, sizeof(out->displays[0]), by_id);
	return 0;
}
