/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <string.h>

#include "edid.h"

#define EDID_BLOCK 128

bool edid_manufacturer(const uint8_t *edid, size_t len, char out[4])
{
	static const uint8_t header[8] = { 0x00, 0xff, 0xff, 0xff,
					   0xff, 0xff, 0xff, 0x00 };

	if (!edid || len < EDID_BLOCK || memcmp(edid, header, 8) != 0)
		return false;
	/* bytes 8-9, big-endian: three 5-bit letters, 1 = 'A' */
	unsigned v = (unsigned)edid[8] << 8 | edid[9];
	for (int i = 0; i < 3; i++) {
		unsigned c = (v >> (10 - 5 * i)) & 0x1f;
		if (c < 1 || c > 26)
			return false;
		out[i] = (char)('A' + c - 1);
	}
	out[3] = '\0';
	return true;
}
