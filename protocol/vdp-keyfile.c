/* SPDX-License-Identifier: MIT */
/*
 * The key file text of FILE_XFER_START: group [vdagent-file-xfer] with
 * name= and size=, in GKeyFile syntax, read and written without GLib so
 * that the Windows agent shares it.
 */
#include <errno.h>

#include "vdp-build.h"
#include "vdp-util.h"
#include "vdp-validate.h"

#define XFER_GROUP "vdagent-file-xfer"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

static bool span_eq(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && memcmp(s, word, len) == 0;
}

/* GKeyFile string value: \s \n \t \r \\ and nothing else. */
static int unescape(const char *v, size_t len, char *out, size_t out_size)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		char c = v[i];

		if (c == '\\') {
			if (++i == len)
				return -EINVAL;
			switch (v[i]) {
			case 's': c = ' '; break;
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case '\\': c = '\\'; break;
			default: return -EINVAL;
			}
		}
		if (o + 1 >= out_size)
			return -E2BIG;
		out[o++] = c;
	}
	if (o == 0)
		return -EINVAL;
	out[o] = '\0';
	return 0;
}

static int parse_u64(const char *v, size_t len, uint64_t *out)
{
	uint64_t n = 0;

	if (len == 0)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		unsigned d;

		if (v[i] < '0' || v[i] > '9')
			return -EINVAL;
		d = (unsigned)(v[i] - '0');
		if (n > (UINT64_MAX - d) / 10)
			return -EINVAL;
		n = n * 10 + d;
	}
	*out = n;
	return 0;
}

int vdp_xfer_keyfile_parse(const char *text, size_t len, char *name_out,
			   size_t name_size, uint64_t *size_out)
{
	bool in_group = false, have_name = false, have_size = false;
	size_t pos = 0;
	int r;

	if (memchr(text, '\0', len) || vdp_check_utf8((const uint8_t *)text, len))
		return -EILSEQ;

	while (pos < len) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;
		const char *eq;

		pos += n + (nl ? 1 : 0);
		if (n > 0 && line[n - 1] == '\r')
			n--;
		while (n > 0 && is_blank(*line)) {
			line++;
			n--;
		}
		if (n == 0 || line[0] == '#')
			continue;

		if (line[0] == '[') {
			const char *end = memchr(line, ']', n);
			size_t rest;

			if (!end)
				return -EINVAL;
			rest = n - (size_t)(end - line) - 1;
			for (size_t i = 0; i < rest; i++)
				if (end[1 + i] != ' ' && end[1 + i] != '\t')
					return -EINVAL;
			in_group = span_eq(line + 1, (size_t)(end - line) - 1,
					   XFER_GROUP);
			continue;
		}

		eq = memchr(line, '=', n);
		if (!eq || eq == line)
			return -EINVAL;
		if (!in_group)
			continue;

		const char *key = line, *val = eq + 1;
		size_t klen = (size_t)(eq - line);
		size_t vlen = n - klen - 1;

		while (klen > 0 && is_blank(key[klen - 1]))
			klen--;
		/* only ' ' and '\t': the writer cannot escape other blanks */
		while (vlen > 0 && (*val == ' ' || *val == '\t')) {
			val++;
			vlen--;
		}
		if (span_eq(key, klen, "name")) {
			r = unescape(val, vlen, name_out, name_size);
			if (r < 0)
				return r;
			have_name = true;
		} else if (span_eq(key, klen, "size")) {
			r = parse_u64(val, vlen, size_out);
			if (r < 0)
				return r;
			have_size = true;
		}
	}
	if (!have_name || !have_size)
		return -ENOENT;
	return 0;
}

bool vdp_xfer_name_is_safe(const char *name)
{
	if (!name || !name[0] || streq(name, ".") || streq(name, ".."))
		return false;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p < 0x20 || *p == 0x7f || *p == '/' || *p == '\\')
			return false;
	return true;
}

/* ---- writing ------------------------------------------------------------- */

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->buf && o->len < o->size)
		memcpy(o->buf + o->len, s,
		       n < o->size - o->len ? n : o->size - o->len);
	o->len += n;
}

/* decimal digits of v into num (room for 20); returns their count */
static size_t format_u64(char *num, uint64_t v)
{
	char tmp[20];
	size_t n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (size_t i = 0; i < n; i++)
		num[i] = tmp[n - 1 - i];
	return n;
}

int vdp_xfer_keyfile_format(char *buf, size_t size, const char *name,
			    uint64_t file_size)
{
	struct out o = { buf, size, 0 };
	char num[24];
	size_t nlen;

	if (!name || !name[0])
		return -EINVAL;
	nlen = strlen(name);
	if (vdp_check_utf8((const uint8_t *)name, nlen) < 0)
		return -EINVAL;

	put(&o, "[" XFER_GROUP "]\nname=", strlen("[" XFER_GROUP "]\nname="));
	for (size_t i = 0; i < nlen; i++) {
		switch (name[i]) {
		case '\\': put(&o, "\\\\", 2); break;
		case '\n': put(&o, "\\n", 2); break;
		case '\t': put(&o, "\\t", 2); break;
		case '\r': put(&o, "\\r", 2); break;
		case ' ':
			if (i == 0)
				put(&o, "\\s", 2);
			else
				put(&o, " ", 1);
			break;
		default: put(&o, name + i, 1); break;
		}
	}
	put(&o, "\nsize=", 6);
	put(&o, num, format_u64(num, file_size));
	put(&o, "\n", 1);

	if (o.len >= INT32_MAX)
		return -E2BIG;
	if (!buf)
		return (int)o.len;
	if (o.len + 1 > size)
		return -ENOSPC;
	buf[o.len] = '\0';
	return (int)o.len;
}
