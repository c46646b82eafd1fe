/* SPDX-License-Identifier: MIT */
/*
 * One state machine per selection (CLIPBOARD, PRIMARY):
 *
 *   NONE   --XFixes: a guest app owns it------------------> GUEST
 *   GUEST  --TARGETS answered: GRAB(types) to the daemon---> GUEST
 *   GUEST  --XFixes: owner gone: RELEASE-------------------> NONE
 *   any    --client GRAB: we take the X selection----------> CLIENT
 *   CLIENT --SelectionClear (a guest app took it)----------> NONE
 *             (the XFixes event that follows leads to GUEST)
 *   CLIENT --client RELEASE / client gone: X owner None----> NONE
 *
 * Data moves only on request: in GUEST a client REQUEST becomes one X
 * conversion (ConvertSelection, INCR when the owner uses it) at a time;
 * in CLIENT an X SelectionRequest waits for the client's DATA (cached per
 * type until the next grab) and is answered, with INCR when large.
 * XFixes events for our own window are ignored, so our grabs never echo.
 */
#include "config.h"

#include <X11/Xatom.h>
#include <X11/extensions/Xfixes.h>
#include <glib.h>

#include "clipboard-targets.h"
#include "vdp-text.h"
#include "vdp-validate.h"
#include "vdp-wire.h"
#include "x11-selection-private.h"

void set_owner(struct sel *sl, enum clip_owner o, const char *why)
{
	if (sl->owner != o)
		g_debug("%s: %s -> %s (%s)", vdp_selection_name(sl->id),
			clip_owner_name(sl->owner), clip_owner_name(o), why);
	sl->owner = o;
}

struct sel *sel_by_atom(struct x11_selection *s, Atom a)
{
	for (int i = 0; i < NSEL; i++)
		if (s->sel[i].atom == a)
			return &s->sel[i];
	return NULL;
}

static struct sel *sel_by_id(struct x11_selection *s, uint8_t id)
{
	return id < NSEL ? &s->sel[id] : NULL;
}

/* A server timestamp, from a zero-length property append on time_win. */
static Time server_time(struct x11_selection *s)
{
	XEvent ev;
	Atom a = s->a_timestamp;

	XChangeProperty(s->dpy, s->time_win, a, XA_INTEGER, 32,
			PropModeAppend, NULL, 0);
	XWindowEvent(s->dpy, s->time_win, PropertyChangeMask, &ev);
	return ev.xproperty.time;
}

/* ---- events -------------------------------------------------------------- */

static void on_xfixes_notify(struct x11_selection *s,
			     XFixesSelectionNotifyEvent *ev)
{
	struct sel *sl = sel_by_atom(s, ev->selection);

	if (!sl)
		return;
	if (ev->owner == s->win)
		return; /* our own grab for the client */
	if (sl->owner == CLIP_OWNER_CLIENT) {
		clear_client_state(s, sl);
		set_owner(sl, CLIP_OWNER_NONE, "a guest app took it");
	}
	guest_owner_changed(s, sl, ev->owner, ev->selection_timestamp);
}

bool x11_selection_handle_event(struct x11_selection *s, XEvent *ev)
{
	if (ev->type == s->xfixes_event_base + XFixesSelectionNotify) {
		on_xfixes_notify(s, (XFixesSelectionNotifyEvent *)ev);
		return true;
	}
	switch (ev->type) {
	case SelectionNotify:
		on_selection_notify(s, &ev->xselection);
		return true;
	case SelectionRequest:
		on_selection_request(s, &ev->xselectionrequest);
		return true;
	case SelectionClear: {
		struct sel *sl = sel_by_atom(s, ev->xselectionclear.selection);
		if (sl && sl->owner == CLIP_OWNER_CLIENT) {
			clear_client_state(s, sl);
			set_owner(sl, CLIP_OWNER_NONE, "selection cleared");
		}
		return true;
	}
	case PropertyNotify:
		if (ev->xproperty.window == s->win &&
		    ev->xproperty.state == PropertyNewValue) {
			for (int i = 0; i < NSEL; i++)
				if (s->sel[i].prop == ev->xproperty.atom &&
				    s->sel[i].conv == CONV_DATA_INCR)
					on_incr_in_chunk(s, &s->sel[i]);
			return true;
		}
		if (ev->xproperty.state == PropertyDelete) {
			on_incr_out_delete(s, &ev->xproperty);
			return true;
		}
		return false;
	}
	return false;
}

/* ---- from the daemon ---------------------------------------------------- */

void x11_selection_set_client(struct x11_selection *s, bool crlf,
			      int32_t max_clipboard)
{
	s->crlf = crlf;
	s->max_clipboard = max_clipboard;
}

void x11_selection_client_grab(struct x11_selection *s, uint8_t id,
			       const uint32_t *types, uint32_t count)
{
	struct sel *sl = sel_by_id(s, id);
	if (!sl) {
		g_debug("grab of selection %u ignored", id);
		return;
	}
	if (sl->owner == CLIP_OWNER_GUEST) {
		fail_client_requests(s, sl);
		sl->announced = false;
	}
	clear_client_state(s, sl);
	if (!clip_cache_grab(&sl->cc, types, count)) {
		/* nothing an X app could paste: the guest keeps no stale
		 * data of ours, but we do not own an empty selection */
		g_debug("%s: client grab without a type we carry",
			vdp_selection_name(id));
		if (sl->owner == CLIP_OWNER_CLIENT) {
			set_owner(sl, CLIP_OWNER_NONE, "empty client grab");
			XSetSelectionOwner(s->dpy, sl->atom, None, server_time(s));
		}
		return;
	}

	sl->own_time = server_time(s);
	XSetSelectionOwner(s->dpy, sl->atom, s->win, sl->own_time);
	if (XGetSelectionOwner(s->dpy, sl->atom) != s->win) {
		g_message("%s: could not take the X selection",
			  vdp_selection_name(id));
		set_owner(sl, CLIP_OWNER_NONE, "grab failed");
		return;
	}
	set_owner(sl, CLIP_OWNER_CLIENT, "client grab");
}

void x11_selection_client_release(struct x11_selection *s, uint8_t id)
{
	struct sel *sl = sel_by_id(s, id);
	if (!sl || sl->owner != CLIP_OWNER_CLIENT)
		return;
	clear_client_state(s, sl);
	set_owner(sl, CLIP_OWNER_NONE, "client release");
	XSetSelectionOwner(s->dpy, sl->atom, None, server_time(s));
}

void x11_selection_client_request(struct x11_selection *s, uint8_t id,
				  uint32_t type)
{
	struct sel *sl = sel_by_id(s, id);
	if (!sl || sl->owner != CLIP_OWNER_GUEST || !clip_type_carried(type)) {
		if (sl)
			send_data_none(s, sl);
		else
			s->ops->data(s->user, id, VDP_CLIPBOARD_NONE, NULL, 0);
		return;
	}
	if (g_queue_get_length(&sl->client_requests) >= MAX_PENDING) {
		send_data_none(s, sl);
		return;
	}
	g_queue_push_tail(&sl->client_requests, GUINT_TO_POINTER(type));
	start_next_request(s, sl);
}

void x11_selection_client_data(struct x11_selection *s, uint8_t id,
			       uint32_t type, uint8_t *data, size_t size)
{
	struct sel *sl = sel_by_id(s, id);

	if (!sl || sl->owner != CLIP_OWNER_CLIENT) {
		free(data);
		return;
	}
	/* a refusal, or text that cannot be converted: what was asked and
	 * not cached fails (clip-cache.h) */
	if (clip_cache_data(&sl->cc, type, data, size, s->crlf) !=
	    VDP_CLIPBOARD_NONE)
		g_debug("%s: %zu bytes of %s from the client",
			vdp_selection_name(id), sl->cc.len[type],
			vdp_clipboard_type_name(type));
	retry_x_requests(s, sl);
}

void x11_selection_client_gone(struct x11_selection *s)
{
	for (int i = 0; i < NSEL; i++) {
		struct sel *sl = &s->sel[i];
		if (sl->owner == CLIP_OWNER_CLIENT) {
			clear_client_state(s, sl);
			set_owner(sl, CLIP_OWNER_NONE, "client gone");
			XSetSelectionOwner(s->dpy, sl->atom, None, CurrentTime);
		} else if (sl->owner == CLIP_OWNER_GUEST) {
			/* nobody to answer any more */
			conv_reset(sl);
			g_queue_clear(&sl->client_requests);
			sl->announced = false;
		}
	}
}

void x11_selection_resend_grabs(struct x11_selection *s)
{
	for (int i = 0; i < NSEL; i++) {
		struct sel *sl = &s->sel[i];
		if (sl->owner == CLIP_OWNER_GUEST) {
			/* whatever was announced went to the previous
			 * connection; start over with TARGETS */
			sl->announced = false;
			guest_owner_changed(s, sl, sl->guest_owner,
					    sl->owner_time);
		}
	}
}

/* ---- setup -------------------------------------------------------------- */

struct x11_selection *x11_selection_new(Display *dpy,
					const struct x11_selection_ops *ops,
					void *user)
{
	int ev_base, err_base;
	int major = 0, minor = 0;

	if (!XFixesQueryExtension(dpy, &ev_base, &err_base) ||
	    !XFixesQueryVersion(dpy, &major, &minor) || major < 1)
		return NULL;

	struct x11_selection *s = g_new0(struct x11_selection, 1);
	s->dpy = dpy;
	s->ops = ops;
	s->user = user;
	s->xfixes_event_base = ev_base;

	Window root = DefaultRootWindow(dpy);
	XSetWindowAttributes attr = { .event_mask = PropertyChangeMask };
	s->win = XCreateWindow(dpy, root, -1, -1, 1, 1, 0, 0, InputOnly,
			       CopyFromParent, CWEventMask, &attr);
	s->time_win = XCreateWindow(dpy, root, -1, -1, 1, 1, 0, 0, InputOnly,
				    CopyFromParent, CWEventMask, &attr);
	XStoreName(dpy, s->win, "vdagent clipboard");

	/* INCR above what one request can carry, with room for headers */
	long max_req = XExtendedMaxRequestSize(dpy);
	if (max_req == 0)
		max_req = XMaxRequestSize(dpy);
	s->incr_chunk = MIN((size_t)max_req * 4 - 1024, (size_t)1024 * 1024);

	s->a_targets = XInternAtom(dpy, "TARGETS", False);
	s->a_multiple = XInternAtom(dpy, "MULTIPLE", False);
	s->a_timestamp = XInternAtom(dpy, "TIMESTAMP", False);
	s->a_incr = XInternAtom(dpy, "INCR", False);
	s->a_atom_pair = XInternAtom(dpy, "ATOM_PAIR", False);
	s->a_utf8 = XInternAtom(dpy, "UTF8_STRING", False);
	s->a_compound = XInternAtom(dpy, "COMPOUND_TEXT", False);
	s->a_text = XInternAtom(dpy, "TEXT", False);

	static const char *const names[NSEL] = { "CLIPBOARD", "PRIMARY" };
	static const char *const props[NSEL] = { "VDAGENT_CLIPBOARD",
						 "VDAGENT_PRIMARY" };
	for (int i = 0; i < NSEL; i++) {
		struct sel *sl = &s->sel[i];
		sl->s = s;
		sl->id = (uint8_t)i;
		sl->atom = XInternAtom(dpy, names[i], False);
		sl->prop = XInternAtom(dpy, props[i], False);
		g_queue_init(&sl->x_requests);
		g_queue_init(&sl->client_requests);
		XFixesSelectSelectionInput(
			dpy, root, sl->atom,
			XFixesSetSelectionOwnerNotifyMask |
				XFixesSelectionWindowDestroyNotifyMask |
				XFixesSelectionClientCloseNotifyMask);
		/* a guest app may own it already */
		Window owner = XGetSelectionOwner(dpy, sl->atom);
		if (owner != None)
			guest_owner_changed(s, sl, owner, CurrentTime);
	}
	return s;
}

void x11_selection_free(struct x11_selection *s)
{
	if (!s)
		return;
	for (int i = 0; i < NSEL; i++) {
		struct sel *sl = &s->sel[i];
		conv_reset(sl);
		g_queue_clear(&sl->client_requests);
		g_queue_clear_full(&sl->x_requests, g_free);
		if (sl->client_timeout)
			g_source_remove(sl->client_timeout);
		clip_cache_clear(&sl->cc);
		g_strfreev(sl->targets);
	}
	g_list_free_full(s->incr_out, (GDestroyNotify)incr_out_free);
	XDestroyWindow(s->dpy, s->win);
	XDestroyWindow(s->dpy, s->time_win);
	g_free(s);
}
