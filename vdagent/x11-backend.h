/* SPDX-License-Identifier: MIT */
/*
 * The X11 session backend: RandR (x11-randr.h) and the selections
 * (x11-selection.h) of one X display behind the backend table.
 */
#pragma once

#include "backend.h"

/* arg: the Display *, which stays owned by the caller.  Claims the
 * display (one agent per display). */
struct backend *x11_backend_open(void *arg, const struct backend_events *ev,
				 void *user, bool *already_running);
