/* SPDX-License-Identifier: MIT */
/*
 * File transfer from the client into a folder of the session
 * (FILE_XFER_START/STATUS/DATA).  Each file is written to a temporary
 * file in the target folder and moved to a safe, unique name when all
 * its bytes are there; cancel, error or disconnect removes it.  Transfers
 * are refused with SESSION_LOCKED while the workstation is locked, with
 * DISABLED when file transfer is off, and NOT_ENOUGH_SPACE when the
 * folder's disk is too full.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <windows.h>

struct wa_agent;
struct wa_xfer;

/* where: "desktop", "download", or a UTF-8 directory path (created when
 * missing); NULL = file transfer disabled (refuse every transfer).
 * The string is copied.  NULL only when out of memory. */
struct wa_xfer *wa_xfer_new(struct wa_agent *a, const char *where);
/* Removes every partial file. */
void wa_xfer_free(struct wa_xfer *x);

/* FILE_XFER_START/STATUS/DATA: the raw payload, parsed here.  Returns 0
 * or the parser's negative errno (the core logs the message dropped). */
int wa_xfer_handle(struct wa_xfer *x, uint32_t type, const uint8_t *data,
		   size_t size);

/* The client went away (or the port closed): every transfer ends and its
 * partial file is removed; nothing is sent. */
void wa_xfer_client_disconnected(struct wa_xfer *x);

/* Watches WM_WTSSESSION_CHANGE for lock/unlock.  The message is only
 * observed, never consumed: returns false for every message. */
bool wa_xfer_wndproc(struct wa_xfer *x, UINT msg, WPARAM wp, LPARAM lp,
		     LRESULT *result);
