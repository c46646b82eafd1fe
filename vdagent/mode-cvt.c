/* SPDX-License-Identifier: MIT */
/*
 * CVT 1.1 standard-blanking timing formula.  The constants are the
 * spec's defaults; variable names follow the spec's worksheet.
 */
#include "config.h"

#include <errno.h>
#include <math.h>

#include "mode-cvt.h"

#define CELL_GRAN 8
#define MIN_V_PORCH 3       /* lines */
#define MIN_V_BPORCH 6      /* lines */
#define MIN_VSYNC_BP 550.0  /* microseconds */
#define H_SYNC_PERCENT 8.0
#define CLOCK_STEP_KHZ 250
/* Blanking formula gradient/offset, already scaled: C' = 30, M' = 300. */
#define C_PRIME 30.0
#define M_PRIME 300.0

static uint32_t vsync_width_for_aspect(uint32_t w, uint32_t h)
{
	if (h % 3 == 0 && h * 4 / 3 == w)
		return 4;
	if (h % 9 == 0 && h * 16 / 9 == w)
		return 5;
	if (h % 10 == 0 && h * 16 / 10 == w)
		return 6;
	if (h % 4 == 0 && h * 5 / 4 == w)
		return 7;
	if (h % 9 == 0 && h * 15 / 9 == w)
		return 7;
	return 10;
}

int cvt_mode_compute(uint32_t width, uint32_t height, uint32_t refresh_hz,
		     struct cvt_mode *out)
{
	if (width == 0 || height == 0 || width > 32767 || height > 32767 ||
	    refresh_hz == 0 || refresh_hz > 1000)
		return -EINVAL;

	uint32_t h_rnd = (width + CELL_GRAN - 1) / CELL_GRAN * CELL_GRAN;
	uint32_t vsync = vsync_width_for_aspect(h_rnd, height);

	double h_period_est = (1000000.0 / refresh_hz - MIN_VSYNC_BP) /
			      (double)(height + MIN_V_PORCH);
	uint32_t vsync_bp = (uint32_t)floor(MIN_VSYNC_BP / h_period_est) + 1;
	if (vsync_bp < vsync + MIN_V_BPORCH)
		vsync_bp = vsync + MIN_V_BPORCH;
	uint32_t vtotal = height + vsync_bp + MIN_V_PORCH;

	double duty = C_PRIME - M_PRIME * h_period_est / 1000.0;
	if (duty < 20.0)
		duty = 20.0;
	uint32_t h_blank = (uint32_t)floor(h_rnd * duty / (100.0 - duty) /
					   (2 * CELL_GRAN)) * (2 * CELL_GRAN);
	/* tiny widths: keep room for sync and porches */
	if (h_blank < 4 * CELL_GRAN)
		h_blank = 4 * CELL_GRAN;
	uint32_t htotal = h_rnd + h_blank;

	/* kHz, rounded down to the clock step */
	uint64_t clock_khz = (uint64_t)floor(htotal / h_period_est * 1000.0);
	clock_khz -= clock_khz % CLOCK_STEP_KHZ;
	if (clock_khz == 0)
		clock_khz = CLOCK_STEP_KHZ;

	uint32_t hsync_end = htotal - h_blank / 2;
	/* Rounded up to the next cell boundary (always moving it), as the
	 * X server's and libxcvt's cvt do, so modes match `cvt` exactly. */
	uint32_t hsync_start = hsync_end - htotal * (uint32_t)H_SYNC_PERCENT / 100;
	hsync_start += CELL_GRAN - hsync_start % CELL_GRAN;
	if (hsync_start >= hsync_end)
		hsync_start = hsync_end - CELL_GRAN;

	out->width = width;
	out->height = height;
	out->hsync_start = hsync_start;
	out->hsync_end = hsync_end;
	out->htotal = htotal;
	out->vsync_start = height + MIN_V_PORCH;
	out->vsync_end = height + MIN_V_PORCH + vsync;
	out->vtotal = vtotal;
	out->dot_clock_hz = clock_khz * 1000;
	return 0;
}
