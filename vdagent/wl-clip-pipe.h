/* SPDX-License-Identifier: MIT */
/*
 * Clipboard data through pipes, from the GLib main loop: read a pipe to
 * its end, or write a buffer into one, without ever blocking the loop.
 */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

struct wl_pipe_read;
struct wl_pipe_write;

/* data: malloc'd, the callee's (NULL when len is 0 or on error); err 0,
 * -EFBIG (more than the limit), -ETIMEDOUT (no byte for the timeout),
 * or a read error.  The read is over (freed) after the call. */
typedef void (*wl_pipe_read_done)(void *user, uint8_t *data, size_t len,
				  int err);
/* The write is over (fd closed, freed) after the call. */
typedef void (*wl_pipe_write_done)(void *user, int err);

/* Takes fd (made non-blocking, closed at the end). */
struct wl_pipe_read *wl_pipe_read_start(int fd, size_t limit,
					unsigned timeout_s,
					wl_pipe_read_done done, void *user);
/* Stops it without calling done. */
void wl_pipe_read_cancel(struct wl_pipe_read *r);

/* Takes fd; keeps a reference to data. */
struct wl_pipe_write *wl_pipe_write_start(int fd, GBytes *data,
					  unsigned timeout_s,
					  wl_pipe_write_done done, void *user);
void wl_pipe_write_cancel(struct wl_pipe_write *w);
