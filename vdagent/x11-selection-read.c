/* SPDX-License-Identifier: MIT */
/*
 * GUEST: a guest app owns the selection.  Its TARGETS become the grab
 * announced to the client, and each client request becomes one X
 * conversion at a time (INCR when the owner uses it), converted for the
 * client and within its limits.
 */
#include "config.h"

#include <X11/Xatom.h>
#include <X11/Xutil.h>
#include <glib.h>
#include <string.h>

#include "clipboard-targets.h"
#include "vdp-ipc.h"
#include "vdp-text.h"
#include "vdp-validate.h"
#include "vdp-wire.h"
#include "x11-selection-private.h"

#define CONVERT_TIMEOUT_S 10
#define MAX_TARGETS 256

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

void send_data_none(struct x11_selection *s, struct sel *sl)
{
	s->ops->data(s->user, sl->id, VDP_CLIPBOARD_NONE, NULL, 0);
}

void conv_reset(struct sel *sl)
{
	conv_stop_timer(sl);
	sl->conv = CONV_IDLE;
	if (sl->incr_in)
		g_byte_array_unref(sl->incr_in);
	sl->incr_in = NULL;
}

/* Refuse every queued client request (the owner changed or failed). */
void fail_client_requests(struct x11_selection *s, struct sel *sl)
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

void guest_owner_changed(struct x11_selection *s, struct sel *sl,
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
		set_owner(sl, CLIP_OWNER_NONE, "owner gone");
		return;
	}
	set_owner(sl, CLIP_OWNER_GUEST, "guest app owns it");
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
			utf8 = vdp_latin1_to_utf8(data, len, &utf8_len);
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
			conv = vdp_lf_to_crlf(utf8, utf8_len, &conv_len);
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

void on_selection_notify(struct x11_selection *s, XSelectionEvent *ev)
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
	if (sl->owner != CLIP_OWNER_GUEST || sl->conv == CONV_IDLE ||
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

void on_incr_in_chunk(struct x11_selection *s, struct sel *sl)
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

void start_next_request(struct x11_selection *s, struct sel *sl)
{
	while (sl->conv == CONV_IDLE && !g_queue_is_empty(&sl->client_requests)) {
		uint32_t type = GPOINTER_TO_UINT(
			g_queue_pop_head(&sl->client_requests));
		size_t n = sl->targets ? g_strv_length(sl->targets) : 0;
		const struct clip_target_info *ti = clip_target_pick(
			type, (const char *const *)sl->targets, n);
		if (sl->owner != CLIP_OWNER_GUEST || !ti) {
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
