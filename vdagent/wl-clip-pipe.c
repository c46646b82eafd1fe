/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <stdlib.h>
#include <unistd.h>

#include "wl-clip-pipe.h"

/* per wake-up, so that one fast peer cannot starve the loop */
#define PIPE_SLICE (1024 * 1024)
#define PIPE_CHUNK (64 * 1024)

struct wl_pipe_read {
	int fd;
	guint watch, timer;
	unsigned timeout_s;
	size_t limit;
	uint8_t *buf;
	size_t len, cap;
	wl_pipe_read_done done;
	void *user;
};

struct wl_pipe_write {
	int fd;
	guint watch, timer;
	unsigned timeout_s;
	GBytes *data;
	size_t off;
	wl_pipe_write_done done;
	void *user;
};

static void set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/* ---- reading ------------------------------------------------------------ */

static void read_free(struct wl_pipe_read *r)
{
	if (r->watch)
		g_source_remove(r->watch);
	if (r->timer)
		g_source_remove(r->timer);
	close(r->fd);
	free(r->buf);
	g_free(r);
}

static void read_finish(struct wl_pipe_read *r, int err)
{
	uint8_t *data = NULL;
	size_t len = 0;

	if (!err && r->len) {
		data = r->buf;
		len = r->len;
		r->buf = NULL;
	}
	wl_pipe_read_done done = r->done;
	void *user = r->user;
	read_free(r);
	done(user, data, len, err);
}

static gboolean read_timeout(gpointer user)
{
	struct wl_pipe_read *r = user;
	r->timer = 0;
	read_finish(r, -ETIMEDOUT);
	return G_SOURCE_REMOVE;
}

static void read_rearm_timer(struct wl_pipe_read *r)
{
	if (r->timer)
		g_source_remove(r->timer);
	r->timer = g_timeout_add_seconds(r->timeout_s, read_timeout, r);
}

static gboolean on_readable(gint fd, GIOCondition cond, gpointer user)
{
	struct wl_pipe_read *r = user;
	size_t slice = 0;

	while (slice < PIPE_SLICE) {
		if (r->cap - r->len < PIPE_CHUNK) {
			size_t cap = r->cap ? r->cap * 2 : PIPE_CHUNK * 2;
			uint8_t *nb = realloc(r->buf, cap);
			if (!nb) {
				r->watch = 0;
				read_finish(r, -ENOMEM);
				return G_SOURCE_REMOVE;
			}
			r->buf = nb;
			r->cap = cap;
		}
		ssize_t n = read(fd, r->buf + r->len, PIPE_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n <= 0) {
			r->watch = 0;
			read_finish(r, n < 0 ? -errno : 0);
			return G_SOURCE_REMOVE;
		}
		r->len += (size_t)n;
		slice += (size_t)n;
		if (r->len > r->limit) {
			r->watch = 0;
			read_finish(r, -EFBIG);
			return G_SOURCE_REMOVE;
		}
	}
	read_rearm_timer(r);
	return G_SOURCE_CONTINUE;
}

struct wl_pipe_read *wl_pipe_read_start(int fd, size_t limit,
					unsigned timeout_s,
					wl_pipe_read_done done, void *user)
{
	struct wl_pipe_read *r = g_new0(struct wl_pipe_read, 1);

	set_nonblock(fd);
	r->fd = fd;
	r->limit = limit;
	r->timeout_s = timeout_s;
	r->done = done;
	r->user = user;
	r->watch = g_unix_fd_add(fd, G_IO_IN | G_IO_HUP | G_IO_ERR,
				 on_readable, r);
	read_rearm_timer(r);
	return r;
}

void wl_pipe_read_cancel(struct wl_pipe_read *r)
{
	if (r)
		read_free(r);
}

/* ---- writing ------------------------------------------------------------ */

static void write_free(struct wl_pipe_write *w)
{
	if (w->watch)
		g_source_remove(w->watch);
	if (w->timer)
		g_source_remove(w->timer);
	close(w->fd);
	g_bytes_unref(w->data);
	g_free(w);
}

static void write_finish(struct wl_pipe_write *w, int err)
{
	wl_pipe_write_done done = w->done;
	void *user = w->user;
	write_free(w);
	done(user, err);
}

static gboolean write_timeout(gpointer user)
{
	struct wl_pipe_write *w = user;
	w->timer = 0;
	write_finish(w, -ETIMEDOUT);
	return G_SOURCE_REMOVE;
}

static gboolean on_writable(gint fd, GIOCondition cond, gpointer user)
{
	struct wl_pipe_write *w = user;
	size_t size;
	const uint8_t *p = g_bytes_get_data(w->data, &size);
	size_t slice = 0;

	while (w->off < size && slice < PIPE_SLICE) {
		size_t want = MIN(size - w->off, (size_t)PIPE_CHUNK);
		ssize_t n = write(fd, p + w->off, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n < 0) { /* EPIPE: the reader went away */
			w->watch = 0;
			write_finish(w, -errno);
			return G_SOURCE_REMOVE;
		}
		w->off += (size_t)n;
		slice += (size_t)n;
	}
	if (w->off == size) {
		w->watch = 0;
		write_finish(w, 0);
		return G_SOURCE_REMOVE;
	}
	if (w->timer)
		g_source_remove(w->timer);
	w->timer = g_timeout_add_seconds(w->timeout_s, write_timeout, w);
	return G_SOURCE_CONTINUE;
}

struct wl_pipe_write *wl_pipe_write_start(int fd, GBytes *data,
					  unsigned timeout_s,
					  wl_pipe_write_done done, void *user)
{
	struct wl_pipe_write *w = g_new0(struct wl_pipe_write, 1);

	set_nonblock(fd);
	w->fd = fd;
	w->data = g_bytes_ref(data);
	w->timeout_s = timeout_s;
	w->done = done;
	w->user = user;
	w->watch = g_unix_fd_add(fd, G_IO_OUT | G_IO_HUP | G_IO_ERR,
				 on_writable, w);
	w->timer = g_timeout_add_seconds(timeout_s, write_timeout, w);
	return w;
}

void wl_pipe_write_cancel(struct wl_pipe_write *w)
{
	if (w)
		write_free(w);
}
