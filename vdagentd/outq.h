/* SPDX-License-Identifier: MIT */
/*
 * An output queue for a non-blocking fd: a list of byte segments, each
 * either copied inline (small headers) or borrowed from a GBytes that the
 * queue keeps a reference on, so large payloads are written without a copy.
 * The owner decides the bound (outq_bytes) and when to flush (writable fd).
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct outq;

struct outq *outq_new(void);
void outq_free(struct outq *q);

/* Append a copy of len bytes.  Returns 0 or -ENOMEM. */
int outq_push_copy(struct outq *q, const void *data, size_t len);
/* Append len bytes at base, which lie inside owner (referenced). */
int outq_push_ref(struct outq *q, GBytes *owner, const void *base, size_t len);

size_t outq_bytes(const struct outq *q);
bool outq_empty(const struct outq *q);
void outq_clear(struct outq *q);

/* Write as much as the fd takes.  Returns the bytes left queued (>= 0), or
 * a negative errno on a write error other than EAGAIN/EINTR. */
ssize_t outq_flush(struct outq *q, int fd);
