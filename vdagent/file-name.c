/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "file-name.h"
#include "vdp-validate.h"

/* Cut s to at most max bytes without splitting a UTF-8 character; s is
 * valid UTF-8 here.  Returns the new length. */
static size_t utf8_cut(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	size_t l = max;
	while (l > 0 && ((unsigned char)s[l] & 0xc0) == 0x80)
		l--;
	return l;
}

/* Join stem (cut to fit) and suffix into out, total <= limit bytes. */
static int join_fit(const char *stem, size_t stem_len, const char *suffix,
		    char *out, size_t size, size_t limit)
{
	size_t suf_len = strlen(suffix);
	if (limit > size - 1)
		limit = size - 1;
	if (suf_len >= limit)
		return -EINVAL;
	stem_len = utf8_cut(stem, stem_len, limit - suf_len);
	memmove(out, stem, stem_len);
	memcpy(out + stem_len, suffix, suf_len + 1);
	return 0;
}

int file_name_make_safe(const char *name, char *out, size_t size)
{
	char buf[4 * NAME_MAX + 1];
	size_t o = 0;

	if (size < 16)
		return -EINVAL;

	const char *base = name;
	for (const char *p = name; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;

	const unsigned char *end_of_base =
		(const unsigned char *)base + strlen(base);
	for (const unsigned char *p = (const unsigned char *)base;
	     *p && o + 4 < sizeof(buf);) {
		uint32_t cp;
		size_t n = vdp_utf8_next(p, (size_t)(end_of_base - p), &cp);
		if (n == 0 || *p < 0x20 || *p == 0x7f) {
			buf[o++] = '_';
			p++;
			continue;
		}
		memcpy(buf + o, p, n);
		o += n;
		p += n;
	}
	buf[o] = '\0';

	size_t start = 0;
	while (buf[start] == '.' || buf[start] == ' ')
		start++;
	size_t end = o;
	while (end > start && (buf[end - 1] == '.' || buf[end - 1] == ' '))
		end--;
	if (end == start)
		return join_fit("file", 4, "", out, size, NAME_MAX);

	const char *stem = buf + start;
	size_t len = end - start;
	/* keep a short extension when cutting */
	const char *dot = memrchr(stem, '.', len);
	char ext[32] = "";
	if (dot && dot != stem && (size_t)(stem + len - dot) < sizeof(ext)) {
		memcpy(ext, dot, (size_t)(stem + len - dot));
		ext[stem + len - dot] = '\0';
		len = (size_t)(dot - stem);
	}
	return join_fit(stem, len, ext, out, size, NAME_MAX);
}

int file_name_numbered(const char *safe, unsigned n, char *out, size_t size)
{
	char suffix[48];
	size_t len = strlen(safe);
	const char *dot = strrchr(safe, '.');

	if (!dot || dot == safe || strlen(dot) >= 32)
		dot = safe + len;
	snprintf(suffix, sizeof(suffix), " (%u)%s", n, dot);
	char stem[NAME_MAX * 4 + 1];
	size_t stem_len = (size_t)(dot - safe);
	if (stem_len >= sizeof(stem))
		return -EINVAL;
	memcpy(stem, safe, stem_len);
	return join_fit(stem, stem_len, suffix, out, size, NAME_MAX);
}
