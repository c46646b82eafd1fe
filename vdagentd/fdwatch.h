/* SPDX-License-Identifier: MIT */
/*
 * One fd in the GLib main loop whose wanted conditions can change (e.g.
 * G_IO_OUT only while output is queued) without re-creating the source.
 */
#pragma once

#include <glib.h>

struct fdwatch;

/* revents as poll() reported them (G_IO_HUP/ERR even when not asked). */
typedef void (*fdwatch_cb)(void *user, GIOCondition revents);

struct fdwatch *fdwatch_new(int fd, GIOCondition events, fdwatch_cb cb,
			    void *user);
/* Stops watching; does not close the fd.  Safe from inside the callback. */
void fdwatch_free(struct fdwatch *w);
void fdwatch_set_events(struct fdwatch *w, GIOCondition events);
GIOCondition fdwatch_events(const struct fdwatch *w);
