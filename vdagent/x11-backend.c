/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <X11/Xlib.h>
#include <errno.h>
#include <glib.h>

#include "x11-backend.h"
#include "x11-randr.h"
#include "x11-selection.h"
#include "x11-source.h"

struct x11_backend {
	struct backend base;
	Display *dpy;
	Window instance_win; /* owns the one-agent-per-display selection */
	guint x_source;
	struct x11_randr *randr;
	struct x11_selection *sel;
	const struct backend_events *ev;
	void *user;
};

static struct x11_backend *xb(struct backend *b)
{
	return (struct x11_backend *)b;
}

/* ---- selections to the agent ------------------------------------------- */

static void sel_grab(void *user, uint8_t sel, const uint32_t *types,
		     uint32_t count)
{
	struct x11_backend *x = user;
	x->ev->grab(x->user, sel, types, count);
}

static void sel_release(void *user, uint8_t sel)
{
	struct x11_backend *x = user;
	x->ev->release(x->user, sel);
}

static void sel_request(void *user, uint8_t sel, uint32_t type)
{
	struct x11_backend *x = user;
	x->ev->request(x->user, sel, type);
}

static void sel_data(void *user, uint8_t sel, uint32_t type,
		     const uint8_t *data, size_t size)
{
	struct x11_backend *x = user;
	x->ev->data(x->user, sel, type, data, size);
}

static const struct x11_selection_ops sel_ops = {
	.grab = sel_grab,
	.release = sel_release,
	.request = sel_request,
	.data = sel_data,
};

static void on_x_event(XEvent *ev, void *user)
{
	struct x11_backend *x = user;

	if (x->randr && x11_randr_handle_event(x->randr, ev)) {
		x->ev->layout_changed(x->user);
		return;
	}
	if (x->sel)
		x11_selection_handle_event(x->sel, ev);
}

/* ---- the table ---------------------------------------------------------- */

static int get_layout(struct backend *b, struct vdp_ipc_screen_layout *out)
{
	if (!xb(b)->randr)
		return -ENOTSUP;
	return x11_randr_get_layout(xb(b)->randr, out);
}

static void layout_settle(struct backend *b)
{
	if (xb(b)->randr)
		x11_randr_follow_preferred(xb(b)->randr);
}

/* RandR answers synchronously: no token is kept. */
static int apply_monitors(struct backend *b,
			  const struct vdp_monitors_config *mc, uint64_t token)
{
	if (!xb(b)->randr)
		return -ENOTSUP;
	return x11_randr_apply(xb(b)->randr, mc);
}

static void set_device_info(struct backend *b,
			    const struct vdp_graphics_device_info *info)
{
	if (xb(b)->randr)
		x11_randr_set_device_info(xb(b)->randr, info);
}

static void clip_set_client(struct backend *b, bool crlf, int32_t max)
{
	if (xb(b)->sel)
		x11_selection_set_client(xb(b)->sel, crlf, max);
}

static void clip_grab(struct backend *b, uint8_t sel, const uint32_t *types,
		      uint32_t count)
{
	if (xb(b)->sel)
		x11_selection_client_grab(xb(b)->sel, sel, types, count);
}

static void clip_release(struct backend *b, uint8_t sel)
{
	if (xb(b)->sel)
		x11_selection_client_release(xb(b)->sel, sel);
}

static void clip_request(struct backend *b, uint8_t sel, uint32_t type)
{
	if (xb(b)->sel)
		x11_selection_client_request(xb(b)->sel, sel, type);
}

static void clip_data(struct backend *b, uint8_t sel, uint32_t type,
		      uint8_t *data, size_t size)
{
	if (xb(b)->sel)
		x11_selection_client_data(xb(b)->sel, sel, type, data, size);
	else
		free(data);
}

static void clip_client_gone(struct backend *b)
{
	if (xb(b)->sel)
		x11_selection_client_gone(xb(b)->sel);
}

static void clip_resend_grabs(struct backend *b)
{
	if (xb(b)->sel)
		x11_selection_resend_grabs(xb(b)->sel);
}

static void x11_backend_free(struct backend *b)
{
	struct x11_backend *x = xb(b);

	if (!x)
		return;
	if (x->x_source)
		g_source_remove(x->x_source);
	x11_selection_free(x->sel);
	x11_randr_free(x->randr);
	if (x->instance_win)
		XDestroyWindow(x->dpy, x->instance_win);
	g_free(x);
}

static const struct backend_ops x11_ops = {
	.name = "x11",
	.free = x11_backend_free,
	.get_layout = get_layout,
	.layout_settle = layout_settle,
	.apply_monitors = apply_monitors,
	.set_device_info = set_device_info,
	.clip_set_client = clip_set_client,
	.clip_grab = clip_grab,
	.clip_release = clip_release,
	.clip_request = clip_request,
	.clip_data = clip_data,
	.clip_client_gone = clip_client_gone,
	.clip_resend_grabs = clip_resend_grabs,
};

/* One agent per display: autostart and the user unit may both start us.
 * The selection goes away with its owner, so a crashed agent never
 * blocks the next one. */
static bool claim_display(struct x11_backend *x)
{
	Atom atom = XInternAtom(x->dpy, "_VDAGENT_INSTANCE", False);
	bool ours = false;

	x->instance_win = XCreateWindow(x->dpy, DefaultRootWindow(x->dpy), -1,
					-1, 1, 1, 0, 0, InputOnly,
					CopyFromParent, 0, NULL);
	XGrabServer(x->dpy);
	if (XGetSelectionOwner(x->dpy, atom) == None) {
		XSetSelectionOwner(x->dpy, atom, x->instance_win, CurrentTime);
		ours = XGetSelectionOwner(x->dpy, atom) == x->instance_win;
	}
	XUngrabServer(x->dpy);
	XFlush(x->dpy);
	return ours;
}

struct backend *x11_backend_open(void *arg, const struct backend_events *ev,
				 void *user, bool *already_running)
{
	struct x11_backend *x = g_new0(struct x11_backend, 1);

	x->base.ops = &x11_ops;
	x->dpy = arg;
	x->ev = ev;
	x->user = user;
	*already_running = false;
	if (!claim_display(x)) {
		*already_running = true;
		x11_backend_free(&x->base);
		return NULL;
	}
	x->randr = x11_randr_new(x->dpy);
	x->sel = x11_selection_new(x->dpy, &sel_ops, x);
	if (!x->sel)
		g_warning("no XFixes: clipboard disabled");
	x->x_source = x11_source_add(x->dpy, on_x_event, x);
	return &x->base;
}
