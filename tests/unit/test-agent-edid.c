/* SPDX-License-Identifier: MIT */
/* The EDID manufacturer id, on the EDID QEMU gives a virtio-gpu output. */
#include "config.h"

#include <string.h>

#include "../../vdagent/edid.h"
#include "tap.h"

/* First 16 bytes of the EDID of a virtio-vga output (QEMU 7.2), as
 * `xrandr --verbose` shows it in the test guest; the rest is zeros. */
static const uint8_t qemu_head[16] = { 0x00, 0xff, 0xff, 0xff, 0xff, 0xff,
				       0xff, 0x00, 0x49, 0x14, 0x34, 0x12,
				       0x00, 0x00, 0x00, 0x00 };

int main(void)
{
	uint8_t e[256] = { 0 };
	char m[4] = "xxx";

	memcpy(e, qemu_head, sizeof(qemu_head));
	ok(edid_manufacturer(e, 128, m) && strcmp(m, "RHT") == 0,
	   "QEMU's EDID: manufacturer RHT (got %s)", m);
	ok(edid_manufacturer(e, 256, m), "with an extension block");
	ok(!edid_manufacturer(e, 127, m), "127 bytes: too short");
	ok(!edid_manufacturer(NULL, 128, m), "no EDID");

	e[8] = 0x10; /* "DEL": 4,5,12 -> 0x10ac */
	e[9] = 0xac;
	ok(edid_manufacturer(e, 128, m) && strcmp(m, "DEL") == 0,
	   "0x10ac is DEL (got %s)", m);
	e[8] = 0x00;
	e[9] = 0x00;
	ok(!edid_manufacturer(e, 128, m), "letter 0 is not a letter");
	e[8] = 0x6f; /* 27 in the first letter */
	e[9] = 0xff;
	ok(!edid_manufacturer(e, 128, m), "letter 27 is not a letter");

	memcpy(e, qemu_head, sizeof(qemu_head));
	e[7] = 0x01;
	ok(!edid_manufacturer(e, 128, m), "bad header");
	return tap_done();
}
