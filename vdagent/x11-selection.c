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
#include <X11/Xutil.h>
#include <X11/extensions/Xfixes.h>
#include <errno.h>
#include <glib.h>
#include <string.h>

#include "clipboard-convert.h"
#include "vdp-ipc.h"
#include "vdp-util.h"
#include "vdp-validate.h"
#include "vdp-wire.h"
#include "x11-selection.h"

#define NSEL 2 /* CLIPBOARD, PRIMARY */
#define NTYPES VDP_CLIPBOARD_TYPE_END
#define CONVERT_TIMEOUT_S 10
#define CLIENT_TIMEOUT_S 20
#define INCR_OUT_TIMEOUT_S 10
#define MAX_PENDING 64
#define MAX_TARGETS 256
#define MAX_INCR_OUT 16 /* each holds a copy of its data */

enum owner {
	OWNER_NONE,
	OWNER_GUEST,
	OWNER_CLIENT,
};

enum conversion {
	CONV_IDLE,
	CONV_TARGETS,
	CONV_DATA,
	CONV_DATA_INCR,
};

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

struct sel {
	struct x11_selection *s; /* back pointer for timer callbacks */
	uint8_t id; /* enum vdp_selection */
	Atom atom;
	Atom prop;  /* our property for conversions */
	enum owner owner;

	/* OWNER_CLIENT */
	bool client_has[NTYPES];
	Time own_time;
	uint8_t *cache[NTYPES];
	size_t cache_len[NTYPES];
	bool cached[NTYPES];
	bool failed[NTYPES];
	bool asked[NTYPES];
	GQueue x_requests; /* struct x_request */
	guint client_timeout;

	/* OWNER_GUEST */
	Window guest_owner;
	Time owner_time;   /* when it took the selection (XFixes) */
	Atom conv_target;  /* what the conversion in flight asked for */
	char **targets; /* NULL-terminated names the owner offers */
	bool announced;
	enum conversion conv;
	uint32_t conv_type;
	GByteArray *incr_in;
	Atom incr_type;
	guint conv_timeout;
	GQueue client_requests; /* GUINT_TO_POINTER(vd type) */
};

struct x11_selection {
	Display *dpy;
	Window win;      /* owns selections, receives conversions */
	Window time_win; /* only for server timestamps */
	int xfixes_event_base;
	const struct x11_selection_ops *ops;
	void *user;
	bool crlf;
	int32_t max_clipboard;
	size_t incr_chunk;

	Atom a_targets, a_multiple, a_timestamp, a_incr, a_atom_pair,
		a_utf8, a_compound, a_text;
	struct sel sel[NSEL];
	GList *incr_out; /* struct incr_out */
};

static const char *owner_name(enum owner o)
{
	switch (o) {
	case OWNER_NONE: return "none";
	case OWNER_GUEST: return "guest";
	case OWNER_CLIENT: return "client";
	}
	return "?";
}

static void set_owner(struct sel *sl, enum owner o, const char *why)
{
	if (sl->owner != o)
		g_debug("%s: %s -> %s (%s)", vdp_selection_name(sl->id),
			owner_name(sl->owner), owner_name(o), why);
	sl->owner = o;
}

static struct sel *sel_by_atom(struct x11_selection *s, Atom a)
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

/* ---- reading properties ------------------------------------------------ */

/* Read and delete a whole property of win.  *data is malloc'd with a NUL
 * after the bytes.  Returns the byte length, or -1. */
static long read_property(struct x11_selection *s, Window win, Atom prop,
			  Atom *type, int *format, uint8_t **out)
{
	unsigned long nitems, after;
	unsigned char *data = NULL;

	if (XGetWindowProperty(s->dpy, win, prop, 0, 0x1fffffff, True,
			       AnyPropertyType, type, format, &nitems, &after,
			       &data) != Success) {
		return -1;
	}
	if (*type == None) {
		if (data)
			XFree(data);
		return -1;
	}
	size_t unit = *format == 8 ? 1 : *format == 16 ? sizeof(short)
						      : sizeof(long);
	size_t len = nitems * unit;
	uint8_t *copy = malloc(len + 1);
	if (copy) {
		if (len)
			memcpy(copy, data, len);
		copy[len] = '\0';
	}
	if (data)
		XFree(data);
	*out = copy;
	return copy ? (long)len : -1;
}

/* ---- GUEST: conversions from the X owner -------------------------------- */

static bool client_wants_type(struct x11_selection *s, uint32_t type)
{
	return type > VDP_CLIPBOARD_NONE && type < NTYPES &&
	       type != VDP_CLIPBOARD_FILE_LIST;
}

static void conv_stop_timer(struct sel *sl)
{
	if (sl->conv_timeout)
		g_source_remove(sl->conv_timeout);
	sl->conv_timeout = 0;
}

static gboolean on_conv_timeout(gpointer user);

static void conv_arm_timer(struct x11_selection *s, struct sel *sl)
{
	conv_stop_timer(sl);
	sl->conv_timeout = g_timeout_add_seconds(CONVERT_TIMEOUT_S,
						 on_conv_timeout, sl);
}

static void send_data_none(struct x11_selection *s, struct sel *sl)
{
	s->ops->data(s->user, sl->id, VDP_CLIPBOARD_NONE, NULL, 0);
}

static void conv_reset(struct sel *sl)
{
	conv_stop_timer(sl);
	sl->conv = CONV_IDLE;
	if (sl->incr_in)
		g_byte_array_unref(sl->incr_in);
	sl->incr_in = NULL;
}

static void start_next_request(struct x11_selection *s, struct sel *sl);

/* Refuse every queued client request (the owner changed or failed). */
static void fail_client_requests(struct x11_selection *s, struct sel *sl)
{
	if (sl->conv == CONV_DATA || sl->conv == CONV_DATA_INCR)
		send_data_none(s, sl);
	conv_reset(sl);
	while (!g_queue_is_empty(&sl->client_requests)) {
		g_queue_pop_head(&sl->client_requests);
		send_data_none(s, sl);
	}
}

static void start_targets(struct x11_selection *s, struct sel *sl)
{
	XConvertSelection(s->dpy, sl->atom, s->a_targets, sl->prop, s->win,
			  sl->owner_time);
	sl->conv = CONV_TARGETS;
	sl->conv_target = s->a_targets;
	conv_arm_timer(s, sl);
}

static void guest_owner_changed(struct x11_selection *s, struct sel *sl,
				Window owner, Time when)
{
	fail_client_requests(s, sl);
	g_strfreev(sl->targets);
	sl->targets = NULL;
	sl->guest_owner = owner;
	sl->owner_time = when;
	if (owner == None) {
		if (sl->announced)
			s->ops->release(s->user, sl->id);
		sl->announced = false;
		set_owner(sl, OWNER_NONE, "owner gone");
		return;
	}
	set_owner(sl, OWNER_GUEST, "guest app owns it");
	start_targets(s, sl);
}

static void got_targets(struct x11_selection *s, struct sel *sl,
			const uint8_t *data, long len, Atom type, int format)
{
	uint32_t types[NTYPES];
	uint32_t n = 0;
	bool have[NTYPES] = { false };

	if (type == XA_ATOM && format == 32 && len > 0) {
		const long *atoms = (const long *)data;
		int count = (int)MIN((size_t)len / sizeof(long), MAX_TARGETS);
		Atom list[MAX_TARGETS];
		char *names[MAX_TARGETS] = { NULL };
		for (int i = 0; i < count; i++)
			list[i] = (Atom)atoms[i];
		if (!XGetAtomNames(s->dpy, list, count, names)) {
			/* a bad atom in the list: the valid names are
			 * still allocated */
			for (int i = 0; i < count; i++)
				if (names[i])
					XFree(names[i]);
		} else {
			sl->targets = g_new0(char *, (gsize)count + 1);
			for (int i = 0; i < count; i++) {
				sl->targets[i] = g_strdup(names[i]);
				XFree(names[i]);
				const struct clip_target_info *ti =
					clip_target_lookup(sl->targets[i]);
				if (ti && !have[ti->vd_type]) {
					have[ti->vd_type] = true;
					types[n++] = ti->vd_type;
				}
			}
		}
	}
	if (n > 0) {
		g_debug("%s: guest offers %u types", vdp_selection_name(sl->id),
			n);
		s->ops->grab(s->user, sl->id, types, n);
		sl->announced = true;
	} else if (sl->announced) {
		s->ops->release(s->user, sl->id);
		sl->announced = false;
	}
}

/* Guest bytes of the given property type -> what the client gets. */
static void deliver_to_client(struct x11_selection *s, struct sel *sl,
			      uint32_t vd_type, uint8_t *data, size_t len,
			      Atom type)
{
	uint8_t *conv = NULL;
	size_t conv_len = 0;

	if (vd_type == VDP_CLIPBOARD_UTF8_TEXT) {
		uint8_t *utf8 = NULL;
		size_t utf8_len = 0;
		if (type == XA_STRING) {
			utf8 = latin1_to_utf8(data, len, &utf8_len);
		} else if (type == s->a_compound) {
			XTextProperty tp = { data, type, 8, len };
			char **list = NULL;
			int count = 0;
			if (Xutf8TextPropertyToTextList(s->dpy, &tp, &list,
							&count) >= 0 &&
			    count > 0) {
				GString *all = g_string_new(NULL);
				for (int i = 0; i < count; i++)
					g_string_append(all, list[i]);
				utf8_len = all->len;
				utf8 = (uint8_t *)g_string_free(all, FALSE);
				XFreeStringList(list);
				/* keep malloc/free pairing: copy out */
				uint8_t *m = malloc(utf8_len + 1);
				if (m)
					memcpy(m, utf8, utf8_len + 1);
				g_free(utf8);
				utf8 = m;
			}
		} else {
			utf8 = data;
			utf8_len = len;
			data = NULL;
		}
		while (utf8 && utf8_len > 0 && utf8[utf8_len - 1] == '\0')
			utf8_len--;
		if (utf8 && s->crlf) {
			conv = lineend_lf_to_crlf(utf8, utf8_len, &conv_len);
			free(utf8);
		} else {
			conv = utf8;
			conv_len = utf8_len;
		}
	} else {
		conv = data;
		conv_len = len;
		data = NULL;
	}
	free(data);

	if (!conv) {
		g_message("%s: guest data could not be converted",
			  vdp_selection_name(sl->id));
		send_data_none(s, sl);
		return;
	}
	if (s->max_clipboard > 0 && conv_len > (size_t)s->max_clipboard) {
		g_message("%s: %zu bytes of %s exceed the client's maximum of "
			  "%d bytes: not sent", vdp_selection_name(sl->id),
			  conv_len, vdp_clipboard_type_name(vd_type),
			  s->max_clipboard);
		free(conv);
		send_data_none(s, sl);
		return;
	}
	if (conv_len > VDP_IPC_CLIPBOARD_DATA_MAX) {
		g_message("%s: %zu bytes exceed the IPC limit: not sent",
			  vdp_selection_name(sl->id), conv_len);
		free(conv);
		send_data_none(s, sl);
		return;
	}
	g_debug("%s: %zu bytes of %s to the client", vdp_selection_name(sl->id),
		conv_len, vdp_clipboard_type_name(vd_type));
	s->ops->data(s->user, sl->id, vd_type, conv, conv_len);
	free(conv);
}

static size_t incoming_limit(struct x11_selection *s)
{
	size_t lim = VDP_IPC_CLIPBOARD_DATA_MAX;
	if (s->max_clipboard > 0)
		/* CRLF conversion can only grow the text */
		lim = MIN(lim, (size_t)s->max_clipboard);
	return lim;
}

static void on_selection_notify(struct x11_selection *s, XSelectionEvent *ev)
{
	struct sel *sl = sel_by_atom(s, ev->selection);
	Atom type = None;
	int format = 0;
	uint8_t *data = NULL;
	long len = -1;

	if (!sl || ev->requestor != s->win)
		return;
	/* An answer to an earlier conversion (an owner that changed since)
	 * must not be taken for the current one; its property is left for
	 * the current answer to overwrite. */
	if (sl->owner != OWNER_GUEST || sl->conv == CONV_IDLE ||
	    sl->conv == CONV_DATA_INCR || ev->target != sl->conv_target ||
	    (ev->time != sl->owner_time && ev->time != CurrentTime)) {
		g_debug("%s: stale SelectionNotify ignored",
			vdp_selection_name(sl->id));
		return;
	}
	if (ev->property != None)
		len = read_property(s, s->win, ev->property, &type, &format,
				    &data);

	if (sl->conv == CONV_TARGETS) {
		conv_reset(sl);
		if (len >= 0)
			got_targets(s, sl, data, len, type, format);
		else
			g_debug("%s: owner gave no TARGETS",
				vdp_selection_name(sl->id));
		free(data);
		start_next_request(s, sl);
		return;
	}
	if (sl->conv != CONV_DATA) {
		free(data);
		return;
	}
	if (len < 0) {
		g_message("%s: the owner refused the conversion",
			  vdp_selection_name(sl->id));
		fail_client_requests(s, sl);
		return;
	}
	if (type == s->a_incr) {
		/* the owner sends chunks after we delete the property,
		 * which read_property did */
		free(data);
		g_debug("%s: INCR transfer from the owner",
			vdp_selection_name(sl->id));
		sl->conv = CONV_DATA_INCR;
		sl->incr_in = g_byte_array_new();
		sl->incr_type = None;
		conv_arm_timer(s, sl);
		return;
	}
	uint32_t t = sl->conv_type;
	conv_reset(sl);
	deliver_to_client(s, sl, t, data, (size_t)len, type);
	start_next_request(s, sl);
}

static void on_incr_in_chunk(struct x11_selection *s, struct sel *sl)
{
	Atom type;
	int format;
	uint8_t *data = NULL;
	long len = read_property(s, s->win, sl->prop, &type, &format, &data);

	if (len < 0) {
		g_message("%s: INCR transfer broke", vdp_selection_name(sl->id));
		fail_client_requests(s, sl);
		start_next_request(s, sl);
		return;
	}
	if (len > 0) {
		if (sl->incr_in->len + (size_t)len > incoming_limit(s)) {
			g_message("%s: guest data over %zu bytes: not sent",
				  vdp_selection_name(sl->id), incoming_limit(s));
			free(data);
			fail_client_requests(s, sl);
			start_next_request(s, sl);
			return;
		}
		g_byte_array_append(sl->incr_in, data, (guint)len);
		sl->incr_type = type;
		free(data);
		conv_arm_timer(s, sl);
		return;
	}
	free(data);
	/* the zero-length chunk ends it */
	size_t total = sl->incr_in->len;
	uint8_t *all = malloc(total + 1);
	if (all && total)
		memcpy(all, sl->incr_in->data, total);
	uint32_t t = sl->conv_type;
	Atom it = sl->incr_type;
	conv_reset(sl);
	if (!all)
		send_data_none(s, sl);
	else
		deliver_to_client(s, sl, t, all, total, it);
	start_next_request(s, sl);
}

static void start_next_request(struct x11_selection *s, struct sel *sl)
{
	while (sl->conv == CONV_IDLE && !g_queue_is_empty(&sl->client_requests)) {
		uint32_t type = GPOINTER_TO_UINT(
			g_queue_pop_head(&sl->client_requests));
		size_t n = sl->targets ? g_strv_length(sl->targets) : 0;
		const struct clip_target_info *ti = clip_target_pick(
			type, (const char *const *)sl->targets, n);
		if (sl->owner != OWNER_GUEST || !ti) {
			g_debug("%s: nothing to offer for %s",
				vdp_selection_name(sl->id),
				vdp_clipboard_type_name(type));
			send_data_none(s, sl);
			continue;
		}
		Atom target = XInternAtom(s->dpy, ti->name, False);
		g_debug("%s: converting to %s", vdp_selection_name(sl->id),
			ti->name);
		XConvertSelection(s->dpy, sl->atom, target, sl->prop, s->win,
				  sl->owner_time);
		sl->conv = CONV_DATA;
		sl->conv_target = target;
		sl->conv_type = type;
		conv_arm_timer(s, sl);
	}
}

static gboolean on_conv_timeout(gpointer user)
{
	struct sel *sl = user;
	struct x11_selection *s = sl->s;

	sl->conv_timeout = 0;
	g_message("%s: the owner did not answer in %d s",
		  vdp_selection_name(sl->id), CONVERT_TIMEOUT_S);
	fail_client_requests(s, sl);
	start_next_request(s, sl);
	return G_SOURCE_REMOVE;
}

/* ---- CLIENT: answering X requestors ------------------------------------- */

static void incr_out_free(struct incr_out *o)
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

static void on_incr_out_delete(struct x11_selection *s, XPropertyEvent *ev)
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
	const uint8_t *src = sl->cache[ti->vd_type];
	size_t len = sl->cache_len[ti->vd_type];

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
		*out = utf8_to_latin1(src, len, out_len);
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
	if (sl->asked[type])
		return;
	sl->asked[type] = true;
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
		if (sl->client_has[t[i].vd_type])
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
	if (!ti || !sl->client_has[ti->vd_type] || sl->failed[ti->vd_type])
		return SERVE_REFUSE;
	if (!sl->cached[ti->vd_type]) {
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

	if (sl->owner != OWNER_CLIENT) {
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
		if (ti && sl->client_has[ti->vd_type] &&
		    !sl->failed[ti->vd_type] && !sl->cached[ti->vd_type]) {
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

static void retry_x_requests(struct x11_selection *s, struct sel *sl)
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
	for (uint32_t t = 0; t < NTYPES; t++)
		if (sl->asked[t] && !sl->cached[t])
			sl->failed[t] = true;
	retry_x_requests(s, sl);
	return G_SOURCE_REMOVE;
}

static void on_selection_request(struct x11_selection *s,
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

static void clear_client_state(struct x11_selection *s, struct sel *sl)
{
	for (int t = 0; t < NTYPES; t++) {
		free(sl->cache[t]);
		sl->cache[t] = NULL;
		sl->cache_len[t] = 0;
		sl->cached[t] = sl->failed[t] = sl->asked[t] = false;
		sl->client_has[t] = false;
	}
	/* whoever still waits gets a refusal */
	enum owner o = sl->owner;
	sl->owner = OWNER_NONE;
	retry_x_requests(s, sl);
	sl->owner = o;
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
	if (sl->owner == OWNER_CLIENT) {
		clear_client_state(s, sl);
		set_owner(sl, OWNER_NONE, "a guest app took it");
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
		if (sl && sl->owner == OWNER_CLIENT) {
			clear_client_state(s, sl);
			set_owner(sl, OWNER_NONE, "selection cleared");
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
	if (sl->owner == OWNER_GUEST) {
		fail_client_requests(s, sl);
		sl->announced = false;
	}
	clear_client_state(s, sl);
	bool any = false;
	for (uint32_t i = 0; i < count; i++) {
		if (types[i] < NTYPES && client_wants_type(s, types[i])) {
			sl->client_has[types[i]] = true;
			any = true;
		}
	}
	if (!any) {
		/* nothing an X app could paste: the guest keeps no stale
		 * data of ours, but we do not own an empty selection */
		g_debug("%s: client grab without a type we carry",
			vdp_selection_name(id));
		if (sl->owner == OWNER_CLIENT) {
			set_owner(sl, OWNER_NONE, "empty client grab");
			XSetSelectionOwner(s->dpy, sl->atom, None, server_time(s));
		}
		return;
	}

	sl->own_time = server_time(s);
	XSetSelectionOwner(s->dpy, sl->atom, s->win, sl->own_time);
	if (XGetSelectionOwner(s->dpy, sl->atom) != s->win) {
		g_message("%s: could not take the X selection",
			  vdp_selection_name(id));
		set_owner(sl, OWNER_NONE, "grab failed");
		return;
	}
	set_owner(sl, OWNER_CLIENT, "client grab");
}

void x11_selection_client_release(struct x11_selection *s, uint8_t id)
{
	struct sel *sl = sel_by_id(s, id);
	if (!sl || sl->owner != OWNER_CLIENT)
		return;
	clear_client_state(s, sl);
	set_owner(sl, OWNER_NONE, "client release");
	XSetSelectionOwner(s->dpy, sl->atom, None, server_time(s));
}

void x11_selection_client_request(struct x11_selection *s, uint8_t id,
				  uint32_t type)
{
	struct sel *sl = sel_by_id(s, id);
	if (!sl || sl->owner != OWNER_GUEST || !client_wants_type(s, type)) {
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

	if (!sl || sl->owner != OWNER_CLIENT) {
		free(data);
		return;
	}
	if (type == VDP_CLIPBOARD_NONE || type >= NTYPES ||
	    !sl->asked[type]) {
		/* a refusal: everything asked and not cached fails */
		for (uint32_t t = 0; t < NTYPES; t++)
			if (sl->asked[t] && !sl->cached[t] &&
			    (type == VDP_CLIPBOARD_NONE || t == type))
				sl->failed[t] = true;
		free(data);
		retry_x_requests(s, sl);
		return;
	}
	if (type == VDP_CLIPBOARD_UTF8_TEXT) {
		while (size > 0 && data[size - 1] == '\0')
			size--;
		if (s->crlf) {
			size_t n;
			uint8_t *lf = lineend_crlf_to_lf(data, size, &n);
			free(data);
			data = lf;
			size = n;
			if (!data) {
				sl->failed[type] = true;
				retry_x_requests(s, sl);
				return;
			}
		}
	}
	free(sl->cache[type]);
	sl->cache[type] = data;
	sl->cache_len[type] = size;
	sl->cached[type] = true;
	g_debug("%s: %zu bytes of %s from the client", vdp_selection_name(id),
		size, vdp_clipboard_type_name(type));
	retry_x_requests(s, sl);
}

void x11_selection_client_gone(struct x11_selection *s)
{
	for (int i = 0; i < NSEL; i++) {
		struct sel *sl = &s->sel[i];
		if (sl->owner == OWNER_CLIENT) {
			clear_client_state(s, sl);
			set_owner(sl, OWNER_NONE, "client gone");
			XSetSelectionOwner(s->dpy, sl->atom, None, CurrentTime);
		} else if (sl->owner == OWNER_GUEST) {
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
		if (sl->owner == OWNER_GUEST) {
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
		for (int t = 0; t < NTYPES; t++)
			free(sl->cache[t]);
		g_strfreev(sl->targets);
	}
	g_list_free_full(s->incr_out, (GDestroyNotify)incr_out_free);
	XDestroyWindow(s->dpy, s->win);
	XDestroyWindow(s->dpy, s->time_win);
	g_free(s);
}
