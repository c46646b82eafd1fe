/* SPDX-License-Identifier: MIT */
/*
 * CLIENT: the client owns the selection and we hold it in X.  A
 * SelectionRequest waits for the client's DATA (cached per type until the
 * next grab) and is answered, with INCR when large; TARGETS, MULTIPLE and
 * TIMESTAMP are answered here too.
 */
#include "config.h"

#include <X11/Xatom.h>
#include <X11/Xutil.h>
#include <glib.h>
#include <limits.h>
#include <string.h>

#include "clipboard-targets.h"
#include "vdp-text.h"
#include "vdp-util.h"
#include "vdp-validate.h"
#include "vdp-wire.h"
#include "x11-selection-private.h"

#define CLIENT_TIMEOUT_S 20
#define INCR_OUT_TIMEOUT_S 10
#define MAX_INCR_OUT 16 /* each holds a copy of its data */

/* An X app's request waiting for the client's data. */
struct x_request {
	Window requestor;
	Atom target;
	Atom property;
	Time time;
};

/* Data we send to an X requestor in INCR chunks. */
struct incr_out {
	struct x11_selection *s;
	Window requestor;
	Atom property;
	Atom type;
	uint8_t *data;
	size_t len;
	size_t off;
	bool done; /* zero-length end marker written */
	guint timeout;
};

static char *atom_name(Display *dpy, Atom a)
{
	if (a == None)
		return g_strdup("None");
	char *n = XGetAtomName(dpy, a);
	char *r = g_strdup(n ? n : "?");
	if (n)
		XFree(n);
	return r;
}

/* ---- CLIENT: answering X requestors ------------------------------------- */

void incr_out_free(struct incr_out *o)
{
	if (o->timeout)
		g_source_remove(o->timeout);
	free(o->data);
	g_free(o);
}

static gboolean on_incr_out_timeout(gpointer user)
{
	struct incr_out *o = user;
	struct x11_selection *s = o->s;

	o->timeout = 0;
	g_message("INCR transfer to window 0x%lx stalled: dropped",
		  o->requestor);
	s->incr_out = g_list_remove(s->incr_out, o);
	incr_out_free(o);
	return G_SOURCE_REMOVE;
}

static void send_notify(struct x11_selection *s, struct sel *sl,
			const struct x_request *r, Atom property)
{
	XEvent ev = { 0 };

	ev.xselection.type = SelectionNotify;
	ev.xselection.display = s->dpy;
	ev.xselection.requestor = r->requestor;
	ev.xselection.selection = sl->atom;
	ev.xselection.target = r->target;
	ev.xselection.property = property;
	ev.xselection.time = r->time;
	XSendEvent(s->dpy, r->requestor, False, NoEventMask, &ev);
}

/* Write data to the requestor's property, INCR when large.  Takes data.
 * False when refused. */
static bool put_data(struct x11_selection *s, Window w, Atom prop, Atom type,
		     uint8_t *data, size_t len)
{
	if (len <= s->incr_chunk) {
		XChangeProperty(s->dpy, w, prop, type, 8, PropModeReplace, data,
				(int)len);
		free(data);
		return true;
	}
	if (g_list_length(s->incr_out) >= MAX_INCR_OUT) {
		g_message("too many INCR transfers in progress: request of "
			  "window 0x%lx refused", w);
		free(data);
		return false;
	}
	struct incr_out *o = g_new0(struct incr_out, 1);
	o->s = s;
	o->requestor = w;
	o->property = prop;
	o->type = type;
	o->data = data;
	o->len = len;
	o->timeout = g_timeout_add_seconds(INCR_OUT_TIMEOUT_S,
					   on_incr_out_timeout, o);
	s->incr_out = g_list_prepend(s->incr_out, o);
	long size = (long)MIN(len, (size_t)LONG_MAX);
	XSelectInput(s->dpy, w, PropertyChangeMask);
	XChangeProperty(s->dpy, w, prop, s->a_incr, 32, PropModeReplace,
			(unsigned char *)&size, 1);
	g_debug("INCR transfer of %zu bytes to 0x%lx", len, w);
	return true;
}

/* Is another INCR transfer still going to this window? */
static bool incr_out_to(struct x11_selection *s, Window w)
{
	for (GList *l = s->incr_out; l; l = l->next)
		if (((struct incr_out *)l->data)->requestor == w)
			return true;
	return false;
}

void on_incr_out_delete(struct x11_selection *s, XPropertyEvent *ev)
{
	for (GList *l = s->incr_out; l; l = l->next) {
		struct incr_out *o = l->data;
		if (o->requestor != ev->window || o->property != ev->atom)
			continue;
		if (o->done) {
			s->incr_out = g_list_delete_link(s->incr_out, l);
			if (!incr_out_to(s, o->requestor))
				XSelectInput(s->dpy, o->requestor, NoEventMask);
			incr_out_free(o);
			return;
		}
		size_t n = MIN(s->incr_chunk, o->len - o->off);
		XChangeProperty(s->dpy, o->requestor, o->property, o->type, 8,
				PropModeReplace, o->data + o->off, (int)n);
		o->off += n;
		if (n == 0)
			o->done = true;
		g_source_remove(o->timeout);
		o->timeout = g_timeout_add_seconds(INCR_OUT_TIMEOUT_S,
						   on_incr_out_timeout, o);
		return;
	}
}

/* Encode the client's (cached) data for one target.  Returns false when
 * it cannot be. */
static bool encode_for_target(struct x11_selection *s, struct sel *sl,
			      const struct clip_target_info *ti, Atom target,
			      uint8_t **out, size_t *out_len, Atom *out_type)
{
	const uint8_t *src = sl->cc.data[ti->vd_type];
	size_t len = sl->cc.len[ti->vd_type];

	*out_type = target;
	switch (ti->encoding) {
	case CLIP_ENC_RAW:
		if (target == s->a_text)
			*out_type = s->a_utf8;
		*out = malloc(len + 1);
		if (!*out)
			return false;
		if (len)
			memcpy(*out, src, len);
		*out_len = len;
		return true;
	case CLIP_ENC_LATIN1:
		*out_type = XA_STRING;
		*out = vdp_utf8_to_latin1(src, len, out_len);
		return *out != NULL;
	case CLIP_ENC_COMPOUND: {
		char *z = g_strndup((const char *)src, len);
		XTextProperty tp = { 0 };
		int r = Xutf8TextListToTextProperty(s->dpy, &z, 1,
						    XCompoundTextStyle, &tp);
		g_free(z);
		if (r < 0 || !tp.value)
			return false;
		*out_type = tp.encoding;
		*out_len = tp.nitems;
		*out = malloc(tp.nitems + 1);
		if (*out)
			memcpy(*out, tp.value, tp.nitems);
		XFree(tp.value);
		return *out != NULL;
	}
	}
	return false;
}

enum serve_result {
	SERVE_DONE,   /* property written */
	SERVE_REFUSE, /* cannot: property None */
	SERVE_WAIT,   /* the client's data was asked for */
};

static void ask_client(struct x11_selection *s, struct sel *sl, uint32_t type)
{
	if (clip_cache_ask(&sl->cc, type))
		s->ops->request(s->user, sl->id, type);
}

static size_t target_atoms(struct x11_selection *s, struct sel *sl,
			   Atom *atoms, size_t max)
{
	size_t n = 0, count;
	const struct clip_target_info *t = clip_targets(&count);

	atoms[n++] = s->a_targets;
	atoms[n++] = s->a_multiple;
	atoms[n++] = s->a_timestamp;
	for (size_t i = 0; i < count && n < max; i++)
		if (sl->cc.has[t[i].vd_type])
			atoms[n++] = XInternAtom(s->dpy, t[i].name, False);
	return n;
}

/* Serve one (target, property) of a request in CLIENT state. */
static enum serve_result serve_target(struct x11_selection *s, struct sel *sl,
				      Window w, Atom target, Atom prop)
{
	if (target == s->a_targets) {
		Atom atoms[64];
		size_t n = target_atoms(s, sl, atoms, ARRAY_LENGTH(atoms));
		long l[64];
		for (size_t i = 0; i < n; i++)
			l[i] = (long)atoms[i];
		XChangeProperty(s->dpy, w, prop, XA_ATOM, 32, PropModeReplace,
				(unsigned char *)l, (int)n);
		return SERVE_DONE;
	}
	if (target == s->a_timestamp) {
		long t = (long)sl->own_time;
		XChangeProperty(s->dpy, w, prop, XA_INTEGER, 32,
				PropModeReplace, (unsigned char *)&t, 1);
		return SERVE_DONE;
	}
	char *name = atom_name(s->dpy, target);
	const struct clip_target_info *ti = clip_target_lookup(name);
	g_free(name);
	if (!ti || !sl->cc.has[ti->vd_type] || sl->cc.failed[ti->vd_type])
		return SERVE_REFUSE;
	if (!sl->cc.cached[ti->vd_type]) {
		ask_client(s, sl, ti->vd_type);
		return SERVE_WAIT;
	}
	uint8_t *data;
	size_t len;
	Atom type;
	if (!encode_for_target(s, sl, ti, target, &data, &len, &type))
		return SERVE_REFUSE;
	return put_data(s, w, prop, type, data, len) ? SERVE_DONE
						     : SERVE_REFUSE;
}

/* Try to answer a request; SERVE_WAIT keeps it queued. */
static enum serve_result serve_request(struct x11_selection *s, struct sel *sl,
				       const struct x_request *r)
{
	Atom prop = r->property != None ? r->property : r->target;

	if (sl->owner != CLIP_OWNER_CLIENT) {
		send_notify(s, sl, r, None);
		return SERVE_REFUSE;
	}
	if (r->target != s->a_multiple) {
		enum serve_result res =
			serve_target(s, sl, r->requestor, r->target, prop);
		if (res != SERVE_WAIT)
			send_notify(s, sl, r, res == SERVE_DONE ? prop : None);
		return res;
	}

	/* MULTIPLE: the property holds (target, property) atom pairs; a
	 * pair we cannot serve gets its property replaced by None. */
	Atom type;
	int format;
	unsigned long nitems, after;
	unsigned char *raw = NULL;
	if (r->property == None ||
	    XGetWindowProperty(s->dpy, r->requestor, r->property, 0, 1024,
			       False, AnyPropertyType, &type, &format, &nitems,
			       &after, &raw) != Success ||
	    format != 32 || nitems % 2) {
		if (raw)
			XFree(raw);
		send_notify(s, sl, r, None);
		return SERVE_REFUSE;
	}
	long *pairs = (long *)raw;
	/* first make sure all data is there, so the answer is atomic */
	bool wait = false;
	for (unsigned long i = 0; i < nitems; i += 2) {
		char *name = atom_name(s->dpy, (Atom)pairs[i]);
		const struct clip_target_info *ti = clip_target_lookup(name);
		g_free(name);
		if (ti && sl->cc.has[ti->vd_type] &&
		    !sl->cc.failed[ti->vd_type] && !sl->cc.cached[ti->vd_type]) {
			ask_client(s, sl, ti->vd_type);
			wait = true;
		}
	}
	if (wait) {
		XFree(raw);
		return SERVE_WAIT;
	}
	for (unsigned long i = 0; i < nitems; i += 2) {
		if ((Atom)pairs[i] == s->a_multiple ||
		    serve_target(s, sl, r->requestor, (Atom)pairs[i],
				 (Atom)pairs[i + 1]) != SERVE_DONE)
			pairs[i + 1] = None;
	}
	XChangeProperty(s->dpy, r->requestor, r->property, type, 32,
			PropModeReplace, raw, (int)nitems);
	XFree(raw);
	send_notify(s, sl, r, r->property);
	return SERVE_DONE;
}

void retry_x_requests(struct x11_selection *s, struct sel *sl)
{
	GList *l = sl->x_requests.head;
	while (l) {
		GList *next = l->next;
		struct x_request *r = l->data;
		if (serve_request(s, sl, r) != SERVE_WAIT) {
			g_queue_delete_link(&sl->x_requests, l);
			g_free(r);
		}
		l = next;
	}
	if (g_queue_is_empty(&sl->x_requests) && sl->client_timeout) {
		g_source_remove(sl->client_timeout);
		sl->client_timeout = 0;
	}
}

static gboolean on_client_timeout(gpointer user)
{
	struct sel *sl = user;
	struct x11_selection *s = sl->s;

	sl->client_timeout = 0;
	g_message("%s: the client did not send its data in %d s",
		  vdp_selection_name(sl->id), CLIENT_TIMEOUT_S);
	clip_cache_fail_pending(&sl->cc);
	retry_x_requests(s, sl);
	return G_SOURCE_REMOVE;
}

void on_selection_request(struct x11_selection *s,
			  XSelectionRequestEvent *ev)
{
	struct sel *sl = sel_by_atom(s, ev->selection);
	struct x_request r = {
		.requestor = ev->requestor,
		.target = ev->target,
		.property = ev->property,
		.time = ev->time,
	};

	if (!sl) {
		XEvent n = { 0 };
		n.xselection.type = SelectionNotify;
		n.xselection.requestor = ev->requestor;
		n.xselection.selection = ev->selection;
		n.xselection.target = ev->target;
		n.xselection.property = None;
		n.xselection.time = ev->time;
		XSendEvent(s->dpy, ev->requestor, False, NoEventMask, &n);
		return;
	}
	if (serve_request(s, sl, &r) != SERVE_WAIT)
		return;
	if (g_queue_get_length(&sl->x_requests) >= MAX_PENDING) {
		send_notify(s, sl, &r, None);
		return;
	}
	g_queue_push_tail(&sl->x_requests, g_memdup2(&r, sizeof(r)));
	if (!sl->client_timeout)
		sl->client_timeout = g_timeout_add_seconds(
			CLIENT_TIMEOUT_S, on_client_timeout, sl);
}

void clear_client_state(struct x11_selection *s, struct sel *sl)
{
	clip_cache_clear(&sl->cc);
	/* whoever still waits gets a refusal */
	enum clip_owner o = sl->owner;
	sl->owner = CLIP_OWNER_NONE;
	retry_x_requests(s, sl);
	sl->owner = o;
}
