/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "clipboard-convert.h"
#include "vdp-util.h"
#include "vdp-validate.h"
#include "vdp-wire.h"

uint8_t *lineend_lf_to_crlf(const uint8_t *in, size_t len, size_t *out_len)
{
	size_t extra = 0;
	for (size_t i = 0; i < len; i++)
		if (in[i] == '\n' && (i == 0 || in[i - 1] != '\r'))
			extra++;
	if (len + extra < len)
		return NULL;

	uint8_t *out = malloc(len + extra + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		if (in[i] == '\n' && (i == 0 || in[i - 1] != '\r'))
			out[o++] = '\r';
		out[o++] = in[i];
	}
	out[o] = '\0';
	*out_len = o;
	return out;
}

uint8_t *lineend_crlf_to_lf(const uint8_t *in, size_t len, size_t *out_len)
{
	uint8_t *out = malloc(len + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		if (in[i] == '\r' && i + 1 < len && in[i + 1] == '\n')
			continue;
		out[o++] = in[i];
	}
	out[o] = '\0';
	*out_len = o;
	return out;
}

uint8_t *latin1_to_utf8(const uint8_t *in, size_t len, size_t *out_len)
{
	if (len > (SIZE_MAX - 1) / 2)
		return NULL;
	uint8_t *out = malloc(len * 2 + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		if (in[i] < 0x80) {
			out[o++] = in[i];
		} else {
			out[o++] = (uint8_t)(0xc0 | (in[i] >> 6));
			out[o++] = (uint8_t)(0x80 | (in[i] & 0x3f));
		}
	}
	out[o] = '\0';
	*out_len = o;
	return out;
}

uint8_t *utf8_to_latin1(const uint8_t *in, size_t len, size_t *out_len)
{
	uint8_t *out = malloc(len + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = vdp_utf8_next(in + i, len - i, &cp);
		if (n == 0) {
			out[o++] = '?';
			i++;
			continue;
		}
		out[o++] = cp <= 0xff ? (uint8_t)cp : '?';
		i += n;
	}
	out[o] = '\0';
	*out_len = o;
	return out;
}

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

bool lineend_client_wants_crlf(bool client_has_lf, bool client_has_crlf)
{
	return client_has_crlf && !client_has_lf;
}
