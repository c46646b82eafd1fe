/* SPDX-License-Identifier: MIT */
/* Capability sets: set/has/unset, bounds, intersection, wire, format. */
#include <string.h>

#include "tap.h"
#include "vdp-caps.h"
#include "vdp-util.h"

static void test_set_has_unset(void)
{
	struct vdp_caps c;

	memset(&c, 0xff, sizeof(c));
	vdp_caps_clear_all(&c);
	ok(!vdp_caps_has(&c, VDP_CAP_MOUSE_STATE) &&
		   !vdp_caps_has(&c, VDP_CAP_CLIPBOARD_GRAB_SERIAL),
	   "cleared set has nothing");

	vdp_caps_set(&c, VDP_CAP_CLIPBOARD_SELECTION);
	vdp_caps_set(&c, VDP_CAP_CLIPBOARD_GRAB_SERIAL);
	ok(vdp_caps_has(&c, VDP_CAP_CLIPBOARD_SELECTION), "set bit 6");
	ok(vdp_caps_has(&c, VDP_CAP_CLIPBOARD_GRAB_SERIAL), "set bit 17");
	ok(!vdp_caps_has(&c, VDP_CAP_CLIPBOARD_BY_DEMAND), "bit 5 not set");
	is_int(c.words[0], (1u << 6) | (1u << 17), "word layout: bit index");

	vdp_caps_unset(&c, VDP_CAP_CLIPBOARD_SELECTION);
	ok(!vdp_caps_has(&c, VDP_CAP_CLIPBOARD_SELECTION), "unset bit 6");
	ok(vdp_caps_has(&c, VDP_CAP_CLIPBOARD_GRAB_SERIAL),
	   "unset leaves bit 17");

	/* every known cap round-trips alone */
	int all = 1;
	for (unsigned i = 0; i < VDP_CAP_END; i++) {
		vdp_caps_clear_all(&c);
		vdp_caps_set(&c, i);
		for (unsigned j = 0; j < VDP_CAP_END; j++)
			if (vdp_caps_has(&c, j) != (i == j))
				all = 0;
	}
	ok(all, "each cap set alone is the only one set");
}

static void test_unknown_index(void)
{
	struct vdp_caps c, before;

	vdp_caps_clear_all(&c);
	before = c;
	vdp_caps_set(&c, VDP_CAP_END);
	vdp_caps_set(&c, 31);
	vdp_caps_set(&c, 1000000);
	is_mem(&c, &before, sizeof(c), "setting unknown caps changes nothing");
	memset(&c, 0xff, sizeof(c));
	ok(!vdp_caps_has(&c, VDP_CAP_END), "has(END) false even if bits set");
	ok(!vdp_caps_has(&c, 4096), "has(4096) false");
	ok(!vdp_caps_has(NULL, VDP_CAP_REPLY), "has() on NULL set is false");
	vdp_caps_unset(&c, 5000);
	ok(vdp_caps_has(&c, VDP_CAP_REPLY), "unset of unknown cap harmless");
}

static void test_intersect(void)
{
	struct vdp_caps a, b, r;

	vdp_caps_clear_all(&a);
	vdp_caps_clear_all(&b);
	vdp_caps_set(&a, VDP_CAP_CLIPBOARD_SELECTION);
	vdp_caps_set(&a, VDP_CAP_MONITORS_CONFIG);
	vdp_caps_set(&a, VDP_CAP_CLIPBOARD_GRAB_SERIAL);
	vdp_caps_set(&b, VDP_CAP_MONITORS_CONFIG);
	vdp_caps_set(&b, VDP_CAP_CLIPBOARD_GRAB_SERIAL);
	vdp_caps_set(&b, VDP_CAP_REPLY);
	r = vdp_caps_intersect(&a, &b);
	ok(vdp_caps_has(&r, VDP_CAP_MONITORS_CONFIG), "both: MONITORS_CONFIG");
	ok(vdp_caps_has(&r, VDP_CAP_CLIPBOARD_GRAB_SERIAL),
	   "both: GRAB_SERIAL (bit 17)");
	ok(!vdp_caps_has(&r, VDP_CAP_CLIPBOARD_SELECTION), "only a: dropped");
	ok(!vdp_caps_has(&r, VDP_CAP_REPLY), "only b: dropped");
}

static void test_from_wire(void)
{
	struct vdp_caps c;
	/* word 0: bits 0, 6; word 1 (bits 32..): anything, unknown */
	const uint8_t one[] = { 0x41, 0x00, 0x00, 0x00 };
	const uint8_t three[] = { 0x41, 0x00, 0x02, 0x80, /* bits 17, 31 */
				  0xff, 0xff, 0xff, 0xff,
				  0xff, 0xff, 0xff, 0xff };

	vdp_caps_from_wire(&c, one, 1);
	ok(vdp_caps_has(&c, VDP_CAP_MOUSE_STATE) &&
		   vdp_caps_has(&c, VDP_CAP_CLIPBOARD_SELECTION),
	   "one word: bits 0 and 6");
	ok(!vdp_caps_has(&c, VDP_CAP_REPLY), "one word: bit 2 clear");

	vdp_caps_from_wire(&c, three, 3);
	ok(vdp_caps_has(&c, VDP_CAP_CLIPBOARD_GRAB_SERIAL),
	   "more words: bit 17 kept");
	is_int(c.words[0] & ~((1u << VDP_CAP_END) - 1), 0,
	       "unknown bits 18..31 dropped");
	ok(!vdp_caps_has(&c, 31), "bit 31 unknown");

	vdp_caps_from_wire(&c, NULL, 0);
	is_int(c.words[0], 0, "zero words: empty set");

	/* big-endian host would differ: check byte order explicitly */
	const uint8_t le[] = { 0x00, 0x00, 0x02, 0x00 };
	vdp_caps_from_wire(&c, le, 1);
	ok(vdp_caps_has(&c, VDP_CAP_CLIPBOARD_GRAB_SERIAL) &&
		   !vdp_caps_has(&c, VDP_CAP_CLIPBOARD_SELECTION),
	   "little-endian byte order");
}

static void test_format(void)
{
	struct vdp_caps c;
	char buf[256];
	char small[12];

	vdp_caps_clear_all(&c);
	vdp_caps_format(&c, buf, sizeof(buf));
	ok(streq(buf, ""), "empty set formats as empty string");

	vdp_caps_set(&c, VDP_CAP_MOUSE_STATE);
	vdp_caps_set(&c, VDP_CAP_CLIPBOARD_SELECTION);
	vdp_caps_set(&c, VDP_CAP_CLIPBOARD_GRAB_SERIAL);
	vdp_caps_format(&c, buf, sizeof(buf));
	ok(streq(buf, "MOUSE_STATE,CLIPBOARD_SELECTION,CLIPBOARD_GRAB_SERIAL"),
	   "format: %s", buf);

	memset(small, 'x', sizeof(small));
	vdp_caps_format(&c, small, sizeof(small));
	ok(memchr(small, '\0', sizeof(small)) != NULL,
	   "truncated output is terminated");
	ok(strncmp(small, "MOUSE_STATE", sizeof(small) - 1) == 0,
	   "truncated output is a prefix: %s", small);

	memset(small, 'x', sizeof(small));
	vdp_caps_format(&c, small, 0);
	ok(small[0] == 'x', "size 0 writes nothing");

	ok(streq(vdp_cap_name(VDP_CAP_FILE_XFER_DETAILED_ERRORS),
		  "FILE_XFER_DETAILED_ERRORS"),
	   "cap name");
	ok(streq(vdp_cap_name(VDP_CAP_END), "UNKNOWN"), "unknown cap name");
	int named = 1;
	for (unsigned i = 0; i < VDP_CAP_END; i++)
		if (!vdp_cap_name(i) || streq(vdp_cap_name(i), "UNKNOWN"))
			named = 0;
	ok(named, "every known cap has a name");
}

int main(void)
{
	test_set_has_unset();
	test_unknown_index();
	test_intersect();
	test_from_wire();
	test_format();
	return tap_done();
}
