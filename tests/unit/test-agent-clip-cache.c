/* SPDX-License-Identifier: MIT */
/* vdagent/clip-cache.c: the client's side of a selection, shared by the
 * X11 and Wayland clipboards. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "clip-cache.h"
#include "tap.h"

static uint8_t *dup(const char *s, size_t n)
{
	uint8_t *p = malloc(n ? n : 1);
	memcpy(p, s, n);
	return p;
}

int main(void)
{
	struct clip_cache c = { 0 };
	const uint32_t text_png[] = { VDP_CLIPBOARD_UTF8_TEXT,
				      VDP_CLIPBOARD_IMAGE_PNG,
				      VDP_CLIPBOARD_FILE_LIST, 99 };
	const uint32_t files[] = { VDP_CLIPBOARD_FILE_LIST };

	ok(!clip_cache_grab(&c, files, 1), "a grab of file lists only: none");
	ok(clip_cache_grab(&c, text_png, 4), "a grab of text and PNG");
	ok(c.has[VDP_CLIPBOARD_UTF8_TEXT] && c.has[VDP_CLIPBOARD_IMAGE_PNG] &&
	   !c.has[VDP_CLIPBOARD_FILE_LIST], "... text and PNG noted, files not");

	ok(clip_cache_ask(&c, VDP_CLIPBOARD_UTF8_TEXT), "first ask: REQUEST");
	ok(!clip_cache_ask(&c, VDP_CLIPBOARD_UTF8_TEXT), "second ask: none");
	ok(!clip_cache_ask(&c, 99), "an unknown type is never asked");

	is_int(clip_cache_data(&c, VDP_CLIPBOARD_IMAGE_PNG, dup("x", 1), 1,
			       false),
	       VDP_CLIPBOARD_NONE, "data of a type not asked: a refusal");
	ok(!c.failed[VDP_CLIPBOARD_UTF8_TEXT], "... which fails nothing asked");

	uint8_t *t = dup("a\r\nb\r\n\0\0", 8);
	is_int(clip_cache_data(&c, VDP_CLIPBOARD_UTF8_TEXT, t, 8, true),
	       VDP_CLIPBOARD_UTF8_TEXT, "text cached");
	ok(c.cached[VDP_CLIPBOARD_UTF8_TEXT] &&
	   c.len[VDP_CLIPBOARD_UTF8_TEXT] == 4 &&
	   memcmp(c.data[VDP_CLIPBOARD_UTF8_TEXT], "a\nb\n", 4) == 0,
	   "... NULs stripped, CRLF -> LF");

	ok(clip_cache_ask(&c, VDP_CLIPBOARD_IMAGE_PNG), "PNG asked");
	is_int(clip_cache_data(&c, VDP_CLIPBOARD_NONE, NULL, 0, false),
	       VDP_CLIPBOARD_NONE, "a NONE answer");
	ok(c.failed[VDP_CLIPBOARD_IMAGE_PNG] &&
	   !c.failed[VDP_CLIPBOARD_UTF8_TEXT],
	   "... fails what was asked and not cached only");

	ok(clip_cache_grab(&c, text_png, 2), "a new grab");
	ok(!c.cached[VDP_CLIPBOARD_UTF8_TEXT] &&
	   !c.failed[VDP_CLIPBOARD_IMAGE_PNG] && !c.data[VDP_CLIPBOARD_UTF8_TEXT],
	   "... forgets the data and the failures");
	clip_cache_ask(&c, VDP_CLIPBOARD_IMAGE_PNG);
	clip_cache_fail_pending(&c);
	ok(c.failed[VDP_CLIPBOARD_IMAGE_PNG] &&
	   !c.failed[VDP_CLIPBOARD_UTF8_TEXT], "a timeout fails what is pending");
	clip_cache_clear(&c);
	return tap_done();
}
