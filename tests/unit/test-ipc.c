/* SPDX-License-Identifier: MIT */
/* The daemon <-> agent IPC: framing, limits, decoder, payload parsers. */
#include <errno.h>
#include <stdlib.h>

#include "tap.h"
#include "vdp-ipc.h"
#include "vdp-util.h"

/* ---- collecting decoded messages --------------------------------------- */

#define MAX_GOT 64

struct got_msg {
	uint32_t type;
	uint32_t size;
	uint8_t *data;
};

struct sink {
	struct got_msg msgs[MAX_GOT];
	int n;
	int stop_after; /* stop (return 1) when n reaches this; 0: never */
	bool steal;
	struct vdp_ipc_decoder *dec;
	bool data_non_null;
	bool second_steal; /* a second steal in one callback succeeded */
};

static int sink_cb(void *user, const struct vdp_ipc_message *msg)
{
	struct sink *s = user;
	struct got_msg *g;

	if (s->n >= MAX_GOT)
		return 1;
	if (!msg->data)
		s->data_non_null = false;
	g = &s->msgs[s->n++];
	g->type = msg->type;
	g->size = msg->size;
	if (s->steal) {
		g->data = vdp_ipc_decoder_steal_data(s->dec);
		if (g->data && msg->size && memcmp(g->data, msg->data, msg->size))
			g->data[0] ^= 0xff; /* make the comparison fail */
		if (vdp_ipc_decoder_steal_data(s->dec))
			s->second_steal = true;
	} else {
		g->data = malloc(msg->size ? msg->size : 1);
		if (msg->size)
			memcpy(g->data, msg->data, msg->size);
	}
	if (s->stop_after && s->n == s->stop_after)
		return 1;
	return 0;
}

static void sink_init(struct sink *s)
{
	memset(s, 0, sizeof(*s));
	s->data_non_null = true;
}

static void sink_clear(struct sink *s)
{
	for (int i = 0; i < s->n; i++)
		free(s->msgs[i].data);
	sink_init(s);
}

/* ---- a stream of one message of every type ----------------------------- */

struct stream {
	uint8_t *buf;
	size_t len;
	int count;
	uint32_t types[MAX_GOT];
};

static void stream_add(struct stream *st, uint32_t type,
		       const struct vdp_iov *pieces, int npieces)
{
	int r = vdp_ipc_encode_append(&st->buf, &st->len, type, pieces,
				      npieces);

	if (r < 0) {
		ok(0, "encode %s: %d", vdp_ipc_type_name(type), r);
		return;
	}
	st->types[st->count++] = type;
}

static void stream_add1(struct stream *st, uint32_t type, const void *p,
			int len)
{
	struct vdp_iov iov = { p, len < 0 ? 0 : (size_t)len };

	if (len < 0) {
		ok(0, "builder for %s failed: %d", vdp_ipc_type_name(type),
		   len);
		return;
	}
	stream_add(st, type, &iov, 1);
}

static void stream_add2(struct stream *st, uint32_t type, const void *head,
			int head_len, const void *data, size_t data_len)
{
	struct vdp_iov iov[2] = { { head, head_len < 0 ? 0 : (size_t)head_len },
				  { data, data_len } };

	if (head_len < 0) {
		ok(0, "head builder for %s failed: %d",
		   vdp_ipc_type_name(type), head_len);
		return;
	}
	stream_add(st, type, iov, 2);
}

static const char hello_text[] = "vdagent 0.1 (X11 :0) \xc3\xa9\xe2\x82\xac";
static const char xfer_text[] =
	"[vdagent-file-xfer]\nname=caf\xc3\xa9.txt\nsize=5\n";
static const uint8_t clip_text[] = "h\xc3\xa9llo clipboard";
static const uint8_t file_bytes[] = { 0, 1, 2, 3, 0xff };
/* MONITORS_CONFIG as the client sends it: 1 monitor, flags 0 */
static const uint8_t mon_config[] = { 1, 0, 0, 0, 0, 0, 0, 0,
				      0x38, 4, 0, 0, 0x80, 7, 0, 0,
				      32, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
static const uint8_t gdi[] = { 0, 0, 0, 0 };
static const uint8_t volume[] = { 1, 0, 2, 0x00, 0x80, 0xff, 0xff };

static struct vdp_ipc_screen_layout sample_layout(void)
{
	struct vdp_ipc_screen_layout l = {
		.width = 3840, .height = 1200, .count = 2,
	};

	l.displays[0] = (struct vdp_ipc_display){ 0, 0, 120, 1920, 1080 };
	l.displays[1] = (struct vdp_ipc_display){ 1, 1920, 0, 1920, 1200 };
	return l;
}

/* Every type the agent may send, each once. */
static void build_agent_stream(struct stream *st)
{
	static const uint32_t types[] = { VDP_CLIPBOARD_UTF8_TEXT,
					  VDP_CLIPBOARD_IMAGE_PNG };
	struct vdp_ipc_screen_layout l = sample_layout();
	uint8_t b1[VDP_IPC_SCREEN_LAYOUT_MAX], b2[VDP_IPC_CLIPBOARD_GRAB_MAX];
	uint8_t b3[8], b4[8], b5[4], b6[VDP_IPC_XFER_STATUS_MAX], b7[8];
	const uint8_t detail[5] = { 0, 28, 0, 0, 0 };

	memset(st, 0, sizeof(*st));
	stream_add2(st, VDP_IPC_HELLO,
		    b7, vdp_ipc_build_hello_head(b7, sizeof(b7), VDP_IPC_VERSION,
						 VDP_IPC_HELLO_FILE_XFER_DISABLED),
		    hello_text, strlen(hello_text));
	stream_add1(st, VDP_IPC_SCREEN_LAYOUT, b1,
		    vdp_ipc_build_screen_layout(b1, sizeof(b1), &l));
	stream_add1(st, VDP_IPC_CLIPBOARD_GRAB, b2,
		    vdp_ipc_build_clipboard_grab(b2, sizeof(b2),
						 VDP_SELECTION_PRIMARY, types, 2));
	stream_add1(st, VDP_IPC_CLIPBOARD_REQUEST, b3,
		    vdp_ipc_build_clipboard_request(b3, sizeof(b3),
						    VDP_SELECTION_CLIPBOARD,
						    VDP_CLIPBOARD_IMAGE_PNG));
	stream_add2(st, VDP_IPC_CLIPBOARD_DATA, b4,
		    vdp_ipc_build_clipboard_data_head(b4, sizeof(b4),
						      VDP_SELECTION_PRIMARY,
						      VDP_CLIPBOARD_UTF8_TEXT),
		    clip_text, sizeof(clip_text) - 1);
	stream_add1(st, VDP_IPC_CLIPBOARD_RELEASE, b5,
		    vdp_ipc_build_clipboard_release(b5, sizeof(b5),
						    VDP_SELECTION_SECONDARY));
	stream_add1(st, VDP_IPC_FILE_XFER_STATUS, b6,
		    vdp_ipc_build_xfer_status(b6, sizeof(b6), 7,
					      VDP_XFER_STATUS_ERROR, detail,
					      sizeof(detail)));
}

/* Every type the daemon may send, each once. */
static void build_daemon_stream(struct stream *st)
{
	struct vdp_caps caps = { { 0 } };
	uint8_t b1[VDP_IPC_CLIENT_CAPS_MAX], b2[8], b3[8], b4[4], b5[4];
	uint8_t b6[VDP_IPC_XFER_STATUS_MAX], b7[8], b8[VDP_IPC_CLIPBOARD_GRAB_MAX];
	static const char version[] = "vdagentd 0.1";

	caps.words[0] = (1u << VDP_CAP_CLIPBOARD_BY_DEMAND) |
			(1u << VDP_CAP_MAX_CLIPBOARD) |
			(1u << VDP_CAP_FILE_XFER_DETAILED_ERRORS);
	memset(st, 0, sizeof(*st));
	stream_add2(st, VDP_IPC_HELLO, b7,
		    vdp_ipc_build_hello_head(b7, sizeof(b7), VDP_IPC_VERSION, 0),
		    version, strlen(version));
	stream_add1(st, VDP_IPC_CLIENT_CAPS, b1,
		    vdp_ipc_build_client_caps(b1, sizeof(b1), &caps, 1 << 20));
	stream_add1(st, VDP_IPC_MONITORS_CONFIG, mon_config, sizeof(mon_config));
	stream_add1(st, VDP_IPC_GRAPHICS_DEVICE_INFO, gdi, sizeof(gdi));
	stream_add1(st, VDP_IPC_AUDIO_VOLUME_SYNC, volume, sizeof(volume));
	stream_add1(st, VDP_IPC_CLIPBOARD_GRAB, b8,
		    vdp_ipc_build_clipboard_grab(b8, sizeof(b8),
						 VDP_SELECTION_CLIPBOARD, NULL, 0));
	stream_add1(st, VDP_IPC_CLIPBOARD_REQUEST, b2,
		    vdp_ipc_build_clipboard_request(b2, sizeof(b2),
						    VDP_SELECTION_PRIMARY,
						    VDP_CLIPBOARD_UTF8_TEXT));
	stream_add2(st, VDP_IPC_CLIPBOARD_DATA, b3,
		    vdp_ipc_build_clipboard_data_head(b3, sizeof(b3),
						      VDP_SELECTION_CLIPBOARD,
						      VDP_CLIPBOARD_NONE),
		    NULL, 0);
	stream_add1(st, VDP_IPC_CLIPBOARD_RELEASE, b4,
		    vdp_ipc_build_clipboard_release(b4, sizeof(b4),
						    VDP_SELECTION_CLIPBOARD));
	stream_add2(st, VDP_IPC_FILE_XFER_START, b5,
		    vdp_ipc_build_xfer_start_head(b5, sizeof(b5), 42),
		    xfer_text, strlen(xfer_text));
	stream_add2(st, VDP_IPC_FILE_XFER_DATA, b5,
		    vdp_ipc_build_xfer_data_head(b5, sizeof(b5), 42),
		    file_bytes, sizeof(file_bytes));
	stream_add1(st, VDP_IPC_FILE_XFER_STATUS, b6,
		    vdp_ipc_build_xfer_status(b6, sizeof(b6), 42,
					      VDP_XFER_STATUS_CANCELLED, NULL, 0));
	stream_add(st, VDP_IPC_CLIENT_DISCONNECTED, NULL, 0);
}

/* ---- checks of decoded messages against what was built ----------------- */

static bool text_is(const char *p, uint32_t len, const char *want)
{
	return len == strlen(want) && memcmp(p, want, len) == 0;
}

static void check_agent_msgs(const struct sink *s, const char *how)
{
	struct vdp_ipc_hello h;
	struct vdp_ipc_screen_layout l, want = sample_layout();
	struct vdp_ipc_clipboard_grab g;
	struct vdp_ipc_clipboard_request rq;
	struct vdp_ipc_clipboard_data d;
	struct vdp_ipc_clipboard_release rl;
	struct vdp_ipc_xfer_status xs;
	const struct got_msg *m = s->msgs;

	if (!ok(s->n == 7, "%s: 7 agent messages (got %d)", how, s->n))
		return;
	ok(m[0].type == VDP_IPC_HELLO &&
		   vdp_ipc_parse_hello(m[0].data, m[0].size, &h) == 0 &&
		   h.version == VDP_IPC_VERSION &&
		   h.flags == VDP_IPC_HELLO_FILE_XFER_DISABLED &&
		   text_is(h.text, h.text_len, hello_text),
	   "%s: HELLO round trip", how);
	ok(m[1].type == VDP_IPC_SCREEN_LAYOUT &&
		   vdp_ipc_parse_screen_layout(m[1].data, m[1].size, &l) == 0 &&
		   l.width == want.width && l.height == want.height &&
		   l.count == 2 &&
		   memcmp(l.displays, want.displays,
			  2 * sizeof(want.displays[0])) == 0,
	   "%s: SCREEN_LAYOUT round trip", how);
	ok(m[2].type == VDP_IPC_CLIPBOARD_GRAB &&
		   vdp_ipc_parse_clipboard_grab(m[2].data, m[2].size, &g) == 0 &&
		   g.selection == VDP_SELECTION_PRIMARY && g.count == 2 &&
		   g.types[0] == VDP_CLIPBOARD_UTF8_TEXT &&
		   g.types[1] == VDP_CLIPBOARD_IMAGE_PNG,
	   "%s: CLIPBOARD_GRAB round trip", how);
	ok(m[3].type == VDP_IPC_CLIPBOARD_REQUEST &&
		   vdp_ipc_parse_clipboard_request(m[3].data, m[3].size,
						   &rq) == 0 &&
		   rq.selection == VDP_SELECTION_CLIPBOARD &&
		   rq.type == VDP_CLIPBOARD_IMAGE_PNG,
	   "%s: CLIPBOARD_REQUEST round trip", how);
	ok(m[4].type == VDP_IPC_CLIPBOARD_DATA &&
		   vdp_ipc_parse_clipboard_data(m[4].data, m[4].size, &d) == 0 &&
		   d.selection == VDP_SELECTION_PRIMARY &&
		   d.type == VDP_CLIPBOARD_UTF8_TEXT &&
		   d.size == sizeof(clip_text) - 1 &&
		   memcmp(d.data, clip_text, d.size) == 0,
	   "%s: CLIPBOARD_DATA round trip", how);
	ok(m[5].type == VDP_IPC_CLIPBOARD_RELEASE &&
		   vdp_ipc_parse_clipboard_release(m[5].data, m[5].size,
						   &rl) == 0 &&
		   rl.selection == VDP_SELECTION_SECONDARY,
	   "%s: CLIPBOARD_RELEASE round trip", how);
	ok(m[6].type == VDP_IPC_FILE_XFER_STATUS &&
		   vdp_ipc_parse_xfer_status(m[6].data, m[6].size, &xs) == 0 &&
		   xs.id == 7 && xs.result == VDP_XFER_STATUS_ERROR &&
		   xs.detail_len == 5 && xs.detail[1] == 28,
	   "%s: FILE_XFER_STATUS round trip", how);
}

static void check_daemon_msgs(const struct sink *s, const char *how)
{
	struct vdp_ipc_hello h;
	struct vdp_ipc_client_caps c;
	struct vdp_ipc_clipboard_grab g;
	struct vdp_ipc_clipboard_request rq;
	struct vdp_ipc_clipboard_data d;
	struct vdp_ipc_clipboard_release rl;
	struct vdp_ipc_xfer_start xst;
	struct vdp_ipc_xfer_data xd;
	struct vdp_ipc_xfer_status xs;
	const struct got_msg *m = s->msgs;

	if (!ok(s->n == 13, "%s: 13 daemon messages (got %d)", how, s->n))
		return;
	ok(m[0].type == VDP_IPC_HELLO &&
		   vdp_ipc_parse_hello(m[0].data, m[0].size, &h) == 0 &&
		   h.version == VDP_IPC_VERSION && h.flags == 0 &&
		   text_is(h.text, h.text_len, "vdagentd 0.1"),
	   "%s: daemon HELLO round trip", how);
	ok(m[1].type == VDP_IPC_CLIENT_CAPS &&
		   vdp_ipc_parse_client_caps(m[1].data, m[1].size, &c) == 0 &&
		   c.max_clipboard == 1 << 20 &&
		   c.caps.words[0] == ((1u << VDP_CAP_CLIPBOARD_BY_DEMAND) |
				       (1u << VDP_CAP_MAX_CLIPBOARD) |
				       (1u << VDP_CAP_FILE_XFER_DETAILED_ERRORS)),
	   "%s: CLIENT_CAPS round trip", how);
	ok(m[2].type == VDP_IPC_MONITORS_CONFIG &&
		   m[2].size == sizeof(mon_config) &&
		   memcmp(m[2].data, mon_config, sizeof(mon_config)) == 0,
	   "%s: MONITORS_CONFIG forwarded verbatim", how);
	ok(m[3].type == VDP_IPC_GRAPHICS_DEVICE_INFO &&
		   m[3].size == sizeof(gdi) &&
		   memcmp(m[3].data, gdi, sizeof(gdi)) == 0,
	   "%s: GRAPHICS_DEVICE_INFO forwarded verbatim", how);
	ok(m[4].type == VDP_IPC_AUDIO_VOLUME_SYNC &&
		   m[4].size == sizeof(volume) &&
		   memcmp(m[4].data, volume, sizeof(volume)) == 0,
	   "%s: AUDIO_VOLUME_SYNC forwarded verbatim", how);
	ok(m[5].type == VDP_IPC_CLIPBOARD_GRAB &&
		   vdp_ipc_parse_clipboard_grab(m[5].data, m[5].size, &g) == 0 &&
		   g.selection == VDP_SELECTION_CLIPBOARD && g.count == 0,
	   "%s: empty CLIPBOARD_GRAB round trip", how);
	ok(m[6].type == VDP_IPC_CLIPBOARD_REQUEST &&
		   vdp_ipc_parse_clipboard_request(m[6].data, m[6].size,
						   &rq) == 0 &&
		   rq.selection == VDP_SELECTION_PRIMARY &&
		   rq.type == VDP_CLIPBOARD_UTF8_TEXT,
	   "%s: daemon CLIPBOARD_REQUEST round trip", how);
	ok(m[7].type == VDP_IPC_CLIPBOARD_DATA &&
		   vdp_ipc_parse_clipboard_data(m[7].data, m[7].size, &d) == 0 &&
		   d.type == VDP_CLIPBOARD_NONE && d.size == 0,
	   "%s: CLIPBOARD_DATA type NONE round trip", how);
	ok(m[8].type == VDP_IPC_CLIPBOARD_RELEASE &&
		   vdp_ipc_parse_clipboard_release(m[8].data, m[8].size,
						   &rl) == 0 &&
		   rl.selection == VDP_SELECTION_CLIPBOARD,
	   "%s: daemon CLIPBOARD_RELEASE round trip", how);
	ok(m[9].type == VDP_IPC_FILE_XFER_START &&
		   vdp_ipc_parse_xfer_start(m[9].data, m[9].size, &xst) == 0 &&
		   xst.id == 42 && text_is(xst.text, xst.text_len, xfer_text),
	   "%s: FILE_XFER_START round trip", how);
	ok(m[10].type == VDP_IPC_FILE_XFER_DATA &&
		   vdp_ipc_parse_xfer_data(m[10].data, m[10].size, &xd) == 0 &&
		   xd.id == 42 && xd.size == sizeof(file_bytes) &&
		   memcmp(xd.data, file_bytes, sizeof(file_bytes)) == 0,
	   "%s: FILE_XFER_DATA round trip", how);
	ok(m[11].type == VDP_IPC_FILE_XFER_STATUS &&
		   vdp_ipc_parse_xfer_status(m[11].data, m[11].size, &xs) == 0 &&
		   xs.id == 42 && xs.result == VDP_XFER_STATUS_CANCELLED &&
		   xs.detail_len == 0,
	   "%s: daemon FILE_XFER_STATUS round trip", how);
	ok(m[12].type == VDP_IPC_CLIENT_DISCONNECTED && m[12].size == 0 &&
		   vdp_ipc_parse_empty(m[12].data, m[12].size) == 0,
	   "%s: CLIENT_DISCONNECTED round trip", how);
}

/* ---- decoder tests ------------------------------------------------------ */

static bool same_msgs(const struct sink *a, const struct sink *b)
{
	if (a->n != b->n)
		return false;
	for (int i = 0; i < a->n; i++) {
		if (a->msgs[i].type != b->msgs[i].type ||
		    a->msgs[i].size != b->msgs[i].size ||
		    memcmp(a->msgs[i].data, b->msgs[i].data, a->msgs[i].size))
			return false;
	}
	return true;
}

static void test_round_trip(enum vdp_ipc_sender from, const char *who)
{
	struct stream st;
	struct sink whole, part;
	struct vdp_ipc_decoder *d = vdp_ipc_decoder_new(from);
	bool all_split = true, all_bytes = true;
	char how[64];
	int r;

	if (from == VDP_IPC_FROM_AGENT)
		build_agent_stream(&st);
	else
		build_daemon_stream(&st);

	sink_init(&whole);
	r = vdp_ipc_decoder_feed(d, st.buf, st.len, sink_cb, &whole);
	is_int(r, VDP_IPC_OK, "%s stream in one feed", who);
	ok(!vdp_ipc_decoder_mid_message(d), "%s: not mid-message at the end",
	   who);
	ok(whole.data_non_null, "%s: data never NULL", who);
	snprintf(how, sizeof(how), "%s whole", who);
	if (from == VDP_IPC_FROM_AGENT)
		check_agent_msgs(&whole, how);
	else
		check_daemon_msgs(&whole, how);

	/* every split point of the stream in two slices */
	for (size_t k = 0; k <= st.len; k++) {
		sink_init(&part);
		vdp_ipc_decoder_reset(d);
		r = vdp_ipc_decoder_feed(d, st.buf, k, sink_cb, &part);
		if (r == 0)
			r = vdp_ipc_decoder_feed(d, st.buf + k, st.len - k,
						 sink_cb, &part);
		if (r != 0 || !same_msgs(&whole, &part)) {
			diag("split at %lu differs", (unsigned long)k);
			all_split = false;
		}
		sink_clear(&part);
	}
	ok(all_split, "%s: %lu split points decode identically", who,
	   (unsigned long)st.len + 1);

	/* one byte at a time, stealing every payload */
	sink_init(&part);
	part.steal = true;
	part.dec = d;
	vdp_ipc_decoder_reset(d);
	for (size_t i = 0; i < st.len; i++) {
		if (vdp_ipc_decoder_feed(d, st.buf + i, 1, sink_cb, &part) != 0)
			all_bytes = false;
		if (i + 1 < st.len && !vdp_ipc_decoder_mid_message(d) &&
		    part.n == 0)
			all_bytes = false;
	}
	ok(all_bytes && same_msgs(&whole, &part),
	   "%s: byte by byte with steal_data decodes identically", who);
	ok(!part.second_steal, "%s: a payload can be stolen only once", who);

	sink_clear(&part);
	sink_clear(&whole);
	vdp_ipc_decoder_free(d);
	free(st.buf);
}

static void test_direction(void)
{
	struct vdp_ipc_decoder *da = vdp_ipc_decoder_new(VDP_IPC_FROM_AGENT);
	struct vdp_ipc_decoder *dd = vdp_ipc_decoder_new(VDP_IPC_FROM_DAEMON);
	uint8_t *buf = NULL;
	size_t len = 0;
	struct sink s;
	int r;

	sink_init(&s);
	ok(vdp_ipc_decoder_new(0) == NULL, "decoder_new refuses sender 0");
	vdp_ipc_encode_append(&buf, &len, VDP_IPC_MONITORS_CONFIG,
			      &(struct vdp_iov){ mon_config, sizeof(mon_config) },
			      1);
	r = vdp_ipc_decoder_feed(da, buf, VDP_IPC_HEADER_SIZE, sink_cb, &s);
	is_int(r, VDP_IPC_ERR_TYPE,
	       "MONITORS_CONFIG from the agent: refused at its header");
	r = vdp_ipc_decoder_feed(dd, buf, len, sink_cb, &s);
	is_int(r, VDP_IPC_OK, "MONITORS_CONFIG from the daemon: accepted");
	free(buf);
	buf = NULL;
	len = 0;
	vdp_ipc_encode_append(&buf, &len, VDP_IPC_SCREEN_LAYOUT, NULL, 0);
	r = vdp_ipc_decoder_feed(dd, buf, len, sink_cb, &s);
	is_int(r, VDP_IPC_ERR_TYPE, "SCREEN_LAYOUT from the daemon: refused");
	is_int(s.n, 1, "only the allowed message was delivered");

	for (uint32_t t = 0; t <= VDP_IPC_TYPE_END; t++) {
		bool a = vdp_ipc_type_allowed(t, VDP_IPC_FROM_AGENT);
		bool dm = vdp_ipc_type_allowed(t, VDP_IPC_FROM_DAEMON);

		if (!vdp_ipc_type_known(t)) {
			ok(!a && !dm && streq(vdp_ipc_type_name(t), "UNKNOWN") &&
				   vdp_ipc_max_payload(t) == 0,
			   "type %u unknown", t);
			continue;
		}
		ok(a || dm, "type %s has a sender", vdp_ipc_type_name(t));
	}
	ok(vdp_ipc_type_allowed(VDP_IPC_HELLO, VDP_IPC_FROM_AGENT) &&
		   vdp_ipc_type_allowed(VDP_IPC_HELLO, VDP_IPC_FROM_DAEMON) &&
		   !vdp_ipc_type_allowed(VDP_IPC_FILE_XFER_DATA,
					 VDP_IPC_FROM_AGENT) &&
		   !vdp_ipc_type_allowed(VDP_IPC_CLIENT_CAPS,
					 VDP_IPC_FROM_AGENT) &&
		   vdp_ipc_type_allowed(VDP_IPC_FILE_XFER_STATUS,
					VDP_IPC_FROM_AGENT) &&
		   !vdp_ipc_type_allowed(VDP_IPC_HELLO, 3),
	   "direction table spot checks");
	ok(streq(vdp_ipc_type_name(VDP_IPC_CLIPBOARD_GRAB), "CLIPBOARD_GRAB") &&
		   streq(vdp_ipc_type_name(VDP_IPC_CLIENT_DISCONNECTED),
			 "CLIENT_DISCONNECTED"),
	   "type names");
	sink_clear(&s);
	free(buf);
	vdp_ipc_decoder_free(da);
	vdp_ipc_decoder_free(dd);
}

static void put_header(uint8_t *h, uint32_t type, uint32_t size)
{
	vdp_put_le32(h, type);
	vdp_put_le32(h + 4, size);
}

static enum vdp_ipc_sender sender_of(uint32_t type)
{
	return vdp_ipc_type_allowed(type, VDP_IPC_FROM_AGENT) ?
		       VDP_IPC_FROM_AGENT :
		       VDP_IPC_FROM_DAEMON;
}

/* The limit is accepted, limit + 1 refused at the header. */
static void test_limits(void)
{
	for (uint32_t t = 1; t < VDP_IPC_TYPE_END; t++) {
		struct vdp_ipc_decoder *d = vdp_ipc_decoder_new(sender_of(t));
		uint32_t max = vdp_ipc_max_payload(t);
		uint8_t h[VDP_IPC_HEADER_SIZE];
		struct sink s;
		int r;

		sink_init(&s);
		put_header(h, t, max);
		r = vdp_ipc_decoder_feed(d, h, sizeof(h), sink_cb, &s);
		if (max <= VDP_IPC_XFER_DATA_HEAD_SIZE + VDP_IPC_XFER_DATA_MAX) {
			uint8_t *payload = calloc(1, max ? max : 1);

			if (r == 0)
				r = vdp_ipc_decoder_feed(d, payload, max,
							 sink_cb, &s);
			ok(r == 0 && s.n == 1 && s.msgs[0].size == max,
			   "%s: payload of %u (the limit) delivered",
			   vdp_ipc_type_name(t), max);
			free(payload);
		} else {
			/* 256 MiB: only check the header passes and a
			 * partial payload is buffered without complaint */
			uint8_t some[4096] = { 0 };

			if (r == 0)
				r = vdp_ipc_decoder_feed(d, some, sizeof(some),
							 sink_cb, &s);
			ok(r == 0 && s.n == 0 &&
				   vdp_ipc_decoder_mid_message(d),
			   "%s: header declaring %u (the limit) accepted",
			   vdp_ipc_type_name(t), max);
		}

		vdp_ipc_decoder_reset(d);
		put_header(h, t, max + 1);
		r = vdp_ipc_decoder_feed(d, h, sizeof(h), sink_cb, &s);
		is_int(r, VDP_IPC_ERR_SIZE, "%s: %u (limit + 1) refused at the header",
		       vdp_ipc_type_name(t), max + 1);
		sink_clear(&s);
		vdp_ipc_decoder_free(d);
	}
	is_int(vdp_ipc_max_payload(VDP_IPC_SCREEN_LAYOUT), 12 + 64 * 20,
	       "SCREEN_LAYOUT limit is 64 displays");
	is_int(vdp_ipc_max_payload(VDP_IPC_CLIPBOARD_DATA), 8 + (256 << 20),
	       "CLIPBOARD_DATA limit is 256 MiB of data");
}

static void test_set_limit(void)
{
	struct vdp_ipc_decoder *d = vdp_ipc_decoder_new(VDP_IPC_FROM_AGENT);
	uint8_t h[VDP_IPC_HEADER_SIZE];
	struct sink s;

	sink_init(&s);
	is_int(vdp_ipc_decoder_set_limit(d, VDP_IPC_CLIPBOARD_DATA, 108), 0,
	       "set_limit lowers CLIPBOARD_DATA");
	is_int(vdp_ipc_decoder_set_limit(d, VDP_IPC_CLIPBOARD_REQUEST, 9),
	       -EINVAL, "set_limit cannot raise a limit");
	is_int(vdp_ipc_decoder_set_limit(d, 99, 0), -EINVAL,
	       "set_limit refuses an unknown type");
	put_header(h, VDP_IPC_CLIPBOARD_DATA, 108);
	is_int(vdp_ipc_decoder_feed(d, h, sizeof(h), sink_cb, &s), 0,
	       "lowered limit accepted");
	vdp_ipc_decoder_reset(d);
	put_header(h, VDP_IPC_CLIPBOARD_DATA, 109);
	is_int(vdp_ipc_decoder_feed(d, h, sizeof(h), sink_cb, &s),
	       VDP_IPC_ERR_SIZE, "lowered limit + 1 refused, kept across reset");
	sink_clear(&s);
	vdp_ipc_decoder_free(d);
}

static void test_hostile(void)
{
	struct vdp_ipc_decoder *d = vdp_ipc_decoder_new(VDP_IPC_FROM_AGENT);
	uint8_t h[VDP_IPC_HEADER_SIZE], garbage[4096];
	struct stream st;
	struct sink s;
	uint32_t x = 12345;
	int r;

	sink_init(&s);
	build_agent_stream(&st);

	static const uint32_t unknown[] = { 0, VDP_IPC_TYPE_END, 0x100,
					    0xffffffff };
	for (size_t i = 0; i < ARRAY_LENGTH(unknown); i++) {
		vdp_ipc_decoder_reset(d);
		put_header(h, unknown[i], 0);
		is_int(vdp_ipc_decoder_feed(d, h, sizeof(h), sink_cb, &s),
		       VDP_IPC_ERR_TYPE, "unknown type %u refused", unknown[i]);
	}

	vdp_ipc_decoder_reset(d);
	put_header(h, VDP_IPC_CLIPBOARD_DATA, 0xffffffff);
	is_int(vdp_ipc_decoder_feed(d, h, sizeof(h), sink_cb, &s),
	       VDP_IPC_ERR_SIZE, "declared 4 GiB refused at the header");
	is_int(vdp_ipc_decoder_feed(d, st.buf, st.len, sink_cb, &s),
	       VDP_IPC_ERR_BROKEN, "after an error the decoder stays broken");
	is_int(s.n, 0, "nothing delivered from a broken decoder");
	vdp_ipc_decoder_reset(d);
	is_int(vdp_ipc_decoder_feed(d, st.buf, st.len, sink_cb, &s), 0,
	       "after reset a valid stream decodes");
	check_agent_msgs(&s, "after reset");
	sink_clear(&s);

	/* a valid message, then garbage: the message comes out, then an error */
	vdp_ipc_decoder_reset(d);
	for (size_t i = 0; i < sizeof(garbage); i++) {
		x = x * 1103515245 + 12345;
		garbage[i] = (uint8_t)(x >> 16);
	}
	r = vdp_ipc_decoder_feed(d, st.buf, st.len, sink_cb, &s);
	if (r == 0)
		r = vdp_ipc_decoder_feed(d, garbage, sizeof(garbage), sink_cb,
					 &s);
	ok(r == VDP_IPC_ERR_TYPE || r == VDP_IPC_ERR_SIZE,
	   "garbage after valid messages is an error (%s)",
	   vdp_ipc_strerror(r));
	is_int(s.n, 7, "the valid messages before the garbage were delivered");
	sink_clear(&s);

	/* the callback stops the decoder */
	vdp_ipc_decoder_reset(d);
	s.stop_after = 2;
	is_int(vdp_ipc_decoder_feed(d, st.buf, st.len, sink_cb, &s),
	       VDP_IPC_ERR_STOPPED, "callback returning non-zero stops");
	is_int(s.n, 2, "no message after the stop");
	is_int(vdp_ipc_decoder_feed(d, st.buf, st.len, sink_cb, &s),
	       VDP_IPC_ERR_BROKEN, "stopped decoder is broken");
	sink_clear(&s);

	ok(vdp_ipc_decoder_steal_data(d) == NULL,
	   "steal_data outside the callback returns NULL");
	ok(strlen(vdp_ipc_strerror(VDP_IPC_ERR_SIZE)) > 0 &&
		   !streq(vdp_ipc_strerror(VDP_IPC_ERR_SIZE),
			  vdp_ipc_strerror(VDP_IPC_ERR_TYPE)),
	   "distinct error strings");
	vdp_ipc_decoder_free(d);
	vdp_ipc_decoder_free(NULL);
	free(st.buf);
}

static void test_big_message(void)
{
	struct vdp_ipc_decoder *d = vdp_ipc_decoder_new(VDP_IPC_FROM_AGENT);
	const size_t n = 5u << 20;
	uint8_t *data = malloc(n), head[8], *buf = NULL;
	size_t len = 0;
	struct sink s;
	bool same = true;
	int r;

	for (size_t i = 0; i < n; i++)
		data[i] = (uint8_t)(i * 7 + (i >> 13));
	vdp_ipc_build_clipboard_data_head(head, sizeof(head),
					  VDP_SELECTION_CLIPBOARD,
					  VDP_CLIPBOARD_UTF8_TEXT);
	r = vdp_ipc_encode_append(&buf, &len, VDP_IPC_CLIPBOARD_DATA,
				  (struct vdp_iov[]){ { head, 8 }, { data, n } },
				  2);
	is_int(r, 0, "5 MiB CLIPBOARD_DATA encoded");
	sink_init(&s);
	s.steal = true;
	s.dec = d;
	/* in 64 KiB slices, as from a socket */
	for (size_t off = 0; off < len && r == 0; off += 65536) {
		size_t k = len - off < 65536 ? len - off : 65536;

		r = vdp_ipc_decoder_feed(d, buf + off, k, sink_cb, &s);
	}
	is_int(r, 0, "5 MiB CLIPBOARD_DATA fed in 64 KiB slices");
	if (s.n != 1 || s.msgs[0].size != n + 8 ||
	    memcmp(s.msgs[0].data + 8, data, n))
		same = false;
	ok(same, "5 MiB payload stolen intact");
	ok(!s.second_steal, "5 MiB payload stolen only once");
	sink_clear(&s);
	free(buf);
	free(data);
	vdp_ipc_decoder_free(d);
}

/* ---- encoder ------------------------------------------------------------ */

static void test_encoder(void)
{
	uint8_t hdr[VDP_IPC_HEADER_SIZE], a[3] = { 1, 2, 3 }, b[2] = { 4, 5 };
	struct vdp_iov out[VDP_IPC_MAX_IOV];
	struct vdp_iov p[VDP_IPC_MAX_PIECES + 1];
	int n;

	for (int i = 0; i <= VDP_IPC_MAX_PIECES; i++)
		p[i] = (struct vdp_iov){ a, 1 };
	n = vdp_ipc_encode(hdr, VDP_IPC_MONITORS_CONFIG,
			   (struct vdp_iov[]){ { a, 3 }, { NULL, 0 }, { b, 2 } },
			   3, out);
	ok(n == 3 && out[0].base == hdr && out[0].len == 8 &&
		   out[1].base == a && out[2].base == b &&
		   vdp_ipc_iov_len(out, n) == 13,
	   "encode: header + pieces, empty piece skipped, no copy");
	ok(vdp_get_le32(hdr) == VDP_IPC_MONITORS_CONFIG &&
		   vdp_get_le32(hdr + 4) == 5,
	   "encode: little-endian header");
	is_int(vdp_ipc_encode(hdr, 0, NULL, 0, out), -EINVAL,
	       "encode refuses type 0");
	is_int(vdp_ipc_encode(hdr, VDP_IPC_TYPE_END, NULL, 0, out), -EINVAL,
	       "encode refuses an unknown type");
	is_int(vdp_ipc_encode(hdr, VDP_IPC_MONITORS_CONFIG, p,
			      VDP_IPC_MAX_PIECES, out),
	       VDP_IPC_MAX_IOV, "encode takes VDP_IPC_MAX_PIECES pieces");
	is_int(vdp_ipc_encode(hdr, VDP_IPC_MONITORS_CONFIG, p,
			      VDP_IPC_MAX_PIECES + 1, out),
	       -EINVAL, "encode refuses too many pieces");
	is_int(vdp_ipc_encode(hdr, VDP_IPC_CLIPBOARD_RELEASE,
			      (struct vdp_iov[]){ { a, 3 }, { b, 2 } }, 2, out),
	       -EINVAL, "encode refuses a payload over the type's limit");
	is_int(vdp_ipc_encode(hdr, VDP_IPC_CLIPBOARD_RELEASE,
			      (struct vdp_iov[]){ { a, 3 }, { b, 1 } }, 2, out),
	       3, "encode takes a payload at the type's limit");
	is_int(vdp_ipc_encode(hdr, VDP_IPC_MONITORS_CONFIG,
			      (struct vdp_iov[]){ { NULL, 3 } }, 1, out),
	       -EINVAL, "encode refuses a NULL piece with a length");
	is_int(vdp_ipc_encode(hdr, VDP_IPC_CLIENT_DISCONNECTED, NULL, 0, out),
	       1, "encode: empty message is the header alone");
}

/* ---- payload parsers ---------------------------------------------------- */

static int parse_hello_bytes(const void *text, size_t len)
{
	uint8_t buf[8 + 300];
	struct vdp_ipc_hello h;

	vdp_ipc_build_hello_head(buf, sizeof(buf), 1, 0);
	memcpy(buf + 8, text, len);
	return vdp_ipc_parse_hello(buf, 8 + len, &h);
}

static void test_parse_hello(void)
{
	char text[300];
	struct vdp_ipc_hello h;
	uint8_t b[8];

	memset(text, 'a', sizeof(text));
	is_int(parse_hello_bytes("", 0), 0, "hello: empty text accepted");
	is_int(vdp_ipc_parse_hello(b, 7, &h), -EINVAL, "hello: 7 bytes refused");
	is_int(parse_hello_bytes(text, 256), 0, "hello: 256-byte text accepted");
	is_int(parse_hello_bytes(text, 257), -EINVAL,
	       "hello: 257-byte text refused");
	is_int(parse_hello_bytes("a\nb", 3), -EINVAL,
	       "hello: control character refused");
	is_int(parse_hello_bytes("a\0b", 3), -EINVAL, "hello: NUL refused");
	is_int(parse_hello_bytes("a\x7f", 2), -EINVAL, "hello: DEL refused");
	is_int(parse_hello_bytes("\xf0\x9f\x98\x80 \xe2\x82\xac \xc3\xa9", 11),
	       0, "hello: 4-, 3- and 2-byte UTF-8 accepted");
	is_int(parse_hello_bytes("\xff", 1), -EINVAL, "hello: 0xff refused");
	is_int(parse_hello_bytes("\xc0\x80", 2), -EINVAL,
	       "hello: overlong NUL refused");
	is_int(parse_hello_bytes("\xe0\x80\xaf", 3), -EINVAL,
	       "hello: overlong 3-byte refused");
	is_int(parse_hello_bytes("\xed\xa0\x80", 3), -EINVAL,
	       "hello: surrogate refused");
	is_int(parse_hello_bytes("\xf4\x90\x80\x80", 4), -EINVAL,
	       "hello: above U+10FFFF refused");
	is_int(parse_hello_bytes("a\xe2\x82", 3), -EINVAL,
	       "hello: truncated sequence refused");
	is_int(parse_hello_bytes("\x80", 1), -EINVAL,
	       "hello: lone continuation byte refused");
	vdp_ipc_build_hello_head(b, sizeof(b), 1, 0xfffffffe);
	ok(vdp_ipc_parse_hello(b, 8, &h) == 0 && h.flags == 0xfffffffe &&
		   h.text_len == 0,
	   "hello: unknown flag bits kept, not refused");
	is_int(vdp_ipc_build_hello_head(b, 7, 1, 0), -ENOSPC,
	       "hello head: short buffer");
}

static int layout_roundtrip(struct vdp_ipc_screen_layout *l)
{
	uint8_t buf[VDP_IPC_SCREEN_LAYOUT_MAX];
	struct vdp_ipc_screen_layout got;
	int n = vdp_ipc_build_screen_layout(buf, sizeof(buf), l);

	if (n < 0)
		return n;
	return vdp_ipc_parse_screen_layout(buf, (size_t)n, &got);
}

static void test_parse_screen_layout(void)
{
	uint8_t buf[VDP_IPC_SCREEN_LAYOUT_MAX + 20] = { 0 };
	struct vdp_ipc_screen_layout l = sample_layout(), got;
	int n;

	n = vdp_ipc_build_screen_layout(buf, sizeof(buf), &l);
	is_int(n, 52, "layout: 2 displays are 52 bytes");
	is_int(vdp_ipc_parse_screen_layout(buf, 52, &got), 0,
	       "layout: accepted");
	is_int(vdp_ipc_parse_screen_layout(buf, 51, &got), -EINVAL,
	       "layout: one byte short refused");
	is_int(vdp_ipc_parse_screen_layout(buf, 53, &got), -EINVAL,
	       "layout: one byte extra refused");
	is_int(vdp_ipc_parse_screen_layout(buf, 72, &got), -EINVAL,
	       "layout: count 2 with 3 entries refused");
	is_int(vdp_ipc_parse_screen_layout(buf, 11, &got), -EINVAL,
	       "layout: shorter than the head refused");
	vdp_put_le32(buf + 8, 0xffffffff);
	is_int(vdp_ipc_parse_screen_layout(buf, 52, &got), -EINVAL,
	       "layout: count 2^32-1 refused");

	l.count = 0;
	is_int(layout_roundtrip(&l), 0, "layout: no display accepted");
	l.count = VDP_IPC_MAX_DISPLAYS;
	for (uint32_t i = 0; i < l.count; i++)
		l.displays[i] = (struct vdp_ipc_display){ i, (int32_t)i * 100,
							  0, 100, 100 };
	is_int(layout_roundtrip(&l), 0, "layout: 64 displays accepted");
	/* 65 displays: write by hand, builders refuse */
	memset(buf, 0, sizeof(buf));
	n = vdp_ipc_build_screen_layout(buf, sizeof(buf), &l);
	vdp_put_le32(buf + 8, 65);
	for (int i = 0; i < 20; i++)
		buf[n + i] = buf[n - 20 + i];
	vdp_put_le32(buf + n, 64);
	is_int(vdp_ipc_parse_screen_layout(buf, (size_t)n + 20, &got),
	       -EINVAL, "layout: 65 displays refused");
	l.count = 65;
	is_int(vdp_ipc_build_screen_layout(buf, sizeof(buf), &l), -EINVAL,
	       "layout builder: 65 displays refused");

	l = sample_layout();
	l.displays[1].display_id = 0;
	is_int(layout_roundtrip(&l), -EINVAL,
	       "layout: duplicate display id refused");
	l = sample_layout();
	l.width = 0;
	is_int(layout_roundtrip(&l), -EINVAL, "layout: desktop width 0 refused");
	l = sample_layout();
	l.height = 65536;
	is_int(layout_roundtrip(&l), -EINVAL,
	       "layout: desktop height 65536 refused");
	l.height = 65535;
	is_int(layout_roundtrip(&l), 0, "layout: desktop height 65535 accepted");
	l = sample_layout();
	l.displays[0].width = 0;
	is_int(layout_roundtrip(&l), -EINVAL, "layout: display width 0 refused");
	l = sample_layout();
	l.displays[0].x = -65535;
	is_int(layout_roundtrip(&l), 0, "layout: x -65535 accepted");
	l.displays[0].x = -65536;
	is_int(layout_roundtrip(&l), -EINVAL, "layout: x -65536 refused");
	l = sample_layout();
	l.displays[1].y = INT32_MAX;
	is_int(layout_roundtrip(&l), -EINVAL, "layout: y INT32_MAX refused");
	l = sample_layout();
	is_int(vdp_ipc_build_screen_layout(buf, 51, &l), -ENOSPC,
	       "layout builder: short buffer");
	/* parse must also refuse a bad display written by hand */
	n = vdp_ipc_build_screen_layout(buf, sizeof(buf), &l);
	vdp_put_le32(buf + 12 + 20 + 16, 0);
	is_int(vdp_ipc_parse_screen_layout(buf, (size_t)n, &got), -EINVAL,
	       "layout: display height 0 on the wire refused");
}

static void test_parse_client_caps(void)
{
	uint8_t buf[VDP_IPC_CLIENT_CAPS_MAX + 4] = { 0 };
	struct vdp_ipc_client_caps c;
	struct vdp_caps caps = { { 0 } };
	int n;

	caps.words[0] = 1u << VDP_CAP_CLIPBOARD_SELECTION;
	n = vdp_ipc_build_client_caps(buf, sizeof(buf), &caps, -1);
	is_int(n, 8 + 4 * VDP_CAPS_WORDS, "caps: built");
	ok(vdp_ipc_parse_client_caps(buf, (size_t)n, &c) == 0 &&
		   c.max_clipboard == -1 &&
		   c.caps.words[0] == 1u << VDP_CAP_CLIPBOARD_SELECTION,
	   "caps: negative max_clipboard kept");
	vdp_put_le32(buf + 8, 0xffffffff);
	ok(vdp_ipc_parse_client_caps(buf, (size_t)n, &c) == 0 &&
		   c.caps.words[0] == (1u << VDP_CAP_END) - 1,
	   "caps: unknown bits dropped");
	vdp_put_le32(buf + 4, 0);
	is_int(vdp_ipc_parse_client_caps(buf, 8, &c), -EINVAL,
	       "caps: 0 words refused");
	vdp_put_le32(buf + 4, 16);
	is_int(vdp_ipc_parse_client_caps(buf, 8 + 64, &c), 0,
	       "caps: 16 words accepted");
	vdp_put_le32(buf + 4, 17);
	is_int(vdp_ipc_parse_client_caps(buf, 8 + 68, &c), -EINVAL,
	       "caps: 17 words refused");
	vdp_put_le32(buf + 4, 2);
	is_int(vdp_ipc_parse_client_caps(buf, 8 + 4, &c), -EINVAL,
	       "caps: 2 words declared, 1 present refused");
	is_int(vdp_ipc_parse_client_caps(buf, 7, &c), -EINVAL,
	       "caps: 7 bytes refused");
	is_int(vdp_ipc_build_client_caps(buf, 8, &caps, 0), -ENOSPC,
	       "caps builder: short buffer");
}

static void test_parse_clipboard(void)
{
	uint8_t buf[VDP_IPC_CLIPBOARD_GRAB_MAX + 8] = { 0 };
	uint32_t types[VDP_IPC_MAX_CLIPBOARD_TYPES + 1];
	struct vdp_ipc_clipboard_grab g;
	struct vdp_ipc_clipboard_request rq;
	struct vdp_ipc_clipboard_data d;
	struct vdp_ipc_clipboard_release rl;
	int n;

	for (uint32_t i = 0; i < ARRAY_LENGTH(types); i++)
		types[i] = 1 + i % (VDP_CLIPBOARD_TYPE_END - 1);

	/* GRAB */
	n = vdp_ipc_build_clipboard_grab(buf, sizeof(buf), 1, types, 6);
	ok(n == 32 && vdp_ipc_parse_clipboard_grab(buf, 32, &g) == 0 &&
		   g.count == 6 && g.types[5] == 6,
	   "grab: all 6 known types accepted");
	is_int(vdp_ipc_parse_clipboard_grab(buf, 28, &g), -EINVAL,
	       "grab: count 6 with 5 types refused");
	is_int(vdp_ipc_parse_clipboard_grab(buf, 36, &g), -EINVAL,
	       "grab: count 6 with 7 types refused");
	is_int(vdp_ipc_parse_clipboard_grab(buf, 7, &g), -EINVAL,
	       "grab: 7 bytes refused");
	is_int(vdp_ipc_build_clipboard_grab(buf, sizeof(buf), 1, types, 7),
	       -EINVAL, "grab builder: duplicate type refused");
	vdp_put_le32(buf + 4, 7);
	vdp_put_le32(buf + 32, 1);
	is_int(vdp_ipc_parse_clipboard_grab(buf, 36, &g), -EINVAL,
	       "grab: duplicate type refused");
	vdp_put_le32(buf + 4, 65);
	is_int(vdp_ipc_parse_clipboard_grab(buf, 8 + 65 * 4, &g), -EINVAL,
	       "grab: 65 types refused");
	is_int(vdp_ipc_build_clipboard_grab(buf, sizeof(buf), 1, types, 65),
	       -EINVAL, "grab builder: 65 types refused");
	n = vdp_ipc_build_clipboard_grab(buf, sizeof(buf), 0, types, 2);
	vdp_put_le32(buf + 12, 0);
	is_int(vdp_ipc_parse_clipboard_grab(buf, (size_t)n, &g), -EINVAL,
	       "grab: type NONE refused");
	vdp_put_le32(buf + 12, VDP_CLIPBOARD_TYPE_END);
	is_int(vdp_ipc_parse_clipboard_grab(buf, (size_t)n, &g), -EINVAL,
	       "grab: unknown type refused");
	n = vdp_ipc_build_clipboard_grab(buf, sizeof(buf), 2, types, 2);
	is_int(vdp_ipc_parse_clipboard_grab(buf, (size_t)n, &g), 0,
	       "grab: selection SECONDARY accepted");
	buf[0] = 3;
	is_int(vdp_ipc_parse_clipboard_grab(buf, (size_t)n, &g), -EINVAL,
	       "grab: selection 3 refused");
	buf[0] = 0;
	buf[2] = 1;
	is_int(vdp_ipc_parse_clipboard_grab(buf, (size_t)n, &g), -EINVAL,
	       "grab: non-zero reserved byte refused");
	is_int(vdp_ipc_build_clipboard_grab(buf, sizeof(buf), 3, types, 1),
	       -EINVAL, "grab builder: selection 3 refused");
	is_int(vdp_ipc_build_clipboard_grab(buf, 11, 0, types, 1), -ENOSPC,
	       "grab builder: short buffer");

	/* REQUEST */
	n = vdp_ipc_build_clipboard_request(buf, sizeof(buf), 1, 5);
	ok(n == 8 && vdp_ipc_parse_clipboard_request(buf, 8, &rq) == 0 &&
		   rq.selection == 1 && rq.type == 5,
	   "request: accepted");
	is_int(vdp_ipc_parse_clipboard_request(buf, 7, &rq), -EINVAL,
	       "request: 7 bytes refused");
	is_int(vdp_ipc_parse_clipboard_request(buf, 9, &rq), -EINVAL,
	       "request: 9 bytes refused");
	vdp_put_le32(buf + 4, 0);
	is_int(vdp_ipc_parse_clipboard_request(buf, 8, &rq), -EINVAL,
	       "request: type NONE refused");
	vdp_put_le32(buf + 4, 1);
	buf[0] = 0xff;
	is_int(vdp_ipc_parse_clipboard_request(buf, 8, &rq), -EINVAL,
	       "request: selection 255 refused");
	is_int(vdp_ipc_build_clipboard_request(buf, sizeof(buf), 0, 7),
	       -EINVAL, "request builder: type 7 refused");
	is_int(vdp_ipc_build_clipboard_request(buf, 7, 0, 1), -ENOSPC,
	       "request builder: short buffer");

	/* DATA */
	n = vdp_ipc_build_clipboard_data_head(buf, sizeof(buf), 0, 2);
	memcpy(buf + 8, "PNG", 3);
	ok(n == 8 && vdp_ipc_parse_clipboard_data(buf, 11, &d) == 0 &&
		   d.type == 2 && d.size == 3 && d.data == buf + 8,
	   "data: accepted, view points into the payload");
	ok(vdp_ipc_parse_clipboard_data(buf, 8, &d) == 0 && d.size == 0,
	   "data: empty data of a real type accepted");
	vdp_put_le32(buf + 4, VDP_CLIPBOARD_NONE);
	is_int(vdp_ipc_parse_clipboard_data(buf, 8, &d), 0,
	       "data: type NONE without data accepted");
	is_int(vdp_ipc_parse_clipboard_data(buf, 9, &d), -EINVAL,
	       "data: type NONE with data refused");
	vdp_put_le32(buf + 4, VDP_CLIPBOARD_TYPE_END);
	is_int(vdp_ipc_parse_clipboard_data(buf, 9, &d), -EINVAL,
	       "data: unknown type refused");
	vdp_put_le32(buf + 4, 1);
	buf[3] = 1;
	is_int(vdp_ipc_parse_clipboard_data(buf, 9, &d), -EINVAL,
	       "data: non-zero reserved byte refused");
	is_int(vdp_ipc_parse_clipboard_data(buf, 7, &d), -EINVAL,
	       "data: 7 bytes refused");
	is_int(vdp_ipc_build_clipboard_data_head(buf, sizeof(buf), 3, 1),
	       -EINVAL, "data builder: selection 3 refused");
	is_int(vdp_ipc_build_clipboard_data_head(buf, sizeof(buf), 0, 0), 8,
	       "data builder: type NONE accepted");

	/* RELEASE */
	n = vdp_ipc_build_clipboard_release(buf, sizeof(buf), 2);
	ok(n == 4 && vdp_ipc_parse_clipboard_release(buf, 4, &rl) == 0 &&
		   rl.selection == 2,
	   "release: accepted");
	is_int(vdp_ipc_parse_clipboard_release(buf, 5, &rl), -EINVAL,
	       "release: 5 bytes refused");
	is_int(vdp_ipc_parse_clipboard_release(buf, 3, &rl), -EINVAL,
	       "release: 3 bytes refused");
	buf[0] = 3;
	is_int(vdp_ipc_parse_clipboard_release(buf, 4, &rl), -EINVAL,
	       "release: selection 3 refused");
	buf[0] = 0;
	buf[1] = 1;
	is_int(vdp_ipc_parse_clipboard_release(buf, 4, &rl), -EINVAL,
	       "release: non-zero reserved byte refused");
}

static void test_parse_xfer(void)
{
	const size_t big = 4 + VDP_IPC_XFER_DATA_MAX + 1;
	uint8_t *buf = calloc(1, big);
	struct vdp_ipc_xfer_start s;
	struct vdp_ipc_xfer_data d;
	struct vdp_ipc_xfer_status st;
	uint8_t detail[17] = { 0 };
	int n;

	/* START */
	vdp_ipc_build_xfer_start_head(buf, big, 9);
	memcpy(buf + 4, xfer_text, strlen(xfer_text));
	ok(vdp_ipc_parse_xfer_start(buf, 4 + strlen(xfer_text), &s) == 0 &&
		   s.id == 9 && text_is(s.text, s.text_len, xfer_text),
	   "xfer start: accepted (newlines allowed)");
	is_int(vdp_ipc_parse_xfer_start(buf, 4, &s), -EINVAL,
	       "xfer start: empty text refused");
	is_int(vdp_ipc_parse_xfer_start(buf, 3, &s), -EINVAL,
	       "xfer start: 3 bytes refused");
	buf[10] = 0;
	is_int(vdp_ipc_parse_xfer_start(buf, 4 + strlen(xfer_text), &s),
	       -EINVAL, "xfer start: NUL in text refused");
	buf[10] = 0xc3;
	is_int(vdp_ipc_parse_xfer_start(buf, 4 + strlen(xfer_text), &s),
	       -EINVAL, "xfer start: invalid UTF-8 refused");
	memset(buf + 4, 'x', VDP_IPC_XFER_START_TEXT_MAX + 1);
	is_int(vdp_ipc_parse_xfer_start(buf, 4 + VDP_IPC_XFER_START_TEXT_MAX,
					&s),
	       0, "xfer start: 64 KiB text accepted");
	is_int(vdp_ipc_parse_xfer_start(buf,
					4 + VDP_IPC_XFER_START_TEXT_MAX + 1,
					&s),
	       -EINVAL, "xfer start: 64 KiB + 1 text refused");

	/* DATA */
	vdp_ipc_build_xfer_data_head(buf, big, 0xdeadbeef);
	ok(vdp_ipc_parse_xfer_data(buf, 4, &d) == 0 && d.id == 0xdeadbeef &&
		   d.size == 0,
	   "xfer data: empty data accepted");
	ok(vdp_ipc_parse_xfer_data(buf, big - 1, &d) == 0 &&
		   d.size == VDP_IPC_XFER_DATA_MAX && d.data == buf + 4,
	   "xfer data: 1 MiB accepted");
	is_int(vdp_ipc_parse_xfer_data(buf, big, &d), -EINVAL,
	       "xfer data: 1 MiB + 1 refused");
	is_int(vdp_ipc_parse_xfer_data(buf, 3, &d), -EINVAL,
	       "xfer data: 3 bytes refused");
	is_int(vdp_ipc_build_xfer_data_head(buf, 3, 1), -ENOSPC,
	       "xfer data head: short buffer");

	/* STATUS */
	n = vdp_ipc_build_xfer_status(buf, big, 3, VDP_XFER_STATUS_SUCCESS,
				      NULL, 0);
	ok(n == 8 && vdp_ipc_parse_xfer_status(buf, 8, &st) == 0 &&
		   st.id == 3 && st.result == VDP_XFER_STATUS_SUCCESS,
	   "xfer status: SUCCESS accepted");
	n = vdp_ipc_build_xfer_status(buf, big, 3,
				      VDP_XFER_STATUS_NOT_ENOUGH_SPACE, detail,
				      8);
	ok(n == 16 && vdp_ipc_parse_xfer_status(buf, 16, &st) == 0 &&
		   st.detail_len == 8,
	   "xfer status: NOT_ENOUGH_SPACE with 8-byte detail accepted");
	is_int(vdp_ipc_parse_xfer_status(buf, 13, &st), -EINVAL,
	       "xfer status: NOT_ENOUGH_SPACE with 5-byte detail refused");
	vdp_put_le32(buf + 4, VDP_XFER_STATUS_ERROR);
	is_int(vdp_ipc_parse_xfer_status(buf, 13, &st), 0,
	       "xfer status: ERROR with 5-byte detail accepted");
	is_int(vdp_ipc_parse_xfer_status(buf, 12, &st), -EINVAL,
	       "xfer status: ERROR with 4-byte detail refused");
	vdp_put_le32(buf + 4, VDP_XFER_STATUS_SUCCESS);
	is_int(vdp_ipc_parse_xfer_status(buf, 13, &st), -EINVAL,
	       "xfer status: SUCCESS with detail refused");
	vdp_put_le32(buf + 4, VDP_XFER_STATUS_END);
	is_int(vdp_ipc_parse_xfer_status(buf, 8, &st), -EINVAL,
	       "xfer status: unknown result refused");
	is_int(vdp_ipc_parse_xfer_status(buf, 7, &st), -EINVAL,
	       "xfer status: 7 bytes refused");
	vdp_put_le32(buf + 4, VDP_XFER_STATUS_ERROR);
	is_int(vdp_ipc_parse_xfer_status(buf, 8 + 17, &st), -EINVAL,
	       "xfer status: 17-byte detail refused");
	is_int(vdp_ipc_build_xfer_status(buf, big, 1, VDP_XFER_STATUS_ERROR,
					 detail, 17),
	       -EINVAL, "xfer status builder: 17-byte detail refused");
	is_int(vdp_ipc_build_xfer_status(buf, big, 1, VDP_XFER_STATUS_END,
					 NULL, 0),
	       -EINVAL, "xfer status builder: unknown result refused");
	is_int(vdp_ipc_build_xfer_status(buf, 12, 1, VDP_XFER_STATUS_ERROR,
					 detail, 5),
	       -ENOSPC, "xfer status builder: short buffer");

	/* CLIENT_DISCONNECTED */
	is_int(vdp_ipc_parse_empty(buf, 0), 0, "empty: 0 bytes accepted");
	is_int(vdp_ipc_parse_empty(buf, 1), -EINVAL, "empty: 1 byte refused");
	free(buf);
}

static void test_parse_monitors_result(void)
{
	static const uint8_t ok_bytes[] = { 7, 0, 0, 0, 2, 0, 0, 0 };
	struct vdp_ipc_monitors_result mr;
	uint8_t buf[16];
	int n;

	n = vdp_ipc_build_monitors_result(buf, sizeof(buf), 7,
					  VDP_REPLY_ERROR);
	is_int(n, 8, "monitors result builder: 8 bytes");
	is_mem(buf, ok_bytes, sizeof(ok_bytes),
	       "monitors result: serial then result, little-endian");
	ok(vdp_ipc_parse_monitors_result(buf, 8, &mr) == 0 &&
		   mr.serial == 7 && mr.result == VDP_REPLY_ERROR,
	   "monitors result round trip (error)");
	n = vdp_ipc_build_monitors_result(buf, sizeof(buf), 0xffffffffu,
					  VDP_REPLY_SUCCESS);
	ok(n == 8 && vdp_ipc_parse_monitors_result(buf, 8, &mr) == 0 &&
		   mr.serial == 0xffffffffu && mr.result == VDP_REPLY_SUCCESS,
	   "monitors result round trip (success, largest serial)");
	is_int(vdp_ipc_parse_monitors_result(buf, 7, &mr), -EINVAL,
	       "monitors result: 7 bytes refused");
	is_int(vdp_ipc_parse_monitors_result(buf, 9, &mr), -EINVAL,
	       "monitors result: 9 bytes refused");
	vdp_put_le32(buf, 0);
	is_int(vdp_ipc_parse_monitors_result(buf, 8, &mr), -EINVAL,
	       "monitors result: serial 0 refused");
	vdp_put_le32(buf, 1);
	for (uint32_t bad = 0; bad < 5; bad += 3) {
		vdp_put_le32(buf + 4, bad);
		is_int(vdp_ipc_parse_monitors_result(buf, 8, &mr), -EINVAL,
		       "monitors result: result %u refused", bad);
	}
	vdp_put_le32(buf + 4, 0x80000001u);
	is_int(vdp_ipc_parse_monitors_result(buf, 8, &mr), -EINVAL,
	       "monitors result: result with high bits refused");
	is_int(vdp_ipc_build_monitors_result(buf, sizeof(buf), 0,
					     VDP_REPLY_SUCCESS),
	       -EINVAL, "monitors result builder: serial 0 refused");
	is_int(vdp_ipc_build_monitors_result(buf, sizeof(buf), 1, 3), -EINVAL,
	       "monitors result builder: result 3 refused");
	is_int(vdp_ipc_build_monitors_result(buf, 7, 1, VDP_REPLY_SUCCESS),
	       -ENOSPC, "monitors result builder: short buffer");
	ok(vdp_ipc_type_allowed(VDP_IPC_MONITORS_RESULT, VDP_IPC_FROM_AGENT) &&
		   !vdp_ipc_type_allowed(VDP_IPC_MONITORS_RESULT,
					 VDP_IPC_FROM_DAEMON) &&
		   vdp_ipc_max_payload(VDP_IPC_MONITORS_RESULT) == 8 &&
		   streq(vdp_ipc_type_name(VDP_IPC_MONITORS_RESULT),
			 "MONITORS_RESULT"),
	   "MONITORS_RESULT: from the agent only, 8 bytes at most");
	ok(VDP_IPC_HELLO_MONITORS_RESULT != VDP_IPC_HELLO_FILE_XFER_DISABLED,
	   "HELLO flags are distinct bits");
}

/* A daemon decoder takes MONITORS_RESULT; an agent's refuses it at its
 * header (it is an agent's message). */
static void test_monitors_result_stream(void)
{
	struct vdp_ipc_decoder *da = vdp_ipc_decoder_new(VDP_IPC_FROM_AGENT);
	struct vdp_ipc_decoder *dd = vdp_ipc_decoder_new(VDP_IPC_FROM_DAEMON);
	struct vdp_ipc_monitors_result mr;
	uint8_t body[VDP_IPC_MONITORS_RESULT_SIZE];
	uint8_t *buf = NULL;
	size_t len = 0;
	struct sink s;

	sink_init(&s);
	vdp_ipc_build_monitors_result(body, sizeof(body), 3,
				      VDP_REPLY_SUCCESS);
	vdp_ipc_encode_append(&buf, &len, VDP_IPC_MONITORS_RESULT,
			      &(struct vdp_iov){ body, sizeof(body) }, 1);
	is_int(vdp_ipc_decoder_feed(da, buf, len, sink_cb, &s), VDP_IPC_OK,
	       "MONITORS_RESULT from the agent: accepted");
	ok(s.n == 1 && s.msgs[0].type == VDP_IPC_MONITORS_RESULT &&
		   vdp_ipc_parse_monitors_result(s.msgs[0].data,
						 s.msgs[0].size, &mr) == 0 &&
		   mr.serial == 3 && mr.result == VDP_REPLY_SUCCESS,
	   "MONITORS_RESULT decoded and parsed");
	is_int(vdp_ipc_decoder_feed(dd, buf, len, sink_cb, &s),
	       VDP_IPC_ERR_TYPE, "MONITORS_RESULT from the daemon: refused");
	free(buf);
	buf = NULL;
	len = 0;
	/* a header declaring 9 bytes is refused before any payload */
	uint8_t h[VDP_IPC_HEADER_SIZE];
	vdp_put_le32(h, VDP_IPC_MONITORS_RESULT);
	vdp_put_le32(h + 4, VDP_IPC_MONITORS_RESULT_SIZE + 1);
	vdp_ipc_decoder_reset(da);
	is_int(vdp_ipc_decoder_feed(da, h, sizeof(h), sink_cb, &s),
	       VDP_IPC_ERR_SIZE, "MONITORS_RESULT of 9 bytes: refused");
	sink_clear(&s);
	vdp_ipc_decoder_free(da);
	vdp_ipc_decoder_free(dd);
}

int main(void)
{
	test_round_trip(VDP_IPC_FROM_AGENT, "agent");
	test_round_trip(VDP_IPC_FROM_DAEMON, "daemon");
	test_direction();
	test_limits();
	test_set_limit();
	test_hostile();
	test_big_message();
	test_encoder();
	test_parse_hello();
	test_parse_screen_layout();
	test_parse_client_caps();
	test_parse_clipboard();
	test_parse_xfer();
	test_parse_monitors_result();
	test_monitors_result_stream();
	return tap_done();
}
