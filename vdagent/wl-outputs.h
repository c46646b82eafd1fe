/* SPDX-License-Identifier: MIT */
/*
 * The compositor's outputs: every wl_output global, with its xdg-output
 * (logical position and size, name) when the compositor offers
 * zxdg_output_manager_v1.  Sway reports 0,0 in wl_output.geometry for
 * every output, so positions come from xdg-output whenever it is there.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <wayland-client.h>

#include "wl-layout.h"

struct wl_outputs;

/* Something about the outputs changed (after their "done" events). */
typedef void (*wl_outputs_changed_func)(void *user);

struct wl_outputs *wl_outputs_new(wl_outputs_changed_func changed,
				  void *user);
void wl_outputs_free(struct wl_outputs *o);

/* Registry events: returns true when the global was ours. */
bool wl_outputs_global(struct wl_outputs *o, struct wl_registry *reg,
		       uint32_t name, const char *iface, uint32_t version);
void wl_outputs_global_remove(struct wl_outputs *o, uint32_t name);

/* The outputs that finished describing themselves, at most max.
 * Returns how many were written. */
unsigned wl_outputs_snapshot(struct wl_outputs *o,
			     struct wl_layout_output *out, unsigned max);
