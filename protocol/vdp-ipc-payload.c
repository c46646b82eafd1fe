/* SPDX-License-Identifier: MIT */
/* IPC payloads: builders (host values -> LE bytes) and parsers (received
 * bytes -> checked host-endian views).  See vdp-ipc.h for the layouts. */
#include <errno.h>

#include "vdp-ipc.h"
#include "vdp-util.h"
#include "vdp-validate.h"

/* Well-formed UTF-8 (vdp_check_utf8), no NUL; with no_controls also no C0
 * controls and no DEL. */
static bool ipc_text_ok(const uint8_t *s, size_t len, bool no_controls)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == 0)
			return false;
		if (no_controls && (s[i] < 0x20 || s[i] == 0x7f))
			return false;
	}
	return vdp_check_utf8(s, len) == 0;
}

static bool ipc_selection_ok(uint8_t selection)
{
	return selection < VDP_SELECTION_END;
}

static bool ipc_clipboard_type_ok(uint32_t type)
{
	return type > VDP_CLIPBOARD_NONE && type < VDP_CLIPBOARD_TYPE_END;
}

/* The 4-byte selection prefix: a known selection, reserved bytes zero. */
static int ipc_parse_selection(const uint8_t *p, uint8_t *selection)
{
	if (!ipc_selection_ok(p[0]) || p[1] || p[2] || p[3])
		return -EINVAL;
	*selection = p[0];
	return 0;
}

static void ipc_put_selection(uint8_t *out, uint8_t selection)
{
	out[0] = selection;
	out[1] = out[2] = out[3] = 0;
}

static bool ipc_dimension_ok(uint32_t v)
{
	return v >= 1 && v <= VDP_IPC_MAX_DIMENSION;
}

static bool ipc_offset_ok(int32_t v)
{
	return v >= -VDP_IPC_MAX_DIMENSION && v <= VDP_IPC_MAX_DIMENSION;
}

static bool ipc_xfer_detail_ok(uint32_t result, size_t detail_len)
{
	if (detail_len == 0)
		return true;
	if (result == VDP_XFER_STATUS_ERROR)
		return detail_len == sizeof(struct vdp_xfer_error_wire);
	if (result == VDP_XFER_STATUS_NOT_ENOUGH_SPACE)
		return detail_len == sizeof(struct vdp_xfer_no_space_wire);
	return false;
}

/* ---- parsers ----------------------------------------------------------- */

int vdp_ipc_parse_hello(const void *payload, size_t size,
			struct vdp_ipc_hello *out)
{
	const uint8_t *p = payload;
	size_t text_len;

	if (size < VDP_IPC_HELLO_HEAD_SIZE)
		return -EINVAL;
	text_len = size - VDP_IPC_HELLO_HEAD_SIZE;
	if (text_len > VDP_IPC_HELLO_TEXT_MAX)
		return -EINVAL;
	if (!ipc_text_ok(p + VDP_IPC_HELLO_HEAD_SIZE, text_len, true))
		return -EINVAL;
	out->version = vdp_get_le32(p);
	out->flags = vdp_get_le32(p + 4);
	out->text = (const char *)p + VDP_IPC_HELLO_HEAD_SIZE;
	out->text_len = (uint32_t)text_len;
	return 0;
}

static bool ipc_display_ok(const struct vdp_ipc_display *d)
{
	return ipc_dimension_ok(d->width) && ipc_dimension_ok(d->height) &&
	       ipc_offset_ok(d->x) && ipc_offset_ok(d->y);
}

static bool ipc_layout_ids_unique(const struct vdp_ipc_display *d,
				  uint32_t count)
{
	for (uint32_t i = 0; i < count; i++) {
		for (uint32_t j = i + 1; j < count; j++) {
			if (d[i].display_id == d[j].display_id)
				return false;
		}
	}
	return true;
}

int vdp_ipc_parse_screen_layout(const void *payload, size_t size,
				struct vdp_ipc_screen_layout *out)
{
	const uint8_t *p = payload;
	uint32_t count;

	if (size < VDP_IPC_SCREEN_LAYOUT_HEAD_SIZE)
		return -EINVAL;
	count = vdp_get_le32(p + 8);
	if (count > VDP_IPC_MAX_DISPLAYS ||
	    size != VDP_IPC_SCREEN_LAYOUT_HEAD_SIZE +
			    (size_t)count * VDP_IPC_DISPLAY_SIZE)
		return -EINVAL;
	out->width = vdp_get_le32(p);
	out->height = vdp_get_le32(p + 4);
	out->count = count;
	if (!ipc_dimension_ok(out->width) || !ipc_dimension_ok(out->height))
		return -EINVAL;
	p += VDP_IPC_SCREEN_LAYOUT_HEAD_SIZE;
	for (uint32_t i = 0; i < count; i++, p += VDP_IPC_DISPLAY_SIZE) {
		struct vdp_ipc_display *d = &out->displays[i];

		d->display_id = vdp_get_le32(p);
		d->x = (int32_t)vdp_get_le32(p + 4);
		d->y = (int32_t)vdp_get_le32(p + 8);
		d->width = vdp_get_le32(p + 12);
		d->height = vdp_get_le32(p + 16);
		if (!ipc_display_ok(d))
			return -EINVAL;
	}
	if (!ipc_layout_ids_unique(out->displays, count))
		return -EINVAL;
	return 0;
}

int vdp_ipc_parse_client_caps(const void *payload, size_t size,
			      struct vdp_ipc_client_caps *out)
{
	const uint8_t *p = payload;
	uint32_t nwords;

	if (size < VDP_IPC_CLIENT_CAPS_HEAD_SIZE)
		return -EINVAL;
	nwords = vdp_get_le32(p + 4);
	if (nwords < 1 || nwords > VDP_IPC_MAX_CAP_WORDS ||
	    size != VDP_IPC_CLIENT_CAPS_HEAD_SIZE + (size_t)nwords * 4)
		return -EINVAL;
	out->max_clipboard = (int32_t)vdp_get_le32(p);
	memset(&out->caps, 0, sizeof(out->caps));
	p += VDP_IPC_CLIENT_CAPS_HEAD_SIZE;
	for (unsigned cap = 0; cap < VDP_CAP_END && cap / 32 < nwords; cap++) {
		if (vdp_get_le32(p + (cap / 32) * 4) & (1u << (cap % 32)))
			out->caps.words[cap / 32] |= 1u << (cap % 32);
	}
	return 0;
}

int vdp_ipc_parse_clipboard_grab(const void *payload, size_t size,
				 struct vdp_ipc_clipboard_grab *out)
{
	const uint8_t *p = payload;
	uint32_t count;

	if (size < VDP_IPC_CLIPBOARD_GRAB_HEAD_SIZE)
		return -EINVAL;
	if (ipc_parse_selection(p, &out->selection) < 0)
		return -EINVAL;
	count = vdp_get_le32(p + 4);
	if (count > VDP_IPC_MAX_CLIPBOARD_TYPES ||
	    size != VDP_IPC_CLIPBOARD_GRAB_HEAD_SIZE + (size_t)count * 4)
		return -EINVAL;
	out->count = count;
	for (uint32_t i = 0; i < count; i++) {
		uint32_t t = vdp_get_le32(p + 8 + 4 * i);

		if (!ipc_clipboard_type_ok(t))
			return -EINVAL;
		for (uint32_t j = 0; j < i; j++) {
			if (out->types[j] == t)
				return -EINVAL;
		}
		out->types[i] = t;
	}
	return 0;
}

int vdp_ipc_parse_clipboard_request(const void *payload, size_t size,
				    struct vdp_ipc_clipboard_request *out)
{
	const uint8_t *p = payload;

	if (size != VDP_IPC_CLIPBOARD_REQUEST_SIZE)
		return -EINVAL;
	if (ipc_parse_selection(p, &out->selection) < 0)
		return -EINVAL;
	out->type = vdp_get_le32(p + 4);
	if (!ipc_clipboard_type_ok(out->type))
		return -EINVAL;
	return 0;
}

int vdp_ipc_parse_clipboard_data(const void *payload, size_t size,
				 struct vdp_ipc_clipboard_data *out)
{
	const uint8_t *p = payload;
	size_t data_len;

	if (size < VDP_IPC_CLIPBOARD_DATA_HEAD_SIZE)
		return -EINVAL;
	data_len = size - VDP_IPC_CLIPBOARD_DATA_HEAD_SIZE;
	if (data_len > VDP_IPC_CLIPBOARD_DATA_MAX)
		return -EINVAL;
	if (ipc_parse_selection(p, &out->selection) < 0)
		return -EINVAL;
	out->type = vdp_get_le32(p + 4);
	if (out->type == VDP_CLIPBOARD_NONE) {
		if (data_len != 0)
			return -EINVAL;
	} else if (!ipc_clipboard_type_ok(out->type)) {
		return -EINVAL;
	}
	out->data = p + VDP_IPC_CLIPBOARD_DATA_HEAD_SIZE;
	out->size = (uint32_t)data_len;
	return 0;
}

int vdp_ipc_parse_clipboard_release(const void *payload, size_t size,
				    struct vdp_ipc_clipboard_release *out)
{
	if (size != VDP_IPC_CLIPBOARD_RELEASE_SIZE)
		return -EINVAL;
	return ipc_parse_selection(payload, &out->selection);
}

int vdp_ipc_parse_xfer_start(const void *payload, size_t size,
			     struct vdp_ipc_xfer_start *out)
{
	const uint8_t *p = payload;
	size_t text_len;

	if (size <= VDP_IPC_XFER_START_HEAD_SIZE)
		return -EINVAL;
	text_len = size - VDP_IPC_XFER_START_HEAD_SIZE;
	if (text_len > VDP_IPC_XFER_START_TEXT_MAX)
		return -EINVAL;
	if (!ipc_text_ok(p + VDP_IPC_XFER_START_HEAD_SIZE, text_len, false))
		return -EINVAL;
	out->id = vdp_get_le32(p);
	out->text = (const char *)p + VDP_IPC_XFER_START_HEAD_SIZE;
	out->text_len = (uint32_t)text_len;
	return 0;
}

int vdp_ipc_parse_xfer_data(const void *payload, size_t size,
			    struct vdp_ipc_xfer_data *out)
{
	const uint8_t *p = payload;

	if (size < VDP_IPC_XFER_DATA_HEAD_SIZE ||
	    size - VDP_IPC_XFER_DATA_HEAD_SIZE > VDP_IPC_XFER_DATA_MAX)
		return -EINVAL;
	out->id = vdp_get_le32(p);
	out->data = p + VDP_IPC_XFER_DATA_HEAD_SIZE;
	out->size = (uint32_t)(size - VDP_IPC_XFER_DATA_HEAD_SIZE);
	return 0;
}

int vdp_ipc_parse_xfer_status(const void *payload, size_t size,
			      struct vdp_ipc_xfer_status *out)
{
	const uint8_t *p = payload;
	size_t detail_len;

	if (size < VDP_IPC_XFER_STATUS_HEAD_SIZE)
		return -EINVAL;
	detail_len = size - VDP_IPC_XFER_STATUS_HEAD_SIZE;
	out->id = vdp_get_le32(p);
	out->result = vdp_get_le32(p + 4);
	if (out->result >= VDP_XFER_STATUS_END ||
	    detail_len > VDP_IPC_XFER_DETAIL_MAX ||
	    !ipc_xfer_detail_ok(out->result, detail_len))
		return -EINVAL;
	out->detail = p + VDP_IPC_XFER_STATUS_HEAD_SIZE;
	out->detail_len = (uint32_t)detail_len;
	return 0;
}

static bool ipc_monitors_result_ok(uint32_t serial, uint32_t result)
{
	return serial != 0 &&
	       (result == VDP_REPLY_SUCCESS || result == VDP_REPLY_ERROR);
}

int vdp_ipc_parse_monitors_result(const void *payload, size_t size,
				  struct vdp_ipc_monitors_result *out)
{
	const uint8_t *p = payload;

	if (size != VDP_IPC_MONITORS_RESULT_SIZE)
		return -EINVAL;
	out->serial = vdp_get_le32(p);
	out->result = vdp_get_le32(p + 4);
	return ipc_monitors_result_ok(out->serial, out->result) ? 0 : -EINVAL;
}

int vdp_ipc_parse_empty(const void *payload, size_t size)
{
	(void)payload;
	return size == 0 ? 0 : -EINVAL;
}

/* ---- builders ---------------------------------------------------------- */

int vdp_ipc_build_hello_head(uint8_t *out, size_t out_size, uint32_t version,
			     uint32_t flags)
{
	if (out_size < VDP_IPC_HELLO_HEAD_SIZE)
		return -ENOSPC;
	vdp_put_le32(out, version);
	vdp_put_le32(out + 4, flags);
	return VDP_IPC_HELLO_HEAD_SIZE;
}

int vdp_ipc_build_screen_layout(uint8_t *out, size_t out_size,
				const struct vdp_ipc_screen_layout *l)
{
	size_t need;
	uint8_t *p;

	if (l->count > VDP_IPC_MAX_DISPLAYS || !ipc_dimension_ok(l->width) ||
	    !ipc_dimension_ok(l->height) ||
	    !ipc_layout_ids_unique(l->displays, l->count))
		return -EINVAL;
	for (uint32_t i = 0; i < l->count; i++) {
		if (!ipc_display_ok(&l->displays[i]))
			return -EINVAL;
	}
	need = VDP_IPC_SCREEN_LAYOUT_HEAD_SIZE +
	       (size_t)l->count * VDP_IPC_DISPLAY_SIZE;
	if (out_size < need)
		return -ENOSPC;
	vdp_put_le32(out, l->width);
	vdp_put_le32(out + 4, l->height);
	vdp_put_le32(out + 8, l->count);
	p = out + VDP_IPC_SCREEN_LAYOUT_HEAD_SIZE;
	for (uint32_t i = 0; i < l->count; i++, p += VDP_IPC_DISPLAY_SIZE) {
		const struct vdp_ipc_display *d = &l->displays[i];

		vdp_put_le32(p, d->display_id);
		vdp_put_le32(p + 4, (uint32_t)d->x);
		vdp_put_le32(p + 8, (uint32_t)d->y);
		vdp_put_le32(p + 12, d->width);
		vdp_put_le32(p + 16, d->height);
	}
	return (int)need;
}

int vdp_ipc_build_client_caps(uint8_t *out, size_t out_size,
			      const struct vdp_caps *caps,
			      int32_t max_clipboard)
{
	const size_t need = VDP_IPC_CLIENT_CAPS_HEAD_SIZE + VDP_CAPS_WORDS * 4;

	_Static_assert(VDP_CAPS_WORDS <= VDP_IPC_MAX_CAP_WORDS, "cap words");
	if (out_size < need)
		return -ENOSPC;
	vdp_put_le32(out, (uint32_t)max_clipboard);
	vdp_put_le32(out + 4, VDP_CAPS_WORDS);
	for (size_t i = 0; i < VDP_CAPS_WORDS; i++)
		vdp_put_le32(out + VDP_IPC_CLIENT_CAPS_HEAD_SIZE + 4 * i,
			     caps->words[i]);
	return (int)need;
}

int vdp_ipc_build_clipboard_grab(uint8_t *out, size_t out_size,
				 uint8_t selection, const uint32_t *types,
				 uint32_t count)
{
	size_t need;

	if (!ipc_selection_ok(selection) ||
	    count > VDP_IPC_MAX_CLIPBOARD_TYPES || (count > 0 && !types))
		return -EINVAL;
	for (uint32_t i = 0; i < count; i++) {
		if (!ipc_clipboard_type_ok(types[i]))
			return -EINVAL;
		for (uint32_t j = 0; j < i; j++) {
			if (types[j] == types[i])
				return -EINVAL;
		}
	}
	need = VDP_IPC_CLIPBOARD_GRAB_HEAD_SIZE + (size_t)count * 4;
	if (out_size < need)
		return -ENOSPC;
	ipc_put_selection(out, selection);
	vdp_put_le32(out + 4, count);
	for (uint32_t i = 0; i < count; i++)
		vdp_put_le32(out + 8 + 4 * i, types[i]);
	return (int)need;
}

int vdp_ipc_build_clipboard_request(uint8_t *out, size_t out_size,
				    uint8_t selection, uint32_t type)
{
	if (!ipc_selection_ok(selection) || !ipc_clipboard_type_ok(type))
		return -EINVAL;
	if (out_size < VDP_IPC_CLIPBOARD_REQUEST_SIZE)
		return -ENOSPC;
	ipc_put_selection(out, selection);
	vdp_put_le32(out + 4, type);
	return VDP_IPC_CLIPBOARD_REQUEST_SIZE;
}

int vdp_ipc_build_clipboard_data_head(uint8_t *out, size_t out_size,
				      uint8_t selection, uint32_t type)
{
	if (!ipc_selection_ok(selection) ||
	    (type != VDP_CLIPBOARD_NONE && !ipc_clipboard_type_ok(type)))
		return -EINVAL;
	if (out_size < VDP_IPC_CLIPBOARD_DATA_HEAD_SIZE)
		return -ENOSPC;
	ipc_put_selection(out, selection);
	vdp_put_le32(out + 4, type);
	return VDP_IPC_CLIPBOARD_DATA_HEAD_SIZE;
}

int vdp_ipc_build_clipboard_release(uint8_t *out, size_t out_size,
				    uint8_t selection)
{
	if (!ipc_selection_ok(selection))
		return -EINVAL;
	if (out_size < VDP_IPC_CLIPBOARD_RELEASE_SIZE)
		return -ENOSPC;
	ipc_put_selection(out, selection);
	return VDP_IPC_CLIPBOARD_RELEASE_SIZE;
}

int vdp_ipc_build_xfer_start_head(uint8_t *out, size_t out_size, uint32_t id)
{
	if (out_size < VDP_IPC_XFER_START_HEAD_SIZE)
		return -ENOSPC;
	vdp_put_le32(out, id);
	return VDP_IPC_XFER_START_HEAD_SIZE;
}

int vdp_ipc_build_xfer_data_head(uint8_t *out, size_t out_size, uint32_t id)
{
	if (out_size < VDP_IPC_XFER_DATA_HEAD_SIZE)
		return -ENOSPC;
	vdp_put_le32(out, id);
	return VDP_IPC_XFER_DATA_HEAD_SIZE;
}

int vdp_ipc_build_xfer_status(uint8_t *out, size_t out_size, uint32_t id,
			      uint32_t result, const void *detail,
			      size_t detail_len)
{
	size_t need;

	if (result >= VDP_XFER_STATUS_END ||
	    detail_len > VDP_IPC_XFER_DETAIL_MAX ||
	    !ipc_xfer_detail_ok(result, detail_len) ||
	    (detail_len > 0 && !detail))
		return -EINVAL;
	need = VDP_IPC_XFER_STATUS_HEAD_SIZE + detail_len;
	if (out_size < need)
		return -ENOSPC;
	vdp_put_le32(out, id);
	vdp_put_le32(out + 4, result);
	if (detail_len > 0)
		memcpy(out + VDP_IPC_XFER_STATUS_HEAD_SIZE, detail, detail_len);
	return (int)need;
}

int vdp_ipc_build_monitors_result(uint8_t *out, size_t out_size,
				  uint32_t serial, uint32_t result)
{
	if (!ipc_monitors_result_ok(serial, result))
		return -EINVAL;
	if (out_size < VDP_IPC_MONITORS_RESULT_SIZE)
		return -ENOSPC;
	vdp_put_le32(out, serial);
	vdp_put_le32(out + 4, result);
	return VDP_IPC_MONITORS_RESULT_SIZE;
}
