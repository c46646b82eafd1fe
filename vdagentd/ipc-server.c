/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE 1 /* accept4, struct ucred */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "fdwatch.h"
#include "ipc-server.h"
#include "outq.h"
#include "vdp-util.h"

#define READ_SIZE (64 * 1024)

struct ipc_conn {
	struct ipc_server *server;
	int fd;
	pid_t pid;
	uid_t uid;
	char name[48];
	struct fdwatch *watch;
	struct vdp_ipc_decoder *decoder;
	struct outq *outq;
	size_t queue_cap;
	guint hello_timer;
	guint close_idle;
	bool closing;
	bool paused;
	bool above_high;
	bool in_feed;
	void *user;
};

struct ipc_server {
	const struct ipc_server_callbacks *cb;
	void *user;
	int fd;
	char *path; /* bound by us: unlinked at exit */
	struct fdwatch *watch;
	GList *conns;
	unsigned count;
	bool refusing; /* "limit reached" logged */
	uint8_t *rbuf;
};

static void conn_update_events(struct ipc_conn *c)
{
	GIOCondition ev = 0;

	if (!c->watch)
		return;
	if (!c->paused)
		ev |= G_IO_IN;
	if (!outq_empty(c->outq))
		ev |= G_IO_OUT;
	fdwatch_set_events(c->watch, ev);
}

static void conn_destroy(struct ipc_conn *c)
{
	struct ipc_server *s = c->server;

	c->closing = true;
	s->cb->disconnected(s->user, c);
	s->conns = g_list_remove(s->conns, c);
	s->count--;
	if (c->hello_timer)
		g_source_remove(c->hello_timer);
	if (c->close_idle)
		g_source_remove(c->close_idle);
	fdwatch_free(c->watch);
	close(c->fd);
	vdp_ipc_decoder_free(c->decoder);
	outq_free(c->outq);
	free(c);
	if (s->refusing && s->count < IPC_MAX_CONNECTIONS / 2)
		s->refusing = false;
}

static gboolean close_idle_cb(gpointer data)
{
	struct ipc_conn *c = data;

	c->close_idle = 0;
	conn_destroy(c);
	return G_SOURCE_REMOVE;
}

void ipc_conn_close(struct ipc_conn *c, const char *reason)
{
	if (c->closing)
		return;
	if (reason)
		g_warning("ipc: %s: %s; closing", c->name, reason);
	c->closing = true;
	fdwatch_free(c->watch);
	c->watch = NULL;
	c->close_idle = g_idle_add(close_idle_cb, c);
}

bool ipc_conn_closing(const struct ipc_conn *c)
{
	return c->closing;
}

static void conn_flush(struct ipc_conn *c)
{
	ssize_t left = outq_flush(c->outq, c->fd);

	if (left < 0) {
		g_debug("ipc: %s: write: %s", c->name,
			g_strerror((int)-left));
		ipc_conn_close(c, NULL);
		return;
	}
	conn_update_events(c);
	if (c->above_high && (size_t)left < IPC_QUEUE_LOW) {
		c->above_high = false;
		if (c->server->cb->drained)
			c->server->cb->drained(c->server->user, c);
	}
}

static int on_message(void *user, const struct vdp_ipc_message *msg)
{
	struct ipc_conn *c = user;

	if (c->closing)
		return 1;
	c->server->cb->message(c->server->user, c, msg);
	return c->closing ? 1 : 0;
}

static void conn_read(struct ipc_conn *c)
{
	ssize_t n = read(c->fd, c->server->rbuf, READ_SIZE);
	int r;

	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		g_debug("ipc: %s: read: %s", c->name, g_strerror(errno));
		ipc_conn_close(c, NULL);
		return;
	}
	if (n == 0) {
		g_debug("ipc: %s: disconnected", c->name);
		ipc_conn_close(c, NULL);
		return;
	}
	c->in_feed = true;
	r = vdp_ipc_decoder_feed(c->decoder, c->server->rbuf, (size_t)n,
				 on_message, c);
	c->in_feed = false;
	if (r < 0 && r != VDP_IPC_ERR_STOPPED) {
		char why[96];

		snprintf(why, sizeof(why), "protocol violation (%s)",
			 vdp_ipc_strerror(r));
		ipc_conn_close(c, why);
	}
}

static void on_conn_fd(void *user, GIOCondition rev)
{
	struct ipc_conn *c = user;

	if (c->closing)
		return;
	if (rev & G_IO_OUT)
		conn_flush(c);
	if (!c->closing && (rev & (G_IO_IN | G_IO_HUP | G_IO_ERR)))
		conn_read(c);
}

static gboolean hello_timeout_cb(gpointer data)
{
	struct ipc_conn *c = data;

	c->hello_timer = 0;
	ipc_conn_close(c, "no handshake in time");
	return G_SOURCE_REMOVE;
}

/* The oldest connection (of uid, or of anybody with uid -1) that has not
 * finished its handshake: the one to drop when a limit is reached, so idle
 * connections cannot lock the real agent out. */
static struct ipc_conn *oldest_pending(const struct ipc_server *s, uid_t uid,
				       bool any_uid, unsigned *count)
{
	struct ipc_conn *found = NULL;

	*count = 0;
	for (const GList *l = s->conns; l; l = l->next) {
		struct ipc_conn *c = l->data;

		if (!any_uid && c->uid != uid)
			continue;
		(*count)++;
		/* the list is newest first: the last match is the oldest */
		if (c->hello_timer && !c->closing)
			found = c;
	}
	return found;
}

static void limit_reached(struct ipc_server *s, const char *what)
{
	if (!s->refusing)
		g_warning("ipc: %s reached: dropping connections without "
			  "handshake, refusing new ones if there are none",
			  what);
	s->refusing = true;
}

/* Make room under the limits for a connection from uid; false if none. */
static bool make_room(struct ipc_server *s, uid_t uid)
{
	struct ipc_conn *victim;
	unsigned n;

	victim = oldest_pending(s, 0, true, &n);
	if (n >= IPC_MAX_CONNECTIONS) {
		limit_reached(s, "connection limit");
		if (!victim)
			return false;
		conn_destroy(victim);
	}
	if (uid == 0)
		return true;
	victim = oldest_pending(s, uid, false, &n);
	if (n >= IPC_MAX_CONNECTIONS_PER_UID) {
		limit_reached(s, "per-user connection limit");
		if (!victim)
			return false;
		conn_destroy(victim);
	}
	return true;
}

static void accept_one(struct ipc_server *s, int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	struct ipc_conn *c;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 ||
	    cred.pid <= 0) {
		g_warning("ipc: no peer credentials; closing");
		close(fd);
		return;
	}
	if (!make_room(s, cred.uid)) {
		close(fd);
		return;
	}
	c = zalloc(sizeof(*c));
	if (!c) {
		close(fd);
		return;
	}
	c->server = s;
	c->fd = fd;
	c->pid = cred.pid;
	c->uid = cred.uid;
	c->queue_cap = IPC_QUEUE_CAP_SMALL;
	snprintf(c->name, sizeof(c->name), "pid %d uid %u", (int)cred.pid,
		 (unsigned)cred.uid);
	c->decoder = vdp_ipc_decoder_new(VDP_IPC_FROM_AGENT);
	c->outq = outq_new();
	if (!c->decoder || !c->outq) {
		vdp_ipc_decoder_free(c->decoder);
		outq_free(c->outq);
		free(c);
		close(fd);
		return;
	}
	s->conns = g_list_prepend(s->conns, c);
	s->count++;
	c->watch = fdwatch_new(fd, G_IO_IN, on_conn_fd, c);
	c->hello_timer = g_timeout_add_seconds(IPC_HELLO_TIMEOUT_S,
					       hello_timeout_cb, c);
	g_debug("ipc: %s connected (%u connections)", c->name, s->count);
	if (!s->cb->connected(s->user, c))
		ipc_conn_close(c, NULL);
}

static void on_listen_fd(void *user, GIOCondition rev)
{
	struct ipc_server *s = user;

	for (int i = 0; i < 64; i++) {
		int fd = accept4(s->fd, NULL, NULL,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno != EAGAIN && errno != EINTR &&
			    errno != ECONNABORTED)
				g_warning("ipc: accept: %s", g_strerror(errno));
			return;
		}
		accept_one(s, fd);
	}
}

static int bind_socket(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	g_autofree char *dir = g_path_get_dirname(path);
	struct stat st;
	int fd, r;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	if (g_mkdir_with_parents(dir, 0755) < 0)
		return -errno;
	if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
		unlink(path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    chmod(path, 0666) < 0 || listen(fd, 16) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	return fd;
}

struct ipc_server *ipc_server_new(const char *path, int listen_fd,
				  const struct ipc_server_callbacks *cb,
				  void *user)
{
	struct ipc_server *s = zalloc(sizeof(*s));
	int fd = listen_fd;

	if (!s)
		return NULL;
	if (fd < 0) {
		fd = bind_socket(path);
		if (fd < 0) {
			g_warning("ipc: cannot listen on %s: %s", path,
				  g_strerror(-fd));
			free(s);
			errno = -fd;
			return NULL;
		}
		s->path = g_strdup(path);
	} else {
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
		fcntl(fd, F_SETFD, FD_CLOEXEC);
	}
	s->rbuf = malloc(READ_SIZE);
	if (!s->rbuf) {
		close(fd);
		g_free(s->path);
		free(s);
		errno = ENOMEM;
		return NULL;
	}
	s->fd = fd;
	s->cb = cb;
	s->user = user;
	s->watch = fdwatch_new(fd, G_IO_IN, on_listen_fd, s);
	return s;
}

void ipc_server_free(struct ipc_server *s)
{
	if (!s)
		return;
	while (s->conns)
		conn_destroy(s->conns->data);
	fdwatch_free(s->watch);
	close(s->fd);
	if (s->path)
		unlink(s->path);
	g_free(s->path);
	free(s->rbuf);
	free(s);
}

unsigned ipc_server_count(const struct ipc_server *s)
{
	return s->count;
}

int ipc_conn_send(struct ipc_conn *c, uint32_t type,
		  const struct vdp_iov *pieces, int npieces, GBytes *owner)
{
	uint8_t hdr[VDP_IPC_HEADER_SIZE];
	struct vdp_iov out[VDP_IPC_MAX_IOV];
	size_t total;
	int n, r = 0;

	if (c->closing)
		return -ENOTCONN;
	n = vdp_ipc_encode(hdr, type, pieces, npieces, out);
	if (n < 0) {
		g_warning("ipc: cannot encode %s for %s",
			  vdp_ipc_type_name(type), c->name);
		return n;
	}
	total = vdp_ipc_iov_len(out, n);
	if (outq_bytes(c->outq) + total > c->queue_cap) {
		char why[96];

		snprintf(why, sizeof(why),
			 "not reading its messages (%zu bytes queued)",
			 outq_bytes(c->outq));
		ipc_conn_close(c, why);
		return -ENOBUFS;
	}
	for (int i = 0; i < n && r == 0; i++) {
		if (i == 0 || !owner || out[i].len <= IPC_COPY_MAX)
			r = outq_push_copy(c->outq, out[i].base, out[i].len);
		else
			r = outq_push_ref(c->outq, owner, out[i].base,
					  out[i].len);
	}
	if (r < 0) {
		ipc_conn_close(c, "out of memory");
		return r;
	}
	if (outq_bytes(c->outq) >= IPC_QUEUE_HIGH)
		c->above_high = true;
	conn_flush(c);
	return 0;
}

pid_t ipc_conn_pid(const struct ipc_conn *c)
{
	return c->pid;
}

uid_t ipc_conn_uid(const struct ipc_conn *c)
{
	return c->uid;
}

void ipc_conn_set_ready(struct ipc_conn *c)
{
	if (c->hello_timer) {
		g_source_remove(c->hello_timer);
		c->hello_timer = 0;
	}
}

void ipc_conn_set_user(struct ipc_conn *c, void *data)
{
	c->user = data;
}

void *ipc_conn_get_user(const struct ipc_conn *c)
{
	return c->user;
}

void ipc_conn_set_queue_cap(struct ipc_conn *c, size_t cap)
{
	c->queue_cap = cap;
}

size_t ipc_conn_queued(const struct ipc_conn *c)
{
	return outq_bytes(c->outq);
}

void ipc_conn_pause_reading(struct ipc_conn *c, bool paused)
{
	if (c->paused == paused)
		return;
	c->paused = paused;
	conn_update_events(c);
}

uint8_t *ipc_conn_steal_data(struct ipc_conn *c)
{
	return vdp_ipc_decoder_steal_data(c->decoder);
}

int ipc_conn_set_limit(struct ipc_conn *c, uint32_t type, uint32_t max)
{
	return vdp_ipc_decoder_set_limit(c->decoder, type, max);
}

const char *ipc_conn_name(const struct ipc_conn *c)
{
	return c->name;
}
