/* SPDX-License-Identifier: MIT */
/* Safe local names for files sent by the client. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "../../vdagent/file-name.h"
#include "tap.h"

/* in, printable for the TAP line */
static const char *shown(const char *in, char *buf, size_t size)
{
	size_t o = 0;
	for (; *in && o + 5 < size; in++) {
		unsigned char c = (unsigned char)*in;
		if (c < 0x20 || c == 0x7f)
			o += (size_t)snprintf(buf + o, size - o, "\\x%02x", c);
		else
			buf[o++] = (char)c;
	}
	buf[o] = '\0';
	return buf;
}

static void safe(const char *in, const char *want)
{
	char out[NAME_MAX + 1], b[256];
	int r = file_name_make_safe(in, out, sizeof(out));
	is_int(r, 0, "'%s' accepted", shown(in, b, sizeof(b)));
	if (!ok(strcmp(out, want) == 0, "'%s' -> '%s'", b, want))
		diag("  got '%s'", out);
}

int main(void)
{
	safe("report.pdf", "report.pdf");
	safe("../../etc/passwd", "passwd");
	safe("/abs/path/x.txt", "x.txt");
	safe("C:\\Users\\me\\photo.jpg", "photo.jpg");
	safe("..", "file");
	safe(".", "file");
	safe("", "file");
	safe("dir/", "file");
	safe(".bashrc", "bashrc");
	safe("...hidden", "hidden");
	safe(" . name", "name");
	safe("trailing. . ", "trailing");
	safe("tab\there", "tab_here");
	safe("new\nline", "new_line");
	safe("bad\xff\xfeutf8", "bad__utf8");
	safe("\xe6\xbc\xa2\xe5\xad\x97.txt", "\xe6\xbc\xa2\xe5\xad\x97.txt");
	safe("del\x7f", "del_");

	/* long names are cut at NAME_MAX keeping the extension and whole
	 * characters */
	char lng[600], out[NAME_MAX + 1];
	size_t o = 0;
	for (int i = 0; i < 150; i++) { /* 150 x 3-byte characters */
		memcpy(lng + o, "\xe2\x9c\x93", 3);
		o += 3;
	}
	memcpy(lng + o, ".tar.gz", 8);
	is_int(file_name_make_safe(lng, out, sizeof(out)), 0, "long name");
	ok(strlen(out) <= NAME_MAX, "long name cut to NAME_MAX (%zu)",
	   strlen(out));
	ok(strlen(out) > 3 && strcmp(out + strlen(out) - 3, ".gz") == 0,
	   "long name keeps its extension");
	ok((strlen(out) - 3) % 3 == 0, "long name cut at a character boundary");

	char small[8];
	is_int(file_name_make_safe("x", small, sizeof(small)), -EINVAL,
	       "tiny buffer refused");

	char alt[NAME_MAX + 1];
	is_int(file_name_numbered("report.pdf", 1, alt, sizeof(alt)), 0, "n=1");
	ok(strcmp(alt, "report (1).pdf") == 0, "report (1).pdf");
	file_name_numbered("README", 12, alt, sizeof(alt));
	ok(strcmp(alt, "README (12)") == 0, "README (12)");
	file_name_numbered("archive.tar.gz", 2, alt, sizeof(alt));
	ok(strcmp(alt, "archive.tar (2).gz") == 0, "archive.tar (2).gz");
	file_name_numbered(out, 9999, alt, sizeof(alt));
	ok(strlen(alt) <= NAME_MAX, "numbered long name still <= NAME_MAX");
	ok(strstr(alt, " (9999).gz") != NULL, "numbered long name keeps number");
	return tap_done();
}
