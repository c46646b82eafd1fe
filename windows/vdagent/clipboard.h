/* SPDX-License-Identifier: MIT */
/*
 * The Windows clipboard shared with the client, by demand both ways
 * (CLIPBOARD_GRAB/REQUEST/RELEASE, CLIPBOARD, MAX_CLIPBOARD).
 *
 * Client -> guest: a client grab makes the agent's window the clipboard
 * owner with delayed rendering (CF_UNICODETEXT for text, CF_DIB for
 * images, and the registered "PNG" format for a PNG); when a program
 * pastes, WM_RENDERFORMAT asks the client and waits for its data
 * (wa_agent_wait(), bounded), which then serves every format of that
 * grab.
 * Guest -> client: a clipboard update by another program (watched with
 * AddClipboardFormatListener) is announced with a grab of the types we
 * can offer (UTF8_TEXT; PNG and BMP for a DIB or a PNG); a request is
 * answered by reading the clipboard then, within the client's
 * MAX_CLIPBOARD.
 * Only the CLIPBOARD selection exists on Windows: PRIMARY and SECONDARY
 * grabs are ignored and their requests answered with no data.  The
 * ownership is the state machine of clipboard-state.h.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <windows.h>

struct wa_agent;
struct wa_clipboard;

/* Starts listening to the clipboard on wa_agent_hwnd(a).  NULL when out
 * of memory or the listener cannot be added (logged). */
struct wa_clipboard *wa_clipboard_new(struct wa_agent *a);
/* Renders what the client still owns into the clipboard if it can (so a
 * copy survives the agent), then stops listening. */
void wa_clipboard_free(struct wa_clipboard *c);

/* CLIPBOARD_GRAB, CLIPBOARD_REQUEST, CLIPBOARD, CLIPBOARD_RELEASE,
 * MAX_CLIPBOARD: the raw payload; the module parses it with
 * vdp_parse_*() and wa_agent_negotiated(); returns 0 or the parser's
 * negative errno (the core then logs one rate-limited "malformed ...
 * dropped" line). */
int wa_clipboard_handle(struct wa_clipboard *c, uint32_t type,
			const uint8_t *data, size_t size);

/* The client went away (also called when the port closes): its grab is
 * released (its delayed formats leave the clipboard), the grab serials
 * and its MAX_CLIPBOARD are forgotten. */
void wa_clipboard_client_disconnected(struct wa_clipboard *c);

/* The core's window procedure offers every message first: true when
 * handled (WM_CLIPBOARDUPDATE, WM_RENDERFORMAT, WM_RENDERALLFORMATS,
 * WM_DESTROYCLIPBOARD), *result set. */
bool wa_clipboard_wndproc(struct wa_clipboard *c, UINT msg, WPARAM wp,
			  LPARAM lp, LRESULT *result);
