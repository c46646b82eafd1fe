/* SPDX-License-Identifier: MIT */
#include <stdlib.h>

#include "vdp-text.h"
#include "vdp-validate.h"

/* An LF that needs a CR put before it. */
static bool bare_lf(const uint8_t *in, size_t i)
{
	return in[i] == '\n' && (i == 0 || in[i - 1] != '\r');
}

/* A buffer of n bytes and a NUL, or NULL when n + 1 overflows. */
static uint8_t *alloc_text(size_t n)
{
	return n == SIZE_MAX ? NULL : malloc(n + 1);
}

uint8_t *vdp_lf_to_crlf(const uint8_t *in, size_t len, size_t *out_len)
{
	size_t extra = 0;
	for (size_t i = 0; i < len; i++)
		extra += bare_lf(in, i);
	if (len + extra < len)
		return NULL;

	uint8_t *out = alloc_text(len + extra);
	if (!out)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		if (bare_lf(in, i))
			out[o++] = '\r';
		out[o++] = in[i];
	}
	out[o] = '\0';
	*out_len = o;
	return out;
}

uint8_t *vdp_crlf_to_lf(const uint8_t *in, size_t len, size_t *out_len)
{
	uint8_t *out = alloc_text(len);
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

uint8_t *vdp_latin1_to_utf8(const uint8_t *in, size_t len, size_t *out_len)
{
	if (len > (SIZE_MAX - 1) / 2)
		return NULL;
	uint8_t *out = alloc_text(len * 2);
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

uint8_t *vdp_utf8_to_latin1(const uint8_t *in, size_t len, size_t *out_len)
{
	uint8_t *out = alloc_text(len);
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

bool vdp_lineend_convert_needed(bool guest_crlf, bool client_lf,
				bool client_crlf)
{
	if (guest_crlf)
		return client_lf && !client_crlf;
	return client_crlf && !client_lf;
}
