/* SPDX-License-Identifier: MIT */
/*
 * Follow the preferred modes of virtual GPUs.  With qxl or virtio-gpu KMS,
 * spice-server hands the client's monitor config to the device instead of
 * the agent; the kernel driver then publishes it on its connectors (the
 * preferred mode, "suggested X"/"suggested Y") and sends a hotplug event,
 * on which the X server re-probes.  Desktop environments apply that; with
 * a bare window manager nothing would, so the agent does.
 *
 * Seen in the QEMU test guest: qxl publishes preferred mode and position,
 * and flags its connectors with "hotplug_mode_update"; virtio-gpu (Linux
 * 6.1) publishes the preferred mode only, in an EDID QEMU generates.
 */
#include "config.h"

#include <X11/Xatom.h>
#include <glib.h>
#include <stdint.h>
#include <string.h>

#include "edid.h"
#include "vdp-util.h"
#include "x11-randr-private.h"

/* What the host asks of one output. */
struct follow_output {
	RROutput id;
	bool connected;
	RRMode pref; /* None when the output has no preferred mode */
	uint32_t w, h;
	bool has_pos;
	int32_t x, y;
};

static bool get_int_prop(Display *dpy, RROutput out, Atom a, long *val)
{
	Atom type;
	int format;
	unsigned long n, after;
	unsigned char *data = NULL;

	if (a == None)
		return false;
	if (XRRGetOutputProperty(dpy, out, a, 0, 1, False, False,
				 AnyPropertyType, &type, &format, &n, &after,
				 &data) != Success)
		return false;
	bool ok = data && type == XA_INTEGER && format == 32 && n == 1;
	if (ok)
		*val = *(long *)data;
	if (data)
		XFree(data);
	return ok;
}

static const XRRModeInfo *mode_info(XRRScreenResources *res, RRMode id)
{
	for (int i = 0; i < res->nmode; i++)
		if (res->modes[i].id == id)
			return &res->modes[i];
	return NULL;
}

enum edid_kind { EDID_NONE, EDID_QEMU, EDID_OTHER };

/* Whether the output has an EDID, and whether QEMU made it up
 * (virtio-gpu, stdvga).  Disconnected outputs have none. */
static enum edid_kind edid_kind(Display *dpy, RROutput out, Atom edid)
{
	Atom type;
	int format;
	unsigned long n, after;
	unsigned char *data = NULL;
	char maker[4];

	if (edid == None ||
	    XRRGetOutputProperty(dpy, out, edid, 0, 32, False, False,
				 AnyPropertyType, &type, &format, &n, &after,
				 &data) != Success)
		return EDID_NONE;
	enum edid_kind k = EDID_NONE;
	if (data && n > 0)
		k = format == 8 && edid_manufacturer(data, n, maker) &&
				    strcmp(maker, "RHT") == 0 ?
			    EDID_QEMU :
			    EDID_OTHER;
	if (data)
		XFree(data);
	return k;
}

/* The host's wishes for every output of res into out (res->noutput
 * entries); false unless the outputs are a virtual GPU's: qxl (and
 * vmwgfx) flag theirs with "hotplug_mode_update"; virtio-gpu does not, but
 * the EDID of a connected one comes from QEMU.  Any other EDID: a real
 * monitor, left to the user. */
static bool read_outputs(struct x11_randr *r, XRRScreenResources *res,
			 struct follow_output *out)
{
	Atom hotplug = XInternAtom(r->dpy, "hotplug_mode_update", True);
	Atom edid = XInternAtom(r->dpy, RR_PROPERTY_RANDR_EDID, True);
	Atom sx = XInternAtom(r->dpy, "suggested X", True);
	Atom sy = XInternAtom(r->dpy, "suggested Y", True);
	long v;

	bool virtual_gpu = false;

	if ((hotplug == None && edid == None) || res->noutput == 0)
		return false;
	for (int i = 0; i < res->noutput; i++) {
		struct follow_output *f = &out[i];
		RROutput id = res->outputs[i];

		*f = (struct follow_output){ .id = id };
		if (get_int_prop(r->dpy, id, hotplug, &v)) {
			virtual_gpu = true;
		} else {
			enum edid_kind k = edid_kind(r->dpy, id, edid);
			if (k == EDID_OTHER)
				return false;
			virtual_gpu |= k == EDID_QEMU;
		}
		XRROutputInfo *oi = XRRGetOutputInfo(r->dpy, res, id);
		if (!oi)
			return false;
		f->connected = oi->connection == RR_Connected;
		const XRRModeInfo *m = oi->npreferred > 0 ?
			mode_info(res, oi->modes[0]) : NULL;
		if (m) {
			f->pref = m->id;
			f->w = m->width;
			f->h = m->height;
		}
		XRRFreeOutputInfo(oi);
		long x = 0, y = 0;
		f->has_pos = get_int_prop(r->dpy, id, sx, &x) &&
			     get_int_prop(r->dpy, id, sy, &y);
		f->x = (int32_t)CLAMP(x, 0, INT16_MAX);
		f->y = (int32_t)CLAMP(y, 0, INT16_MAX);
	}
	return virtual_gpu;
}

static bool same(const struct follow_output *a, const struct follow_output *b)
{
	/* the mode's XID changes with every re-probe; its size is what counts */
	return a->id == b->id && a->connected == b->connected &&
	       a->w == b->w && a->h == b->h && a->has_pos == b->has_pos &&
	       a->x == b->x && a->y == b->y;
}

/* Remember now[] as seen; true when it differs from what was. */
static bool remember(struct x11_randr *r, struct follow_output *now, int n)
{
	bool changed = n != r->nseen;
	for (int i = 0; !changed && i < n; i++)
		changed = !same(&now[i], &r->seen[i]);
	g_free(r->seen);
	r->seen = now;
	r->nseen = n;
	return changed;
}

/* Whether the connected outputs all have positions and no two share one
 * (a driver without "suggested X/Y" support leaves them all at 0,0). */
static bool distinct_positions(const struct follow_output *o, int n)
{
	for (int i = 0; i < n; i++) {
		if (!o[i].connected || o[i].pref == None)
			continue;
		if (!o[i].has_pos)
			return false;
		for (int j = 0; j < i; j++)
			if (o[j].connected && o[j].pref != None &&
			    o[j].x == o[i].x && o[j].y == o[i].y)
				return false;
	}
	return true;
}

void x11_randr_follow_init(struct x11_randr *r)
{
	XRRScreenResources *res = XRRGetScreenResourcesCurrent(r->dpy, r->root);
	if (!res)
		return;
	struct follow_output *now = g_new0(struct follow_output, res->noutput);
	if (read_outputs(r, res, now)) {
		g_debug("the outputs are a virtual GPU's: the agent follows "
			"their preferred modes");
		remember(r, now, res->noutput);
	} else {
		g_free(now);
	}
	XRRFreeScreenResources(res);
}

void x11_randr_follow_free(struct x11_randr *r)
{
	g_free(r->seen);
	r->seen = NULL;
	r->nseen = 0;
}

bool x11_randr_follow_preferred(struct x11_randr *r)
{
	bool applied = false;

	XGrabServer(r->dpy);
	XRRScreenResources *res = XRRGetScreenResourcesCurrent(r->dpy, r->root);
	if (!res)
		goto out;
	struct follow_output *now = g_new0(struct follow_output, res->noutput);
	if (!read_outputs(r, res, now)) {
		g_free(now);
		x11_randr_follow_free(r);
		goto out;
	}
	/* the first look only takes note: what the host asked before the
	 * agent started is the X server's or the desktop's business */
	bool first = r->seen == NULL;
	if (!remember(r, now, res->noutput) || first)
		goto out;

	/* Positions: the host's when it gives them, else side by side. */
	bool use_pos = distinct_positions(now, res->noutput);
	struct wanted *want = g_new0(struct wanted, res->noutput);
	int32_t next_x = 0, min_x = INT32_MAX, min_y = INT32_MAX;
	bool any = false;
	for (int i = 0; i < res->noutput; i++) {
		const struct follow_output *f = &now[i];
		if (!f->connected || f->pref == None)
			continue;
		want[i] = (struct wanted){ .enabled = true, .w = f->w,
					   .h = f->h, .mode = f->pref,
					   .x = use_pos ? f->x : next_x,
					   .y = use_pos ? f->y : 0 };
		next_x += (int32_t)f->w;
		min_x = MIN(min_x, want[i].x);
		min_y = MIN(min_y, want[i].y);
		any = true;
	}
	if (any) {
		for (int i = 0; i < res->noutput; i++) {
			if (!want[i].enabled)
				continue;
			want[i].x -= min_x;
			want[i].y -= min_y;
		}
		g_message("the virtual GPU's preferred modes changed: "
			  "following them");
		applied = x11_randr_apply_outputs(r, res, want) == 0;
	}
	g_free(want);
out:
	if (res)
		XRRFreeScreenResources(res);
	XUngrabServer(r->dpy);
	XSync(r->dpy, False);
	return applied;
}
