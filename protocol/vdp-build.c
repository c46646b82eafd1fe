/* SPDX-License-Identifier: MIT */
#include <errno.h>

#include "vdp-build.h"
#include "vdp-util.h"

/* buf NULL: report the length; too small: -ENOSPC.  Arguments are checked
 * before this, so a length query fails the same way a build would. */
#define CHECK_ROOM(buf, size, need)                                           \
	do {                                                                  \
		if (!(buf))                                                   \
			return (int)(need);                                   \
		if ((size) < (need))                                          \
			return -ENOSPC;                                       \
	} while (0)

int vdp_build_mouse_state(uint8_t *buf, size_t size,
			  const struct vdp_mouse_state *m)
{
	CHECK_ROOM(buf, size, sizeof(struct vdp_mouse_state_wire));
	vdp_put_le32(buf, m->x);
	vdp_put_le32(buf + 4, m->y);
	vdp_put_le32(buf + 8, m->buttons);
	buf[12] = m->display_id;
	return sizeof(struct vdp_mouse_state_wire);
}

int vdp_build_monitors_config(uint8_t *buf, size_t size,
			      const struct vdp_monitors_config *m)
{
	const size_t hdr = sizeof(struct vdp_monitors_config_wire);
	const size_t mon_size = sizeof(struct vdp_mon_config_wire);
	const size_t mm_size = sizeof(struct vdp_monitor_mm_wire);
	bool has_mm = m->flags & VDP_MONITORS_FLAG_PHYSICAL_SIZE;
	size_t need;

	if (m->count == 0 || m->count > VDP_MONITORS_MAX)
		return -EINVAL;
	need = hdr + m->count * (mon_size + (has_mm ? mm_size : 0));
	CHECK_ROOM(buf, size, need);

	vdp_put_le32(buf, m->count);
	vdp_put_le32(buf + 4, m->flags);
	for (uint32_t i = 0; i < m->count; i++) {
		uint8_t *p = buf + hdr + i * mon_size;

		vdp_put_le32(p, m->mon[i].height);
		vdp_put_le32(p + 4, m->mon[i].width);
		vdp_put_le32(p + 8, m->mon[i].depth);
		vdp_put_le32(p + 12, (uint32_t)m->mon[i].x);
		vdp_put_le32(p + 16, (uint32_t)m->mon[i].y);
		if (has_mm) {
			uint8_t *q = buf + hdr + m->count * mon_size +
				     i * mm_size;

			vdp_put_le16(q, m->mon[i].height_mm);
			vdp_put_le16(q + 2, m->mon[i].width_mm);
		}
	}
	return (int)need;
}

int vdp_build_reply(uint8_t *buf, size_t size, uint32_t type,
		    uint32_t error)
{
	CHECK_ROOM(buf, size, sizeof(struct vdp_reply_wire));
	vdp_put_le32(buf, type);
	vdp_put_le32(buf + 4, error);
	return sizeof(struct vdp_reply_wire);
}

int vdp_build_display_config(uint8_t *buf, size_t size,
			     const struct vdp_display_config *d)
{
	CHECK_ROOM(buf, size, sizeof(struct vdp_display_config_wire));
	vdp_put_le32(buf, d->flags);
	vdp_put_le32(buf + 4, d->depth);
	return sizeof(struct vdp_display_config_wire);
}

int vdp_build_capabilities(uint8_t *buf, size_t size, bool request,
			   const struct vdp_caps *caps)
{
	const size_t need = 4 + 4 * VDP_CAPS_WORDS;

	CHECK_ROOM(buf, size, need);
	vdp_put_le32(buf, request ? 1 : 0);
	for (size_t i = 0; i < VDP_CAPS_WORDS; i++)
		vdp_put_le32(buf + 4 + 4 * i, caps->words[i]);
	return (int)need;
}

/* ---- clipboard ------------------------------------------------------------ */

/* Length of the selection prefix (0 or 4), or -EINVAL if selection cannot
 * be expressed with what was negotiated. */
static int prefix_len(const struct vdp_caps *negotiated, uint8_t selection)
{
	if (selection >= VDP_SELECTION_END)
		return -EINVAL;
	if (vdp_caps_has(negotiated, VDP_CAP_CLIPBOARD_SELECTION))
		return (int)sizeof(struct vdp_selection_prefix_wire);
	return selection == VDP_SELECTION_CLIPBOARD ? 0 : -EINVAL;
}

static void put_prefix(uint8_t *buf, int len, uint8_t selection)
{
	if (len == 0)
		return;
	buf[0] = selection;
	buf[1] = buf[2] = buf[3] = 0;
}

int vdp_build_clipboard_grab(uint8_t *buf, size_t size,
			     const struct vdp_caps *negotiated,
			     uint8_t selection, uint32_t serial,
			     const uint32_t *types, uint32_t count)
{
	int plen = prefix_len(negotiated, selection);
	bool has_serial =
		vdp_caps_has(negotiated, VDP_CAP_CLIPBOARD_GRAB_SERIAL);
	size_t off, need;

	if (plen < 0)
		return plen;
	if (count > VDP_CLIPBOARD_TYPES_MAX || (count && !types))
		return -EINVAL;
	need = (size_t)plen + (has_serial ? 4 : 0) + 4 * (size_t)count;
	CHECK_ROOM(buf, size, need);

	put_prefix(buf, plen, selection);
	off = (size_t)plen;
	if (has_serial) {
		vdp_put_le32(buf + off, serial);
		off += 4;
	}
	for (uint32_t i = 0; i < count; i++)
		vdp_put_le32(buf + off + 4 * i, types[i]);
	return (int)need;
}

int vdp_build_clipboard_request(uint8_t *buf, size_t size,
				const struct vdp_caps *negotiated,
				uint8_t selection, uint32_t type)
{
	int plen = prefix_len(negotiated, selection);

	if (plen < 0)
		return plen;
	CHECK_ROOM(buf, size, (size_t)plen + 4);
	put_prefix(buf, plen, selection);
	vdp_put_le32(buf + plen, type);
	return plen + 4;
}

int vdp_build_clipboard_release(uint8_t *buf, size_t size,
				const struct vdp_caps *negotiated,
				uint8_t selection)
{
	int plen = prefix_len(negotiated, selection);

	if (plen < 0)
		return plen;
	CHECK_ROOM(buf, size, (size_t)plen);
	put_prefix(buf, plen, selection);
	return plen;
}

int vdp_build_clipboard_header(uint8_t *buf, size_t size,
			       const struct vdp_caps *negotiated,
			       uint8_t selection, uint32_t type)
{
	/* same layout as a request: [prefix] type */
	return vdp_build_clipboard_request(buf, size, negotiated, selection,
					   type);
}

int vdp_build_max_clipboard(uint8_t *buf, size_t size, int32_t max)
{
	CHECK_ROOM(buf, size, sizeof(struct vdp_max_clipboard_wire));
	vdp_put_le32(buf, (uint32_t)max);
	return sizeof(struct vdp_max_clipboard_wire);
}

/* ---- file transfer --------------------------------------------------------- */

int vdp_build_xfer_start(uint8_t *buf, size_t size, uint32_t id,
			 const char *name, uint64_t file_size)
{
	const size_t hdr = sizeof(struct vdp_xfer_start_wire);
	int len = vdp_xfer_keyfile_format(NULL, 0, name, file_size);
	size_t need;

	if (len < 0)
		return len;
	if ((size_t)len + 1 > VDP_XFER_START_TEXT_MAX)
		return -E2BIG;
	need = hdr + (size_t)len + 1;
	CHECK_ROOM(buf, size, need);
	vdp_put_le32(buf, id);
	len = vdp_xfer_keyfile_format((char *)buf + hdr, size - hdr, name,
				      file_size);
	if (len < 0)
		return len;
	return (int)need;
}

int vdp_build_xfer_start_raw(uint8_t *buf, size_t size, uint32_t id,
			     const char *text, size_t len)
{
	const size_t hdr = sizeof(struct vdp_xfer_start_wire);

	if ((len && !text) || len > INT32_MAX - hdr)
		return -EINVAL;
	CHECK_ROOM(buf, size, hdr + len);
	vdp_put_le32(buf, id);
	if (len)
		memcpy(buf + hdr, text, len);
	return (int)(hdr + len);
}

void vdp_xfer_status_for_peer(struct vdp_xfer_status_msg *s, bool detailed)
{
	if (!detailed) {
		if (s->result > VDP_XFER_STATUS_SUCCESS)
			s->result = VDP_XFER_STATUS_ERROR;
		s->detail = VDP_XFER_DETAIL_NONE;
	}
	if ((s->detail == VDP_XFER_DETAIL_ERROR &&
	     s->result != VDP_XFER_STATUS_ERROR) ||
	    (s->detail == VDP_XFER_DETAIL_NO_SPACE &&
	     s->result != VDP_XFER_STATUS_NOT_ENOUGH_SPACE))
		s->detail = VDP_XFER_DETAIL_NONE;
}

int vdp_build_xfer_status(uint8_t *buf, size_t size,
			  const struct vdp_xfer_status_msg *s)
{
	const size_t hdr = sizeof(struct vdp_xfer_status_wire);
	size_t need = hdr;

	switch (s->detail) {
	case VDP_XFER_DETAIL_NONE:
		break;
	case VDP_XFER_DETAIL_ERROR:
		if (s->result != VDP_XFER_STATUS_ERROR)
			return -EINVAL;
		need += sizeof(struct vdp_xfer_error_wire);
		break;
	case VDP_XFER_DETAIL_NO_SPACE:
		if (s->result != VDP_XFER_STATUS_NOT_ENOUGH_SPACE)
			return -EINVAL;
		need += sizeof(struct vdp_xfer_no_space_wire);
		break;
	default:
		return -EINVAL;
	}
	CHECK_ROOM(buf, size, need);

	vdp_put_le32(buf, s->id);
	vdp_put_le32(buf + 4, s->result);
	if (s->detail == VDP_XFER_DETAIL_ERROR) {
		buf[hdr] = s->error_type;
		vdp_put_le32(buf + hdr + 1, s->error_code);
	} else if (s->detail == VDP_XFER_DETAIL_NO_SPACE) {
		vdp_put_le64(buf + hdr, s->disk_free_space);
	}
	return (int)need;
}

int vdp_build_xfer_data_header(uint8_t *buf, size_t size, uint32_t id,
			       uint64_t data_size)
{
	CHECK_ROOM(buf, size, sizeof(struct vdp_xfer_data_wire));
	vdp_put_le32(buf, id);
	vdp_put_le64(buf + 4, data_size);
	return sizeof(struct vdp_xfer_data_wire);
}

/* ---- the rest ---------------------------------------------------------------- */

int vdp_build_client_disconnected(uint8_t *buf, size_t size)
{
	(void)buf;
	(void)size;
	return 0;
}

int vdp_build_volume_sync(uint8_t *buf, size_t size,
			  const struct vdp_volume_sync *v)
{
	const size_t hdr = sizeof(struct vdp_volume_sync_wire);
	size_t need = hdr + 2u * v->nchannels;

	CHECK_ROOM(buf, size, need);
	buf[0] = v->is_playback ? 1 : 0;
	buf[1] = v->mute ? 1 : 0;
	buf[2] = v->nchannels;
	for (unsigned i = 0; i < v->nchannels; i++)
		vdp_put_le16(buf + hdr + 2 * i, v->volume[i]);
	return (int)need;
}

int vdp_build_graphics_device_info(uint8_t *buf, size_t size,
				   const struct vdp_graphics_device_info *g)
{
	const size_t hdr = sizeof(struct vdp_graphics_device_info_wire);
	const size_t ent = sizeof(struct vdp_device_display_info_wire);
	size_t need = hdr, off = hdr;

	if (g->count > VDP_DEVICE_DISPLAYS_MAX)
		return -EINVAL;
	for (uint32_t i = 0; i < g->count; i++) {
		const char *a = g->entry[i].address;

		if (!a || strnlen(a, VDP_DEVICE_ADDRESS_MAX) >=
				  VDP_DEVICE_ADDRESS_MAX)
			return -EINVAL;
		need += ent + strlen(a) + 1;
	}
	CHECK_ROOM(buf, size, need);

	vdp_put_le32(buf, g->count);
	for (uint32_t i = 0; i < g->count; i++) {
		const struct vdp_device_display *d = &g->entry[i];
		uint32_t len = (uint32_t)strlen(d->address) + 1;

		vdp_put_le32(buf + off, d->channel_id);
		vdp_put_le32(buf + off + 4, d->monitor_id);
		vdp_put_le32(buf + off + 8, d->device_display_id);
		vdp_put_le32(buf + off + 12, len);
		memcpy(buf + off + ent, d->address, len);
		off += ent + len;
	}
	return (int)need;
}
