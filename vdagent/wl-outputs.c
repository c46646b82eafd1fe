/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <glib.h>
#include <string.h>

#include "wl-outputs.h"
#include "xdg-output-unstable-v1-client-protocol.h"

/* At most this many outputs are tracked; more are ignored (logged). */
#define WL_OUTPUTS_MAX 64

struct output {
	struct wl_outputs *owner;
	uint32_t global;
	struct wl_output *wl;
	struct zxdg_output_v1 *xdg;
	char name[WL_LAYOUT_NAME_MAX];
	int32_t gx, gy;         /* wl_output.geometry position */
	int32_t mode_w, mode_h; /* the current mode, pixels */
	int32_t scale;
	int32_t transform;
	bool have_logical_pos, have_logical_size;
	int32_t lx, ly, lw, lh; /* xdg-output */
	bool done;
};

struct wl_outputs {
	wl_outputs_changed_func changed;
	void *user;
	struct zxdg_output_manager_v1 *xdg_manager;
	uint32_t xdg_manager_global;
	struct output *out[WL_OUTPUTS_MAX];
	unsigned n;
	bool too_many_logged;
};

/* ---- wl_output ---------------------------------------------------------- */

static void out_geometry(void *data, struct wl_output *wl, int32_t x,
			 int32_t y, int32_t pw, int32_t ph, int32_t subpixel,
			 const char *make, const char *model, int32_t transform)
{
	struct output *op = data;
	op->gx = x;
	op->gy = y;
	op->transform = transform;
}

static void out_mode(void *data, struct wl_output *wl, uint32_t flags,
		     int32_t w, int32_t h, int32_t refresh)
{
	struct output *op = data;
	if (flags & WL_OUTPUT_MODE_CURRENT) {
		op->mode_w = w;
		op->mode_h = h;
	}
}

static void out_done(void *data, struct wl_output *wl)
{
	struct output *op = data;
	op->done = true;
	op->owner->changed(op->owner->user);
}

static void out_scale(void *data, struct wl_output *wl, int32_t factor)
{
	struct output *op = data;
	op->scale = factor;
}

static void out_name(void *data, struct wl_output *wl, const char *name)
{
	struct output *op = data;
	wl_layout_set_name(op->name, name);
}

static void out_description(void *data, struct wl_output *wl,
			    const char *desc)
{
}

static const struct wl_output_listener out_listener = {
	.geometry = out_geometry,
	.mode = out_mode,
	.done = out_done,
	.scale = out_scale,
	.name = out_name,
	.description = out_description,
};

/* ---- xdg-output --------------------------------------------------------- */

static void xdg_logical_position(void *data, struct zxdg_output_v1 *x,
				 int32_t lx, int32_t ly)
{
	struct output *op = data;
	op->lx = lx;
	op->ly = ly;
	op->have_logical_pos = true;
}

static void xdg_logical_size(void *data, struct zxdg_output_v1 *x,
			     int32_t w, int32_t h)
{
	struct output *op = data;
	op->lw = w;
	op->lh = h;
	op->have_logical_size = true;
}

static void xdg_done(void *data, struct zxdg_output_v1 *x)
{
	/* version 3 sends wl_output.done instead; older ones this */
	struct output *op = data;
	if (zxdg_output_v1_get_version(x) < 3)
		out_done(data, op->wl);
}

static void xdg_name(void *data, struct zxdg_output_v1 *x, const char *name)
{
	struct output *op = data;
	if (!op->name[0])
		wl_layout_set_name(op->name, name);
}

static void xdg_description(void *data, struct zxdg_output_v1 *x,
			    const char *desc)
{
}

static const struct zxdg_output_v1_listener xdg_listener = {
	.logical_position = xdg_logical_position,
	.logical_size = xdg_logical_size,
	.done = xdg_done,
	.name = xdg_name,
	.description = xdg_description,
};

static void attach_xdg(struct wl_outputs *o, struct output *op)
{
	if (!o->xdg_manager || op->xdg)
		return;
	op->xdg = zxdg_output_manager_v1_get_xdg_output(o->xdg_manager, op->wl);
	zxdg_output_v1_add_listener(op->xdg, &xdg_listener, op);
}

static void output_free(struct output *op)
{
	if (op->xdg)
		zxdg_output_v1_destroy(op->xdg);
	if (wl_output_get_version(op->wl) >= WL_OUTPUT_RELEASE_SINCE_VERSION)
		wl_output_release(op->wl);
	else
		wl_output_destroy(op->wl);
	g_free(op);
}

/* ---- the set ------------------------------------------------------------ */

struct wl_outputs *wl_outputs_new(wl_outputs_changed_func changed, void *user)
{
	struct wl_outputs *o = g_new0(struct wl_outputs, 1);
	o->changed = changed;
	o->user = user;
	return o;
}

void wl_outputs_free(struct wl_outputs *o)
{
	if (!o)
		return;
	for (unsigned i = 0; i < o->n; i++)
		output_free(o->out[i]);
	if (o->xdg_manager)
		zxdg_output_manager_v1_destroy(o->xdg_manager);
	g_free(o);
}

bool wl_outputs_global(struct wl_outputs *o, struct wl_registry *reg,
		       uint32_t name, const char *iface, uint32_t version)
{
	if (strcmp(iface, wl_output_interface.name) == 0) {
		if (o->n == WL_OUTPUTS_MAX) {
			if (!o->too_many_logged)
				g_message("more than %d outputs: the others "
					  "are ignored", WL_OUTPUTS_MAX);
			o->too_many_logged = true;
			return true;
		}
		struct output *op = g_new0(struct output, 1);
		op->owner = o;
		op->global = name;
		op->scale = 1;
		op->wl = wl_registry_bind(reg, name, &wl_output_interface,
					  MIN(version, 4u));
		wl_output_add_listener(op->wl, &out_listener, op);
		o->out[o->n++] = op;
		attach_xdg(o, op);
		return true;
	}
	if (strcmp(iface, zxdg_output_manager_v1_interface.name) == 0 &&
	    !o->xdg_manager) {
		o->xdg_manager_global = name;
		o->xdg_manager = wl_registry_bind(
			reg, name, &zxdg_output_manager_v1_interface,
			MIN(version, 3u));
		for (unsigned i = 0; i < o->n; i++)
			attach_xdg(o, o->out[i]);
		return true;
	}
	return false;
}

void wl_outputs_global_remove(struct wl_outputs *o, uint32_t name)
{
	for (unsigned i = 0; i < o->n; i++) {
		if (o->out[i]->global != name)
			continue;
		output_free(o->out[i]);
		o->out[i] = o->out[--o->n];
		o->changed(o->user);
		return;
	}
}

static void snapshot_one(const struct output *op, struct wl_layout_output *s)
{
	int32_t scale = op->scale > 0 && op->scale <= 16 ? op->scale : 1;
	bool swap = op->transform & 1; /* 90, 270 and their flipped forms */

	memcpy(s->name, op->name, sizeof(s->name));
	s->pw = swap ? op->mode_h : op->mode_w;
	s->ph = swap ? op->mode_w : op->mode_h;
	if (op->have_logical_pos && op->have_logical_size) {
		s->x = op->lx;
		s->y = op->ly;
		s->lw = op->lw;
		s->lh = op->lh;
	} else {
		s->x = op->gx;
		s->y = op->gy;
		s->lw = s->pw / scale;
		s->lh = s->ph / scale;
	}
	if (s->lw <= 0 || s->lh <= 0 || s->lw > VDP_IPC_MAX_DIMENSION ||
	    s->lh > VDP_IPC_MAX_DIMENSION) {
		s->lw = s->lh = 0; /* unusable: wl_layout_build skips it */
		return;
	}
	if (s->pw <= 0 || s->ph <= 0) { /* no mode told: trust the scale */
		s->pw = s->lw * scale;
		s->ph = s->lh * scale;
	}
}

unsigned wl_outputs_snapshot(struct wl_outputs *o,
			     struct wl_layout_output *out, unsigned max)
{
	unsigned k = 0;
	for (unsigned i = 0; i < o->n && k < max; i++)
		if (o->out[i]->done)
			snapshot_one(o->out[i], &out[k++]);
	return k;
}
