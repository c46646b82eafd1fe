/* SPDX-License-Identifier: MIT */
/* Validators of CLIPBOARD, CLIPBOARD_GRAB, _REQUEST and _RELEASE, whose
 * layout depends on the negotiated capabilities. */
#include <errno.h>

#include "vdp-util.h"
#include "vdp-validate.h"

/* Consume the selection prefix if negotiated; returns its length or a
 * negative errno. */
static int parse_prefix(const uint8_t *data, size_t size,
			const struct vdp_caps *negotiated, uint8_t *selection)
{
	if (!vdp_caps_has(negotiated, VDP_CAP_CLIPBOARD_SELECTION)) {
		*selection = VDP_SELECTION_CLIPBOARD;
		return 0;
	}
	if (size < sizeof(struct vdp_selection_prefix_wire))
		return -EBADMSG;
	if (data[0] >= VDP_SELECTION_END)
		return -EINVAL;
	*selection = data[0];
	return (int)sizeof(struct vdp_selection_prefix_wire);
}

int vdp_parse_clipboard(const uint8_t *data, size_t size,
			const struct vdp_caps *negotiated,
			struct vdp_clipboard *out)
{
	int off = parse_prefix(data, size, negotiated, &out->selection);

	if (off < 0)
		return off;
	if (size - (size_t)off < 4)
		return -EBADMSG;
	out->type = vdp_get_le32(data + off);
	out->data = data + off + 4;
	out->size = size - (size_t)off - 4;
	return 0;
}

int vdp_parse_clipboard_grab(const uint8_t *data, size_t size,
			     const struct vdp_caps *negotiated,
			     struct vdp_clipboard_grab *out)
{
	int r = parse_prefix(data, size, negotiated, &out->selection);
	size_t off, n;

	if (r < 0)
		return r;
	off = (size_t)r;

	out->has_serial =
		vdp_caps_has(negotiated, VDP_CAP_CLIPBOARD_GRAB_SERIAL);
	out->serial = 0;
	if (out->has_serial) {
		if (size - off < 4)
			return -EBADMSG;
		out->serial = vdp_get_le32(data + off);
		off += 4;
	}

	if ((size - off) % 4 != 0)
		return -EBADMSG;
	n = (size - off) / 4;
	if (n > VDP_CLIPBOARD_TYPES_MAX)
		return -E2BIG;
	out->count = (uint32_t)n;
	for (size_t i = 0; i < n; i++)
		out->types[i] = vdp_get_le32(data + off + 4 * i);
	return 0;
}

int vdp_parse_clipboard_request(const uint8_t *data, size_t size,
				const struct vdp_caps *negotiated,
				struct vdp_clipboard_request *out)
{
	int off = parse_prefix(data, size, negotiated, &out->selection);

	if (off < 0)
		return off;
	if (size - (size_t)off != 4)
		return -EBADMSG;
	out->type = vdp_get_le32(data + off);
	return 0;
}

int vdp_parse_clipboard_release(const uint8_t *data, size_t size,
				const struct vdp_caps *negotiated,
				struct vdp_clipboard_release *out)
{
	int off = parse_prefix(data, size, negotiated, &out->selection);

	if (off < 0)
		return off;
	if (size != (size_t)off)
		return -EBADMSG;
	return 0;
}
