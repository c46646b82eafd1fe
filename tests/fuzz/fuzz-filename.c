/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for protocol/vdp-filename.c: a file name chosen by the
 * remote client.  The first byte picks the rules (bit 0: Windows) and the
 * collision number; the rest is the name.  Whatever comes in, the result
 * must be a safe plain name: valid UTF-8, not empty, not "." or "..", no
 * separator or control character, at most VDP_FILENAME_MAX bytes, and
 * under the Windows rules no reserved character or device name; and so
 * must its numbered alternative.
 */
#include <stdlib.h>
#include <string.h>

#include "vdp-filename.h"
#include "vdp-validate.h"

#define CHECK(cond)                                                           \
	do {                                                                  \
		if (!(cond))                                                  \
			__builtin_trap();                                     \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_safe(const char *s, enum vdp_filename_rules rules)
{
	size_t len = strlen(s);

	CHECK(len > 0 && len <= VDP_FILENAME_MAX);
	CHECK(vdp_check_utf8((const uint8_t *)s, len) == 0);
	CHECK(strcmp(s, ".") != 0 && strcmp(s, "..") != 0);
	CHECK(vdp_xfer_name_is_safe(s));
	if (rules == VDP_FILENAME_WINDOWS) {
		CHECK(strpbrk(s, "<>:\"|?*") == NULL);
		CHECK(!vdp_filename_is_windows_device(s));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[VDP_FILENAME_MAX + 1], alt[VDP_FILENAME_MAX + 1];
	enum vdp_filename_rules rules;
	unsigned n;
	char *name;

	if (size < 1)
		return 0;
	rules = data[0] & 1 ? VDP_FILENAME_WINDOWS : VDP_FILENAME_POSIX;
	n = 1 + (data[0] >> 1);
	name = malloc(size);
	if (!name)
		return 0;
	memcpy(name, data + 1, size - 1);
	name[size - 1] = '\0'; /* a C string: up to the first NUL */

	CHECK(vdp_filename_make_safe(name, rules, out, sizeof(out)) == 0);
	check_safe(out, rules);
	CHECK(vdp_filename_numbered(out, n, alt, sizeof(alt)) == 0);
	check_safe(alt, rules);
	free(name);
	return 0;
}
