/* SPDX-License-Identifier: MIT */
/* The Win32 clipboard calls of the clipboard module, one job each.
 * Errors: -EBUSY (another window keeps the clipboard open), -ENOENT (no
 * such format), -E2BIG (over max), -ENOMEM, -EIO. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <windows.h>

/* OpenClipboard(hwnd), retried briefly while another window has it. */
int wa_clip_open(HWND hwnd);

/* Empty the clipboard (hwnd becomes its owner) and announce fmts (n of
 * them) for delayed rendering.  n = 0 leaves it empty. */
int wa_clip_take(HWND hwnd, const UINT *fmts, size_t n);

/* With the clipboard open: a copy of fmt's data, at most max bytes. */
int wa_clip_read(UINT fmt, size_t max, uint8_t **out, size_t *len);

/* Hand len bytes to the clipboard as fmt (the clipboard open, or inside
 * WM_RENDERFORMAT). */
int wa_clip_set(UINT fmt, const void *data, size_t len);
