/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "vdp-filename.h"
#include "vdp-util.h"
#include "vdp-validate.h"

/* Extensions longer than this (the dot included) are not kept whole. */
#define EXT_MAX 31u

/* Cut s (valid UTF-8, len bytes) to at most max bytes without splitting a
 * character.  Returns the new length. */
static size_t utf8_cut(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	size_t l = max;
	while (l > 0 && ((unsigned char)s[l] & 0xc0) == 0x80)
		l--;
	return l;
}

/* Join stem (cut to fit) and suffix into out, total <= VDP_FILENAME_MAX
 * and < size bytes.  stem may overlap out. */
static int join_fit(const char *stem, size_t stem_len, const char *suffix,
		    char *out, size_t size)
{
	size_t suf_len = strlen(suffix);
	size_t limit = VDP_FILENAME_MAX;

	if (size == 0)
		return -EINVAL;
	if (limit > size - 1)
		limit = size - 1;
	if (suf_len >= limit)
		return -EINVAL;
	stem_len = utf8_cut(stem, stem_len, limit - suf_len);
	memmove(out, stem, stem_len);
	memcpy(out + stem_len, suffix, suf_len + 1);
	return 0;
}

static const char *last_dot(const char *s, size_t len)
{
	for (size_t i = len; i > 0; i--)
		if (s[i - 1] == '.')
			return s + i - 1;
	return NULL;
}

static bool is_windows_forbidden(unsigned char c)
{
	return c && strchr("<>:\"|?*", c) != NULL;
}

static bool ascii_ieq(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
		if (x >= 'a' && x <= 'z')
			x = (unsigned char)(x - 'a' + 'A');
		if (x != y)
			return false;
	}
	return true;
}

bool vdp_filename_is_windows_device(const char *name)
{
	static const char *const plain[] = { "CON", "PRN", "AUX", "NUL" };
	/* COM and LPT take a digit 1-9 or a superscript 1, 2 or 3 */
	static const char *const numbered[] = { "COM", "LPT" };
	static const char *const digits[] = {
		"1", "2", "3", "4", "5", "6", "7", "8", "9",
		"\xc2\xb9", "\xc2\xb2", "\xc2\xb3",
	};
	size_t len = strcspn(name, ".");

	while (len > 0 && name[len - 1] == ' ')
		len--;
	for (size_t i = 0; i < ARRAY_LENGTH(plain); i++)
		if (len == 3 && ascii_ieq(name, plain[i], 3))
			return true;
	for (size_t i = 0; i < ARRAY_LENGTH(numbered); i++) {
		if (len < 4 || !ascii_ieq(name, numbered[i], 3))
			continue;
		for (size_t d = 0; d < ARRAY_LENGTH(digits); d++)
			if (len == 3 + strlen(digits[d]) &&
			    memcmp(name + 3, digits[d], len - 3) == 0)
				return true;
	}
	return false;
}

/* The last component of name with unsafe bytes replaced, into buf. */
static size_t clean_component(const char *name, enum vdp_filename_rules rules,
			      char *buf, size_t size)
{
	const char *base = name;
	size_t o = 0;

	for (const char *p = name; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;

	const unsigned char *p = (const unsigned char *)base;
	const unsigned char *end = p + strlen(base);
	while (p < end && o + 4 < size) {
		uint32_t cp;
		size_t n = vdp_utf8_next(p, (size_t)(end - p), &cp);
		if (n == 0 || *p < 0x20 || *p == 0x7f ||
		    (rules == VDP_FILENAME_WINDOWS && is_windows_forbidden(*p))) {
			buf[o++] = '_';
			p++;
			continue;
		}
		memcpy(buf + o, p, n);
		o += n;
		p += n;
	}
	buf[o] = '\0';
	return o;
}

int vdp_filename_make_safe(const char *name, enum vdp_filename_rules rules,
			   char *out, size_t size)
{
	/* one byte ahead for a '_' before a Windows device name */
	char buf[4 * VDP_FILENAME_MAX + 2];

	if (size < 16)
		return -EINVAL;

	size_t o = clean_component(name, rules, buf + 1, sizeof(buf) - 1);
	char *stem = buf + 1;
	size_t start = 0, end = o;
	while (stem[start] == '.' || stem[start] == ' ')
		start++;
	while (end > start && (stem[end - 1] == '.' || stem[end - 1] == ' '))
		end--;
	if (end == start)
		return join_fit("file", 4, "", out, size);
	stem += start;
	stem[end - start] = '\0';
	size_t len = end - start;
	if (rules == VDP_FILENAME_WINDOWS &&
	    vdp_filename_is_windows_device(stem)) {
		*--stem = '_';
		len++;
	}

	/* keep a short extension when cutting */
	const char *dot = last_dot(stem, len);
	char ext[EXT_MAX + 1] = "";
	if (dot && dot != stem && (size_t)(stem + len - dot) <= EXT_MAX) {
		memcpy(ext, dot, (size_t)(stem + len - dot));
		ext[stem + len - dot] = '\0';
		len = (size_t)(dot - stem);
	}
	return join_fit(stem, len, ext, out, size);
}

int vdp_filename_numbered(const char *safe, unsigned n, char *out,
			  size_t size)
{
	char suffix[EXT_MAX + 16];
	size_t len = strlen(safe);
	const char *dot = last_dot(safe, len);

	if (!dot || dot == safe || strlen(dot) > EXT_MAX)
		dot = safe + len;
	snprintf(suffix, sizeof(suffix), " (%u)%s", n, dot);
	char stem[4 * VDP_FILENAME_MAX + 1];
	size_t stem_len = (size_t)(dot - safe);
	if (stem_len >= sizeof(stem))
		return -EINVAL;
	memcpy(stem, safe, stem_len);
	return join_fit(stem, stem_len, suffix, out, size);
}
