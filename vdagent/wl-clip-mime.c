/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <strings.h>

#include "vdp-util.h"
#include "vdp-wire.h"
#include "wl-clip-mime.h"

/* Our preference order within each type. */
static const struct {
	const char *mime;
	uint32_t type;
} mimes[] = {
	{ "text/plain;charset=utf-8", VDP_CLIPBOARD_UTF8_TEXT },
	{ "UTF8_STRING", VDP_CLIPBOARD_UTF8_TEXT },
	{ "text/plain", VDP_CLIPBOARD_UTF8_TEXT },
	{ "image/png", VDP_CLIPBOARD_IMAGE_PNG },
	{ "image/bmp", VDP_CLIPBOARD_IMAGE_BMP },
	{ "image/x-bmp", VDP_CLIPBOARD_IMAGE_BMP },
	{ "image/tiff", VDP_CLIPBOARD_IMAGE_TIFF },
	{ "image/jpeg", VDP_CLIPBOARD_IMAGE_JPG },
};

uint32_t wl_clip_mime_type(const char *mime)
{
	for (size_t i = 0; i < ARRAY_LENGTH(mimes); i++)
		if (strcasecmp(mime, mimes[i].mime) == 0)
			return mimes[i].type;
	return VDP_CLIPBOARD_NONE;
}

const char *wl_clip_mime_pick(uint32_t type, const char *const *offered,
			      size_t n)
{
	for (size_t i = 0; i < ARRAY_LENGTH(mimes); i++) {
		if (mimes[i].type != type)
			continue;
		for (size_t j = 0; j < n; j++)
			if (strcasecmp(offered[j], mimes[i].mime) == 0)
				return offered[j];
	}
	return NULL;
}

size_t wl_clip_mimes_for(uint32_t type, const char **out, size_t max)
{
	size_t k = 0;
	for (size_t i = 0; i < ARRAY_LENGTH(mimes) && k < max; i++)
		if (mimes[i].type == type)
			out[k++] = mimes[i].mime;
	return k;
}
