/* SPDX-License-Identifier: MIT */
/*
 * Turning a file name chosen by the remote client into a safe local one,
 * for both agents: the rules common to every system, and with
 * VDP_FILENAME_WINDOWS those Windows adds.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* Longest name written here, in bytes of UTF-8 without the NUL: NAME_MAX
 * on Linux; on Windows at most 255 UTF-16 units, which 255 UTF-8 bytes
 * never exceed. */
#define VDP_FILENAME_MAX 255u

enum vdp_filename_rules {
	VDP_FILENAME_POSIX,
	/* also: the characters < > : " | ? * replaced by '_', and the
	 * device names CON PRN AUX NUL COM1-9 LPT1-9 (any case, with any
	 * extension) prefixed with '_' */
	VDP_FILENAME_WINDOWS,
};

/*
 * Write a safe file name for the client-supplied name into out (size
 * bytes, at least 16): only the last path component ('/' and '\\' both
 * separate), control characters and invalid UTF-8 replaced by '_',
 * leading dots and spaces dropped (no hidden files, no "." or ".."),
 * trailing dots and spaces dropped, cut to at most VDP_FILENAME_MAX bytes
 * (and size - 1) at a character boundary keeping a short extension.  An
 * empty result becomes "file".  Returns 0 or -EINVAL when out is too
 * small.
 */
int vdp_filename_make_safe(const char *name, enum vdp_filename_rules rules,
			   char *out, size_t size);

/*
 * The n-th alternative of a safe name for collisions: "a.txt" ->
 * "a (n).txt" (n >= 1), still at most VDP_FILENAME_MAX bytes.  Returns 0
 * or -EINVAL.
 */
int vdp_filename_numbered(const char *safe, unsigned n, char *out,
			  size_t size);

/* True for a Windows device name (see VDP_FILENAME_WINDOWS): the part
 * before the first dot, trailing spaces ignored. */
bool vdp_filename_is_windows_device(const char *name);
