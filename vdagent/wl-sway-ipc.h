/* SPDX-License-Identifier: MIT */
/*
 * Output configuration through sway's IPC socket ($SWAYSOCK): the
 * wishes of wl-monitors.h as one RUN_COMMAND message of "output"
 * commands ("mode --custom" for any size).  Sway runs the commands one
 * after the other; the reply says which failed.
 */
#pragma once

#include "wl-monitors.h"

struct wl_sway;

/* NULL when path is NULL/empty or nothing answers there. */
struct wl_sway *wl_sway_new(const char *path);
void wl_sway_free(struct wl_sway *s);

/* Returns 0 when every command succeeded, -EIO when sway refused one
 * (its error logged), -EINVAL for an output name sway could misread
 * (skipped, logged), or a negative errno of the socket.  Waits for
 * sway's answer (at most a few seconds). */
int wl_sway_apply(struct wl_sway *s, const struct wl_output_wish *wish,
		  unsigned n);
