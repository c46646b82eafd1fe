/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "clipboard-format.h"
#include "vdp-text.h"
#include "vdp-util.h"
#include "vdp-wire.h"
#include "wide.h"

/* Image types in the order we ask the client for them. */
static const uint32_t image_order[] = {
	VDP_CLIPBOARD_IMAGE_PNG,
	VDP_CLIPBOARD_IMAGE_BMP,
	VDP_CLIPBOARD_IMAGE_JPG,
	VDP_CLIPBOARD_IMAGE_TIFF,
};

static bool is_image(uint32_t type)
{
	return type == VDP_CLIPBOARD_IMAGE_PNG ||
	       type == VDP_CLIPBOARD_IMAGE_BMP ||
	       type == VDP_CLIPBOARD_IMAGE_JPG ||
	       type == VDP_CLIPBOARD_IMAGE_TIFF;
}

bool wa_clip_type_carried(uint32_t vd_type)
{
	return vd_type == VDP_CLIPBOARD_UTF8_TEXT || is_image(vd_type);
}

static bool offered(uint32_t type, const uint32_t *types, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (types[i] == type)
			return true;
	return false;
}

static bool any_image(const uint32_t *types, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (is_image(types[i]))
			return true;
	return false;
}

size_t wa_clip_kinds_for_types(const uint32_t *types, size_t count,
			       enum wa_clip_kind *out, size_t max)
{
	size_t n = 0;

	if (offered(VDP_CLIPBOARD_UTF8_TEXT, types, count) && n < max)
		out[n++] = WA_CLIP_KIND_TEXT;
	if (any_image(types, count) && n < max)
		out[n++] = WA_CLIP_KIND_DIB;
	if (offered(VDP_CLIPBOARD_IMAGE_PNG, types, count) && n < max)
		out[n++] = WA_CLIP_KIND_PNG;
	return n;
}

uint32_t wa_clip_type_for_kind(enum wa_clip_kind kind, const uint32_t *types,
			       size_t count)
{
	uint32_t want = VDP_CLIPBOARD_NONE;

	switch (kind) {
	case WA_CLIP_KIND_TEXT:
		want = VDP_CLIPBOARD_UTF8_TEXT;
		break;
	case WA_CLIP_KIND_PNG:
		want = VDP_CLIPBOARD_IMAGE_PNG;
		break;
	case WA_CLIP_KIND_DIB:
		for (size_t i = 0; i < ARRAY_LENGTH(image_order); i++)
			if (offered(image_order[i], types, count))
				return image_order[i];
		return VDP_CLIPBOARD_NONE;
	default:
		return VDP_CLIPBOARD_NONE;
	}
	return offered(want, types, count) ? want : VDP_CLIPBOARD_NONE;
}

size_t wa_clip_guest_types(bool has_text, bool has_dib, bool has_png,
			   uint32_t *out, size_t max)
{
	size_t n = 0;

	if (has_text && n < max)
		out[n++] = VDP_CLIPBOARD_UTF8_TEXT;
	if ((has_dib || has_png) && n < max)
		out[n++] = VDP_CLIPBOARD_IMAGE_PNG;
	if ((has_dib || has_png) && n < max)
		out[n++] = VDP_CLIPBOARD_IMAGE_BMP;
	return n;
}

enum wa_clip_kind wa_clip_source_kind(uint32_t vd_type, bool has_dib,
				      bool has_png)
{
	switch (vd_type) {
	case VDP_CLIPBOARD_UTF8_TEXT:
		return WA_CLIP_KIND_TEXT;
	case VDP_CLIPBOARD_IMAGE_PNG:
		return has_png ? WA_CLIP_KIND_PNG
		       : has_dib ? WA_CLIP_KIND_DIB
				 : WA_CLIP_KIND_NONE;
	case VDP_CLIPBOARD_IMAGE_BMP:
		return has_dib ? WA_CLIP_KIND_DIB
		       : has_png ? WA_CLIP_KIND_PNG
				 : WA_CLIP_KIND_NONE;
	default:
		return WA_CLIP_KIND_NONE;
	}
}

wchar_t *wa_clip_text_from_client(const uint8_t *utf8, size_t len,
				  bool lf_to_crlf, size_t *size)
{
	uint8_t *converted = NULL;
	size_t units;

	while (len > 0 && utf8[len - 1] == '\0')
		len--;
	if (lf_to_crlf) {
		converted = vdp_lf_to_crlf(utf8, len, &len);
		if (!converted)
			return NULL;
		utf8 = converted;
	}
	wchar_t *w = wa_wide_from_utf8((const char *)utf8, len, &units);
	free(converted);
	if (w)
		*size = (units + 1) * sizeof(wchar_t);
	return w;
}

uint8_t *wa_clip_text_to_client(const wchar_t *w, size_t units,
				bool crlf_to_lf, size_t *len)
{
	size_t n = 0;

	while (n < units && w[n])
		n++;
	char *utf8 = wa_utf8_from_wide(w, n, len);
	if (!utf8 || !crlf_to_lf)
		return (uint8_t *)utf8;
	uint8_t *lf = vdp_crlf_to_lf((const uint8_t *)utf8, *len, len);
	free(utf8);
	return lf;
}
