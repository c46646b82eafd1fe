/* SPDX-License-Identifier: MIT */
/*
 * The Windows agent's clipboard without the clipboard: the ownership
 * state machine, the format mapping, text and image conversions (WIC
 * under wine for PNG).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "clipboard-data.h"
#include "clipboard-dib.h"
#include "clipboard-format.h"
#include "clipboard-image.h"
#include "clipboard-state.h"
#include "tap.h"
#include "vdp-util.h"
#include "vdp-wire.h"

static void step_is(enum wa_clip_state s, enum wa_clip_event e,
		    enum wa_clip_state next, unsigned actions)
{
	struct wa_clip_step st = wa_clip_transition(s, e);
	if (!ok(st.next == next && st.actions == actions, "%s --%s--> %s (%#x)",
		wa_clip_state_name(s), wa_clip_event_name(e),
		wa_clip_state_name(next), actions))
		diag("  got %s, actions %#x", wa_clip_state_name(st.next),
		     st.actions);
}

static void test_state_machine(void)
{
	const unsigned take = WA_CLIP_ACT_EMPTY | WA_CLIP_ACT_TAKE;

	step_is(WA_CLIP_IDLE, WA_CLIP_EV_CLIENT_GRAB, WA_CLIP_CLIENT_OWNS, take);
	step_is(WA_CLIP_IDLE, WA_CLIP_EV_CLIENT_GRAB_NONE, WA_CLIP_IDLE, 0);
	step_is(WA_CLIP_IDLE, WA_CLIP_EV_CLIENT_RELEASE, WA_CLIP_IDLE, 0);
	step_is(WA_CLIP_IDLE, WA_CLIP_EV_GUEST_COPY, WA_CLIP_GUEST_OWNS,
		WA_CLIP_ACT_SEND_GRAB);
	step_is(WA_CLIP_IDLE, WA_CLIP_EV_GUEST_EMPTY, WA_CLIP_IDLE, 0);
	step_is(WA_CLIP_IDLE, WA_CLIP_EV_RENDER, WA_CLIP_IDLE, 0);

	step_is(WA_CLIP_CLIENT_OWNS, WA_CLIP_EV_CLIENT_GRAB,
		WA_CLIP_CLIENT_OWNS, take);
	step_is(WA_CLIP_CLIENT_OWNS, WA_CLIP_EV_CLIENT_RELEASE, WA_CLIP_IDLE,
		WA_CLIP_ACT_EMPTY);
	step_is(WA_CLIP_CLIENT_OWNS, WA_CLIP_EV_CLIENT_GONE, WA_CLIP_IDLE,
		WA_CLIP_ACT_EMPTY);
	step_is(WA_CLIP_CLIENT_OWNS, WA_CLIP_EV_CLIENT_GRAB_NONE, WA_CLIP_IDLE,
		WA_CLIP_ACT_EMPTY);
	step_is(WA_CLIP_CLIENT_OWNS, WA_CLIP_EV_RENDER, WA_CLIP_RENDERING,
		WA_CLIP_ACT_SEND_REQUEST);
	step_is(WA_CLIP_CLIENT_OWNS, WA_CLIP_EV_GUEST_COPY, WA_CLIP_GUEST_OWNS,
		WA_CLIP_ACT_SEND_GRAB);
	step_is(WA_CLIP_CLIENT_OWNS, WA_CLIP_EV_GUEST_EMPTY, WA_CLIP_IDLE, 0);

	step_is(WA_CLIP_RENDERING, WA_CLIP_EV_RENDER_END, WA_CLIP_CLIENT_OWNS, 0);
	step_is(WA_CLIP_RENDERING, WA_CLIP_EV_CLIENT_GRAB, WA_CLIP_RENDERING,
		WA_CLIP_ACT_DEFER);
	step_is(WA_CLIP_RENDERING, WA_CLIP_EV_CLIENT_GONE, WA_CLIP_RENDERING,
		WA_CLIP_ACT_DEFER);
	step_is(WA_CLIP_RENDERING, WA_CLIP_EV_RENDER, WA_CLIP_RENDERING, 0);
	step_is(WA_CLIP_RENDERING, WA_CLIP_EV_GUEST_COPY, WA_CLIP_RENDERING, 0);

	step_is(WA_CLIP_GUEST_OWNS, WA_CLIP_EV_GUEST_COPY, WA_CLIP_GUEST_OWNS,
		WA_CLIP_ACT_SEND_GRAB);
	step_is(WA_CLIP_GUEST_OWNS, WA_CLIP_EV_GUEST_EMPTY, WA_CLIP_IDLE,
		WA_CLIP_ACT_SEND_RELEASE);
	step_is(WA_CLIP_GUEST_OWNS, WA_CLIP_EV_CLIENT_GRAB, WA_CLIP_CLIENT_OWNS,
		take);
	step_is(WA_CLIP_GUEST_OWNS, WA_CLIP_EV_CLIENT_GRAB_NONE, WA_CLIP_IDLE,
		WA_CLIP_ACT_EMPTY);
	step_is(WA_CLIP_GUEST_OWNS, WA_CLIP_EV_CLIENT_RELEASE,
		WA_CLIP_GUEST_OWNS, 0);
	step_is(WA_CLIP_GUEST_OWNS, WA_CLIP_EV_CLIENT_GONE, WA_CLIP_IDLE, 0);
	step_is(WA_CLIP_GUEST_OWNS, WA_CLIP_EV_RENDER, WA_CLIP_GUEST_OWNS, 0);

	/* no event sequence from the guest alone makes us send a grab for
	 * a client grab: a client grab never yields SEND_GRAB */
	bool echo = false;
	for (int s = WA_CLIP_IDLE; s <= WA_CLIP_GUEST_OWNS; s++)
		echo |= (wa_clip_transition(s, WA_CLIP_EV_CLIENT_GRAB).actions &
			 WA_CLIP_ACT_SEND_GRAB) != 0;
	ok(!echo, "a client grab is never echoed as a guest grab");
}

static void test_formats(void)
{
	enum wa_clip_kind k[8];
	const uint32_t t1[] = { VDP_CLIPBOARD_IMAGE_BMP, VDP_CLIPBOARD_IMAGE_PNG,
				VDP_CLIPBOARD_UTF8_TEXT };
	const uint32_t t2[] = { VDP_CLIPBOARD_IMAGE_JPG, VDP_CLIPBOARD_FILE_LIST };

	is_int(wa_clip_kinds_for_types(t1, 3, k, 8), 3, "text+PNG+BMP: 3 kinds");
	ok(k[0] == WA_CLIP_KIND_TEXT && k[1] == WA_CLIP_KIND_DIB &&
		   k[2] == WA_CLIP_KIND_PNG,
	   "... CF_UNICODETEXT, CF_DIB and PNG");
	is_int(wa_clip_kinds_for_types(t1, 1, k, 8), 1, "BMP alone: 1 kind");
	ok(k[0] == WA_CLIP_KIND_DIB, "... CF_DIB");
	is_int(wa_clip_kinds_for_types(t2, 2, k, 8), 1, "JPG + FILE_LIST: 1");
	ok(k[0] == WA_CLIP_KIND_DIB, "... a JPEG is rendered as CF_DIB");
	is_int(wa_clip_kinds_for_types(t2 + 1, 1, k, 8), 0, "FILE_LIST: none");
	is_int(wa_clip_kinds_for_types(t1, 3, k, 1), 1, "bounded by max");
	ok(wa_clip_type_carried(VDP_CLIPBOARD_IMAGE_TIFF) &&
		   !wa_clip_type_carried(VDP_CLIPBOARD_FILE_LIST) &&
		   !wa_clip_type_carried(99),
	   "carried: text and images only");

	is_int(wa_clip_type_for_kind(WA_CLIP_KIND_DIB, t1, 3),
	       VDP_CLIPBOARD_IMAGE_PNG, "CF_DIB asks for PNG first");
	is_int(wa_clip_type_for_kind(WA_CLIP_KIND_DIB, t1, 1),
	       VDP_CLIPBOARD_IMAGE_BMP, "CF_DIB takes BMP when alone");
	is_int(wa_clip_type_for_kind(WA_CLIP_KIND_PNG, t1, 3),
	       VDP_CLIPBOARD_IMAGE_PNG, "the PNG format asks for PNG");
	is_int(wa_clip_type_for_kind(WA_CLIP_KIND_PNG, t1, 1),
	       VDP_CLIPBOARD_NONE, "... and never for BMP");
	is_int(wa_clip_type_for_kind(WA_CLIP_KIND_TEXT, t1, 3),
	       VDP_CLIPBOARD_UTF8_TEXT, "CF_UNICODETEXT asks for UTF8_TEXT");
	is_int(wa_clip_type_for_kind(WA_CLIP_KIND_TEXT, t1, 2),
	       VDP_CLIPBOARD_NONE, "no text offered: NONE");
	is_int(wa_clip_type_for_kind(WA_CLIP_KIND_NONE, t1, 3),
	       VDP_CLIPBOARD_NONE, "an unknown format: NONE");

	uint32_t g[8];
	is_int(wa_clip_guest_types(true, true, false, g, 8), 3,
	       "text and DIB: 3 types");
	ok(g[0] == VDP_CLIPBOARD_UTF8_TEXT && g[1] == VDP_CLIPBOARD_IMAGE_PNG &&
		   g[2] == VDP_CLIPBOARD_IMAGE_BMP,
	   "guest types: UTF8_TEXT, PNG, BMP");
	is_int(wa_clip_guest_types(false, false, true, g, 8), 2,
	       "a PNG alone: PNG and BMP");
	is_int(wa_clip_guest_types(false, false, false, g, 8), 0, "nothing: 0");
	is_int(wa_clip_guest_types(true, true, true, g, 1), 1, "bounded");

	is_int(wa_clip_source_kind(VDP_CLIPBOARD_IMAGE_PNG, true, true),
	       WA_CLIP_KIND_PNG, "PNG read from the PNG format first");
	is_int(wa_clip_source_kind(VDP_CLIPBOARD_IMAGE_PNG, true, false),
	       WA_CLIP_KIND_DIB, "... else from the DIB");
	is_int(wa_clip_source_kind(VDP_CLIPBOARD_IMAGE_BMP, true, true),
	       WA_CLIP_KIND_DIB, "BMP read from the DIB first");
	is_int(wa_clip_source_kind(VDP_CLIPBOARD_IMAGE_BMP, false, true),
	       WA_CLIP_KIND_PNG, "... else from the PNG");
	is_int(wa_clip_source_kind(VDP_CLIPBOARD_IMAGE_BMP, false, false),
	       WA_CLIP_KIND_NONE, "no image: none");
	is_int(wa_clip_source_kind(VDP_CLIPBOARD_UTF8_TEXT, false, false),
	       WA_CLIP_KIND_TEXT, "text from CF_UNICODETEXT");
}

static bool wide_is(const wchar_t *got, size_t size, const wchar_t *want)
{
	size_t n = wcslen(want);
	return got && size == (n + 1) * sizeof(wchar_t) &&
	       memcmp(got, want, size) == 0;
}

static void test_text(void)
{
	size_t size, len;
	wchar_t *w;
	uint8_t *u;

	w = wa_clip_text_from_client((const uint8_t *)"a\nb\r\nc", 6, true,
				     &size);
	ok(wide_is(w, size, L"a\r\nb\r\nc"), "LF -> CRLF into CF_UNICODETEXT");
	free(w);
	w = wa_clip_text_from_client((const uint8_t *)"a\nb", 3, false, &size);
	ok(wide_is(w, size, L"a\nb"), "no conversion asked: LF kept");
	free(w);
	w = wa_clip_text_from_client((const uint8_t *)"end\0\0", 5, false,
				     &size);
	ok(wide_is(w, size, L"end"), "trailing NULs dropped");
	free(w);
	/* é, 漢, U+1F600 (a surrogate pair) */
	static const char mb[] = "\xc3\xa9\xe6\xbc\xa2\xf0\x9f\x98\x80";
	w = wa_clip_text_from_client((const uint8_t *)mb, sizeof(mb) - 1, true,
				     &size);
	ok(wide_is(w, size, L"\x00e9\x6f22\xd83d\xde00"),
	   "multi-byte UTF-8 -> UTF-16 with a surrogate pair");
	u = wa_clip_text_to_client(w, size / 2, true, &len);
	ok(u && len == sizeof(mb) - 1 && memcmp(u, mb, len) == 0,
	   "... and back to the same UTF-8");
	free(u);
	free(w);
	w = wa_clip_text_from_client((const uint8_t *)"x\xff", 2, false, &size);
	ok(wide_is(w, size, L"x\xfffd"), "invalid UTF-8 -> U+FFFD");
	free(w);
	w = wa_clip_text_from_client((const uint8_t *)"", 0, false, &size);
	ok(wide_is(w, size, L""), "empty text: just the NUL");
	free(w);

	static const wchar_t win[] = L"one\r\ntwo\r\n\0garbage";
	u = wa_clip_text_to_client(win, ARRAY_LENGTH(win), true, &len);
	ok(u && len == 8 && memcmp(u, "one\ntwo\n", 8) == 0,
	   "CRLF -> LF to the client, stops at the NUL");
	free(u);
	u = wa_clip_text_to_client(win, ARRAY_LENGTH(win), false, &len);
	ok(u && len == 10 && memcmp(u, "one\r\ntwo\r\n", 10) == 0,
	   "no conversion asked: CRLF kept");
	free(u);
	u = wa_clip_text_to_client(L"abc", 2, false, &len);
	ok(u && len == 2 && memcmp(u, "ab", 2) == 0,
	   "no NUL within the size: bounded by the size");
	free(u);

	/* 5 MB of multi-byte text, both ways through the data layer */
	size_t big = 5u * 1024 * 1024;
	uint8_t *src = malloc(big);
	/* 5-byte pieces: a Euro sign and two LFs, or an e-acute, "xy", LF */
	for (size_t i = 0; i + 5 <= big; i += 5)
		memcpy(src + i, i % 50 == 45 ? "\xc3\xa9xy\n" : "\xe2\x82\xac\n\n",
		       5);
	memset(src + big - big % 5, 'z', big % 5);
	uint8_t *dib = NULL, *back = NULL;
	size_t dlen, blen;
	int r = wa_clip_data_from_client(VDP_CLIPBOARD_UTF8_TEXT,
					 WA_CLIP_KIND_TEXT, src, big,
					 true, &dib, &dlen);
	is_int(r, 0, "5 MB text into CF_UNICODETEXT");
	r = wa_clip_data_to_client(VDP_CLIPBOARD_UTF8_TEXT, WA_CLIP_KIND_TEXT,
				   dib, dlen, true,
				   &back, &blen);
	ok(r == 0 && blen == big && memcmp(back, src, big) == 0,
	   "5 MB text round trip (%u bytes)", (unsigned)blen);
	free(src);
	free(dib);
	free(back);
}

/* A w x h test pattern, top-down BGRA, opaque. */
static uint8_t *pattern(uint32_t w, uint32_t h)
{
	uint8_t *p = malloc((size_t)w * h * 4);
	for (uint32_t y = 0; y < h; y++)
		for (uint32_t x = 0; x < w; x++) {
			uint8_t *px = p + ((size_t)y * w + x) * 4;
			px[0] = (uint8_t)(x * 40);
			px[1] = (uint8_t)(y * 60);
			px[2] = (uint8_t)(x * y + 7);
			px[3] = 0xff;
		}
	return p;
}

/* The BGR of pixel (x, y) of a bottom-up 32-bit DIB. */
static const uint8_t *dib_px(const uint8_t *dib, uint32_t w, uint32_t h,
			     uint32_t x, uint32_t y)
{
	return dib + 40 + ((size_t)(h - 1 - y) * w + x) * 4;
}

static void test_images(void)
{
	const uint32_t w = 5, h = 3;
	uint8_t *pix = pattern(w, h);
	uint8_t *dib = NULL, *bmp = NULL, *dib2 = NULL, *png = NULL,
		*dib3 = NULL;
	size_t dib_len, bmp_len, dib2_len, png_len, dib3_len;
	struct wa_dib_info info;

	is_int(wa_dib_from_bgra(pix, w, h, &dib, &dib_len), 0, "DIB built");
	is_int(dib_len, 40 + w * h * 4, "DIB size");
	ok(wa_dib_parse(dib, dib_len, &info) == 0 && info.width == 5 &&
		   info.height == 3 && info.bit_count == 32 &&
		   info.bits_offset == 40,
	   "DIB parses: 5x3, 32 bits, pixels at 40");
	ok(memcmp(dib_px(dib, w, h, 0, 0), pix, 4) == 0 &&
		   memcmp(dib_px(dib, w, h, 4, 2), pix + (2 * w + 4) * 4, 4) == 0,
	   "DIB rows are bottom-up");

	is_int(wa_bmp_from_dib(dib, dib_len, &bmp, &bmp_len), 0, "BMP built");
	ok(bmp_len == 14 + dib_len && bmp[0] == 'B' && bmp[1] == 'M' &&
		   vdp_get_le32(bmp + 2) == bmp_len &&
		   vdp_get_le32(bmp + 10) == 54,
	   "BMP file header: BM, size, pixels at 54");
	is_int(wa_dib_from_bmp(bmp, bmp_len, &dib2, &dib2_len), 0,
	       "BMP back to a DIB");
	ok(dib2_len == dib_len && memcmp(dib2, dib, dib_len) == 0,
	   "DIB -> BMP -> DIB is the identity");
	free(dib2);
	dib2 = NULL;

	/* a BMP with a gap between the header and the pixels */
	uint8_t *gap = calloc(1, bmp_len + 10);
	memcpy(gap, bmp, 54);
	memcpy(gap + 64, bmp + 54, bmp_len - 54);
	vdp_put_le32(gap + 2, (uint32_t)bmp_len + 10);
	vdp_put_le32(gap + 10, 64);
	ok(wa_dib_from_bmp(gap, bmp_len + 10, &dib2, &dib2_len) == 0 &&
		   dib2_len == dib_len && memcmp(dib2, dib, dib_len) == 0,
	   "a gap before the pixels is closed");
	free(dib2);
	dib2 = NULL;

	/* hostile input */
	ok(wa_dib_from_bmp(bmp, 20, &dib2, &dib2_len) == -EINVAL,
	   "truncated BMP refused");
	ok(wa_dib_from_bmp(bmp + 1, bmp_len - 1, &dib2, &dib2_len) == -EINVAL,
	   "no BM magic: refused");
	vdp_put_le32(gap + 10, (uint32_t)bmp_len + 100);
	ok(wa_dib_from_bmp(gap, bmp_len + 10, &dib2, &dib2_len) == -EINVAL,
	   "pixels offset past the end refused");
	vdp_put_le32(gap + 10, 20);
	ok(wa_dib_from_bmp(gap, bmp_len + 10, &dib2, &dib2_len) == -EINVAL,
	   "pixels offset inside the header refused");
	free(gap);
	uint8_t bad[80];
	memcpy(bad, dib, sizeof(bad));
	vdp_put_le32(bad + 4, 100000);
	ok(wa_dib_parse(bad, sizeof(bad), &info) == -EINVAL,
	   "pixels that do not fit refused");
	vdp_put_le32(bad + 4, 0x7fffffff);
	vdp_put_le32(bad + 8, 0x7fffffff);
	ok(wa_dib_parse(bad, sizeof(bad), &info) == -EINVAL,
	   "a huge image refused");
	memcpy(bad, dib, sizeof(bad));
	vdp_put_le32(bad, 39);
	ok(wa_dib_parse(bad, sizeof(bad), &info) == -EINVAL,
	   "an unknown header size refused");
	memcpy(bad, dib, sizeof(bad));
	vdp_put_le16(bad + 14, 8);
	vdp_put_le32(bad + 32, 1000);
	ok(wa_dib_parse(bad, sizeof(bad), &info) == -EINVAL,
	   "a colour table over 256 entries refused");
	ok(wa_dib_parse(dib, 39, &info) == -EINVAL, "39 bytes refused");

	/* PNG through WIC */
	int r = wa_image_png_from_dib(dib, dib_len, &png, &png_len);
	is_int(r, 0, "DIB -> PNG");
	ok(r == 0 && png_len > 8 && memcmp(png, "\x89PNG\r\n\x1a\n", 8) == 0,
	   "... with the PNG signature (%u bytes)", (unsigned)png_len);
	r = wa_image_to_dib(png, png_len, &dib3, &dib3_len);
	is_int(r, 0, "PNG -> DIB");
	bool same = r == 0 && dib3_len == dib_len;
	for (uint32_t y = 0; same && y < h; y++)
		for (uint32_t x = 0; x < w; x++)
			same &= memcmp(dib_px(dib3, w, h, x, y),
				       dib_px(dib, w, h, x, y), 3) == 0 &&
				dib_px(dib3, w, h, x, y)[3] == 0xff;
	ok(same, "DIB -> PNG -> DIB keeps every pixel");
	free(dib3);
	dib3 = NULL;

	/* the client's BMP and PNG as CF_DIB, the guest's CF_DIB as both */
	uint8_t *out = NULL;
	size_t out_len;
	ok(wa_clip_data_from_client(VDP_CLIPBOARD_IMAGE_BMP, WA_CLIP_KIND_DIB, bmp, bmp_len,
				    false, &out, &out_len) == 0 &&
		   out_len == dib_len && memcmp(out, dib, dib_len) == 0,
	   "client BMP -> CF_DIB as it is");
	free(out);
	ok(wa_clip_data_from_client(VDP_CLIPBOARD_IMAGE_PNG, WA_CLIP_KIND_DIB,
				    png, png_len, false, &out, &out_len) == 0 &&
		   out_len == dib_len,
	   "client PNG -> CF_DIB");
	free(out);
	ok(wa_clip_data_from_client(VDP_CLIPBOARD_IMAGE_PNG, WA_CLIP_KIND_PNG,
				    png, png_len, false, &out, &out_len) == 0 &&
		   out_len == png_len && memcmp(out, png, png_len) == 0,
	   "client PNG -> the PNG format as it is");
	free(out);
	ok(wa_clip_data_from_client(VDP_CLIPBOARD_IMAGE_BMP, WA_CLIP_KIND_PNG,
				    bmp, bmp_len, false, &out,
				    &out_len) == -EINVAL,
	   "a BMP is never put in the PNG format");
	ok(wa_clip_data_to_client(VDP_CLIPBOARD_IMAGE_PNG, WA_CLIP_KIND_PNG,
				  png, png_len, false, &out, &out_len) == 0 &&
		   out_len == png_len && memcmp(out, png, png_len) == 0,
	   "guest PNG format -> PNG as it is");
	free(out);
	ok(wa_clip_data_to_client(VDP_CLIPBOARD_IMAGE_BMP, WA_CLIP_KIND_PNG,
				  png, png_len, false, &out, &out_len) == 0 &&
		   out_len == bmp_len && memcmp(out, "BM", 2) == 0,
	   "guest PNG format -> BMP through a DIB");
	free(out);
	ok(wa_clip_data_to_client(VDP_CLIPBOARD_IMAGE_BMP, WA_CLIP_KIND_DIB, dib,
				  dib_len, false,
				  &out, &out_len) == 0 &&
		   out_len == bmp_len && memcmp(out, bmp, bmp_len) == 0,
	   "guest CF_DIB -> BMP");
	free(out);
	ok(wa_clip_data_to_client(VDP_CLIPBOARD_IMAGE_PNG, WA_CLIP_KIND_DIB, dib,
				  dib_len, false,
				  &out, &out_len) == 0 &&
		   memcmp(out, "\x89PNG", 4) == 0,
	   "guest CF_DIB -> PNG");
	free(out);
	ok(wa_clip_data_from_client(VDP_CLIPBOARD_IMAGE_PNG, WA_CLIP_KIND_DIB,
				    (const uint8_t *)"\x89PNG garbage", 12,
				    false, &out, &out_len) == -EINVAL,
	   "a broken PNG is refused");
	ok(wa_clip_data_from_client(VDP_CLIPBOARD_FILE_LIST, WA_CLIP_KIND_DIB,
				    (const uint8_t *)"x", 1, false, &out,
				    &out_len) == -EINVAL,
	   "FILE_LIST is refused");

	free(png);
	free(bmp);
	free(dib);
	free(pix);
}

int main(void)
{
	CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
	test_state_machine();
	test_formats();
	test_text();
	test_images();
	CoUninitialize();
	return tap_done();
}
