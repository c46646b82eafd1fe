/* SPDX-License-Identifier: MIT */
/*
 * The fixed-size messages, the dispatcher, UTF-8 checking and names.
 * Monitors, clipboard and file transfer live in vdp-validate-*.c.
 */
#include <errno.h>

#include "vdp-util.h"
#include "vdp-validate.h"

int vdp_parse_mouse_state(const uint8_t *data, size_t size,
			  struct vdp_mouse_state *out)
{
	if (size != sizeof(struct vdp_mouse_state_wire))
		return -EBADMSG;
	out->x = vdp_get_le32(data);
	out->y = vdp_get_le32(data + 4);
	out->buttons = vdp_get_le32(data + 8);
	out->display_id = data[12];
	return 0;
}

int vdp_parse_reply(const uint8_t *data, size_t size, struct vdp_reply *out)
{
	if (size != sizeof(struct vdp_reply_wire))
		return -EBADMSG;
	out->type = vdp_get_le32(data);
	out->error = vdp_get_le32(data + 4);
	if (out->error != VDP_REPLY_SUCCESS && out->error != VDP_REPLY_ERROR)
		return -EINVAL;
	return 0;
}

int vdp_parse_display_config(const uint8_t *data, size_t size,
			     struct vdp_display_config *out)
{
	if (size != sizeof(struct vdp_display_config_wire))
		return -EBADMSG;
	out->flags = vdp_get_le32(data);
	out->depth = vdp_get_le32(data + 4);
	return 0;
}

int vdp_parse_capabilities(const uint8_t *data, size_t size,
			   struct vdp_capabilities *out)
{
	const size_t hdr = sizeof(struct vdp_announce_capabilities);

	if (size < hdr + 4 || (size - hdr) % 4 != 0)
		return -EBADMSG;
	out->request = vdp_get_le32(data) != 0;
	vdp_caps_from_wire(&out->caps, data + hdr, (size - hdr) / 4);
	return 0;
}

int vdp_parse_max_clipboard(const uint8_t *data, size_t size,
			    struct vdp_max_clipboard *out)
{
	if (size != sizeof(struct vdp_max_clipboard_wire))
		return -EBADMSG;
	out->max = (int32_t)vdp_get_le32(data);
	return 0;
}

int vdp_parse_client_disconnected(const uint8_t *data, size_t size)
{
	(void)data;
	return size == 0 ? 0 : -EBADMSG;
}

int vdp_parse_volume_sync(const uint8_t *data, size_t size,
			  struct vdp_volume_sync *out)
{
	const size_t hdr = sizeof(struct vdp_volume_sync_wire);

	if (size < hdr)
		return -EBADMSG;
	out->is_playback = data[0] != 0;
	out->mute = data[1] != 0;
	out->nchannels = data[2];
	if (size != hdr + 2u * out->nchannels)
		return -EBADMSG;
	for (unsigned i = 0; i < out->nchannels; i++)
		out->volume[i] = vdp_get_le16(data + hdr + 2 * i);
	return 0;
}

/* ---- dispatcher ---------------------------------------------------------- */

int vdp_validate_message(uint32_t type, const uint8_t *data, size_t size,
			 const struct vdp_caps *negotiated)
{
	/* one union keeps the stack at the size of the largest view */
	union {
		struct vdp_mouse_state mouse;
		struct vdp_monitors_config monitors;
		struct vdp_reply reply;
		struct vdp_clipboard clipboard;
		struct vdp_display_config display;
		struct vdp_capabilities caps;
		struct vdp_clipboard_grab grab;
		struct vdp_clipboard_request request;
		struct vdp_clipboard_release release;
		struct vdp_xfer_start xfer_start;
		struct vdp_xfer_status_msg xfer_status;
		struct vdp_xfer_data xfer_data;
		struct vdp_max_clipboard max_clipboard;
		struct vdp_volume_sync volume;
		struct vdp_graphics_device_info gdi;
	} v;

	switch (type) {
	case VDP_MSG_MOUSE_STATE:
		return vdp_parse_mouse_state(data, size, &v.mouse);
	case VDP_MSG_MONITORS_CONFIG:
		return vdp_parse_monitors_config(data, size, &v.monitors);
	case VDP_MSG_REPLY:
		return vdp_parse_reply(data, size, &v.reply);
	case VDP_MSG_CLIPBOARD:
		return vdp_parse_clipboard(data, size, negotiated, &v.clipboard);
	case VDP_MSG_DISPLAY_CONFIG:
		return vdp_parse_display_config(data, size, &v.display);
	case VDP_MSG_ANNOUNCE_CAPABILITIES:
		return vdp_parse_capabilities(data, size, &v.caps);
	case VDP_MSG_CLIPBOARD_GRAB:
		return vdp_parse_clipboard_grab(data, size, negotiated, &v.grab);
	case VDP_MSG_CLIPBOARD_REQUEST:
		return vdp_parse_clipboard_request(data, size, negotiated,
						   &v.request);
	case VDP_MSG_CLIPBOARD_RELEASE:
		return vdp_parse_clipboard_release(data, size, negotiated,
						   &v.release);
	case VDP_MSG_FILE_XFER_START:
		return vdp_parse_xfer_start(data, size, &v.xfer_start);
	case VDP_MSG_FILE_XFER_STATUS:
		return vdp_parse_xfer_status(data, size, &v.xfer_status);
	case VDP_MSG_FILE_XFER_DATA:
		return vdp_parse_xfer_data(data, size, &v.xfer_data);
	case VDP_MSG_CLIENT_DISCONNECTED:
		return vdp_parse_client_disconnected(data, size);
	case VDP_MSG_MAX_CLIPBOARD:
		return vdp_parse_max_clipboard(data, size, &v.max_clipboard);
	case VDP_MSG_AUDIO_VOLUME_SYNC:
		return vdp_parse_volume_sync(data, size, &v.volume);
	case VDP_MSG_GRAPHICS_DEVICE_INFO:
		return vdp_parse_graphics_device_info(data, size, &v.gdi);
	default:
		return -EOPNOTSUPP;
	}
}

/* ---- UTF-8 ----------------------------------------------------------------- */

size_t vdp_utf8_next(const uint8_t *s, size_t left, uint32_t *cp)
{
	uint8_t c;
	size_t n;
	uint32_t v, min;

	if (left == 0)
		return 0;
	c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		v = c & 0x1f;
		min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		n = 3;
		v = c & 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		v = c & 0x07;
		min = 0x10000;
	} else {
		return 0; /* continuation byte, 0xc0/0xc1, >0xf4 */
	}
	if (left < n)
		return 0;
	for (size_t k = 1; k < n; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[k] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n;
}

int vdp_check_utf8(const uint8_t *s, size_t len)
{
	uint32_t cp;

	for (size_t i = 0; i < len;) {
		size_t n = vdp_utf8_next(s + i, len - i, &cp);

		if (n == 0)
			return -EILSEQ;
		i += n;
	}
	return 0;
}

/* ---- names ----------------------------------------------------------------- */

static const char *name_of(const char *const *names, size_t count,
			   uint32_t value)
{
	if (value >= count || !names[value])
		return "UNKNOWN";
	return names[value];
}

const char *vdp_message_type_name(uint32_t type)
{
	static const char *const names[VDP_MSG_END] = {
		[VDP_MSG_MOUSE_STATE] = "MOUSE_STATE",
		[VDP_MSG_MONITORS_CONFIG] = "MONITORS_CONFIG",
		[VDP_MSG_REPLY] = "REPLY",
		[VDP_MSG_CLIPBOARD] = "CLIPBOARD",
		[VDP_MSG_DISPLAY_CONFIG] = "DISPLAY_CONFIG",
		[VDP_MSG_ANNOUNCE_CAPABILITIES] = "ANNOUNCE_CAPABILITIES",
		[VDP_MSG_CLIPBOARD_GRAB] = "CLIPBOARD_GRAB",
		[VDP_MSG_CLIPBOARD_REQUEST] = "CLIPBOARD_REQUEST",
		[VDP_MSG_CLIPBOARD_RELEASE] = "CLIPBOARD_RELEASE",
		[VDP_MSG_FILE_XFER_START] = "FILE_XFER_START",
		[VDP_MSG_FILE_XFER_STATUS] = "FILE_XFER_STATUS",
		[VDP_MSG_FILE_XFER_DATA] = "FILE_XFER_DATA",
		[VDP_MSG_CLIENT_DISCONNECTED] = "CLIENT_DISCONNECTED",
		[VDP_MSG_MAX_CLIPBOARD] = "MAX_CLIPBOARD",
		[VDP_MSG_AUDIO_VOLUME_SYNC] = "AUDIO_VOLUME_SYNC",
		[VDP_MSG_GRAPHICS_DEVICE_INFO] = "GRAPHICS_DEVICE_INFO",
	};

	return name_of(names, ARRAY_LENGTH(names), type);
}

const char *vdp_clipboard_type_name(uint32_t type)
{
	static const char *const names[VDP_CLIPBOARD_TYPE_END] = {
		[VDP_CLIPBOARD_NONE] = "NONE",
		[VDP_CLIPBOARD_UTF8_TEXT] = "UTF8_TEXT",
		[VDP_CLIPBOARD_IMAGE_PNG] = "IMAGE_PNG",
		[VDP_CLIPBOARD_IMAGE_BMP] = "IMAGE_BMP",
		[VDP_CLIPBOARD_IMAGE_TIFF] = "IMAGE_TIFF",
		[VDP_CLIPBOARD_IMAGE_JPG] = "IMAGE_JPG",
		[VDP_CLIPBOARD_FILE_LIST] = "FILE_LIST",
	};

	return name_of(names, ARRAY_LENGTH(names), type);
}

const char *vdp_selection_name(uint32_t selection)
{
	static const char *const names[VDP_SELECTION_END] = {
		[VDP_SELECTION_CLIPBOARD] = "CLIPBOARD",
		[VDP_SELECTION_PRIMARY] = "PRIMARY",
		[VDP_SELECTION_SECONDARY] = "SECONDARY",
	};

	return name_of(names, ARRAY_LENGTH(names), selection);
}

const char *vdp_xfer_status_name(uint32_t status)
{
	static const char *const names[VDP_XFER_STATUS_END] = {
		[VDP_XFER_STATUS_CAN_SEND_DATA] = "CAN_SEND_DATA",
		[VDP_XFER_STATUS_CANCELLED] = "CANCELLED",
		[VDP_XFER_STATUS_ERROR] = "ERROR",
		[VDP_XFER_STATUS_SUCCESS] = "SUCCESS",
		[VDP_XFER_STATUS_NOT_ENOUGH_SPACE] = "NOT_ENOUGH_SPACE",
		[VDP_XFER_STATUS_SESSION_LOCKED] = "SESSION_LOCKED",
		[VDP_XFER_STATUS_VDAGENT_NOT_CONNECTED] = "VDAGENT_NOT_CONNECTED",
		[VDP_XFER_STATUS_DISABLED] = "DISABLED",
	};

	return name_of(names, ARRAY_LENGTH(names), status);
}

const char *vdp_reply_error_name(uint32_t error)
{
	static const char *const names[] = {
		[VDP_REPLY_SUCCESS] = "SUCCESS",
		[VDP_REPLY_ERROR] = "ERROR",
	};

	return name_of(names, ARRAY_LENGTH(names), error);
}
