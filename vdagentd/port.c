/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fdwatch.h"
#include "outq.h"
#include "port.h"
#include "record.h"
#include "vdp-util.h"

#define READ_SIZE (64 * 1024)
/* Bytes read since the port was last found empty that may have stalled the
 * writer on the other side; see nudge_writer(). */
#define NUDGE_BACKLOG (64 * 1024)
#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 10000
#define PORT_QUEUE_HARD (PORT_QUEUE_HIGH + PORT_MAX_MESSAGE + 65536u)

enum port_state {
	PORT_IDLE,        /* not wanted */
	PORT_RETRY_WAIT,  /* wanted, waiting for the backoff timer */
	PORT_DEVICE_WAIT, /* wanted, waiting for udev to show the device */
	PORT_ATTACHED,
};

static const char *const state_names[] = {
	[PORT_IDLE] = "idle",
	[PORT_RETRY_WAIT] = "retry-wait",
	[PORT_DEVICE_WAIT] = "device-wait",
	[PORT_ATTACHED] = "attached",
};

struct port {
	char *path;
	const struct port_callbacks *cb;
	void *user;
	struct record *rec;

	enum port_state state;
	bool wanted;
	bool have_udev;
	bool paused;
	bool quiet;          /* open failures already logged */
	guint backoff_ms;
	guint retry_source;

	int fd;
	const struct port_backend *backend;
	struct fdwatch *watch;
	struct vdp_decoder *decoder;
	struct outq *outq;
	uint8_t *rbuf;
	size_t backlog;        /* read since the port was last found empty */
	unsigned long nudges;

	bool in_feed;
	bool stop_feed;        /* detach requested from inside a callback */
	bool drained_pending;
};

static void port_try_attach(struct port *p);

static void set_state(struct port *p, enum port_state s)
{
	if (p->state == s)
		return;
	g_debug("port: %s -> %s", state_names[p->state], state_names[s]);
	p->state = s;
}

const struct port_backend *port_backend_for_path(const char *path)
{
	struct stat st;

	if (stat(path, &st) == 0)
		return S_ISSOCK(st.st_mode) ? &port_backend_socket
					    : &port_backend_chardev;
	return g_str_has_prefix(path, "/dev/") ? &port_backend_chardev
					       : &port_backend_socket;
}

static void update_events(struct port *p)
{
	GIOCondition ev = 0;

	if (!p->watch)
		return;
	if (!p->paused)
		ev |= G_IO_IN;
	if (!outq_empty(p->outq))
		ev |= G_IO_OUT;
	fdwatch_set_events(p->watch, ev);
}

static gboolean retry_cb(gpointer data)
{
	struct port *p = data;

	p->retry_source = 0;
	port_try_attach(p);
	return G_SOURCE_REMOVE;
}

static void schedule_retry(struct port *p)
{
	if (p->retry_source)
		g_source_remove(p->retry_source);
	set_state(p, PORT_RETRY_WAIT);
	g_debug("port: next attempt in %u ms", p->backoff_ms);
	p->retry_source = g_timeout_add(p->backoff_ms, retry_cb, p);
	p->backoff_ms = MIN(p->backoff_ms * 2, BACKOFF_MAX_MS);
}

static void close_fd(struct port *p)
{
	fdwatch_free(p->watch);
	p->watch = NULL;
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
	outq_clear(p->outq);
	vdp_decoder_reset(p->decoder);
	free(p->rbuf);
	p->rbuf = NULL;
	p->paused = false;
	p->backlog = 0;
}

/* Leave PORT_ATTACHED; then wait as the situation asks. */
static void detach(struct port *p, bool retry)
{
	bool was_attached = p->state == PORT_ATTACHED;

	close_fd(p);
	if (!p->wanted)
		set_state(p, PORT_IDLE);
	else if (retry)
		schedule_retry(p);
	else
		set_state(p, PORT_DEVICE_WAIT);
	if (was_attached && p->cb->detached)
		p->cb->detached(p->user);
}

/* Detach now, or after the decoder returns when inside a feed. */
static void detach_soon(struct port *p)
{
	if (p->in_feed) {
		p->stop_feed = true;
		return;
	}
	detach(p, true);
}

static int on_message(void *user, const struct vdp_message *msg)
{
	struct port *p = user;

	if (p->stop_feed)
		return 1;
	p->backoff_ms = BACKOFF_MIN_MS; /* the stream makes sense */
	p->cb->message(p->user, msg);
	return p->stop_feed ? 1 : 0;
}

static void handle_write(struct port *p);

/*
 * Xspice's spice-server writes client data into the socket without waiting
 * for it to become writable: a write that finds the buffer full is retried
 * on a 100 ms timer, or as soon as our end of the socket sends something.
 * A reader that falls behind for a moment (two cores, four busy processes)
 * then costs 100 ms per stall.  So after draining a backlog big enough to
 * have filled the buffer, send a message to the server port, which
 * spice-server reads and discards; it writes again at once.  Only between
 * messages, so no peer ever sees it inside one of ours.
 */
static void nudge_writer(struct port *p)
{
	_cleanup_free_ uint8_t *buf = NULL;
	size_t len = 0;

	if (!p->backend->nudge_writer || !outq_empty(p->outq))
		return;
	/* type 0 is no message type: nothing acts on it even if parsed */
	if (vdp_encode_append(&buf, &len, VDP_PORT_SERVER, 0, 0, NULL, 0) < 0 ||
	    outq_push_copy(p->outq, buf, len) < 0)
		return;
	record_out(p->rec, &(struct vdp_iov){ buf, len }, 1);
	p->nudges++;
	if (p->nudges == 1)
		g_debug("port: draining a backlog; nudging the writer (logged once)");
	handle_write(p);
}

/* n bytes were read: track the backlog and nudge once it is drained. */
static void note_read(struct port *p, size_t n)
{
	p->backlog += n;
	if (n == READ_SIZE)
		return; /* more may be waiting */
	/* a short read from a stream socket leaves its queue empty */
	if (p->backlog >= NUDGE_BACKLOG)
		nudge_writer(p);
	p->backlog = 0;
}

static void handle_read(struct port *p)
{
	ssize_t n = read(p->fd, p->rbuf, READ_SIZE);
	int r;

	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		g_warning("port %s: read error: %s; detaching", p->path,
			  g_strerror(errno));
		detach_soon(p);
		return;
	}
	if (n == 0) {
		g_message("port %s: closed by the other side; detaching",
			  p->path);
		detach_soon(p);
		return;
	}
	record_in(p->rec, p->rbuf, (size_t)n);
	p->in_feed = true;
	r = vdp_decoder_feed(p->decoder, p->rbuf, (size_t)n, on_message, p);
	p->in_feed = false;
	if (r < 0 && r != VDP_DECODE_ERR_STOPPED)
		g_warning("port %s: protocol violation: %s; detaching",
			  p->path, vdp_decode_strerror(r));
	if (r < 0 || p->stop_feed) {
		p->stop_feed = false;
		if (p->state == PORT_ATTACHED)
			detach(p, true);
		return;
	}
	if (p->state == PORT_ATTACHED)
		note_read(p, (size_t)n);
}

static void handle_write(struct port *p)
{
	size_t before = outq_bytes(p->outq);
	ssize_t left = outq_flush(p->outq, p->fd);

	if (left < 0) {
		if (!p->stop_feed)
			g_warning("port %s: write error: %s; detaching",
				  p->path, g_strerror((int)-left));
		detach_soon(p);
		return;
	}
	update_events(p);
	if (before >= PORT_QUEUE_LOW && (size_t)left < PORT_QUEUE_LOW &&
	    p->cb->drained)
		p->cb->drained(p->user);
}

static void on_fd(void *user, GIOCondition rev)
{
	struct port *p = user;

	if (rev & G_IO_OUT)
		handle_write(p);
	if (p->state != PORT_ATTACHED)
		return;
	if (rev & (G_IO_IN | G_IO_HUP | G_IO_ERR)) {
		/* a hang-up while paused is read too: it ends in EOF */
		handle_read(p);
	}
}

static void port_try_attach(struct port *p)
{
	const struct port_backend *b;
	int fd;

	if (!p->wanted || p->state == PORT_ATTACHED)
		return;
	b = port_backend_for_path(p->path);
	fd = b->open(p->path);
	if (fd < 0) {
		bool wait_device = fd == -ENOENT && b->udev_hotplug &&
				   p->have_udev;

		if (!p->quiet)
			g_message("port %s (%s): cannot open: %s%s", p->path,
				  b->name, g_strerror(-fd),
				  wait_device ? "; waiting for the device" : "");
		else
			g_debug("port %s: cannot open: %s", p->path,
				g_strerror(-fd));
		p->quiet = true;
		if (wait_device)
			set_state(p, PORT_DEVICE_WAIT);
		else
			schedule_retry(p);
		return;
	}
	p->rbuf = malloc(READ_SIZE);
	if (!p->rbuf) {
		close(fd);
		schedule_retry(p);
		return;
	}
	p->fd = fd;
	p->backend = b;
	p->quiet = false;
	p->watch = fdwatch_new(fd, G_IO_IN, on_fd, p);
	set_state(p, PORT_ATTACHED);
	g_message("port %s (%s): attached", p->path, b->name);
	if (p->cb->attached)
		p->cb->attached(p->user);
}

struct port *port_new(const char *path, const struct port_callbacks *cb,
		      void *user, struct record *rec)
{
	struct port *p = zalloc(sizeof(*p));

	if (!p)
		return NULL;
	p->path = g_strdup(path);
	p->cb = cb;
	p->user = user;
	p->rec = rec;
	p->fd = -1;
	p->backoff_ms = BACKOFF_MIN_MS;
	p->decoder = vdp_decoder_new(PORT_MAX_MESSAGE);
	p->outq = outq_new();
	if (!p->decoder || !p->outq) {
		port_free(p);
		return NULL;
	}
	return p;
}

void port_free(struct port *p)
{
	if (!p)
		return;
	if (p->retry_source)
		g_source_remove(p->retry_source);
	close_fd(p);
	vdp_decoder_free(p->decoder);
	outq_free(p->outq);
	g_free(p->path);
	free(p);
}

void port_set_wanted(struct port *p, bool wanted)
{
	if (p->wanted == wanted)
		return;
	p->wanted = wanted;
	if (wanted) {
		p->backoff_ms = BACKOFF_MIN_MS;
		port_try_attach(p);
		return;
	}
	if (p->retry_source) {
		g_source_remove(p->retry_source);
		p->retry_source = 0;
	}
	if (p->state == PORT_ATTACHED) {
		g_message("port %s: no session agent; detaching", p->path);
		detach_soon(p);
	} else {
		set_state(p, PORT_IDLE);
	}
}

bool port_attached(const struct port *p)
{
	return p->state == PORT_ATTACHED && !p->stop_feed;
}

static bool inside(const void *ptr, const void *base, size_t len)
{
	const uint8_t *q = ptr, *b = base;

	return q >= b && q < b + len;
}

int port_send(struct port *p, uint32_t type, const struct vdp_iov *pieces,
	      int npieces, GBytes *owner)
{
	g_autoptr(GBytes) copy = NULL;
	struct vdp_iov single, out[VDP_CHUNK_MAX_IOV];
	struct vdp_encoder e;
	size_t total = 0;
	int r, n;

	if (!port_attached(p))
		return -ENOTCONN;
	for (int i = 0; i < npieces; i++)
		total += pieces[i].len;
	if (outq_bytes(p->outq) + total > PORT_QUEUE_HARD) {
		g_warning("port %s: write queue full, message type %u dropped",
			  p->path, type);
		return -ENOBUFS;
	}
	if (!owner && total > 0) {
		uint8_t *buf = g_malloc(total);
		size_t off = 0;

		for (int i = 0; i < npieces; i++) {
			memcpy(buf + off, pieces[i].base, pieces[i].len);
			off += pieces[i].len;
		}
		copy = g_bytes_new_take(buf, total);
		owner = copy;
		single = (struct vdp_iov){ buf, total };
		pieces = &single;
		npieces = 1;
	}
	r = vdp_encoder_init(&e, VDP_PORT_CLIENT, type, 0, pieces, npieces);
	if (r < 0)
		return r;
	while ((n = vdp_encoder_next_chunk(&e, out)) > 0) {
		record_out(p->rec, out, n);
		for (int i = 0; i < n; i++) {
			/* headers and small pieces are copied; the rest
			 * lies inside owner */
			if (out[i].len <= PORT_COPY_MAX ||
			    inside(out[i].base, e.chunk_hdr,
				   sizeof(e.chunk_hdr)) ||
			    inside(out[i].base, e.msg_hdr, sizeof(e.msg_hdr)))
				r = outq_push_copy(p->outq, out[i].base,
						   out[i].len);
			else
				r = outq_push_ref(p->outq, owner, out[i].base,
						  out[i].len);
			if (r < 0)
				return r;
		}
	}
	/* Try at once: most messages are small and the port is writable. */
	handle_write(p);
	return 0;
}

size_t port_queued(const struct port *p)
{
	return outq_bytes(p->outq);
}

void port_pause_reading(struct port *p, bool paused)
{
	if (p->paused == paused)
		return;
	p->paused = paused;
	g_debug("port: reading %s", paused ? "paused" : "resumed");
	update_events(p);
}

uint8_t *port_steal_data(struct port *p)
{
	return vdp_decoder_steal_data(p->decoder);
}

void port_device_added(struct port *p)
{
	if (p->state == PORT_DEVICE_WAIT || p->state == PORT_RETRY_WAIT) {
		g_debug("port: device appeared");
		if (p->retry_source) {
			g_source_remove(p->retry_source);
			p->retry_source = 0;
		}
		p->backoff_ms = BACKOFF_MIN_MS;
		port_try_attach(p);
	}
}

void port_device_removed(struct port *p)
{
	if (p->state == PORT_ATTACHED && p->backend->udev_hotplug) {
		g_message("port %s: device removed; detaching", p->path);
		if (p->in_feed) {
			p->stop_feed = true;
			return;
		}
		detach(p, false);
	}
}

bool port_waiting_for_device(const struct port *p)
{
	return p->state == PORT_DEVICE_WAIT;
}

void port_set_udev(struct port *p, bool have_udev)
{
	p->have_udev = have_udev;
}

const char *port_path(const struct port *p)
{
	return p->path;
}
