/* SPDX-License-Identifier: MIT */
/*
 * MONITORS_CONFIG -> what each Windows display should become, and the
 * choice of a listed mode.  No Windows API here (displays.c applies the
 * plan with ChangeDisplaySettingsExW), so the unit test checks it alone.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vdp-validate.h"

/* At most this many Windows displays are handled. */
#define WA_DISPLAYS_MAX 16

struct wa_display_target {
	bool touched; /* the message says something about this display */
	bool enabled;
	int32_t x, y; /* desktop position; the primary display is at 0,0 */
	uint32_t width, height;
};

/*
 * id_to_display[i] is the Windows display (0..ndisplays-1) of the
 * client's display id i, or -1 for none (NULL: id i is display i).
 * Entries for ids without a display are ignored.  Without
 * VDP_MONITORS_FLAG_USE_POS the enabled displays are put side by side in
 * id order.  Positions are shifted so that the enabled display with the
 * lowest id, which becomes the primary, is at 0,0.
 * Fills out[0..ndisplays-1]; returns the number of displays touched, or
 * -EINVAL when the result would leave no display enabled.
 */
int wa_display_plan(const struct vdp_monitors_config *mc,
		    const int *id_to_display, size_t nids, size_t ndisplays,
		    struct wa_display_target *out, size_t *primary);

struct wa_mode {
	uint32_t width, height;
};

/* The index of the mode equal to width x height, else of the closest one
 * (smallest |dw| + |dh|, then the first listed); -ENOENT when n is 0. */
int wa_display_pick_mode(const struct wa_mode *modes, size_t n,
			 uint32_t width, uint32_t height);
