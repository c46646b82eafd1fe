/* SPDX-License-Identifier: MIT */
/*
 * The Windows agent's clipboard module on the real (wine) clipboard,
 * with a fake core: what the module sends the client, and what another
 * program (this test's own window) finds on the clipboard.  Pasting
 * from our own thread makes Windows call WM_RENDERFORMAT directly, and
 * the fake core's wait hook plays the client's answer.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "clipboard-dib.h"
#include "clipboard-image.h"
#include "clipboard.h"
#include "tap.h"
#include "vdp-build.h"
#include "vdp-util.h"
#include "vdp-validate.h"
#include "win-fake-core.h"

static struct wa_agent *core;
static struct wa_clipboard *clip;
static HWND other; /* "another program": a window of its own */
static uint32_t client_serial;

/* What the client answers to the next REQUEST (the wait hook). */
static struct {
	enum { ANSWER_DATA, ANSWER_NOTHING, ANSWER_GRAB_FIRST } how;
	const uint8_t *data;
	size_t len;
	unsigned requests;
	uint32_t last_type;
} answer;

static const struct vdp_caps *neg(void)
{
	return wa_agent_negotiated(core);
}

static bool module_wndproc(void *user, UINT msg, WPARAM wp, LPARAM lp,
			   LRESULT *result)
{
	return clip && wa_clipboard_wndproc(clip, msg, wp, lp, result);
}

static int client_grab(uint8_t sel, uint32_t serial, const uint32_t *types,
		       uint32_t n)
{
	uint8_t buf[256];
	int len = vdp_build_clipboard_grab(buf, sizeof(buf), neg(), sel,
					   serial, types, n);
	return wa_clipboard_handle(clip, VDP_MSG_CLIPBOARD_GRAB, buf,
				   (size_t)len);
}

static int grab1(uint32_t type)
{
	return client_grab(VDP_SELECTION_CLIPBOARD, client_serial++, &type, 1);
}

static int client_request(uint8_t sel, uint32_t type)
{
	uint8_t buf[VDP_BUILD_SMALL_MAX];
	int n = vdp_build_clipboard_request(buf, sizeof(buf), neg(), sel, type);
	return wa_clipboard_handle(clip, VDP_MSG_CLIPBOARD_REQUEST, buf,
				   (size_t)n);
}

static int client_data(uint32_t type, const uint8_t *data, size_t len)
{
	uint8_t *buf = malloc(VDP_BUILD_SMALL_MAX + len);
	int n = vdp_build_clipboard_header(buf, VDP_BUILD_SMALL_MAX, neg(),
					   VDP_SELECTION_CLIPBOARD, type);
	memcpy(buf + n, data, len);
	int r = wa_clipboard_handle(clip, VDP_MSG_CLIPBOARD, buf,
				    (size_t)n + len);
	free(buf);
	return r;
}

static void wait_hook(void *user)
{
	const struct fake_msg *m = fake_core_last(core);
	struct vdp_clipboard_request q;

	if (!m || m->type != VDP_MSG_CLIPBOARD_REQUEST ||
	    vdp_parse_clipboard_request(m->data, m->size, neg(), &q) < 0)
		return;
	answer.requests++;
	answer.last_type = q.type;
	if (answer.how == ANSWER_NOTHING)
		return;
	if (answer.how == ANSWER_GRAB_FIRST)
		grab1(VDP_CLIPBOARD_UTF8_TEXT);
	client_data(q.type, answer.data, answer.len);
}

/* Paste fmt as another program would: a copy of its data, or NULL. */
static uint8_t *paste(UINT fmt, size_t *len)
{
	uint8_t *copy = NULL;

	if (!OpenClipboard(other))
		return NULL;
	HANDLE h = GetClipboardData(fmt);
	if (h) {
		*len = GlobalSize(h);
		const void *p = GlobalLock(h);
		copy = malloc(*len + 1);
		memcpy(copy, p, *len);
		GlobalUnlock(h);
	}
	CloseClipboard();
	return copy;
}

/* Copy as another program would. */
static void copy_as_other(UINT fmt, const void *data, size_t len)
{
	OpenClipboard(other);
	EmptyClipboard();
	if (data) {
		HGLOBAL h = GlobalAlloc(GMEM_MOVEABLE, len);
		memcpy(GlobalLock(h), data, len);
		GlobalUnlock(h);
		SetClipboardData(fmt, h);
	}
	CloseClipboard();
	fake_core_pump();
}

/* The number of messages of type sent since the last clear. */
static unsigned sent(uint32_t type)
{
	unsigned n = 0;
	for (size_t i = 0; i < fake_core_count(core); i++)
		n += fake_core_msg(core, i)->type == type;
	return n;
}

static const struct fake_msg *last_of(uint32_t type)
{
	for (size_t i = fake_core_count(core); i > 0; i--)
		if (fake_core_msg(core, i - 1)->type == type)
			return fake_core_msg(core, i - 1);
	return NULL;
}

static bool last_data(struct vdp_clipboard *cb)
{
	const struct fake_msg *m = last_of(VDP_MSG_CLIPBOARD);
	return m && vdp_parse_clipboard(m->data, m->size, neg(), cb) == 0;
}

static void test_client_to_guest(void)
{
	size_t len = 0;
	uint8_t *got;

	fake_core_clear(core);
	is_int(grab1(VDP_CLIPBOARD_UTF8_TEXT), 0, "client grab of text");
	fake_core_pump();
	ok(GetClipboardOwner() == wa_agent_hwnd(core),
	   "the agent's window owns the clipboard");
	ok(IsClipboardFormatAvailable(CF_UNICODETEXT),
	   "CF_UNICODETEXT is announced");
	is_int(sent(VDP_MSG_CLIPBOARD_GRAB), 0,
	       "our own clipboard update is not sent back as a grab");

	static const char text[] = "h\xc3\xa9llo\nw\xe6\xbc\xa2rld\n";
	answer.how = ANSWER_DATA;
	answer.data = (const uint8_t *)text;
	answer.len = sizeof(text) - 1;
	answer.requests = 0;
	got = paste(CF_UNICODETEXT, &len);
	is_int(answer.requests, 1, "a paste asks the client once");
	is_int(answer.last_type, VDP_CLIPBOARD_UTF8_TEXT, "... for UTF8_TEXT");
	static const wchar_t want[] = L"h\x00e9llo\r\nw\x6f22rld\r\n";
	ok(got && len >= sizeof(want) && memcmp(got, want, sizeof(want)) == 0,
	   "the program pastes the client's text, CRLF for an LF client");
	free(got);
	got = paste(CF_UNICODETEXT, &len);
	is_int(answer.requests, 1, "a second paste uses the rendered data");
	free(got);
	got = paste(CF_TEXT, &len);
	ok(got && strcmp((char *)got, "h\xe9llo\r\nw?rld\r\n") == 0,
	   "Windows derives CF_TEXT from it");
	free(got);

	/* an image */
	const uint32_t w = 4, h = 2;
	uint8_t rows[4 * 2 * 4];
	for (size_t i = 0; i < sizeof(rows); i++)
		rows[i] = (uint8_t)(i * 9 | ((i % 4) == 3 ? 0xff : 0));
	uint8_t *dib = NULL, *png = NULL;
	size_t dib_len, png_len;
	wa_dib_from_bgra(rows, w, h, &dib, &dib_len);
	wa_image_png_from_dib(dib, dib_len, &png, &png_len);
	const uint32_t images[] = { VDP_CLIPBOARD_IMAGE_PNG,
				    VDP_CLIPBOARD_IMAGE_BMP };
	client_grab(VDP_SELECTION_CLIPBOARD, client_serial++, images, 2);
	fake_core_pump();
	UINT png_fmt = RegisterClipboardFormatW(L"PNG");
	ok(IsClipboardFormatAvailable(CF_DIB), "an image grab announces CF_DIB");
	ok(IsClipboardFormatAvailable(png_fmt), "... and the PNG format");
	ok(!IsClipboardFormatAvailable(CF_UNICODETEXT), "... and no text");
	answer.data = png;
	answer.len = png_len;
	answer.requests = 0;
	got = paste(CF_DIB, &len);
	is_int(answer.last_type, VDP_CLIPBOARD_IMAGE_PNG, "CF_DIB asks for PNG");
	struct wa_dib_info info;
	ok(got && wa_dib_parse(got, len, &info) == 0 && info.width == 4 &&
		   info.height == 2 &&
		   memcmp(got + 40, dib + 40, 3) == 0,
	   "the program pastes the client's PNG as a DIB");
	free(got);
	got = paste(png_fmt, &len);
	ok(got && len == png_len && memcmp(got, png, len) == 0,
	   "the PNG format holds the client's PNG as it is");
	is_int(answer.requests, 1,
	       "one request served both CF_DIB and the PNG format");
	free(got);
	free(png);
	free(dib);

	/* the client has nothing after all; then a grab during the wait */
	grab1(VDP_CLIPBOARD_UTF8_TEXT);
	answer.how = ANSWER_NOTHING;
	got = paste(CF_UNICODETEXT, &len);
	ok(!got, "no answer: the paste gets nothing, nothing hangs");
	free(got);
	grab1(VDP_CLIPBOARD_UTF8_TEXT);
	answer.how = ANSWER_GRAB_FIRST;
	answer.data = (const uint8_t *)"late";
	answer.len = 4;
	answer.requests = 0;
	got = paste(CF_UNICODETEXT, &len);
	ok(!got, "a new grab during a paste: that paste gets nothing");
	free(got);
	fake_core_pump();
	answer.how = ANSWER_DATA;
	answer.data = (const uint8_t *)"fresh";
	answer.len = 5;
	got = paste(CF_UNICODETEXT, &len);
	ok(got && memcmp(got, L"fresh", 12) == 0,
	   "the grab made during the paste holds afterwards");
	free(got);

	/* unrequested data is dropped */
	is_int(client_data(VDP_CLIPBOARD_UTF8_TEXT, (const uint8_t *)"x", 1), 0,
	       "unrequested CLIPBOARD data: dropped");

	/* release, disconnect */
	grab1(VDP_CLIPBOARD_UTF8_TEXT);
	uint8_t rel[VDP_BUILD_SMALL_MAX];
	int n = vdp_build_clipboard_release(rel, sizeof(rel), neg(),
					    VDP_SELECTION_CLIPBOARD);
	wa_clipboard_handle(clip, VDP_MSG_CLIPBOARD_RELEASE, rel, (size_t)n);
	fake_core_pump();
	ok(!IsClipboardFormatAvailable(CF_UNICODETEXT),
	   "a client release empties the clipboard");
	grab1(VDP_CLIPBOARD_UTF8_TEXT);
	fake_core_pump();
	wa_clipboard_client_disconnected(clip);
	client_serial = 0;
	fake_core_pump();
	ok(!IsClipboardFormatAvailable(CF_UNICODETEXT),
	   "a client disconnect releases its grab");
	is_int(sent(VDP_MSG_CLIPBOARD_GRAB) + sent(VDP_MSG_CLIPBOARD_RELEASE),
	       0, "nothing of the client's own grabs echoed");
}

static void test_guest_to_client(void)
{
	struct vdp_clipboard_grab g;
	struct vdp_clipboard cb;
	const struct fake_msg *m;

	fake_core_clear(core);
	static const wchar_t text[] = L"guest\r\ntext \x263a";
	copy_as_other(CF_UNICODETEXT, text, sizeof(text));
	m = last_of(VDP_MSG_CLIPBOARD_GRAB);
	ok(m && vdp_parse_clipboard_grab(m->data, m->size, neg(), &g) == 0 &&
		   g.selection == VDP_SELECTION_CLIPBOARD && g.count == 1 &&
		   g.types[0] == VDP_CLIPBOARD_UTF8_TEXT,
	   "a program's copy: GRAB of UTF8_TEXT on CLIPBOARD");
	ok(g.has_serial && g.serial == 0, "... with grab serial 0");

	client_request(VDP_SELECTION_CLIPBOARD, VDP_CLIPBOARD_UTF8_TEXT);
	ok(last_data(&cb) && cb.type == VDP_CLIPBOARD_UTF8_TEXT &&
		   cb.size == 14 &&
		   memcmp(cb.data, "guest\ntext \xe2\x98\xba", 14) == 0,
	   "the request is answered with UTF-8, LF for an LF client");
	client_request(VDP_SELECTION_CLIPBOARD, VDP_CLIPBOARD_IMAGE_PNG);
	ok(last_data(&cb) && cb.type == VDP_CLIPBOARD_NONE,
	   "a type the guest has not: NONE");

	/* the client's limit */
	uint8_t max[4];
	vdp_build_max_clipboard(max, sizeof(max), 10);
	wa_clipboard_handle(clip, VDP_MSG_MAX_CLIPBOARD, max, 4);
	client_request(VDP_SELECTION_CLIPBOARD, VDP_CLIPBOARD_UTF8_TEXT);
	ok(last_data(&cb) && cb.type == VDP_CLIPBOARD_NONE,
	   "over MAX_CLIPBOARD: NONE, never more than the limit");
	vdp_build_max_clipboard(max, sizeof(max), 0);
	wa_clipboard_handle(clip, VDP_MSG_MAX_CLIPBOARD, max, 4);

	/* an image copied by a program */
	uint8_t px[3 * 3 * 4], *dib = NULL;
	size_t dib_len;
	memset(px, 0x80, sizeof(px));
	wa_dib_from_bgra(px, 3, 3, &dib, &dib_len);
	copy_as_other(CF_DIB, dib, dib_len);
	m = last_of(VDP_MSG_CLIPBOARD_GRAB);
	ok(m && vdp_parse_clipboard_grab(m->data, m->size, neg(), &g) == 0 &&
		   g.count == 2 && g.types[0] == VDP_CLIPBOARD_IMAGE_PNG &&
		   g.types[1] == VDP_CLIPBOARD_IMAGE_BMP && g.serial == 1,
	   "an image copy: GRAB of PNG and BMP, serial 1");
	client_request(VDP_SELECTION_CLIPBOARD, VDP_CLIPBOARD_IMAGE_PNG);
	ok(last_data(&cb) && cb.type == VDP_CLIPBOARD_IMAGE_PNG &&
		   cb.size > 8 && memcmp(cb.data, "\x89PNG", 4) == 0,
	   "PNG requested: a PNG");
	client_request(VDP_SELECTION_CLIPBOARD, VDP_CLIPBOARD_IMAGE_BMP);
	ok(last_data(&cb) && cb.type == VDP_CLIPBOARD_IMAGE_BMP &&
		   cb.size == 14 + dib_len && memcmp(cb.data, "BM", 2) == 0,
	   "BMP requested: the DIB as a BMP file");
	free(dib);

	/* a PNG copied by a program (what wine makes of X's image/png) */
	uint8_t *png = NULL;
	size_t png_len;
	wa_dib_from_bgra(px, 3, 3, &dib, &dib_len);
	wa_image_png_from_dib(dib, dib_len, &png, &png_len);
	copy_as_other(RegisterClipboardFormatW(L"PNG"), png, png_len);
	m = last_of(VDP_MSG_CLIPBOARD_GRAB);
	ok(m && vdp_parse_clipboard_grab(m->data, m->size, neg(), &g) == 0 &&
		   g.count == 2 && g.types[0] == VDP_CLIPBOARD_IMAGE_PNG &&
		   g.types[1] == VDP_CLIPBOARD_IMAGE_BMP,
	   "a PNG copy: GRAB of PNG and BMP");
	client_request(VDP_SELECTION_CLIPBOARD, VDP_CLIPBOARD_IMAGE_PNG);
	ok(last_data(&cb) && cb.type == VDP_CLIPBOARD_IMAGE_PNG &&
		   cb.size == png_len && memcmp(cb.data, png, png_len) == 0,
	   "PNG requested: the program's PNG as it is");
	client_request(VDP_SELECTION_CLIPBOARD, VDP_CLIPBOARD_IMAGE_BMP);
	ok(last_data(&cb) && cb.type == VDP_CLIPBOARD_IMAGE_BMP &&
		   cb.size == 14 + dib_len && memcmp(cb.data, "BM", 2) == 0,
	   "BMP requested: the PNG decoded into a BMP");
	free(png);
	free(dib);

	/* a copy of nothing we carry */
	fake_core_clear(core);
	copy_as_other(0, NULL, 0);
	is_int(sent(VDP_MSG_CLIPBOARD_RELEASE), 1,
	       "the program empties the clipboard: RELEASE");

	/* a stale client grab, PRIMARY */
	copy_as_other(CF_UNICODETEXT, L"x", 4);
	uint32_t t = VDP_CLIPBOARD_UTF8_TEXT;
	client_grab(VDP_SELECTION_CLIPBOARD, 77, &t, 1);
	fake_core_pump();
	ok(GetClipboardOwner() == other, "a stale client grab is dropped");
	client_grab(VDP_SELECTION_PRIMARY, 0, &t, 1);
	fake_core_pump();
	ok(GetClipboardOwner() == other, "a PRIMARY grab is ignored");
	client_request(VDP_SELECTION_PRIMARY, VDP_CLIPBOARD_UTF8_TEXT);
	ok(last_data(&cb) && cb.selection == VDP_SELECTION_PRIMARY &&
		   cb.type == VDP_CLIPBOARD_NONE,
	   "a PRIMARY request: NONE on PRIMARY");
	/* a client grab with only types we do not carry; it follows our
	 * grab serial 3 (text, image, PNG, text) */
	m = last_of(VDP_MSG_CLIPBOARD_GRAB);
	ok(m && vdp_parse_clipboard_grab(m->data, m->size, neg(), &g) == 0 &&
		   g.serial == 3,
	   "the fourth guest grab has serial 3");
	client_serial = 4;
	t = VDP_CLIPBOARD_FILE_LIST;
	client_grab(VDP_SELECTION_CLIPBOARD, client_serial++, &t, 1);
	fake_core_pump();
	ok(!IsClipboardFormatAvailable(CF_UNICODETEXT),
	   "a FILE_LIST grab leaves nothing of the old copy");
}

static void test_malformed(void)
{
	uint8_t junk[3] = { 1, 2, 3 };
	ok(wa_clipboard_handle(clip, VDP_MSG_CLIPBOARD_GRAB, junk, 3) < 0,
	   "a 3-byte GRAB is refused");
	ok(wa_clipboard_handle(clip, VDP_MSG_CLIPBOARD_REQUEST, junk, 3) < 0,
	   "a 3-byte REQUEST is refused");
	ok(wa_clipboard_handle(clip, VDP_MSG_CLIPBOARD, junk, 3) < 0,
	   "a 3-byte CLIPBOARD is refused");
	ok(wa_clipboard_handle(clip, VDP_MSG_MAX_CLIPBOARD, junk, 3) < 0,
	   "a 3-byte MAX_CLIPBOARD is refused");
	uint8_t sel[4] = { 9, 0, 0, 0 };
	ok(wa_clipboard_handle(clip, VDP_MSG_CLIPBOARD_RELEASE, sel, 4) < 0,
	   "a RELEASE of selection 9 is refused");
}

static void test_exit_renders(void)
{
	size_t len = 0;

	grab1(VDP_CLIPBOARD_UTF8_TEXT);
	fake_core_pump();
	answer.how = ANSWER_DATA;
	answer.data = (const uint8_t *)"kept";
	answer.len = 4;
	wa_clipboard_free(clip);
	clip = NULL;
	uint8_t *got = paste(CF_UNICODETEXT, &len);
	ok(got && memcmp(got, L"kept", 10) == 0,
	   "the client's data outlives the module");
	free(got);
}

int main(void)
{
	static const unsigned caps[] = {
		VDP_CAP_CLIPBOARD_BY_DEMAND, VDP_CAP_CLIPBOARD_SELECTION,
		VDP_CAP_CLIPBOARD_GRAB_SERIAL, VDP_CAP_MAX_CLIPBOARD,
		VDP_CAP_GUEST_LINEEND_LF,
	};

	core = fake_core_new();
	other = CreateWindowExW(0, L"STATIC", L"other", 0, 0, 0, 0, 0,
				HWND_MESSAGE, NULL, NULL, NULL);
	if (!core || !other) {
		printf("Bail out! no window\n");
		return 1;
	}
	fake_core_set_client_caps(core, caps, ARRAY_LENGTH(caps));
	fake_core_set_wndproc(core, module_wndproc, NULL);
	fake_core_set_wait_hook(core, wait_hook, NULL);
	clip = wa_clipboard_new(core);
	if (!ok(clip != NULL, "the module starts"))
		return tap_done();
	fake_core_pump();

	test_client_to_guest();
	test_guest_to_client();
	test_malformed();
	test_exit_renders();

	DestroyWindow(other);
	fake_core_free(core);
	return tap_done();
}
