/* SPDX-License-Identifier: MIT */
/* Validators of FILE_XFER_START, FILE_XFER_STATUS and FILE_XFER_DATA. */
#include <errno.h>

#include "vdp-util.h"
#include "vdp-validate.h"

int vdp_parse_xfer_start(const uint8_t *data, size_t size,
			 struct vdp_xfer_start *out)
{
	const size_t hdr = sizeof(struct vdp_xfer_start_wire);
	const uint8_t *text;
	size_t len;

	if (size < hdr)
		return -EBADMSG;
	out->id = vdp_get_le32(data);
	text = data + hdr;
	len = size - hdr;
	if (len > VDP_XFER_START_TEXT_MAX)
		return -E2BIG;
	if (len > 0 && text[len - 1] == '\0')
		len--;
	if (memchr(text, '\0', len))
		return -EILSEQ;
	if (vdp_check_utf8(text, len) < 0)
		return -EILSEQ;
	out->keyfile = (const char *)text;
	out->keyfile_len = len;
	return 0;
}

int vdp_parse_xfer_status(const uint8_t *data, size_t size,
			  struct vdp_xfer_status_msg *out)
{
	const size_t hdr = sizeof(struct vdp_xfer_status_wire);

	if (size < hdr)
		return -EBADMSG;
	out->id = vdp_get_le32(data);
	out->result = vdp_get_le32(data + 4);
	out->detail = VDP_XFER_DETAIL_NONE;
	out->error_type = 0;
	out->error_code = 0;
	out->disk_free_space = 0;
	if (size == hdr)
		return 0;

	if (out->result == VDP_XFER_STATUS_ERROR &&
	    size == hdr + sizeof(struct vdp_xfer_error_wire)) {
		out->detail = VDP_XFER_DETAIL_ERROR;
		out->error_type = data[hdr];
		out->error_code = vdp_get_le32(data + hdr + 1);
		return 0;
	}
	if (out->result == VDP_XFER_STATUS_NOT_ENOUGH_SPACE &&
	    size == hdr + sizeof(struct vdp_xfer_no_space_wire)) {
		out->detail = VDP_XFER_DETAIL_NO_SPACE;
		out->disk_free_space = vdp_get_le64(data + hdr);
		return 0;
	}
	return -EBADMSG;
}

int vdp_parse_xfer_data(const uint8_t *data, size_t size,
			struct vdp_xfer_data *out)
{
	const size_t hdr = sizeof(struct vdp_xfer_data_wire);

	if (size < hdr)
		return -EBADMSG;
	out->id = vdp_get_le32(data);
	out->size = vdp_get_le64(data + 4);
	if (out->size != (uint64_t)(size - hdr))
		return -EBADMSG;
	out->data = data + hdr;
	return 0;
}
