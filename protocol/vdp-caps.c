/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "vdp-caps.h"
#include "vdp-util.h"

static const char *const cap_names[VDP_CAP_END] = {
	[VDP_CAP_MOUSE_STATE] = "MOUSE_STATE",
	[VDP_CAP_MONITORS_CONFIG] = "MONITORS_CONFIG",
	[VDP_CAP_REPLY] = "REPLY",
	[VDP_CAP_CLIPBOARD] = "CLIPBOARD",
	[VDP_CAP_DISPLAY_CONFIG] = "DISPLAY_CONFIG",
	[VDP_CAP_CLIPBOARD_BY_DEMAND] = "CLIPBOARD_BY_DEMAND",
	[VDP_CAP_CLIPBOARD_SELECTION] = "CLIPBOARD_SELECTION",
	[VDP_CAP_SPARSE_MONITORS_CONFIG] = "SPARSE_MONITORS_CONFIG",
	[VDP_CAP_GUEST_LINEEND_LF] = "GUEST_LINEEND_LF",
	[VDP_CAP_GUEST_LINEEND_CRLF] = "GUEST_LINEEND_CRLF",
	[VDP_CAP_MAX_CLIPBOARD] = "MAX_CLIPBOARD",
	[VDP_CAP_AUDIO_VOLUME_SYNC] = "AUDIO_VOLUME_SYNC",
	[VDP_CAP_MONITORS_CONFIG_POSITION] = "MONITORS_CONFIG_POSITION",
	[VDP_CAP_FILE_XFER_DISABLED] = "FILE_XFER_DISABLED",
	[VDP_CAP_FILE_XFER_DETAILED_ERRORS] = "FILE_XFER_DETAILED_ERRORS",
	[VDP_CAP_GRAPHICS_DEVICE_INFO] = "GRAPHICS_DEVICE_INFO",
	[VDP_CAP_CLIPBOARD_NO_RELEASE_ON_REGRAB] = "CLIPBOARD_NO_RELEASE_ON_REGRAB",
	[VDP_CAP_CLIPBOARD_GRAB_SERIAL] = "CLIPBOARD_GRAB_SERIAL",
};

void vdp_caps_clear_all(struct vdp_caps *c)
{
	memset(c, 0, sizeof(*c));
}

void vdp_caps_set(struct vdp_caps *c, unsigned cap)
{
	if (cap >= VDP_CAP_END)
		return;
	c->words[cap / 32] |= 1u << (cap % 32);
}

void vdp_caps_unset(struct vdp_caps *c, unsigned cap)
{
	if (cap >= VDP_CAP_END)
		return;
	c->words[cap / 32] &= ~(1u << (cap % 32));
}

bool vdp_caps_has(const struct vdp_caps *c, unsigned cap)
{
	if (!c || cap >= VDP_CAP_END)
		return false;
	return (c->words[cap / 32] >> (cap % 32)) & 1u;
}

struct vdp_caps vdp_caps_intersect(const struct vdp_caps *a,
				   const struct vdp_caps *b)
{
	struct vdp_caps r;

	for (size_t i = 0; i < VDP_CAPS_WORDS; i++)
		r.words[i] = a->words[i] & b->words[i];
	return r;
}

void vdp_caps_from_wire(struct vdp_caps *c, const uint8_t *p, size_t nwords)
{
	vdp_caps_clear_all(c);
	for (size_t i = 0; i < nwords && i < VDP_CAPS_WORDS; i++)
		c->words[i] = vdp_get_le32(p + 4 * i);
	/* drop the bits past the last known capability */
	for (unsigned cap = VDP_CAP_END; cap < VDP_CAPS_WORDS * 32; cap++)
		c->words[cap / 32] &= ~(1u << (cap % 32));
}

void vdp_caps_format(const struct vdp_caps *c, char *buf, size_t size)
{
	size_t len = 0;

	if (size == 0)
		return;
	buf[0] = '\0';
	for (unsigned cap = 0; cap < VDP_CAP_END; cap++) {
		if (!vdp_caps_has(c, cap))
			continue;
		int n = snprintf(buf + len, size - len, "%s%s",
				 len ? "," : "", cap_names[cap]);
		if (n < 0 || (size_t)n >= size - len) {
			/* truncated: snprintf has terminated it */
			return;
		}
		len += (size_t)n;
	}
}

const char *vdp_cap_name(unsigned cap)
{
	if (cap >= VDP_CAP_END)
		return "UNKNOWN";
	return cap_names[cap];
}
