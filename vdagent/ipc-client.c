/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <glib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "ipc-client.h"
#include "vdp-util.h"

#define RECONNECT_MIN_MS 250
#define RECONNECT_MAX_MS 2000
#define READ_SIZE (256 * 1024)
#define AGENT_DESCRIPTION "vdagent " PACKAGE_VERSION " (X11)"

struct out_buf {
	uint8_t *data;
	size_t len;
	size_t off;
};

struct ipc_client {
	char *path;
	uint32_t hello_flags;
	const struct ipc_client_ops *ops;
	void *user;

	int fd;
	guint read_watch;
	guint write_watch;
	guint reconnect_timer;
	unsigned reconnect_ms;
	bool logged_failure;

	struct vdp_ipc_decoder *decoder;
	GQueue outq; /* struct out_buf */
	uint8_t *rbuf;
};

static void schedule_reconnect(struct ipc_client *c);

static void out_buf_free(gpointer p)
{
	struct out_buf *b = p;
	free(b->data);
	free(b);
}

static void close_connection(struct ipc_client *c)
{
	if (c->read_watch)
		g_source_remove(c->read_watch);
	if (c->write_watch)
		g_source_remove(c->write_watch);
	c->read_watch = c->write_watch = 0;
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	g_queue_clear_full(&c->outq, out_buf_free);
	vdp_ipc_decoder_reset(c->decoder);
}

static void connection_lost(struct ipc_client *c, const char *why)
{
	g_message("connection to the daemon lost: %s", why);
	close_connection(c);
	if (c->ops->disconnected)
		c->ops->disconnected(c->user);
	schedule_reconnect(c);
}

/* Write as much of the queue as the socket takes.  Returns -errno on a
 * fatal error, 0 otherwise. */
static int flush_queue(struct ipc_client *c)
{
	struct out_buf *b;

	while ((b = g_queue_peek_head(&c->outq))) {
		ssize_t n = send(c->fd, b->data + b->off, b->len - b->off,
				 MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			return -errno;
		}
		b->off += (size_t)n;
		if (b->off == b->len)
			out_buf_free(g_queue_pop_head(&c->outq));
	}
	return 0;
}

static gboolean on_writable(gint fd, GIOCondition cond, gpointer user)
{
	struct ipc_client *c = user;
	int r = flush_queue(c);

	if (r < 0) {
		c->write_watch = 0;
		connection_lost(c, g_strerror(-r));
		return G_SOURCE_REMOVE;
	}
	if (g_queue_is_empty(&c->outq)) {
		c->write_watch = 0;
		return G_SOURCE_REMOVE;
	}
	return G_SOURCE_CONTINUE;
}

static int on_decoded(void *user, const struct vdp_ipc_message *msg)
{
	struct ipc_client *c = user;

	c->ops->message(c->user, msg);
	/* the handler may have dropped the connection */
	return c->fd < 0 ? 1 : 0;
}

static gboolean on_readable(gint fd, GIOCondition cond, gpointer user)
{
	struct ipc_client *c = user;
	ssize_t n;

	do {
		n = recv(c->fd, c->rbuf, READ_SIZE, 0);
	} while (n < 0 && errno == EINTR);

	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return G_SOURCE_CONTINUE;
	if (n <= 0) {
		c->read_watch = 0;
		connection_lost(c, n == 0 ? "closed by the daemon"
					  : g_strerror(errno));
		return G_SOURCE_REMOVE;
	}

	int r = vdp_ipc_decoder_feed(c->decoder, c->rbuf, (size_t)n,
				     on_decoded, c);
	if (c->fd < 0) /* closed from a handler */
		return G_SOURCE_REMOVE;
	if (r < 0) {
		g_warning("bad message from the daemon: %s",
			  vdp_ipc_strerror(r));
		c->read_watch = 0;
		connection_lost(c, "protocol error");
		return G_SOURCE_REMOVE;
	}
	return G_SOURCE_CONTINUE;
}

static int send_hello(struct ipc_client *c)
{
	uint8_t head[VDP_IPC_HELLO_HEAD_SIZE];
	int r = vdp_ipc_build_hello_head(head, sizeof(head), VDP_IPC_VERSION,
					 c->hello_flags);
	if (r < 0)
		return r;
	struct vdp_iov pieces[] = {
		{ head, sizeof(head) },
		{ AGENT_DESCRIPTION, strlen(AGENT_DESCRIPTION) },
	};
	return ipc_client_send(c, VDP_IPC_HELLO, pieces, 2);
}

static int try_connect(struct ipc_client *c)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };

	if (strlen(c->path) >= sizeof(addr.sun_path))
		return -ENAMETOOLONG;
	memcpy(addr.sun_path, c->path, strlen(c->path) + 1);

	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		int e = errno;
		close(fd);
		return -e;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	c->fd = fd;
	c->read_watch = g_unix_fd_add(fd, G_IO_IN | G_IO_HUP | G_IO_ERR,
				      on_readable, c);
	return 0;
}

static gboolean on_reconnect(gpointer user)
{
	struct ipc_client *c = user;
	int r;

	c->reconnect_timer = 0;
	r = try_connect(c);
	if (r < 0) {
		if (!c->logged_failure)
			g_message("cannot connect to the daemon at %s: %s; "
				  "retrying", c->path, g_strerror(-r));
		c->logged_failure = true;
		schedule_reconnect(c);
		return G_SOURCE_REMOVE;
	}
	g_message("connected to the daemon at %s", c->path);
	c->logged_failure = false;
	c->reconnect_ms = RECONNECT_MIN_MS;
	r = send_hello(c);
	if (r < 0) {
		connection_lost(c, g_strerror(-r));
		return G_SOURCE_REMOVE;
	}
	if (c->ops->connected)
		c->ops->connected(c->user);
	return G_SOURCE_REMOVE;
}

static void schedule_reconnect(struct ipc_client *c)
{
	if (c->reconnect_timer)
		return;
	c->reconnect_timer = g_timeout_add(c->reconnect_ms, on_reconnect, c);
	c->reconnect_ms = MIN(c->reconnect_ms * 2, RECONNECT_MAX_MS);
}

struct ipc_client *ipc_client_new(const char *socket_path,
				  uint32_t hello_flags,
				  const struct ipc_client_ops *ops, void *user)
{
	struct ipc_client *c = zalloc(sizeof(*c));
	if (!c)
		return NULL;
	c->path = strdup(socket_path);
	c->decoder = vdp_ipc_decoder_new(VDP_IPC_FROM_DAEMON);
	c->rbuf = malloc(READ_SIZE);
	if (!c->path || !c->decoder || !c->rbuf) {
		free(c->path);
		free(c->rbuf);
		if (c->decoder)
			vdp_ipc_decoder_free(c->decoder);
		free(c);
		return NULL;
	}
	c->hello_flags = hello_flags;
	c->ops = ops;
	c->user = user;
	c->fd = -1;
	c->reconnect_ms = RECONNECT_MIN_MS;
	g_queue_init(&c->outq);
	c->reconnect_timer = g_idle_add(on_reconnect, c);
	return c;
}

void ipc_client_free(struct ipc_client *c)
{
	if (!c)
		return;
	close_connection(c);
	if (c->reconnect_timer)
		g_source_remove(c->reconnect_timer);
	vdp_ipc_decoder_free(c->decoder);
	free(c->rbuf);
	free(c->path);
	free(c);
}

bool ipc_client_is_connected(const struct ipc_client *c)
{
	return c->fd >= 0;
}

int ipc_client_send(struct ipc_client *c, uint32_t type,
		    const struct vdp_iov *pieces, int npieces)
{
	uint8_t hdr[VDP_IPC_HEADER_SIZE];
	struct vdp_iov iov[VDP_IPC_MAX_IOV];

	if (c->fd < 0)
		return -ENOTCONN;
	int n = vdp_ipc_encode(hdr, type, pieces, npieces, iov);
	if (n < 0)
		return n;

	struct out_buf *b = zalloc(sizeof(*b));
	if (!b)
		return -ENOMEM;
	b->len = vdp_ipc_iov_len(iov, n);
	b->data = malloc(b->len);
	if (!b->data) {
		free(b);
		return -ENOMEM;
	}
	size_t off = 0;
	for (int i = 0; i < n; i++) {
		memcpy(b->data + off, iov[i].base, iov[i].len);
		off += iov[i].len;
	}
	g_queue_push_tail(&c->outq, b);

	if (!c->write_watch) {
		int r = flush_queue(c);
		if (r < 0) {
			/* reported by the read side on the next wakeup */
			g_debug("send to the daemon failed: %s", g_strerror(-r));
			shutdown(c->fd, SHUT_RDWR);
			return r;
		}
		if (!g_queue_is_empty(&c->outq))
			c->write_watch = g_unix_fd_add(c->fd, G_IO_OUT,
						       on_writable, c);
	}
	return 0;
}

uint8_t *ipc_client_steal_data(struct ipc_client *c)
{
	return vdp_ipc_decoder_steal_data(c->decoder);
}
