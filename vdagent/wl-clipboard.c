/* SPDX-License-Identifier: MIT */
/* The Wayland clipboard: see the state machine in wl-clipboard.h. */
#define _GNU_SOURCE /* pipe2 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <string.h>
#include <unistd.h>

#include "clip-cache.h"
#include "vdp-ipc.h"
#include "vdp-text.h"
#include "vdp-validate.h"
#include "vdp-wire.h"
#include "wl-clip-mime.h"
#include "wl-clip-pipe.h"
#include "wl-clipboard.h"
#include "wl-data-control-protocol.h"

#define NSEL 2 /* CLIPBOARD, PRIMARY */
#define NTYPES CLIP_NTYPES
#define MAX_MIMES 64      /* per offer; more are ignored */
#define MAX_MIME_LEN 255  /* longer ones are ignored */
#define MAX_WAITERS 64    /* guest pastes waiting for the client */
#define MAX_READS 16      /* client requests in flight */
#define PIPE_TIMEOUT_S 30 /* a pipe that stays idle this long is dropped */
#define CLIENT_TIMEOUT_S 30 /* the client's DATA after our REQUEST */

struct offer {
	struct wl_proxy *proxy;
	char *mimes[MAX_MIMES];
	unsigned n;
	bool too_many_logged;
};

struct waiter {
	int fd;
	uint32_t type;
};

struct sel {
	struct wl_clip *c;
	uint8_t id;
	enum clip_owner owner;

	/* CLIP_OWNER_GUEST: the compositor's offer */
	struct offer *offer;
	bool announced;

	/* CLIP_OWNER_CLIENT: our source */
	struct wl_proxy *source;
	struct clip_cache cc; /* the client's types and data */
	GList *waiters; /* struct waiter */
	guint client_timeout;
};

struct read_req {
	struct wl_clip *c;
	uint8_t sel;
	uint32_t type;
	struct wl_pipe_read *r;
};

struct wl_clip {
	struct wl_display *d;
	const struct backend_events *ev;
	void *user;
	bool crlf;
	int32_t max_clipboard;

	struct wl_seat *seat;
	uint32_t wlr_name, wlr_version, ext_name, ext_version;
	const struct wl_dc_family *fam;
	struct wl_proxy *manager, *device;
	uint32_t version;

	struct offer *pending; /* data_offer not yet in a selection event */
	struct sel sel[NSEL];
	GList *reads;  /* struct read_req */
	GList *writes; /* struct wl_pipe_write */
};

static void set_owner(struct sel *s, enum clip_owner o, const char *why)
{
	if (s->owner != o)
		g_debug("%s: %s -> %s (%s)", vdp_selection_name(s->id),
			clip_owner_name(s->owner), clip_owner_name(o), why);
	s->owner = o;
}

static bool has_primary(struct wl_clip *c)
{
	return c->device && c->version >= c->fam->primary_version;
}

static struct sel *sel_by_id(struct wl_clip *c, uint8_t id)
{
	if (id >= NSEL || !c->device)
		return NULL;
	if (id == VDP_SELECTION_PRIMARY && !has_primary(c))
		return NULL;
	return &c->sel[id];
}

/* ---- offers (the guest's selections) ------------------------------------ */

static void offer_free(struct offer *o)
{
	if (!o)
		return;
	wl_proxy_marshal_flags(o->proxy, WL_DC_OFFER_DESTROY, NULL,
			       wl_proxy_get_version(o->proxy),
			       WL_MARSHAL_FLAG_DESTROY);
	for (unsigned i = 0; i < o->n; i++)
		g_free(o->mimes[i]);
	g_free(o);
}

static void offer_mime(void *data, struct wl_proxy *proxy, const char *mime)
{
	struct offer *o = data;

	if (strlen(mime) > MAX_MIME_LEN)
		return;
	if (o->n == MAX_MIMES) {
		if (!o->too_many_logged)
			g_message("an offer of more than %d types: the rest "
				  "ignored", MAX_MIMES);
		o->too_many_logged = true;
		return;
	}
	o->mimes[o->n++] = g_strdup(mime);
}

static const struct wl_dc_offer_listener offer_listener = {
	.offer = offer_mime,
};

/* The protocol types an offer carries, in protocol order. */
static uint32_t offer_types(const struct offer *o, uint32_t *types)
{
	uint32_t n = 0;
	for (uint32_t t = VDP_CLIPBOARD_NONE + 1; o && t < NTYPES; t++)
		if (clip_type_carried(t) &&
		    wl_clip_mime_pick(t, (const char *const *)o->mimes, o->n))
			types[n++] = t;
	return n;
}

/* ---- our sources (the client's selections) ------------------------------ */

static void close_waiters(struct sel *s, uint32_t type, bool all)
{
	for (GList *l = s->waiters; l;) {
		GList *next = l->next;
		struct waiter *w = l->data;
		if (all || w->type == type) {
			close(w->fd);
			g_free(w);
			s->waiters = g_list_delete_link(s->waiters, l);
		}
		l = next;
	}
}

static void clear_client_state(struct sel *s)
{
	struct wl_clip *c = s->c;

	if (s->source) {
		wl_proxy_marshal_flags(s->source, WL_DC_SOURCE_DESTROY, NULL,
				       wl_proxy_get_version(s->source),
				       WL_MARSHAL_FLAG_DESTROY);
		s->source = NULL;
	}
	close_waiters(s, 0, true);
	if (s->client_timeout)
		g_source_remove(s->client_timeout);
	s->client_timeout = 0;
	clip_cache_clear(&s->cc);
	wl_display_flush(c->d);
}

/* A finished write takes itself off the list. */
struct write_job {
	struct wl_clip *c;
	struct wl_pipe_write *w;
};

static void on_write_done(void *user, int err)
{
	struct write_job *j = user;

	if (err && err != -EPIPE)
		g_debug("clipboard write to a guest app: %s", g_strerror(-err));
	j->c->writes = g_list_remove(j->c->writes, j);
	g_free(j);
}

static void serve(struct sel *s, int fd, uint32_t type)
{
	struct write_job *j = g_new0(struct write_job, 1);
	/* a copy: the cache may go (a new grab) before the paste ends */
	g_autoptr(GBytes) data = g_bytes_new(s->cc.data[type], s->cc.len[type]);
	j->c = s->c;
	j->w = wl_pipe_write_start(fd, data, PIPE_TIMEOUT_S, on_write_done, j);
	s->c->writes = g_list_prepend(s->c->writes, j);
}

static gboolean on_client_timeout(gpointer user)
{
	struct sel *s = user;

	s->client_timeout = 0;
	g_message("%s: the client did not send its data in %d s",
		  vdp_selection_name(s->id), CLIENT_TIMEOUT_S);
	clip_cache_fail_pending(&s->cc);
	close_waiters(s, 0, true);
	return G_SOURCE_REMOVE;
}

static void source_send(void *data, struct wl_proxy *source, const char *mime,
			int32_t fd)
{
	struct sel *s = data;
	uint32_t type = wl_clip_mime_type(mime);

	if (s->source != source || !clip_type_carried(type) ||
	    !s->cc.has[type] || s->cc.failed[type]) {
		close(fd);
		return;
	}
	if (s->cc.cached[type]) {
		serve(s, fd, type);
		return;
	}
	if (g_list_length(s->waiters) >= MAX_WAITERS) {
		g_message("%s: too many pastes waiting; one refused",
			  vdp_selection_name(s->id));
		close(fd);
		return;
	}
	struct waiter *w = g_new0(struct waiter, 1);
	w->fd = fd;
	w->type = type;
	s->waiters = g_list_append(s->waiters, w);
	if (clip_cache_ask(&s->cc, type)) {
		s->c->ev->request(s->c->user, s->id, type);
		if (!s->client_timeout)
			s->client_timeout = g_timeout_add_seconds(
				CLIENT_TIMEOUT_S, on_client_timeout, s);
	}
}

static void source_cancelled(void *data, struct wl_proxy *source)
{
	struct sel *s = data;

	if (s->source != source)
		return; /* cannot happen: ours are destroyed when replaced */
	clear_client_state(s);
	set_owner(s, CLIP_OWNER_NONE, "a guest app took it");
}

static const struct wl_dc_source_listener source_listener = {
	.send = source_send,
	.cancelled = source_cancelled,
};

/* ---- the device --------------------------------------------------------- */

static void device_data_offer(void *data, struct wl_proxy *device,
			      struct wl_proxy *proxy)
{
	struct wl_clip *c = data;
	struct offer *o = g_new0(struct offer, 1);

	offer_free(c->pending);
	o->proxy = proxy;
	wl_proxy_add_listener(proxy, (void (**)(void))&offer_listener, o);
	c->pending = o;
}

static void on_selection(struct wl_clip *c, uint8_t id, struct wl_proxy *proxy)
{
	struct sel *s = &c->sel[id];
	struct offer *o = NULL;

	if (proxy && c->pending && c->pending->proxy == proxy) {
		o = c->pending;
		c->pending = NULL;
	} else if (proxy) {
		g_message("%s: a selection event for an unknown offer",
			  vdp_selection_name(id));
	}
	if (s->owner == CLIP_OWNER_CLIENT && s->source) {
		offer_free(o); /* our own source, as the compositor shows it */
		return;
	}
	offer_free(s->offer);
	s->offer = o;

	uint32_t types[NTYPES];
	uint32_t n = offer_types(o, types);
	if (n) {
		set_owner(s, CLIP_OWNER_GUEST, "a guest app set it");
		s->announced = true;
		c->ev->grab(c->user, id, types, n);
		return;
	}
	if (s->owner == CLIP_OWNER_GUEST && s->announced)
		c->ev->release(c->user, id);
	s->announced = false;
	offer_free(s->offer);
	s->offer = NULL;
	set_owner(s, CLIP_OWNER_NONE, o ? "nothing we carry" : "cleared");
}

static void device_selection(void *data, struct wl_proxy *device,
			     struct wl_proxy *proxy)
{
	on_selection(data, VDP_SELECTION_CLIPBOARD, proxy);
}

static void device_primary_selection(void *data, struct wl_proxy *device,
				     struct wl_proxy *proxy)
{
	on_selection(data, VDP_SELECTION_PRIMARY, proxy);
}

static void drop_device(struct wl_clip *c)
{
	for (int i = 0; i < NSEL; i++) {
		struct sel *s = &c->sel[i];
		if (s->owner == CLIP_OWNER_GUEST && s->announced)
			c->ev->release(c->user, s->id);
		clear_client_state(s);
		offer_free(s->offer);
		s->offer = NULL;
		s->announced = false;
		s->owner = CLIP_OWNER_NONE;
	}
	offer_free(c->pending);
	c->pending = NULL;
	if (c->device)
		wl_proxy_marshal_flags(c->device, WL_DC_DEVICE_DESTROY, NULL,
				       wl_proxy_get_version(c->device),
				       WL_MARSHAL_FLAG_DESTROY);
	c->device = NULL;
}

static void device_finished(void *data, struct wl_proxy *device)
{
	struct wl_clip *c = data;

	g_message("the compositor ended the clipboard device: clipboard off");
	drop_device(c);
}

static const struct wl_dc_device_listener device_listener = {
	.data_offer = device_data_offer,
	.selection = device_selection,
	.finished = device_finished,
	.primary_selection = device_primary_selection,
};

/* ---- reads of the guest's data for the client --------------------------- */

static void send_none(struct wl_clip *c, uint8_t id)
{
	c->ev->data(c->user, id, VDP_CLIPBOARD_NONE, NULL, 0);
}

static void on_read_done(void *user, uint8_t *data, size_t len, int err)
{
	struct read_req *q = user;
	struct wl_clip *c = q->c;

	c->reads = g_list_remove(c->reads, q);
	if (err) {
		g_message("%s: reading the guest's %s failed: %s",
			  vdp_selection_name(q->sel),
			  vdp_clipboard_type_name(q->type),
			  err == -EFBIG ? "too large" : g_strerror(-err));
		send_none(c, q->sel);
		g_free(q);
		return;
	}
	if (q->type == VDP_CLIPBOARD_UTF8_TEXT) {
		while (len > 0 && data[len - 1] == '\0')
			len--;
		if (c->crlf && len) {
			size_t n;
			uint8_t *crlf = vdp_lf_to_crlf(data, len, &n);
			free(data);
			data = crlf;
			len = crlf ? n : 0;
		}
	}
	if (c->max_clipboard > 0 && len > (size_t)c->max_clipboard) {
		g_message("%s: %zu bytes exceed the client's maximum of %d "
			  "bytes: not sent", vdp_selection_name(q->sel), len,
			  c->max_clipboard);
		send_none(c, q->sel);
	} else if (len > VDP_IPC_CLIPBOARD_DATA_MAX) {
		send_none(c, q->sel);
	} else {
		g_debug("%s: %zu bytes of %s to the client",
			vdp_selection_name(q->sel), len,
			vdp_clipboard_type_name(q->type));
		c->ev->data(c->user, q->sel, q->type, data, len);
	}
	free(data);
	g_free(q);
}

static size_t read_limit(struct wl_clip *c)
{
	size_t lim = VDP_IPC_CLIPBOARD_DATA_MAX;
	if (c->max_clipboard > 0)
		lim = MIN(lim, (size_t)c->max_clipboard); /* CRLF only grows */
	return lim;
}

/* ---- from the daemon ---------------------------------------------------- */

void wl_clip_set_client(struct wl_clip *c, bool crlf, int32_t max_clipboard)
{
	c->crlf = crlf;
	c->max_clipboard = max_clipboard;
}

void wl_clip_client_grab(struct wl_clip *c, uint8_t id, const uint32_t *types,
			 uint32_t count)
{
	struct sel *s = sel_by_id(c, id);
	if (!s) {
		g_debug("grab of selection %u ignored", id);
		return;
	}
	if (s->owner == CLIP_OWNER_GUEST) {
		offer_free(s->offer);
		s->offer = NULL;
		s->announced = false;
	}
	clear_client_state(s);
	set_owner(s, CLIP_OWNER_NONE, "client grab");
	if (!clip_cache_grab(&s->cc, types, count)) {
		g_debug("%s: client grab without a type we carry",
			vdp_selection_name(id));
		return;
	}
	s->source = wl_proxy_marshal_flags(
		c->manager, WL_DC_MANAGER_CREATE_DATA_SOURCE, c->fam->source,
		c->version, 0, NULL);
	wl_proxy_add_listener(s->source, (void (**)(void))&source_listener, s);
	for (uint32_t t = 0; t < NTYPES; t++) {
		const char *mimes[8];
		if (!s->cc.has[t])
			continue;
		size_t n = wl_clip_mimes_for(t, mimes, G_N_ELEMENTS(mimes));
		for (size_t i = 0; i < n; i++)
			wl_proxy_marshal_flags(s->source, WL_DC_SOURCE_OFFER,
					       NULL, c->version, 0, mimes[i]);
	}
	wl_proxy_marshal_flags(c->device,
			       id == VDP_SELECTION_PRIMARY ?
				       WL_DC_DEVICE_SET_PRIMARY_SELECTION :
				       WL_DC_DEVICE_SET_SELECTION,
			       NULL, c->version, 0, s->source);
	wl_display_flush(c->d);
	set_owner(s, CLIP_OWNER_CLIENT, "client grab");
}

void wl_clip_client_release(struct wl_clip *c, uint8_t id)
{
	struct sel *s = sel_by_id(c, id);
	if (!s || s->owner != CLIP_OWNER_CLIENT)
		return;
	/* our source destroyed: the compositor clears the selection */
	clear_client_state(s);
	set_owner(s, CLIP_OWNER_NONE, "client release");
}

void wl_clip_client_request(struct wl_clip *c, uint8_t id, uint32_t type)
{
	struct sel *s = sel_by_id(c, id);
	const char *mime = NULL;
	int p[2];

	if (s && s->owner == CLIP_OWNER_GUEST && s->offer &&
	    clip_type_carried(type))
		mime = wl_clip_mime_pick(type,
					 (const char *const *)s->offer->mimes,
					 s->offer->n);
	if (!mime || g_list_length(c->reads) >= MAX_READS) {
		send_none(c, id);
		return;
	}
	if (pipe2(p, O_CLOEXEC) < 0) {
		g_message("pipe: %s", g_strerror(errno));
		send_none(c, id);
		return;
	}
	wl_proxy_marshal_flags(s->offer->proxy, WL_DC_OFFER_RECEIVE, NULL,
			       wl_proxy_get_version(s->offer->proxy), 0, mime,
			       p[1]);
	wl_display_flush(c->d);
	close(p[1]);
	struct read_req *q = g_new0(struct read_req, 1);
	q->c = c;
	q->sel = id;
	q->type = type;
	q->r = wl_pipe_read_start(p[0], read_limit(c), PIPE_TIMEOUT_S,
				  on_read_done, q);
	c->reads = g_list_prepend(c->reads, q);
}

void wl_clip_client_data(struct wl_clip *c, uint8_t id, uint32_t type,
			 uint8_t *data, size_t size)
{
	struct sel *s = sel_by_id(c, id);

	if (!s || s->owner != CLIP_OWNER_CLIENT) {
		free(data);
		return;
	}
	uint32_t got = clip_cache_data(&s->cc, type, data, size, c->crlf);
	if (got == VDP_CLIPBOARD_NONE) {
		/* refused or unconvertible: the pastes of what failed end */
		for (uint32_t t = 0; t < NTYPES; t++)
			if (s->cc.failed[t])
				close_waiters(s, t, false);
		return;
	}
	size = s->cc.len[type];
	g_debug("%s: %zu bytes of %s from the client", vdp_selection_name(id),
		size, vdp_clipboard_type_name(type));
	for (GList *l = s->waiters; l;) {
		GList *next = l->next;
		struct waiter *w = l->data;
		if (w->type == type) {
			serve(s, w->fd, type);
			g_free(w);
			s->waiters = g_list_delete_link(s->waiters, l);
		}
		l = next;
	}
	if (!s->waiters && s->client_timeout) {
		g_source_remove(s->client_timeout);
		s->client_timeout = 0;
	}
}

void wl_clip_client_gone(struct wl_clip *c)
{
	for (int i = 0; i < NSEL; i++) {
		struct sel *s = &c->sel[i];
		if (s->owner == CLIP_OWNER_CLIENT) {
			clear_client_state(s);
			set_owner(s, CLIP_OWNER_NONE, "client gone");
		} else if (s->owner == CLIP_OWNER_GUEST) {
			s->announced = false; /* nobody to tell any more */
		}
	}
}

void wl_clip_resend_grabs(struct wl_clip *c)
{
	for (int i = 0; i < NSEL; i++) {
		struct sel *s = &c->sel[i];
		uint32_t types[NTYPES];
		uint32_t n;
		if (s->owner == CLIP_OWNER_GUEST &&
		    (n = offer_types(s->offer, types))) {
			s->announced = true;
			c->ev->grab(c->user, s->id, types, n);
		}
	}
}

/* ---- setup -------------------------------------------------------------- */

struct wl_clip *wl_clip_new(struct wl_display *d,
			    const struct backend_events *ev, void *user)
{
	struct wl_clip *c = g_new0(struct wl_clip, 1);

	c->d = d;
	c->ev = ev;
	c->user = user;
	for (int i = 0; i < NSEL; i++) {
		c->sel[i].c = c;
		c->sel[i].id = (uint8_t)i;
	}
	return c;
}

bool wl_clip_global(struct wl_clip *c, struct wl_registry *reg, uint32_t name,
		    const char *iface, uint32_t version)
{
	if (strcmp(iface, wl_seat_interface.name) == 0) {
		if (!c->seat) /* the first seat: a VM's session has one */
			c->seat = wl_registry_bind(reg, name,
						   &wl_seat_interface, 1);
		return true;
	}
	if (strcmp(iface, wl_dc_wlr.manager->name) == 0) {
		c->wlr_name = name;
		c->wlr_version = version;
		return true;
	}
	if (strcmp(iface, wl_dc_ext.manager->name) == 0) {
		c->ext_name = name;
		c->ext_version = version;
		return true;
	}
	return false;
}

const char *wl_clip_start(struct wl_clip *c, struct wl_registry *reg)
{
	uint32_t name, version;

	if (c->device || !c->seat)
		return c->device ? c->fam->name : NULL;
	if (c->ext_name) {
		c->fam = &wl_dc_ext;
		name = c->ext_name;
		version = c->ext_version;
	} else if (c->wlr_name) {
		c->fam = &wl_dc_wlr;
		name = c->wlr_name;
		version = c->wlr_version;
	} else {
		return NULL;
	}
	c->version = MIN(version, c->fam->max_version);
	c->manager = wl_registry_bind(reg, name, c->fam->manager, c->version);
	c->device = wl_proxy_marshal_flags(
		c->manager, WL_DC_MANAGER_GET_DATA_DEVICE, c->fam->device,
		c->version, 0, NULL, c->seat);
	wl_proxy_add_listener(c->device, (void (**)(void))&device_listener, c);
	return c->fam->name;
}

void wl_clip_free(struct wl_clip *c)
{
	if (!c)
		return;
	for (GList *l = c->reads; l; l = l->next) {
		struct read_req *q = l->data;
		wl_pipe_read_cancel(q->r);
		g_free(q);
	}
	g_list_free(c->reads);
	for (GList *l = c->writes; l; l = l->next) {
		struct write_job *j = l->data;
		wl_pipe_write_cancel(j->w);
		g_free(j);
	}
	g_list_free(c->writes);
	c->reads = c->writes = NULL;
	if (c->device) {
		for (int i = 0; i < NSEL; i++) {
			clear_client_state(&c->sel[i]);
			offer_free(c->sel[i].offer);
			c->sel[i].offer = NULL;
		}
		offer_free(c->pending);
		wl_proxy_marshal_flags(c->device, WL_DC_DEVICE_DESTROY, NULL,
				       c->version, WL_MARSHAL_FLAG_DESTROY);
	}
	if (c->manager)
		wl_proxy_marshal_flags(c->manager, WL_DC_MANAGER_DESTROY, NULL,
				       c->version, WL_MARSHAL_FLAG_DESTROY);
	if (c->seat)
		wl_seat_destroy(c->seat);
	g_free(c);
}
