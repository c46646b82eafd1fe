/* SPDX-License-Identifier: MIT */
/*
 * The clipboard module: protocol messages and window messages in,
 * events of the state machine (clipboard-state.h) out, and the actions
 * it names carried out here.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "agent.h"
#include "clipboard-data.h"
#include "clipboard-format.h"
#include "clipboard-io.h"
#include "clipboard-state.h"
#include "clipboard.h"
#include "log.h"
#include "vdp-build.h"
#include "vdp-grab-serial.h"
#include "vdp-text.h"
#include "vdp-util.h"
#include "vdp-validate.h"

/* How long a paste waits for the client's data. */
#define RENDER_TIMEOUT_MS 20000
/*
 * The most we read from the Windows clipboard for one request.  Text there
 * is UTF-16, up to twice the bytes of the UTF-8 sent: 256 MiB holds 128 MiB
 * of ASCII, above the Linux agent's bound for one message (the bench's
 * 50 MB of text is 92 MiB as UTF-16).  The client's MAX_CLIPBOARD still
 * applies to what is sent.
 */
#define READ_MAX (256u * 1024u * 1024u)

struct wa_clipboard {
	struct wa_agent *agent;
	HWND hwnd;
	bool listening;
	bool com; /* CoInitializeEx() to undo */
	enum wa_clip_state state;

	/* the client's grab: the types we render, in its order */
	uint32_t client_types[VDP_CLIPBOARD_TYPES_MAX];
	size_t client_count;
	/* the guest's clipboard, as announced to the client */
	uint32_t guest_types[VDP_CLIPBOARD_TYPES_MAX];
	size_t guest_count;
	struct vdp_grab_serial serial;
	int32_t max_clipboard; /* <= 0: no limit */

	/* the render in progress (RENDERING) */
	uint32_t render_type;
	bool render_done;
	uint8_t *render_data;
	size_t render_len;
	/* the client's data of the last render, kept while its grab holds:
	 * a PNG serves both CF_DIB and the PNG format with one request */
	uint32_t cache_type;
	uint8_t *cache_data;
	size_t cache_len;
	/* a client event that came while rendering, replayed after it */
	bool deferred;
	enum wa_clip_event deferred_event;
	/* posted to our window to replay it once the program that pasted
	 * has closed the clipboard */
	UINT replay_msg;
	UINT png_format; /* the registered "PNG" format, 0 if none */
};

static const struct vdp_caps *negotiated(const struct wa_clipboard *c)
{
	return wa_agent_negotiated(c->agent);
}

/* Line ends: Windows text is CRLF. */
static bool convert_lineends(const struct wa_clipboard *c)
{
	const struct vdp_caps *client = wa_agent_client_caps(c->agent);

	return vdp_lineend_convert_needed(
		true, vdp_caps_has(client, VDP_CAP_GUEST_LINEEND_LF),
		vdp_caps_has(client, VDP_CAP_GUEST_LINEEND_CRLF));
}

static UINT kind_format(const struct wa_clipboard *c, enum wa_clip_kind k)
{
	switch (k) {
	case WA_CLIP_KIND_TEXT:
		return CF_UNICODETEXT;
	case WA_CLIP_KIND_DIB:
		return CF_DIB;
	case WA_CLIP_KIND_PNG:
		return c->png_format;
	default:
		return 0;
	}
}

static enum wa_clip_kind format_kind(const struct wa_clipboard *c, UINT fmt)
{
	if (fmt == CF_UNICODETEXT)
		return WA_CLIP_KIND_TEXT;
	if (fmt == CF_DIB)
		return WA_CLIP_KIND_DIB;
	if (fmt && fmt == c->png_format)
		return WA_CLIP_KIND_PNG;
	return WA_CLIP_KIND_NONE;
}

static bool png_available(const struct wa_clipboard *c)
{
	return c->png_format && IsClipboardFormatAvailable(c->png_format);
}

static bool dib_available(void)
{
	/* Windows makes each of these from the others */
	return IsClipboardFormatAvailable(CF_DIB) ||
	       IsClipboardFormatAvailable(CF_DIBV5) ||
	       IsClipboardFormatAvailable(CF_BITMAP);
}

/* ---- to the client --------------------------------------------------------- */

static void send_grab(struct wa_clipboard *c)
{
	uint8_t buf[VDP_BUILD_SMALL_MAX + 4 * VDP_CLIPBOARD_TYPES_MAX];
	uint32_t serial = 0;

	if (!vdp_caps_has(negotiated(c), VDP_CAP_CLIPBOARD_BY_DEMAND)) {
		wa_debug("clipboard: the client cannot take a grab");
		return;
	}
	if (vdp_caps_has(negotiated(c), VDP_CAP_CLIPBOARD_GRAB_SERIAL))
		serial = vdp_grab_serial_ours(&c->serial);
	int n = vdp_build_clipboard_grab(buf, sizeof(buf), negotiated(c),
					 VDP_SELECTION_CLIPBOARD, serial,
					 c->guest_types,
					 (uint32_t)c->guest_count);
	if (n > 0)
		wa_agent_send(c->agent, VDP_MSG_CLIPBOARD_GRAB, buf, (size_t)n,
			      NULL, 0);
}

static void send_release(struct wa_clipboard *c)
{
	uint8_t buf[VDP_BUILD_SMALL_MAX];
	int n = vdp_build_clipboard_release(buf, sizeof(buf), negotiated(c),
					    VDP_SELECTION_CLIPBOARD);

	if (n >= 0)
		wa_agent_send(c->agent, VDP_MSG_CLIPBOARD_RELEASE, buf,
			      (size_t)n, NULL, 0);
}

static void send_request(struct wa_clipboard *c)
{
	uint8_t buf[VDP_BUILD_SMALL_MAX];
	int n = vdp_build_clipboard_request(buf, sizeof(buf), negotiated(c),
					    VDP_SELECTION_CLIPBOARD,
					    c->render_type);

	if (n < 0 || wa_agent_send(c->agent, VDP_MSG_CLIPBOARD_REQUEST, buf,
				   (size_t)n, NULL, 0) < 0)
		c->render_done = true; /* nothing to wait for */
}

/* CLIPBOARD with data (NULL: type NONE, "no data for your request"). */
static void send_data(struct wa_clipboard *c, uint8_t selection,
		      uint32_t type, const uint8_t *data, size_t len)
{
	uint8_t buf[VDP_BUILD_SMALL_MAX];

	if (!data)
		type = VDP_CLIPBOARD_NONE;
	int n = vdp_build_clipboard_header(buf, sizeof(buf), negotiated(c),
					   selection, type);
	if (n < 0)
		return;
	int r = wa_agent_send(c->agent, VDP_MSG_CLIPBOARD, buf, (size_t)n,
			      data, data ? len : 0);
	if (r == -E2BIG) {
		wa_warning("clipboard: %" PRIu64 " bytes of %s too large to "
			   "send", (uint64_t)len, vdp_clipboard_type_name(type));
		send_data(c, selection, type, NULL, 0);
	}
}

/* ---- the state machine ----------------------------------------------------- */

/* The formats the client's grab is announced as (delayed rendering). */
static size_t client_formats(const struct wa_clipboard *c, UINT *fmts,
			     size_t max)
{
	enum wa_clip_kind kinds[8];
	size_t nk = wa_clip_kinds_for_types(c->client_types, c->client_count,
					    kinds, ARRAY_LENGTH(kinds));
	size_t n = 0;

	for (size_t i = 0; i < nk && n < max; i++)
		if (kind_format(c, kinds[i]))
			fmts[n++] = kind_format(c, kinds[i]);
	return n;
}

static void take_clipboard(struct wa_clipboard *c, bool announce)
{
	UINT fmts[8];
	size_t n = announce ? client_formats(c, fmts, ARRAY_LENGTH(fmts)) : 0;
	int r = wa_clip_take(c->hwnd, fmts, n);
	if (r < 0)
		wa_warning("clipboard: cannot take the clipboard: %s",
			   strerror(-r));
}

static void drop_cache(struct wa_clipboard *c)
{
	free(c->cache_data);
	c->cache_data = NULL;
	c->cache_len = 0;
	c->cache_type = VDP_CLIPBOARD_NONE;
}

static void transition(struct wa_clipboard *c, enum wa_clip_event e)
{
	struct wa_clip_step s = wa_clip_transition(c->state, e);

	if (s.actions & WA_CLIP_ACT_DEFER) {
		wa_debug("clipboard: %s kept until the render ends",
			 wa_clip_event_name(e));
		/* a grab, release or disconnect outdates what we wait for */
		c->deferred = true;
		c->deferred_event = e;
		c->render_done = true;
		return;
	}
	wa_debug("clipboard: %s --%s--> %s", wa_clip_state_name(c->state),
		 wa_clip_event_name(e), wa_clip_state_name(s.next));
	c->state = s.next;
	if (s.actions & (WA_CLIP_ACT_EMPTY | WA_CLIP_ACT_TAKE) ||
	    (s.next != WA_CLIP_CLIENT_OWNS && s.next != WA_CLIP_RENDERING))
		drop_cache(c);
	if (s.actions & (WA_CLIP_ACT_EMPTY | WA_CLIP_ACT_TAKE))
		take_clipboard(c, s.actions & WA_CLIP_ACT_TAKE);
	if (s.actions & WA_CLIP_ACT_SEND_GRAB)
		send_grab(c);
	if (s.actions & WA_CLIP_ACT_SEND_RELEASE)
		send_release(c);
	if (s.actions & WA_CLIP_ACT_SEND_REQUEST)
		send_request(c);
}

static void replay_deferred(struct wa_clipboard *c)
{
	if (c->deferred) {
		c->deferred = false;
		transition(c, c->deferred_event);
	}
}

/* ---- client -> guest: delayed rendering ---------------------------------- */

static bool render_done(void *user)
{
	return ((struct wa_clipboard *)user)->render_done;
}

/* Ask the client for type's data (RENDERING until it comes, or not):
 * the answer goes to the cache. */
static void fetch(struct wa_clipboard *c, uint32_t type)
{
	c->render_type = type;
	c->render_done = false;
	transition(c, WA_CLIP_EV_RENDER);
	int r = wa_agent_wait(c->agent, render_done, c, RENDER_TIMEOUT_MS);
	if (r < 0)
		wa_warning("clipboard: no %s from the client: %s",
			   vdp_clipboard_type_name(type),
			   r == -ETIMEDOUT ? "timed out"
			   : r == -ENOTCONN ? "not connected"
					    : strerror(-r));
	if (c->render_data) {
		free(c->cache_data);
		c->cache_data = c->render_data;
		c->cache_len = c->render_len;
		c->cache_type = type;
		c->render_data = NULL;
		c->render_len = 0;
	}
	transition(c, WA_CLIP_EV_RENDER_END);
}

/* Give the clipboard fmt's data (it is open by whoever asked), from the
 * client's data of this grab, asked for when not at hand.  Replaying a
 * deferred event is the caller's job. */
static void render(struct wa_clipboard *c, UINT fmt)
{
	enum wa_clip_kind kind = format_kind(c, fmt);
	uint32_t type = wa_clip_type_for_kind(kind, c->client_types,
					      c->client_count);
	uint8_t *out = NULL;
	size_t len = 0;

	if (c->state != WA_CLIP_CLIENT_OWNS || type == VDP_CLIPBOARD_NONE)
		return;
	if (!c->cache_data || c->cache_type != type)
		fetch(c, type);
	else
		wa_debug("clipboard: %s from the last render",
			 vdp_clipboard_type_name(type));
	/* a grab or release while waiting outdates the answer */
	if (!c->cache_data || c->cache_type != type || c->deferred)
		return;
	int r = wa_clip_data_from_client(type, kind, c->cache_data,
					 c->cache_len, convert_lineends(c),
					 &out, &len);
	if (r == 0)
		r = wa_clip_set(fmt, out, len);
	if (r < 0)
		wa_warning("clipboard: the client's %s not pasted: %s",
			   vdp_clipboard_type_name(type), strerror(-r));
	else
		wa_debug("clipboard: %" PRIu64 " bytes of %s rendered",
			 (uint64_t)c->cache_len, vdp_clipboard_type_name(type));
	free(out);
}

/* WM_RENDERALLFORMATS, or the module going away while the client owns
 * the clipboard: render every format so the data outlives our window. */
static void render_all(struct wa_clipboard *c)
{
	UINT fmts[8];
	size_t n = client_formats(c, fmts, ARRAY_LENGTH(fmts));

	if (c->state != WA_CLIP_CLIENT_OWNS || wa_clip_open(c->hwnd) < 0)
		return;
	for (size_t i = 0; i < n; i++)
		if (GetClipboardOwner() == c->hwnd &&
		    c->state == WA_CLIP_CLIENT_OWNS)
			render(c, fmts[i]);
	CloseClipboard();
	replay_deferred(c);
}

/* ---- guest -> client ----------------------------------------------------- */

static void clipboard_updated(struct wa_clipboard *c)
{
	if (GetClipboardOwner() == c->hwnd && c->hwnd) {
		wa_debug("clipboard: our own update");
		return;
	}
	bool text = IsClipboardFormatAvailable(CF_UNICODETEXT);
	bool dib = dib_available(), png = png_available(c);
	c->guest_count = wa_clip_guest_types(text, dib, png, c->guest_types,
					     ARRAY_LENGTH(c->guest_types));
	wa_debug("clipboard: another program copied (text %d, DIB %d, PNG %d)",
		 text, dib, png);
	transition(c, c->guest_count ? WA_CLIP_EV_GUEST_COPY
				     : WA_CLIP_EV_GUEST_EMPTY);
}

static bool guest_has(const struct wa_clipboard *c, uint32_t type)
{
	for (size_t i = 0; i < c->guest_count; i++)
		if (c->guest_types[i] == type)
			return true;
	return false;
}

/* Read the clipboard for type and convert it: malloc'd into *out. */
static int read_guest(struct wa_clipboard *c, uint32_t type, uint8_t **out,
		      size_t *len)
{
	enum wa_clip_kind kind = wa_clip_source_kind(type, dib_available(),
						     png_available(c));
	uint8_t *raw = NULL;
	size_t raw_len = 0;

	if (kind == WA_CLIP_KIND_NONE)
		return -ENOENT;
	int r = wa_clip_open(c->hwnd);
	if (r < 0)
		return r;
	r = wa_clip_read(kind_format(c, kind), READ_MAX, &raw, &raw_len);
	CloseClipboard();
	if (r == 0)
		r = wa_clip_data_to_client(type, kind, raw, raw_len,
					   convert_lineends(c), out, len);
	free(raw);
	return r;
}

static void answer_request(struct wa_clipboard *c, uint32_t type)
{
	uint8_t *data = NULL;
	size_t len = 0;

	if (c->state != WA_CLIP_GUEST_OWNS || !guest_has(c, type)) {
		wa_debug("clipboard: request for %s: nothing to give",
			 vdp_clipboard_type_name(type));
		send_data(c, VDP_SELECTION_CLIPBOARD, type, NULL, 0);
		return;
	}
	int r = read_guest(c, type, &data, &len);
	if (r < 0) {
		wa_warning("clipboard: cannot read %s: %s",
			   vdp_clipboard_type_name(type), strerror(-r));
	} else if (c->max_clipboard > 0 && len > (size_t)c->max_clipboard) {
		wa_warning("clipboard: %" PRIu64 " bytes of %s over the "
			   "client's limit of %d bytes (MAX_CLIPBOARD): not sent",
			   (uint64_t)len, vdp_clipboard_type_name(type),
			   c->max_clipboard);
		free(data);
		data = NULL;
	}
	send_data(c, VDP_SELECTION_CLIPBOARD, type, data, len);
	free(data);
}

/* ---- protocol messages --------------------------------------------------- */

static int handle_grab(struct wa_clipboard *c, const uint8_t *data,
		       size_t size)
{
	struct vdp_clipboard_grab g;
	int r = vdp_parse_clipboard_grab(data, size, negotiated(c), &g);

	if (r < 0)
		return r;
	if (g.selection != VDP_SELECTION_CLIPBOARD) {
		wa_debug("clipboard: %s grab ignored (Windows has no such "
			 "selection)", vdp_selection_name(g.selection));
		return 0;
	}
	if (g.has_serial && !vdp_grab_serial_theirs(&c->serial, g.serial)) {
		wa_debug("clipboard: stale client grab (serial %u) dropped",
			 g.serial);
		return 0;
	}
	c->client_count = 0;
	for (uint32_t i = 0; i < g.count; i++) {
		bool dup = false;
		if (!wa_clip_type_carried(g.types[i]))
			continue;
		for (size_t j = 0; j < c->client_count; j++)
			dup |= c->client_types[j] == g.types[i];
		if (!dup)
			c->client_types[c->client_count++] = g.types[i];
	}
	transition(c, c->client_count ? WA_CLIP_EV_CLIENT_GRAB
				      : WA_CLIP_EV_CLIENT_GRAB_NONE);
	return 0;
}

static int handle_request(struct wa_clipboard *c, const uint8_t *data,
			  size_t size)
{
	struct vdp_clipboard_request q;
	int r = vdp_parse_clipboard_request(data, size, negotiated(c), &q);

	if (r < 0)
		return r;
	if (q.selection != VDP_SELECTION_CLIPBOARD) {
		wa_debug("clipboard: %s request answered with no data",
			 vdp_selection_name(q.selection));
		send_data(c, q.selection, q.type, NULL, 0);
		return 0;
	}
	answer_request(c, q.type);
	return 0;
}

static int handle_data(struct wa_clipboard *c, const uint8_t *data,
		       size_t size)
{
	struct vdp_clipboard cb;
	int r = vdp_parse_clipboard(data, size, negotiated(c), &cb);

	if (r < 0)
		return r;
	if (c->state != WA_CLIP_RENDERING || c->render_done ||
	    cb.selection != VDP_SELECTION_CLIPBOARD) {
		wa_debug("clipboard: unrequested %s data dropped",
			 vdp_clipboard_type_name(cb.type));
		return 0;
	}
	c->render_done = true;
	if (cb.type != c->render_type) {
		wa_debug("clipboard: the client has no %s (sent %s)",
			 vdp_clipboard_type_name(c->render_type),
			 vdp_clipboard_type_name(cb.type));
		return 0;
	}
	c->render_data = malloc(cb.size ? cb.size : 1);
	if (!c->render_data) {
		wa_warning("clipboard: out of memory for %" PRIu64 " bytes",
			   (uint64_t)cb.size);
		return 0;
	}
	memcpy(c->render_data, cb.data, cb.size);
	c->render_len = cb.size;
	return 0;
}

static int handle_release(struct wa_clipboard *c, const uint8_t *data,
			  size_t size)
{
	struct vdp_clipboard_release rel;
	int r = vdp_parse_clipboard_release(data, size, negotiated(c), &rel);

	if (r < 0)
		return r;
	if (rel.selection == VDP_SELECTION_CLIPBOARD)
		transition(c, WA_CLIP_EV_CLIENT_RELEASE);
	return 0;
}

static int handle_max(struct wa_clipboard *c, const uint8_t *data,
		      size_t size)
{
	struct vdp_max_clipboard m;
	int r = vdp_parse_max_clipboard(data, size, &m);

	if (r < 0)
		return r;
	c->max_clipboard = m.max;
	wa_debug("clipboard: the client takes at most %d bytes", m.max);
	return 0;
}

int wa_clipboard_handle(struct wa_clipboard *c, uint32_t type,
			const uint8_t *data, size_t size)
{
	switch (type) {
	case VDP_MSG_CLIPBOARD_GRAB:
		return handle_grab(c, data, size);
	case VDP_MSG_CLIPBOARD_REQUEST:
		return handle_request(c, data, size);
	case VDP_MSG_CLIPBOARD:
		return handle_data(c, data, size);
	case VDP_MSG_CLIPBOARD_RELEASE:
		return handle_release(c, data, size);
	case VDP_MSG_MAX_CLIPBOARD:
		return handle_max(c, data, size);
	default:
		return -EOPNOTSUPP;
	}
}

void wa_clipboard_client_disconnected(struct wa_clipboard *c)
{
	transition(c, WA_CLIP_EV_CLIENT_GONE);
	vdp_grab_serial_reset(&c->serial);
	c->max_clipboard = 0;
}

bool wa_clipboard_wndproc(struct wa_clipboard *c, UINT msg, WPARAM wp,
			  LPARAM lp, LRESULT *result)
{
	switch (msg) {
	case WM_CLIPBOARDUPDATE:
		clipboard_updated(c);
		break;
	case WM_RENDERFORMAT:
		render(c, (UINT)wp);
		if (c->deferred)
			PostMessageW(c->hwnd, c->replay_msg, 0, 0);
		break;
	case WM_RENDERALLFORMATS:
		render_all(c);
		break;
	case WM_DESTROYCLIPBOARD:
		/* another program emptied it: WM_CLIPBOARDUPDATE follows */
		break;
	default:
		if (!c->replay_msg || msg != c->replay_msg)
			return false;
		replay_deferred(c);
		break;
	}
	*result = 0;
	return true;
}

/* ---- life cycle ---------------------------------------------------------- */

struct wa_clipboard *wa_clipboard_new(struct wa_agent *a)
{
	struct wa_clipboard *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->agent = a;
	c->hwnd = wa_agent_hwnd(a);
	c->state = WA_CLIP_IDLE;
	c->replay_msg = RegisterWindowMessageW(L"vdagent-clipboard-replay");
	c->png_format = RegisterClipboardFormatW(L"PNG");
	/* WIC is COM: the agent's one thread is an apartment */
	HRESULT hr = CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
	c->com = SUCCEEDED(hr);
	if (!AddClipboardFormatListener(c->hwnd)) {
		wa_error("clipboard: cannot watch the clipboard (%lu)",
			 (unsigned long)GetLastError());
		wa_clipboard_free(c);
		return NULL;
	}
	c->listening = true;
	return c;
}

void wa_clipboard_free(struct wa_clipboard *c)
{
	if (!c)
		return;
	render_all(c);
	if (c->listening)
		RemoveClipboardFormatListener(c->hwnd);
	free(c->render_data);
	drop_cache(c);
	if (c->com)
		CoUninitialize();
	free(c);
}
