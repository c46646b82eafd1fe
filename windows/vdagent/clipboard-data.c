/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "clipboard-data.h"
#include "clipboard-dib.h"
#include "clipboard-format.h"
#include "clipboard-image.h"
#include "vdp-wire.h"

/* A client BMP as a CF_DIB: as it is when it already has the classic
 * 40-byte header every program reads, else decoded and rebuilt. */
static int dib_from_client_bmp(const uint8_t *bmp, size_t len, uint8_t **out,
			       size_t *out_len)
{
	struct wa_dib_info info;
	int r = wa_dib_from_bmp(bmp, len, out, out_len);

	if (r == -ENOMEM)
		return r;
	if (r == 0 && wa_dib_parse(*out, *out_len, &info) == 0 &&
	    info.header_size == 40)
		return 0;
	if (r == 0)
		free(*out);
	return wa_image_to_dib(bmp, len, out, out_len);
}

static int copy_bytes(const uint8_t *data, size_t len, uint8_t **out,
		      size_t *out_len)
{
	*out = malloc(len ? len : 1);
	if (!*out)
		return -ENOMEM;
	memcpy(*out, data, len);
	*out_len = len;
	return 0;
}

static int text_from_client(const uint8_t *data, size_t len, bool lf_to_crlf,
			    uint8_t **out, size_t *out_len)
{
	size_t size;
	wchar_t *w = wa_clip_text_from_client(data, len, lf_to_crlf, &size);

	if (!w)
		return -ENOMEM;
	*out = (uint8_t *)w;
	*out_len = size;
	return 0;
}

int wa_clip_data_from_client(uint32_t type, enum wa_clip_kind kind,
			     const uint8_t *data, size_t len, bool lf_to_crlf,
			     uint8_t **out, size_t *out_len)
{
	switch (kind) {
	case WA_CLIP_KIND_TEXT:
		if (type != VDP_CLIPBOARD_UTF8_TEXT)
			return -EINVAL;
		return text_from_client(data, len, lf_to_crlf, out, out_len);
	case WA_CLIP_KIND_PNG:
		/* the client's PNG as it is, once checked */
		if (type != VDP_CLIPBOARD_IMAGE_PNG || len < 8 ||
		    memcmp(data, "\x89PNG\r\n\x1a\n", 8) != 0)
			return -EINVAL;
		return copy_bytes(data, len, out, out_len);
	case WA_CLIP_KIND_DIB:
		if (type == VDP_CLIPBOARD_IMAGE_BMP)
			return dib_from_client_bmp(data, len, out, out_len);
		if (!wa_clip_type_carried(type) ||
		    type == VDP_CLIPBOARD_UTF8_TEXT)
			return -EINVAL;
		return wa_image_to_dib(data, len, out, out_len);
	default:
		return -EINVAL;
	}
}

/* A PNG from the clipboard as a BMP: through a DIB. */
static int bmp_from_png(const uint8_t *png, size_t len, uint8_t **out,
			size_t *out_len)
{
	uint8_t *dib = NULL;
	size_t dib_len;
	int r = wa_image_to_dib(png, len, &dib, &dib_len);

	if (r == 0)
		r = wa_bmp_from_dib(dib, dib_len, out, out_len);
	free(dib);
	return r;
}

int wa_clip_data_to_client(uint32_t type, enum wa_clip_kind kind,
			   const uint8_t *raw, size_t raw_len, bool crlf_to_lf,
			   uint8_t **out, size_t *out_len)
{
	if (kind == WA_CLIP_KIND_TEXT && type == VDP_CLIPBOARD_UTF8_TEXT) {
		*out = wa_clip_text_to_client((const wchar_t *)raw,
					      raw_len / sizeof(wchar_t),
					      crlf_to_lf, out_len);
		return *out ? 0 : -ENOMEM;
	}
	if (kind == WA_CLIP_KIND_DIB && type == VDP_CLIPBOARD_IMAGE_BMP)
		return wa_bmp_from_dib(raw, raw_len, out, out_len);
	if (kind == WA_CLIP_KIND_DIB && type == VDP_CLIPBOARD_IMAGE_PNG)
		return wa_image_png_from_dib(raw, raw_len, out, out_len);
	if (kind == WA_CLIP_KIND_PNG && type == VDP_CLIPBOARD_IMAGE_PNG)
		return copy_bytes(raw, raw_len, out, out_len);
	if (kind == WA_CLIP_KIND_PNG && type == VDP_CLIPBOARD_IMAGE_BMP)
		return bmp_from_png(raw, raw_len, out, out_len);
	return -EINVAL;
}
