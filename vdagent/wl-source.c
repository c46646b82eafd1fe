/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <stdbool.h>

#include "wl-source.h"

struct wl_gsource {
	GSource base;
	struct wl_display *d;
	gpointer tag;
	bool reading; /* between wl_display_prepare_read and read/cancel */
	bool failed;
	wl_source_error_func on_error;
	void *user;
};

static gboolean wl_prepare(GSource *base, gint *timeout)
{
	struct wl_gsource *s = (struct wl_gsource *)base;

	*timeout = -1;
	if (s->failed)
		return TRUE;
	if (s->reading)
		return FALSE;
	/* events already queued: dispatch them first */
	if (wl_display_prepare_read(s->d) != 0)
		return TRUE;
	s->reading = true;
	GIOCondition want = G_IO_IN | G_IO_ERR | G_IO_HUP;
	if (wl_display_flush(s->d) < 0) {
		if (errno == EAGAIN)
			want |= G_IO_OUT; /* the rest when the socket drains */
		else
			s->failed = true;
	}
	g_source_modify_unix_fd(base, s->tag, want);
	return s->failed;
}

static gboolean wl_check(GSource *base)
{
	struct wl_gsource *s = (struct wl_gsource *)base;
	GIOCondition got = g_source_query_unix_fd(base, s->tag);

	if (!s->reading)
		return s->failed;
	s->reading = false;
	if (got & G_IO_IN) {
		if (wl_display_read_events(s->d) < 0)
			s->failed = true;
		return TRUE;
	}
	wl_display_cancel_read(s->d);
	if (got & (G_IO_ERR | G_IO_HUP))
		s->failed = true;
	return s->failed || (got & G_IO_OUT);
}

static gboolean wl_dispatch(GSource *base, GSourceFunc cb, gpointer data)
{
	struct wl_gsource *s = (struct wl_gsource *)base;

	if (s->reading) {
		/* prepare returned TRUE after preparing: not the case, but
		 * never leave a read pending */
		wl_display_cancel_read(s->d);
		s->reading = false;
	}
	if (!s->failed && wl_display_dispatch_pending(s->d) < 0)
		s->failed = true;
	if (!s->failed && wl_display_flush(s->d) < 0 && errno != EAGAIN)
		s->failed = true;
	if (s->failed) {
		s->on_error(s->user);
		return G_SOURCE_REMOVE;
	}
	return G_SOURCE_CONTINUE;
}

static void wl_finalize(GSource *base)
{
	struct wl_gsource *s = (struct wl_gsource *)base;

	if (s->reading)
		wl_display_cancel_read(s->d);
	s->reading = false;
}

static GSourceFuncs wl_funcs = {
	.prepare = wl_prepare,
	.check = wl_check,
	.dispatch = wl_dispatch,
	.finalize = wl_finalize,
};

guint wl_source_add(struct wl_display *d, wl_source_error_func on_error,
		    void *user)
{
	GSource *base = g_source_new(&wl_funcs, sizeof(struct wl_gsource));
	struct wl_gsource *s = (struct wl_gsource *)base;

	s->d = d;
	s->on_error = on_error;
	s->user = user;
	s->tag = g_source_add_unix_fd(base, wl_display_get_fd(d),
				      G_IO_IN | G_IO_ERR | G_IO_HUP);
	g_source_set_name(base, "wayland");
	guint id = g_source_attach(base, NULL);
	g_source_unref(base);
	return id;
}
