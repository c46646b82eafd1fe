/* SPDX-License-Identifier: MIT */
/*
 * Builders: exact bytes for the capability-dependent layouts, argument and
 * space errors, and for each of the 16 message types the round trip
 * build -> vdp_encode_append -> decoder -> validator, comparing the view
 * with what was built.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "vdp-build.h"
#include "vdp-decoder.h"
#include "vdp-encoder.h"
#include "vdp-util.h"
#include "vdp-validate.h"

/* ---- round trip through the encoder and the decoder ----------------------- */

struct got {
	int count;
	uint32_t port;
	uint32_t type;
	uint64_t opaque;
	uint8_t *data;
	size_t size;
};

static int on_message(void *user, const struct vdp_message *msg)
{
	struct got *g = user;

	g->count++;
	free(g->data);
	g->port = msg->port;
	g->type = msg->type;
	g->opaque = msg->opaque;
	g->size = msg->size;
	g->data = malloc(msg->size ? msg->size : 1);
	if (!g->data)
		return -1;
	if (msg->size)
		memcpy(g->data, msg->data, msg->size);
	return 0;
}

/*
 * Encode the pieces as one message, decode the stream, and check that
 * exactly that message comes out.  The payload lands in g->data.
 */
static int roundtrip(uint32_t port, uint32_t type,
		     const struct vdp_iov *pieces, int npieces, struct got *g)
{
	uint8_t *stream = NULL;
	size_t len = 0;
	struct vdp_decoder *d;
	int r;

	free(g->data);
	*g = (struct got){ 0 };
	r = vdp_encode_append(&stream, &len, port, type, 0x1122334455667788ULL,
			      pieces, npieces);
	if (r < 0) {
		diag("encode: %d", r);
		free(stream);
		return r;
	}
	d = vdp_decoder_new(16 * 1024 * 1024);
	if (!d) {
		free(stream);
		return -ENOMEM;
	}
	r = vdp_decoder_feed(d, stream, len, on_message, g);
	vdp_decoder_free(d);
	free(stream);
	if (r != VDP_DECODE_OK) {
		diag("decode: %s", vdp_decode_strerror(r));
		return -EIO;
	}
	if (g->count != 1 || g->port != port || g->type != type ||
	    g->opaque != 0x1122334455667788ULL) {
		diag("decoded %d messages, port %u type %u", g->count, g->port,
		     g->type);
		return -EIO;
	}
	return 0;
}

static int roundtrip1(uint32_t port, uint32_t type, const void *buf,
		      int len, struct got *g)
{
	struct vdp_iov iov = { buf, len > 0 ? (size_t)len : 0 };

	if (len < 0)
		return len;
	return roundtrip(port, type, &iov, 1, g);
}

static struct got g;
static uint8_t buf[128 * 1024];

static struct vdp_caps caps_none, caps_sel, caps_serial, caps_both;

static void setup_caps(void)
{
	vdp_caps_clear_all(&caps_none);
	vdp_caps_clear_all(&caps_sel);
	vdp_caps_clear_all(&caps_serial);
	vdp_caps_clear_all(&caps_both);
	vdp_caps_set(&caps_sel, VDP_CAP_CLIPBOARD_SELECTION);
	vdp_caps_set(&caps_serial, VDP_CAP_CLIPBOARD_GRAB_SERIAL);
	vdp_caps_set(&caps_both, VDP_CAP_CLIPBOARD_SELECTION);
	vdp_caps_set(&caps_both, VDP_CAP_CLIPBOARD_GRAB_SERIAL);
}

/* ---- the 16 message types ----------------------------------------------------- */

static void rt_mouse_state(void)
{
	struct vdp_mouse_state in = { 1234, 0xfffffff0u, VDP_BUTTON_RIGHT, 2 };
	struct vdp_mouse_state out;
	int n = vdp_build_mouse_state(buf, sizeof(buf), &in);

	is_int(n, 13, "MOUSE_STATE: 13 bytes");
	ok(roundtrip1(VDP_PORT_SERVER, VDP_MSG_MOUSE_STATE, buf, n, &g) == 0 &&
		   vdp_parse_mouse_state(g.data, g.size, &out) == 0 &&
		   out.x == in.x && out.y == in.y &&
		   out.buttons == in.buttons &&
		   out.display_id == in.display_id,
	   "MOUSE_STATE: round trip");
}

static void rt_monitors_config(void)
{
	static struct vdp_monitors_config in, out;
	int n, same = 1;

	memset(&in, 0, sizeof(in));
	in.flags = VDP_MONITORS_FLAG_USE_POS | VDP_MONITORS_FLAG_PHYSICAL_SIZE;
	in.count = 16;
	in.mon[0] = (struct vdp_monitor){ 1920, 1080, 32, 0, 0, 600, 340, true };
	in.mon[1] = (struct vdp_monitor){ 1280, 1024, 32, -1280, 56, 380, 300, true };
	n = vdp_build_monitors_config(buf, sizeof(buf), &in);
	is_int(n, 8 + 16 * 24, "MONITORS_CONFIG: 16 with mm, 392 bytes");
	ok(roundtrip1(VDP_PORT_CLIENT, VDP_MSG_MONITORS_CONFIG, buf, n, &g) ==
			   0 &&
		   vdp_parse_monitors_config(g.data, g.size, &out) == 0,
	   "MONITORS_CONFIG: round trip");
	for (int i = 0; i < 16; i++) {
		const struct vdp_monitor *a = &in.mon[i], *b = &out.mon[i];

		if (a->width != b->width || a->height != b->height ||
		    a->depth != b->depth || a->x != b->x || a->y != b->y ||
		    a->width_mm != b->width_mm ||
		    a->height_mm != b->height_mm || b->enabled != (i < 2))
			same = 0;
	}
	ok(same && out.count == 16 && out.flags == in.flags,
	   "MONITORS_CONFIG: all 16 entries equal, 2 enabled");

	in.flags = 0;
	in.count = 2;
	n = vdp_build_monitors_config(buf, sizeof(buf), &in);
	is_int(n, 8 + 2 * 20, "MONITORS_CONFIG: no mm array without flag");
	ok(vdp_parse_monitors_config(buf, (size_t)n, &out) == 0 &&
		   out.mon[1].x == -1280 && out.mon[1].width_mm == 0,
	   "MONITORS_CONFIG: no flag parses, mm zero");

	in.count = 0;
	is_int(vdp_build_monitors_config(buf, sizeof(buf), &in), -EINVAL,
	       "MONITORS_CONFIG: count 0 refused");
	in.count = VDP_MONITORS_MAX + 1;
	is_int(vdp_build_monitors_config(buf, sizeof(buf), &in), -EINVAL,
	       "MONITORS_CONFIG: count max+1 refused");
	in.count = 2;
	is_int(vdp_build_monitors_config(buf, 47, &in), -ENOSPC,
	       "MONITORS_CONFIG: one byte short of room");
	is_int(vdp_build_monitors_config(NULL, 0, &in), 48,
	       "MONITORS_CONFIG: length query");
}

static void rt_reply(void)
{
	struct vdp_reply out;
	int n = vdp_build_reply(buf, sizeof(buf), VDP_MSG_MONITORS_CONFIG,
				VDP_REPLY_ERROR);

	is_int(n, 8, "REPLY: 8 bytes");
	ok(roundtrip1(VDP_PORT_CLIENT, VDP_MSG_REPLY, buf, n, &g) == 0 &&
		   vdp_parse_reply(g.data, g.size, &out) == 0 &&
		   out.type == VDP_MSG_MONITORS_CONFIG &&
		   out.error == VDP_REPLY_ERROR,
	   "REPLY: round trip");
	is_int(vdp_build_reply(buf, 7, 1, 1), -ENOSPC, "REPLY: no room");
}

static void rt_clipboard(void)
{
	static const char text[] = "clipboard text \xc3\xa9";
	struct vdp_clipboard out;
	uint8_t hdr[VDP_BUILD_SMALL_MAX];
	struct vdp_iov iov[2];
	int n;

	/* a large payload crossing many chunks, passed as a second piece */
	size_t big_len = 100000;
	uint8_t *big = malloc(big_len);
	for (size_t i = 0; i < big_len; i++)
		big[i] = (uint8_t)(i * 7);

	n = vdp_build_clipboard_header(hdr, sizeof(hdr), &caps_sel,
				       VDP_SELECTION_PRIMARY,
				       VDP_CLIPBOARD_IMAGE_PNG);
	is_int(n, 8, "CLIPBOARD: header with prefix, 8 bytes");
	iov[0] = (struct vdp_iov){ hdr, (size_t)n };
	iov[1] = (struct vdp_iov){ big, big_len };
	ok(roundtrip(VDP_PORT_CLIENT, VDP_MSG_CLIPBOARD, iov, 2, &g) == 0 &&
		   vdp_parse_clipboard(g.data, g.size, &caps_sel, &out) == 0 &&
		   out.selection == VDP_SELECTION_PRIMARY &&
		   out.type == VDP_CLIPBOARD_IMAGE_PNG &&
		   out.size == big_len && memcmp(out.data, big, big_len) == 0,
	   "CLIPBOARD: 100000 bytes with prefix round trip");
	free(big);

	n = vdp_build_clipboard_header(hdr, sizeof(hdr), &caps_none,
				       VDP_SELECTION_CLIPBOARD,
				       VDP_CLIPBOARD_UTF8_TEXT);
	is_int(n, 4, "CLIPBOARD: header without prefix, 4 bytes");
	iov[0] = (struct vdp_iov){ hdr, (size_t)n };
	iov[1] = (struct vdp_iov){ text, strlen(text) };
	ok(roundtrip(VDP_PORT_CLIENT, VDP_MSG_CLIPBOARD, iov, 2, &g) == 0 &&
		   vdp_parse_clipboard(g.data, g.size, &caps_none, &out) == 0 &&
		   out.selection == 0 && out.type == VDP_CLIPBOARD_UTF8_TEXT &&
		   out.size == strlen(text) &&
		   memcmp(out.data, text, out.size) == 0,
	   "CLIPBOARD: text without prefix round trip");

	is_int(vdp_build_clipboard_header(hdr, sizeof(hdr), &caps_none,
					  VDP_SELECTION_PRIMARY, 1),
	       -EINVAL, "CLIPBOARD: PRIMARY without the selection cap");
	is_int(vdp_build_clipboard_header(hdr, sizeof(hdr), &caps_sel,
					  VDP_SELECTION_END, 1),
	       -EINVAL, "CLIPBOARD: selection out of range");
	is_int(vdp_build_clipboard_header(hdr, 7, &caps_sel, 0, 1), -ENOSPC,
	       "CLIPBOARD: no room");
}

static void rt_display_config(void)
{
	struct vdp_display_config in = { VDP_DISPLAY_FLAG_DISABLE_ANIMATION,
					 24 };
	struct vdp_display_config out;
	int n = vdp_build_display_config(buf, sizeof(buf), &in);

	is_int(n, 8, "DISPLAY_CONFIG: 8 bytes");
	ok(roundtrip1(VDP_PORT_CLIENT, VDP_MSG_DISPLAY_CONFIG, buf, n, &g) ==
			   0 &&
		   vdp_parse_display_config(g.data, g.size, &out) == 0 &&
		   out.flags == in.flags && out.depth == in.depth,
	   "DISPLAY_CONFIG: round trip");
}

static void rt_capabilities(void)
{
	struct vdp_caps in;
	struct vdp_capabilities out;
	int n;

	vdp_caps_clear_all(&in);
	vdp_caps_set(&in, VDP_CAP_MONITORS_CONFIG);
	vdp_caps_set(&in, VDP_CAP_CLIPBOARD_SELECTION);
	vdp_caps_set(&in, VDP_CAP_CLIPBOARD_GRAB_SERIAL);
	n = vdp_build_capabilities(buf, sizeof(buf), true, &in);
	is_int(n, 4 + 4 * VDP_CAPS_WORDS, "ANNOUNCE_CAPABILITIES: length");
	is_int(vdp_get_le32(buf + 4),
	       (1u << 1) | (1u << 6) | (1u << 17),
	       "ANNOUNCE_CAPABILITIES: bit layout of word 0");
	ok(roundtrip1(VDP_PORT_CLIENT, VDP_MSG_ANNOUNCE_CAPABILITIES, buf, n,
		      &g) == 0 &&
		   vdp_parse_capabilities(g.data, g.size, &out) == 0 &&
		   out.request && memcmp(&out.caps, &in, sizeof(in)) == 0,
	   "ANNOUNCE_CAPABILITIES: round trip");
	n = vdp_build_capabilities(buf, sizeof(buf), false, &in);
	ok(vdp_parse_capabilities(buf, (size_t)n, &out) == 0 && !out.request,
	   "ANNOUNCE_CAPABILITIES: request false");
}

static void rt_clipboard_grab(void)
{
	static const uint32_t types[] = { VDP_CLIPBOARD_UTF8_TEXT,
					  VDP_CLIPBOARD_IMAGE_PNG, 0x77 };
	static const uint8_t both_bytes[] = {
		1, 0, 0, 0,               /* PRIMARY, reserved */
		0x2a, 0, 0, 0,            /* serial 42 */
		1, 0, 0, 0, 2, 0, 0, 0, 0x77, 0, 0, 0,
	};
	struct vdp_clipboard_grab out;
	int n;

	n = vdp_build_clipboard_grab(buf, sizeof(buf), &caps_both,
				     VDP_SELECTION_PRIMARY, 42, types, 3);
	is_int(n, sizeof(both_bytes), "CLIPBOARD_GRAB: prefix+serial length");
	is_mem(buf, both_bytes, sizeof(both_bytes),
	       "CLIPBOARD_GRAB: prefix+serial bytes");
	ok(roundtrip1(VDP_PORT_SERVER, VDP_MSG_CLIPBOARD_GRAB, buf, n, &g) ==
			   0 &&
		   vdp_parse_clipboard_grab(g.data, g.size, &caps_both, &out) ==
			   0 &&
		   out.selection == 1 && out.has_serial && out.serial == 42 &&
		   out.count == 3 && out.types[2] == 0x77,
	   "CLIPBOARD_GRAB: round trip with both caps");

	n = vdp_build_clipboard_grab(buf, sizeof(buf), &caps_serial, 0, 9,
				     types, 1);
	is_int(n, 8, "CLIPBOARD_GRAB: serial only, 8 bytes");
	ok(vdp_parse_clipboard_grab(buf, (size_t)n, &caps_serial, &out) == 0 &&
		   out.serial == 9 && out.count == 1,
	   "CLIPBOARD_GRAB: serial only parses");
	n = vdp_build_clipboard_grab(buf, sizeof(buf), &caps_sel, 2, 9, types,
				     2);
	is_int(n, 12, "CLIPBOARD_GRAB: prefix only, 12 bytes");
	ok(vdp_parse_clipboard_grab(buf, (size_t)n, &caps_sel, &out) == 0 &&
		   out.selection == 2 && !out.has_serial && out.count == 2,
	   "CLIPBOARD_GRAB: prefix only parses");
	n = vdp_build_clipboard_grab(buf, sizeof(buf), NULL, 0, 9, types, 3);
	is_int(n, 12, "CLIPBOARD_GRAB: no caps, types only");

	is_int(vdp_build_clipboard_grab(buf, sizeof(buf), &caps_serial,
					VDP_SELECTION_PRIMARY, 0, types, 1),
	       -EINVAL, "CLIPBOARD_GRAB: PRIMARY without selection cap");
	is_int(vdp_build_clipboard_grab(buf, sizeof(buf), &caps_both, 0, 0,
					types, VDP_CLIPBOARD_TYPES_MAX + 1),
	       -EINVAL, "CLIPBOARD_GRAB: too many types");
	is_int(vdp_build_clipboard_grab(buf, sizeof(buf), &caps_both, 0, 0,
					NULL, 1),
	       -EINVAL, "CLIPBOARD_GRAB: NULL types");
	is_int(vdp_build_clipboard_grab(buf, 19, &caps_both, 1, 42, types, 3),
	       -ENOSPC, "CLIPBOARD_GRAB: one byte short");
	is_int(vdp_build_clipboard_grab(NULL, 0, &caps_both, 1, 42, types, 3),
	       20, "CLIPBOARD_GRAB: length query");
}

static void rt_clipboard_request(void)
{
	struct vdp_clipboard_request out;
	int n = vdp_build_clipboard_request(buf, sizeof(buf), &caps_both,
					    VDP_SELECTION_SECONDARY,
					    VDP_CLIPBOARD_IMAGE_BMP);

	is_int(n, 8, "CLIPBOARD_REQUEST: 8 bytes with prefix");
	ok(roundtrip1(VDP_PORT_CLIENT, VDP_MSG_CLIPBOARD_REQUEST, buf, n,
		      &g) == 0 &&
		   vdp_parse_clipboard_request(g.data, g.size, &caps_both,
					       &out) == 0 &&
		   out.selection == 2 && out.type == VDP_CLIPBOARD_IMAGE_BMP,
	   "CLIPBOARD_REQUEST: round trip");
	is_int(vdp_build_clipboard_request(buf, sizeof(buf), &caps_serial, 0,
					   1),
	       4, "CLIPBOARD_REQUEST: 4 bytes without prefix");
}

static void rt_clipboard_release(void)
{
	struct vdp_clipboard_release out;
	int n = vdp_build_clipboard_release(buf, sizeof(buf), &caps_sel,
					    VDP_SELECTION_PRIMARY);

	is_int(n, 4, "CLIPBOARD_RELEASE: 4 bytes with prefix");
	ok(roundtrip1(VDP_PORT_CLIENT, VDP_MSG_CLIPBOARD_RELEASE, buf, n,
		      &g) == 0 &&
		   vdp_parse_clipboard_release(g.data, g.size, &caps_sel,
					       &out) == 0 &&
		   out.selection == 1,
	   "CLIPBOARD_RELEASE: round trip");
	n = vdp_build_clipboard_release(buf, sizeof(buf), &caps_none, 0);
	is_int(n, 0, "CLIPBOARD_RELEASE: empty without prefix");
	ok(roundtrip1(VDP_PORT_CLIENT, VDP_MSG_CLIPBOARD_RELEASE, buf, n,
		      &g) == 0 &&
		   g.size == 0 &&
		   vdp_parse_clipboard_release(g.data, g.size, &caps_none,
					       &out) == 0,
	   "CLIPBOARD_RELEASE: empty round trip");
	is_int(vdp_build_clipboard_release(buf, sizeof(buf), &caps_none, 1),
	       -EINVAL, "CLIPBOARD_RELEASE: PRIMARY without cap");
}

static void rt_xfer_start(void)
{
	struct vdp_xfer_start out;
	char name[VDP_XFER_NAME_MAX];
	char text[256];
	uint64_t size;
	int n;

	n = vdp_build_xfer_start(buf, sizeof(buf), 17, " my\\file\tname.txt",
				 987654321ULL);
	ok(n > 0, "FILE_XFER_START: built (%d)", n);
	ok(roundtrip1(VDP_PORT_CLIENT, VDP_MSG_FILE_XFER_START, buf, n, &g) ==
			   0 &&
		   vdp_parse_xfer_start(g.data, g.size, &out) == 0 &&
		   out.id == 17 && g.data[g.size - 1] == '\0',
	   "FILE_XFER_START: round trip, NUL sent");
	ok(vdp_xfer_keyfile_parse(out.keyfile, out.keyfile_len, name,
				  sizeof(name), &size) == 0 &&
		   streq(name, " my\\file\tname.txt") && size == 987654321ULL,
	   "FILE_XFER_START: key file round trip with escapes");

	n = vdp_xfer_keyfile_format(text, sizeof(text), " a\\b\nc d\r",
				    5);
	ok(n > 0 && streq(text, "[vdagent-file-xfer]\nname=\\sa\\\\b\\nc "
				"d\\r\nsize=5\n"),
	   "keyfile format: GKeyFile escaping");
	is_int(n, strlen(text), "keyfile format: length without NUL");
	is_int(vdp_xfer_keyfile_format(text, (size_t)n, " a\\b\nc d\r", 5),
	       -ENOSPC, "keyfile format: no room for the NUL");
	is_int(vdp_xfer_keyfile_format(NULL, 0, "x", 18446744073709551615ULL),
	       (int)strlen("[vdagent-file-xfer]\nname=x\n"
			   "size=18446744073709551615\n"),
	       "keyfile format: length query, u64 max");
	is_int(vdp_xfer_keyfile_format(text, sizeof(text), "", 1), -EINVAL,
	       "keyfile format: empty name");
	is_int(vdp_xfer_keyfile_format(text, sizeof(text), "a\xff", 1),
	       -EINVAL, "keyfile format: bad UTF-8 name");

	n = vdp_build_xfer_start_raw(buf, sizeof(buf), 3, "abc", 3);
	is_int(n, 7, "FILE_XFER_START raw: 4 + 3 bytes");
	ok(vdp_parse_xfer_start(buf, (size_t)n, &out) == 0 &&
		   out.keyfile_len == 3,
	   "FILE_XFER_START raw: parses");

	/* a name that makes the text exceed the bound */
	size_t long_len = VDP_XFER_START_TEXT_MAX;
	char *long_name = malloc(long_len + 1);
	memset(long_name, 'n', long_len);
	long_name[long_len] = '\0';
	is_int(vdp_build_xfer_start(buf, sizeof(buf), 1, long_name, 1), -E2BIG,
	       "FILE_XFER_START: text over the bound");
	free(long_name);
}

static void rt_xfer_status(void)
{
	struct vdp_xfer_status_msg in = { 0 }, out;
	int n;

	in.id = 4;
	in.result = VDP_XFER_STATUS_ERROR;
	in.detail = VDP_XFER_DETAIL_ERROR;
	in.error_type = VDP_XFER_ERROR_GLIB_IO;
	in.error_code = 21;
	n = vdp_build_xfer_status(buf, sizeof(buf), &in);
	is_int(n, 13, "FILE_XFER_STATUS: ERROR detail, 13 bytes");
	ok(roundtrip1(VDP_PORT_CLIENT, VDP_MSG_FILE_XFER_STATUS, buf, n, &g) ==
			   0 &&
		   vdp_parse_xfer_status(g.data, g.size, &out) == 0 &&
		   out.id == 4 && out.result == VDP_XFER_STATUS_ERROR &&
		   out.detail == VDP_XFER_DETAIL_ERROR &&
		   out.error_code == 21,
	   "FILE_XFER_STATUS: round trip with error detail");

	in.result = VDP_XFER_STATUS_NOT_ENOUGH_SPACE;
	in.detail = VDP_XFER_DETAIL_NO_SPACE;
	in.disk_free_space = 1ULL << 40;
	n = vdp_build_xfer_status(buf, sizeof(buf), &in);
	is_int(n, 16, "FILE_XFER_STATUS: NO_SPACE detail, 16 bytes");
	ok(vdp_parse_xfer_status(buf, (size_t)n, &out) == 0 &&
		   out.detail == VDP_XFER_DETAIL_NO_SPACE &&
		   out.disk_free_space == 1ULL << 40,
	   "FILE_XFER_STATUS: free space parses");

	in.result = VDP_XFER_STATUS_SUCCESS;
	in.detail = VDP_XFER_DETAIL_NONE;
	n = vdp_build_xfer_status(buf, sizeof(buf), &in);
	is_int(n, 8, "FILE_XFER_STATUS: plain, 8 bytes");
	in.detail = VDP_XFER_DETAIL_ERROR;
	is_int(vdp_build_xfer_status(buf, sizeof(buf), &in), -EINVAL,
	       "FILE_XFER_STATUS: error detail on SUCCESS refused");
	in.detail = VDP_XFER_DETAIL_NO_SPACE;
	is_int(vdp_build_xfer_status(buf, sizeof(buf), &in), -EINVAL,
	       "FILE_XFER_STATUS: space detail on SUCCESS refused");
}

/* vdp_xfer_status_for_peer(): what a peer without detailed errors gets */
static void xfer_status_for_peer(void)
{
	struct vdp_xfer_status_msg s = {
		.result = VDP_XFER_STATUS_NOT_ENOUGH_SPACE,
		.detail = VDP_XFER_DETAIL_NO_SPACE,
		.disk_free_space = 5,
	};
	vdp_xfer_status_for_peer(&s, true);
	ok(s.result == VDP_XFER_STATUS_NOT_ENOUGH_SPACE &&
		   s.detail == VDP_XFER_DETAIL_NO_SPACE,
	   "status for peer: detailed peer keeps NOT_ENOUGH_SPACE");
	vdp_xfer_status_for_peer(&s, false);
	ok(s.result == VDP_XFER_STATUS_ERROR && s.detail == VDP_XFER_DETAIL_NONE,
	   "status for peer: plain ERROR without detailed errors");
	s = (struct vdp_xfer_status_msg){ .result = VDP_XFER_STATUS_CANCELLED };
	vdp_xfer_status_for_peer(&s, false);
	is_int(s.result, VDP_XFER_STATUS_CANCELLED,
	       "status for peer: CANCELLED kept");
	s = (struct vdp_xfer_status_msg){ .result = VDP_XFER_STATUS_SUCCESS,
					  .detail = VDP_XFER_DETAIL_ERROR };
	vdp_xfer_status_for_peer(&s, true);
	ok(s.detail == VDP_XFER_DETAIL_NONE &&
		   vdp_build_xfer_status(buf, sizeof(buf), &s) == 8,
	   "status for peer: a detail that does not fit is dropped");
}

static void rt_xfer_data(void)
{
	static uint8_t data[5000];
	struct vdp_xfer_data out;
	uint8_t hdr[VDP_BUILD_SMALL_MAX];
	struct vdp_iov iov[2];
	int n;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i ^ 0x5a);
	n = vdp_build_xfer_data_header(hdr, sizeof(hdr), 8, sizeof(data));
	is_int(n, 12, "FILE_XFER_DATA: 12-byte header");
	iov[0] = (struct vdp_iov){ hdr, (size_t)n };
	iov[1] = (struct vdp_iov){ data, sizeof(data) };
	ok(roundtrip(VDP_PORT_CLIENT, VDP_MSG_FILE_XFER_DATA, iov, 2, &g) ==
			   0 &&
		   vdp_parse_xfer_data(g.data, g.size, &out) == 0 &&
		   out.id == 8 && out.size == sizeof(data) &&
		   memcmp(out.data, data, sizeof(data)) == 0,
	   "FILE_XFER_DATA: round trip of 5000 bytes");
	is_int(vdp_build_xfer_data_header(hdr, 11, 8, 1), -ENOSPC,
	       "FILE_XFER_DATA: no room");
}

static void rt_client_disconnected(void)
{
	int n = vdp_build_client_disconnected(buf, sizeof(buf));

	is_int(n, 0, "CLIENT_DISCONNECTED: empty");
	ok(roundtrip(VDP_PORT_SERVER, VDP_MSG_CLIENT_DISCONNECTED, NULL, 0,
		     &g) == 0 &&
		   vdp_parse_client_disconnected(g.data, g.size) == 0,
	   "CLIENT_DISCONNECTED: round trip");
}

static void rt_max_clipboard(void)
{
	struct vdp_max_clipboard out;
	int n = vdp_build_max_clipboard(buf, sizeof(buf), -1);

	is_int(n, 4, "MAX_CLIPBOARD: 4 bytes");
	ok(roundtrip1(VDP_PORT_CLIENT, VDP_MSG_MAX_CLIPBOARD, buf, n, &g) ==
			   0 &&
		   vdp_parse_max_clipboard(g.data, g.size, &out) == 0 &&
		   out.max == -1,
	   "MAX_CLIPBOARD: round trip of -1");
	n = vdp_build_max_clipboard(buf, sizeof(buf), 104857600);
	ok(vdp_parse_max_clipboard(buf, (size_t)n, &out) == 0 &&
		   out.max == 104857600,
	   "MAX_CLIPBOARD: 100 MiB");
}

static void rt_volume_sync(void)
{
	static struct vdp_volume_sync in, out;
	int n;

	in.is_playback = true;
	in.mute = true;
	in.nchannels = 2;
	in.volume[0] = 65535;
	in.volume[1] = 1;
	n = vdp_build_volume_sync(buf, sizeof(buf), &in);
	is_int(n, 7, "AUDIO_VOLUME_SYNC: 3 + 2*2 bytes");
	ok(roundtrip1(VDP_PORT_CLIENT, VDP_MSG_AUDIO_VOLUME_SYNC, buf, n, &g) ==
			   0 &&
		   vdp_parse_volume_sync(g.data, g.size, &out) == 0 &&
		   out.is_playback && out.mute && out.nchannels == 2 &&
		   out.volume[0] == 65535 && out.volume[1] == 1,
	   "AUDIO_VOLUME_SYNC: round trip");
	is_int(vdp_build_volume_sync(buf, 6, &in), -ENOSPC,
	       "AUDIO_VOLUME_SYNC: no room");
}

static void rt_graphics_device_info(void)
{
	static struct vdp_graphics_device_info in, out;
	char big[VDP_DEVICE_ADDRESS_MAX + 1];
	int n;

	in.count = 2;
	in.entry[0] = (struct vdp_device_display){ 0, 0, 1, "pci/0000/02.0" };
	in.entry[1] = (struct vdp_device_display){ 1, 3, 2, "" };
	n = vdp_build_graphics_device_info(buf, sizeof(buf), &in);
	is_int(n, 4 + 16 + 14 + 16 + 1, "GRAPHICS_DEVICE_INFO: length");
	ok(roundtrip1(VDP_PORT_CLIENT, VDP_MSG_GRAPHICS_DEVICE_INFO, buf, n,
		      &g) == 0 &&
		   vdp_parse_graphics_device_info(g.data, g.size, &out) == 0 &&
		   out.count == 2 && out.entry[0].device_display_id == 1 &&
		   streq(out.entry[0].address, "pci/0000/02.0") &&
		   out.entry[1].monitor_id == 3 &&
		   streq(out.entry[1].address, ""),
	   "GRAPHICS_DEVICE_INFO: round trip");

	memset(big, 'a', sizeof(big));
	big[VDP_DEVICE_ADDRESS_MAX - 1] = '\0';
	in.count = 1;
	in.entry[0].address = big;
	n = vdp_build_graphics_device_info(buf, sizeof(buf), &in);
	ok(n > 0 && vdp_parse_graphics_device_info(buf, (size_t)n, &out) == 0,
	   "GRAPHICS_DEVICE_INFO: longest address round trip");
	big[VDP_DEVICE_ADDRESS_MAX - 1] = 'a';
	big[VDP_DEVICE_ADDRESS_MAX] = '\0';
	is_int(vdp_build_graphics_device_info(buf, sizeof(buf), &in), -EINVAL,
	       "GRAPHICS_DEVICE_INFO: address too long refused");
	in.entry[0].address = NULL;
	is_int(vdp_build_graphics_device_info(buf, sizeof(buf), &in), -EINVAL,
	       "GRAPHICS_DEVICE_INFO: NULL address refused");
	in.count = VDP_DEVICE_DISPLAYS_MAX + 1;
	is_int(vdp_build_graphics_device_info(buf, sizeof(buf), &in), -EINVAL,
	       "GRAPHICS_DEVICE_INFO: too many entries refused");
	in.count = 0;
	is_int(vdp_build_graphics_device_info(buf, 3, &in), -ENOSPC,
	       "GRAPHICS_DEVICE_INFO: no room");
}

/* Every builder answers a length query with what it then writes. */
static void test_length_queries(void)
{
	struct vdp_mouse_state m = { 0 };
	struct vdp_display_config d = { 0 };
	struct vdp_caps c;
	struct vdp_xfer_status_msg s = { .result = 2,
					 .detail = VDP_XFER_DETAIL_ERROR };

	vdp_caps_clear_all(&c);
	ok(vdp_build_mouse_state(NULL, 0, &m) ==
			   vdp_build_mouse_state(buf, sizeof(buf), &m) &&
		   vdp_build_display_config(NULL, 0, &d) ==
			   vdp_build_display_config(buf, sizeof(buf), &d) &&
		   vdp_build_capabilities(NULL, 0, 0, &c) ==
			   vdp_build_capabilities(buf, sizeof(buf), 0, &c) &&
		   vdp_build_reply(NULL, 0, 1, 1) == 8 &&
		   vdp_build_max_clipboard(NULL, 0, 0) == 4 &&
		   vdp_build_xfer_status(NULL, 0, &s) == 13 &&
		   vdp_build_xfer_data_header(NULL, 0, 0, 0) == 12 &&
		   vdp_build_clipboard_header(NULL, 0, &caps_sel, 0, 0) == 8 &&
		   vdp_build_clipboard_request(NULL, 0, &caps_none, 0, 0) ==
			   4 &&
		   vdp_build_clipboard_release(NULL, 0, &caps_sel, 0) == 4 &&
		   vdp_build_xfer_start(NULL, 0, 0, "a", 1) ==
			   vdp_build_xfer_start(buf, sizeof(buf), 0, "a", 1),
	   "length queries match the built lengths");
	ok(vdp_build_capabilities(NULL, 0, 0, &c) <= (int)VDP_BUILD_SMALL_MAX &&
		   vdp_build_mouse_state(NULL, 0, &m) <=
			   (int)VDP_BUILD_SMALL_MAX &&
		   vdp_build_xfer_status(NULL, 0, &s) <=
			   (int)VDP_BUILD_SMALL_MAX,
	   "VDP_BUILD_SMALL_MAX covers the small payloads");
}

int main(void)
{
	setup_caps();
	rt_mouse_state();
	rt_monitors_config();
	rt_reply();
	rt_clipboard();
	rt_display_config();
	rt_capabilities();
	rt_clipboard_grab();
	rt_clipboard_request();
	rt_clipboard_release();
	rt_xfer_start();
	rt_xfer_status();
	xfer_status_for_peer();
	rt_xfer_data();
	rt_client_disconnected();
	rt_max_clipboard();
	rt_volume_sync();
	rt_graphics_device_info();
	test_length_queries();
	free(g.data);
	return tap_done();
}
