/* SPDX-License-Identifier: MIT */
#include "config.h"

#include "x11-source.h"

struct x11_source {
	GSource base;
	Display *dpy;
	GPollFD pfd;
	x11_event_func func;
	void *user;
};

static gboolean x11_prepare(GSource *s, gint *timeout)
{
	struct x11_source *xs = (struct x11_source *)s;

	*timeout = -1;
	XFlush(xs->dpy);
	return XEventsQueued(xs->dpy, QueuedAlready) > 0;
}

static gboolean x11_check(GSource *s)
{
	struct x11_source *xs = (struct x11_source *)s;

	return (xs->pfd.revents & (G_IO_IN | G_IO_HUP | G_IO_ERR)) ||
	       XEventsQueued(xs->dpy, QueuedAlready) > 0;
}

static gboolean x11_dispatch(GSource *s, GSourceFunc cb, gpointer data)
{
	struct x11_source *xs = (struct x11_source *)s;

	/* XPending reads the socket; on a dead connection it ends in the
	 * I/O error handler, which stops the main loop. */
	while (XPending(xs->dpy)) {
		XEvent ev;
		XNextEvent(xs->dpy, &ev);
		xs->func(&ev, xs->user);
	}
	return G_SOURCE_CONTINUE;
}

static GSourceFuncs x11_funcs = {
	.prepare = x11_prepare,
	.check = x11_check,
	.dispatch = x11_dispatch,
};

guint x11_source_add(Display *dpy, x11_event_func func, void *user)
{
	GSource *s = g_source_new(&x11_funcs, sizeof(struct x11_source));
	struct x11_source *xs = (struct x11_source *)s;

	xs->dpy = dpy;
	xs->func = func;
	xs->user = user;
	xs->pfd.fd = ConnectionNumber(dpy);
	xs->pfd.events = G_IO_IN | G_IO_HUP | G_IO_ERR;
	g_source_add_poll(s, &xs->pfd);
	guint id = g_source_attach(s, NULL);
	g_source_unref(s);
	return id;
}
