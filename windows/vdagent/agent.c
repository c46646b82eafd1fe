/* SPDX-License-Identifier: MIT */
/*
 * The core: the message-only window, the loop over port I/O and window
 * messages, the capability exchange, and the dispatch of each message to
 * its module (see agent.h).  Clipboard and file transfer are linked in
 * when their modules' headers are in the tree (windows/vdagent/features.mk
 * lists their sources); without them their capabilities are not announced
 * (FILE_XFER_DISABLED is) and their messages are dropped.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <wtsapi32.h>

#include "../vdservice/agent-stop.h"
#include "agent-core.h"
#include "displays.h"
#include "log.h"
#include "mouse.h"
#include "port.h"
#include "vdp-build.h"
#include "vdp-decoder.h"
#include "vdp-encoder.h"
#include "vdp-util.h"
#include "vdp-validate.h"

#include "clipboard.h"
#include "file-xfer.h"

/* One "malformed ... dropped" line per type per this many ms. */
#define MALFORMED_LOG_MS 5000
/* Port reads per loop turn, so that window messages are not starved. */
#define READS_PER_TURN 64
#define READ_BUF 65536

static const wchar_t window_class[] = L"vdagent-window";

struct malformed_log {
	uint64_t last;        /* tick of the last line, 0: never */
	unsigned suppressed;  /* drops since that line */
};

struct wa_agent {
	struct wa_options opt;
	HWND hwnd;
	struct wa_port *port;
	struct vdp_decoder *decoder;
	bool port_broken;    /* a send failed: close in the loop */
	bool in_dispatch;    /* inside the decoder's callback */
	bool in_wait;        /* inside wa_agent_wait() */
	struct vdp_caps ours, client, negotiated;
	struct wa_displays *displays;
	struct wa_mouse *mouse;
	struct wa_clipboard *clipboard;
	struct wa_xfer *xfer;
	bool session_notify; /* WTSRegisterSessionNotification succeeded */
	HANDLE stop_event;   /* vdservice's "exit now" (agent-stop.h), or NULL */
	struct malformed_log malformed[VDP_MSG_END];
	uint8_t rbuf[READ_BUF];
};

/* ---- capabilities ---------------------------------------------------------
 * Announced: what this agent implements.  Left out: CLIPBOARD (the old
 * agent-initiated clipboard; we do CLIPBOARD_BY_DEMAND), GUEST_LINEEND_LF
 * (Windows text uses CRLF), AUDIO_VOLUME_SYNC (no mixer support here).
 */
static void our_caps(struct wa_agent *a)
{
	static const unsigned always[] = {
		VDP_CAP_MOUSE_STATE,
		VDP_CAP_MONITORS_CONFIG,
		VDP_CAP_REPLY,
		VDP_CAP_DISPLAY_CONFIG,
		VDP_CAP_SPARSE_MONITORS_CONFIG,
		VDP_CAP_MONITORS_CONFIG_POSITION,
		VDP_CAP_GRAPHICS_DEVICE_INFO,
	};
	static const unsigned clipboard[] = {
		VDP_CAP_CLIPBOARD_BY_DEMAND,
		VDP_CAP_CLIPBOARD_SELECTION,
		VDP_CAP_GUEST_LINEEND_CRLF,
		VDP_CAP_MAX_CLIPBOARD,
		VDP_CAP_CLIPBOARD_NO_RELEASE_ON_REGRAB,
		VDP_CAP_CLIPBOARD_GRAB_SERIAL,
	};

	vdp_caps_clear_all(&a->ours);
	for (size_t i = 0; i < ARRAY_LENGTH(always); i++)
		vdp_caps_set(&a->ours, always[i]);
	for (size_t i = 0; i < ARRAY_LENGTH(clipboard); i++)
		vdp_caps_set(&a->ours, clipboard[i]);
	vdp_caps_set(&a->ours, VDP_CAP_FILE_XFER_DETAILED_ERRORS);
	if (a->opt.xfer_disabled)
		vdp_caps_set(&a->ours, VDP_CAP_FILE_XFER_DISABLED);
}

const struct vdp_caps *wa_agent_client_caps(const struct wa_agent *a)
{
	return &a->client;
}

const struct vdp_caps *wa_agent_negotiated(const struct wa_agent *a)
{
	return &a->negotiated;
}

HWND wa_agent_hwnd(const struct wa_agent *a)
{
	return a->hwnd;
}

static void announce(struct wa_agent *a, bool request)
{
	uint8_t buf[4 + 4 * VDP_CAPS_WORDS];
	int n = vdp_build_capabilities(buf, sizeof(buf), request, &a->ours);

	if (n > 0)
		wa_agent_send(a, VDP_MSG_ANNOUNCE_CAPABILITIES, buf, (size_t)n,
			      NULL, 0);
}

/* ---- sending ------------------------------------------------------------- */

int wa_agent_send(struct wa_agent *a, uint32_t type, const void *head,
		  size_t head_len, const void *data, size_t data_len)
{
	struct vdp_iov pieces[2];
	struct vdp_iov chunk[VDP_CHUNK_MAX_IOV];
	struct vdp_encoder e;
	int np = 0, n, r;

	if (!wa_port_is_open(a->port) || a->port_broken)
		return -ENOTCONN;
	if (head_len)
		pieces[np++] = (struct vdp_iov){ head, head_len };
	if (data_len)
		pieces[np++] = (struct vdp_iov){ data, data_len };
	r = vdp_encoder_init(&e, VDP_PORT_CLIENT, type, 0, pieces, np);
	if (r < 0)
		return -E2BIG;
	if (vdp_encoder_remaining(&e) > wa_port_queue_room(a->port))
		return -E2BIG;
	while ((n = vdp_encoder_next_chunk(&e, chunk)) > 0)
		for (int i = 0; i < n; i++) {
			r = wa_port_queue(a->port, chunk[i].base, chunk[i].len);
			if (r < 0)
				return r; /* only -ENOMEM after the room check */
		}
	if (wa_port_flush(a->port) < 0)
		a->port_broken = true;
	return 0;
}

/* ---- dispatch ------------------------------------------------------------ */

static void log_malformed(struct wa_agent *a, uint32_t type, int err)
{
	struct malformed_log *m = &a->malformed[type < VDP_MSG_END ? type : 0];
	uint64_t now = GetTickCount64();

	if (m->last && now - m->last < MALFORMED_LOG_MS) {
		m->suppressed++;
		return;
	}
	if (m->suppressed)
		wa_warning("port: malformed %s dropped (%s); %u more since the "
			   "last report", vdp_message_type_name(type),
			   strerror(-err), m->suppressed);
	else
		wa_warning("port: malformed %s dropped (%s)",
			   vdp_message_type_name(type), strerror(-err));
	m->last = now;
	m->suppressed = 0;
}

/* The client is gone or a new one came: no module keeps its state. */
static void client_gone(struct wa_agent *a)
{
	wa_mouse_client_disconnected(a->mouse);
	wa_clipboard_client_disconnected(a->clipboard);
	wa_xfer_client_disconnected(a->xfer);
}

static int handle_caps(struct wa_agent *a, const uint8_t *data, size_t size)
{
	struct vdp_capabilities c;
	char names[512];
	int r = vdp_parse_capabilities(data, size, &c);

	if (r < 0)
		return r;
	if (c.request) {
		wa_info("agent: a client announced itself");
		client_gone(a);
	}
	a->client = c.caps;
	a->negotiated = vdp_caps_intersect(&a->ours, &c.caps);
	vdp_caps_format(&a->negotiated, names, sizeof(names));
	wa_info("agent: negotiated capabilities: %s", names);
	if (c.request)
		announce(a, false);
	return 0;
}

static int handle_client_disconnected(struct wa_agent *a, const uint8_t *data,
				      size_t size)
{
	int r = vdp_parse_client_disconnected(data, size);

	if (r < 0)
		return r;
	wa_info("agent: the client disconnected");
	client_gone(a);
	vdp_caps_clear_all(&a->client);
	vdp_caps_clear_all(&a->negotiated);
	return 0;
}

static int dispatch(struct wa_agent *a, uint32_t type, const uint8_t *data,
		    size_t size)
{
	switch (type) {
	case VDP_MSG_MOUSE_STATE:
		return wa_mouse_handle(a->mouse, data, size);
	case VDP_MSG_MONITORS_CONFIG:
	case VDP_MSG_DISPLAY_CONFIG:
	case VDP_MSG_GRAPHICS_DEVICE_INFO:
		return wa_displays_handle(a->displays, type, data, size);
	case VDP_MSG_ANNOUNCE_CAPABILITIES:
		return handle_caps(a, data, size);
	case VDP_MSG_CLIENT_DISCONNECTED:
		return handle_client_disconnected(a, data, size);
	case VDP_MSG_CLIPBOARD_GRAB:
	case VDP_MSG_CLIPBOARD_REQUEST:
	case VDP_MSG_CLIPBOARD:
	case VDP_MSG_CLIPBOARD_RELEASE:
	case VDP_MSG_MAX_CLIPBOARD:
		return wa_clipboard_handle(a->clipboard, type, data, size);
	case VDP_MSG_FILE_XFER_START:
	case VDP_MSG_FILE_XFER_STATUS:
	case VDP_MSG_FILE_XFER_DATA:
		return wa_xfer_handle(a->xfer, type, data, size);
	default:
		/* REPLY, AUDIO_VOLUME_SYNC: checked, nothing to do */
		if (type < VDP_MSG_END) {
			int r = vdp_validate_message(type, data, size,
						     &a->negotiated);

			if (r < 0)
				return r;
		}
		wa_debug("agent: %s (%u) ignored",
			 vdp_message_type_name(type), type);
		return 0;
	}
}

static int on_message(void *user, const struct vdp_message *msg)
{
	struct wa_agent *a = user;
	int r;

	/* Both ports are served: spice-server itself sends MOUSE_STATE (it
	 * turns the client's inputs channel into agent messages) on the
	 * server port, everything else comes on the client port. */
	wa_port_healthy(a->port);
	wa_debug("port %u: %s, %u bytes", msg->port,
		 vdp_message_type_name(msg->type), msg->size);
	r = dispatch(a, msg->type, msg->data, msg->size);
	if (r < 0)
		log_malformed(a, msg->type, r);
	return 0;
}

/* ---- the port ------------------------------------------------------------ */

static void port_opened(struct wa_agent *a)
{
	vdp_decoder_reset(a->decoder);
	a->port_broken = false;
	vdp_caps_clear_all(&a->client);
	vdp_caps_clear_all(&a->negotiated);
	announce(a, true);
}

static void port_lost(struct wa_agent *a)
{
	wa_port_close(a->port);
	a->port_broken = false;
	wa_displays_port_closed(a->displays);
	client_gone(a);
	vdp_caps_clear_all(&a->client);
	vdp_caps_clear_all(&a->negotiated);
}

/* Read what is there (bounded per turn), dispatch it, flush the queue.
 * Returns 0, or -EPIPE when the port must be closed. */
static int service_port(struct wa_agent *a)
{
	for (int i = 0; i < READS_PER_TURN && !a->port_broken; i++) {
		int n = wa_port_read(a->port, a->rbuf, sizeof(a->rbuf));
		int r;

		if (n == -EAGAIN)
			break;
		if (n < 0)
			return -EPIPE;
		a->in_dispatch = true;
		r = vdp_decoder_feed(a->decoder, a->rbuf, (size_t)n, on_message,
				     a);
		a->in_dispatch = false;
		if (r < 0) {
			/* the framing is lost: start over on a fresh open */
			wa_warning("port: bad stream (%s): reopening the port",
				   vdp_decode_strerror(r));
			return -EPIPE;
		}
	}
	if (a->port_broken || wa_port_flush(a->port) < 0)
		return -EPIPE;
	return 0;
}

static void open_port_if_due(struct wa_agent *a)
{
	if (wa_port_is_open(a->port))
		return;
	if (wa_port_try_open(a->port, GetTickCount64()) == 0)
		port_opened(a);
}

int wa_agent_wait(struct wa_agent *a, bool (*done)(void *user), void *user,
		  DWORD timeout_ms)
{
	uint64_t deadline = GetTickCount64() + timeout_ms;
	int r = 0;

	if (a->in_wait || a->in_dispatch)
		return -EBUSY;
	a->in_wait = true;
	while (!done(user)) {
		HANDLE h[WA_PORT_HANDLES_MAX];
		uint64_t now = GetTickCount64();
		int n;

		if (!wa_port_is_open(a->port) || a->port_broken) {
			r = -ENOTCONN;
			break;
		}
		if (now >= deadline) {
			r = -ETIMEDOUT;
			break;
		}
		n = wa_port_handles(a->port, h);
		WaitForMultipleObjects((DWORD)n, h, FALSE,
				       (DWORD)(deadline - now));
		if (service_port(a) < 0) {
			/* closed by the main loop, not under the caller's feet */
			a->port_broken = true;
			r = -ENOTCONN;
			break;
		}
	}
	a->in_wait = false;
	return r;
}

/* ---- the window ---------------------------------------------------------- */

static LRESULT CALLBACK wndproc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
	struct wa_agent *a = (struct wa_agent *)GetWindowLongPtrW(hwnd,
								  GWLP_USERDATA);
	LRESULT result = 0;

	if (a) {
		if (a->clipboard &&
		    wa_clipboard_wndproc(a->clipboard, msg, wp, lp, &result))
			return result;
		if (a->xfer && wa_xfer_wndproc(a->xfer, msg, wp, lp, &result))
			return result;
	}
	(void)result;
	return DefWindowProcW(hwnd, msg, wp, lp);
}

static int create_window(struct wa_agent *a)
{
	WNDCLASSEXW wc = {
		.cbSize = sizeof(wc),
		.lpfnWndProc = wndproc,
		.hInstance = GetModuleHandleW(NULL),
		.lpszClassName = window_class,
	};

	if (!RegisterClassExW(&wc) &&
	    GetLastError() != ERROR_CLASS_ALREADY_EXISTS) {
		wa_error("agent: RegisterClassEx failed (%lu)", GetLastError());
		return -EIO;
	}
	a->hwnd = CreateWindowExW(0, window_class, L"vdagent", 0, 0, 0, 0, 0,
				  HWND_MESSAGE, NULL, wc.hInstance, NULL);
	if (!a->hwnd) {
		wa_error("agent: CreateWindowEx failed (%lu)", GetLastError());
		return -EIO;
	}
	SetWindowLongPtrW(a->hwnd, GWLP_USERDATA, (LONG_PTR)a);
	/* lock/unlock reach the window as WM_WTSSESSION_CHANGE */
	a->session_notify = WTSRegisterSessionNotification(
		a->hwnd, NOTIFY_FOR_THIS_SESSION);
	return 0;
}

/* ---- life cycle ---------------------------------------------------------- */

/* Started by vdservice: it sets this event when we must exit. */
static void open_stop_event(struct wa_agent *a)
{
	wchar_t name[64];

	_snwprintf(name, ARRAY_LENGTH(name), VDS_AGENT_STOP_EVENT_FMT,
		   (unsigned long)GetCurrentProcessId());
	name[ARRAY_LENGTH(name) - 1] = 0;
	a->stop_event = OpenEventW(SYNCHRONIZE, FALSE, name);
	if (a->stop_event)
		wa_debug("agent: vdservice's stop event is open");
}

struct wa_agent *wa_agent_new(const struct wa_options *o)
{
	struct wa_agent *a = zalloc(sizeof(*a));

	if (!a)
		return NULL;
	a->opt = *o;
	our_caps(a);
	a->decoder = vdp_decoder_new(WA_MESSAGE_MAX);
	a->port = wa_port_new(o->port, WA_OUTPUT_MAX);
	a->displays = wa_displays_new(a);
	a->mouse = a->displays ? wa_mouse_new(a->displays) : NULL;
	if (!a->decoder || !a->port || !a->displays || !a->mouse) {
		wa_error("agent: out of memory");
		wa_agent_free(a);
		return NULL;
	}
	if (create_window(a) < 0) {
		wa_agent_free(a);
		return NULL;
	}
	open_stop_event(a);
	a->clipboard = wa_clipboard_new(a);
	if (!a->clipboard) {
		wa_error("agent: the clipboard module failed to start");
		wa_agent_free(a);
		return NULL;
	}
	a->xfer = wa_xfer_new(a, o->xfer_disabled ? NULL : o->xfer_dir);
	if (!a->xfer) {
		wa_error("agent: the file transfer module failed to start");
		wa_agent_free(a);
		return NULL;
	}
	return a;
}

void wa_agent_free(struct wa_agent *a)
{
	if (!a)
		return;
	/* the window procedure offers messages to the modules until the
	 * window is gone: none may reach a freed one */
	if (a->xfer)
		wa_xfer_free(a->xfer);
	a->xfer = NULL;
	if (a->clipboard)
		wa_clipboard_free(a->clipboard);
	a->clipboard = NULL;
	if (a->hwnd) {
		if (a->session_notify)
			WTSUnRegisterSessionNotification(a->hwnd);
		DestroyWindow(a->hwnd);
	}
	if (a->stop_event)
		CloseHandle(a->stop_event);
	wa_mouse_free(a->mouse);
	wa_displays_free(a->displays);
	wa_port_free(a->port);
	vdp_decoder_free(a->decoder);
	free(a);
}

/* Dispatch queued window messages; false at WM_QUIT (*code set). */
static bool pump_messages(int *code)
{
	MSG m;

	while (PeekMessageW(&m, NULL, 0, 0, PM_REMOVE)) {
		if (m.message == WM_QUIT) {
			*code = (int)m.wParam;
			return false;
		}
		TranslateMessage(&m);
		DispatchMessageW(&m);
	}
	return true;
}

int wa_agent_run(struct wa_agent *a)
{
	int code = 0;

	for (;;) {
		HANDLE h[WA_PORT_HANDLES_MAX + 1];
		DWORD timeout = INFINITE, w;
		int n;

		open_port_if_due(a);
		n = wa_port_handles(a->port, h);
		if (a->stop_event)
			h[n++] = a->stop_event;
		if (!wa_port_is_open(a->port))
			timeout = wa_port_retry_in(a->port, GetTickCount64());
		w = MsgWaitForMultipleObjectsEx((DWORD)n, h, timeout,
						QS_ALLINPUT,
						MWMO_INPUTAVAILABLE);
		if (w == WAIT_FAILED) {
			wa_error("agent: wait failed (%lu)", GetLastError());
			return 1;
		}
		if (a->stop_event &&
		    WaitForSingleObject(a->stop_event, 0) == WAIT_OBJECT_0) {
			wa_info("agent: vdservice asked us to stop");
			break;
		}
		if (!pump_messages(&code))
			break;
		if (wa_port_is_open(a->port) && service_port(a) < 0)
			port_lost(a);
	}
	wa_info("agent: exiting");
	return code;
}
