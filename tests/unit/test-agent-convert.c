/* SPDX-License-Identifier: MIT */
/* Clipboard conversions: line endings and Latin-1 (protocol/vdp-text.h),
 * X target <-> type mapping (vdagent/clipboard-targets.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "../../vdagent/clipboard-targets.h"
#include "tap.h"
#include "vdp-text.h"
#include "vdp-wire.h"

typedef uint8_t *(*conv_fn)(const uint8_t *, size_t, size_t *);

static void check(conv_fn f, const char *in, size_t in_len, const char *want,
		  size_t want_len, const char *what)
{
	size_t n = 12345;
	uint8_t *out = f((const uint8_t *)in, in_len, &n);
	if (!ok(out != NULL, "%s: converted", what))
		return;
	is_int(n, want_len, "%s: length", what);
	if (n == want_len)
		is_mem(out, want, n, "%s: bytes", what);
	is_int(out[n], 0, "%s: NUL-terminated", what);
	free(out);
}

#define CHECK(f, in, want, what) \
	check(f, in, sizeof(in) - 1, want, sizeof(want) - 1, what)

int main(void)
{
	CHECK(vdp_lf_to_crlf, "a\nb\n", "a\r\nb\r\n", "LF->CRLF");
	CHECK(vdp_lf_to_crlf, "a\r\nb", "a\r\nb", "LF->CRLF keeps CRLF");
	CHECK(vdp_lf_to_crlf, "\n\n", "\r\n\r\n", "LF->CRLF leading LFs");
	CHECK(vdp_lf_to_crlf, "", "", "LF->CRLF empty");
	CHECK(vdp_lf_to_crlf, "x\ry", "x\ry", "LF->CRLF lone CR kept");
	CHECK(vdp_crlf_to_lf, "a\r\nb\r\n", "a\nb\n", "CRLF->LF");
	CHECK(vdp_crlf_to_lf, "a\rb\r", "a\rb\r", "CRLF->LF lone CRs kept");
	CHECK(vdp_crlf_to_lf, "\r\r\n", "\r\n", "CRLF->LF CR CR LF");
	CHECK(vdp_crlf_to_lf, "a\0\r\nb", "a\0\nb", "CRLF->LF with NUL");

	/* round trip of a large buffer */
	size_t big = 1u << 20, n1, n2;
	uint8_t *src = malloc(big);
	for (size_t i = 0; i < big; i++)
		src[i] = (i % 7 == 6) ? '\n' : (uint8_t)('a' + i % 26);
	uint8_t *crlf = vdp_lf_to_crlf(src, big, &n1);
	uint8_t *back = vdp_crlf_to_lf(crlf, n1, &n2);
	is_int(n1, big + big / 7, "1 MiB: one CR per LF added");
	ok(n2 == big && memcmp(back, src, big) == 0, "1 MiB round trip");
	free(src);
	free(crlf);
	free(back);

	CHECK(vdp_latin1_to_utf8, "caf\xe9 \xff", "caf\xc3\xa9 \xc3\xbf",
	      "Latin-1 -> UTF-8");
	CHECK(vdp_utf8_to_latin1, "caf\xc3\xa9 \xc3\xbf", "caf\xe9 \xff",
	      "UTF-8 -> Latin-1");
	CHECK(vdp_utf8_to_latin1, "\xe2\x9c\x93!", "?!", "non-Latin-1 -> '?'");
	CHECK(vdp_utf8_to_latin1, "a\xc3", "a?", "truncated sequence -> '?'");
	CHECK(vdp_utf8_to_latin1, "\xc0\xaf", "??", "overlong form -> '?'");
	CHECK(vdp_utf8_to_latin1, "\xed\xa0\x80", "???", "surrogate -> '?'");

	static const struct {
		const char *name;
		uint32_t type;
		enum clip_encoding enc;
	} map[] = {
		{ "UTF8_STRING", VDP_CLIPBOARD_UTF8_TEXT, CLIP_ENC_RAW },
		{ "text/plain;charset=utf-8", VDP_CLIPBOARD_UTF8_TEXT, CLIP_ENC_RAW },
		{ "STRING", VDP_CLIPBOARD_UTF8_TEXT, CLIP_ENC_LATIN1 },
		{ "TEXT", VDP_CLIPBOARD_UTF8_TEXT, CLIP_ENC_RAW },
		{ "COMPOUND_TEXT", VDP_CLIPBOARD_UTF8_TEXT, CLIP_ENC_COMPOUND },
		{ "image/png", VDP_CLIPBOARD_IMAGE_PNG, CLIP_ENC_RAW },
		{ "image/bmp", VDP_CLIPBOARD_IMAGE_BMP, CLIP_ENC_RAW },
		{ "image/jpeg", VDP_CLIPBOARD_IMAGE_JPG, CLIP_ENC_RAW },
		{ "image/tiff", VDP_CLIPBOARD_IMAGE_TIFF, CLIP_ENC_RAW },
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		const struct clip_target_info *t = clip_target_lookup(map[i].name);
		if (!ok(t != NULL, "%s is known", map[i].name))
			continue;
		is_int(t->vd_type, map[i].type, "%s type", map[i].name);
		is_int(t->encoding, map[i].enc, "%s encoding", map[i].name);
	}
	ok(clip_target_lookup("TARGETS") == NULL, "TARGETS is not data");
	ok(clip_target_lookup("text/html") == NULL, "text/html not carried");
	ok(clip_target_lookup(NULL) == NULL, "NULL name");

	const char *offer1[] = { "TARGETS", "STRING", "UTF8_STRING", "image/png" };
	const struct clip_target_info *p =
		clip_target_pick(VDP_CLIPBOARD_UTF8_TEXT, offer1, 4);
	ok(p && strcmp(p->name, "UTF8_STRING") == 0, "UTF8_STRING preferred");
	const char *offer2[] = { "STRING", "COMPOUND_TEXT" };
	p = clip_target_pick(VDP_CLIPBOARD_UTF8_TEXT, offer2, 2);
	ok(p && strcmp(p->name, "COMPOUND_TEXT") == 0,
	   "COMPOUND_TEXT before STRING");
	p = clip_target_pick(VDP_CLIPBOARD_IMAGE_BMP, offer1, 4);
	ok(p == NULL, "no BMP offered");
	const char *offer3[] = { "image/x-MS-bmp" };
	p = clip_target_pick(VDP_CLIPBOARD_IMAGE_BMP, offer3, 1);
	ok(p && p->vd_type == VDP_CLIPBOARD_IMAGE_BMP, "x-MS-bmp is BMP");

	/* an LF guest (X11) */
	ok(!vdp_lineend_convert_needed(false, true, false),
	   "LF guest, LF client: no conversion");
	ok(vdp_lineend_convert_needed(false, false, true),
	   "LF guest, CRLF client: convert");
	ok(!vdp_lineend_convert_needed(false, true, true),
	   "LF guest, both: no conversion");
	ok(!vdp_lineend_convert_needed(false, false, false),
	   "LF guest, neither: no conversion");
	/* a CRLF guest (Windows) */
	ok(vdp_lineend_convert_needed(true, true, false),
	   "CRLF guest, LF client: convert");
	ok(!vdp_lineend_convert_needed(true, false, true),
	   "CRLF guest, CRLF client: no conversion");
	ok(!vdp_lineend_convert_needed(true, true, true),
	   "CRLF guest, both: no conversion");
	ok(!vdp_lineend_convert_needed(true, false, false),
	   "CRLF guest, neither: no conversion");
	return tap_done();
}
