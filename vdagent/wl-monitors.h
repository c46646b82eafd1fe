/* SPDX-License-Identifier: MIT */
/*
 * A client's MONITORS_CONFIG as wishes for a compositor's outputs, for
 * whichever configurator the compositor has (wl-sway-ipc.h).  Pure,
 * unit-tested.
 *
 * Display ids map to outputs as in the layout (wl-layout.h).  An enabled
 * entry sets its output's mode (pixels) and position: the client's when
 * it sends positions, else side by side in id order; shifted so that
 * nothing is negative; divided by the outputs' scale (positions are
 * logical).  An output whose entry is disabled or missing is disabled.
 * An enabled entry with no output yet, when every output is named
 * PREFIX-N, names PREFIX-(id+1): a disabled output of a virtual GPU is
 * enabled again that way.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "vdp-validate.h"
#include "wl-layout.h"

struct wl_output_wish {
	char name[WL_LAYOUT_NAME_MAX];
	bool enable;
	int32_t w, h; /* mode, pixels */
	int32_t x, y; /* logical position */
};

/* Writes at most max wishes; returns how many. */
unsigned wl_monitors_plan(const struct wl_layout_output *outs, unsigned n,
			  char *const *connector, unsigned ncon,
			  const struct vdp_monitors_config *mc,
			  struct wl_output_wish *wish, unsigned max);
