/* SPDX-License-Identifier: MIT */
/*
 * The agent: routes daemon messages to the session backend (backend.h:
 * X11 or Wayland) and the file transfer, and their results back to the
 * daemon.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

#include "backend.h"
#include "options.h"

struct agent;

/* Opens the backend with open_backend(backend_arg, ...); backend_arg
 * stays owned by the caller.  Returns NULL on failure (logged), or with
 * *already_running set when another agent serves this session. */
struct agent *agent_new(backend_open_func open_backend, void *backend_arg,
			const struct vdagent_options *opts,
			bool *already_running);
void agent_free(struct agent *a);
