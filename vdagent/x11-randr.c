/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <X11/Xatom.h>
#include <errno.h>
#include <glib.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device-info.h"
#include "mode-cvt.h"
#include "vdp-util.h"
#include "x11-randr-private.h"

#define REFRESH_HZ 60
#define DEFAULT_DPI 96.0

struct x11_randr *x11_randr_new(Display *dpy)
{
	int major = 0, minor = 0, ev, err;

	if (!XRRQueryExtension(dpy, &ev, &err) ||
	    !XRRQueryVersion(dpy, &major, &minor) ||
	    major < 1 || (major == 1 && minor < 2)) {
		g_warning("the X server has no RandR 1.2: monitor "
			  "configuration disabled");
		return NULL;
	}

	struct x11_randr *r = zalloc(sizeof(*r));
	if (!r)
		return NULL;
	r->dpy = dpy;
	r->root = DefaultRootWindow(dpy);
	r->event_base = ev;
	r->error_base = err;
	XRRGetScreenSizeRange(dpy, r->root, &r->min_w, &r->min_h, &r->max_w,
			      &r->max_h);
	XRRSelectInput(dpy, r->root,
		       RRScreenChangeNotifyMask | RRCrtcChangeNotifyMask |
			       RROutputChangeNotifyMask);
	g_debug("RandR %d.%d, screen size %dx%d .. %dx%d", major, minor,
		r->min_w, r->min_h, r->max_w, r->max_h);
	x11_randr_follow_init(r);
	return r;
}

void x11_randr_free(struct x11_randr *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < ARRAY_LENGTH(r->connector); i++)
		g_free(r->connector[i]);
	x11_randr_follow_free(r);
	free(r);
}

bool x11_randr_handle_event(struct x11_randr *r, const XEvent *ev)
{
	if (ev->type == r->event_base + RRScreenChangeNotify) {
		XRRUpdateConfiguration((XEvent *)ev);
		return true;
	}
	if (ev->type == r->event_base + RRNotify) {
		const XRRNotifyEvent *n = (const XRRNotifyEvent *)ev;
		return n->subtype == RRNotify_CrtcChange ||
		       n->subtype == RRNotify_OutputChange;
	}
	return false;
}

void x11_randr_set_device_info(struct x11_randr *r,
			       const struct vdp_graphics_device_info *info)
{
	device_info_connectors(info, r->connector, ARRAY_LENGTH(r->connector));
}

/* X drivers name outputs after the DRM connector ("Virtual-1"); the qxl
 * driver counts from 0 instead ("Virtual-0").  exact: only the first. */
static bool output_name_matches(const char *output, const char *connector,
				bool exact)
{
	if (exact)
		return streq(output, connector);
	const char *dash = strrchr(connector, '-');
	if (!dash)
		return false;
	unsigned long n = strtoul(dash + 1, NULL, 10);
	if (n == 0)
		return false;
	g_autofree char *alt = g_strdup_printf(
		"%.*s-%lu", (int)(dash - connector), connector, n - 1);
	return streq(output, alt);
}

/* The output index (into res->outputs) serving a display id, or -1. */
static int output_for_display(struct x11_randr *r, XRRScreenResources *res,
			      uint32_t id)
{
	if (id < ARRAY_LENGTH(r->connector) && r->connector[id]) {
		for (int pass = 0; pass < 2; pass++) {
			for (int i = 0; i < res->noutput; i++) {
				XRROutputInfo *oi = XRRGetOutputInfo(
					r->dpy, res, res->outputs[i]);
				bool match = oi && output_name_matches(
							   oi->name,
							   r->connector[id],
							   pass == 0);
				if (oi)
					XRRFreeOutputInfo(oi);
				if (match)
					return i;
			}
		}
		return -1;
	}
	return id < (uint32_t)res->noutput ? (int)id : -1;
}

static int display_for_output(struct x11_randr *r, XRRScreenResources *res,
			      int index, const char *name)
{
	bool mapped = false;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t id = 0; id < ARRAY_LENGTH(r->connector); id++) {
			if (!r->connector[id])
				continue;
			mapped = true;
			if (output_name_matches(name, r->connector[id],
						pass == 0))
				return (int)id;
		}
	}
	return mapped ? -1 : index;
}

static RRMode find_mode(XRRScreenResources *res, uint32_t w, uint32_t h)
{
	for (int i = 0; i < res->nmode; i++)
		if (res->modes[i].width == w && res->modes[i].height == h &&
		    !(res->modes[i].modeFlags & RR_Interlace))
			return res->modes[i].id;
	return None;
}

static RRMode create_mode(struct x11_randr *r, uint32_t w, uint32_t h)
{
	struct cvt_mode m;
	XRRModeInfo info = { 0 };
	char name[64];

	if (cvt_mode_compute(w, h, REFRESH_HZ, &m) < 0)
		return None;
	snprintf(name, sizeof(name), "%ux%u", w, h);
	info.width = m.width;
	info.height = m.height;
	info.dotClock = m.dot_clock_hz;
	info.hSyncStart = m.hsync_start;
	info.hSyncEnd = m.hsync_end;
	info.hTotal = m.htotal;
	info.vSyncStart = m.vsync_start;
	info.vSyncEnd = m.vsync_end;
	info.vTotal = m.vtotal;
	info.modeFlags = RR_HSyncNegative | RR_VSyncPositive;
	info.name = name;
	info.nameLength = (unsigned)strlen(name);
	RRMode id = XRRCreateMode(r->dpy, r->root, &info);
	g_debug("created mode %s (id 0x%lx)", name, (unsigned long)id);
	return id;
}

static bool output_has_mode(XRROutputInfo *oi, RRMode mode)
{
	for (int i = 0; i < oi->nmode; i++)
		if (oi->modes[i] == mode)
			return true;
	return false;
}

static void set_output_mm(struct x11_randr *r, RROutput out, uint16_t w_mm,
			  uint16_t h_mm)
{
	static const char *const names[2] = { "WIDTH_MM", "HEIGHT_MM" };
	long val[2] = { w_mm, h_mm };

	for (int i = 0; i < 2; i++) {
		Atom a = XInternAtom(r->dpy, names[i], True);
		if (a == None)
			continue;
		XRRPropertyInfo *pi = XRRQueryOutputProperty(r->dpy, out, a);
		if (!pi)
			continue;
		XFree(pi);
		XRRChangeOutputProperty(r->dpy, out, a, XA_INTEGER, 32,
					PropModeReplace,
					(unsigned char *)&val[i], 1);
	}
}

static void disable_crtc(struct x11_randr *r, XRRScreenResources *res,
			 RRCrtc crtc)
{
	XRRSetCrtcConfig(r->dpy, res, crtc, CurrentTime, 0, 0, None,
			 RR_Rotate_0, NULL, 0);
}

/* A CRTC for output: its current one, else a free one it can use. */
static RRCrtc pick_crtc(struct x11_randr *r, XRRScreenResources *res,
			XRROutputInfo *oi, const RRCrtc *taken, int ntaken)
{
	if (oi->crtc)
		return oi->crtc;
	for (int i = 0; i < oi->ncrtc; i++) {
		bool used = false;
		for (int j = 0; j < ntaken; j++)
			used |= taken[j] == oi->crtcs[i];
		if (used)
			continue;
		XRRCrtcInfo *ci = XRRGetCrtcInfo(r->dpy, res, oi->crtcs[i]);
		bool idle = ci && ci->noutput == 0;
		if (ci)
			XRRFreeCrtcInfo(ci);
		if (idle)
			return oi->crtcs[i];
	}
	return None;
}

/* Turn the message into per-display wishes: positions from the client
 * when it sends them, else side by side; shifted so nothing is negative. */
static uint32_t plan_layout(const struct vdp_monitors_config *mc,
			    struct wanted *want)
{
	bool use_pos = mc->flags & VDP_MONITORS_FLAG_USE_POS;
	int64_t min_x = INT64_MAX, min_y = INT64_MAX, next_x = 0;

	for (uint32_t i = 0; i < mc->count; i++) {
		const struct vdp_monitor *m = &mc->mon[i];
		struct wanted *w = &want[i];

		*w = (struct wanted){ 0 };
		if (!m->enabled)
			continue;
		w->enabled = true;
		w->w = m->width;
		w->h = m->height;
		w->w_mm = m->width_mm;
		w->h_mm = m->height_mm;
		if (use_pos) {
			w->x = m->x;
			w->y = m->y;
		} else {
			w->x = (int32_t)next_x;
			w->y = 0;
			next_x += m->width;
		}
		min_x = MIN(min_x, w->x);
		min_y = MIN(min_y, w->y);
	}
	for (uint32_t i = 0; i < mc->count; i++) {
		if (!want[i].enabled)
			continue;
		want[i].x = (int32_t)(want[i].x - min_x);
		want[i].y = (int32_t)(want[i].y - min_y);
	}
	return mc->count;
}

int x11_randr_apply_outputs(struct x11_randr *r, XRRScreenResources *res,
			    const struct wanted *want)
{
	int64_t sw = 0, sh = 0;
	double mm_per_px_x = 25.4 / DEFAULT_DPI, mm_per_px_y = 25.4 / DEFAULT_DPI;
	bool have_mm = false;
	int ret = 0;

	for (int i = 0; i < res->noutput; i++) {
		if (!want[i].enabled)
			continue;
		sw = MAX(sw, (int64_t)want[i].x + want[i].w);
		sh = MAX(sh, (int64_t)want[i].y + want[i].h);
		if (!have_mm && want[i].w_mm && want[i].h_mm) {
			mm_per_px_x = (double)want[i].w_mm / want[i].w;
			mm_per_px_y = (double)want[i].h_mm / want[i].h;
			have_mm = true;
		}
	}
	if (sw == 0 || sh == 0) {
		g_message("no X output to enable: layout unchanged");
		return -EINVAL;
	}
	if (sw > r->max_w || sh > r->max_h) {
		g_warning("the layout needs a %" PRId64 "x%" PRId64
			  " screen, the X server allows at most %dx%d",
			  sw, sh, r->max_w, r->max_h);
		return -E2BIG;
	}
	sw = MAX(sw, r->min_w);
	sh = MAX(sh, r->min_h);

	/* Switch off CRTCs of outputs no longer wanted, and those that would
	 * not fit the new screen size (they come back below). */
	for (int c = 0; c < res->ncrtc; c++) {
		XRRCrtcInfo *ci = XRRGetCrtcInfo(r->dpy, res, res->crtcs[c]);
		if (!ci)
			continue;
		bool off = false;
		if (ci->mode != None) {
			off = ci->x + (int64_t)ci->width > sw ||
			      ci->y + (int64_t)ci->height > sh;
			for (int o = 0; o < ci->noutput; o++) {
				int idx = -1;
				for (int k = 0; k < res->noutput; k++)
					if (res->outputs[k] == ci->outputs[o])
						idx = k;
				if (idx < 0 || !want[idx].enabled)
					off = true;
			}
		}
		if (off) {
			g_debug("disabling CRTC 0x%lx", (unsigned long)res->crtcs[c]);
			disable_crtc(r, res, res->crtcs[c]);
		}
		XRRFreeCrtcInfo(ci);
	}

	int mm_w = (int)(sw * mm_per_px_x + 0.5);
	int mm_h = (int)(sh * mm_per_px_y + 0.5);
	g_debug("screen size %" PRId64 "x%" PRId64 " (%dx%d mm)", sw, sh, mm_w,
		mm_h);
	XRRSetScreenSize(r->dpy, r->root, (int)sw, (int)sh, mm_w, mm_h);

	RRCrtc *taken = g_new0(RRCrtc, res->noutput);
	int ntaken = 0;
	for (int i = 0; i < res->noutput; i++) {
		if (!want[i].enabled)
			continue;
		RROutput out = res->outputs[i];
		XRROutputInfo *oi = XRRGetOutputInfo(r->dpy, res, out);
		if (!oi) {
			ret = -EIO;
			continue;
		}
		RRMode mode = want[i].mode;
		if (mode == None)
			mode = find_mode(res, want[i].w, want[i].h);
		if (mode == None)
			mode = create_mode(r, want[i].w, want[i].h);
		if (mode == None) {
			g_warning("no mode %ux%u for %s", want[i].w, want[i].h,
				  oi->name);
			XRRFreeOutputInfo(oi);
			ret = -EINVAL;
			continue;
		}
		if (!output_has_mode(oi, mode))
			XRRAddOutputMode(r->dpy, out, mode);

		RRCrtc crtc = pick_crtc(r, res, oi, taken, ntaken);
		if (crtc == None) {
			g_warning("no free CRTC for output %s", oi->name);
			XRRFreeOutputInfo(oi);
			ret = -EBUSY;
			continue;
		}
		taken[ntaken++] = crtc;
		if (want[i].w_mm && want[i].h_mm)
			set_output_mm(r, out, want[i].w_mm, want[i].h_mm);
		g_debug("%s: %ux%u+%d+%d", oi->name, want[i].w, want[i].h,
			want[i].x, want[i].y);
		Status s = XRRSetCrtcConfig(r->dpy, res, crtc, CurrentTime,
					    want[i].x, want[i].y, mode,
					    RR_Rotate_0, &out, 1);
		if (s != RRSetConfigSuccess) {
			g_warning("setting %s to %ux%u failed", oi->name,
				  want[i].w, want[i].h);
			ret = -EIO;
		}
		XRRFreeOutputInfo(oi);
	}
	g_free(taken);
	return ret;
}

int x11_randr_apply(struct x11_randr *r, const struct vdp_monitors_config *mc)
{
	struct wanted want[VDP_MONITORS_MAX];
	uint32_t n = plan_layout(mc, want);
	bool any = false;

	for (uint32_t i = 0; i < n; i++) {
		if (!want[i].enabled)
			continue;
		if (want[i].w > 32767 || want[i].h > 32767)
			return -EINVAL;
		any = true;
	}
	if (!any) {
		g_message("monitors config enables no monitor: ignored");
		return -EINVAL;
	}

	XGrabServer(r->dpy);
	XRRScreenResources *res = XRRGetScreenResourcesCurrent(r->dpy, r->root);
	if (!res || res->noutput == 0) {
		if (res)
			XRRFreeScreenResources(res);
		XUngrabServer(r->dpy);
		return -EIO;
	}
	/* the wishes per display id become wishes per output */
	struct wanted *per_output = g_new0(struct wanted, res->noutput);
	for (uint32_t i = 0; i < n; i++) {
		if (!want[i].enabled)
			continue;
		int o = output_for_display(r, res, i);
		if (o < 0)
			g_message("display %u has no X output: ignored", i);
		else if (per_output[o].enabled)
			g_message("display %u: its output already serves "
				  "another display: ignored", i);
		else
			per_output[o] = want[i];
	}
	int ret = x11_randr_apply_outputs(r, res, per_output);
	g_free(per_output);
	XRRFreeScreenResources(res);
	XUngrabServer(r->dpy);
	XSync(r->dpy, False);
	return ret;
}

int x11_randr_get_layout(struct x11_randr *r, struct vdp_ipc_screen_layout *out)
{
	XRRScreenResources *res = XRRGetScreenResourcesCurrent(r->dpy, r->root);
	if (!res)
		return -EIO;

	*out = (struct vdp_ipc_screen_layout){ 0 };
	out->width = (uint32_t)DisplayWidth(r->dpy, DefaultScreen(r->dpy));
	out->height = (uint32_t)DisplayHeight(r->dpy, DefaultScreen(r->dpy));

	for (int i = 0; i < res->noutput && out->count < VDP_IPC_MAX_DISPLAYS;
	     i++) {
		XRROutputInfo *oi = XRRGetOutputInfo(r->dpy, res, res->outputs[i]);
		if (!oi)
			continue;
		if (oi->crtc) {
			XRRCrtcInfo *ci = XRRGetCrtcInfo(r->dpy, res, oi->crtc);
			int id = display_for_output(r, res, i, oi->name);
			if (ci && ci->mode != None && id >= 0) {
				struct vdp_ipc_display *d =
					&out->displays[out->count++];
				d->display_id = (uint32_t)id;
				d->x = ci->x;
				d->y = ci->y;
				d->width = ci->width;
				d->height = ci->height;
			}
			if (ci)
				XRRFreeCrtcInfo(ci);
		}
		XRRFreeOutputInfo(oi);
	}
	XRRFreeScreenResources(res);
	return 0;
}
