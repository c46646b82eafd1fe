/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "clipboard-io.h"

/* Programs keep the clipboard open for a moment only. */
#define OPEN_TRIES 20
#define OPEN_RETRY_MS 10

int wa_clip_open(HWND hwnd)
{
	for (int i = 0; i < OPEN_TRIES; i++) {
		if (OpenClipboard(hwnd))
			return 0;
		Sleep(OPEN_RETRY_MS);
	}
	return -EBUSY;
}

int wa_clip_take(HWND hwnd, const UINT *fmts, size_t n)
{
	int r = wa_clip_open(hwnd);

	if (r < 0)
		return r;
	if (!EmptyClipboard())
		r = -EIO;
	for (size_t i = 0; r == 0 && i < n; i++)
		/* NULL: rendered on WM_RENDERFORMAT.  It returns NULL on
		 * success too, so failures show in GetLastError() only. */
		SetClipboardData(fmts[i], NULL);
	CloseClipboard();
	return r;
}

int wa_clip_read(UINT fmt, size_t max, uint8_t **out, size_t *len)
{
	HANDLE h = GetClipboardData(fmt);

	if (!h)
		return -ENOENT;
	size_t size = GlobalSize(h);
	if (size > max)
		return -E2BIG;
	const void *p = GlobalLock(h);
	if (!p)
		return -EIO;
	*out = malloc(size ? size : 1);
	if (*out) {
		memcpy(*out, p, size);
		*len = size;
	}
	GlobalUnlock(h);
	return *out ? 0 : -ENOMEM;
}

int wa_clip_set(UINT fmt, const void *data, size_t len)
{
	HGLOBAL h = GlobalAlloc(GMEM_MOVEABLE, len ? len : 1);

	if (!h)
		return -ENOMEM;
	void *p = GlobalLock(h);
	if (!p) {
		GlobalFree(h);
		return -ENOMEM;
	}
	memcpy(p, data, len);
	GlobalUnlock(h);
	if (!SetClipboardData(fmt, h)) {
		GlobalFree(h);
		return -EIO;
	}
	return 0; /* the clipboard owns h now */
}
