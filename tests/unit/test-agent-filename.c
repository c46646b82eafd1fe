/* SPDX-License-Identifier: MIT */
/*
 * Safe local names for files sent by the client (protocol/vdp-filename.h),
 * under the rules of both agents.  Builds for Linux and for Windows (the
 * Windows agent's tests run it under wine).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "vdp-filename.h"

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

static void check(enum vdp_filename_rules rules, const char *in,
		  const char *want)
{
	const char *tag = rules == VDP_FILENAME_WINDOWS ? "win" : "posix";
	char out[VDP_FILENAME_MAX + 1], b[256];
	int r = vdp_filename_make_safe(in, rules, out, sizeof(out));
	is_int(r, 0, "%s: '%s' accepted", tag, shown(in, b, sizeof(b)));
	if (!ok(strcmp(out, want) == 0, "%s: '%s' -> '%s'", tag, b, want))
		diag("  got '%s'", out);
}

/* The same result under both rules. */
static void safe(const char *in, const char *want)
{
	check(VDP_FILENAME_POSIX, in, want);
	check(VDP_FILENAME_WINDOWS, in, want);
}

static void common_rules(void)
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
	safe("CONSOLE.txt", "CONSOLE.txt");
	safe("COM10", "COM10");
	safe("LPT0.log", "LPT0.log");
	safe("x.con", "x.con");
}

static void windows_rules(void)
{
	check(VDP_FILENAME_POSIX, "a<b>c:d\"e|f?g*h.txt", "a<b>c:d\"e|f?g*h.txt");
	check(VDP_FILENAME_WINDOWS, "a<b>c:d\"e|f?g*h.txt", "a_b_c_d_e_f_g_h.txt");
	check(VDP_FILENAME_WINDOWS, "D:stream", "D_stream");
	check(VDP_FILENAME_WINDOWS, "what?.", "what_");
	check(VDP_FILENAME_POSIX, "CON", "CON");
	check(VDP_FILENAME_POSIX, "nul.txt", "nul.txt");
	static const char *const devices[] = {
		"CON", "con", "PRN", "AUX", "Nul", "COM1", "com9", "LPT1",
		"lpt9", "CON.txt", "nul.tar.gz", "AUX .c", "COM\xc2\xb9",
		"LPT\xc2\xb3.x",
	};
	for (size_t i = 0; i < sizeof(devices) / sizeof(devices[0]); i++) {
		char want[64];
		snprintf(want, sizeof(want), "_%s", devices[i]);
		check(VDP_FILENAME_WINDOWS, devices[i], want);
	}
	check(VDP_FILENAME_WINDOWS, "dir/CON. . ", "_CON");
	ok(vdp_filename_is_windows_device("com3.anything.else"),
	   "com3.anything.else is a device");
	ok(!vdp_filename_is_windows_device("COM"), "COM alone is not");
	ok(!vdp_filename_is_windows_device("CONX"), "CONX is not");
	ok(!vdp_filename_is_windows_device("COM\xc2\xb4"), "COM + acute is not");
	ok(!vdp_filename_is_windows_device(""), "empty is not");
}

static void long_names(enum vdp_filename_rules rules)
{
	/* 150 x 3-byte characters: cut at VDP_FILENAME_MAX keeping the
	 * extension and whole characters */
	char lng[600], out[VDP_FILENAME_MAX + 1];
	size_t o = 0;
	for (int i = 0; i < 150; i++) {
		memcpy(lng + o, "\xe2\x9c\x93", 3);
		o += 3;
	}
	memcpy(lng + o, ".tar.gz", 8);
	is_int(vdp_filename_make_safe(lng, rules, out, sizeof(out)), 0,
	       "long name");
	ok(strlen(out) <= VDP_FILENAME_MAX, "long name cut (%u bytes)",
	   (unsigned)strlen(out));
	ok(strlen(out) > 3 && strcmp(out + strlen(out) - 3, ".gz") == 0,
	   "long name keeps its extension");
	ok((strlen(out) - 3) % 3 == 0, "long name cut at a character boundary");

	char alt[VDP_FILENAME_MAX + 1];
	vdp_filename_numbered(out, 9999, alt, sizeof(alt));
	ok(strlen(alt) <= VDP_FILENAME_MAX, "numbered long name still short");
	ok(strstr(alt, " (9999).gz") != NULL, "numbered long name keeps number");

	/* a smaller buffer bounds the result too */
	char mid[40];
	is_int(vdp_filename_make_safe(lng, rules, mid, sizeof(mid)), 0,
	       "long name into 40 bytes");
	ok(strlen(mid) < sizeof(mid) &&
		   strcmp(mid + strlen(mid) - 3, ".gz") == 0,
	   "40 bytes: cut, extension kept");
}

int main(void)
{
	common_rules();
	windows_rules();
	long_names(VDP_FILENAME_POSIX);
	long_names(VDP_FILENAME_WINDOWS);

	char small[8];
	is_int(vdp_filename_make_safe("x", VDP_FILENAME_POSIX, small,
				      sizeof(small)),
	       -EINVAL, "tiny buffer refused");

	char alt[VDP_FILENAME_MAX + 1];
	is_int(vdp_filename_numbered("report.pdf", 1, alt, sizeof(alt)), 0,
	       "n=1");
	ok(strcmp(alt, "report (1).pdf") == 0, "report (1).pdf");
	vdp_filename_numbered("README", 12, alt, sizeof(alt));
	ok(strcmp(alt, "README (12)") == 0, "README (12)");
	vdp_filename_numbered("archive.tar.gz", 2, alt, sizeof(alt));
	ok(strcmp(alt, "archive.tar (2).gz") == 0, "archive.tar (2).gz");
	vdp_filename_numbered("_CON.txt", 3, alt, sizeof(alt));
	ok(strcmp(alt, "_CON (3).txt") == 0, "_CON (3).txt");
	return tap_done();
}
