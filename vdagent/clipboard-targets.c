/* SPDX-License-Identifier: MIT */
#include "config.h"

#include "clipboard-targets.h"
#include "vdp-util.h"
#include "vdp-wire.h"

static const struct clip_target_info targets[] = {
	{ "UTF8_STRING", VDP_CLIPBOARD_UTF8_TEXT, CLIP_ENC_RAW },
	{ "text/plain;charset=utf-8", VDP_CLIPBOARD_UTF8_TEXT, CLIP_ENC_RAW },
	{ "text/plain;charset=UTF-8", VDP_CLIPBOARD_UTF8_TEXT, CLIP_ENC_RAW },
	{ "COMPOUND_TEXT", VDP_CLIPBOARD_UTF8_TEXT, CLIP_ENC_COMPOUND },
	{ "TEXT", VDP_CLIPBOARD_UTF8_TEXT, CLIP_ENC_RAW },
	{ "STRING", VDP_CLIPBOARD_UTF8_TEXT, CLIP_ENC_LATIN1 },
	{ "image/png", VDP_CLIPBOARD_IMAGE_PNG, CLIP_ENC_RAW },
	{ "image/bmp", VDP_CLIPBOARD_IMAGE_BMP, CLIP_ENC_RAW },
	{ "image/x-bmp", VDP_CLIPBOARD_IMAGE_BMP, CLIP_ENC_RAW },
	{ "image/x-MS-bmp", VDP_CLIPBOARD_IMAGE_BMP, CLIP_ENC_RAW },
	{ "image/x-win-bitmap", VDP_CLIPBOARD_IMAGE_BMP, CLIP_ENC_RAW },
	{ "image/tiff", VDP_CLIPBOARD_IMAGE_TIFF, CLIP_ENC_RAW },
	{ "image/jpeg", VDP_CLIPBOARD_IMAGE_JPG, CLIP_ENC_RAW },
};

const struct clip_target_info *clip_targets(size_t *count)
{
	*count = ARRAY_LENGTH(targets);
	return targets;
}

const struct clip_target_info *clip_target_lookup(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < ARRAY_LENGTH(targets); i++)
		if (streq(targets[i].name, name))
			return &targets[i];
	return NULL;
}

const struct clip_target_info *
clip_target_pick(uint32_t vd_type, const char *const *offered, size_t n)
{
	for (size_t i = 0; i < ARRAY_LENGTH(targets); i++) {
		if (targets[i].vd_type != vd_type)
			continue;
		for (size_t j = 0; j < n; j++)
			if (offered[j] && streq(offered[j], targets[i].name))
				return &targets[i];
	}
	return NULL;
}
