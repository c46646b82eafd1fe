/* SPDX-License-Identifier: MIT */
/*
 * The pointer events a device has not taken yet (a FIFO whose reader is
 * slow), oldest first, as frames: a few events and their SYN_REPORT.
 *
 * Nothing is dropped while there is room: a frame of motion only (EV_ABS)
 * is merged into a motion-only frame at the tail that no byte of has been
 * written yet; any other frame (a button, a wheel step) is appended, so
 * button and wheel changes keep their order relative to motion.  When the
 * queue is full the caller folds it (vda_evq_fold()) and appends one frame
 * from what the device will have seen to the newest state.
 *
 * Writes may take any number of bytes: the queue remembers how much of its
 * first event went out, and reports each event when all of it has.
 */
#pragma once

#include <linux/input.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "uinput.h"

/* Room for 400 clicks with motion between them many times over: 384 KiB. */
#define VDA_EVQ_MAX_EVENTS 16384u

struct vda_evq;

/* NULL only when out of memory; the event storage is allocated on first use. */
struct vda_evq *vda_evq_new(void);
void vda_evq_free(struct vda_evq *q);

bool vda_evq_empty(const struct vda_evq *q);
size_t vda_evq_length(const struct vda_evq *q);
void vda_evq_clear(struct vda_evq *q);

/*
 * Append one frame (n events, the last one SYN_REPORT), or merge it into
 * the tail as described above.  Returns 0, -ENOSPC when it does not fit
 * (nothing changed), or -ENOMEM.
 */
int vda_evq_push(struct vda_evq *q, const struct input_event *frame, size_t n);

/*
 * Hand the device as much as it takes in one write.  taken(user, ev) is
 * called for each event the device now has all of, oldest first.  Returns
 * the bytes written (0: the device takes nothing now), or the device's
 * negative errno (the queue is cleared: the device was closed).
 */
ssize_t vda_evq_write(struct vda_evq *q, struct vda_uinput *dev,
		      void (*taken)(void *user, const struct input_event *ev),
		      void *user);

/*
 * Drop every frame but the one being written (the device has part of it:
 * the rest must follow).  kept(user, ev) is called for each event of that
 * remainder, so the caller knows what the device will have seen.
 */
void vda_evq_fold(struct vda_evq *q,
		  void (*kept)(void *user, const struct input_event *ev),
		  void *user);
