/* SPDX-License-Identifier: MIT */
/*
 * Clipboard data between the protocol and the Windows clipboard: which
 * Windows format carries which protocol type, and the text conversions
 * (UTF-8 <-> CF_UNICODETEXT, line ends).  No clipboard calls here.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <windows.h>

/*
 * The Windows clipboard formats we carry, as kinds, so that this code
 * needs no registered format ids: CF_UNICODETEXT, CF_DIB, and the
 * registered "PNG" format (what browsers and office programs put beside
 * CF_DIB, and what wine maps image/png to).
 */
enum wa_clip_kind {
	WA_CLIP_KIND_NONE,
	WA_CLIP_KIND_TEXT,
	WA_CLIP_KIND_DIB,
	WA_CLIP_KIND_PNG,
};

/* The kinds to announce for delayed rendering for a client grab of
 * types (count of them): TEXT for UTF8_TEXT, DIB for every image type,
 * PNG too when PNG is offered.  Writes at most max; returns how many. */
size_t wa_clip_kinds_for_types(const uint32_t *types, size_t count,
			       enum wa_clip_kind *out, size_t max);

/* True for the types a client grab can bring (text and images). */
bool wa_clip_type_carried(uint32_t vd_type);

/* The client type to ask for when Windows wants kind rendered, from the
 * types of the client's grab, in our preference order (PNG, BMP, JPG,
 * TIFF for a DIB); VDP_CLIPBOARD_NONE when none fits. */
uint32_t wa_clip_type_for_kind(enum wa_clip_kind kind, const uint32_t *types,
			       size_t count);

/* The types to announce for what the Windows clipboard holds: text ->
 * UTF8_TEXT; a DIB (or what Windows converts to one) or a PNG -> PNG and
 * BMP.  Writes at most max types; returns their number. */
size_t wa_clip_guest_types(bool has_text, bool has_dib, bool has_png,
			   uint32_t *out, size_t max);

/* The kind to read from the clipboard for a request of type: PNG from
 * the PNG format when there is one, BMP from the DIB when there is one,
 * else the other image kind. */
enum wa_clip_kind wa_clip_source_kind(uint32_t vd_type, bool has_dib,
				      bool has_png);

/*
 * Client text (UTF-8, len bytes, trailing NULs ignored, invalid
 * sequences -> U+FFFD) as CF_UNICODETEXT contents: a malloc'd
 * NUL-terminated UTF-16 string, its size in bytes (the NUL included) in
 * *size.  lf_to_crlf: the client's line ends are LF (see
 * vdp_lineend_convert_needed()).  NULL when out of memory.
 */
wchar_t *wa_clip_text_from_client(const uint8_t *utf8, size_t len,
				  bool lf_to_crlf, size_t *size);

/*
 * CF_UNICODETEXT contents (at most units UTF-16 units; the text ends at
 * the first NUL) as UTF-8 for the client, without a NUL: malloc'd, its
 * length in *len.  crlf_to_lf: the client wants LF.  NULL when out of
 * memory.
 */
uint8_t *wa_clip_text_to_client(const wchar_t *w, size_t units,
				bool crlf_to_lf, size_t *len);
