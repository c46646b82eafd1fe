/* SPDX-License-Identifier: MIT */
#include "config.h"

#include "fdwatch.h"

struct fdwatch_source {
	GSource source;
	gpointer tag;
	GIOCondition events;
	fdwatch_cb cb;
	void *user;
};

struct fdwatch {
	struct fdwatch_source *src;
};

static gboolean fdwatch_dispatch(GSource *source, GSourceFunc unused,
				 gpointer unused2)
{
	struct fdwatch_source *s = (struct fdwatch_source *)source;
	GIOCondition rev = g_source_query_unix_fd(source, s->tag);

	if (rev)
		s->cb(s->user, rev);
	return G_SOURCE_CONTINUE;
}

static GSourceFuncs fdwatch_funcs = {
	.dispatch = fdwatch_dispatch,
};

struct fdwatch *fdwatch_new(int fd, GIOCondition events, fdwatch_cb cb,
			    void *user)
{
	struct fdwatch *w = g_new0(struct fdwatch, 1);
	GSource *source = g_source_new(&fdwatch_funcs,
				       sizeof(struct fdwatch_source));

	w->src = (struct fdwatch_source *)source;
	w->src->cb = cb;
	w->src->user = user;
	w->src->events = events;
	w->src->tag = g_source_add_unix_fd(source, fd, events);
	/*
	 * A source that cannot recurse has its fds taken out of the poll set
	 * around each dispatch and put back after, and GLib signals its
	 * wakeup eventfd both times: two writes and an extra poll() round per
	 * event.  Nothing here runs the main loop recursively.
	 */
	g_source_set_can_recurse(source, TRUE);
	g_source_attach(source, NULL);
	return w;
}

void fdwatch_free(struct fdwatch *w)
{
	if (!w)
		return;
	g_source_destroy(&w->src->source);
	g_source_unref(&w->src->source);
	g_free(w);
}

void fdwatch_set_events(struct fdwatch *w, GIOCondition events)
{
	if (w->src->events == events)
		return;
	w->src->events = events;
	g_source_modify_unix_fd(&w->src->source, w->src->tag, events);
}

GIOCondition fdwatch_events(const struct fdwatch *w)
{
	return w->src->events;
}
