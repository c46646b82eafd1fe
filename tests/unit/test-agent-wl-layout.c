/* SPDX-License-Identifier: MIT */
/* vdagent/wl-layout.c: the SCREEN_LAYOUT of a Wayland session;
 * wl-monitors.c: a MONITORS_CONFIG as output wishes; wl-clip-mime.c. */
#include "config.h"

#include <errno.h>

#include "tap.h"
#include "vdp-wire.h"
#include "wl-clip-mime.h"
#include "wl-layout.h"
#include "wl-monitors.h"

static struct wl_layout_output out(const char *name, int32_t x, int32_t y,
				   int32_t lw, int32_t lh, int32_t pw,
				   int32_t ph)
{
	struct wl_layout_output o = { .x = x, .y = y, .lw = lw, .lh = lh,
				      .pw = pw, .ph = ph };
	snprintf(o.name, sizeof(o.name), "%s", name);
	return o;
}

/* "id:x,y wxh ..." of a layout, for comparisons */
static const char *show(const struct vdp_ipc_screen_layout *l)
{
	static char buf[1024];
	int n = snprintf(buf, sizeof(buf), "%ux%u", l->width, l->height);
	for (uint32_t i = 0; i < l->count && n < (int)sizeof(buf); i++) {
		const struct vdp_ipc_display *d = &l->displays[i];
		n += snprintf(buf + n, sizeof(buf) - (size_t)n,
			      " %u:%d,%d %ux%u", d->display_id, d->x, d->y,
			      d->width, d->height);
	}
	return buf;
}

static void check(const char *what, const struct wl_layout_output *o,
		  unsigned n, char *const *con, unsigned ncon,
		  const char *want)
{
	struct vdp_ipc_screen_layout l;
	int r = wl_layout_build(o, n, con, ncon, &l);
	if (!ok(r == 0 && strcmp(show(&l), want) == 0, "%s", what))
		diag("  got r=%d %s, want %s", r, r == 0 ? show(&l) : "",
		     want);
}

static void mon(struct vdp_monitors_config *mc, uint32_t w, uint32_t h,
		int32_t x, int32_t y)
{
	struct vdp_monitor *m = &mc->mon[mc->count++];
	*m = (struct vdp_monitor){ .width = w, .height = h, .x = x, .y = y,
				   .enabled = w && h };
}

/* "name:WxH+X+Y" or "name:off" for each wish */
static const char *show_wishes(const struct wl_output_wish *w, unsigned n)
{
	static char buf[1024];
	int k = 0;
	buf[0] = 0;
	for (unsigned i = 0; i < n && k < (int)sizeof(buf); i++) {
		if (w[i].enable)
			k += snprintf(buf + k, sizeof(buf) - (size_t)k,
				      "%s%s:%dx%d%+d%+d", i ? " " : "",
				      w[i].name, w[i].w, w[i].h, w[i].x,
				      w[i].y);
		else
			k += snprintf(buf + k, sizeof(buf) - (size_t)k,
				      "%s%s:off", i ? " " : "", w[i].name);
	}
	return buf;
}

static void check_plan(const char *what, const struct wl_layout_output *o,
		       unsigned n, const struct vdp_monitors_config *mc,
		       const char *want)
{
	struct wl_output_wish w[16];
	unsigned k = wl_monitors_plan(o, n, NULL, 0, mc, w, 16);
	const char *got = show_wishes(w, k);
	if (!ok(strcmp(got, want) == 0, "%s", what))
		diag("  got %s, want %s", got, want);
}

static void test_monitors(void)
{
	struct wl_layout_output two[] = {
		out("HEADLESS-2", 1280, 0, 1024, 768, 1024, 768),
		out("HEADLESS-1", 0, 0, 1280, 800, 1280, 800),
	};
	struct vdp_monitors_config mc = { .flags = VDP_MONITORS_FLAG_USE_POS };
	mon(&mc, 1920, 1080, 0, 0);
	mon(&mc, 800, 600, 1920, 0);
	check_plan("two monitors: modes and positions by display id", two, 2,
		   &mc, "HEADLESS-2:800x600+1920+0 HEADLESS-1:1920x1080+0+0");

	mc.flags = 0;
	check_plan("without USE_POS: side by side", two, 2, &mc,
		   "HEADLESS-2:800x600+1920+0 HEADLESS-1:1920x1080+0+0");

	struct vdp_monitors_config one = { .flags = VDP_MONITORS_FLAG_USE_POS };
	mon(&one, 1024, 768, 0, 0);
	mon(&one, 0, 0, 0, 0);
	check_plan("a 0x0 entry disables its output", two, 2, &one,
		   "HEADLESS-2:off HEADLESS-1:1024x768+0+0");
	one.count = 1;
	check_plan("a missing entry disables its output", two, 2, &one,
		   "HEADLESS-2:off HEADLESS-1:1024x768+0+0");

	struct vdp_monitors_config neg = { .flags = VDP_MONITORS_FLAG_USE_POS };
	mon(&neg, 800, 600, 0, 0);
	mon(&neg, 800, 600, -800, -100);
	check_plan("negative positions shifted to 0,0", two, 2, &neg,
		   "HEADLESS-2:800x600+0+0 HEADLESS-1:800x600+800+100");

	struct wl_layout_output one_out[] = {
		out("Virtual-1", 0, 0, 1024, 768, 1024, 768),
	};
	struct vdp_monitors_config three = { .flags = 0 };
	mon(&three, 1024, 768, 0, 0);
	mon(&three, 0, 0, 0, 0);
	mon(&three, 640, 480, 0, 0);
	check_plan("an entry without an output: PREFIX-(id+1) enabled",
		   one_out, 1, &three,
		   "Virtual-1:1024x768+0+0 Virtual-3:640x480+1024+0");

	struct wl_layout_output scaled[] = {
		out("Virtual-1", 0, 0, 960, 540, 1920, 1080),
		out("Virtual-2", 960, 0, 960, 540, 1920, 1080),
	};
	struct vdp_monitors_config sc = { .flags = VDP_MONITORS_FLAG_USE_POS };
	mon(&sc, 1920, 1080, 0, 0);
	mon(&sc, 1920, 1080, 1920, 0);
	check_plan("scale 2: logical positions", scaled, 2, &sc,
		   "Virtual-1:1920x1080+0+0 Virtual-2:1920x1080+960+0");

	struct vdp_monitors_config huge = { .flags = VDP_MONITORS_FLAG_USE_POS };
	mon(&huge, 100000, 600, 0, 0);
	mon(&huge, 800, 600, 2000000000, 0);
	check_plan("sizes and positions out of range: disabled", two, 2,
		   &huge, "HEADLESS-2:off HEADLESS-1:off");
}

static void test_mime(void)
{
	is_int(wl_clip_mime_type("text/plain;charset=utf-8"),
	       VDP_CLIPBOARD_UTF8_TEXT, "text/plain;charset=utf-8 is text");
	is_int(wl_clip_mime_type("TEXT/PLAIN;CHARSET=UTF-8"),
	       VDP_CLIPBOARD_UTF8_TEXT, "MIME types are case-insensitive");
	is_int(wl_clip_mime_type("image/png"), VDP_CLIPBOARD_IMAGE_PNG,
	       "image/png");
	is_int(wl_clip_mime_type("image/jpeg"), VDP_CLIPBOARD_IMAGE_JPG,
	       "image/jpeg");
	is_int(wl_clip_mime_type("text/html"), VDP_CLIPBOARD_NONE,
	       "text/html is not carried");
	const char *offered[] = { "text/plain", "UTF8_STRING", "image/png" };
	const char *p = wl_clip_mime_pick(VDP_CLIPBOARD_UTF8_TEXT, offered, 3);
	ok(p && strcmp(p, "UTF8_STRING") == 0,
	   "text: UTF8_STRING preferred to text/plain");
	ok(wl_clip_mime_pick(VDP_CLIPBOARD_IMAGE_BMP, offered, 3) == NULL,
	   "no BMP offered: NULL");
	const char *mimes[8];
	size_t n = wl_clip_mimes_for(VDP_CLIPBOARD_UTF8_TEXT, mimes, 8);
	ok(n == 3 && strcmp(mimes[0], "text/plain;charset=utf-8") == 0,
	   "text is offered as 3 MIME types, UTF-8 first");
}

int main(void)
{
	test_monitors();
	test_mime();

	struct vdp_ipc_screen_layout l;

	/* sway: two headless outputs side by side */
	struct wl_layout_output a[] = {
		out("HEADLESS-1", 0, 0, 1280, 800, 1280, 800),
		out("HEADLESS-2", 1280, 0, 1024, 768, 1024, 768),
	};
	check("two outputs side by side", a, 2, NULL, 0,
	      "2304x800 0:0,0 1280x800 1:1280,0 1024x768");

	/* registry order does not matter: names give the ids */
	struct wl_layout_output b[] = { a[1], a[0] };
	check("ids from PREFIX-N names, any order", b, 2, NULL, 0,
	      "2304x800 0:0,0 1280x800 1:1280,0 1024x768");

	/* negative positions: the bounding box moves to 0,0 */
	struct wl_layout_output c[] = {
		out("Virtual-1", 0, 0, 800, 600, 800, 600),
		out("Virtual-2", -1024, 100, 1024, 768, 1024, 768),
	};
	check("bounding box moved to 0,0", c, 2, NULL, 0,
	      "1824x868 0:1024,0 800x600 1:0,100 1024x768");

	/* scale 2 everywhere: logical positions times 2 */
	struct wl_layout_output d[] = {
		out("Virtual-1", 0, 0, 960, 540, 1920, 1080),
		out("Virtual-2", 960, 0, 640, 400, 1280, 800),
	};
	check("scale 2: pixel coordinates", d, 2, NULL, 0,
	      "3200x1080 0:0,0 1920x1080 1:1920,0 1280x800");

	/* fractional scale 1.5 */
	struct wl_layout_output e[] = {
		out("DP-1", 0, 0, 1280, 720, 1920, 1080),
	};
	check("scale 1.5", e, 1, NULL, 0, "1920x1080 0:0,0 1920x1080");

	/* names without distinct numbers: natural name order */
	struct wl_layout_output f[] = {
		out("HDMI-A-1", 1920, 0, 1024, 768, 1024, 768),
		out("DP-1", 0, 0, 1920, 1080, 1920, 1080),
	};
	check("same N twice: ids in name order", f, 2, NULL, 0,
	      "2944x1080 0:0,0 1920x1080 1:1920,0 1024x768");
	struct wl_layout_output g[] = {
		out("out10", 0, 0, 100, 100, 100, 100),
		out("out9", 100, 0, 100, 100, 100, 100),
	};
	check("natural order: out9 before out10", g, 2, NULL, 0,
	      "200x100 0:100,0 100x100 1:0,0 100x100");

	/* GRAPHICS_DEVICE_INFO names the connectors */
	char *con[3] = { "Virtual-2", NULL, "Virtual-1" };
	check("ids from the client's connector names", c, 2, con, 3,
	      "1824x868 0:0,100 1024x768 2:1024,0 800x600");
	char *other[1] = { "HDMI-1" };
	check("connector names that match nothing: PREFIX-N", c, 2, other, 1,
	      "1824x868 0:1024,0 800x600 1:0,100 1024x768");

	/* hostile or incomplete outputs are left out */
	struct wl_layout_output h[] = {
		out("Virtual-1", 0, 0, 800, 600, 800, 600),
		out("Virtual-2", 800, 0, 0, 0, 0, 0),
		out("Virtual-3", 800, 0, 100000, 600, 100000, 600),
		out("Virtual-4", -2000000000, 0, 800, 600, 800, 600),
	};
	check("bad sizes and positions are left out", h, 4, NULL, 0,
	      "800x600 0:0,0 800x600");
	is_int(wl_layout_build(h + 1, 2, NULL, 0, &l), -EINVAL,
	       "no usable output: -EINVAL");
	is_int(wl_layout_build(a, 0, NULL, 0, &l), -EINVAL,
	       "no output: -EINVAL");
	struct wl_layout_output far[] = {
		out("A-1", 0, 0, 800, 600, 800, 600),
		out("A-2", 65000, 0, 800, 600, 800, 600),
	};
	is_int(wl_layout_build(far, 2, NULL, 0, &l), -EINVAL,
	       "a box wider than the IPC allows: -EINVAL");
	return tap_done();
}
