/* SPDX-License-Identifier: MIT */
#include <limits.h>
#include <stdlib.h>
#include <windows.h>

#include "wide.h"

wchar_t *wa_wide_from_utf8(const char *s, size_t len, size_t *out_len)
{
	if (len > INT_MAX)
		return NULL;
	int n = len ? MultiByteToWideChar(CP_UTF8, 0, s, (int)len, NULL, 0)
		    : 0;
	if (len && n <= 0)
		return NULL;
	wchar_t *w = malloc(((size_t)n + 1) * sizeof(wchar_t));
	if (!w)
		return NULL;
	if (n)
		MultiByteToWideChar(CP_UTF8, 0, s, (int)len, w, n);
	w[n] = 0;
	if (out_len)
		*out_len = (size_t)n;
	return w;
}

char *wa_utf8_from_wide(const wchar_t *s, size_t len, size_t *out_len)
{
	if (len > INT_MAX / 3)
		return NULL;
	int n = len ? WideCharToMultiByte(CP_UTF8, 0, s, (int)len, NULL, 0,
					  NULL, NULL)
		    : 0;
	if (len && n <= 0)
		return NULL;
	char *u = malloc((size_t)n + 1);
	if (!u)
		return NULL;
	if (n)
		WideCharToMultiByte(CP_UTF8, 0, s, (int)len, u, n, NULL, NULL);
	u[n] = 0;
	if (out_len)
		*out_len = (size_t)n;
	return u;
}
