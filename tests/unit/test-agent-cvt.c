/* SPDX-License-Identifier: MIT */
/* CVT mode timings against the values of the reference `cvt` tool. */
#include "config.h"

#include <errno.h>

#include "../../vdagent/mode-cvt.h"
#include "tap.h"

struct known {
	uint32_t w, h;
	uint32_t clock_khz;
	uint32_t hss, hse, ht, vss, vse, vt;
};

/* `cvt W H 60` from libxcvt; for widths that are not a multiple of 8 the
 * tool rounds up to 8 and the agent keeps the exact width instead. */
static const struct known table[] = {
	{ 640, 480, 23750, 664, 720, 800, 483, 487, 500 },
	{ 800, 600, 38250, 832, 912, 1024, 603, 607, 624 },
	{ 1024, 768, 63500, 1072, 1176, 1328, 771, 775, 798 },
	{ 1280, 720, 74500, 1344, 1472, 1664, 723, 728, 748 },
	{ 1920, 1080, 173000, 2048, 2248, 2576, 1083, 1088, 1120 },
	{ 3840, 2160, 712750, 4160, 4576, 5312, 2163, 2168, 2237 },
	{ 1366, 768, 85250, 1440, 1576, 1784, 771, 781, 798 },
	{ 1234, 567, 55500, 1288, 1408, 1576, 570, 580, 590 },
};

int main(void)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		const struct known *k = &table[i];
		struct cvt_mode m;
		int r = cvt_mode_compute(k->w, k->h, 60, &m);

		is_int(r, 0, "%ux%u computed", k->w, k->h);
		is_int(m.width, k->w, "%ux%u: width kept exactly", k->w, k->h);
		is_int(m.height, k->h, "%ux%u: height", k->w, k->h);
		is_int(m.dot_clock_hz, (uint64_t)k->clock_khz * 1000,
		       "%ux%u: pixel clock", k->w, k->h);
		is_int(m.hsync_start, k->hss, "%ux%u: hsync start", k->w, k->h);
		is_int(m.hsync_end, k->hse, "%ux%u: hsync end", k->w, k->h);
		is_int(m.htotal, k->ht, "%ux%u: htotal", k->w, k->h);
		is_int(m.vsync_start, k->vss, "%ux%u: vsync start", k->w, k->h);
		is_int(m.vsync_end, k->vse, "%ux%u: vsync end", k->w, k->h);
		is_int(m.vtotal, k->vt, "%ux%u: vtotal", k->w, k->h);
	}

	struct cvt_mode m;
	is_int(cvt_mode_compute(0, 600, 60, &m), -EINVAL, "width 0 refused");
	is_int(cvt_mode_compute(800, 0, 60, &m), -EINVAL, "height 0 refused");
	is_int(cvt_mode_compute(40000, 600, 60, &m), -EINVAL, "huge width refused");
	is_int(cvt_mode_compute(800, 600, 0, &m), -EINVAL, "refresh 0 refused");
	is_int(cvt_mode_compute(1, 1, 60, &m), 0, "1x1 still gives a mode");
	ok(m.htotal > m.hsync_end && m.hsync_end > m.hsync_start &&
		   m.hsync_start >= m.width && m.vtotal > m.vsync_end,
	   "1x1 timings are ordered");
	is_int(cvt_mode_compute(32767, 32767, 60, &m), 0, "32767x32767 computed");
	ok(m.htotal > 32767 && m.vtotal > 32767, "largest mode has blanking");
	return tap_done();
}
