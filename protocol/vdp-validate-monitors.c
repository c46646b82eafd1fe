/* SPDX-License-Identifier: MIT */
/* Validators of the display layout messages: MONITORS_CONFIG and
 * GRAPHICS_DEVICE_INFO. */
#include <errno.h>

#include "vdp-util.h"
#include "vdp-validate.h"

int vdp_parse_monitors_config(const uint8_t *data, size_t size,
			      struct vdp_monitors_config *out)
{
	const size_t hdr = sizeof(struct vdp_monitors_config_wire);
	const size_t mon_size = sizeof(struct vdp_mon_config_wire);
	const size_t mm_size = sizeof(struct vdp_monitor_mm_wire);
	size_t want;
	bool has_mm;

	if (size < hdr)
		return -EBADMSG;
	out->count = vdp_get_le32(data);
	out->flags = vdp_get_le32(data + 4);
	if (out->count == 0)
		return -EINVAL;
	if (out->count > VDP_MONITORS_MAX)
		return -E2BIG;

	has_mm = out->flags & VDP_MONITORS_FLAG_PHYSICAL_SIZE;
	want = hdr + out->count * (mon_size + (has_mm ? mm_size : 0));
	if (size != want)
		return -EBADMSG;

	for (uint32_t i = 0; i < out->count; i++) {
		const uint8_t *p = data + hdr + i * mon_size;
		struct vdp_monitor *m = &out->mon[i];

		m->height = vdp_get_le32(p);
		m->width = vdp_get_le32(p + 4);
		m->depth = vdp_get_le32(p + 8);
		m->x = (int32_t)vdp_get_le32(p + 12);
		m->y = (int32_t)vdp_get_le32(p + 16);
		m->enabled = m->width != 0 && m->height != 0;
		if (has_mm) {
			const uint8_t *q = data + hdr + out->count * mon_size +
					   i * mm_size;

			m->height_mm = vdp_get_le16(q);
			m->width_mm = vdp_get_le16(q + 2);
		} else {
			m->height_mm = 0;
			m->width_mm = 0;
		}
	}
	return 0;
}

int vdp_parse_graphics_device_info(const uint8_t *data, size_t size,
				   struct vdp_graphics_device_info *out)
{
	const size_t hdr = sizeof(struct vdp_graphics_device_info_wire);
	const size_t ent = sizeof(struct vdp_device_display_info_wire);
	size_t off = hdr;

	if (size < hdr)
		return -EBADMSG;
	out->count = vdp_get_le32(data);
	if (out->count > VDP_DEVICE_DISPLAYS_MAX)
		return -E2BIG;

	for (uint32_t i = 0; i < out->count; i++) {
		struct vdp_device_display *d = &out->entry[i];
		const uint8_t *p = data + off;
		uint32_t len;

		if (size - off < ent)
			return -EBADMSG;
		d->channel_id = vdp_get_le32(p);
		d->monitor_id = vdp_get_le32(p + 4);
		d->device_display_id = vdp_get_le32(p + 8);
		len = vdp_get_le32(p + 12);
		off += ent;
		if (len > VDP_DEVICE_ADDRESS_MAX)
			return -E2BIG;
		if (size - off < len)
			return -EBADMSG;
		/* the address ends with its only NUL */
		if (len == 0 || memchr(data + off, '\0', len) !=
					(const void *)(data + off + len - 1))
			return -EILSEQ;
		d->address = (const char *)(data + off);
		off += len;
	}
	if (off != size)
		return -EBADMSG;
	return 0;
}
