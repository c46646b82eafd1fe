/* SPDX-License-Identifier: MIT */
/*
 * The agent: routes daemon messages to the X11 modules and the file
 * transfer, and their results back to the daemon.
 */
#pragma once

#include <X11/Xlib.h>
#include <glib.h>
#include <stdbool.h>

#include "options.h"

struct agent;

/* dpy stays owned by the caller.  Returns NULL on failure (logged), or
 * with *already_running set when another agent serves this display. */
struct agent *agent_new(Display *dpy, const struct vdagent_options *opts,
			bool *already_running);
void agent_free(struct agent *a);
