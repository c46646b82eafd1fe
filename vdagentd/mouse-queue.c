/* SPDX-License-Identifier: MIT */
/* Pointer events waiting for a slow device: see mouse-queue.h. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mouse-queue.h"
#include "vdp-util.h"

struct vda_evq {
	struct input_event *ev; /* VDA_EVQ_MAX_EVENTS, allocated on first push */
	size_t len;             /* events held */
	size_t off;             /* bytes of ev[0] the device already has */
	bool head_mid_frame;    /* ev[0] follows events of its frame already taken */
	size_t tail_start;      /* index of the last frame's first event */
};

struct vda_evq *vda_evq_new(void)
{
	return zalloc(sizeof(struct vda_evq));
}

void vda_evq_free(struct vda_evq *q)
{
	if (!q)
		return;
	free(q->ev);
	free(q);
}

bool vda_evq_empty(const struct vda_evq *q)
{
	return q->len == 0;
}

size_t vda_evq_length(const struct vda_evq *q)
{
	return q->len;
}

void vda_evq_clear(struct vda_evq *q)
{
	q->len = 0;
	q->off = 0;
	q->head_mid_frame = false;
	q->tail_start = 0;
}

static bool is_syn(const struct input_event *e)
{
	return e->type == EV_SYN && e->code == SYN_REPORT;
}

/* Events before the final SYN_REPORT are all EV_ABS. */
static bool frame_is_motion(const struct input_event *f, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++)
		if (f[i].type != EV_ABS)
			return false;
	return n > 1;
}

/* The device has part of the frame at the head. */
static bool head_started(const struct vda_evq *q)
{
	return q->head_mid_frame || q->off > 0;
}

/* Fold frame's axes into the motion-only tail: its values win. */
static int merge_motion(struct vda_evq *q, const struct input_event *frame,
			size_t n)
{
	for (size_t i = 0; i + 1 < n; i++) {
		size_t j;

		for (j = q->tail_start; j + 1 < q->len; j++)
			if (q->ev[j].code == frame[i].code)
				break;
		if (j + 1 < q->len) {
			q->ev[j].value = frame[i].value;
			continue;
		}
		/* a new axis goes before the tail's SYN_REPORT */
		if (q->len >= VDA_EVQ_MAX_EVENTS)
			return -ENOSPC;
		q->ev[q->len] = q->ev[q->len - 1];
		q->ev[q->len - 1] = frame[i];
		q->len++;
	}
	return 0;
}

int vda_evq_push(struct vda_evq *q, const struct input_event *frame, size_t n)
{
	if (n == 0 || !is_syn(&frame[n - 1]))
		return -EINVAL;
	if (!q->ev) {
		q->ev = malloc(VDA_EVQ_MAX_EVENTS * sizeof(*q->ev));
		if (!q->ev)
			return -ENOMEM;
	}
	if (q->len > 0 && frame_is_motion(frame, n) &&
	    frame_is_motion(&q->ev[q->tail_start], q->len - q->tail_start) &&
	    (q->tail_start > 0 || !head_started(q)))
		return merge_motion(q, frame, n);
	if (n > VDA_EVQ_MAX_EVENTS - q->len)
		return -ENOSPC;
	memcpy(&q->ev[q->len], frame, n * sizeof(*frame));
	q->tail_start = q->len;
	q->len += n;
	return 0;
}

ssize_t vda_evq_write(struct vda_evq *q, struct vda_uinput *dev,
		      void (*taken)(void *user, const struct input_event *ev),
		      void *user)
{
	size_t bytes = q->len * sizeof(*q->ev) - q->off;
	ssize_t w;
	size_t done;

	if (q->len == 0)
		return 0;
	w = vda_uinput_write(dev, (const char *)q->ev + q->off, bytes);
	if (w < 0) {
		vda_evq_clear(q);
		return w;
	}
	done = (q->off + (size_t)w) / sizeof(*q->ev);
	q->off = (q->off + (size_t)w) % sizeof(*q->ev);
	if (done == 0)
		return w;
	for (size_t i = 0; i < done; i++)
		taken(user, &q->ev[i]);
	q->head_mid_frame = !is_syn(&q->ev[done - 1]);
	q->len -= done;
	memmove(q->ev, &q->ev[done], q->len * sizeof(*q->ev));
	q->tail_start = q->tail_start > done ? q->tail_start - done : 0;
	if (q->len == 0)
		vda_evq_clear(q);
	return w;
}

void vda_evq_fold(struct vda_evq *q,
		  void (*kept)(void *user, const struct input_event *ev),
		  void *user)
{
	size_t keep = 0;

	if (head_started(q)) {
		while (keep < q->len && !is_syn(&q->ev[keep]))
			keep++;
		keep = keep < q->len ? keep + 1 : q->len;
	}
	for (size_t i = 0; i < keep; i++)
		kept(user, &q->ev[i]);
	q->len = keep;
	q->tail_start = 0;
	if (keep == 0)
		vda_evq_clear(q);
}
