/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "port.h"
#include "vdp-util.h"

struct wa_port {
	char *path;
	const struct wa_port_backend *backend;
	struct wa_port_io *io; /* NULL while closed */
	uint64_t retry_at;     /* GetTickCount64() of the next open try */
	DWORD delay_ms;        /* the wait after the next failure */
	bool logged_failure;   /* one "cannot open" line per outage */
	uint8_t *out;          /* queued bytes: out[head..len) */
	size_t head, len, cap, out_max;
};

struct wa_port *wa_port_new(const char *path, size_t out_max)
{
	struct wa_port *p = zalloc(sizeof(*p));

	if (!p)
		return NULL;
	p->path = strdup(path);
	if (!p->path) {
		free(p);
		return NULL;
	}
	p->backend = strncmp(path, "tcp:", 4) == 0 ? &wa_port_backend_tcp
						   : &wa_port_backend_virtio;
	p->delay_ms = WA_PORT_RETRY_MIN_MS;
	p->out_max = out_max;
	return p;
}

void wa_port_free(struct wa_port *p)
{
	if (!p)
		return;
	if (p->io)
		p->backend->close(p->io);
	free(p->out);
	free(p->path);
	free(p);
}

bool wa_port_is_open(const struct wa_port *p)
{
	return p->io != NULL;
}

DWORD wa_port_retry_in(const struct wa_port *p, uint64_t now)
{
	return p->retry_at > now ? (DWORD)(p->retry_at - now) : 0;
}

static void schedule_retry(struct wa_port *p, uint64_t now)
{
	p->retry_at = now + p->delay_ms;
	p->delay_ms = p->delay_ms * 2 > WA_PORT_RETRY_MAX_MS
			      ? WA_PORT_RETRY_MAX_MS
			      : p->delay_ms * 2;
}

int wa_port_try_open(struct wa_port *p, uint64_t now)
{
	int r;

	if (p->io)
		return 0;
	if (now < p->retry_at)
		return -EAGAIN;
	r = p->backend->open(p->path, &p->io);
	if (r < 0) {
		p->io = NULL;
		if (!p->logged_failure)
			wa_warning("port: cannot open %s (%s): %s; retrying "
				   "every %u..%u ms",
				   p->path, p->backend->name, strerror(-r),
				   WA_PORT_RETRY_MIN_MS, WA_PORT_RETRY_MAX_MS);
		else
			wa_debug("port: open %s: %s; next try in %lu ms",
				 p->path, strerror(-r),
				 (unsigned long)p->delay_ms);
		p->logged_failure = true;
		schedule_retry(p, now);
		return r;
	}
	wa_info("port: %s open (%s)", p->path, p->backend->name);
	p->logged_failure = false;
	p->head = p->len = 0;
	return 0;
}

void wa_port_healthy(struct wa_port *p)
{
	p->delay_ms = WA_PORT_RETRY_MIN_MS;
}

void wa_port_close(struct wa_port *p)
{
	if (!p->io)
		return;
	p->backend->close(p->io);
	p->io = NULL;
	p->head = p->len = 0;
	wa_info("port: %s closed; reopening in %lu ms", p->path,
		(unsigned long)p->delay_ms);
	schedule_retry(p, GetTickCount64());
}

int wa_port_handles(struct wa_port *p, HANDLE *out)
{
	return p->io ? p->backend->handles(p->io, out) : 0;
}

int wa_port_read(struct wa_port *p, uint8_t *buf, size_t size)
{
	if (!p->io)
		return -EPIPE;
	return p->backend->read(p->io, buf, size);
}

size_t wa_port_queue_room(const struct wa_port *p)
{
	size_t used = p->len - p->head;

	return used >= p->out_max ? 0 : p->out_max - used;
}

int wa_port_queue(struct wa_port *p, const void *buf, size_t len)
{
	if (!p->io)
		return -ENOTCONN;
	if (len > wa_port_queue_room(p))
		return -E2BIG;
	if (p->head > 0 && p->len + len > p->cap) {
		/* reuse the sent part before growing */
		memmove(p->out, p->out + p->head, p->len - p->head);
		p->len -= p->head;
		p->head = 0;
	}
	if (p->len + len > p->cap) {
		size_t cap = p->cap ? p->cap : 16384;
		uint8_t *n;

		while (cap < p->len + len)
			cap *= 2;
		n = realloc(p->out, cap);
		if (!n)
			return -ENOMEM;
		p->out = n;
		p->cap = cap;
	}
	memcpy(p->out + p->len, buf, len);
	p->len += len;
	return 0;
}

int wa_port_flush(struct wa_port *p)
{
	if (!p->io)
		return -EPIPE;
	if (p->head == p->len)
		/* nothing queued: let the backend reap a finished write */
		return p->backend->write(p->io, NULL, 0) < 0 ? -EPIPE : 0;
	while (p->head < p->len) {
		int n = p->backend->write(p->io, p->out + p->head,
					  p->len - p->head);

		if (n < 0)
			return n;
		if (n == 0)
			break;
		p->head += (size_t)n;
	}
	if (p->head == p->len)
		p->head = p->len = 0;
	return 0;
}
