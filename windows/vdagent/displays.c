/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "display-plan.h"
#include "displays.h"
#include "log.h"
#include "vdp-build.h"
#include "vdp-util.h"
#include "vdp-validate.h"

/* The enumeration is cached this long: mouse messages come often and the
 * message-only window gets no WM_DISPLAYCHANGE broadcast. */
#define ENUM_MAX_AGE_MS 500
/* Modes looked at per display when choosing one. */
#define MODES_MAX 512

struct display {
	wchar_t name[32]; /* \\.\DISPLAY1 */
	bool attached;
	struct wa_rect rect;
};

struct wa_displays {
	struct wa_agent *agent;
	struct display disp[WA_DISPLAYS_MAX];
	size_t n;
	uint64_t enumerated_at; /* 0: never */
	/* from GRAPHICS_DEVICE_INFO; have_map false: identity */
	bool have_map;
	int id_to_display[VDP_DEVICE_DISPLAYS_MAX];
};

struct wa_displays *wa_displays_new(struct wa_agent *a)
{
	struct wa_displays *d = zalloc(sizeof(*d));

	if (d)
		d->agent = a;
	return d;
}

void wa_displays_free(struct wa_displays *d)
{
	free(d);
}

static void enumerate(struct wa_displays *d)
{
	DISPLAY_DEVICEW dd = { .cb = sizeof(dd) };

	d->n = 0;
	for (DWORD i = 0; d->n < WA_DISPLAYS_MAX &&
			  EnumDisplayDevicesW(NULL, i, &dd, 0);
	     i++, dd.cb = sizeof(dd)) {
		struct display *x = &d->disp[d->n];
		DEVMODEW dm = { .dmSize = sizeof(dm) };

		if (dd.StateFlags & DISPLAY_DEVICE_MIRRORING_DRIVER)
			continue;
		memcpy(x->name, dd.DeviceName, sizeof(x->name));
		x->name[ARRAY_LENGTH(x->name) - 1] = 0;
		x->attached = dd.StateFlags & DISPLAY_DEVICE_ATTACHED_TO_DESKTOP;
		x->rect = (struct wa_rect){ 0 };
		if (x->attached &&
		    EnumDisplaySettingsExW(x->name, ENUM_CURRENT_SETTINGS, &dm,
					   0))
			x->rect = (struct wa_rect){
				.x = dm.dmPosition.x,
				.y = dm.dmPosition.y,
				.width = (int32_t)dm.dmPelsWidth,
				.height = (int32_t)dm.dmPelsHeight,
			};
		d->n++;
	}
	d->enumerated_at = GetTickCount64();
}

static void refresh(struct wa_displays *d)
{
	if (!d->enumerated_at ||
	    GetTickCount64() - d->enumerated_at > ENUM_MAX_AGE_MS)
		enumerate(d);
}

static int display_of_id(const struct wa_displays *d, uint32_t id)
{
	if (d->have_map)
		return id < ARRAY_LENGTH(d->id_to_display)
			       ? d->id_to_display[id]
			       : -1;
	return id < d->n ? (int)id : -1;
}

void wa_displays_monitor_rect(struct wa_displays *d, uint32_t id,
			      struct wa_rect *out)
{
	int i;

	refresh(d);
	i = display_of_id(d, id);
	if (i >= 0 && (size_t)i < d->n && d->disp[i].attached) {
		*out = d->disp[i].rect;
		return;
	}
	/* the primary display: the one at the origin */
	*out = (struct wa_rect){ 0, 0, GetSystemMetrics(SM_CXSCREEN),
				 GetSystemMetrics(SM_CYSCREEN) };
}

void wa_displays_desktop_rect(struct wa_displays *d, struct wa_rect *out)
{
	*out = (struct wa_rect){
		.x = GetSystemMetrics(SM_XVIRTUALSCREEN),
		.y = GetSystemMetrics(SM_YVIRTUALSCREEN),
		.width = GetSystemMetrics(SM_CXVIRTUALSCREEN),
		.height = GetSystemMetrics(SM_CYVIRTUALSCREEN),
	};
}

static void reply(struct wa_displays *d, uint32_t type, bool success)
{
	uint8_t buf[VDP_BUILD_SMALL_MAX];
	int n = vdp_build_reply(buf, sizeof(buf), type,
				success ? VDP_REPLY_SUCCESS : VDP_REPLY_ERROR);

	if (n > 0)
		wa_agent_send(d->agent, VDP_MSG_REPLY, buf, (size_t)n, NULL, 0);
}

/* ---- MONITORS_CONFIG ----------------------------------------------------- */

/* The listed mode closest to w x h (the X server under wine can set only
 * the modes it lists; Windows drivers usually list what they accept). */
static bool pick_mode(const struct display *x, uint32_t w, uint32_t h,
		      uint32_t *ow, uint32_t *oh)
{
	static struct wa_mode modes[MODES_MAX]; /* one thread; large */
	DEVMODEW dm = { .dmSize = sizeof(dm) };
	size_t n = 0;
	int best;

	for (DWORD i = 0; n < MODES_MAX && EnumDisplaySettingsW(x->name, i, &dm);
	     i++, dm.dmSize = sizeof(dm))
		modes[n++] = (struct wa_mode){ dm.dmPelsWidth, dm.dmPelsHeight };
	best = wa_display_pick_mode(modes, n, w, h);
	if (best < 0)
		return false; /* nothing listed: ask for w x h as it is */
	*ow = modes[best].width;
	*oh = modes[best].height;
	return true;
}

static LONG apply_one(const struct display *x, const struct wa_display_target *t,
		      bool primary)
{
	DEVMODEW dm = { .dmSize = sizeof(dm) };
	DWORD flags = CDS_UPDATEREGISTRY | CDS_NORESET;
	uint32_t w = t->width, h = t->height;

	dm.dmFields = DM_PELSWIDTH | DM_PELSHEIGHT | DM_POSITION;
	if (t->enabled) {
		if (pick_mode(x, t->width, t->height, &w, &h) &&
		    (w != t->width || h != t->height))
			wa_info("displays: %ls: no %ux%u mode listed, using the "
				"closest, %ux%u", x->name, t->width, t->height,
				w, h);
		dm.dmPosition.x = t->x;
		dm.dmPosition.y = t->y;
		if (primary)
			flags |= CDS_SET_PRIMARY;
	} else {
		w = h = 0; /* 0x0 at 0,0 detaches the display */
	}
	dm.dmPelsWidth = w;
	dm.dmPelsHeight = h;
	wa_info("displays: %ls -> %s %ux%u+%d+%d%s", x->name,
		t->enabled ? "on" : "off", w, h, (int)dm.dmPosition.x,
		(int)dm.dmPosition.y, primary ? " primary" : "");
	return ChangeDisplaySettingsExW(x->name, &dm, NULL, flags, NULL);
}

static int monitors_config(struct wa_displays *d, const uint8_t *data,
			   size_t size)
{
	static struct vdp_monitors_config mc; /* one thread; 2.5 KiB */
	struct wa_display_target plan[WA_DISPLAYS_MAX];
	size_t primary = 0;
	bool ok = true;
	int r;

	r = vdp_parse_monitors_config(data, size, &mc);
	if (r < 0)
		return r;
	enumerate(d);
	r = wa_display_plan(&mc, d->have_map ? d->id_to_display : NULL,
			    d->have_map ? ARRAY_LENGTH(d->id_to_display) : 0,
			    d->n, plan, &primary);
	if (r <= 0) {
		if (r < 0)
			wa_warning("displays: MONITORS_CONFIG would disable "
				   "every display: refused");
		else
			wa_warning("displays: MONITORS_CONFIG names none of "
				   "the %u displays: refused", (unsigned)d->n);
		reply(d, VDP_MSG_MONITORS_CONFIG, false);
		return 0;
	}
	for (size_t i = 0; i < d->n; i++) {
		LONG rc;

		if (!plan[i].touched)
			continue;
		rc = apply_one(&d->disp[i], &plan[i], i == primary);
		if (rc != DISP_CHANGE_SUCCESSFUL) {
			wa_warning("displays: %ls: ChangeDisplaySettingsEx "
				   "failed (%ld)", d->disp[i].name, (long)rc);
			ok = false;
		}
	}
	{
		LONG rc = ChangeDisplaySettingsExW(NULL, NULL, NULL, 0, NULL);

		if (rc != DISP_CHANGE_SUCCESSFUL) {
			wa_warning("displays: applying the layout failed (%ld)",
				   (long)rc);
			ok = false;
		}
	}
	enumerate(d);
	reply(d, VDP_MSG_MONITORS_CONFIG, ok);
	return 0;
}

/* ---- DISPLAY_CONFIG -------------------------------------------------------
 * What Windows lets a session change, for this session only (not written
 * to the user's profile: no SPIF_UPDATEINIFILE), so the user's own
 * settings come back at the next logon:
 *   DISABLE_WALLPAPER    SPI_SETDESKWALLPAPER ""
 *   DISABLE_FONT_SMOOTH  SPI_SETFONTSMOOTHING FALSE
 *   DISABLE_ANIMATION    SPI_SETANIMATION (minimize/restore) and
 *                        SPI_SETCLIENTAREAANIMATION FALSE
 *   SET_COLOR_DEPTH      dmBitsPerPel = depth on every attached display
 * A flag that is not set leaves the setting as it is.
 */
static bool set_bpp(struct wa_displays *d, uint32_t depth)
{
	bool ok = true;

	enumerate(d);
	for (size_t i = 0; i < d->n; i++) {
		DEVMODEW dm = { .dmSize = sizeof(dm) };

		if (!d->disp[i].attached)
			continue;
		dm.dmFields = DM_BITSPERPEL;
		dm.dmBitsPerPel = depth;
		if (ChangeDisplaySettingsExW(d->disp[i].name, &dm, NULL,
					     CDS_UPDATEREGISTRY | CDS_NORESET,
					     NULL) != DISP_CHANGE_SUCCESSFUL)
			ok = false;
	}
	if (ChangeDisplaySettingsExW(NULL, NULL, NULL, 0, NULL) !=
	    DISP_CHANGE_SUCCESSFUL)
		ok = false;
	return ok;
}

static int display_config(struct wa_displays *d, const uint8_t *data,
			  size_t size)
{
	struct vdp_display_config c;
	bool ok = true;
	int r;

	r = vdp_parse_display_config(data, size, &c);
	if (r < 0)
		return r;
	wa_info("displays: DISPLAY_CONFIG flags 0x%x depth %u", c.flags,
		c.depth);
	if (c.flags & VDP_DISPLAY_FLAG_DISABLE_WALLPAPER)
		ok &= SystemParametersInfoW(SPI_SETDESKWALLPAPER, 0, (void *)L"",
					    SPIF_SENDCHANGE) != 0;
	if (c.flags & VDP_DISPLAY_FLAG_DISABLE_FONT_SMOOTH)
		ok &= SystemParametersInfoW(SPI_SETFONTSMOOTHING, FALSE, NULL,
					    SPIF_SENDCHANGE) != 0;
	if (c.flags & VDP_DISPLAY_FLAG_DISABLE_ANIMATION) {
		ANIMATIONINFO ai = { .cbSize = sizeof(ai), .iMinAnimate = 0 };

		ok &= SystemParametersInfoW(SPI_SETANIMATION, sizeof(ai), &ai,
					    SPIF_SENDCHANGE) != 0;
		ok &= SystemParametersInfoW(SPI_SETCLIENTAREAANIMATION, 0,
					    (void *)FALSE, SPIF_SENDCHANGE) != 0;
	}
	if ((c.flags & VDP_DISPLAY_FLAG_SET_COLOR_DEPTH) && c.depth)
		ok &= set_bpp(d, c.depth);
	if (!ok)
		wa_warning("displays: some DISPLAY_CONFIG settings failed");
	reply(d, VDP_MSG_DISPLAY_CONFIG, ok);
	return 0;
}

/* ---- GRAPHICS_DEVICE_INFO -------------------------------------------------- */

static int device_info(struct wa_displays *d, const uint8_t *data, size_t size)
{
	static struct vdp_graphics_device_info g; /* one thread; 2 KiB */
	int r = vdp_parse_graphics_device_info(data, size, &g);

	if (r < 0)
		return r;
	for (size_t i = 0; i < ARRAY_LENGTH(d->id_to_display); i++)
		d->id_to_display[i] = -1;
	for (uint32_t i = 0; i < g.count; i++) {
		const struct vdp_device_display *e = &g.entry[i];
		uint64_t id = (uint64_t)e->channel_id + e->monitor_id;

		wa_debug("displays: client display %llu is device display %u "
			 "(%s)", (unsigned long long)id, e->device_display_id,
			 e->address);
		if (id < ARRAY_LENGTH(d->id_to_display) &&
		    e->device_display_id < WA_DISPLAYS_MAX)
			d->id_to_display[id] = (int)e->device_display_id;
	}
	/* spice-server sends an empty one for Xspice: no mapping then */
	d->have_map = g.count > 0;
	return 0;
}

int wa_displays_handle(struct wa_displays *d, uint32_t type,
		       const uint8_t *data, size_t size)
{
	switch (type) {
	case VDP_MSG_MONITORS_CONFIG:
		return monitors_config(d, data, size);
	case VDP_MSG_DISPLAY_CONFIG:
		return display_config(d, data, size);
	case VDP_MSG_GRAPHICS_DEVICE_INFO:
		return device_info(d, data, size);
	default:
		return -EOPNOTSUPP;
	}
}

void wa_displays_port_closed(struct wa_displays *d)
{
	d->have_map = false;
}
