/* SPDX-License-Identifier: MIT */
#include "dump-message.h"

#include <errno.h>
#include <inttypes.h>

#include "vdp-util.h"
#include "vdp-validate.h"
#include "vdp-wire.h"

#define TEXT_PREVIEW 40

struct flag_name {
	uint32_t bit;
	const char *name;
};

static const struct flag_name button_names[] = {
	{ VDP_BUTTON_LEFT, "LEFT" },   { VDP_BUTTON_MIDDLE, "MIDDLE" },
	{ VDP_BUTTON_RIGHT, "RIGHT" }, { VDP_BUTTON_UP, "UP" },
	{ VDP_BUTTON_DOWN, "DOWN" },   { VDP_BUTTON_SIDE, "SIDE" },
	{ VDP_BUTTON_EXTRA, "EXTRA" },
};

static const struct flag_name monitors_flag_names[] = {
	{ VDP_MONITORS_FLAG_USE_POS, "USE_POS" },
	{ VDP_MONITORS_FLAG_PHYSICAL_SIZE, "PHYSICAL_SIZE" },
};

static const struct flag_name display_flag_names[] = {
	{ VDP_DISPLAY_FLAG_DISABLE_WALLPAPER, "DISABLE_WALLPAPER" },
	{ VDP_DISPLAY_FLAG_DISABLE_FONT_SMOOTH, "DISABLE_FONT_SMOOTH" },
	{ VDP_DISPLAY_FLAG_DISABLE_ANIMATION, "DISABLE_ANIMATION" },
	{ VDP_DISPLAY_FLAG_SET_COLOR_DEPTH, "SET_COLOR_DEPTH" },
};

/* NAME|NAME|0x..., or "none" for 0. */
static void print_flags(FILE *out, uint32_t v, const struct flag_name *names,
			size_t count)
{
	const char *sep = "";

	if (v == 0) {
		fputs("none", out);
		return;
	}
	for (size_t i = 0; i < count; i++) {
		if (v & names[i].bit) {
			fprintf(out, "%s%s", sep, names[i].name);
			sep = "|";
			v &= ~names[i].bit;
		}
	}
	if (v)
		fprintf(out, "%s0x%" PRIx32, sep, v);
}

/* A name from protocol/, or the number when it is not a known value. */
static void print_name(FILE *out, const char *name, uint32_t v)
{
	if (streq(name, "UNKNOWN"))
		fprintf(out, "%" PRIu32, v);
	else
		fputs(name, out);
}

void dump_escaped(FILE *out, const uint8_t *s, size_t len, size_t max)
{
	size_t n = len < max ? len : max;

	fputc('"', out);
	for (size_t i = 0; i < n; i++) {
		uint8_t c = s[i];

		switch (c) {
		case '\n': fputs("\\n", out); break;
		case '\r': fputs("\\r", out); break;
		case '\t': fputs("\\t", out); break;
		case '\\': fputs("\\\\", out); break;
		case '"': fputs("\\\"", out); break;
		default:
			if (c >= 0x20 && c < 0x7f)
				fputc(c, out);
			else
				fprintf(out, "\\x%02x", c);
		}
	}
	fputc('"', out);
	if (n < len)
		fputs("...", out);
}

static const char *errno_reason(int r)
{
	switch (r) {
	case -EBADMSG: return "wrong size or layout";
	case -E2BIG: return "a count or length over the limit";
	case -EILSEQ: return "bad UTF-8 or a misplaced NUL";
	case -EINVAL: return "a field value that is not allowed";
	case -ENOENT: return "key file lacks [vdagent-file-xfer] name= or size=";
	case -ENOMEM: return "out of memory";
	}
	return "invalid message";
}

/* Layout errors in clipboard messages usually mean the caps assumption is
 * wrong: say which layout was expected. */
static const char *clipboard_reason(int r, const struct vdp_caps *neg,
				    bool grab)
{
	bool sel = vdp_caps_has(neg, VDP_CAP_CLIPBOARD_SELECTION);
	bool serial = grab && vdp_caps_has(neg, VDP_CAP_CLIPBOARD_GRAB_SERIAL);

	if (r != -EBADMSG)
		return errno_reason(r);
	if (sel && serial)
		return "wrong size or layout (expected selection prefix and "
		       "grab serial: see --caps/--peer-caps)";
	if (sel)
		return "wrong size or layout (expected selection prefix: see "
		       "--caps/--peer-caps)";
	if (serial)
		return "wrong size or layout (expected grab serial: see "
		       "--caps/--peer-caps)";
	return "wrong size or layout (expected no selection prefix: see "
	       "--caps/--peer-caps)";
}

static int dump_mouse(FILE *out, const uint8_t *p, size_t n)
{
	struct vdp_mouse_state m;
	int r = vdp_parse_mouse_state(p, n, &m);

	if (r < 0)
		return r;
	fprintf(out, " x=%" PRIu32 " y=%" PRIu32 " buttons=", m.x, m.y);
	print_flags(out, m.buttons, button_names, ARRAY_LENGTH(button_names));
	fprintf(out, " display=%u", m.display_id);
	return 0;
}

static int dump_monitors(FILE *out, const uint8_t *p, size_t n)
{
	_cleanup_free_ struct vdp_monitors_config *mc = zalloc(sizeof(*mc));
	uint32_t disabled = 0;
	int r;

	if (!mc)
		return -ENOMEM;
	r = vdp_parse_monitors_config(p, n, mc);
	if (r < 0)
		return r;
	fprintf(out, " count=%" PRIu32 " flags=", mc->count);
	print_flags(out, mc->flags, monitors_flag_names,
		    ARRAY_LENGTH(monitors_flag_names));
	for (uint32_t i = 0; i < mc->count; i++) {
		const struct vdp_monitor *m = &mc->mon[i];

		if (!m->enabled) {
			disabled++;
			continue;
		}
		fprintf(out, " [%" PRIu32 "]=%" PRIu32 "x%" PRIu32 "%+" PRId32
			"%+" PRId32 "@%" PRIu32, i, m->width, m->height, m->x,
			m->y, m->depth);
		if (mc->flags & VDP_MONITORS_FLAG_PHYSICAL_SIZE)
			fprintf(out, ",%ux%umm", m->width_mm, m->height_mm);
	}
	fprintf(out, " disabled=%" PRIu32, disabled);
	return 0;
}

static int dump_reply(FILE *out, const uint8_t *p, size_t n)
{
	struct vdp_reply rp;
	int r = vdp_parse_reply(p, n, &rp);

	if (r < 0)
		return r;
	fputs(" type=", out);
	print_name(out, vdp_message_type_name(rp.type), rp.type);
	fputs(" error=", out);
	print_name(out, vdp_reply_error_name(rp.error), rp.error);
	return 0;
}

static int dump_display_config(FILE *out, const uint8_t *p, size_t n)
{
	struct vdp_display_config dc;
	int r = vdp_parse_display_config(p, n, &dc);

	if (r < 0)
		return r;
	fputs(" flags=", out);
	print_flags(out, dc.flags, display_flag_names,
		    ARRAY_LENGTH(display_flag_names));
	fprintf(out, " depth=%" PRIu32, dc.depth);
	return 0;
}

static int dump_caps(FILE *out, const uint8_t *p, size_t n)
{
	struct vdp_capabilities c;
	char names[1024];
	uint32_t unknown = 0;
	size_t words = n >= 4 ? (n - 4) / 4 : 0;
	int r = vdp_parse_capabilities(p, n, &c);

	if (r < 0)
		return r;
	vdp_caps_format(&c.caps, names, sizeof(names));
	fprintf(out, " request=%d words=%zu caps=%s", c.request ? 1 : 0, words,
		names[0] ? names : "none");
	/* bits past the ones we know, in the first word only: later words
	 * are all unknown and shown as a count */
	if (words >= 1)
		unknown = vdp_get_le32(p + 4) & ~c.caps.words[0];
	if (unknown)
		fprintf(out, " unknown=0x%08" PRIx32, unknown);
	return 0;
}

static void print_clipboard_types(FILE *out, const uint32_t *types,
				  uint32_t count)
{
	fputs(" types=", out);
	if (count == 0)
		fputs("none", out);
	for (uint32_t i = 0; i < count; i++) {
		if (i)
			fputc(',', out);
		print_name(out, vdp_clipboard_type_name(types[i]), types[i]);
	}
}

static void print_selection(FILE *out, uint8_t selection)
{
	fputs(" selection=", out);
	print_name(out, vdp_selection_name(selection), selection);
}

static int dump_clipboard(FILE *out, const uint8_t *p, size_t n,
			  const struct vdp_caps *neg)
{
	struct vdp_clipboard cb;
	int r = vdp_parse_clipboard(p, n, neg, &cb);

	if (r < 0)
		return r;
	print_selection(out, cb.selection);
	fputs(" type=", out);
	print_name(out, vdp_clipboard_type_name(cb.type), cb.type);
	fprintf(out, " bytes=%zu", cb.size);
	if (cb.type == VDP_CLIPBOARD_UTF8_TEXT ||
	    cb.type == VDP_CLIPBOARD_FILE_LIST) {
		fputs(" text=", out);
		dump_escaped(out, cb.data, cb.size, TEXT_PREVIEW);
	}
	return 0;
}

static int dump_grab(FILE *out, const uint8_t *p, size_t n,
		     const struct vdp_caps *neg)
{
	struct vdp_clipboard_grab g;
	int r = vdp_parse_clipboard_grab(p, n, neg, &g);

	if (r < 0)
		return r;
	print_selection(out, g.selection);
	if (g.has_serial)
		fprintf(out, " serial=%" PRIu32, g.serial);
	print_clipboard_types(out, g.types, g.count);
	return 0;
}

static int dump_request(FILE *out, const uint8_t *p, size_t n,
			const struct vdp_caps *neg)
{
	struct vdp_clipboard_request rq;
	int r = vdp_parse_clipboard_request(p, n, neg, &rq);

	if (r < 0)
		return r;
	print_selection(out, rq.selection);
	fputs(" type=", out);
	print_name(out, vdp_clipboard_type_name(rq.type), rq.type);
	return 0;
}

static int dump_release(FILE *out, const uint8_t *p, size_t n,
			const struct vdp_caps *neg)
{
	struct vdp_clipboard_release rl;
	int r = vdp_parse_clipboard_release(p, n, neg, &rl);

	if (r < 0)
		return r;
	print_selection(out, rl.selection);
	return 0;
}

static int dump_xfer_start(FILE *out, const uint8_t *p, size_t n)
{
	struct vdp_xfer_start xs;
	char name[VDP_XFER_NAME_MAX];
	uint64_t size;
	int r = vdp_parse_xfer_start(p, n, &xs);

	if (r < 0)
		return r;
	r = vdp_xfer_keyfile_parse(xs.keyfile, xs.keyfile_len, name,
				   sizeof(name), &size);
	if (r < 0)
		return r;
	fprintf(out, " id=%" PRIu32 " name=", xs.id);
	dump_escaped(out, (const uint8_t *)name, strlen(name), VDP_XFER_NAME_MAX);
	fprintf(out, " size=%" PRIu64, size);
	if (!vdp_xfer_name_is_safe(name))
		fputs(" unsafe-name", out);
	return 0;
}

static int dump_xfer_status(FILE *out, const uint8_t *p, size_t n)
{
	struct vdp_xfer_status_msg st;
	int r = vdp_parse_xfer_status(p, n, &st);

	if (r < 0)
		return r;
	fprintf(out, " id=%" PRIu32 " result=", st.id);
	print_name(out, vdp_xfer_status_name(st.result), st.result);
	if (st.detail == VDP_XFER_DETAIL_ERROR)
		fprintf(out, " error_type=%u error_code=%" PRIu32,
			st.error_type, st.error_code);
	else if (st.detail == VDP_XFER_DETAIL_NO_SPACE)
		fprintf(out, " disk_free=%" PRIu64, st.disk_free_space);
	return 0;
}

static int dump_xfer_data(FILE *out, const uint8_t *p, size_t n)
{
	struct vdp_xfer_data xd;
	int r = vdp_parse_xfer_data(p, n, &xd);

	if (r < 0)
		return r;
	fprintf(out, " id=%" PRIu32 " bytes=%" PRIu64, xd.id, xd.size);
	return 0;
}

static int dump_max_clipboard(FILE *out, const uint8_t *p, size_t n)
{
	struct vdp_max_clipboard mc;
	int r = vdp_parse_max_clipboard(p, n, &mc);

	if (r < 0)
		return r;
	if (mc.max <= 0)
		fprintf(out, " max=%" PRId32 " (no limit)", mc.max);
	else
		fprintf(out, " max=%" PRId32, mc.max);
	return 0;
}

static int dump_volume(FILE *out, const uint8_t *p, size_t n)
{
	struct vdp_volume_sync v;
	int r = vdp_parse_volume_sync(p, n, &v);

	if (r < 0)
		return r;
	fprintf(out, " stream=%s mute=%d channels=%u volume=",
		v.is_playback ? "playback" : "record", v.mute ? 1 : 0,
		v.nchannels);
	if (v.nchannels == 0)
		fputs("none", out);
	for (unsigned i = 0; i < v.nchannels; i++)
		fprintf(out, "%s%u", i ? "," : "", v.volume[i]);
	return 0;
}

static int dump_device_info(FILE *out, const uint8_t *p, size_t n)
{
	_cleanup_free_ struct vdp_graphics_device_info *gi = zalloc(sizeof(*gi));
	int r;

	if (!gi)
		return -ENOMEM;
	r = vdp_parse_graphics_device_info(p, n, gi);
	if (r < 0)
		return r;
	fprintf(out, " count=%" PRIu32, gi->count);
	for (uint32_t i = 0; i < gi->count; i++) {
		const struct vdp_device_display *e = &gi->entry[i];

		fprintf(out, " [%" PRIu32 "]=channel:%" PRIu32
			",monitor:%" PRIu32 ",display:%" PRIu32 ",address:",
			i, e->channel_id, e->monitor_id, e->device_display_id);
		dump_escaped(out, (const uint8_t *)e->address,
			     strlen(e->address), VDP_DEVICE_ADDRESS_MAX);
	}
	return 0;
}

int dump_message_fields(FILE *out, const struct vdp_message *msg,
			const struct vdp_caps *negotiated, const char **why)
{
	const uint8_t *p = msg->data;
	size_t n = msg->size;
	const char *reason = NULL;
	int r;

	switch (msg->type) {
	case VDP_MSG_MOUSE_STATE:
		r = dump_mouse(out, p, n);
		break;
	case VDP_MSG_MONITORS_CONFIG:
		r = dump_monitors(out, p, n);
		break;
	case VDP_MSG_REPLY:
		r = dump_reply(out, p, n);
		break;
	case VDP_MSG_CLIPBOARD:
		r = dump_clipboard(out, p, n, negotiated);
		reason = clipboard_reason(r, negotiated, false);
		break;
	case VDP_MSG_DISPLAY_CONFIG:
		r = dump_display_config(out, p, n);
		break;
	case VDP_MSG_ANNOUNCE_CAPABILITIES:
		r = dump_caps(out, p, n);
		break;
	case VDP_MSG_CLIPBOARD_GRAB:
		r = dump_grab(out, p, n, negotiated);
		reason = clipboard_reason(r, negotiated, true);
		break;
	case VDP_MSG_CLIPBOARD_REQUEST:
		r = dump_request(out, p, n, negotiated);
		reason = clipboard_reason(r, negotiated, false);
		break;
	case VDP_MSG_CLIPBOARD_RELEASE:
		r = dump_release(out, p, n, negotiated);
		reason = clipboard_reason(r, negotiated, false);
		break;
	case VDP_MSG_FILE_XFER_START:
		r = dump_xfer_start(out, p, n);
		break;
	case VDP_MSG_FILE_XFER_STATUS:
		r = dump_xfer_status(out, p, n);
		break;
	case VDP_MSG_FILE_XFER_DATA:
		r = dump_xfer_data(out, p, n);
		break;
	case VDP_MSG_CLIENT_DISCONNECTED:
		r = vdp_parse_client_disconnected(p, n);
		break;
	case VDP_MSG_MAX_CLIPBOARD:
		r = dump_max_clipboard(out, p, n);
		break;
	case VDP_MSG_AUDIO_VOLUME_SYNC:
		r = dump_volume(out, p, n);
		break;
	case VDP_MSG_GRAPHICS_DEVICE_INFO:
		r = dump_device_info(out, p, n);
		break;
	default:
		r = -EOPNOTSUPP;
		reason = "unknown message type";
		break;
	}
	if (r < 0 && why)
		*why = reason ? reason : errno_reason(r);
	return r;
}
