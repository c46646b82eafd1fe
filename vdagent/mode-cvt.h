/* SPDX-License-Identifier: MIT */
/* VESA CVT (standard blanking) mode timings for a requested size. */
#pragma once

#include <stdint.h>

struct cvt_mode {
	uint32_t width, height;
	uint32_t hsync_start, hsync_end, htotal;
	uint32_t vsync_start, vsync_end, vtotal;
	uint64_t dot_clock_hz;
	/* Always -hsync +vsync for standard CVT. */
};

/*
 * Timings for width x height at refresh_hz.  The active size is kept
 * exactly as asked (the timings are computed for the width rounded up to
 * the 8-pixel cell, so a width like 1366 still gets valid blanking).
 * Returns 0, or -EINVAL for sizes outside 1..32767 or refresh 0.
 */
int cvt_mode_compute(uint32_t width, uint32_t height, uint32_t refresh_hz,
		     struct cvt_mode *out);
