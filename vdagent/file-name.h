/* SPDX-License-Identifier: MIT */
/* Turning a file name chosen by the remote client into a safe local one. */
#pragma once

#include <stddef.h>

/*
 * Write a safe file name for the client-supplied name into out (size
 * bytes, at least 16): only the last path component (both '/' and '\\'
 * separate), control characters and invalid UTF-8 replaced by '_',
 * leading dots and spaces dropped (no hidden files, no "." or ".."),
 * trailing dots and spaces dropped, cut to at most NAME_MAX bytes at a
 * character boundary keeping the extension.  An empty result becomes
 * "file".  Returns 0 or -EINVAL when out is too small.
 */
int file_name_make_safe(const char *name, char *out, size_t size);

/*
 * The n-th alternative of a safe name for collisions: "a.txt" -> "a (n).txt"
 * (n >= 1), still at most NAME_MAX bytes.  Returns 0 or -EINVAL.
 */
int file_name_numbered(const char *safe, unsigned n, char *out, size_t size);
