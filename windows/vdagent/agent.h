/* SPDX-License-Identifier: MIT */
/*
 * The Windows session agent's core, as its feature modules see it.
 *
 * There is no daemon on Windows: vdagent.exe owns the port (virtio-serial
 * or, for tests, TCP), decodes chunks with protocol/, validates every
 * message with its vdp_parse_*() and hands the host-endian view to the
 * module that owns that message family:
 *
 *	mouse.c        MOUSE_STATE
 *	displays.c     MONITORS_CONFIG, DISPLAY_CONFIG, GRAPHICS_DEVICE_INFO
 *	clipboard*.c   CLIPBOARD_GRAB/REQUEST/RELEASE, CLIPBOARD, MAX_CLIPBOARD
 *	file-xfer*.c   FILE_XFER_START/STATUS/DATA
 * and CLIENT_DISCONNECTED to every module that keeps per-client state.
 *
 * Everything runs on one thread: a loop that waits on the port's
 * overlapped I/O and on the window messages of the agent's (message-only)
 * window.  Modules never block that thread except through
 * wa_agent_wait() below.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <windows.h>

#include "vdp-caps.h"

struct wa_agent;

/*
 * Queue one message to the client (port VDP_PORT_CLIENT).  The payload is
 * head (head_len bytes, e.g. a builder's output) followed by data
 * (data_len bytes, bulk clipboard or file bytes); either may be empty.
 * Both are copied or referenced only until the call returns: the core
 * owns what it queues.  Returns 0, or -ENOMEM / -E2BIG (over the output
 * bound), or -ENOTCONN when the port is closed (the message is dropped:
 * the client gets a fresh capability exchange after the reconnect).
 */
int wa_agent_send(struct wa_agent *a, uint32_t type, const void *head,
		  size_t head_len, const void *data, size_t data_len);

/* The client's announced capabilities (all clear before it announced). */
const struct vdp_caps *wa_agent_client_caps(const struct wa_agent *a);
/* Ours AND the client's: what the parsers and builders are given. */
const struct vdp_caps *wa_agent_negotiated(const struct wa_agent *a);

/* The agent's message-only window (clipboard listener and owner). */
HWND wa_agent_hwnd(const struct wa_agent *a);

/*
 * Run the port's I/O and dispatch port messages (only those: no window
 * messages) until done(user) is true, the port closes or timeout_ms
 * passes.  For the one place Windows forces a synchronous answer:
 * WM_RENDERFORMAT, where the clipboard must ask the client and wait for
 * its CLIPBOARD message.  Returns 0 when done, -ETIMEDOUT, or -ENOTCONN.
 * Not re-entrant: calling it from inside a wait returns -EBUSY.
 */
int wa_agent_wait(struct wa_agent *a, bool (*done)(void *user), void *user,
		  DWORD timeout_ms);
