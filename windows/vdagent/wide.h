/* SPDX-License-Identifier: MIT */
/* UTF-8 <-> UTF-16 for the Win32 calls of the feature modules. */
#pragma once

#include <stddef.h>
#include <wchar.h>

/*
 * len bytes of UTF-8 (need not be NUL-terminated) as UTF-16: a malloc'd,
 * NUL-terminated string, its length in units (the NUL excluded) in
 * *out_len when out_len is not NULL.  Invalid sequences become U+FFFD.
 * NULL when out of memory or len is over INT_MAX.
 */
wchar_t *wa_wide_from_utf8(const char *s, size_t len, size_t *out_len);

/* The reverse: len UTF-16 units as UTF-8, lone surrogates become U+FFFD. */
char *wa_utf8_from_wide(const wchar_t *s, size_t len, size_t *out_len);
