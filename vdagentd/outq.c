/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <sys/uio.h>
#include <unistd.h>

#include "outq.h"
#include "vdp-util.h"

#define INLINE_MAX 32
#define FLUSH_IOV 64

struct segment {
	struct segment *next;
	GBytes *owner; /* NULL: data lives in inl[] */
	const uint8_t *base;
	size_t len;
	uint8_t inl[INLINE_MAX];
};

struct outq {
	struct segment *head, *tail;
	size_t head_off; /* bytes of head already written */
	size_t bytes;    /* queued, not yet written */
};

struct outq *outq_new(void)
{
	return zalloc(sizeof(struct outq));
}

void outq_clear(struct outq *q)
{
	struct segment *s = q->head;

	while (s) {
		struct segment *next = s->next;

		if (s->owner)
			g_bytes_unref(s->owner);
		free(s);
		s = next;
	}
	q->head = q->tail = NULL;
	q->head_off = 0;
	q->bytes = 0;
}

void outq_free(struct outq *q)
{
	if (!q)
		return;
	outq_clear(q);
	free(q);
}

static void append(struct outq *q, struct segment *s)
{
	if (q->tail)
		q->tail->next = s;
	else
		q->head = s;
	q->tail = s;
	q->bytes += s->len;
}

int outq_push_copy(struct outq *q, const void *data, size_t len)
{
	struct segment *s;

	if (len == 0)
		return 0;
	if (len > INLINE_MAX) {
		GBytes *b = g_bytes_new(data, len);
		int r = outq_push_ref(q, b, g_bytes_get_data(b, NULL), len);

		g_bytes_unref(b);
		return r;
	}
	s = zalloc(sizeof(*s));
	if (!s)
		return -ENOMEM;
	memcpy(s->inl, data, len);
	s->base = s->inl;
	s->len = len;
	append(q, s);
	return 0;
}

int outq_push_ref(struct outq *q, GBytes *owner, const void *base, size_t len)
{
	struct segment *s;

	if (len == 0)
		return 0;
	s = zalloc(sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->owner = g_bytes_ref(owner);
	s->base = base;
	s->len = len;
	append(q, s);
	return 0;
}

size_t outq_bytes(const struct outq *q)
{
	return q->bytes;
}

bool outq_empty(const struct outq *q)
{
	return q->bytes == 0;
}

static void consume(struct outq *q, size_t n)
{
	q->bytes -= n;
	while (n > 0) {
		struct segment *s = q->head;
		size_t left = s->len - q->head_off;

		if (n < left) {
			q->head_off += n;
			return;
		}
		n -= left;
		q->head = s->next;
		if (!q->head)
			q->tail = NULL;
		q->head_off = 0;
		if (s->owner)
			g_bytes_unref(s->owner);
		free(s);
	}
}

ssize_t outq_flush(struct outq *q, int fd)
{
	while (q->head) {
		struct iovec iov[FLUSH_IOV];
		struct segment *s = q->head;
		size_t off = q->head_off;
		int n = 0;
		ssize_t w;

		for (; s && n < FLUSH_IOV; s = s->next, n++) {
			iov[n].iov_base = (void *)(s->base + off);
			iov[n].iov_len = s->len - off;
			off = 0;
		}
		w = writev(fd, iov, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			return -errno;
		}
		consume(q, (size_t)w);
	}
	return (ssize_t)q->bytes;
}
